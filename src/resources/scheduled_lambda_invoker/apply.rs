//! The ordered AWS steps of `lambdawire_scheduled_lambda_invoker`: create,
//! update, delete, read and import. Failures roll back what the same call
//! created, or come back with a partial state, so nothing is orphaned.

use tokio::time::Instant;

use crate::aws::iam;
use crate::aws::scheduler::{self, RemoteSchedule};
use crate::aws::{AwsClients, AwsError, ErrorKind};
use crate::plugin::{known, text, Str, Value};
use crate::policy::equivalence::equivalent;
use crate::resources::managed_role::{self, Recorded, RoleTarget};
use crate::resources::steps::{not_recorded, step, unique_name, StepError};
use crate::resources::timeouts::Timeouts;
use crate::resources::PlanContext;
use crate::validate::arn;

use super::flex::{expand, flatten_role, flatten_role_settings, flatten_schedule};
use super::model::{InvokerState, RoleSettings};
use super::plan::{
    default_role_name, has_fired, pending_attribute, resolve, roles_to_delete, without_unknowns,
    DEFAULT_GROUP, OWNER_TAG, POLICY_NAME,
};

/// The result of an apply: the state to record (None = nothing exists),
/// the failures, if any, and the roles still to delete (private state).
pub struct Applied {
    /// What exists in AWS now; `None`: nothing (created nothing, or all deleted).
    pub state: Option<InvokerState>,
    /// Each failed step, in order; empty on success.
    pub errors: Vec<StepError>,
    /// Managed roles no longer used whose deletion failed, for the private state.
    pub roles_pending_deletion: Vec<String>,
}

impl Applied {
    fn ok(state: InvokerState) -> Self {
        Applied {
            state: Some(state),
            errors: Vec::new(),
            roles_pending_deletion: Vec::new(),
        }
    }

    fn failed(state: Option<InvokerState>, errors: Vec<StepError>) -> Self {
        Applied {
            state,
            errors,
            roles_pending_deletion: Vec::new(),
        }
    }

    /// The state to record, showing what is pending.
    pub fn into_parts(self) -> (Option<InvokerState>, Vec<StepError>, Vec<String>) {
        let pending = self.roles_pending_deletion;
        let state = self.state.map(|s| InvokerState {
            roles_pending_deletion: pending_attribute(&pending),
            ..s
        });
        (state, self.errors, pending)
    }
}

fn deadline(s: &InvokerState, pick: fn(&Timeouts) -> &Str) -> Instant {
    Instant::now() + crate::resources::timeouts::limit(&s.timeouts, pick)
}

fn schedule_label(s: &InvokerState) -> String {
    format!(
        "Scheduler Schedule ({}/{})",
        text(&s.group_name),
        text(&s.name)
    )
}

/// The value of the owner tag: roles are global, schedules regional.
fn owner(region: &str, s: &InvokerState) -> String {
    format!("{region}/{}/{}", text(&s.group_name), text(&s.name))
}

/// The managed role as planned, tagged as this schedule's own.
fn role_target(c: &AwsClients, s: &InvokerState) -> RoleTarget {
    RoleTarget::new(
        c,
        s.role.single(),
        &text(&s.role_name),
        &text(&s.trust_policy_json),
        format!(
            "Assumed by EventBridge Scheduler to invoke {}",
            text(&s.function_arn)
        ),
        (OWNER_TAG, owner(&c.region, s)),
        POLICY_NAME,
        &text(&s.policy_json),
    )
}

/// The import id of this invoker: `group/name`.
fn import_id(s: &InvokerState) -> String {
    format!("{}/{}", text(&s.group_name), text(&s.name))
}

