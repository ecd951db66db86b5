//! `lambdawire_lambda_function_policy`: a function's resource policy, as text
//! and as statements mapped to the invoke-permission vocabulary, with its
//! size and an audit of who may invoke the function that should not
//! (`findings`). A function without a policy reads as empty lists, not an
//! error; a function that does not exist is an error.

use crate::aws::AwsClients;
use crate::plugin::schema::{Schema, Type};
use crate::plugin::Diagnostics;
use crate::resources::adapter::ReadOnly;
use async_trait::async_trait;
use serde::{Deserialize, Serialize};

use crate::aws::lambda::{find_policy, function_configuration_role};
use crate::lambda::findings::{findings, Finding};
use crate::lambda::function_ref::parse_function_ref;
use crate::lambda::statement::{redact_policy, statements, StoredStatement};
use crate::plugin::schema::*;
use crate::plugin::{known, opt, Bool, Num, Problem, Str, Value};

/// `lambdawire_lambda_function_policy`, as the data adapter drives it: no
/// fields, everything it needs comes with each call.
pub struct LambdaFunctionPolicy;

/// The data source's configuration and result: a function's resource policy,
/// its statements and what the audit finds in them.
#[derive(Clone, Debug, Default, Serialize, Deserialize)]
#[serde(default)]
pub struct PolicyState {
    /// Name, full or partial ARN of the function whose policy is read.
    pub function_name: Str,
    /// Version or alias whose policy is read; null: the unqualified function's.
    pub qualifier: Str,
    /// The policy as Lambda returns it, event-source tokens redacted; null without one.
    pub policy_json: Str,
    /// GetPolicy's revision id; null without a policy.
    pub revision_id: Str,
    /// The function's execution role (GetFunctionConfiguration's `Role`).
    pub role_arn: Str,
    /// Length of the policy text in bytes (Lambda's limit is 20,480); 0 without one.
    pub size_bytes: Num,
    /// Every statement, in stored order; empty without a policy.
    pub statements: Value<Vec<StatementView>>,
    /// The audit, most severe first; empty without a policy.
    pub findings: Value<Vec<FindingView>>,
}

/// One [`Finding`] as the `findings` list shows it.
#[derive(Clone, Debug, Default, Serialize, Deserialize)]
#[serde(default)]
pub struct FindingView {
    /// The statement's id; null for a finding about the whole policy.
    pub sid: Str,
    /// `high`, `medium` or `low`.
    pub severity: Str,
    /// The stable code a `check` block matches.
    pub code: Str,
    /// What is wrong and what to do about it.
    pub message: Str,
}

impl From<Finding> for FindingView {
    fn from(f: Finding) -> Self {
        FindingView {
            sid: opt(f.sid),
            severity: Value::Value(f.severity.as_str().to_string()),
            code: Value::Value(f.code.to_string()),
            message: Value::Value(f.message),
        }
    }
}

fn finding_type() -> Type {
    let fields = ["sid", "severity", "code", "message"]
        .iter()
        .map(|name| (name.to_string(), Type::String))
        .collect();
    Type::List(Box::new(Type::Object(fields)))
}

/// One stored statement as the `statements` list shows it: the invoke
/// permission's arguments, each null when the statement has none.
#[derive(Clone, Debug, Default, Serialize, Deserialize)]
#[serde(default)]
pub struct StatementView {
    /// The statement's `Sid`.
    pub sid: Str,
    /// `Allow` or `Deny`, read from the statement's JSON.
    pub effect: Str,
    /// Service principal, account id or ARN, or `*`.
    pub principal: Str,
    /// The Lambda action, such as `lambda:InvokeFunction`.
    pub action: Str,
    /// The `AWS:SourceArn` condition.
    pub source_arn: Str,
    /// The `AWS:SourceAccount` condition.
    pub source_account: Str,
    /// The `aws:PrincipalOrgID` condition.
    pub principal_org_id: Str,
    /// The `lambda:FunctionUrlAuthType` condition.
    pub function_url_auth_type: Str,
    /// Whether the statement carries `lambda:InvokedViaFunctionUrl = true`;
    /// never null.
    pub invoked_via_function_url: Bool,
}

/// The string attributes of a statement object; `invoked_via_function_url`
/// (a bool) is added by [`statement_type`].
const STATEMENT_FIELDS: [&str; 8] = [
    "sid",
    "effect",
    "principal",
    "action",
    "source_arn",
    "source_account",
    "principal_org_id",
    "function_url_auth_type",
];

fn statement_type() -> Type {
    let fields = STATEMENT_FIELDS
        .iter()
        .map(|name| (name.to_string(), Type::String))
        .chain([("invoked_via_function_url".to_string(), Type::Bool)])
        .collect();
    Type::List(Box::new(Type::Object(fields)))
}

