//! The AWS steps of `lambdawire_lambda_invoke_permission`. Every edit of one
//! function's policy holds that function's lock (all ways of naming it map to
//! one key), so parallel applies inside this provider never race each other.

use std::time::Duration;

use tokio::time::Instant;

use crate::aws::lambda::{self, AddOutcome, PermissionRequest};
use crate::aws::lock::KeyGuard;
use crate::aws::{AwsClients, AwsError, ErrorKind};
use crate::plugin::{known, opt, text, Str, Value};
use crate::resources::steps::{not_recorded, unique_name, StepError};

use super::model::PermissionState;
use super::plan::permission_id;
use super::update_plan::{
    is_temporary_statement_id, recovery_steps, rollback_steps, temporary_statement_id,
    update_steps, Step,
};
use crate::lambda::function_ref::{lock_key, parse_function_ref};
use crate::lambda::statement::{
    find_statement, matches_args, same_principal, StoredStatement, POLICY_SIZE_LIMIT,
};
use crate::resources::PlanContext;

/// Bound of the conflict retries around one policy edit. It starts once the
/// function's lock is held: time spent queued behind the other edits of the
/// same policy (hundreds of permissions on one function) must not use up the
/// retries of this one.
pub(crate) const EDIT_TIMEOUT: Duration = Duration::from_secs(120);

fn some(s: &Str) -> Option<String> {
    known(s).map(str::to_string)
}

fn label(s: &PermissionState) -> String {
    format!("Lambda Permission ({})", text(&s.id))
}

fn fail(doing: String) -> impl FnOnce(AwsError) -> StepError {
    move |error| StepError { doing, error }
}

/// The per-function lock's key: every spelling of one function (and
/// qualifier) shares it.
fn key(s: &PermissionState, ctx: &PlanContext) -> String {
    let function = text(&s.function_name);
    match parse_function_ref(&function) {
        Ok(r) => lock_key(
            &r,
            known(&s.qualifier),
            // Apply runs with known facts; the account is missing only for a
            // function named by an ARN with its own, which lock_key uses.
            ctx.region.as_deref().unwrap_or_default(),
            ctx.account_id.as_deref().unwrap_or_default(),
        ),
        Err(_) => function,
    }
}

/// This function's turn to edit its policy (edits of one function run one
/// at a time), or, when a stop comes first, an error saying that the edit
/// (`operation`, the call it was about to make) was not started.
pub(crate) async fn policy_turn<'c>(
    c: &'c AwsClients,
    s: &PermissionState,
    ctx: &PlanContext,
    operation: &'static str,
) -> Result<KeyGuard<'c>, StepError> {
    let stop = crate::plugin::stop::global();
    c.permission_locks
        .lock(&key(s, ctx), stop)
        .await
        .ok_or_else(|| StepError {
            doing: format!("editing the policy of {}", label(s)),
            error: AwsError {
                operation,
                code: "NotStarted".into(),
                message: format!(
                    "lambdawire is stopping ({}): this edit was waiting its turn and made no call; \
                     run the command again to finish",
                    stop.reason().unwrap_or("a stop request")
                ),
                request_id: None,
                kind: ErrorKind::Other,
            },
        })
}

/// The event-source token AddPermission sends: the sensitive attribute, or
/// the write-only one, which only the configuration holds (plan and state
/// carry null for it).
pub fn token_to_send(planned: &PermissionState, config: &PermissionState) -> Option<String> {
    some(&planned.event_source_token).or_else(|| some(&config.event_source_token_wo))
}

fn request(s: &PermissionState, token: Option<&str>, statement_id: &str) -> PermissionRequest {
    PermissionRequest {
        function_name: text(&s.function_name),
        qualifier: some(&s.qualifier),
        statement_id: statement_id.to_string(),
        action: text(&s.action),
        principal: text(&s.principal),
        source_arn: some(&s.source_arn),
        source_account: some(&s.source_account),
        principal_org_id: some(&s.principal_org_id),
        function_url_auth_type: some(&s.function_url_auth_type),
        invoked_via_function_url: s.invoked_via_function_url == Value::Value(true),
        event_source_token: token.map(str::to_string),
    }
}

