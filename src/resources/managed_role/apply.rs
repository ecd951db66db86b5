//! The async half of the managed role: converge IAM to the planned role
//! (create, or adopt when provably ours, then fix trust, boundary, tags and
//! policy) and read it back for drift. The only code of the role engine
//! that calls AWS, through `crate::aws::iam`.

use crate::aws::iam::{self, FoundRole, RoleCreation, RoleSpec};
use crate::aws::{AwsClients, AwsError, ErrorKind};
use crate::plugin::known;
use crate::policy::equivalence::equivalent;
use crate::resources::steps::{step, StepError};

use super::proof::{
    carry_session_cutoff, leftover_problems, with_session_cutoff, without_session_cutoff, Evidence,
};
use super::settings::{role_path, role_tags, RoleSettings};

/// The role as planned, with the tag that proves it is this resource's own.
pub struct RoleTarget {
    /// The role as CreateRole and the updates write it.
    pub spec: RoleSpec,
    /// The key of the tag that names this resource as the role's owner.
    pub owner_tag: &'static str,
    /// The name of the resource's own inline policy.
    pub policy_name: &'static str,
    /// The inline policy's planned document.
    pub policy: String,
    /// The id that imports the role as this resource, for the "already
    /// exists" error; `None` when the role is part of another object.
    pub import_id: Option<String>,
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
            import_id: None,
        }
    }
}

/// The "already exists" error for a role that no state records and that
/// fails the leftover proof, with every reason.
fn not_ours(t: &RoleTarget, problems: &[String]) -> AwsError {
    let fix = match &t.import_id {
        Some(id) => format!("import it with the id {id}, or set role.name to another name"),
        None => "set role.name to another name, or name it in existing_role_arn".to_string(),
    };
    AwsError {
        operation: "CreateRole",
        code: "EntityAlreadyExists".into(),
        message: format!(
            "IAM role {} already exists and no Terraform state records it; it is not what this \
             resource's create leaves ({}), so it is not adopted: {fix}",
            t.spec.name,
            problems.join("; ")
        ),
        request_id: None,
        kind: ErrorKind::AlreadyExists,
    }
}

/// Whether the state already records the role as this resource's own.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Recorded {
    /// It does: the role is read and made as planned.
    Yes,
    /// It does not: a role that exists is adopted only when it passes the
    /// leftover proof ([`leftover_problems`]) and `in_use` finds it part
    /// of no complete object.
    No,
}

/// Where the role stands before it is made as planned.
enum Found {
    /// This call created it.
    Created,
    /// The state records it and IAM has it.
    Recorded(FoundRole),
    /// IAM has it and no state records it: taken before our create, or
    /// (`resent`) met by a CreateRole that the SDK sent again after an
    /// unanswered attempt, which may have created it.
    Unrecorded { role: FoundRole, resent: bool },
}

/// Make the role exactly as planned. Returns whether this call created it
/// (itself, or by an attempt whose answer was lost), so a later failure
/// rolls it back: an adopted leftover earns no deletion right. `in_use` is asked only about an unrecorded role that passes the
/// leftover proof: `Err` is the "already exists" error to report when the
/// role belongs to a complete object, `Ok` means it is a leftover.
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
    let label = format!("IAM Role ({})", t.spec.name);
    let creating = |e| step(format!("creating {label}"))(e);
    let mut created = false;
    let (existing, cutoff) = match find_or_create(c, t, recorded).await {
        Ok(Found::Created) => return (true, put_policy(c, t, None, None).await),
        Ok(Found::Recorded(role)) => (role, None),
        Ok(Found::Unrecorded { role, resent }) => match adopt(c, t, &role, in_use).await {
            // A role that appeared after this call's own unanswered create
            // and passes the proof is this call's: it may roll it back.
            Ok(cutoff) if resent => {
                created = true;
                (role, Some(cutoff))
            }
            Ok(cutoff) => (role, Some(cutoff)),
            Err(e) => return (false, Err(creating(e))),
        },
        Err(e) => return (false, Err(e)),
    };
    if let Err(e) = fix_existing(c, &existing, &t.spec).await {
        return (created, Err(step(format!("updating {label}"))(e)));
    }
    let current = match iam::find_role_policy(c, &t.spec.name, t.policy_name).await {
        Ok(current) => current,
        Err(e) => {
            return (
                created,
                Err(step(format!("reading the inline policy of {label}"))(e)),
            )
        }
    };
    (
        created,
        put_policy(c, t, current.as_deref(), cutoff.as_deref()).await,
    )
}