/// Flatten one stored statement; `Effect` is read from its JSON because the
/// permission model only ever writes Allow.
pub fn view(stored: &StoredStatement) -> StatementView {
    let effect = serde_json::from_str::<serde_json::Value>(&stored.json)
        .ok()
        .and_then(|v| v["Effect"].as_str().map(str::to_string));
    StatementView {
        sid: Value::Value(stored.sid.clone()),
        effect: opt(effect),
        principal: Value::Value(stored.principal.clone()),
        action: Value::Value(stored.action.clone()),
        source_arn: opt(stored.source_arn.clone()),
        source_account: opt(stored.source_account.clone()),
        principal_org_id: opt(stored.principal_org_id.clone()),
        function_url_auth_type: opt(stored.function_url_auth_type.clone()),
        invoked_via_function_url: Value::Value(stored.invoked_via_function_url),
    }
}

fn problems(config: &PolicyState) -> Vec<Problem> {
    let mut problems = Vec::new();
    if let Some(Err(why)) = known(&config.function_name).map(parse_function_ref) {
        problems.push(Problem::at("function_name", "invalid function_name", why));
    }
    if known(&config.qualifier) == Some("$LATEST") {
        problems.push(Problem::at(
            "qualifier",
            "$LATEST has no resource policy",
            "Lambda keeps resource policies on the unqualified function, versions and aliases; leave qualifier null for $LATEST.",
        ));
    }
    problems
}

#[async_trait]
impl ReadOnly for LambdaFunctionPolicy {
    type State = PolicyState;
    const TYPE_NAME: &'static str = "lambda_function_policy";

    fn schema(&self) -> Schema {
        schema(block(
            "The resource-based policy of a Lambda function, as text and as statements, its size, and \
             an audit of who can invoke the function that should not (`findings`). A function \
             without a policy gives empty lists; a function that does not exist is an error.",
            vec![
                ("function_name", attr(string(), Required, "Function name, full or partial ARN.")),
                ("qualifier", attr(string(), Optional, "Version or alias.")),
                ("policy_json", attr(string(), Computed, "The policy document as Lambda returns it, with event-source tokens shown as `\"(sensitive)\"`; null without a policy.")),
                ("revision_id", attr(string(), Computed, "Revision of the policy; null without a policy.")),
                ("role_arn", attr(string(), Computed, "ARN of the function's execution role: who the function acts as when it runs.")),
                ("size_bytes", attr(number(), Computed, "Size of the policy in bytes, against Lambda's limit of 20,480; 0 without a policy.")),
                ("statements", attr(statement_type(), Computed, "Each statement: `sid`, `effect`, `principal`, `action`, `source_arn`, `source_account`, `principal_org_id`, `function_url_auth_type` (strings), and `invoked_via_function_url` (bool: the statement holds only for calls through the function URL).")),
                ("findings", attr(finding_type(), Computed, "Who can invoke the function that should not, most severe first: one object per problem with `sid` (null for the whole policy), `severity` (`high`, `medium`, `low`), `code` and `message`. Codes: `public-unscoped` (high: principal `\"*\"` with no condition), `public-invoke-without-url-condition` (high: `lambda:InvokeFunction` for `\"*\"` without `lambda:InvokedViaFunctionUrl`, unless limited to an organisation), `service-without-source-arn` (medium), `bucket-without-source-account` (medium: S3 without a source account), `wildcard-source-arn` (medium: a source ARN whose account or region is a wildcard), `any-account-function-url` (high: `\"*\"` through a function URL with auth type `AWS_IAM` and no account or organisation: every AWS account), `non-invoke-action` (medium: an action beyond invoking, such as `lambda:GetFunction` or `lambda:*`, to anyone but the function's own account named as the principal), `other-account` (low: principals of another account), `organisation-wide` (low: every principal of an organisation), `public-function-url` (low: `\"*\"` through a function URL with auth type `NONE`, which a `check` may allow when the URL is meant to be public), `policy-near-size-limit` (low: within 10% of 20,480 bytes). Fail a plan on them with a `check` block.")),
            ],
            vec![],
        ))
    }

    fn validate(&self, config: &PolicyState) -> Vec<Problem> {
        problems(config)
    }

    async fn read(
        &self,
        diags: &mut Diagnostics,
        clients: &AwsClients,
        config: PolicyState,
    ) -> Option<PolicyState> {
        let function = known(&config.function_name).unwrap_or_default().to_string();
        let doing = format!("reading Lambda Function Policy ({function})");
        let qualifier = known(&config.qualifier);
        // Both reads at once: the function's configuration gives its role and
        // tells "no policy" from "no function".
        let (found, role) = tokio::join!(
            find_policy(clients, &function, qualifier),
            function_configuration_role(clients, &function, qualifier)
        );
        let (found, role) = match (found, role) {
            (Ok(found), Ok(role)) => (found, role),
            (Err(e), _) | (_, Err(e)) => {
                e.report(diags, &doing);
                return None;
            }
        };
        let Some(role) = role else {
            let shown = match qualifier {
                Some(q) => format!("{function}:{q}"),
                None => function.clone(),
            };
            diags.error(
                format!("{doing}: no such function"),
                format!("Lambda has no function {shown} in this account and region."),
                crate::plugin::AttributePath::new("function_name"),
            );
            return None;
        };
        let config = PolicyState {
            role_arn: opt(Some(role).filter(|r| !r.is_empty())),
            ..config
        };
        match flatten(config, found) {
            Ok(state) => Some(state),
            Err(why) => {
                diags.root_error(format!("{doing}: unreadable policy"), why);
                None
            }
        }
    }
}