/// The statements with these ids in the policy of `s`'s function (and
/// qualifier), read with one GetPolicy; each `None` when absent, all of them
/// when the function has no policy or is gone.
pub(crate) async fn stored_statements<const N: usize>(
    c: &AwsClients,
    s: &PermissionState,
    sids: [&str; N],
) -> Result<[Option<StoredStatement>; N], AwsError> {
    let Some((policy, _revision)) =
        lambda::find_policy(c, &text(&s.function_name), known(&s.qualifier)).await?
    else {
        return Ok(std::array::from_fn(|_| None));
    };
    let mut found: [Option<StoredStatement>; N] = std::array::from_fn(|_| None);
    for (slot, sid) in found.iter_mut().zip(sids) {
        *slot = find_statement(&policy, sid).map_err(|why| AwsError {
            operation: "GetPolicy",
            code: "UnreadablePolicy".into(),
            message: why,
            request_id: None,
            kind: ErrorKind::Other,
        })?;
    }
    Ok(found)
}

async fn current_statement(
    c: &AwsClients,
    s: &PermissionState,
    sid: &str,
) -> Result<Option<StoredStatement>, AwsError> {
    let [found] = stored_statements(c, s, [sid]).await?;
    Ok(found)
}

/// Whether `stored` is exactly the statement `s` describes (under any id).
pub(crate) fn holds(stored: &StoredStatement, s: &PermissionState) -> bool {
    is_this_statement(stored, &request(s, None, &text(&s.statement_id)))
}

fn is_this_statement(stored: &StoredStatement, req: &PermissionRequest) -> bool {
    matches_args(
        stored,
        &req.principal,
        &req.action,
        req.source_arn.as_deref(),
        req.source_account.as_deref(),
        req.principal_org_id.as_deref(),
        req.function_url_auth_type.as_deref(),
        req.invoked_via_function_url,
    ) && (stored.event_source_token.is_none()
        || stored.event_source_token == req.event_source_token)
}

/// What the statement stored under the id we tried to add says about that
/// attempt.
#[derive(Debug, Clone, PartialEq, Eq)]
enum Verdict {
    /// Exactly this statement is there: our earlier call did apply.
    Present,
    /// Nothing under that id: the attempt did not apply, send it again.
    Absent,
    /// Another statement holds the id.
    Taken,
}

fn verdict(found: Option<&StoredStatement>, req: &PermissionRequest) -> Verdict {
    match found {
        None => Verdict::Absent,
        Some(stored) if is_this_statement(stored, req) => Verdict::Present,
        Some(_) => Verdict::Taken,
    }
}

/// Pause between looks at the policy after an unanswered AddPermission.
const RESEND_FIRST_DELAY: Duration = Duration::from_millis(200);
const RESEND_MAX_DELAY: Duration = Duration::from_secs(3);