/// Make the managed role exactly as planned; see [`managed_role::converge`].
/// A role with this schedule's owner tag that no state records is a
/// leftover of an interrupted create unless the schedule of this name uses
/// it: then it is a complete invoker, another configuration's or one to
/// import, and never silently shared.
///
/// On update the schedule is this resource's (state records it), so a new
/// role with its owner tag is its own leftover (an interrupted role switch),
/// whichever role the schedule uses.
async fn converge_role(
    c: &AwsClients,
    s: &InvokerState,
    recorded: Recorded,
    schedule_recorded: bool,
) -> (bool, Result<(), StepError>) {
    let (group, name, role) = (text(&s.group_name), text(&s.name), text(&s.role_name));
    let id = import_id(s);
    managed_role::converge(c, &role_target(c, s), recorded, || async move {
        if schedule_recorded {
            return Ok(());
        }
        let schedule = scheduler::find_schedule(c, &group, &name).await?;
        match schedule {
            Some(remote) if arn::iam_role(&remote.spec.role_arn).ok() == Some(role.as_str()) => {
                Err(not_recorded(
                    "CreateRole",
                    "EntityAlreadyExists",
                    &format!("IAM role {role}, used by schedule {group}/{name},"),
                    &id,
                    None,
                ))
            }
            _ => Ok(()),
        }
    })
    .await
}

/// How a CreateSchedule ended.
enum Creation {
    Done,
    /// It did not create the schedule.
    Failed(StepError),
    /// No answer came, even to a resend with the same token: the schedule
    /// may exist.
    Unknown(StepError),
}

/// Create the schedule. One of the same name is never adopted: the
/// idempotency token already makes a resend of this call's own request a
/// success (see [`scheduler::create_schedule`]), so a conflict is a schedule
/// this resource did not create.
async fn create_schedule(c: &AwsClients, s: &InvokerState, deadline: Instant) -> Creation {
    let spec = expand(s);
    let doing = format!("creating {}", schedule_label(s));
    match scheduler::create_schedule(c, &spec, deadline).await {
        Ok(_) => Creation::Done,
        Err(e) if e.is(ErrorKind::AlreadyExists) => Creation::Failed(StepError {
            doing,
            error: not_recorded(
                "CreateSchedule",
                &e.code,
                &format!("schedule {}/{}", spec.group_name, spec.name),
                &import_id(s),
                e.request_id,
            ),
        }),
        Err(e) if e.is(ErrorKind::Transport) => Creation::Unknown(step(doing)(e)),
        Err(e) => Creation::Failed(step(doing)(e)),
    }
}

/// Read the schedule back (read after write) into the applied state.
async fn read_back(c: &AwsClients, s: InvokerState) -> Applied {
    let label = schedule_label(&s);
    match scheduler::find_schedule(c, &text(&s.group_name), &text(&s.name)).await {
        Ok(Some(remote)) => Applied::ok(flatten_schedule(&s, &remote)),
        Ok(None) => Applied::failed(
            Some(s),
            vec![StepError {
                doing: format!("reading {label} after writing it"),
                error: AwsError {
                    operation: "GetSchedule",
                    code: "ResourceNotFoundException".into(),
                    message: "the schedule was written but cannot be read back".into(),
                    request_id: None,
                    kind: ErrorKind::NotFound,
                },
            }],
        ),
        Err(e) => Applied::failed(Some(s), vec![step(format!("reading {label}"))(e)]),
    }
}

/// Create the managed role (unless `existing_role_arn`), then the schedule,
/// then read it back. A failed schedule rolls back the role it created; an
/// unanswered one records everything, tainted, for the next apply to settle.
pub async fn create(
    c: &AwsClients,
    planned: InvokerState,
    config: &InvokerState,
    ctx: &PlanContext,
) -> Applied {
    let mut s = planned;
    if !s.name.is_value() {
        s.name = Value::Value(unique_name(
            known(&config.name_prefix).unwrap_or("lambdawire-"),
        ));
    }
    let s = resolve(s, config, ctx);
    let deadline = deadline(&s, |t| &t.create);
    let managed = s.role_managed == Value::Value(true);
    let mut created_role = false;
    if managed {
        let (created, outcome) = converge_role(c, &s, Recorded::No, false).await;
        created_role = created;
        if let Err(failure) = outcome {
            return roll_back_create(c, s, created_role, failure).await;
        }
    }
    match create_schedule(c, &s, deadline).await {
        Creation::Done => read_back(c, s).await,
        Creation::Failed(failure) => roll_back_create(c, s, created_role, failure).await,
        // Rolling the role back could leave a schedule pointing at nothing:
        // record everything instead (Terraform taints it), so the next apply
        // or destroy settles what exists.
        Creation::Unknown(failure) => Applied::failed(Some(without_unknowns(s)), vec![failure]),
    }
}

