//! Whether a role that no state records is provably this resource's own,
//! and the session cut-off an adopted role's policy carries. Pure.
//!
//! The owner tag alone proves nothing: it is derived from names that the
//! plan shows, and anyone with `iam:TagRole` can write it. A role is adopted
//! only when it is exactly what this resource's create would have left
//! (SPEC, "Ownership (every resource)"); adopting it then changes nothing
//! that grants or bounds a permission.

use serde_json::{json, Value as Json};

use crate::aws::iam::{FoundRole, RolePolicies, RoleSpec, DEFAULT_SESSION_SECONDS};
use crate::policy::equivalence::equivalent;

/// What IAM holds of a role, beyond GetRole's answer, that decides whether
/// it is provably this resource's own.
pub struct Evidence<'a> {
    /// GetRole's answer.
    pub found: &'a FoundRole,
    /// The role's inline and attached policies.
    pub policies: &'a RolePolicies,
    /// The content of this resource's own inline policy, when the role has
    /// one under that name.
    pub own_policy: Option<&'a str>,
}

/// Why an unrecorded role is not the leftover of this resource's create,
/// one reason per difference; empty when it is. The create leaves the owner
/// tag, the planned trust, path, boundary, description, session limit and
/// tags, no managed policy, and at most its own inline policy with exactly
/// the planned content; and nothing has used the role yet.
pub fn leftover_problems(
    spec: &RoleSpec,
    owner_tag: &str,
    policy_name: &str,
    policy: &str,
    ev: &Evidence,
) -> Vec<String> {
    let role = &ev.found.role;
    let mut problems = structural_problems(owner_tag, spec.tags.get(owner_tag), policy_name, ev);
    if !equivalent(&role.trust_policy, &spec.trust_policy) {
        problems.push("its trust policy is not the planned one".into());
    }
    if role.path != spec.path {
        problems.push(format!("its path is {:?}, not {:?}", role.path, spec.path));
    }
    if role.permissions_boundary != spec.permissions_boundary {
        problems.push(format!(
            "its permissions boundary is {}, not {}",
            shown(role.permissions_boundary.as_deref()),
            shown(spec.permissions_boundary.as_deref())
        ));
    }
    if ev.found.description != spec.description {
        problems.push("its description is not the planned one".into());
    }
    let seconds = spec.max_session_duration.unwrap_or(DEFAULT_SESSION_SECONDS);
    if ev.found.max_session_duration != seconds {
        problems.push(format!(
            "its maximum session duration is {} s, not {seconds} s",
            ev.found.max_session_duration
        ));
    }
    if role.tags != spec.tags {
        problems.push("its tags are not the planned ones".into());
    }
    if ev.own_policy.is_some_and(|p| !equivalent(p, policy)) {
        problems.push(format!(
            "its inline policy {policy_name} is not the planned one"
        ));
    }
    if ev.found.used {
        problems.push("it has been used (RoleLastUsed is set)".into());
    }
    problems
}

/// Why a role cannot be imported as this resource: the state would not show
/// everything that grants a permission. The owner tag must be this
/// resource's, and no policy but its own may be on the role.
pub fn import_problems(
    owner_tag: &str,
    owner_value: &str,
    policy_name: &str,
    ev: &Evidence,
) -> Vec<String> {
    let owner = owner_value.to_string();
    structural_problems(owner_tag, Some(&owner), policy_name, ev)
}

/// The owner tag, no attached managed policy, no inline policy but ours.
fn structural_problems(
    owner_tag: &str,
    owner_value: Option<&String>,
    policy_name: &str,
    ev: &Evidence,
) -> Vec<String> {
    let mut problems = Vec::new();
    let holder = ev.found.role.tags.get(owner_tag);
    if holder != owner_value {
        problems.push(format!(
            "its {owner_tag} tag is {}",
            shown(holder.map(String::as_str))
        ));
    }
    if !ev.policies.attached.is_empty() {
        problems.push(format!(
            "managed policies are attached to it ({})",
            ev.policies.attached.join(", ")
        ));
    }
    let others: Vec<&str> = ev
        .policies
        .inline
        .iter()
        .map(String::as_str)
        .filter(|n| *n != policy_name)
        .collect();
    if !others.is_empty() {
        problems.push(format!(
            "it has other inline policies ({})",
            others.join(", ")
        ));
    }
    problems
}

fn shown(v: Option<&str>) -> String {
    v.map_or("absent".to_string(), |v| format!("{v:?}"))
}

/// The statement id of the session cut-off in an adopted role's policy.
pub const SESSION_CUTOFF_SID: &str = "LambdawireDenySessionsBeforeAdoption";