/// Add one statement. An unanswered call or "statement id already exists" is
/// settled by reading the policy: exactly this statement there is success (the
/// first answer was lost), nothing there means send again, a leftover
/// temporary statement of ours is replaced once, and anything else fails at
/// once with a hint. `s.id` is the import id of the resource the statement
/// belongs to, which that hint names. On success, the statement as Lambda
/// stored it, when its answer (or the policy read that settled it) said.
pub(crate) async fn add(
    c: &AwsClients,
    s: &PermissionState,
    token: Option<&str>,
    sid: &str,
    deadline: Instant,
) -> Result<Option<StoredStatement>, StepError> {
    let req = request(s, token, sid);
    let doing = format!("adding {}", label(s));
    let mut delay = RESEND_FIRST_DELAY;
    let mut replaced_leftover = false;
    // Only a statement that appeared after a send of ours went unanswered is
    // ours; one Lambda reports as taken at our first word was there before
    // (AddPermission runs without SDK resends), whatever its content.
    let mut sent_unanswered = false;
    loop {
        let outcome = lambda::add_permission(c, &req, deadline)
            .await
            .map_err(|e| with_size_hint(e, s))
            .map_err(fail(doing.clone()))?;
        let (refusal, unanswered) = match outcome {
            // An answer without a statement that reads still means added;
            // the caller then reads the policy instead.
            AddOutcome::Added(stored) => return Ok(stored),
            AddOutcome::IdTaken(e) => (e, false),
            AddOutcome::Unanswered(e) => (e, true),
        };
        sent_unanswered |= unanswered;
        let existing = current_statement(c, s, sid)
            .await
            .map_err(fail(doing.clone()))?;
        match verdict(existing.as_ref(), &req) {
            Verdict::Present if sent_unanswered => return Ok(existing),
            Verdict::Present if !is_temporary_statement_id(sid) => {
                return Err(StepError {
                    doing,
                    error: not_recorded(
                        "AddPermission",
                        &refusal.code,
                        &format!(
                            "statement {sid} in the policy of {}",
                            text(&s.function_name)
                        ),
                        &text(&s.id),
                        refusal.request_id.clone(),
                    ),
                })
            }
            Verdict::Present => return Ok(existing),
            Verdict::Taken if is_temporary_statement_id(sid) && !replaced_leftover => {
                remove(c, s, sid, deadline).await?;
                replaced_leftover = true;
            }
            Verdict::Taken => return Err(taken(sid, s, doing, &refusal)),
            Verdict::Absent => {
                if Instant::now() + delay > deadline {
                    return Err(if unanswered {
                        fail(doing)(refusal)
                    } else {
                        taken(sid, s, doing, &refusal)
                    });
                }
                if !crate::plugin::stop::global().sleep(delay).await {
                    // Stopped: the statement may still appear, and the next
                    // apply's read settles it; report the call as unanswered.
                    return Err(fail(doing)(refusal));
                }
                delay = (delay * 2).min(RESEND_MAX_DELAY);
            }
        }
    }
}

/// Lambda's "already exists" said plainly: which id, whose policy, what to do.
fn taken(sid: &str, s: &PermissionState, doing: String, refusal: &AwsError) -> StepError {
    StepError {
        doing,
        error: AwsError {
            operation: "AddPermission",
            code: "ResourceConflictException".into(),
            message: format!(
                "statement id {sid} already exists in the policy of {} with other content: choose another \
                 statement_id, or import the statement with terraform import",
                text(&s.function_name)
            ),
            request_id: refusal.request_id.clone(),
            kind: ErrorKind::AlreadyExists,
        },
    }
}

/// Lambda refuses a policy over 20 KB; say how to stay under it.
fn with_size_hint(mut e: AwsError, s: &PermissionState) -> AwsError {
    if e.code == "PolicyLengthExceededException" || e.message.contains("exceeds the maximum") {
        e.kind = ErrorKind::LimitExceeded;
        e.code = "PolicyLengthExceededException".into();
        e.message = format!(
            "{} (the resource policy of {} is limited to {POLICY_SIZE_LIMIT} bytes)",
            e.message,
            text(&s.function_name)
        );
    }
    e
}

pub(crate) async fn remove(
    c: &AwsClients,
    s: &PermissionState,
    sid: &str,
    deadline: Instant,
) -> Result<(), StepError> {
    lambda::remove_permission(
        c,
        &text(&s.function_name),
        known(&s.qualifier),
        sid,
        deadline,
    )
    .await
    .map_err(fail(format!("removing statement {sid} of {}", label(s))))
}

