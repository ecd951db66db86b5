//! `lambdawire_lambda_function_policy`: a function's resource policy, as text
//! and as statements mapped to the invoke-permission vocabulary, with its
//! size and an audit of who may invoke the function that should not
//! (`findings`). Without a qualifier the audit covers every policy of the
//! function (its own, each alias's and each published version's), each
//! statement and finding naming its qualifier. A function without a policy
//! reads as empty lists, not an error; a function that does not exist is
//! an error.

use crate::aws::AwsClients;
use crate::plugin::schema::{Schema, Type};
use crate::plugin::Diagnostics;
use crate::resources::adapter::ReadOnly;
use async_trait::async_trait;
use serde::{Deserialize, Serialize};

use crate::aws::error::AwsError;
use crate::aws::lambda::{find_aliases_and_versions, find_policies, function_configuration_role};
use crate::aws::policy_reads::Policy;
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
    /// The policy asked for (the one `qualifier` names, else the function's
    /// own) as Lambda returns it, event-source tokens redacted; null without one.
    pub policy_json: Str,
    /// GetPolicy's revision id of that policy; null without it.
    pub revision_id: Str,
    /// The function's execution role (GetFunctionConfiguration's `Role`).
    pub role_arn: Str,
    /// Length of that policy's text in bytes (Lambda's limit is 20,480); 0 without one.
    pub size_bytes: Num,
    /// Every statement of every policy audited, in stored order, the
    /// function's own first; empty without a policy.
    pub statements: Value<Vec<StatementView>>,
    /// The audit of every policy audited, most severe first; empty without a policy.
    pub findings: Value<Vec<FindingView>>,
}

/// One [`Finding`] as the `findings` list shows it.
#[derive(Clone, Debug, Default, Serialize, Deserialize)]
#[serde(default)]
pub struct FindingView {
    /// The alias or version whose policy it is in; null for the function's own.
    pub qualifier: Str,
    /// The statement's id; null for a finding about the whole policy.
    pub sid: Str,
    /// `high`, `medium` or `low`.
    pub severity: Str,
    /// The stable code a `check` block matches.
    pub code: Str,
    /// What is wrong and what to do about it.
    pub message: Str,
}

impl FindingView {
    /// A finding in the policy of `qualifier`.
    fn of(qualifier: &Option<String>, f: Finding) -> Self {
        FindingView {
            qualifier: opt(qualifier.clone()),
            sid: opt(f.sid),
            severity: Value::Value(f.severity.as_str().to_string()),
            code: Value::Value(f.code.to_string()),
            message: Value::Value(f.message),
        }
    }
}

