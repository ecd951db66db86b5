//! `lambdawire_cross_account_invoker_role`: a role in the function's account
//! that principals of other accounts assume to invoke exactly the listed
//! functions (the "assume a role in the function's account" pattern),
//! optionally behind an external id and an organization.
//!
//! The external id is a secret shared with the other party: it is sent to
//! IAM in the trust policy, stored only in the sensitive `external_id`, and
//! shown as `"(sensitive)"` in `trust_policy_json`.

use crate::plugin::schema::Schema;
use serde::{Deserialize, Serialize};

use crate::plugin::schema::*;
use crate::plugin::{
    known, known_list, str_list, AttributePath, Block, Num, Problem, Str, StrList, StrMap, Value,
};
use crate::policy::builders::{
    cross_account_invoke_policy, cross_account_trust_policy, sid, CrossAccountTrust,
};
use crate::policy::document::{PolicyDocument, Principal};
use crate::resources::check_each;
use crate::resources::managed_role::RoleSettings;
use crate::resources::PlanContext;
use crate::validate::arn;
use crate::validate::names;

use super::kind::{listed_functions, PlanTargets};
use super::{common_schema, Common, RoleKind};

/// The state of `lambdawire_cross_account_invoker_role`.
#[derive(Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(default)]
pub struct CrossAccountRoleState {
    /// The role's name (Terraform's id).
    pub id: Str,
    /// The role's ARN.
    pub arn: Str,
    /// The role's name, given or generated.
    pub name: Str,
    /// The functions (or versions, aliases) the partners may invoke.
    pub function_arns: StrList,
    /// Accounts, or role and user ARNs of other accounts, that may assume the role.
    pub trusted_principals: StrList,
    /// The secret the partner presents (`sts:ExternalId`); sensitive.
    pub external_id: Str,
    /// Only principals of this organisation (`aws:PrincipalOrgID`).
    pub principal_org_id: Str,
    /// Seconds a session may last (3600-43200).
    pub max_session_duration: Num,
    /// Name, path, boundary and tags of the role.
    pub role: Block<RoleSettings>,
    /// The inline policy as written.
    pub policy_json: Str,
    /// The trust policy as written, the external id redacted.
    pub trust_policy_json: Str,
    /// Every tag of the role, `default_tags` included.
    pub tags_all: StrMap,
}

crate::debug_redacting!(CrossAccountRoleState {
    id, arn, name, function_arns, trusted_principals, principal_org_id, max_session_duration, role, policy_json, trust_policy_json, tags_all
} secret {
    external_id
});

/// IAM's bounds on `MaxSessionDuration`, in seconds (1 to 12 hours).
const SESSION_SECONDS: std::ops::RangeInclusive<i64> = 3600..=43200;

/// `lambdawire_cross_account_invoker_role`: a role other accounts assume to invoke functions of this one.
pub struct CrossAccountInvokerRole;

/// A trusted principal: a 12-digit account id, or an IAM role or user ARN.
/// Never `"*"` nor any wildcard: IAM reads a wildcard principal as everyone.
fn principal(text: &str) -> Result<(), String> {
    const ALLOWED: &str =
        "a trusted principal is a 12-digit account id, or an IAM role or user ARN of another account";
    if arn::has_wildcard(text) {
        return Err(format!(
            "{text:?} holds a wildcard, which would let more than the named principal (anyone, for \"*\") assume the role; {ALLOWED}"
        ));
    }
    if arn::is_account(text) {
        return Ok(());
    }
    let resource = arn::parse(text).map(|a| a.resource).unwrap_or_default();
    let checked = if resource.starts_with("user/") {
        arn::iam_user(text)
    } else {
        arn::iam_role(text)
    };
    checked
        .map(|_| ())
        .map_err(|why| format!("{why}; {ALLOWED}"))
}

/// The account a valid principal belongs to.
fn account_of(principal: &str) -> &str {
    if arn::is_account(principal) {
        principal
    } else {
        arn::parse(principal).map(|a| a.account).unwrap_or_default()
    }
}

/// A required list attribute that is empty.
fn empty(problems: &mut Vec<Problem>, attribute: &'static str, list: &StrList, what: &str) {
    if known_list(list).is_some_and(|l| l.is_empty()) {
        problems.push(Problem::at(
            attribute,
            format!("{attribute} is empty"),
            format!("List at least one {what}."),
        ));
    }
}