/// Read the statement back into the state, keeping the user's forms.
/// `token_write_only`: the token came from `event_source_token_wo`, so the
/// stored one must not be copied into `event_source_token` (that would put
/// the write-only secret in state, and plan it away again on every run).
pub fn flatten(
    prior: &PermissionState,
    stored: &StoredStatement,
    token_write_only: bool,
) -> PermissionState {
    let keep = |p: &Str, remote: &Option<String>| match (known(p), remote) {
        (Some(a), Some(b)) if a == b => p.clone(),
        (_, r) => opt(r.clone()),
    };
    let mut s = prior.clone();
    s.principal = match known(&prior.principal) {
        Some(p) if same_principal(p, &stored.principal) => prior.principal.clone(),
        _ => Value::Value(stored.principal.clone()),
    };
    s.action = match known(&prior.action) {
        Some(a) if a.eq_ignore_ascii_case(&stored.action) => prior.action.clone(),
        _ => Value::Value(stored.action.clone()),
    };
    s.source_arn = keep(&prior.source_arn, &stored.source_arn);
    s.source_account = keep(&prior.source_account, &stored.source_account);
    s.principal_org_id = keep(&prior.principal_org_id, &stored.principal_org_id);
    s.function_url_auth_type = keep(
        &prior.function_url_auth_type,
        &stored.function_url_auth_type,
    );
    // Null and false both mean "no condition": keep the user's form when
    // the stored statement agrees, so neither plans a change.
    let prior_flag = s.invoked_via_function_url == Value::Value(true);
    if prior_flag != stored.invoked_via_function_url || s.invoked_via_function_url.is_unknown() {
        s.invoked_via_function_url = if stored.invoked_via_function_url {
            Value::Value(true)
        } else if prior.invoked_via_function_url.is_unknown() {
            Value::Null
        } else {
            Value::Value(false)
        };
    }
    // Emulators do not always echo the token back; only a different stored
    // token is drift.
    if stored.event_source_token.is_some() && !token_write_only {
        s.event_source_token = keep(&prior.event_source_token, &stored.event_source_token);
    }
    s.statement_json = Value::Value(stored.json.clone());
    s.function_arn = Value::Value(unqualified(&stored.resource));
    // Its default, false, where a state of an older version, an import or
    // a move from hashicorp/aws left it null: the plan then shows no change.
    if !s.allow_unscoped_source.is_value() {
        s.allow_unscoped_source = Value::Value(false);
    }
    s
}

/// `arn:...:function:name[:qualifier]` -> `arn:...:function:name`; a
/// resource that is not a function ARN is kept as Lambda gave it.
fn unqualified(resource: &str) -> String {
    crate::validate::arn::lambda_function(resource)
        .map_or(resource, |f| f.unqualified())
        .to_string()
}

async fn read_back(c: &AwsClients, s: PermissionState, token_write_only: bool) -> Outcome {
    let sid = text(&s.statement_id);
    match current_statement(c, &s, &sid).await {
        Ok(Some(stored)) => (Some(flatten(&s, &stored, token_write_only)), Vec::new()),
        Ok(None) => {
            let error = AwsError {
                operation: "GetPolicy",
                code: "ResourceNotFoundException".into(),
                message: format!("statement {sid} was added but is not in the function's policy"),
                request_id: None,
                kind: ErrorKind::NotFound,
            };
            // Lambda accepted the statement, so it may exist even though this
            // read missed it (a read from a replica that lags, or a function
            // replaced meanwhile). Forgetting it would leave a grant, its id
            // possibly generated, that nothing manages: record it (tainted),
            // and the next plan reads it again and replaces or drops it.
            (
                Some(s.clone()),
                vec![StepError {
                    doing: format!("reading {}", label(&s)),
                    error,
                }],
            )
        }
        Err(e) => (
            Some(s.clone()),
            vec![fail(format!("reading {}", label(&s)))(e)],
        ),
    }
}

/// Whether an interrupted update left its temporary statement behind.
async fn has_temporary(c: &AwsClients, s: &PermissionState) -> Result<bool, StepError> {
    let temp = temporary_statement_id(&text(&s.statement_id));
    match current_statement(c, s, &temp).await {
        Ok(found) => Ok(found.is_some()),
        Err(e) => Err(fail(format!("reading {}", label(s)))(e)),
    }
}

/// A create or update: the state to record (partial where a step failed
/// after something was written) and the failed steps.
pub type Outcome = (Option<PermissionState>, Vec<StepError>);