/// A role the state records is read first; a new one is created first, so
/// the common create makes no call that is expected to fail. A recorded
/// role that is gone is created again, and one that reappeared meanwhile
/// is unrecorded: it must pass the proof like any other.
async fn find_or_create(
    c: &AwsClients,
    t: &RoleTarget,
    recorded: Recorded,
) -> Result<Found, StepError> {
    let spec = &t.spec;
    let label = format!("IAM Role ({})", spec.name);
    let reading = |e| step(format!("reading {label}"))(e);
    if recorded == Recorded::Yes {
        if let Some(role) = iam::find_role_with_session(c, &spec.name)
            .await
            .map_err(reading)?
        {
            return Ok(Found::Recorded(role));
        }
    }
    let resent = match iam::create_role(c, spec).await {
        Ok(RoleCreation::Created) => return Ok(Found::Created),
        Ok(RoleCreation::Taken) => false,
        Ok(RoleCreation::TakenAfterResend) => true,
        Err(e) => return Err(step(format!("creating {label}"))(e)),
    };
    match iam::find_role_with_session(c, &spec.name).await {
        Ok(Some(role)) => Ok(Found::Unrecorded { role, resent }),
        Ok(None) => Err(step(format!("creating {label}"))(vanished(&spec.name))),
        Err(e) => Err(reading(e)),
    }
}

/// Adopt an unrecorded role only when it is exactly what this resource's
/// create would have left and part of no complete object. Returns the
/// session cut-off (now, rounded up to the second) that the role's policy
/// will carry, so that sessions issued before the adoption get nothing.
async fn adopt<F, Fut>(
    c: &AwsClients,
    t: &RoleTarget,
    role: &FoundRole,
    in_use: F,
) -> Result<String, AwsError>
where
    F: FnOnce() -> Fut,
    Fut: std::future::Future<Output = Result<(), AwsError>>,
{
    let name = &t.spec.name;
    let Some(policies) = iam::list_role_policies(c, name).await? else {
        return Err(vanished(name));
    };
    let own_policy = if policies.inline.iter().any(|p| p == t.policy_name) {
        iam::find_role_policy(c, name, t.policy_name).await?
    } else {
        None
    };
    let evidence = Evidence {
        found: role,
        policies: &policies,
        own_policy: own_policy.as_deref(),
    };
    let problems = leftover_problems(&t.spec, t.owner_tag, t.policy_name, &t.policy, &evidence);
    if !problems.is_empty() {
        return Err(not_ours(t, &problems));
    }
    in_use().await?;
    let cutoff = chrono::Utc::now() + chrono::Duration::seconds(1);
    tracing::warn!(role = %name, "adopting the leftover of an interrupted create");
    Ok(cutoff.to_rfc3339_opts(chrono::SecondsFormat::Secs, true))
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
/// A session cut-off that IAM's policy carries is kept, and `cutoff` adds
/// one (see [`with_session_cutoff`]).
async fn put_policy(
    c: &AwsClients,
    t: &RoleTarget,
    current: Option<&str>,
    cutoff: Option<&str>,
) -> Result<(), StepError> {
    let name = &t.spec.name;
    let mut desired = carry_session_cutoff(current, &t.policy);
    if let Some(cutoff) = cutoff {
        desired = with_session_cutoff(&desired, cutoff);
    }
    if current.is_some_and(|doc| equivalent(doc, &desired)) {
        return Ok(());
    }
    iam::put_role_policy(c, name, t.policy_name, &desired)
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

/// The role and its inline policy as IAM has them (both `None` when gone),
/// the policy without the session cut-off, which is not configuration.
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
    Ok((role, policy.map(|p| without_session_cutoff(&p))))
}

/// What a role delete did.
#[derive(Debug, PartialEq, Eq)]
pub enum Deleted {
    /// Deleted, or gone already.
    Yes,
    /// Left alone: the role no longer carries this resource's owner tag,
    /// so it is not provably ours (state, private state included, can be
    /// edited by hand). The text is the warning to show.
    Released(String),
}

/// Delete the role with its inline policy, only when it still carries this
/// resource's owner tag (`owner`: tag and value). One GetRole more than
/// the delete itself: the price of never deleting a role on the word of an
/// editable state file.
pub async fn delete(
    c: &AwsClients,
    name: &str,
    policy_name: &str,
    owner: (&str, &str),
) -> Result<Deleted, StepError> {
    let found = iam::find_role(c, name)
        .await
        .map_err(step(format!("reading IAM Role ({name})")))?;
    let Some(role) = found else {
        return Ok(Deleted::Yes);
    };
    let holder = role.tags.get(owner.0).map(String::as_str);
    if holder != Some(owner.1) {
        return Ok(Deleted::Released(format!(
            "IAM role {name} does not carry this resource's owner tag ({} = {:?}; it has {}), \
             so lambdawire cannot prove it is this resource's and did not delete it. It is no \
             longer managed; delete it yourself if it is yours.",
            owner.0,
            owner.1,
            holder.map_or("none".to_string(), |h| format!("{h:?}"))
        )));
    }
    iam::delete_role(c, name, policy_name)
        .await
        .map(|()| Deleted::Yes)
        .map_err(step(format!("deleting IAM Role ({name})")))
}
