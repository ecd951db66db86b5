//! The ordered AWS steps of `lambdawire_sqs_event_source`: the grant on the
//! execution role before the mapping (Lambda checks the role's queue
//! permissions when the mapping is created or updated), the mapping before
//! the grant on the way out. Failures roll back what the same call wrote,
//! or come back with a partial state, so nothing is orphaned.
//!
//! Ownership: a mapping from this queue to this function that no state
//! records is never adopted, only named with its import id. A create proves
//! that a mapping is its own by having looked first: none existed before
//! CreateEventSourceMapping was sent, one exists after an unanswered send.

use std::time::Duration;

use tokio::time::Instant;

use crate::aws::event_source::{self, Created, RemoteMapping};
use crate::aws::lock::KeyGuard;
use crate::aws::{iam, lambda, AwsClients, AwsError, ErrorKind};
use crate::lambda::function_ref::{parse_function_ref, same_function};
use crate::plugin::stop;
use crate::plugin::{known, opt, str_value, text, Value};
use crate::policy::builders::sqs_event_source_policy;
use crate::policy::equivalence::equivalent;
use crate::resources::steps::{not_recorded_unless, step, turn, StepError};
use crate::resources::timeouts::{self, Timeouts};
use crate::resources::PlanContext;
use crate::validate::arn;

use super::flex::{
    expand, flatten_grant, flatten_mapping, granted_key, update_of, version_0_grant, Version0Grant,
};
use super::model::{RoleGrant, SqsEventSourcePrivate, SqsEventSourceState};
use super::plan::{policy_name, without_unknowns, DEFAULT_BATCH_SIZE};
use super::upgrade::{private_of_version_0, version_0_policy_name};

/// The result of an apply: the state to record (`None`: nothing exists),
/// its private state, and the failures, if any.
pub struct Applied {
    /// What exists in AWS now; `None`: nothing.
    pub state: Option<SqsEventSourceState>,
    /// Where the role came from, and the roles whose grant is still to remove.
    pub private: SqsEventSourcePrivate,
    /// Each failed step, in order; empty on success.
    pub errors: Vec<StepError>,
}

impl Applied {
    fn failed(
        state: Option<SqsEventSourceState>,
        private: SqsEventSourcePrivate,
        error: StepError,
    ) -> Applied {
        Applied {
            state,
            private,
            errors: vec![error],
        }
    }
}

fn deadline(s: &SqsEventSourceState, pick: fn(&Timeouts) -> &crate::plugin::Str) -> Instant {
    Instant::now() + timeouts::limit(&s.timeouts, pick)
}

fn label(s: &SqsEventSourceState) -> String {
    match known(&s.uuid) {
        Some(uuid) => format!("Lambda Event Source Mapping ({uuid})"),
        None => format!(
            "Lambda Event Source Mapping ({} -> {})",
            text(&s.queue_arn),
            text(&s.function_name)
        ),
    }
}

fn grant_label(role: &str, policy_name: &str) -> String {
    format!("inline policy {policy_name} of IAM Role ({role})")
}

/// The grant a state names, once its role and name are known.
fn named_grant(s: &SqsEventSourceState) -> Option<RoleGrant> {
    Some(RoleGrant {
        role: known(&s.role_name)?.to_string(),
        policy_name: known(&s.policy_name)?.to_string(),
    })
}

/// Every grant of this resource on a role: the one the state names, then
/// those private state lists, each once.
fn grants_held(s: &SqsEventSourceState, private: &SqsEventSourcePrivate) -> Vec<RoleGrant> {
    let mut held: Vec<RoleGrant> = named_grant(s).into_iter().collect();
    for grant in &private.stale_grants {
        if !held.contains(grant) {
            held.push(grant.clone());
        }
    }
    held
}

/// Whether the prior state already holds, on `role`, the grant of the
/// planned state `s`: same role, same name.
fn holds(prior: &SqsEventSourceState, role: &str, s: &SqsEventSourceState) -> bool {
    known(&prior.role_name) == Some(role) && known(&prior.policy_name) == known(&s.policy_name)
}

fn failure(operation: &'static str, code: &str, message: String) -> AwsError {
    AwsError {
        operation,
        code: code.to_string(),
        message,
        request_id: None,
        kind: ErrorKind::Other,
    }
}

