//! The ordered AWS steps of `lambdawire_scheduled_lambda_invoker`: create,
//! update, delete, read and import. Failures roll back what the same call
//! created, or come back with a partial state, so nothing is orphaned.

use tokio::time::Instant;

use crate::aws::iam::{self, FoundRole, RemoteRole};
use crate::aws::retry::within;
use crate::aws::scheduler::{self, RemoteSchedule};
use crate::aws::{AwsClients, AwsError, ErrorKind};
use crate::plugin::{known, text, Str, Value};
use crate::resources::managed_role::proof::{import_problems, without_session_cutoff, Evidence};
use crate::resources::managed_role::{self, Deleted, Recorded, RoleTarget};
use crate::resources::steps::{not_recorded, step, unique_name, StepError};
use crate::resources::timeouts::Timeouts;
use crate::resources::PlanContext;
use crate::validate::arn;

use super::flex::{expand, flatten_import, flatten_read, flatten_schedule, someone_elses};
use super::model::InvokerState;
use super::plan::{
    after_failed_create, has_fired, import_key, owner, pending_after_rollback, pending_attribute,
    resolve, role_recorded, role_to_roll_back, roles_to_delete, roles_to_destroy, OWNER_TAG,
    POLICY_NAME,
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
    /// Roles left alone because they no longer carry this schedule's owner
    /// tag, each with the warning to show.
    pub released: Vec<String>,
}

impl Applied {
    fn ok(state: InvokerState) -> Self {
        Applied {
            state: Some(state),
            errors: Vec::new(),
            roles_pending_deletion: Vec::new(),
            released: Vec::new(),
        }
    }

    fn failed(state: Option<InvokerState>, errors: Vec<StepError>) -> Self {
        Applied {
            state,
            errors,
            roles_pending_deletion: Vec::new(),
            released: Vec::new(),
        }
    }