/// `token`: what [`token_to_send`] chose.
pub async fn create(
    c: &AwsClients,
    planned: PermissionState,
    token: Option<&str>,
    ctx: &PlanContext,
) -> Outcome {
    let mut s = planned;
    if !s.statement_id.is_value() {
        s.statement_id = Value::Value(unique_name(
            known(&s.statement_id_prefix).unwrap_or("lambdawire-"),
        ));
    }
    s.id = Value::Value(permission_id(
        &text(&s.function_name),
        known(&s.qualifier),
        &text(&s.statement_id),
    ));
    let turn = match policy_turn(c, &s, ctx, "AddPermission").await {
        Ok(turn) => turn,
        Err(e) => return (None, vec![e]),
    };
    let deadline = Instant::now() + EDIT_TIMEOUT;
    let added = add(c, &s, token, &text(&s.statement_id), deadline).await;
    // The lock orders edits only; a read-back needs none of it, and holding
    // it would make every edit queued on the function wait a round trip
    // more (each holding one of Terraform's -parallelism slots).
    drop(turn);
    let write_only = write_only_token(&s, token);
    match added {
        Err(e) => (None, vec![e]),
        // AddPermission answers with the statement as Lambda stored it in
        // the policy: that is the read after the write, without a GetPolicy
        // of the whole, growing policy per statement.
        Ok(Some(stored)) if answer_holds(&stored, &request(&s, token, &text(&s.statement_id))) => {
            (Some(flatten(&s, &stored, write_only)), Vec::new())
        }
        Ok(_) => read_back(c, s, write_only).await,
    }
}

/// Whether the statement AddPermission answered with is the whole statement
/// asked for: its id, every argument and condition, and the token when one
/// was sent. An answer short of any (emulators leave out the token and the
/// `lambda:InvokedViaFunctionUrl` condition, which their GetPolicy shows)
/// is no read-back, and the policy is read instead.
fn answer_holds(stored: &StoredStatement, req: &PermissionRequest) -> bool {
    stored.sid == req.statement_id
        && is_this_statement(stored, req)
        && stored.event_source_token.is_some() == req.event_source_token.is_some()
}

/// `resend`: the token moves to or from the write-only attribute, so the
/// statement is re-added even when the state shows no change.
pub async fn update(
    c: &AwsClients,
    prior: &PermissionState,
    planned: PermissionState,
    token: Option<&str>,
    resend: bool,
    ctx: &PlanContext,
) -> Outcome {
    let mut s = planned;
    if !s.statement_id.is_value() {
        s.statement_id = Value::Value(unique_name(
            known(&s.statement_id_prefix).unwrap_or("lambdawire-"),
        ));
    }
    s.id = Value::Value(permission_id(
        &text(&s.function_name),
        known(&s.qualifier),
        &text(&s.statement_id),
    ));
    if !super::plan::statement_changes(prior, &s) && !resend && !super::plan::stranded(prior) {
        // Another spelling of the same function, or allow_unscoped_source:
        // nothing changes in AWS.
        s.statement_json = prior.statement_json.clone();
        return (Some(s), Vec::new());
    }
    let turn = match policy_turn(c, &s, ctx, "AddPermission").await {
        Ok(turn) => turn,
        Err(e) => return (Some(prior.clone()), vec![e]),
    };
    let deadline = Instant::now() + EDIT_TIMEOUT;
    let old_sid = text(&prior.statement_id);
    let temporary = temporary_statement_id(&old_sid);
    let steps = match stored_statements(c, prior, [&old_sid, &temporary]).await {
        // An earlier update failed after removing the prior statement: the
        // grant stands only under the temporary id, which goes last.
        Ok([None, Some(_)]) => recovery_steps(&old_sid, &text(&s.statement_id)),
        Ok([_, left]) => {
            if left.is_some() {
                if let Err(e) = remove(c, prior, &temporary, deadline).await {
                    return (Some(prior.clone()), vec![e]);
                }
            }
            update_steps(&old_sid, &text(&s.statement_id))
        }
        Err(e) => {
            return (
                Some(prior.clone()),
                vec![fail(format!("reading {}", label(prior)))(e)],
            )
        }
    };
    for (i, step) in steps.iter().enumerate() {
        let result = match step {
            Step::Add { statement_id } => add(c, &s, token, statement_id, deadline).await.map(drop),
            Step::Remove { statement_id } => remove(c, prior, statement_id, deadline).await,
        };
        if let Err(e) = result {
            // The grant is never absent. Before the prior statement was
            // removed, what this update added is removed again, so the
            // policy is what the prior state says; after, it stays, and the
            // next apply or destroy sweeps the temporary statement.
            let mut errors = vec![e];
            for undo in rollback_steps(&steps, i) {
                if let Step::Remove { statement_id } = undo {
                    if let Err(e) = remove(c, &s, &statement_id, deadline).await {
                        errors.push(e);
                    }
                }
            }
            return (Some(prior.clone()), errors);
        }
    }
    drop(turn);
    let write_only = write_only_token(&s, token);
    read_back(c, s, write_only).await
}