/// The role the grant goes on: the configured one, else the function's
/// own execution role as Lambda reports it.
async fn role_of(c: &AwsClients, s: &SqsEventSourceState) -> Result<String, StepError> {
    if let Some(role) = known(&s.role_name) {
        return Ok(role.to_string());
    }
    let function = text(&s.function_name);
    let doing = format!("reading the execution role of Lambda Function ({function})");
    let role_arn = lambda::function_role(c, &function)
        .await
        .map_err(step(doing.clone()))?
        .ok_or_else(|| StepError {
            doing: doing.clone(),
            error: AwsError {
                operation: "GetFunction",
                code: "ResourceNotFoundException".into(),
                message: format!(
                    "no function {function}: create it first, or name its role in role_name"
                ),
                request_id: None,
                kind: ErrorKind::NotFound,
            },
        })?;
    arn::iam_role(&role_arn)
        .map(str::to_string)
        .map_err(|why| StepError {
            doing,
            error: failure("GetFunction", "UnreadableRole", why),
        })
}

/// Whether a mapping invokes the function `function_name` names (in any
/// form; Lambda resolves a bare name in the mapping's own region and
/// account, which its function ARN carries).
fn invokes(mapping: &RemoteMapping, function_name: &str) -> bool {
    let place = parse_function_ref(&mapping.function_arn).ok();
    let region = place
        .as_ref()
        .and_then(|r| r.region.clone())
        .unwrap_or_default();
    let account = place.and_then(|r| r.account_id).unwrap_or_default();
    same_function(function_name, &mapping.function_arn, &region, &account)
}

/// The mapping from this queue to this function, if one exists.
async fn find_existing(
    c: &AwsClients,
    s: &SqsEventSourceState,
) -> Result<Option<RemoteMapping>, AwsError> {
    let function = text(&s.function_name);
    let all = event_source::mappings_of_queue(c, &text(&s.queue_arn)).await?;
    Ok(all.into_iter().find(|m| invokes(m, &function)))
}

/// The "already exists" error for a mapping no state records.
fn not_ours(existing: &RemoteMapping, code: &str, request_id: Option<String>) -> AwsError {
    not_recorded_unless(
        "CreateEventSourceMapping",
        code,
        &format!(
            "An event source mapping from {} to {} ({})",
            existing.queue_arn, existing.function_arn, existing.uuid
        ),
        &existing.uuid,
        "remove this resource or the other configuration's: Lambda keeps one mapping per queue and function",
        request_id,
    )
}

/// Pause before looking again after an unanswered create.
const RESEND_DELAY: Duration = Duration::from_secs(1);

/// Create the mapping; the caller has seen that none exists. Its UUID.
async fn create_mapping(
    c: &AwsClients,
    s: &SqsEventSourceState,
    deadline: Instant,
) -> Result<String, StepError> {
    let spec = expand(s);
    let doing = format!("creating {}", label(s));
    let mut sent_unanswered = false;
    loop {
        let created = event_source::create_mapping(c, &spec, deadline).await;
        let refusal = match created {
            Ok(Created::Uuid(uuid)) => return Ok(uuid),
            Ok(Created::Unanswered(e)) => {
                sent_unanswered = true;
                e
            }
            Err(e) if e.is(ErrorKind::AlreadyExists) => e,
            Err(e) => return Err(step(doing)(e)),
        };
        let existing = find_existing(c, s).await.map_err(step(doing.clone()))?;
        match existing {
            // None existed before this call, and one does after a send of
            // ours went unanswered: that send created it.
            Some(m) if sent_unanswered => return Ok(m.uuid),
            Some(m) => {
                return Err(StepError {
                    doing,
                    error: not_ours(&m, &refusal.code, refusal.request_id.clone()),
                })
            }
            None if refusal.is(ErrorKind::AlreadyExists) => return Err(step(doing)(refusal)),
            None => {
                if Instant::now() + RESEND_DELAY > deadline
                    || !stop::global().sleep(RESEND_DELAY).await
                {
                    return Err(step(doing)(refusal));
                }
            }
        }
    }
}

fn settled_or_gone(m: Option<&RemoteMapping>) -> bool {
    m.is_none_or(RemoteMapping::settled)
}

