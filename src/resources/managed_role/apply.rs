//! The async half of the managed role: converge IAM to the planned role
//! (create, or adopt when provably ours, then fix trust, boundary, tags and
//! policy) and read it back for drift. The only code of the role engine
//! that calls AWS, through `crate::aws::iam`.

use crate::aws::iam::{self, FoundRole, RoleSpec};
use crate::aws::{AwsClients, AwsError, ErrorKind};
use crate::plugin::known;
use crate::policy::equivalence::equivalent;
use crate::resources::steps::{step, StepError};

use super::settings::{role_path, role_tags, RoleSettings};

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
