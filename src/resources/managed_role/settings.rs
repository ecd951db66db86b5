//! The pure half of the managed role: the `role { ... }` block, its checks,
//! the tags a role carries and shows, the path, and how IAM's answer reads
//! back into state. No AWS call here; see [`super::apply`] for those.

use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;

use crate::aws::iam::RemoteRole;
use crate::plugin::diag::{in_block, AttributePath};
use crate::plugin::{
    known, known_map, opt, prior_if_equivalent, str_value, Block, Problem, Str, StrMap, Value,
};
use crate::policy::equivalence::equivalent;
use crate::validate::arn;
use crate::validate::names;

/// The `role { ... }` block every role-bearing resource shares.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
#[serde(default)]
pub struct RoleSettings {
    /// `role.name`: the role's exact name (conflicts with `name_prefix`).
    pub name: Str,
    /// `role.name_prefix`: a generated name starts with it.
    pub name_prefix: Str,
    /// `role.path`: the IAM path, `/` by default.
    pub path: Str,
    /// `role.permissions_boundary`: the ARN of the boundary policy.
    pub permissions_boundary: Str,
    /// `role.tags`: tags merged over the provider's `default_tags`.
    pub tags: StrMap,
}

/// Tag keys the provider keeps for itself: the ownership proofs
/// (`lambdawire:schedule`, `lambdawire:role`) that let a create adopt only
/// its own leftovers. Never the user's to set, never shown in `tags` or
/// `tags_all`: they are how the provider works, not settings.
pub const RESERVED_TAG_PREFIX: &str = "lambdawire:";

/// A check of one text value: what is wrong, or nothing.
type Rule = fn(&str) -> Result<(), String>;

/// Checks of the `role { ... }` block.
pub fn validate_role_block(role: &Block<RoleSettings>) -> Vec<Problem> {
    let mut problems = Vec::new();
    let Some(r) = role.single() else {
        return problems;
    };
    let rules: [(&'static str, &Str, Rule); 4] = [
        ("name", &r.name, names::iam_role_name),
        ("name_prefix", &r.name_prefix, names::iam_role_name_prefix),
        ("path", &r.path, names::iam_path),
        ("permissions_boundary", &r.permissions_boundary, |t| {
            arn::iam_policy(t).map(|_| ())
        }),
    ];
    for (attribute, value, rule) in rules {
        if let Some(Err(why)) = known(value).map(rule) {
            problems.push(Problem::new(
                in_block("role", attribute),
                format!("invalid role.{attribute}"),
                why,
            ));
        }
    }
    problems.extend(tag_problems(&in_block("role", "tags"), &r.tags));
    if !r.name.is_null() && !r.name_prefix.is_null() {
        problems.push(Problem::new(
            in_block("role", "name_prefix"),
            "conflicting role.name and role.name_prefix",
            "Set name for a fixed role name, name_prefix for a generated one, or neither.",
        ));
    }
    problems
}

/// Checks of a map of role tags at `path` (`role.tags`, the provider's
/// `default_tags`): IAM's key and value rules, and no key of the provider's
/// own ownership tags, which a configuration could otherwise forge.
pub fn tag_problems(path: &AttributePath, tags: &StrMap) -> Vec<Problem> {
    let mut problems = Vec::new();
    for (key, value) in tags.as_ref_option().into_iter().flatten() {
        let at = path.clone().key(key.clone());
        if key.starts_with(RESERVED_TAG_PREFIX) {
            problems.push(Problem::new(
                at,
                "reserved tag key",
                format!(
                    "{key:?}: keys starting with {RESERVED_TAG_PREFIX:?} are the provider's own \
                     (it marks the roles it owns with them); choose another key."
                ),
            ));
        } else if let Err(why) = names::tag_key(key) {
            problems.push(Problem::new(at, "invalid tag key", why));
        } else if let Some(Err(why)) = known(value).map(names::tag_value) {
            problems.push(Problem::new(at, "invalid tag value", why));
        }
    }
    problems
}

/// The tags a role carries besides its owner tag: the provider's default
/// tags, overridden by the block's own. `None` while the block's are unknown.
pub fn role_tags(
    default_tags: &BTreeMap<String, String>,
    settings: Option<&RoleSettings>,
) -> Option<BTreeMap<String, String>> {
    let mut tags = default_tags.clone();
    if let Some(r) = settings {
        tags.extend(known_map(&r.tags)?);
    }
    Some(tags)
}

/// Tags as a Terraform map, without the provider's own.
fn visible_tags<'a>(tags: impl IntoIterator<Item = (&'a String, &'a String)>) -> StrMap {
    Value::Value(
        tags.into_iter()
            .filter(|(k, _)| !k.starts_with(RESERVED_TAG_PREFIX))
            .map(|(k, v)| (k.clone(), Value::Value(v.clone())))
            .collect(),
    )
}