fn gone(m: Option<&RemoteMapping>) -> bool {
    m.is_none()
}

/// The state after a write: the mapping once Lambda has settled it (or at
/// the deadline, in whatever transition it is), and the grant, read as
/// Read reads them.
async fn read_back(
    c: &AwsClients,
    s: SqsEventSourceState,
    private: SqsEventSourcePrivate,
    deadline: Instant,
) -> Applied {
    let uuid = text(&s.uuid);
    let doing = format!("reading {} after writing it", label(&s));
    let found = match event_source::wait_for(c, &uuid, deadline, settled_or_gone).await {
        Ok(found) => found,
        Err(e) => return Applied::failed(Some(without_unknowns(s)), private, step(doing)(e)),
    };
    let Some(remote) = found else {
        return Applied::failed(
            Some(without_unknowns(s)),
            private,
            StepError {
                doing,
                error: AwsError {
                    operation: "GetEventSourceMapping",
                    code: "ResourceNotFoundException".into(),
                    message: "the mapping was written but is gone: deleted out of band, or by its function's account".into(),
                    request_id: None,
                    kind: ErrorKind::NotFound,
                },
            },
        );
    };
    let s = flatten_mapping(&s, &remote);
    let role = text(&s.role_name);
    match iam::find_role_policy(c, &role, &text(&s.policy_name)).await {
        Ok(policy) => Applied {
            state: Some(flatten_grant(s, policy.as_deref())),
            private,
            errors: Vec::new(),
        },
        Err(e) => {
            let doing = format!("reading {}", grant_label(&role, &text(&s.policy_name)));
            Applied::failed(Some(s), private, step(doing)(e))
        }
    }
}

/// Take `grant` off its role ([`release`]); a failure is reported and the
/// grant kept in `stale` for the next apply. `rewritten`: the grant `s`
/// names has just been written on the same role.
async fn remove_grant(
    c: &AwsClients,
    s: &SqsEventSourceState,
    grant: &RoleGrant,
    rewritten: bool,
    stale: &mut Vec<RoleGrant>,
    errors: &mut Vec<StepError>,
) {
    if let Err(e) = release(c, s, grant, rewritten).await {
        errors.push(step(format!(
            "removing {}; the next `terraform apply` removes it",
            grant_label(&grant.role, &grant.policy_name)
        ))(e));
        if !stale.contains(grant) {
            stale.push(grant.clone());
        }
    }
}

/// Remove `grant` unless someone still relies on it. Under the current
/// name, [`release_grant`] decides. Schema version 0's name carried no
/// digest, so same-named queues of other regions and accounts wrote the
/// same policy: it is read first. One that grants another queue is that
/// queue's mapping's, left for its own rename. One that grants this queue
/// with the key of the grant just written on the same role goes, whoever
/// relied on it: the new one gives them the same (its `kms:ViaService`
/// condition lets through what the poller needs, SQS decrypting).
async fn release(
    c: &AwsClients,
    s: &SqsEventSourceState,
    grant: &RoleGrant,
    rewritten: bool,
) -> Result<(), AwsError> {
    let (role, name) = (grant.role.as_str(), grant.policy_name.as_str());
    if version_0_policy_name(&text(&s.queue_arn)).as_deref() != Some(name) {
        return release_grant(c, s, role, name).await;
    }
    let held = iam::find_role_policy(c, role, name).await?;
    match held.map(|policy| version_0_grant(&policy, s, rewritten)) {
        None => Ok(()),
        Some(Version0Grant::OtherQueue) => {
            tracing::info!(role = %role, policy = %name, "grant kept: it grants a same-named queue of another region or account");
            Ok(())
        }
        Some(Version0Grant::Covered) => iam::delete_role_policy(c, role, name).await,
        Some(Version0Grant::Ours) => release_grant(c, s, role, name).await,
    }
}