/// Undo a failed create: delete the role it created (or adopted as its own
/// leftover). A role that cannot be deleted is returned as partial state, so
/// Terraform records it (tainted) and the next apply or destroy removes it.
async fn roll_back_create(
    c: &AwsClients,
    s: InvokerState,
    created_role: bool,
    failure: StepError,
) -> Applied {
    let mut errors = vec![failure];
    if !created_role {
        return Applied::failed(None, errors);
    }
    match iam::delete_role(c, &text(&s.role_name), POLICY_NAME).await {
        Ok(()) => Applied::failed(None, errors),
        Err(e) => {
            errors.push(step(format!(
                "rolling back IAM Role ({})",
                text(&s.role_name)
            ))(e));
            Applied::failed(Some(without_unknowns(s)), errors)
        }
    }
}

/// True when the role changes identity (a new name, or managed <-> existing).
fn role_switches(prior: &InvokerState, planned: &InvokerState) -> bool {
    prior.role_managed != planned.role_managed || prior.role_name != planned.role_name
}

/// What a failed role deletion is reported as: the role is kept in private
/// state, and the user learns that the next apply retries.
fn pending_step(role: &str) -> impl FnOnce(AwsError) -> StepError {
    step(format!(
        "deleting the previous IAM Role ({role}); the schedule no longer uses it, and the next \
         `terraform apply` deletes it"
    ))
}

/// Delete each role; the ones that could not be deleted stay pending.
async fn delete_roles(
    c: &AwsClients,
    roles: Vec<String>,
    errors: &mut Vec<StepError>,
) -> Vec<String> {
    let mut pending = Vec::new();
    for role in roles {
        if let Err(e) = iam::delete_role(c, &role, POLICY_NAME).await {
            errors.push(pending_step(&role)(e));
            pending.push(role);
        }
    }
    pending
}

/// Update in place. `pending`: roles earlier applies could not delete
/// (private state); they are deleted here too, once the schedule is known
/// to point at its new role.
pub async fn update(
    c: &AwsClients,
    prior: &InvokerState,
    planned: InvokerState,
    config: &InvokerState,
    ctx: &PlanContext,
    pending: &[String],
) -> Applied {
    let mut s = resolve(planned, config, ctx);
    if s.completed.is_unknown() {
        // Planned unknown because the time was: decide now, as plan would.
        s.completed = Value::Value(has_fired(&s, chrono::Utc::now()));
    }
    let deadline = deadline(&s, |t| &t.update);
    let managed = s.role_managed == Value::Value(true);
    let switching = role_switches(prior, &s);
    let to_delete = roles_to_delete(prior, &s, pending);
    let mut created_role = false;
    if managed {
        let recorded = if prior.role_managed == Value::Value(true) && prior.role_name == s.role_name
        {
            Recorded::Yes
        } else {
            Recorded::No
        };
        let (created, outcome) = converge_role(c, &s, recorded, true).await;
        created_role = created;
        if let Err(e) = outcome {
            return rollback_update(
                c,
                prior,
                (created && switching).then(|| text(&s.role_name)),
                pending,
                e,
            )
            .await;
        }
    }
    let mut applied = if s.completed == Value::Value(true) {
        // It fired and Scheduler deleted it; its time is still past, so
        // writing it again would only fire it a second time. Only the
        // state (and the role above) change.
        Applied::ok(s)
    } else {
        let spec = expand(&s);
        let label = schedule_label(&s);
        let written = match scheduler::update_schedule(c, &spec, deadline).await {
            // Deleted out of band, or completed and given a new time: create
            // it again in place.
            Err(e) if e.is(ErrorKind::NotFound) => match create_schedule(c, &s, deadline).await {
                Creation::Done => Ok(()),
                Creation::Failed(e) | Creation::Unknown(e) => Err(e),
            },
            other => other.map(|_| ()).map_err(step(format!("updating {label}"))),
        };
        if let Err(e) = written {
            return rollback_update(
                c,
                prior,
                (created_role && switching).then(|| text(&s.role_name)),
                pending,
                e,
            )
            .await;
        }
        read_back(c, s).await
    };
    // Only now that the schedule points at the new role may the old ones
    // go. One that IAM refuses to delete (AccessDenied, DeleteConflict) is
    // remembered instead of forgotten; the state returned is still the new
    // one, because the schedule does use the new role.
    applied.roles_pending_deletion = delete_roles(c, to_delete, &mut applied.errors).await;
    applied
}