/// `policy` with a statement that denies every action to sessions issued
/// before `cutoff` (RFC 3339, UTC): credentials handed out for the role
/// before this provider adopted it get nothing. This is the statement the
/// IAM console's "Revoke active sessions" writes, keyed on
/// `aws:TokenIssueTime`.
pub fn with_session_cutoff(policy: &str, cutoff: &str) -> String {
    let statement = json!({
        "Sid": SESSION_CUTOFF_SID,
        "Effect": "Deny",
        "Action": "*",
        "Resource": "*",
        "Condition": {"DateLessThan": {"aws:TokenIssueTime": cutoff}},
    });
    edit_statements(policy, |list| {
        list.retain(|s| !is_cutoff(s));
        list.push(statement);
    })
}

/// `policy` without the session cut-off: what the resource's policy
/// attributes show and compare, since the cut-off is not configuration.
pub fn without_session_cutoff(policy: &str) -> String {
    if !policy.contains(SESSION_CUTOFF_SID) {
        return policy.to_string();
    }
    edit_statements(policy, |list| list.retain(|s| !is_cutoff(s)))
}

/// The policy to write: `desired`, keeping the cut-off that `current` (what
/// IAM holds) carries, so an update never hands old sessions their access
/// back.
pub fn carry_session_cutoff(current: Option<&str>, desired: &str) -> String {
    match current.and_then(cutoff_of) {
        Some(cutoff) => with_session_cutoff(desired, &cutoff),
        None => desired.to_string(),
    }
}

fn cutoff_of(policy: &str) -> Option<String> {
    let doc: Json = serde_json::from_str(policy).ok()?;
    let list = match &doc["Statement"] {
        Json::Array(list) => list.clone(),
        one => vec![one.clone()],
    };
    list.iter().find(|s| is_cutoff(s)).and_then(|s| {
        s["Condition"]["DateLessThan"]["aws:TokenIssueTime"]
            .as_str()
            .map(str::to_string)
    })
}

fn is_cutoff(statement: &Json) -> bool {
    statement["Sid"].as_str() == Some(SESSION_CUTOFF_SID)
}