/// Delete the grant `name` on `role`, unless another mapping from the same
/// queue invokes a function whose execution role is `role`. The grant's
/// name depends on the queue alone (SPEC: `lambdawire-sqs-<queue
/// name>-<h>`), so mappings of the queue whose functions share a role
/// share one grant: the first one destroyed must not take it from the
/// others.
async fn release_grant(
    c: &AwsClients,
    s: &SqsEventSourceState,
    role: &str,
    name: &str,
) -> Result<(), AwsError> {
    if let Some(other) = other_mapping_through(c, s, role).await? {
        tracing::info!(role = %role, mapping = %other.uuid, "grant kept: another mapping from the queue relies on it");
        return Ok(());
    }
    iam::delete_role_policy(c, role, name).await
}

/// A mapping from the queue other than this resource's whose function runs
/// with `role`: one that relies on the grant this resource would share or
/// remove there. One ListEventSourceMappings, and a GetFunction per other
/// mapping.
async fn other_mapping_through(
    c: &AwsClients,
    s: &SqsEventSourceState,
    role: &str,
) -> Result<Option<RemoteMapping>, AwsError> {
    let ours = known(&s.uuid);
    for other in event_source::mappings_of_queue(c, &text(&s.queue_arn)).await? {
        if Some(other.uuid.as_str()) == ours {
            continue;
        }
        let other_role = lambda::function_role(c, &other.function_arn).await?;
        if other_role.as_deref().and_then(|a| arn::iam_role(a).ok()) == Some(role) {
            return Ok(Some(other));
        }
    }
    Ok(None)
}

/// Refuse, before anything is written, a grant whose name already holds
/// other content on `role`: PutRolePolicy would overwrite it, and what it
/// holds serves someone (another mapping of the queue through the role
/// with another `kms_key_arn`, or a policy written by hand). The same
/// content is shared, as two mappings through one role share it. One
/// GetRolePolicy; finding who relies on a refused grant costs more, only
/// then.
async fn ensure_grant_free(
    c: &AwsClients,
    s: &SqsEventSourceState,
    role: &str,
) -> Result<(), StepError> {
    let name = text(&s.policy_name);
    let doing = format!("writing {}", grant_label(role, &name));
    let held = iam::find_role_policy(c, role, &name)
        .await
        .map_err(step(doing.clone()))?;
    match held {
        Some(held) if !equivalent(&held, &text(&s.policy_json)) => {
            let other = other_mapping_through(c, s, role)
                .await
                .map_err(step(doing.clone()))?;
            Err(StepError {
                doing,
                error: grant_taken(role, &name, other.as_ref()),
            })
        }
        _ => Ok(()),
    }
}

/// The "already exists" error for a grant of this resource's name that
/// holds other content. When a mapping relies on it, that mapping's UUID is
/// the import id; otherwise nothing can be imported, and the grant is a
/// leftover (of an interrupted apply with other settings, say) or
/// hand-written: only its owner can tell, so the user is told how to
/// remove it.
fn grant_taken(role: &str, name: &str, other: Option<&RemoteMapping>) -> AwsError {
    let what = format!("Inline policy {name} of IAM Role ({role})");
    let content = "other content than this resource grants";
    match other {
        Some(other) => not_recorded_unless(
            "PutRolePolicy",
            "EntityAlreadyExists",
            &format!(
                "{what} ({content}, serving the mapping {}: {} -> {})",
                other.uuid, other.queue_arn, other.function_arn
            ),
            &other.uuid,
            "give the functions separate execution roles (role_name), or both mappings the same kms_key_arn: mappings of one queue through one role share one grant",
            None,
        ),
        None => AwsError {
            operation: "PutRolePolicy",
            code: "EntityAlreadyExists".into(),
            message: format!(
                "{what} ({content}) already exists and no mapping from the queue through this role relies on it. If it is a leftover of this resource (an apply that was interrupted), delete it (aws iam delete-role-policy --role-name {role} --policy-name {name}) and apply again; otherwise give this function another execution role (role_name): this resource never overwrites a grant it cannot prove its own."
            ),
            request_id: None,
            kind: ErrorKind::AlreadyExists,
        },
    }
}

/// The grant's turn on `role`: its check, its write and, for a create, the
/// mapping that relies on it happen one resource at a time, so that of two
/// creates in one apply the second finds the first's grant and the mapping
/// that relies on it.
async fn grant_turn<'c>(
    c: &'c AwsClients,
    s: &SqsEventSourceState,
    role: &str,
) -> Result<KeyGuard<'c>, StepError> {
    let name = text(&s.policy_name);
    let doing = format!("writing {}", grant_label(role, &name));
    turn(
        &c.role_policy_locks,
        &format!("{role}/{name}"),
        doing,
        "PutRolePolicy",
    )
    .await
}

