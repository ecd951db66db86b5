//! An IAM role with one inline policy that a resource owns: converge it to
//! what was planned (create, or adopt when provably ours, then fix trust,
//! boundary, tags and policy), read it back for drift, delete it whole.
//! Shared by the invoker and the role resources.

use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;

use crate::aws::iam::{self, FoundRole, RemoteRole, RoleSpec};
use crate::aws::{AwsClients, AwsError, ErrorKind};
use crate::plugin::diag::{in_block, AttributePath};
use crate::plugin::{
    known, known_map, opt, prior_if_equivalent, str_value, Block, Problem, Str, StrMap, Value,
};
use crate::policy::equivalence::equivalent;
use crate::validate::arn;
use crate::validate::names;

use super::steps::{step, StepError};

/// The `role { ... }` block every role-bearing resource shares.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
#[serde(default)]
pub struct RoleSettings {
    pub name: Str,
    pub name_prefix: Str,
    pub path: Str,
    pub permissions_boundary: Str,
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

/// The role as planned, with the tag that proves it is this resource's own.
pub struct RoleTarget {
    pub spec: RoleSpec,
    pub owner_tag: &'static str,
    pub policy_name: &'static str,
    pub policy: String,
}

impl RoleTarget {
    /// Build from the `role { ... }` settings block, the provider's default
    /// tags, and the resource's own identity (`owner`).
    #[allow(clippy::too_many_arguments)]
    pub fn new(
        c: &AwsClients,
        settings: Option<&RoleSettings>,
        name: &str,
        trust_policy: &str,
        description: String,
        owner: (&'static str, String),
        policy_name: &'static str,
        policy: &str,
    ) -> RoleTarget {
        // Apply runs with every tag known.
        let mut tags =
            role_tags(&c.default_tags, settings).unwrap_or_else(|| c.default_tags.clone());
        tags.insert(owner.0.to_string(), owner.1);
        RoleTarget {
            spec: RoleSpec {
                name: name.to_string(),
                path: known(&role_path(settings)).unwrap_or("/").to_string(),
                trust_policy: trust_policy.to_string(),
                permissions_boundary: settings
                    .and_then(|r| known(&r.permissions_boundary))
                    .map(str::to_string),
                tags,
                description,
                max_session_duration: None,
            },
            owner_tag: owner.0,
            policy_name,
            policy: policy.to_string(),
        }
    }
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

fn not_ours(role: &str, tag: &str, holder: Option<&str>) -> AwsError {
    AwsError {
        operation: "CreateRole",
        code: "EntityAlreadyExists".into(),
        message: format!(
            "role {role} already exists and is not this resource's (its {tag} tag is {}): set role.name \
             to another name, or use the existing role (existing_role_arn on an invoker, terraform \
             import for a role resource)",
            holder.map_or("absent".to_string(), |h| format!("{h:?}"))
        ),
        request_id: None,
        kind: ErrorKind::AlreadyExists,
    }
}

/// Whether the state already records the role as this resource's own.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Recorded {
    /// It does (an imported role may lack the owner tag).
    Yes,
    /// It does not: a role that exists is adopted only when it carries this
    /// resource's owner tag *and* is not part of a complete object (the
    /// owner tag is derived from names, so another configuration that picks
    /// the same names writes the same tag).
    No,
}

/// Make the role exactly as planned. Returns whether this call created it
/// (or adopted the leftover of an interrupted create), so a later failure
/// rolls it back. `in_use` is asked only about an existing, unrecorded role
/// that carries the owner tag: `Err` is the "already exists" error to report
/// when the role belongs to a complete object, `Ok` means it is a leftover.
pub async fn converge<F, Fut>(
    c: &AwsClients,
    t: &RoleTarget,
    recorded: Recorded,
    in_use: F,
) -> (bool, Result<(), StepError>)
where
    F: FnOnce() -> Fut,
    Fut: std::future::Future<Output = Result<(), AwsError>>,
{
    let spec = &t.spec;
    let label = format!("IAM Role ({})", spec.name);
    let creating = |e| step(format!("creating {label}"))(e);
    // A role the state records is read first; a new one is created first,
    // so the common create makes no call that is expected to fail.
    let found = match recorded {
        Recorded::Yes => match iam::find_role_with_session(c, &spec.name).await {
            Ok(found) => found,
            Err(e) => return (false, Err(step(format!("reading {label}"))(e))),
        },
        Recorded::No => None,
    };
    let existing = match found {
        Some(role) => role,
        None => match iam::create_role(c, spec).await {
            Ok(Some(_)) => return (true, put_policy(c, t, None).await),
            // Taken between our read and create, or a create whose answer
            // was lost and which the SDK sent again: look again, and decide
            // as for a role that was there before.
            Ok(None) => match iam::find_role_with_session(c, &spec.name).await {
                Ok(Some(role)) => role,
                Ok(None) => return (false, Err(creating(vanished(&spec.name)))),
                Err(e) => return (false, Err(step(format!("reading {label}"))(e))),
            },
            Err(e) => return (false, Err(creating(e))),
        },
    };
    let mut adopted = false;
    if recorded == Recorded::No {
        let holder = existing.role.tags.get(t.owner_tag).map(String::as_str);
        if holder != spec.tags.get(t.owner_tag).map(String::as_str) {
            return (
                false,
                Err(creating(not_ours(&spec.name, t.owner_tag, holder))),
            );
        }
        if let Err(e) = in_use().await {
            return (false, Err(creating(e)));
        }
        // A leftover of this resource's own interrupted (or answer-lost)
        // create: from here on it is this call's, rollback included.
        adopted = true;
    }
    if let Err(e) = fix_existing(c, &existing, spec).await {
        return (adopted, Err(step(format!("updating {label}"))(e)));
    }
    let current = match iam::find_role_policy(c, &spec.name, t.policy_name).await {
        Ok(current) => current,
        Err(e) => {
            return (
                adopted,
                Err(step(format!("reading the inline policy of {label}"))(e)),
            )
        }
    };
    (adopted, put_policy(c, t, current.as_deref()).await)
}

/// The role disappeared between "already exists" and the look that followed.
fn vanished(role: &str) -> AwsError {
    AwsError {
        operation: "CreateRole",
        code: "EntityAlreadyExists".into(),
        message: format!(
            "IAM reported role {role} as existing, then as missing (deleted meanwhile by \
             something else): apply again"
        ),
        request_id: None,
        kind: ErrorKind::Conflict,
    }
}

/// Put the inline policy unless IAM already holds an equivalent one
/// (`current`; a role this call created has none, so no read is needed).
async fn put_policy(
    c: &AwsClients,
    t: &RoleTarget,
    current: Option<&str>,
) -> Result<(), StepError> {
    let name = &t.spec.name;
    if current.is_some_and(|doc| equivalent(doc, &t.policy)) {
        return Ok(());
    }
    iam::put_role_policy(c, name, t.policy_name, &t.policy)
        .await
        .map_err(step(format!(
            "putting inline policy {} on IAM Role ({name})",
            t.policy_name
        )))
}

async fn fix_existing(c: &AwsClients, found: &FoundRole, spec: &RoleSpec) -> Result<(), AwsError> {
    let role = &found.role;
    if !equivalent(&role.trust_policy, &spec.trust_policy) {
        iam::update_trust_policy(c, &spec.name, &spec.trust_policy).await?;
    }
    if role.permissions_boundary != spec.permissions_boundary {
        iam::set_permissions_boundary(c, &spec.name, spec.permissions_boundary.as_deref()).await?;
    }
    if let Some(seconds) = spec
        .max_session_duration
        .filter(|s| *s != found.max_session_duration)
    {
        iam::update_max_session_duration(c, spec, seconds).await?;
    }
    iam::sync_tags(c, &spec.name, &role.tags, &spec.tags).await
}

/// The role and its inline policy as IAM has them (both `None` when gone).
pub async fn read(
    c: &AwsClients,
    name: &str,
    policy_name: &str,
) -> Result<(Option<FoundRole>, Option<String>), StepError> {
    let (role, policy) = tokio::join!(
        iam::find_role_with_session(c, name),
        iam::find_role_policy(c, name, policy_name)
    );
    let role = role.map_err(step(format!("reading IAM Role ({name})")))?;
    let policy = policy.map_err(step(format!("reading inline policy of IAM Role ({name})")))?;
    Ok((role, policy))
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