/// The data source's state from what GetPolicy found (policy text and
/// revision), or why the policy cannot be read.
pub fn flatten(
    config: PolicyState,
    found: Option<(String, Option<String>)>,
) -> Result<PolicyState, String> {
    let mut state = config;
    match found {
        None => {
            state.policy_json = Value::Null;
            state.revision_id = Value::Null;
            state.size_bytes = Value::Value(0);
            state.statements = Value::Value(Vec::new());
            state.findings = Value::Value(Vec::new());
        }
        Some((policy, revision)) => {
            let all = statements(&policy)?;
            state.size_bytes = Value::Value(i64::try_from(policy.len()).unwrap_or(i64::MAX));
            state.statements = Value::Value(all.iter().map(view).collect());
            state.findings = Value::Value(
                findings(&all, policy.len())
                    .into_iter()
                    .map(FindingView::from)
                    .collect(),
            );
            // policy_json is not sensitive: an event-source token in it is
            // shown as "(sensitive)".
            state.policy_json = Value::Value(redact_policy(&policy)?);
            state.revision_id = opt(revision);
        }
    }
    Ok(state)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn view_maps_a_stored_statement() {
        let policy = r#"{"Version":"2012-10-17","Statement":[{"Sid":"s3","Effect":"Allow","Principal":{"Service":"s3.amazonaws.com"},"Action":"lambda:InvokeFunction","Resource":"arn:aws:lambda:us-east-1:123456789012:function:f","Condition":{"ArnLike":{"AWS:SourceArn":"arn:aws:s3:::b"},"StringEquals":{"AWS:SourceAccount":"123456789012"}}}]}"#;
        let all = statements(policy).unwrap();
        let v = view(&all[0]);
        assert_eq!(v.effect, Value::Value("Allow".into()));
        assert_eq!(v.principal, Value::Value("s3.amazonaws.com".into()));
        assert_eq!(v.source_arn, Value::Value("arn:aws:s3:::b".into()));
        assert_eq!(v.source_account, Value::Value("123456789012".into()));
        assert!(v.principal_org_id.is_null());
        assert_eq!(v.invoked_via_function_url, Value::Value(false));

        let via = r#"{"Statement":[{"Sid":"via","Effect":"Allow","Principal":"*","Action":"lambda:InvokeFunction","Resource":"arn:aws:lambda:us-east-1:123456789012:function:f","Condition":{"Bool":{"lambda:InvokedViaFunctionUrl":"true"}}}]}"#;
        let all = statements(via).unwrap();
        assert_eq!(view(&all[0]).invoked_via_function_url, Value::Value(true));
        let fields = match statement_type() {
            Type::List(inner) => match *inner {
                Type::Object(fields) => fields,
                other => panic!("{other:?}"),
            },
            other => panic!("{other:?}"),
        };
        assert!(fields.contains(&("invoked_via_function_url".to_string(), Type::Bool)));
        assert_eq!(fields.len(), STATEMENT_FIELDS.len() + 1);
    }

    #[test]
    fn policy_json_never_shows_an_event_source_token() {
        let policy = r#"{"Version":"2012-10-17","Statement":[{"Sid":"alexa","Effect":"Allow","Principal":{"Service":"alexa-appkit.amazon.com"},"Action":"lambda:InvokeFunction","Resource":"arn:aws:lambda:us-east-1:123456789012:function:f","Condition":{"StringEquals":{"lambda:EventSourceToken":"amzn1.ask.skill.secret"}}}]}"#;
        let state = flatten(
            PolicyState::default(),
            Some((policy.to_string(), Some("rev-1".to_string()))),
        )
        .unwrap();
        let shown = state
            .policy_json
            .as_ref_option()
            .cloned()
            .unwrap_or_default();
        assert!(!shown.contains("amzn1.ask.skill.secret"), "{shown}");
        assert_eq!(
            shown,
            policy.replace("amzn1.ask.skill.secret", "(sensitive)")
        );
        assert_eq!(state.revision_id, Value::Value("rev-1".into()));
        let views = state
            .statements
            .as_ref_option()
            .cloned()
            .unwrap_or_default();
        assert_eq!(views[0].sid, Value::Value("alexa".into()));

        let none = flatten(PolicyState::default(), None).unwrap();
        assert!(none.policy_json.is_null());
        assert!(flatten(PolicyState::default(), Some(("{".into(), None))).is_err());
    }

    #[test]
    fn latest_and_bad_names_are_refused() {
        let config = PolicyState {
            function_name: Value::Value("bad name".into()),
            qualifier: Value::Value("$LATEST".into()),
            ..Default::default()
        };
        let paths: Vec<String> = problems(&config).iter().map(Problem::path_text).collect();
        assert_eq!(paths, ["function_name", "qualifier"]);
    }
}