    /// The state to record, showing what is pending.
    pub fn into_parts(
        self,
    ) -> (
        Option<InvokerState>,
        Vec<StepError>,
        Vec<String>,
        Vec<String>,
    ) {
        let pending = self.roles_pending_deletion;
        let state = self.state.map(|s| InvokerState {
            roles_pending_deletion: pending_attribute(&pending),
            ..s
        });
        (state, self.errors, pending, self.released)
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

/// Create the schedule; see [`creation`].
async fn create_schedule(c: &AwsClients, s: &InvokerState, deadline: Instant) -> Creation {
    let answer = scheduler::create_schedule(c, &expand(s), deadline).await;
    creation(answer.map(|_| ()), s)
}

/// What CreateSchedule's answer means. One of the same name is never
/// adopted: the idempotency token already makes a resend of this call's own
/// request a success (see [`scheduler::create_schedule`]), so a conflict is a
/// schedule this resource did not create. A call that got no answer may
/// have created it.
fn creation(answer: Result<(), AwsError>, s: &InvokerState) -> Creation {
    let doing = format!("creating {}", schedule_label(s));
    match answer {
        Ok(()) => Creation::Done,
        Err(e) if e.is(ErrorKind::AlreadyExists) => Creation::Failed(StepError {
            doing,
            error: not_recorded(
                "CreateSchedule",
                &e.code,
                &format!("schedule {}/{}", text(&s.group_name), text(&s.name)),
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
        Creation::Unknown(failure) => Applied::failed(after_failed_create(s, true), vec![failure]),
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
    if created_role {
        if let Err(e) = iam::delete_role(c, &text(&s.role_name), POLICY_NAME).await {
            errors.push(step(format!(
                "rolling back IAM Role ({})",
                text(&s.role_name)
            ))(e));
        }
    }
    let left_behind = errors.len() > 1;
    Applied::failed(after_failed_create(s, left_behind), errors)
}

/// What a failed role deletion is reported as: the role is kept in private
/// state, and the user learns that the next apply retries.
fn pending_step(role: &str) -> impl FnOnce(AwsError) -> StepError {
    step(format!(
        "deleting the previous IAM Role ({role}); the schedule no longer uses it, and the next \
         `terraform apply` deletes it"
    ))
}

/// Delete each role that still carries this schedule's owner tag; the ones
/// that could not be deleted stay pending, the ones without the tag are
/// released (their warnings go to `released`).
async fn delete_roles(
    c: &AwsClients,
    s: &InvokerState,
    roles: Vec<String>,
    errors: &mut Vec<StepError>,
    released: &mut Vec<String>,
) -> Vec<String> {
    let mut pending = Vec::new();
    let owner = owner(&c.region, s);
    for role in roles {
        match managed_role::delete(c, &role, POLICY_NAME, (OWNER_TAG, &owner)).await {
            Ok(Deleted::Yes) => {}
            Ok(Deleted::Released(why)) => released.push(why),
            Err(e) => {
                errors.push(pending_step(&role)(e.error));
                pending.push(role);
            }
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
    let to_delete = roles_to_delete(prior, &s, pending);
    let mut created_role = false;
    if s.role_managed == Value::Value(true) {
        let (created, outcome) = converge_role(c, &s, role_recorded(prior, &s), true).await;
        created_role = created;
        if let Err(e) = outcome {
            let undo = role_to_roll_back(prior, &s, created);
            return rollback_update(c, prior, undo, pending, e).await;
        }
    }
    let mut applied = if s.completed == Value::Value(true) {
        // It fired and Scheduler deleted it; its time is still past, so
        // writing it again would only fire it a second time. Only the
        // state (and the role above) change.
        Applied::ok(s)
    } else {
        if let Err(e) = write_schedule(c, &s, deadline).await {
            let undo = role_to_roll_back(prior, &s, created_role);
            return rollback_update(c, prior, undo, pending, e).await;
        }
        read_back(c, s).await
    };
    // Only now that the schedule points at the new role may the old ones
    // go. One that IAM refuses to delete (AccessDenied, DeleteConflict) is
    // remembered instead of forgotten; the state returned is still the new
    // one, because the schedule does use the new role.
    applied.roles_pending_deletion = delete_roles(
        c,
        prior,
        to_delete,
        &mut applied.errors,
        &mut applied.released,
    )
    .await;
    applied
}

/// Write the schedule as planned: update it, or create it again in place
/// when it is gone (deleted out of band, or completed and given a new
/// time).
async fn write_schedule(
    c: &AwsClients,
    s: &InvokerState,
    deadline: Instant,
) -> Result<(), StepError> {
    let doing = format!("updating {}", schedule_label(s));
    match scheduler::update_schedule(c, &expand(s), deadline).await {
        Err(e) if e.is(ErrorKind::NotFound) => match create_schedule(c, s, deadline).await {
            Creation::Done => Ok(()),
            Creation::Failed(e) | Creation::Unknown(e) => Err(e),
        },
        other => other.map(|_| ()).map_err(step(doing)),
    }
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
    let mut not_deleted = None;
    if let Some(role) = created_role {
        if let Err(e) = iam::delete_role(c, &role, POLICY_NAME).await {
            errors.push(step(format!(
                "rolling back IAM Role ({role}); it is kept in state and the next \
                 `terraform apply` deletes it or uses it"
            ))(e));
            not_deleted = Some(role);
        }
    }
    Applied {
        state: Some(prior.clone()),
        errors,
        roles_pending_deletion: pending_after_rollback(pending, not_deleted),
        released: Vec::new(),
    }
}

/// Delete the schedule, then the roles [`roles_to_destroy`] names, all
/// within `timeouts.delete`: a call still unanswered at that limit fails
/// the destroy, and the next one takes up what is left (each delete counts
/// what is already gone as done).
pub async fn delete(
    c: &AwsClients,
    s: &InvokerState,
    pending: &[String],
) -> Result<Vec<String>, StepError> {
    let (deadline, limit) = (deadline(s, |t| &t.delete), "timeouts.delete");
    let (group, name) = (text(&s.group_name), text(&s.name));
    let doing = format!("deleting {}", schedule_label(s));
    // A completed invoker's schedule is gone; one found under its name now
    // may be someone else's (one GetSchedule, for completed invokers only).
    let foreign = if s.completed == Value::Value(true) {
        let found = scheduler::find_schedule(c, &group, &name);
        within(deadline, limit, "GetSchedule", found)
            .await
            .map_err(step(doing.clone()))?
            .is_some_and(|remote| someone_elses(s, &remote))
    } else {
        false
    };
    if !foreign {
        let deleted = scheduler::delete_schedule(c, &group, &name);
        within(deadline, limit, "DeleteSchedule", deleted)
            .await
            .map_err(step(doing))?;
    }
    let owner = owner(&c.region, s);
    let mut released = Vec::new();
    for (role, doing) in roles_to_destroy(s, pending) {
        // The owner tag is checked first: state, private state included,
        // can be edited by hand, so a role named there is not proof.
        let deleted = async {
            managed_role::delete(c, &role, POLICY_NAME, (OWNER_TAG, &owner))
                .await
                .map_err(|e| e.error)
        };
        match within(deadline, limit, "DeleteRole", deleted)
            .await
            .map_err(step(doing))?
        {
            Deleted::Yes => {}
            Deleted::Released(why) => released.push(why),
        }
    }
    Ok(released)
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

/// Refresh. `Ok(None)` only when nothing is left to manage; see
/// [`flatten_read`].
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
    let policy = policy
        .map_err(step(format!(
            "reading inline policy of IAM Role ({role_name})"
        )))?
        .map(|p| without_session_cutoff(&p));
    Ok(flatten_read(
        prior,
        schedule.as_ref(),
        role.as_ref(),
        policy.as_deref(),
        &c.default_tags,
        chrono::Utc::now(),
    ))
}

/// Import `group/name` or `name` (default group); see [`flatten_import`].
pub async fn import(
    c: &AwsClients,
    id: &str,
    ctx: &PlanContext,
) -> Result<InvokerState, StepError> {
    let (group, name) = import_key(id);
    let doing = format!("importing Scheduler Schedule ({group}/{name})");
    let not_found = || {
        StepError {
        doing: doing.clone(),
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
        .map_err(step(doing.clone()))?
        .ok_or_else(not_found)?;
    let base = InvokerState {
        name: Value::Value(name.clone()),
        group_name: Value::Value(group.clone()),
        completed: Value::Value(false),
        ..Default::default()
    };
    let s = flatten_schedule(&base, &remote);
    let role_name = arn::iam_role(&remote.spec.role_arn)
        .unwrap_or_default()
        .to_string();
    let (role, policy) = tokio::join!(
        iam::find_role(c, &role_name),
        iam::find_role_policy(c, &role_name, POLICY_NAME)
    );
    let role = role.map_err(step(format!("reading IAM Role ({role_name})")))?;
    let policy = policy
        .map_err(step(format!("reading IAM Role ({role_name})")))?
        .map(|p| without_session_cutoff(&p));
    // A role is imported as managed only on the proof an import of a role
    // resource asks (the owner tag, no policy but its own); any other is
    // the schedule's existing_role_arn, which lambdawire never manages.
    let proven = match &role {
        Some(r) => provably_own(c, &s, r).await?,
        None => false,
    };
    Ok(flatten_import(
        s,
        role.as_ref().filter(|_| proven),
        policy.as_deref(),
        &c.region,
        ctx,
    ))
}

/// Whether the role that the imported schedule uses holds this schedule's
/// owner tag and no policy but its own ([`import_problems`]). One listing
/// of its policies, at import only.
async fn provably_own(
    c: &AwsClients,
    s: &InvokerState,
    role: &RemoteRole,
) -> Result<bool, StepError> {
    let Some(policies) = iam::list_role_policies(c, &role.name)
        .await
        .map_err(step(format!(
            "listing the policies of IAM Role ({})",
            role.name
        )))?
    else {
        return Ok(false);
    };
    let found = FoundRole {
        role: role.clone(),
        max_session_duration: iam::DEFAULT_SESSION_SECONDS,
        description: String::new(),
        used: false,
    };
    let evidence = Evidence {
        found: &found,
        policies: &policies,
        own_policy: None,
    };
    Ok(import_problems(OWNER_TAG, &owner(&c.region, s), POLICY_NAME, &evidence).is_empty())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn invoker() -> InvokerState {
        InvokerState {
            name: Value::Value("nightly".into()),
            group_name: Value::Value("team".into()),
            ..Default::default()
        }
    }

    fn refusal(kind: ErrorKind, code: &str) -> AwsError {
        AwsError {
            operation: "CreateSchedule",
            code: code.into(),
            message: "refused".into(),
            request_id: Some("req-1".into()),
            kind,
        }
    }

    #[test]
    fn a_schedule_and_its_import_id_are_named_by_group_and_name() {
        assert_eq!(
            schedule_label(&invoker()),
            "Scheduler Schedule (team/nightly)"
        );
        assert_eq!(import_id(&invoker()), "team/nightly");
    }

    #[test]
    fn a_created_schedule_is_done() {
        assert!(matches!(creation(Ok(()), &invoker()), Creation::Done));
    }

    #[test]
    fn a_schedule_of_the_same_name_is_refused_never_adopted() {
        let answer = Err(refusal(ErrorKind::AlreadyExists, "ConflictException"));
        let Creation::Failed(failure) = creation(answer, &invoker()) else {
            panic!("a conflict is a failure");
        };
        assert_eq!(failure.doing, "creating Scheduler Schedule (team/nightly)");
        assert_eq!(failure.error.code, "ConflictException");
        assert_eq!(failure.error.request_id.as_deref(), Some("req-1"));
        assert!(
            failure
                .error
                .message
                .contains("schedule team/nightly already exists")
                && failure.error.message.contains("with the id team/nightly"),
            "{}",
            failure.error.message
        );
    }

    #[test]
    fn an_unanswered_create_may_have_made_the_schedule() {
        let answer = Err(refusal(ErrorKind::Transport, "dispatch failure"));
        let Creation::Unknown(failure) = creation(answer, &invoker()) else {
            panic!("no answer is not a failure");
        };
        assert_eq!(failure.error.kind, ErrorKind::Transport);
    }

    #[test]
    fn any_other_refusal_is_a_plain_failure_that_keeps_the_error() {
        for kind in [
            ErrorKind::AccessDenied,
            ErrorKind::Throttled,
            ErrorKind::Other,
        ] {
            let Creation::Failed(failure) = creation(Err(refusal(kind, "E")), &invoker()) else {
                panic!("{kind:?} is a failure");
            };
            assert_eq!(failure.error, refusal(kind, "E"));
        }
    }

    #[test]
    fn a_role_that_could_not_be_deleted_is_reported_as_pending() {
        let failure = pending_step("old-role")(refusal(ErrorKind::Conflict, "E"));
        assert!(failure.doing.contains("previous IAM Role (old-role)"));
        assert!(failure
            .doing
            .contains("the next `terraform apply` deletes it"));
    }
}