impl RoleKind for CrossAccountInvokerRole {
    type State = CrossAccountRoleState;
    const TYPE_NAME: &'static str = "cross_account_invoker_role";
    const POLICY_NAME: &'static str = "lambdawire-invoke";
    const NAME_PREFIX: &'static str = "lambdawire-xacct-";

    fn schema() -> Schema {
        common_schema(
            "A role in the function's account that principals of other accounts assume (STS \
             AssumeRole) to invoke exactly the listed functions. Trust: `sts:AssumeRole` for exactly \
             the trusted principals, with `sts:ExternalId` and `aws:PrincipalOrgID` conditions when \
             set; policy: `lambda:InvokeFunction` on each function and its versions and aliases, \
             nothing else. Principals of the provider's own account are refused: grant those with an \
             identity policy or `lambdawire_lambda_invoke_permission`.",
            vec![
                ("function_arns", attr(string_list(), Required, "Functions the role may invoke (each also in its qualified forms `<arn>:*`). Function ARNs, no wildcard. One that does not exist at plan is a warning (the role would invoke nothing until it does).")),
                ("trusted_principals", attr(string_list(), Required, "Who may assume the role: 12-digit account ids (written as `arn:<partition>:iam::<id>:root`: any principal of that account whose own policies allow `sts:AssumeRole` on this role), or IAM role or user ARNs of other accounts. Never `\"*\"`, no wildcard, not the provider's own account. An account id without `external_id` or `principal_org_id` is a plan-time warning (any role of that account could assume this one). Import writes root principals as account ids.")),
                ("external_id", sensitive(string(), Optional, "Secret the other account presents when assuming the role (`sts:ExternalId` condition): 2-1224 of `[\\w+=,.@:/-]`. Sensitive: stored in state, shown as `\"(sensitive)\"` in `trust_policy_json`, read back from IAM (a changed id is drift).")),
                ("principal_org_id", attr(string(), Optional, "Only principals of this AWS Organization (`aws:PrincipalOrgID` condition): `o-` and 10-32 lowercase letters or digits.")),
                ("max_session_duration", attr(number(), OptionalComputed, "Longest session of the role, 3600-43200 seconds; default 3600.")),
            ],
            vec![],
        )
    }

