//! An IAM role with one inline policy that a resource owns: converge it to
//! what was planned (create, or adopt when provably ours, then fix trust,
//! boundary, tags and policy), read it back for drift, delete it whole.
//! Shared by the invoker and the role resources.

use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;

use crate::aws::iam::{self, RemoteRole, RoleSpec};
use crate::aws::{arn, AwsClients, AwsError, ErrorKind};
use crate::plugin::diag::in_block;
use crate::plugin::{known, known_map, Block, Problem, Str, StrMap};
use crate::policy::equivalence::equivalent;
use crate::validate::names;

use super::scheduled_lambda_invoker::plan::role_path;
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
    if !r.name.is_null() && !r.name_prefix.is_null() {
        problems.push(Problem::new(
            in_block("role", "name_prefix"),
            "conflicting role.name and role.name_prefix",
            "Set name for a fixed role name, name_prefix for a generated one, or neither.",
        ));
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
        let mut tags: BTreeMap<String, String> = c.default_tags.clone();
        if let Some(own) = settings.and_then(|r| known_map(&r.tags)) {
            tags.extend(own);
        }
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
            },
            owner_tag: owner.0,
            policy_name,
            policy: policy.to_string(),
        }
    }
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

/// Make the role exactly as planned. Returns whether this call created it,
/// so a later failure can roll it back. `owned` says the state already
/// records the role as ours (an imported role may lack the owner tag).
pub async fn converge(
    c: &AwsClients,
    t: &RoleTarget,
    owned: bool,
) -> (bool, Result<(), StepError>) {
    let spec = &t.spec;
    let label = format!("IAM Role ({})", spec.name);
    let mut created = false;
    let existing = match iam::find_role(c, &spec.name).await {
        Ok(found) => found,
        Err(e) => return (false, Err(step(format!("reading {label}"))(e))),
    };
    let existing = match existing {
        Some(role) => Some(role),
        None => match iam::create_role(c, spec).await {
            Ok(Some(_)) => {
                created = true;
                None
            }
            // Taken between our read and create (or a lost response the SDK
            // retried): look again and decide by the owner tag.
            Ok(None) => match iam::find_role(c, &spec.name).await {
                Ok(found) => found,
                Err(e) => return (false, Err(step(format!("reading {label}"))(e))),
            },
            Err(e) => return (false, Err(step(format!("creating {label}"))(e))),
        },
    };
    if let Some(role) = existing {
        let holder = role.tags.get(t.owner_tag).map(String::as_str);
        if !owned && holder != spec.tags.get(t.owner_tag).map(String::as_str) {
            return (
                false,
                Err(step(format!("creating {label}"))(not_ours(
                    &spec.name,
                    t.owner_tag,
                    holder,
                ))),
            );
        }
        if let Err(e) = fix_existing(c, &role, spec).await {
            return (false, Err(step(format!("updating {label}"))(e)));
        }
    }
    let current = iam::find_role_policy(c, &spec.name, t.policy_name).await;
    let result = match current {
        Ok(Some(doc)) if equivalent(&doc, &t.policy) => Ok(()),
        Ok(_) => iam::put_role_policy(c, &spec.name, t.policy_name, &t.policy).await,
        Err(e) => Err(e),
    };
    (
        created,
        result.map_err(step(format!(
            "putting inline policy {} on {label}",
            t.policy_name
        ))),
    )
}

async fn fix_existing(c: &AwsClients, role: &RemoteRole, spec: &RoleSpec) -> Result<(), AwsError> {
    if !equivalent(&role.trust_policy, &spec.trust_policy) {
        iam::update_trust_policy(c, &spec.name, &spec.trust_policy).await?;
    }
    if role.permissions_boundary != spec.permissions_boundary {
        iam::set_permissions_boundary(c, &spec.name, spec.permissions_boundary.as_deref()).await?;
    }
    iam::sync_tags(c, &spec.name, &role.tags, &spec.tags).await
}

/// The role and its inline policy as IAM has them (both `None` when gone).
pub async fn read(
    c: &AwsClients,
    name: &str,
    policy_name: &str,
) -> Result<(Option<RemoteRole>, Option<String>), StepError> {
    let (role, policy) = tokio::join!(
        iam::find_role(c, name),
        iam::find_role_policy(c, name, policy_name)
    );
    let role = role.map_err(step(format!("reading IAM Role ({name})")))?;
    let policy = policy.map_err(step(format!("reading inline policy of IAM Role ({name})")))?;
    Ok((role, policy))
}

/// Keep the prior policy text when IAM holds an equivalent document.
pub fn policy_text(prior: &Str, remote: Option<&str>) -> Str {
    match (known(prior), remote) {
        (Some(p), Some(r)) if equivalent(p, r) => prior.clone(),
        (_, r) => crate::plugin::opt(r.map(str::to_string)),
    }
}