/// Edit the statement list of a policy document; a text that is not a JSON
/// object is returned as it is (IAM would refuse it anyway).
fn edit_statements(policy: &str, edit: impl FnOnce(&mut Vec<Json>)) -> String {
    let Ok(Json::Object(mut doc)) = serde_json::from_str::<Json>(policy) else {
        return policy.to_string();
    };
    let mut list = match doc.remove("Statement") {
        Some(Json::Array(list)) => list,
        Some(one) => vec![one],
        None => Vec::new(),
    };
    edit(&mut list);
    doc.insert("Statement".into(), Json::Array(list));
    Json::Object(doc).to_string()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::aws::iam::RemoteRole;
    use std::collections::BTreeMap;

    const TRUST: &str = r#"{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Principal":{"Service":"scheduler.amazonaws.com"},"Action":"sts:AssumeRole"}]}"#;
    const POLICY: &str = r#"{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"lambda:InvokeFunction","Resource":"arn:aws:lambda:us-east-1:123456789012:function:f"}]}"#;

    fn spec() -> RoleSpec {
        RoleSpec {
            name: "r".into(),
            path: "/".into(),
            trust_policy: TRUST.into(),
            permissions_boundary: None,
            tags: BTreeMap::from([("lambdawire:owner".to_string(), "x".to_string())]),
            description: "d".into(),
            max_session_duration: None,
        }
    }

    /// The role exactly as `spec()`'s create leaves it.
    fn found() -> FoundRole {
        let s = spec();
        FoundRole {
            role: RemoteRole {
                arn: "arn:aws:iam::123456789012:role/r".into(),
                name: s.name,
                path: s.path,
                trust_policy: s.trust_policy,
                permissions_boundary: None,
                tags: s.tags,
            },
            max_session_duration: DEFAULT_SESSION_SECONDS,
            description: s.description,
            used: false,
        }
    }

    fn none() -> RolePolicies {
        RolePolicies {
            inline: vec![],
            attached: vec![],
        }
    }

    fn problems(found: &FoundRole, policies: &RolePolicies, own: Option<&str>) -> Vec<String> {
        let ev = Evidence {
            found,
            policies,
            own_policy: own,
        };
        leftover_problems(&spec(), "lambdawire:owner", "p", POLICY, &ev)
    }

    #[test]
    fn an_exact_leftover_is_proven_with_or_without_its_own_policy() {
        assert!(problems(&found(), &none(), None).is_empty());
        let own = RolePolicies {
            inline: vec!["p".into()],
            attached: vec![],
        };
        assert!(problems(&found(), &own, Some(POLICY)).is_empty());
    }

    #[test]
    fn the_forged_leftover_of_the_review_fails_on_every_count() {
        let mut f = found();
        f.role.permissions_boundary = Some("arn:aws:iam::aws:policy/PowerUserAccess".into());
        f.max_session_duration = 43_200;
        let attached = RolePolicies {
            inline: vec![],
            attached: vec!["arn:aws:iam::aws:policy/AdministratorAccess".into()],
        };
        let got = problems(&f, &attached, None);
        assert_eq!(got.len(), 3, "{got:?}");
        assert!(got[0].contains("AdministratorAccess"));
        assert!(got[1].contains("permissions boundary"));
        assert!(got[2].contains("43200"));
    }

    #[test]
    fn each_difference_is_named() {
        type Change = Box<dyn Fn(&mut FoundRole)>;
        let cases: Vec<(&str, Change)> = vec![
            (
                "lambdawire:owner tag",
                Box::new(|f| {
                    f.role.tags.insert("lambdawire:owner".into(), "y".into());
                }),
            ),
            (
                "trust policy",
                Box::new(|f| f.role.trust_policy = POLICY.into()),
            ),
            ("path", Box::new(|f| f.role.path = "/x/".into())),
            ("description", Box::new(|f| f.description = "other".into())),
            (
                "tags",
                Box::new(|f| {
                    f.role.tags.insert("team".into(), "a".into());
                }),
            ),
            ("used", Box::new(|f| f.used = true)),
        ];
        for (word, change) in cases {
            let mut f = found();
            change(&mut f);
            let got = problems(&f, &none(), None);
            assert!(got.iter().any(|p| p.contains(word)), "{word}: {got:?}");
        }
    }

    #[test]
    fn another_inline_policy_or_other_content_in_ours_is_refused() {
        let other = RolePolicies {
            inline: vec!["p".into(), "admin".into()],
            attached: vec![],
        };
        let got = problems(&found(), &other, Some(POLICY));
        assert_eq!(
            got,
            vec!["it has other inline policies (admin)".to_string()]
        );
        let own = RolePolicies {
            inline: vec!["p".into()],
            attached: vec![],
        };
        let wide = POLICY.replace("function:f", "function:*");
        let got = problems(&found(), &own, Some(&wide));
        assert_eq!(
            got,
            vec!["its inline policy p is not the planned one".to_string()]
        );
    }

    #[test]
    fn import_needs_the_owner_tag_and_no_hidden_policy() {
        let f = found();
        let empty = none();
        let ev = |p| Evidence {
            found: &f,
            policies: p,
            own_policy: None,
        };
        assert!(import_problems("lambdawire:owner", "x", "p", &ev(&empty)).is_empty());
        assert_eq!(
            import_problems("lambdawire:owner", "z", "p", &ev(&empty)).len(),
            1
        );
        let attached = RolePolicies {
            inline: vec!["p".into()],
            attached: vec!["arn:aws:iam::aws:policy/AdministratorAccess".into()],
        };
        assert_eq!(
            import_problems("lambdawire:owner", "x", "p", &ev(&attached)).len(),
            1
        );
    }

    #[test]
    fn the_cutoff_is_added_once_carried_over_and_hidden() {
        let cut = with_session_cutoff(POLICY, "2026-12-07T00:00:00Z");
        assert!(!equivalent(&cut, POLICY));
        assert_eq!(with_session_cutoff(&cut, "2026-12-07T00:00:00Z"), cut);
        assert!(equivalent(&without_session_cutoff(&cut), POLICY));
        assert_eq!(without_session_cutoff(POLICY), POLICY);
        let updated = POLICY.replace("function:f", "function:g");
        let carried = carry_session_cutoff(Some(&cut), &updated);
        assert!(carried.contains("2026-12-07T00:00:00Z") && carried.contains("function:g"));
        assert_eq!(carry_session_cutoff(Some(POLICY), &updated), updated);
        assert_eq!(carry_session_cutoff(None, &updated), updated);
        let doc: Json = serde_json::from_str(&cut).unwrap();
        let deny = &doc["Statement"][1];
        assert_eq!(deny["Effect"], "Deny");
        assert_eq!(deny["Action"], "*");
        assert_eq!(
            deny["Condition"]["DateLessThan"]["aws:TokenIssueTime"],
            "2026-12-07T00:00:00Z"
        );
    }
}