/// Undo what a failed update created (a new role the schedule never came to
/// use) and keep the prior state, which still describes what AWS holds. A
/// new role that cannot be rolled back joins the pending ones.
async fn rollback_update(
    c: &AwsClients,
    prior: &InvokerState,
    created_role: Option<String>,
    pending: &[String],
    failure: StepError,
) -> Applied {
    let mut errors = vec![failure];
    let mut still = pending.to_vec();
    if let Some(role) = created_role {
        if let Err(e) = iam::delete_role(c, &role, POLICY_NAME).await {
            errors.push(step(format!(
                "rolling back IAM Role ({role}); it is kept in state and the next \
                 `terraform apply` deletes it or uses it"
            ))(e));
            if !still.contains(&role) {
                still.push(role);
            }
        }
    }
    Applied {
        state: Some(prior.clone()),
        errors,
        roles_pending_deletion: still,
    }
}

/// Delete the schedule, then its managed role, then the roles still pending
/// (never the one the state names: already deleted when managed, the user's
/// own with `existing_role_arn`).
pub async fn delete(c: &AwsClients, s: &InvokerState, pending: &[String]) -> Result<(), StepError> {
    let label = schedule_label(s);
    scheduler::delete_schedule(c, &text(&s.group_name), &text(&s.name))
        .await
        .map_err(step(format!("deleting {label}")))?;
    let managed = s.role_managed == Value::Value(true);
    if managed && known(&s.role_name).is_some() {
        iam::delete_role(c, &text(&s.role_name), POLICY_NAME)
            .await
            .map_err(step(format!("deleting IAM Role ({})", text(&s.role_name))))?;
    }
    for role in pending {
        if Some(role.as_str()) != known(&s.role_name) {
            iam::delete_role(c, role, POLICY_NAME)
                .await
                .map_err(step(format!("deleting the previous IAM Role ({role})")))?;
        }
    }
    Ok(())
}

/// The pending roles that still exist: one confirmed gone (deleted by hand,
/// say) is no longer pending, so the plan shows nothing to do. One that
/// cannot be looked at stays pending; apply will try again.
pub async fn still_pending(c: &AwsClients, pending: Vec<String>) -> Vec<String> {
    let mut out = Vec::new();
    for role in pending {
        match iam::find_role(c, &role).await {
            Ok(None) => tracing::info!(role = %role, "pending IAM role is already gone"),
            Ok(Some(_)) => out.push(role),
            Err(e) => {
                tracing::warn!(role = %role, error = %e, "cannot read pending IAM role");
                out.push(role);
            }
        }
    }
    out
}

/// Refresh. `Ok(None)` only when nothing is left to manage.
pub async fn read(c: &AwsClients, prior: &InvokerState) -> Result<Option<InvokerState>, StepError> {
    let (group, name) = (text(&prior.group_name), text(&prior.name));
    let managed = prior.role_managed == Value::Value(true);
    let role_name = text(&prior.role_name);
    let (schedule, role, policy) = tokio::join!(
        scheduler::find_schedule(c, &group, &name),
        async {
            if managed {
                iam::find_role(c, &role_name).await
            } else {
                Ok(None)
            }
        },
        async {
            if managed {
                iam::find_role_policy(c, &role_name, POLICY_NAME).await
            } else {
                Ok(None)
            }
        },
    );
    let label = schedule_label(prior);
    let schedule = schedule.map_err(step(format!("reading {label}")))?;
    let role = role.map_err(step(format!("reading IAM Role ({role_name})")))?;
    let policy = policy.map_err(step(format!(
        "reading inline policy of IAM Role ({role_name})"
    )))?;
    let mut s = match schedule {
        Some(remote) => flatten_schedule(prior, &remote),
        None if has_fired(prior, chrono::Utc::now()) => InvokerState {
            completed: Value::Value(true),
            ..prior.clone()
        },
        None if !managed => return Ok(None),
        // Gone out of band while its role remains: keep the resource so the
        // role is reused (or destroyed) instead of leaked; a null ARN makes the
        // plan show the repair.
        None => InvokerState {
            arn: Value::Null,
            ..prior.clone()
        },
    };
    if managed {
        s = flatten_role(s, role.as_ref(), policy.as_deref());
        s = flatten_role_settings(s, role.as_ref(), &c.default_tags);
    }
    Ok(Some(s))
}