/// `tags_all` as planned: every tag the role will carry (see [`role_tags`]),
/// known as soon as the block's tags and the provider's `default_tags` are.
pub fn planned_tags_all(
    default_tags: Option<&BTreeMap<String, String>>,
    role: &Block<RoleSettings>,
) -> StrMap {
    if role.is_unknown() {
        return Value::Unknown;
    }
    match default_tags.and_then(|d| role_tags(d, role.single())) {
        Some(tags) => visible_tags(&tags),
        None => Value::Unknown,
    }
}

/// The `role { ... }` block and `tags_all` as IAM has them, over the prior
/// block: the boundary, the path (the prior text when it means the same,
/// null meaning `/`) and the tags. `tags` holds the role's tags that are not
/// the provider's `default_tags` (a default tag stays in `tags` when the
/// prior state has it there), so a default tag is not drift in `tags` while
/// any change to it still shows in `tags_all`. A block appears in the state
/// only when the prior had one or IAM holds something to show in it:
/// otherwise a configuration without the block would plan a change forever.
pub fn flatten_settings(
    prior: &Block<RoleSettings>,
    remote: &RemoteRole,
    default_tags: &BTreeMap<String, String>,
) -> (Block<RoleSettings>, StrMap) {
    let before = prior.single().cloned().unwrap_or_default();
    let configured = known_map(&before.tags).unwrap_or_default();
    let own: BTreeMap<&String, &String> = remote
        .tags
        .iter()
        .filter(|(k, _)| configured.contains_key(*k) || !default_tags.contains_key(*k))
        .collect();
    let tags = match visible_tags(own) {
        Value::Value(t) if t.is_empty() && configured.is_empty() => before.tags.clone(),
        shown => shown,
    };
    let path = if role_path(Some(&before)) == str_value(&remote.path) {
        before.path.clone()
    } else {
        str_value(&remote.path)
    };
    let after = RoleSettings {
        path,
        permissions_boundary: opt(remote.permissions_boundary.clone()),
        tags,
        ..before
    };
    let block = if prior.single().is_some() || after != RoleSettings::default() {
        Block::Items(vec![after])
    } else {
        Block::default()
    };
    (block, visible_tags(&remote.tags))
}

/// Keep the prior policy text when IAM holds an equivalent document.
pub fn policy_text(prior: &Str, remote: Option<&str>) -> Str {
    prior_if_equivalent(prior, remote.map(str::to_string), equivalent)
}

/// The path of a managed role when its `role` block sets none.
pub const DEFAULT_ROLE_PATH: &str = "/";