/// Write the grant on `role`, first making sure it is free
/// ([`ensure_grant_free`]) when `check`. The caller holds its turn.
async fn put_grant(
    c: &AwsClients,
    s: &SqsEventSourceState,
    role: &str,
    check: bool,
) -> Result<(), StepError> {
    if check {
        ensure_grant_free(c, s, role).await?;
    }
    iam::put_role_policy(c, role, &text(&s.policy_name), &text(&s.policy_json))
        .await
        .map_err(step(format!(
            "writing {}",
            grant_label(role, &text(&s.policy_name))
        )))
}

/// `role_from_function`: `role_name` is not configured.
pub async fn create(
    c: &AwsClients,
    planned: SqsEventSourceState,
    role_from_function: bool,
) -> Applied {
    let mut s = planned;
    let private = SqsEventSourcePrivate {
        role_from_function,
        ..Default::default()
    };
    let deadline = deadline(&s, |t| &t.create);
    let role = match role_of(c, &s).await {
        Ok(role) => role,
        Err(e) => return Applied::failed(None, private, e),
    };
    s.role_name = str_value(&role);
    if let Err(e) = ensure_none_exists(c, &s).await {
        return Applied::failed(None, private, e);
    }
    let _turn = match grant_turn(c, &s, &role).await {
        Ok(turn) => turn,
        Err(e) => return Applied::failed(None, private, e),
    };
    if let Err(e) = put_grant(c, &s, &role, true).await {
        return Applied::failed(None, private, e);
    }
    match create_mapping(c, &s, deadline).await {
        Ok(uuid) => {
            s.uuid = str_value(&uuid);
            s.id = str_value(&uuid);
            read_back(c, s, private, deadline).await
        }
        Err(failure) => roll_back_grant(c, s, &role, private, failure).await,
    }
}

/// Refuse before writing anything when a mapping from this queue to this
/// function exists: it is not this resource's (no state records it).
async fn ensure_none_exists(c: &AwsClients, s: &SqsEventSourceState) -> Result<(), StepError> {
    let doing = format!("creating {}", label(s));
    match find_existing(c, s).await.map_err(step(doing.clone()))? {
        Some(existing) => Err(StepError {
            doing,
            error: not_ours(&existing, "ResourceConflictException", None),
        }),
        None => Ok(()),
    }
}

/// Undo a failed create: take back the grant it wrote, unless another
/// mapping from the queue relies on it ([`release_grant`]). A grant that
/// cannot be removed is returned as partial state, so Terraform records it
/// (tainted) and the next apply or destroy removes it.
async fn roll_back_grant(
    c: &AwsClients,
    s: SqsEventSourceState,
    role: &str,
    private: SqsEventSourcePrivate,
    failure: StepError,
) -> Applied {
    let mut errors = vec![failure];
    let mut stale = Vec::new();
    let written = RoleGrant {
        role: role.to_string(),
        policy_name: text(&s.policy_name),
    };
    remove_grant(c, &s, &written, false, &mut stale, &mut errors).await;
    let state = (!stale.is_empty()).then(|| without_unknowns(s));
    Applied {
        state,
        private,
        errors,
    }
}