/// Whether the token sent came from `event_source_token_wo` (the state's
/// sensitive attribute is null while a token was sent).
pub fn write_only_token(s: &PermissionState, token: Option<&str>) -> bool {
    token.is_some() && s.event_source_token.is_null()
}

pub async fn delete(
    c: &AwsClients,
    s: &PermissionState,
    ctx: &PlanContext,
) -> Result<(), StepError> {
    // Look for a leftover temporary statement before removing this one:
    // once a function's last statement is gone, Lambda has no policy and
    // answers GetPolicy 404, so looking after would make the common delete
    // of the last permission a call that fails. The look needs no turn:
    // only this resource ever writes its own statement ids.
    let leftover = has_temporary(c, s).await?;
    let _turn = policy_turn(c, s, ctx, "RemovePermission").await?;
    let deadline = Instant::now() + EDIT_TIMEOUT;
    remove(c, s, &text(&s.statement_id), deadline).await?;
    if leftover {
        remove(
            c,
            s,
            &temporary_statement_id(&text(&s.statement_id)),
            deadline,
        )
        .await?;
    }
    Ok(())
}

/// Refresh: `None` when the statement (or its function) is gone, so the plan
/// adds it again instead of silently missing it.
pub async fn read(
    c: &AwsClients,
    prior: &PermissionState,
    token_write_only: bool,
) -> Result<Option<PermissionState>, StepError> {
    let sid = text(&prior.statement_id);
    // An update that failed after removing the prior statement leaves the
    // grant under its temporary id only: it is still this resource's (the
    // next apply or destroy sweeps it), so the resource stays in state
    // instead of leaving that grant unmanaged. One GetPolicy reads both.
    let temporary = temporary_statement_id(&sid);
    let [main, left] = stored_statements(c, prior, [&sid, &temporary])
        .await
        .map_err(fail(format!("reading {}", label(prior))))?;
    Ok(main
        .or(left)
        .map(|stored| flatten(prior, &stored, token_write_only)))
}

/// An import id's `function[:qualifier]` part as `function_name` and
/// `qualifier`, the function kept in the form given.
pub(crate) fn split_target(function: &str) -> Result<(Str, Str), String> {
    let parsed = parse_function_ref(function)?;
    Ok(match &parsed.qualifier {
        Some(q) => (
            Value::Value(function[..function.len() - q.len() - 1].to_string()),
            Value::Value(q.clone()),
        ),
        None => (Value::Value(function.to_string()), Value::Null),
    })
}