/// The path a role lives under (config value or `/`).
pub fn role_path(role: Option<&RoleSettings>) -> Str {
    match role {
        None => str_value(DEFAULT_ROLE_PATH),
        Some(r) => match &r.path {
            Value::Null => str_value(DEFAULT_ROLE_PATH),
            other => other.clone(),
        },
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const B: &str = "arn:aws:iam::aws:policy/PowerUserAccess";

    fn map(pairs: &[(&str, &str)]) -> BTreeMap<String, String> {
        pairs
            .iter()
            .map(|(k, v)| (k.to_string(), v.to_string()))
            .collect()
    }

    fn shown(pairs: &[(&str, &str)]) -> StrMap {
        Value::Value(
            pairs
                .iter()
                .map(|(k, v)| (k.to_string(), str_value(v)))
                .collect(),
        )
    }

    fn remote(tags: &[(&str, &str)], boundary: Option<&str>, path: &str) -> RemoteRole {
        RemoteRole {
            arn: format!("arn:aws:iam::123456789012:role{path}r"),
            name: "r".into(),
            path: path.into(),
            trust_policy: "{}".into(),
            permissions_boundary: boundary.map(str::to_string),
            tags: map(tags),
        }
    }

    fn block(settings: RoleSettings) -> Block<RoleSettings> {
        Block::of(Some(settings))
    }

    /// IAM refuses these tags at CreateRole, after the plan was accepted:
    /// quotes, newlines, an `aws:` key, over-long keys and values.
    #[test]
    fn tags_are_checked_at_plan_time() {
        let tags = shown(&[
            ("aws:owner", "x"),
            ("lambdawire:role", "forged"),
            ("ok", "fine value"),
            ("team", "ops\",\"owner\":\"x\n"),
            (&"k".repeat(129), "v"),
        ]);
        let problems = validate_role_block(&block(RoleSettings {
            tags,
            ..Default::default()
        }));
        let found: Vec<(String, &str)> = problems
            .iter()
            .map(|p| (p.path_text(), p.summary.as_str()))
            .collect();
        let key_path = format!("role[0].tags[\"{}\"]", "k".repeat(129));
        assert_eq!(
            found,
            [
                ("role[0].tags[\"aws:owner\"]".to_string(), "invalid tag key"),
                (key_path, "invalid tag key"),
                (
                    "role[0].tags[\"lambdawire:role\"]".to_string(),
                    "reserved tag key"
                ),
                ("role[0].tags[\"team\"]".to_string(), "invalid tag value"),
            ]
        );
    }

    const OWNER: (&str, &str) = ("lambdawire:schedule", "us-east-1/default/n");

    #[test]
    fn a_role_as_created_reads_back_as_no_block_and_hides_the_owner_tag() {
        let defaults = map(&[("env", "test")]);
        let (settings, all) = flatten_settings(
            &Block::default(),
            &remote(&[OWNER, ("env", "test")], None, "/"),
            &defaults,
        );
        assert_eq!(settings, Block::default());
        assert_eq!(all, shown(&[("env", "test")]));
    }

    #[test]
    fn boundary_tags_and_path_drift_show_in_the_block() {
        let defaults = map(&[("env", "test")]);
        let prior = block(RoleSettings {
            name: str_value("r"),
            permissions_boundary: str_value(B),
            tags: shown(&[("team", "a")]),
            ..Default::default()
        });
        let iam = remote(
            &[OWNER, ("team", "b"), ("extra", "x"), ("env", "changed")],
            None,
            "/moved/",
        );
        let (settings, all) = flatten_settings(&prior, &iam, &defaults);
        assert_eq!(
            settings,
            block(RoleSettings {
                name: str_value("r"),
                path: str_value("/moved/"),
                permissions_boundary: Value::Null,
                // A default tag is not the block's, even with another value:
                // that change shows in tags_all.
                tags: shown(&[("extra", "x"), ("team", "b")]),
                ..Default::default()
            })
        );
        assert_eq!(
            all,
            shown(&[("env", "changed"), ("extra", "x"), ("team", "b")])
        );
    }

    #[test]
    fn drift_on_a_role_without_a_block_adds_one() {
        let (settings, _) = flatten_settings(
            &Block::default(),
            &remote(&[OWNER], Some(B), "/"),
            &map(&[]),
        );
        assert_eq!(
            settings,
            block(RoleSettings {
                permissions_boundary: str_value(B),
                ..Default::default()
            })
        );
    }

    #[test]
    fn the_prior_text_is_kept_when_it_means_the_same() {
        let defaults = map(&[("env", "test")]);
        let prior = block(RoleSettings {
            path: str_value("/"),
            tags: Value::Value(BTreeMap::new()),
            ..Default::default()
        });
        let iam = remote(&[OWNER, ("env", "test")], None, "/");
        assert_eq!(flatten_settings(&prior, &iam, &defaults).0, prior);

        // A default tag the block also sets stays in the block.
        let both = block(RoleSettings {
            tags: shown(&[("env", "test")]),
            ..Default::default()
        });
        assert_eq!(flatten_settings(&both, &iam, &defaults).0, both);

        // Tags removed out of band read as an empty map, not as null.
        let gone = block(RoleSettings {
            tags: shown(&[("team", "a")]),
            ..Default::default()
        });
        let (settings, _) = flatten_settings(&gone, &iam, &defaults);
        assert_eq!(
            settings.single().map(|r| r.tags.clone()),
            Some(Value::Value(BTreeMap::new()))
        );
    }

    #[test]
    fn tags_all_is_known_once_the_tags_and_default_tags_are() {
        let defaults = map(&[("env", "test"), ("team", "default")]);
        let role = block(RoleSettings {
            tags: shown(&[("team", "a")]),
            ..Default::default()
        });
        assert_eq!(
            planned_tags_all(Some(&defaults), &role),
            shown(&[("env", "test"), ("team", "a")]),
            "the block's tags win over the defaults"
        );
        assert_eq!(
            planned_tags_all(Some(&defaults), &Block::default()),
            shown(&[("env", "test"), ("team", "default")])
        );
        assert_eq!(
            planned_tags_all(Some(&map(&[])), &Block::default()),
            shown(&[])
        );
        assert!(planned_tags_all(None, &role).is_unknown());
        assert!(planned_tags_all(Some(&defaults), &Block::Unknown).is_unknown());
        let unknown_value = block(RoleSettings {
            tags: Value::Value([("team".to_string(), Value::Unknown)].into()),
            ..Default::default()
        });
        assert!(planned_tags_all(Some(&defaults), &unknown_value).is_unknown());
        assert_eq!(
            planned_tags_all(Some(&map(&[("lambdawire:x", "y")])), &Block::default()),
            shown(&[]),
            "the provider's own keys are never shown"
        );
    }

    #[test]
    fn the_providers_own_tag_keys_are_refused() {
        let role = block(RoleSettings {
            tags: shown(&[("lambdawire:schedule", "x"), ("team", "a")]),
            ..Default::default()
        });
        let paths: Vec<String> = validate_role_block(&role)
            .iter()
            .map(Problem::path_text)
            .collect();
        assert_eq!(paths, ["role[0].tags[\"lambdawire:schedule\"]"]);
    }
}