    fn common(s: &mut Self::State) -> Common<'_> {
        super::kind::common_of!(
            s,
            Some(&mut s.external_id),
            Some(&mut s.max_session_duration)
        )
    }

    /// A whole account trusted without `external_id` or `principal_org_id`:
    /// any role of that account could assume this one, and AWS's
    /// confused-deputy guidance asks third parties for an external id.
    fn plan_warnings(c: &Self::State) -> Vec<Problem> {
        if !c.external_id.is_null() || !c.principal_org_id.is_null() {
            return Vec::new();
        }
        known_list(&c.trusted_principals)
            .unwrap_or_default()
            .iter()
            .enumerate()
            .filter(|(_, p)| arn::is_account(p))
            .map(|(i, account)| {
                Problem::new(
                    AttributePath::new("trusted_principals").index(i as i64),
                    "a whole account is trusted without external_id or principal_org_id",
                    format!(
                        "Every role and user of account {account} that its administrators allow \
                         could assume this role and invoke the functions. Name the caller's role \
                         ARN instead, or set external_id (the secret a third party presents, as \
                         AWS's confused-deputy guidance asks) or principal_org_id."
                    ),
                )
            })
            .collect()
    }

    fn validate(c: &Self::State) -> Vec<Problem> {
        let mut problems = Vec::new();
        let p = &mut problems;
        empty(p, "function_arns", &c.function_arns, "Lambda function ARN");
        check_each(p, "function_arns", &c.function_arns, |t| {
            arn::lambda_function(t).map(|_| ())
        });
        empty(
            p,
            "trusted_principals",
            &c.trusted_principals,
            "account id or IAM role or user ARN",
        );
        check_each(p, "trusted_principals", &c.trusted_principals, principal);
        if let Some(Err(why)) = known(&c.external_id).map(names::sts_external_id) {
            problems.push(Problem::at("external_id", "invalid external_id", why));
        }
        if let Some(Err(why)) = known(&c.principal_org_id).map(names::organization_id) {
            problems.push(Problem::at(
                "principal_org_id",
                "invalid principal_org_id",
                why,
            ));
        }
        if let Value::Value(seconds) = c.max_session_duration {
            if !SESSION_SECONDS.contains(&seconds) {
                problems.push(Problem::at(
                    "max_session_duration",
                    "invalid max_session_duration",
                    format!("{seconds} seconds: IAM allows 3600 (1 hour) to 43200 (12 hours)."),
                ));
            }
        }
        problems
    }

    /// A principal of the provider's own account is refused: this role is
    /// for other accounts, and within one account an identity policy grants
    /// the same without a role to assume (trusting the own account's root
    /// would also hand the role to every principal that may assume roles).
    fn plan_problems(config: &Self::State, ctx: &PlanContext) -> Vec<Problem> {
        let (Some(account), Value::Value(items)) =
            (ctx.account_id.as_deref(), &config.trusted_principals)
        else {
            return Vec::new();
        };
        items
            .iter()
            .enumerate()
            .filter_map(|(index, item)| Some((index, known(item)?)))
            .filter(|(_, p)| principal(p).is_ok() && account_of(p) == account)
            .map(|(index, p)| {
                Problem::new(
                    AttributePath::new("trusted_principals").index(index as i64),
                    "principal of the provider's own account",
                    format!(
                        "{p:?} is in account {account}, where this role is created: a cross-account \
                         invoker role trusts other accounts only. Grant a principal of this account \
                         lambda:InvokeFunction with an identity policy (or \
                         lambdawire_lambda_invoke_permission) instead."
                    ),
                )
            })
            .collect()
    }

    fn policy(s: &Self::State, _ctx: &PlanContext) -> Str {
        match known_list(&s.function_arns) {
            Some(f) => {
                let f: Vec<&str> = f.iter().map(String::as_str).collect();
                Value::Value(cross_account_invoke_policy(&f))
            }
            None => Value::Unknown,
        }
    }

    fn trust(s: &Self::State, ctx: &PlanContext) -> Str {
        let optional = |v: &Str| match v {
            Value::Unknown => None,
            Value::Null => Some(None),
            Value::Value(t) => Some(Some(t.clone())),
        };
        let (Some(partition), Some(principals), Some(external_id), Some(principal_org_id)) = (
            ctx.partition.as_deref(),
            known_list(&s.trusted_principals),
            optional(&s.external_id),
            optional(&s.principal_org_id),
        ) else {
            return Value::Unknown;
        };
        let principals: Vec<&str> = principals.iter().map(String::as_str).collect();
        Value::Value(cross_account_trust_policy(&CrossAccountTrust {
            partition,
            principals: &principals,
            external_id: external_id.as_deref(),
            principal_org_id: principal_org_id.as_deref(),
        }))
    }

    fn plan_targets(s: &Self::State) -> PlanTargets {
        PlanTargets {
            functions: listed_functions("function_arns", &s.function_arns),
            schedule_group: None,
        }
    }

    fn description(s: &Self::State) -> String {
        let count = |l: &StrList| known_list(l).map_or(0, |f| f.len());
        format!(
            "Assumed by {} principal(s) of other accounts to invoke {} Lambda function(s)",
            count(&s.trusted_principals),
            count(&s.function_arns)
        )
    }

    /// The arguments in the role's policies. The external id is read back
    /// with every read (see [`Common::external_id`]), not here.
    fn import(mut s: Self::State, trust: &str, policy: &str) -> Self::State {
        s.function_arns = str_list(
            PolicyDocument::parse(policy)
                .iter()
                .flat_map(|d| d.statements.iter())
                .filter(|st| st.sid.as_deref() == Some(sid::INVOKE_TARGET_FUNCTION))
                .flat_map(|st| st.resource.iter())
                .filter(|r| !r.ends_with(":*"))
                .cloned(),
        );
        let Ok(doc) = PolicyDocument::parse(trust) else {
            return s;
        };
        let principals = doc
            .statements
            .iter()
            .filter_map(|st| match &st.principal {
                Some(Principal::Typed(types)) => types.get("AWS"),
                _ => None,
            })
            .flatten()
            .map(|p| match arn::parse(p) {
                // The root form is what an account id was written as.
                Ok(a) if a.service == "iam" && a.resource == "root" => a.account.to_string(),
                _ => p.clone(),
            });
        s.trusted_principals = str_list(principals);
        s.principal_org_id = crate::plugin::opt(doc.statements.iter().find_map(|st| {
            st.condition.values().find_map(|keys| {
                keys.iter()
                    .find(|(k, _)| k.eq_ignore_ascii_case("aws:PrincipalOrgID"))
                    .and_then(|(_, v)| v.first().cloned())
            })
        }));
        s
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::resources::role_resource::plan::plan;
    use crate::resources::testing::ctx;

    const F: &str = "arn:aws:lambda:us-east-1:123456789012:function:auth";
    const PARTNER_ROLE: &str = "arn:aws:iam::987654321098:role/CallerRole";
    const SECRET: &str = "partner-secret-42";

    fn config() -> CrossAccountRoleState {
        CrossAccountRoleState {
            function_arns: str_list([F.to_string()]),
            trusted_principals: str_list([PARTNER_ROLE.to_string(), "555555555555".to_string()]),
            external_id: Value::Value(SECRET.into()),
            principal_org_id: Value::Value("o-a1b2c3d4e5".into()),
            ..Default::default()
        }
    }

    #[test]
    fn a_whole_account_without_external_id_or_org_is_a_warning_on_that_principal() {
        let warned = |external_id: Str, org: Str| {
            let c = CrossAccountRoleState {
                external_id,
                principal_org_id: org,
                ..config()
            };
            CrossAccountInvokerRole::plan_warnings(&c)
                .iter()
                .map(Problem::path_text)
                .collect::<Vec<_>>()
        };
        assert_eq!(
            warned(Value::Null, Value::Null),
            ["trusted_principals[1]"],
            "the account id, not the role ARN"
        );
        assert!(warned(Value::Value(SECRET.into()), Value::Null).is_empty());
        assert!(warned(Value::Null, Value::Value("o-a1b2c3d4e5".into())).is_empty());
        assert!(
            warned(Value::Unknown, Value::Null).is_empty(),
            "unknown may be set"
        );
        assert!(
            CrossAccountInvokerRole::validate(&CrossAccountRoleState {
                external_id: Value::Null,
                principal_org_id: Value::Null,
                ..config()
            })
            .is_empty(),
            "a warning, not an error"
        );
    }

    fn paths(c: &CrossAccountRoleState) -> Vec<String> {
        CrossAccountInvokerRole::validate(c)
            .iter()
            .map(Problem::path_text)
            .collect()
    }

    #[test]
    fn the_plan_shows_the_trust_with_the_external_id_redacted() {
        let c = config();
        let (planned, replace) = plan::<CrossAccountInvokerRole>(None, c.clone(), &c, &ctx());
        assert!(replace.is_empty());
        let shown = known(&planned.trust_policy_json).unwrap();
        assert!(!shown.contains(SECRET), "{shown}");
        assert!(
            shown.contains(r#""sts:ExternalId":"(sensitive)""#),
            "{shown}"
        );
        assert!(shown.contains("arn:aws:iam::555555555555:root"), "{shown}");
        assert_eq!(planned.max_session_duration, Value::Value(3600));
        let sent = known(&CrossAccountInvokerRole::trust(&planned, &ctx()))
            .unwrap()
            .to_string();
        assert!(sent.contains(SECRET), "IAM gets the id itself: {sent}");
        assert!(!format!("{planned:?}").contains(SECRET), "Debug hides it");
        let policy = known(&planned.policy_json).unwrap();
        assert_eq!(
            PolicyDocument::parse(policy).unwrap().statements[0].resource,
            [F.to_string(), format!("{F}:*")]
        );
    }

    #[test]
    fn import_recovers_the_arguments_from_the_policies() {
        let c = config();
        let (planned, _) = plan::<CrossAccountInvokerRole>(None, c.clone(), &c, &ctx());
        let trust = known(&CrossAccountInvokerRole::trust(&planned, &ctx()))
            .unwrap()
            .to_string();
        let imported = CrossAccountInvokerRole::import(
            CrossAccountRoleState::default(),
            &trust,
            known(&planned.policy_json).unwrap(),
        );
        assert_eq!(imported.function_arns, c.function_arns);
        assert_eq!(imported.trusted_principals, c.trusted_principals);
        assert_eq!(imported.principal_org_id, c.principal_org_id);
    }

    #[test]
    fn a_null_session_duration_plans_the_default_over_a_drifted_prior() {
        let c = CrossAccountRoleState {
            external_id: Value::Null,
            ..config()
        };
        let (mut prior, _) = plan::<CrossAccountInvokerRole>(None, c.clone(), &c, &ctx());
        prior.max_session_duration = Value::Value(7200);
        // Terraform proposes the prior value of an optional+computed null.
        let proposed = CrossAccountRoleState {
            max_session_duration: Value::Value(7200),
            ..c.clone()
        };
        let (planned, replace) =
            plan::<CrossAccountInvokerRole>(Some(&prior), proposed, &c, &ctx());
        assert!(replace.is_empty());
        assert_eq!(planned.max_session_duration, Value::Value(3600));
    }

    #[test]
    fn bad_inputs_are_refused_at_their_element() {
        type Set = fn(&mut CrossAccountRoleState);
        let cases: [(Set, &str); 16] = [
            (|c| c.function_arns = str_list([]), "function_arns"),
            (
                |c| {
                    c.function_arns =
                        str_list(["arn:aws:lambda:us-east-1:123456789012:function:*".into()])
                },
                "function_arns[0]",
            ),
            (
                |c| c.trusted_principals = str_list([]),
                "trusted_principals",
            ),
            (
                |c| c.trusted_principals = str_list(["*".into()]),
                "trusted_principals[0]",
            ),
            (
                |c| {
                    c.trusted_principals = str_list([
                        PARTNER_ROLE.into(),
                        "arn:aws:iam::987654321098:role/*".into(),
                    ])
                },
                "trusted_principals[1]",
            ),
            (
                |c| c.trusted_principals = str_list(["arn:aws:iam::98765432109?:root".into()]),
                "trusted_principals[0]",
            ),
            (
                |c| c.trusted_principals = str_list(["arn:aws:iam::987654321098:root".into()]),
                "trusted_principals[0]",
            ),
            (
                |c| c.trusted_principals = str_list(["98765432109".into()]),
                "trusted_principals[0]",
            ),
            (
                |c| {
                    c.trusted_principals = str_list(["arn:aws:iam::987654321098:group/devs".into()])
                },
                "trusted_principals[0]",
            ),
            (
                |c| {
                    c.trusted_principals =
                        str_list(["arn:aws:sts::987654321098:assumed-role/r/s".into()])
                },
                "trusted_principals[0]",
            ),
            (|c| c.external_id = Value::Value("x".into()), "external_id"),
            (
                |c| c.external_id = Value::Value("a".repeat(1225)),
                "external_id",
            ),
            (
                |c| c.external_id = Value::Value("has space".into()),
                "external_id",
            ),
            (
                |c| c.principal_org_id = Value::Value("o-short".into()),
                "principal_org_id",
            ),
            (
                |c| c.max_session_duration = Value::Value(3599),
                "max_session_duration",
            ),
            (
                |c| c.max_session_duration = Value::Value(43201),
                "max_session_duration",
            ),
        ];
        for (set, path) in cases {
            let mut c = config();
            set(&mut c);
            assert_eq!(paths(&c), [path], "{c:?}");
        }
        let problems = CrossAccountInvokerRole::validate(&CrossAccountRoleState {
            external_id: Value::Value("secret value".into()),
            ..config()
        });
        assert!(
            !problems[0].detail.contains("secret"),
            "the external id is never quoted: {problems:?}"
        );
    }

    #[test]
    fn good_inputs_pass_and_unknowns_are_skipped() {
        let c = CrossAccountRoleState {
            trusted_principals: Value::Value(vec![
                Value::Value("arn:aws:iam::987654321098:user/ops/alice".into()),
                Value::Value("arn:aws:iam::987654321098:role/service-role/Caller".into()),
                Value::Unknown,
            ]),
            external_id: Value::Value("a+=,.@:/-_Z9".into()),
            max_session_duration: Value::Value(43200),
            ..config()
        };
        assert_eq!(paths(&c), Vec::<String>::new());
        let unknown = CrossAccountRoleState {
            external_id: Value::Unknown,
            ..config()
        };
        assert!(CrossAccountInvokerRole::trust(&unknown, &ctx()).is_unknown());
    }

    #[test]
    fn principals_of_the_own_account_are_refused_at_plan() {
        let c = CrossAccountRoleState {
            trusted_principals: str_list([
                PARTNER_ROLE.to_string(),
                "123456789012".to_string(),
                "arn:aws:iam::123456789012:user/bob".to_string(),
            ]),
            ..config()
        };
        let paths: Vec<String> = CrossAccountInvokerRole::plan_problems(&c, &ctx())
            .iter()
            .map(Problem::path_text)
            .collect();
        assert_eq!(paths, ["trusted_principals[1]", "trusted_principals[2]"]);
        let unknown_account = PlanContext {
            account_id: None,
            ..ctx()
        };
        assert!(CrossAccountInvokerRole::plan_problems(&c, &unknown_account).is_empty());
    }
}