fn finding_type() -> Type {
    let fields = ["qualifier", "sid", "severity", "code", "message"]
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
    /// The alias or version whose policy holds it; null for the function's own.
    pub qualifier: Str,
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
const STATEMENT_FIELDS: [&str; 9] = [
    "qualifier",
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

/// Flatten one stored statement of the policy of `qualifier`; `Effect` is
/// read from its JSON because the permission model only ever writes Allow.
pub fn view(qualifier: &Option<String>, stored: &StoredStatement) -> StatementView {
    let effect = serde_json::from_str::<serde_json::Value>(&stored.json)
        .ok()
        .and_then(|v| v["Effect"].as_str().map(str::to_string));
    StatementView {
        qualifier: opt(qualifier.clone()),
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
            "The resource-based policy of a Lambda function as text, with its size, and the \
             statements and an audit of who can invoke the function that should not (`findings`) \
             of every policy audited: without `qualifier` the function's own, each alias's and \
             each published version's, each statement and finding naming its `qualifier`; with \
             it, that one only. A function without a policy gives empty lists; a function that \
             does not exist is an error.",
            vec![
                ("function_name", attr(string(), Required, "Function name, full or partial ARN.")),
                ("qualifier", attr(string(), Optional, "Version or alias: only its policy is read and audited. Null: the function's own policy, and every alias's and published version's in `statements` and `findings` (one ListAliases and ListVersionsByFunction, all pages, and one GetPolicy per alias and version, eight at a time).")),
                ("policy_json", attr(string(), Computed, "The policy asked for (the `qualifier`'s, else the function's own, not an alias's or version's) as Lambda returns it, with event-source tokens shown as `\"(sensitive)\"`; null without that policy.")),
                ("revision_id", attr(string(), Computed, "Revision of that policy; null without it.")),
                ("role_arn", attr(string(), Computed, "ARN of the function's execution role: who the function acts as when it runs.")),
                ("size_bytes", attr(number(), Computed, "Size of that policy in bytes, against Lambda's limit of 20,480; 0 without it. Every audited policy's own size is checked in `findings`.")),
                ("statements", attr(statement_type(), Computed, "Each statement of every policy audited, the function's own first, then each alias's by name and each version's by number: `qualifier` (the alias or version whose policy holds it; null for the function's own), `sid`, `effect`, `principal`, `action`, `source_arn`, `source_account`, `principal_org_id`, `function_url_auth_type` (strings), and `invoked_via_function_url` (bool: the statement holds only for calls through the function URL).")),
                ("findings", attr(finding_type(), Computed, "Who can invoke the function that should not, most severe first: one object per problem with `qualifier` (the alias or version whose policy it is in; null for the function's own), `sid` (null for the whole policy), `severity` (`high`, `medium`, `low`), `code` and `message`. Codes: `public-unscoped` (high: principal `\"*\"` with no condition), `public-invoke-without-url-condition` (high: `lambda:InvokeFunction` for `\"*\"` without `lambda:InvokedViaFunctionUrl`, unless limited to an organisation), `service-without-source-arn` (medium), `bucket-without-source-account` (medium: S3 without a source account), `wildcard-source-arn` (medium: a source ARN whose account or region is a wildcard), `any-account-function-url` (high: `\"*\"` through a function URL with auth type `AWS_IAM` and no account or organisation: every AWS account), `non-invoke-action` (medium: an action beyond invoking, such as `lambda:GetFunction` or `lambda:*`, to anyone but the function's own account named as the principal), `other-account` (low: principals of another account), `organisation-wide` (low: every principal of an organisation), `public-function-url` (low: `\"*\"` through a function URL with auth type `NONE`, which a `check` may allow when the URL is meant to be public), `policy-near-size-limit` (low: within 10% of 20,480 bytes). Fail a plan on them with a `check` block.")),
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
        // Both at once: the function's configuration gives its role and
        // tells "no policy" from "no function".
        let (found, role) = tokio::join!(
            audited_policies(clients, &function, qualifier),
            function_configuration_role(clients, &function, qualifier)
        );
        let (found, role) = match (found, role) {
            (Ok(found), Ok(role)) => (found, role),
            (Err(e), _) | (_, Err(e)) => {
                e.report(diags, &doing);
                return None;
            }
        };
        let (Some(found), Some(role)) = (found, role) else {
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

/// One policy audited: the alias or version it belongs to (`None`: the
/// function's own) and what GetPolicy found there.
pub type Audited = (Option<String>, Policy);

/// Every policy the data source audits: the one `qualifier` names, or
/// without it the function's own and each alias's and published
/// version's (see [`audited_qualifiers`]); `None` when the function does
/// not exist.
async fn audited_policies(
    clients: &AwsClients,
    function: &str,
    qualifier: Option<&str>,
) -> Result<Option<Vec<Audited>>, AwsError> {
    let qualifiers = match qualifier {
        Some(q) => vec![Some(q.to_string())],
        None => match find_aliases_and_versions(clients, function).await? {
            Some((aliases, versions)) => audited_qualifiers(aliases, versions),
            None => return Ok(None),
        },
    };
    let policies = find_policies(clients, function, &qualifiers).await?;
    Ok(Some(qualifiers.into_iter().zip(policies).collect()))
}

/// The qualifiers whose policies an audit without a qualifier reads: the
/// function's own (`None`) first, then each alias by name, then each
/// published version by number. `$LATEST` is left out: Lambda keeps no
/// policy on it, its grants are the function's own.
pub fn audited_qualifiers(mut aliases: Vec<String>, versions: Vec<String>) -> Vec<Option<String>> {
    aliases.sort();
    let mut numbered: Vec<(u64, String)> = versions
        .into_iter()
        .filter_map(|v| v.parse().ok().map(|n| (n, v)))
        .collect();
    numbered.sort();
    std::iter::once(None)
        .chain(aliases.into_iter().map(Some))
        .chain(numbered.into_iter().map(|(_, v)| Some(v)))
        .collect()
}

/// The data source's state from the policies audited, or why one cannot
/// be read. `policy_json`, `revision_id` and `size_bytes` are the policy
/// asked for (the configured qualifier's, else the function's own); the
/// statements and findings are every policy's, each naming its qualifier,
/// and a qualifier without a policy adds nothing.
pub fn flatten(config: PolicyState, audited: Vec<Audited>) -> Result<PolicyState, String> {
    let asked = known(&config.qualifier).map(str::to_string);
    let mut state = PolicyState {
        policy_json: Value::Null,
        revision_id: Value::Null,
        size_bytes: Value::Value(0),
        ..config
    };
    let mut views = Vec::new();
    let mut found = Vec::new();
    for (qualifier, policy) in audited {
        let Some((text, revision)) = policy else {
            continue;
        };
        let named = |why: String| match &qualifier {
            Some(q) => format!("the policy of {q}: {why}"),
            None => why,
        };
        let all = statements(&text).map_err(named)?;
        views.extend(all.iter().map(|s| view(&qualifier, s)));
        found.extend(
            findings(&all, text.len())
                .into_iter()
                .map(|f| (qualifier.clone(), f)),
        );
        if qualifier == asked {
            state.size_bytes = Value::Value(i64::try_from(text.len()).unwrap_or(i64::MAX));
            // policy_json is not sensitive: an event-source token in it is
            // shown as "(sensitive)".
            state.policy_json = Value::Value(redact_policy(&text).map_err(named)?);
            state.revision_id = opt(revision);
        }
    }
    // Most severe first over every policy; the sort is stable, so each
    // policy keeps its order within a severity.
    found.sort_by_key(|(_, f)| f.severity);
    state.statements = Value::Value(views);
    state.findings = Value::Value(
        found
            .into_iter()
            .map(|(q, f)| FindingView::of(&q, f))
            .collect(),
    );
    Ok(state)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn view_maps_a_stored_statement() {
        let policy = r#"{"Version":"2012-10-17","Statement":[{"Sid":"s3","Effect":"Allow","Principal":{"Service":"s3.amazonaws.com"},"Action":"lambda:InvokeFunction","Resource":"arn:aws:lambda:us-east-1:123456789012:function:f","Condition":{"ArnLike":{"AWS:SourceArn":"arn:aws:s3:::b"},"StringEquals":{"AWS:SourceAccount":"123456789012"}}}]}"#;
        let all = statements(policy).unwrap();
        let v = view(&None, &all[0]);
        assert!(v.qualifier.is_null(), "the function's own policy");
        assert_eq!(v.effect, Value::Value("Allow".into()));
        assert_eq!(v.principal, Value::Value("s3.amazonaws.com".into()));
        assert_eq!(v.source_arn, Value::Value("arn:aws:s3:::b".into()));
        assert_eq!(v.source_account, Value::Value("123456789012".into()));
        assert!(v.principal_org_id.is_null());
        assert_eq!(v.invoked_via_function_url, Value::Value(false));

        let via = r#"{"Statement":[{"Sid":"via","Effect":"Allow","Principal":"*","Action":"lambda:InvokeFunction","Resource":"arn:aws:lambda:us-east-1:123456789012:function:f","Condition":{"Bool":{"lambda:InvokedViaFunctionUrl":"true"}}}]}"#;
        let all = statements(via).unwrap();
        let live = view(&Some("live".to_string()), &all[0]);
        assert_eq!(live.invoked_via_function_url, Value::Value(true));
        assert_eq!(live.qualifier, Value::Value("live".into()));
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
            vec![(None, Some((policy.to_string(), Some("rev-1".to_string()))))],
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

        let none = flatten(PolicyState::default(), vec![(None, None)]).unwrap();
        assert!(none.policy_json.is_null());
        let unreadable = vec![(Some("live".to_string()), Some(("{".into(), None)))];
        let why = flatten(PolicyState::default(), unreadable).unwrap_err();
        assert!(why.starts_with("the policy of live: "), "{why}");
    }

    const F: &str = "arn:aws:lambda:us-east-1:123456789012:function:f";

    /// A policy of one statement: `principal` may invoke, with `condition`.
    fn policy(resource: &str, sid: &str, principal: &str, condition: &str) -> Policy {
        let text = format!(
            r#"{{"Version":"2012-10-17","Statement":[{{"Sid":"{sid}","Effect":"Allow","Principal":{principal},"Action":"lambda:InvokeFunction","Resource":"{resource}"{condition}}}]}}"#
        );
        Some((text, Some(format!("rev-{sid}"))))
    }

    fn qualified(q: &str) -> Option<String> {
        Some(q.to_string())
    }

    /// The function's own policy, the alias `live`'s (a public grant), none
    /// on the alias `beta`, and version 3's (an unscoped service).
    fn every_policy() -> Vec<Audited> {
        let rule = r#","Condition":{"ArnLike":{"AWS:SourceArn":"arn:aws:events:us-east-1:123456789012:rule/r"}}"#;
        vec![
            (
                None,
                policy(F, "nightly", r#"{"Service":"events.amazonaws.com"}"#, rule),
            ),
            (qualified("beta"), None),
            (
                qualified("live"),
                policy(&format!("{F}:live"), "everyone", r#""*""#, ""),
            ),
            (
                qualified("3"),
                policy(
                    &format!("{F}:3"),
                    "topic",
                    r#"{"Service":"sns.amazonaws.com"}"#,
                    "",
                ),
            ),
        ]
    }

    fn text(v: &Str) -> String {
        v.as_ref_option().cloned().unwrap_or_else(|| "null".into())
    }

    #[test]
    fn every_policy_audited_names_its_qualifier_and_the_asked_one_is_shown() {
        let state = flatten(PolicyState::default(), every_policy()).unwrap();
        let listed: Vec<(String, String)> = state
            .statements
            .as_ref_option()
            .cloned()
            .unwrap_or_default()
            .iter()
            .map(|v| (text(&v.qualifier), text(&v.sid)))
            .collect();
        let pair = |q: &str, sid: &str| (q.to_string(), sid.to_string());
        assert_eq!(
            listed,
            [
                pair("null", "nightly"),
                pair("live", "everyone"),
                pair("3", "topic")
            ]
        );
        let found: Vec<(String, String, String)> = state
            .findings
            .as_ref_option()
            .cloned()
            .unwrap_or_default()
            .iter()
            .map(|f| (text(&f.qualifier), text(&f.sid), text(&f.code)))
            .collect();
        let finding = |q: &str, sid: &str, code: &str| (q.into(), sid.into(), code.into());
        assert_eq!(
            found,
            [
                finding("live", "everyone", "public-unscoped"),
                finding("live", "everyone", "public-invoke-without-url-condition"),
                finding("3", "topic", "service-without-source-arn"),
            ],
            "most severe first over every policy"
        );
        // What is shown as text is the policy asked for: the function's own.
        let shown = text(&state.policy_json);
        assert!(
            shown.contains("nightly") && !shown.contains("everyone"),
            "{shown}"
        );
        assert_eq!(state.size_bytes, Value::Value(shown.len() as i64));
        assert_eq!(state.revision_id, Value::Value("rev-nightly".into()));

        // Asked for an alias: its policy is the one shown.
        let live = PolicyState {
            qualifier: Value::Value("live".into()),
            ..Default::default()
        };
        let policies = every_policy()
            .into_iter()
            .filter(|(q, _)| *q == qualified("live"));
        let state = flatten(live, policies.collect()).unwrap();
        assert_eq!(state.revision_id, Value::Value("rev-everyone".into()));
        let views = state
            .statements
            .as_ref_option()
            .cloned()
            .unwrap_or_default();
        assert_eq!(views.len(), 1);
        assert_eq!(views[0].qualifier, Value::Value("live".into()));

        // An alias with no policy has nothing to show, whatever others hold.
        let beta = PolicyState {
            qualifier: Value::Value("beta".into()),
            ..Default::default()
        };
        let state = flatten(beta, every_policy()).unwrap();
        assert!(state.policy_json.is_null() && state.revision_id.is_null());
        assert_eq!(state.size_bytes, Value::Value(0));
    }

    #[test]
    fn the_audit_reads_the_function_then_aliases_by_name_then_versions_by_number() {
        let names = |v: &[&str]| v.iter().map(|s| s.to_string()).collect::<Vec<_>>();
        let got = audited_qualifiers(
            names(&["live", "beta"]),
            names(&["$LATEST", "10", "2", "9"]),
        );
        let want: Vec<Option<String>> = [None, qualified("beta"), qualified("live")]
            .into_iter()
            .chain(["2", "9", "10"].map(qualified))
            .collect();
        assert_eq!(got, want);
        assert_eq!(audited_qualifiers(vec![], names(&["$LATEST"])), vec![None]);
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