/// Update in place. The grant goes on the planned role, under the planned
/// name, first (written every time: it is one idempotent call and repairs
/// a grant changed out of band), then the mapping changes, then the grants
/// it no longer needs go: on roles the function left, and under a name the
/// grant no longer has (state of schema version 0). The role is never
/// without its grant.
pub async fn update(
    c: &AwsClients,
    prior: &SqsEventSourceState,
    planned: SqsEventSourceState,
    role_from_function: bool,
    prior_private: &SqsEventSourcePrivate,
) -> Applied {
    let prior_private = &private_of_version_0(prior_private.clone(), &text(&prior.queue_arn));
    let mut s = planned;
    let deadline = deadline(&s, |t| &t.update);
    let granted = match role_of(c, &s).await {
        Ok(role) => {
            s.role_name = str_value(&role);
            // Checked as a create checks it where the prior state does
            // not hold the grant there already: the grant moves to
            // another role, or takes the name of schema version 1.
            let check = !holds(prior, &role, &s);
            match grant_turn(c, &s, &role).await {
                Ok(_turn) => put_grant(c, &s, &role, check).await.map(|()| role),
                Err(e) => Err(e),
            }
        }
        Err(e) => Err(e),
    };
    let role = match granted {
        Ok(role) => role,
        Err(e) => return Applied::failed(Some(prior.clone()), prior_private.clone(), e),
    };
    let uuid = match write_mapping(c, prior, &s, deadline).await {
        Ok(uuid) => uuid,
        Err(failure) => return roll_back_update(c, prior, prior_private, &s, &role, failure).await,
    };
    s.uuid = str_value(&uuid);
    s.id = str_value(&uuid);
    let written = named_grant(&s);
    let private = SqsEventSourcePrivate {
        role_from_function,
        ..Default::default()
    };
    let mut applied = read_back(c, s, private, deadline).await;
    // Only now that the mapping is settled on the new grant may the old
    // ones go.
    let template = applied.state.clone().unwrap_or_else(|| prior.clone());
    let old = grants_held(prior, prior_private)
        .into_iter()
        .filter(|g| Some(g) != written.as_ref());
    for grant in old {
        let (stale, errors) = (&mut applied.private.stale_grants, &mut applied.errors);
        let rewritten = grant.role == role;
        remove_grant(c, &template, &grant, rewritten, stale, errors).await;
    }
    applied
}

/// Undo a failed update's grant on the planned role `role` (of the planned
/// state `s`), unless the prior state holds that one already, and keep the
/// prior state, which still describes the mapping.
async fn roll_back_update(
    c: &AwsClients,
    prior: &SqsEventSourceState,
    prior_private: &SqsEventSourcePrivate,
    s: &SqsEventSourceState,
    role: &str,
    failure: StepError,
) -> Applied {
    let mut errors = vec![failure];
    let mut stale = prior_private.stale_grants.clone();
    if !holds(prior, role, s) {
        // The new grant serves nothing the prior state knows.
        let written = RoleGrant {
            role: role.to_string(),
            policy_name: text(&s.policy_name),
        };
        remove_grant(c, s, &written, false, &mut stale, &mut errors).await;
    }
    Applied {
        state: Some(prior.clone()),
        private: SqsEventSourcePrivate {
            stale_grants: stale,
            ..prior_private.clone()
        },
        errors,
    }
}

/// Bring the mapping to the planned settings (only those that changed are
/// sent), or create it again when it was deleted out of band while its
/// grant remained. Its UUID.
async fn write_mapping(
    c: &AwsClients,
    prior: &SqsEventSourceState,
    s: &SqsEventSourceState,
    deadline: Instant,
) -> Result<String, StepError> {
    let Some(uuid) = known(&prior.uuid) else {
        ensure_none_exists(c, s).await?;
        return create_mapping(c, s, deadline).await;
    };
    let change = update_of(&expand(prior), &expand(s));
    if !change.is_empty() {
        event_source::update_mapping(c, uuid, &change, deadline)
            .await
            .map_err(step(format!("updating {}", label(prior))))?;
    }
    Ok(uuid.to_string())
}

/// Delete the mapping (waiting until it is gone, or still `Deleting` at the
/// deadline: Lambda has accepted it), then every grant it holds.
pub async fn delete(
    c: &AwsClients,
    s: &SqsEventSourceState,
    private: &SqsEventSourcePrivate,
) -> Result<(), StepError> {
    let private = private_of_version_0(private.clone(), &text(&s.queue_arn));
    let deadline = deadline(s, |t| &t.delete);
    if let Some(uuid) = known(&s.uuid) {
        let doing = format!("deleting {}", label(s));
        event_source::delete_mapping(c, uuid, deadline)
            .await
            .map_err(step(doing.clone()))?;
        event_source::wait_for(c, uuid, deadline, gone)
            .await
            .map_err(step(doing))?;
    }
    for grant in grants_held(s, &private) {
        release(c, s, &grant, false).await.map_err(step(format!(
            "deleting {}",
            grant_label(&grant.role, &grant.policy_name)
        )))?;
    }
    Ok(())
}