/// Import `function/statement_id` or `function:qualifier/statement_id`.
pub fn import_state(id: &str) -> Result<PermissionState, String> {
    let usage = "the import id is <function>/<statement_id> or <function>:<qualifier>/<statement_id>, where <function> is a name or ARN";
    let (function, sid) = id
        .rsplit_once('/')
        .ok_or_else(|| format!("invalid import id {id:?}: {usage}"))?;
    if sid.is_empty() || function.is_empty() {
        return Err(format!("invalid import id {id:?}: {usage}"));
    }
    let (function_name, qualifier) =
        split_target(function).map_err(|why| format!("invalid import id {id:?}: {why}"))?;
    Ok(PermissionState {
        id: Value::Value(id.to_string()),
        function_name,
        qualifier,
        statement_id: Value::Value(sid.to_string()),
        ..Default::default()
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn import_ids() {
        let s = import_state("processor/s3-uploads").unwrap();
        assert_eq!(
            (s.function_name, s.qualifier, s.statement_id),
            (
                Value::Value("processor".into()),
                Value::Null,
                Value::Value("s3-uploads".into())
            )
        );
        let s = import_state("processor:live/s3").unwrap();
        assert_eq!(
            (s.function_name, s.qualifier),
            (
                Value::Value("processor".into()),
                Value::Value("live".into())
            )
        );
        let s =
            import_state("arn:aws:lambda:us-east-1:123456789012:function:processor:7/x").unwrap();
        assert_eq!(
            s.function_name,
            Value::Value("arn:aws:lambda:us-east-1:123456789012:function:processor".into())
        );
        assert_eq!(s.qualifier, Value::Value("7".into()));
        assert!(import_state("processor").is_err());
        assert!(import_state("/sid").is_err());
    }

    fn sns_statement(sid: &str, source: &str) -> StoredStatement {
        StoredStatement {
            sid: sid.into(),
            principal: "sns.amazonaws.com".into(),
            action: "lambda:InvokeFunction".into(),
            resource: "arn:aws:lambda:us-east-1:123456789012:function:f".into(),
            source_arn: Some(source.into()),
            source_account: None,
            principal_org_id: None,
            function_url_auth_type: None,
            invoked_via_function_url: false,
            event_source_token: None,
            json: "{}".into(),
        }
    }

    #[test]
    fn an_answer_is_the_read_back_only_when_it_holds_all_that_was_asked() {
        let stored = |json: &str| crate::lambda::statement::parse_statement(json).expect("parses");
        let req = PermissionRequest {
            function_name: "f".into(),
            statement_id: "via".into(),
            action: "lambda:InvokeFunction".into(),
            principal: "*".into(),
            invoked_via_function_url: true,
            ..Default::default()
        };
        let whole = r#"{"Sid":"via","Effect":"Allow","Principal":"*","Action":"lambda:InvokeFunction","Resource":"arn:aws:lambda:us-east-1:123456789012:function:f","Condition":{"Bool":{"lambda:InvokedViaFunctionUrl":"true"}}}"#;
        assert!(answer_holds(&stored(whole), &req));
        // moto's answer leaves the condition out: read the policy instead.
        let short = r#"{"Sid":"via","Effect":"Allow","Principal":"*","Action":"lambda:InvokeFunction","Resource":"arn:aws:lambda:us-east-1:123456789012:function:f"}"#;
        assert!(!answer_holds(&stored(short), &req));
        let other_id = PermissionRequest {
            statement_id: "other".into(),
            ..req.clone()
        };
        assert!(!answer_holds(&stored(whole), &other_id));

        let alexa = PermissionRequest {
            statement_id: "alexa".into(),
            principal: "alexa-appkit.amazon.com".into(),
            invoked_via_function_url: false,
            event_source_token: Some("amzn1.ask.skill.0a1b2c3d".into()),
            ..req
        };
        let tokenless = r#"{"Sid":"alexa","Effect":"Allow","Principal":{"Service":"alexa-appkit.amazon.com"},"Action":"lambda:InvokeFunction","Resource":"arn:aws:lambda:us-east-1:123456789012:function:f"}"#;
        assert!(!answer_holds(&stored(tokenless), &alexa));
        let with_token = r#"{"Sid":"alexa","Effect":"Allow","Principal":{"Service":"alexa-appkit.amazon.com"},"Action":"lambda:InvokeFunction","Resource":"arn:aws:lambda:us-east-1:123456789012:function:f","Condition":{"StringEquals":{"lambda:EventSourceToken":"amzn1.ask.skill.0a1b2c3d"}}}"#;
        assert!(answer_holds(&stored(with_token), &alexa));
    }

    #[test]
    fn a_lost_or_refused_add_is_settled_by_what_is_stored() {
        let topic = "arn:aws:sns:us-east-1:123456789012:alerts";
        let req = PermissionRequest {
            function_name: "f".into(),
            statement_id: "alerts".into(),
            action: "lambda:InvokeFunction".into(),
            principal: "sns.amazonaws.com".into(),
            source_arn: Some(topic.into()),
            ..Default::default()
        };
        assert_eq!(verdict(None, &req), Verdict::Absent, "send again");
        assert_eq!(
            verdict(Some(&sns_statement("alerts", topic)), &req),
            Verdict::Present,
            "the first call applied"
        );
        let other = sns_statement("alerts", "arn:aws:sns:us-east-1:123456789012:other");
        assert_eq!(verdict(Some(&other), &req), Verdict::Taken);
        assert!(
            is_temporary_statement_id("alerts-lwtmp") && is_temporary_statement_id("alerts-lwtmq")
        );
        assert!(!is_temporary_statement_id("alerts"));
    }

    #[test]
    fn the_write_only_token_is_sent_but_never_read_into_state() {
        let config = PermissionState {
            event_source_token_wo: Value::Value("amzn1.ask.skill.wo".into()),
            ..Default::default()
        };
        let planned = PermissionState::default();
        assert_eq!(
            token_to_send(&planned, &config).as_deref(),
            Some("amzn1.ask.skill.wo")
        );
        assert!(write_only_token(&planned, Some("amzn1.ask.skill.wo")));
        let sensitive = PermissionState {
            event_source_token: Value::Value("amzn1.ask.skill.s".into()),
            ..Default::default()
        };
        assert_eq!(
            token_to_send(&sensitive, &sensitive).as_deref(),
            Some("amzn1.ask.skill.s")
        );
        assert!(!write_only_token(&sensitive, Some("amzn1.ask.skill.s")));
        assert!(!write_only_token(&planned, None));

        // Real Lambda echoes the token in the policy.
        let stored = StoredStatement {
            principal: "alexa-appkit.amazon.com".into(),
            event_source_token: Some("amzn1.ask.skill.wo".into()),
            ..sns_statement("alexa", "unused")
        };
        assert!(flatten(&planned, &stored, true)
            .event_source_token
            .is_null());
        assert_eq!(
            flatten(&planned, &stored, false).event_source_token,
            Value::Value("amzn1.ask.skill.wo".into()),
            "an imported token statement shows its token (sensitive)"
        );
        let req = request(&planned, Some("amzn1.ask.skill.wo"), "alexa");
        assert_eq!(
            req.event_source_token.as_deref(),
            Some("amzn1.ask.skill.wo")
        );
    }

    #[test]
    fn flatten_keeps_the_users_principal_form() {
        let prior = PermissionState {
            principal: Value::Value("210987654321".into()),
            action: Value::Value("lambda:InvokeFunction".into()),
            ..Default::default()
        };
        let stored = StoredStatement {
            sid: "x".into(),
            principal: "arn:aws:iam::210987654321:root".into(),
            action: "lambda:invokefunction".into(),
            resource: "arn:aws:lambda:us-east-1:123456789012:function:f:live".into(),
            source_arn: None,
            source_account: None,
            principal_org_id: None,
            function_url_auth_type: None,
            invoked_via_function_url: false,
            event_source_token: None,
            json: "{}".into(),
        };
        let s = flatten(&prior, &stored, false);
        assert_eq!(s.principal, prior.principal);
        assert_eq!(s.action, prior.action);
        assert_eq!(
            s.function_arn,
            Value::Value("arn:aws:lambda:us-east-1:123456789012:function:f".into())
        );
        let other = StoredStatement {
            principal: "arn:aws:iam::111111111111:root".into(),
            ..stored
        };
        assert_eq!(
            flatten(&prior, &other, false).principal,
            Value::Value("arn:aws:iam::111111111111:root".into())
        );
    }
}