/// Import `group/name` or `name` (default group).
pub async fn import(
    c: &AwsClients,
    id: &str,
    ctx: &PlanContext,
) -> Result<InvokerState, StepError> {
    let (group, name) = match id.split_once('/') {
        Some((g, n)) => (g.to_string(), n.to_string()),
        None => (DEFAULT_GROUP.to_string(), id.to_string()),
    };
    let label = format!("Scheduler Schedule ({group}/{name})");
    let not_found = || {
        StepError {
        doing: format!("importing {label}"),
        error: AwsError {
            operation: "GetSchedule",
            code: "ResourceNotFoundException".into(),
            message: format!("no schedule {name} in group {group}; the import id is <group>/<name>, or <name> for the default group"),
            request_id: None,
            kind: ErrorKind::NotFound,
        },
    }
    };
    let remote: RemoteSchedule = scheduler::find_schedule(c, &group, &name)
        .await
        .map_err(step(format!("importing {label}")))?
        .ok_or_else(not_found)?;
    let base = InvokerState {
        name: Value::Value(name.clone()),
        group_name: Value::Value(group.clone()),
        completed: Value::Value(false),
        ..Default::default()
    };
    let mut s = flatten_schedule(&base, &remote);
    let role_arn = remote.spec.role_arn.clone();
    let role_name = arn::iam_role(&role_arn).unwrap_or_default().to_string();
    let (role, policy) = tokio::join!(
        iam::find_role(c, &role_name),
        iam::find_role_policy(c, &role_name, POLICY_NAME)
    );
    let role = role.map_err(step(format!("reading IAM Role ({role_name})")))?;
    let policy = policy.map_err(step(format!("reading IAM Role ({role_name})")))?;
    // Adopt the role as managed only when it is provably this schedule's:
    // its owner tag names this schedule and its inline policy is the one we
    // generate. A shared role (a lambdawire_scheduler_invoke_role's, which
    // uses the same policy name) or anyone else's stays the user's own.
    let mut adopted = resolve(s.clone(), &s, ctx);
    let matches = matches!((&policy, known(&adopted.policy_json)), (Some(p), Some(want)) if equivalent(p, want));
    let tagged = role
        .as_ref()
        .and_then(|r| r.tags.get(OWNER_TAG))
        .is_some_and(|holder| *holder == owner(&c.region, &s));
    if tagged && matches {
        let path = arn::iam_role_path(&role_arn);
        // Import runs with known facts; without a region the name is kept
        // explicitly, which is right either way.
        let generated = ctx
            .region
            .as_deref()
            .map(|region| default_role_name(region, &group, &name));
        if generated.as_deref() != Some(role_name.as_str()) || path != "/" {
            s.role = crate::plugin::Block::Items(vec![RoleSettings {
                name: Value::Value(role_name.clone()),
                path: if path == "/" {
                    Value::Null
                } else {
                    Value::Value(path)
                },
                ..Default::default()
            }]);
        }
        adopted = resolve(s.clone(), &s, ctx);
        let role = role.as_ref();
        Ok(flatten_role(adopted, role, policy.as_deref()))
    } else {
        s.existing_role_arn = Value::Value(role_arn);
        Ok(resolve(s.clone(), &s, ctx))
    }
}