/// Refresh. `Ok(None)` only when nothing is left to manage: no mapping and
/// no grant.
pub async fn read(
    c: &AwsClients,
    prior: &SqsEventSourceState,
    private: SqsEventSourcePrivate,
) -> Result<Option<(SqsEventSourceState, SqsEventSourcePrivate)>, StepError> {
    let mut private = private_of_version_0(private, &text(&prior.queue_arn));
    let mapping = match known(&prior.uuid) {
        Some(uuid) => event_source::find_mapping(c, uuid)
            .await
            .map_err(step(format!("reading {}", label(prior))))?,
        None => None,
    };
    let mut s = match &mapping {
        Some(remote) => flatten_mapping(prior, remote),
        // Gone out of band: a null UUID plans it anew.
        None => SqsEventSourceState {
            uuid: Value::Null,
            id: Value::Null,
            state: Value::Null,
            ..prior.clone()
        },
    };
    if private.role_from_function {
        let function = text(&prior.function_name);
        let role_arn = lambda::function_role(c, &function)
            .await
            .map_err(step(format!(
                "reading the execution role of Lambda Function ({function})"
            )))?;
        let now = role_arn.as_deref().and_then(|a| arn::iam_role(a).ok());
        if let (Some(now), Some(before)) = (now, named_grant(prior)) {
            if now != before.role {
                // The function runs with another role now: the plan moves
                // the grant there, and the old role's grant is removed then.
                if !private.stale_grants.contains(&before) {
                    private.stale_grants.push(before);
                }
                s.role_name = str_value(now);
            }
        }
    }
    let grant = match named_grant(&s) {
        Some(g) => iam::find_role_policy(c, &g.role, &g.policy_name)
            .await
            .map_err(step(format!(
                "reading {}",
                grant_label(&g.role, &g.policy_name)
            )))?,
        None => None,
    };
    if mapping.is_none() && grant.is_none() && private.stale_grants.is_empty() {
        return Ok(None);
    }
    Ok(Some((flatten_grant(s, grant.as_deref()), private)))
}

/// The shortest form that names the function from the provider's region and
/// account (`name` or `name:qualifier`), the form configurations usually
/// give; the ARN otherwise.
fn function_form(function_arn: &str, ctx: &PlanContext) -> String {
    match parse_function_ref(function_arn) {
        Ok(r) if r.region == ctx.region && r.account_id == ctx.account_id => match r.qualifier {
            Some(q) => format!("{}:{q}", r.name),
            None => r.name,
        },
        _ => function_arn.to_string(),
    }
}

/// The mapping an import id names, which must be one from an SQS queue.
async fn find_sqs_mapping(c: &AwsClients, uuid: &str) -> Result<RemoteMapping, StepError> {
    let doing = format!("importing Lambda Event Source Mapping ({uuid})");
    let usage = "the import id is the mapping's UUID (aws lambda list-event-source-mappings --event-source-arn <queue ARN>)";
    let remote = event_source::find_mapping(c, uuid)
        .await
        .map_err(step(doing.clone()))?
        .ok_or_else(|| StepError {
            doing: doing.clone(),
            error: AwsError {
                operation: "GetEventSourceMapping",
                code: "ResourceNotFoundException".into(),
                message: format!("no event source mapping {uuid}: {usage}"),
                request_id: None,
                kind: ErrorKind::NotFound,
            },
        })?;
    match arn::sqs_queue(&remote.queue_arn) {
        Ok(_) => Ok(remote),
        Err(why) => Err(StepError {
            doing,
            error: failure(
                "GetEventSourceMapping",
                "NotAnSqsMapping",
                format!("{why}: lambdawire_sqs_event_source manages mappings from SQS queues only"),
            ),
        }),
    }
}

/// Import by the mapping's UUID. The grant is the one this resource would
/// write on the function's execution role; its key, if it has one, becomes
/// `kms_key_arn`.
pub async fn import(
    c: &AwsClients,
    id: &str,
    ctx: &PlanContext,
) -> Result<(SqsEventSourceState, SqsEventSourcePrivate), StepError> {
    let remote = find_sqs_mapping(c, id.trim()).await?;
    let function_name = function_form(&remote.function_arn, ctx);
    let base = SqsEventSourceState {
        function_name: str_value(&function_name),
        queue_arn: str_value(&remote.queue_arn),
        batch_size: Value::Value(DEFAULT_BATCH_SIZE),
        enabled: Value::Value(true),
        ..Default::default()
    };
    let mut s = flatten_mapping(&base, &remote);
    let role = role_of(
        c,
        &SqsEventSourceState {
            function_name: str_value(&remote.function_arn),
            ..Default::default()
        },
    )
    .await?;
    let name = policy_name(&remote.queue_arn).unwrap_or_default();
    let grant = iam::find_role_policy(c, &role, &name)
        .await
        .map_err(step(format!(
            "reading inline policy {name} of IAM Role ({role})"
        )))?;
    let key = grant.as_deref().and_then(granted_key);
    s.role_name = str_value(&role);
    s.policy_name = str_value(&name);
    s.kms_key_arn = opt(key.clone());
    s.policy_json = str_value(&sqs_event_source_policy(&remote.queue_arn, key.as_deref()));
    let private = SqsEventSourcePrivate {
        role_from_function: true,
        ..Default::default()
    };
    Ok((flatten_grant(s, grant.as_deref()), private))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::resources::testing::ctx;

    /// A mapping from `orders` to `function`, as Lambda lists it.
    fn mapping(uuid: &str, function: &str) -> RemoteMapping {
        RemoteMapping {
            uuid: uuid.into(),
            function_arn: format!("arn:aws:lambda:us-east-1:123456789012:function:{function}"),
            queue_arn: "arn:aws:sqs:us-east-1:123456789012:orders".into(),
            batch_size: None,
            maximum_batching_window_in_seconds: None,
            state: "Enabled".into(),
            report_batch_item_failures: false,
            maximum_concurrency: None,
            filter_patterns: vec![],
        }
    }

    #[test]
    fn imported_functions_take_the_form_configurations_use() {
        let arn = "arn:aws:lambda:us-east-1:123456789012:function:processor";
        assert_eq!(function_form(arn, &ctx()), "processor");
        assert_eq!(
            function_form(&format!("{arn}:live"), &ctx()),
            "processor:live"
        );
        let elsewhere = "arn:aws:lambda:eu-west-1:123456789012:function:processor";
        assert_eq!(function_form(elsewhere, &ctx()), elsewhere);
        let unknown = PlanContext {
            account_id: None,
            ..ctx()
        };
        assert_eq!(function_form(arn, &unknown), arn);
    }

    #[test]
    fn a_grant_holding_other_content_is_refused_with_the_mapping_that_relies_on_it() {
        let other = mapping("6f2f2d38", "auditor");
        let relied_on = grant_taken("shared", "lambdawire-sqs-orders", Some(&other));
        assert!(relied_on.is(ErrorKind::AlreadyExists));
        for piece in [
            "Inline policy lambdawire-sqs-orders of IAM Role (shared)",
            "serving the mapping 6f2f2d38",
            "already exists and no Terraform state records it",
            "terraform import <this resource's address> 6f2f2d38",
            "the same kms_key_arn",
        ] {
            assert!(
                relied_on.message.contains(piece),
                "{piece}: {}",
                relied_on.message
            );
        }
        let leftover = grant_taken("shared", "lambdawire-sqs-orders", None);
        assert!(leftover.is(ErrorKind::AlreadyExists));
        assert!(
            leftover.message.contains("already exists and no mapping")
                && leftover.message.contains(
                    "aws iam delete-role-policy --role-name shared --policy-name lambdawire-sqs-orders"
                ),
            "{}",
            leftover.message
        );
    }

    #[test]
    fn a_mapping_invokes_the_function_in_every_spelling_but_not_another_alias() {
        let m = mapping("u", "processor");
        for yes in [
            "processor",
            "123456789012:function:processor",
            "arn:aws:lambda:us-east-1:123456789012:function:processor",
        ] {
            assert!(invokes(&m, yes), "{yes}");
        }
        for no in [
            "processor:live",
            "billing",
            "210987654321:function:processor",
        ] {
            assert!(!invokes(&m, no), "{no}");
        }
    }
}
