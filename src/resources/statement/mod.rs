//! The statement engine: how every grant-writing resource edits a
//! function's resource-based policy. A resource says what it wants as a
//! [`Grant`]; this module holds the function's turn (edits of one policy
//! run one at a time inside the provider, however the function is named),
//! reads the stored statements, adds a statement so that a lost answer or
//! an id already taken is settled by what the policy holds, removes one,
//! and swaps a statement for another with no window of denial (the pure
//! plan of that swap is [`crate::lambda::swap`]).
//!
//! Used by `lambdawire_lambda_invoke_permission` (one statement) and
//! `lambdawire_function_url_access` (two), and meant for every trigger
//! resource that grants its source.

pub mod rules;

use std::time::Duration;

use tokio::time::Instant;

use crate::aws::lambda::{self, AddOutcome, PermissionRequest};
use crate::aws::lock::KeyGuard;
use crate::aws::{AwsClients, AwsError, ErrorKind};
use crate::lambda::function_ref::{lock_key, parse_function_ref};
use crate::lambda::statement::{
    find_statement, matches_args, render_statement, StoredStatement, POLICY_SIZE_LIMIT,
};
use crate::lambda::statement_id::StatementContent;
use crate::lambda::swap::{
    is_temporary_statement_id, recovery_steps, rollback_steps, temporary_statement_id,
    update_steps, Step,
};
use crate::plugin::{Str, Value};
use crate::resources::steps::{not_recorded, turn, StepError};
use crate::resources::PlanContext;

/// Bound of the conflict retries around one policy edit. It starts once the
/// function's lock is held: time spent queued behind the other edits of the
/// same policy (hundreds of permissions on one function) must not use up the
/// retries of this one.
pub const EDIT_TIMEOUT: Duration = Duration::from_secs(120);

/// One statement a resource writes into a function's policy (apply time:
/// every value known), with how messages name the resource it belongs to.
/// An event-source token is never part of it: it is handed to [`add`]
/// alone, so a `Grant` can be logged and compared freely.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Grant {
    /// The import id of the resource the statement belongs to: what an
    /// "already exists" hint names.
    pub owner_id: String,
    /// The resource as messages name it, `Lambda Permission (f/sid)`.
    pub label: String,
    /// Name or ARN of the function, as the resource's configuration has it.
    pub function_name: String,
    /// Version or alias whose policy holds the statement; `None`: the unqualified function's.
    pub qualifier: Option<String>,
    /// The statement's `Sid`; a swap adds a temporary one beside it.
    pub statement_id: String,
    /// The Lambda action granted, `lambda:InvokeFunction` or `lambda:InvokeFunctionUrl`.
    pub action: String,
    /// The effective principal: given, or inferred from the source.
    pub principal: String,
    /// The `AWS:SourceArn` condition.
    pub source_arn: Option<String>,
    /// The `AWS:SourceAccount` condition.
    pub source_account: Option<String>,
    /// The `aws:PrincipalOrgID` condition.
    pub principal_org_id: Option<String>,
    /// The `lambda:FunctionUrlAuthType` condition, `AWS_IAM` or `NONE`.
    pub function_url_auth_type: Option<String>,
    /// The `lambda:InvokedViaFunctionUrl` condition.
    pub invoked_via_function_url: bool,
    /// `statement_id` was generated from the resource's content
    /// ([`crate::lambda::statement_id`]): a statement under it with exactly
    /// this content is what this resource's own create leaves, so a create
    /// that meets one (its first answer lost, or an earlier process stopped
    /// or killed) takes it as its own.
    pub id_from_content: bool,
}

impl Grant {
    /// What the statement grants, as a generated id digests it.
    pub fn content(&self) -> StatementContent<'_> {
        StatementContent {
            function: &self.function_name,
            qualifier: self.qualifier.as_deref(),
            action: &self.action,
            principal: &self.principal,
            source_arn: self.source_arn.as_deref(),
            source_account: self.source_account.as_deref(),
            principal_org_id: self.principal_org_id.as_deref(),
            function_url_auth_type: self.function_url_auth_type.as_deref(),
            invoked_via_function_url: self.invoked_via_function_url,
        }
    }

    /// The AddPermission request for this grant under `statement_id`.
    pub fn request(&self, token: Option<&str>, statement_id: &str) -> PermissionRequest {
        PermissionRequest {
            function_name: self.function_name.clone(),
            qualifier: self.qualifier.clone(),
            statement_id: statement_id.to_string(),
            action: self.action.clone(),
            principal: self.principal.clone(),
            source_arn: self.source_arn.clone(),
            source_account: self.source_account.clone(),
            principal_org_id: self.principal_org_id.clone(),
            function_url_auth_type: self.function_url_auth_type.clone(),
            invoked_via_function_url: self.invoked_via_function_url,
            event_source_token: token.map(str::to_string),
        }
    }
}

/// `g`'s statement as Lambda will store it, for a plan to show before
/// anything is written; `None` while the function's ARN cannot be known
/// (facts missing). A grant carries no event-source token, so none is
/// rendered.
pub fn planned_json(g: &Grant, ctx: &PlanContext) -> Option<String> {
    let resource = rules::statement_resource(&g.function_name, g.qualifier.as_deref(), ctx)?;
    let partition = resource.split(':').nth(1)?.to_string();
    let statement = StoredStatement {
        sid: g.statement_id.clone(),
        principal: g.principal.clone(),
        action: g.action.clone(),
        resource,
        source_arn: g.source_arn.clone(),
        source_account: g.source_account.clone(),
        principal_org_id: g.principal_org_id.clone(),
        function_url_auth_type: g.function_url_auth_type.clone(),
        invoked_via_function_url: g.invoked_via_function_url,
        event_source_token: None,
        json: String::new(),
    };
    Some(render_statement(&statement, &partition))
}

fn fail(doing: String) -> impl FnOnce(AwsError) -> StepError {
    move |error| StepError { doing, error }
}

/// The per-function lock's key: every spelling of one function (and
/// qualifier) shares it.
fn key(g: &Grant, ctx: &PlanContext) -> String {
    match parse_function_ref(&g.function_name) {
        Ok(r) => lock_key(
            &r,
            g.qualifier.as_deref(),
            // Apply runs with known facts; the account is missing only for a
            // function named by an ARN with its own, which lock_key uses.
            ctx.region.as_deref().unwrap_or_default(),
            ctx.account_id.as_deref().unwrap_or_default(),
        ),
        Err(_) => g.function_name.clone(),
    }
}

/// This function's turn to edit its policy (edits of one function run one
/// at a time), or, when a stop comes first, an error saying that the edit
/// (`operation`, the call it was about to make) was not started.
pub async fn policy_turn<'c>(
    c: &'c AwsClients,
    g: &Grant,
    ctx: &PlanContext,
    operation: &'static str,
) -> Result<KeyGuard<'c>, StepError> {
    turn(
        &c.permission_locks,
        &key(g, ctx),
        format!("editing the policy of {}", g.label),
        operation,
    )
    .await
}

/// The statements with these ids in the policy of `g`'s function (and
/// qualifier), read with one GetPolicy; each `None` when absent, all of them
/// when the function has no policy or is gone.
pub async fn stored_statements<const N: usize>(
    c: &AwsClients,
    g: &Grant,
    sids: [&str; N],
) -> Result<[Option<StoredStatement>; N], StepError> {
    read_statements(c, g, sids)
        .await
        .map_err(fail(format!("reading {}", g.label)))
}

async fn read_statements<const N: usize>(
    c: &AwsClients,
    g: &Grant,
    sids: [&str; N],
) -> Result<[Option<StoredStatement>; N], AwsError> {
    let Some((policy, _revision)) =
        lambda::find_policy(c, &g.function_name, g.qualifier.as_deref()).await?
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

/// At plan, for a create: why `g`'s statement id cannot be taken, when
/// the function's policy (one coalesced GetPolicy per function) already
/// holds a statement under it with other content. `None` when the id is
/// free, or the policy could not be read (no evidence; logged), or the
/// statement there is exactly this one: this create's own leftover (SPEC,
/// "Ownership"), or the statement of the object a replacement deletes
/// first (the plan of a replacement's create cannot see that object). The
/// apply settles those: it takes the first and re-adds the second.
pub async fn taken_at_plan(c: &AwsClients, g: &Grant) -> Option<String> {
    // Once this process has written a policy it is applying: the re-plan
    // Terraform makes before each resource's apply need not read the
    // policy again after every other resource's write (678 GetPolicy
    // calls at N = 1000 on one function), because `add` refuses a taken id
    // with the same "already exists" and the same import id. The plan of
    // the command, which writes nothing, has checked already.
    if c.policy_reads.written() {
        return None;
    }
    let sid = g.statement_id.as_str();
    let stored = match read_statements(c, g, [sid]).await {
        Ok([stored]) => stored?,
        Err(e) => {
            tracing::info!(error = %e.detail(), "plan-time statement id check skipped");
            return None;
        }
    };
    // The plan has no write-only token to compare: the content decides.
    let without_token = StoredStatement {
        event_source_token: None,
        ..stored
    };
    (!holds(&without_token, g)).then(|| other_content(sid, g))
}

/// Whether `stored` is exactly the statement `g` describes (under any id).
pub fn holds(stored: &StoredStatement, g: &Grant) -> bool {
    is_this_statement(stored, &g.request(None, &g.statement_id))
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

/// Whether the statement AddPermission answered with is the whole statement
/// asked for: its id, every argument and condition, and the token when one
/// was sent. An answer short of any is no read-back, and the caller reads
/// the policy instead.
pub fn answer_holds(stored: &StoredStatement, g: &Grant, token: Option<&str>) -> bool {
    let req = g.request(token, &g.statement_id);
    stored.sid == req.statement_id
        && is_this_statement(stored, &req)
        && stored.event_source_token.is_some() == req.event_source_token.is_some()
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
/// once with a hint naming `g.owner_id` as the import id. On success, the
/// statement as Lambda stored it, when its answer (or the policy read that
/// settled it) said.
pub async fn add(
    c: &AwsClients,
    g: &Grant,
    token: Option<&str>,
    sid: &str,
    deadline: Instant,
) -> Result<Option<StoredStatement>, StepError> {
    let req = g.request(token, sid);
    let doing = format!("adding {}", g.label);
    let mut delay = RESEND_FIRST_DELAY;
    let mut replaced_leftover = false;
    // Only a statement that appeared after a send of ours went unanswered is
    // ours; one Lambda reports as taken at our first word was there before
    // (AddPermission runs without SDK resends), whatever its content.
    let mut sent_unanswered = false;
    loop {
        let outcome = lambda::add_permission(c, &req, deadline)
            .await
            .map_err(|e| with_size_hint(e, g))
            .map_err(fail(doing.clone()))?;
        let (refusal, unanswered) = match outcome {
            // An answer without a statement that reads still means added;
            // the caller then reads the policy instead.
            AddOutcome::Added(stored) => {
                if is_content_id(g, sid) {
                    claims().hold(g, sid);
                }
                return Ok(stored);
            }
            AddOutcome::IdTaken(e) => (e, false),
            AddOutcome::Unanswered(e) => (e, true),
        };
        sent_unanswered |= unanswered;
        let [existing] = read_statements(c, g, [sid])
            .await
            .map_err(fail(doing.clone()))?;
        match verdict(existing.as_ref(), &req) {
            // Exactly what this create writes, under the id its content
            // derives: our own earlier attempt (SPEC, "Ownership"), its
            // answer lost in this call or in an earlier process, unless
            // another resource of this very run wrote it. Checked before a
            // lost answer's own rule, so the claim is held either way.
            Verdict::Present if is_content_id(g, sid) => {
                return if claims().hold(g, sid) {
                    Ok(existing)
                } else {
                    Err(twice(sid, g, doing, &refusal))
                };
            }
            Verdict::Present if sent_unanswered => return Ok(existing),
            Verdict::Present if !is_temporary_statement_id(sid) => {
                return Err(there_before(sid, g, doing, &refusal))
            }
            Verdict::Present => return Ok(existing),
            Verdict::Taken if is_temporary_statement_id(sid) && !replaced_leftover => {
                remove(c, g, sid, deadline).await?;
                replaced_leftover = true;
            }
            Verdict::Taken => return Err(taken(sid, g, doing, &refusal)),
            Verdict::Absent => {
                if Instant::now() + delay > deadline {
                    return Err(if unanswered {
                        fail(doing)(refusal)
                    } else {
                        taken(sid, g, doing, &refusal)
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

/// Whether `sid` is `g`'s own id and derived from its content.
fn is_content_id(g: &Grant, sid: &str) -> bool {
    g.id_from_content && sid == g.statement_id
}

/// The content-derived statements the creates of this process added or
/// took as their own. A Terraform run never creates and deletes one
/// resource, so a delete (or an update's removal) of one of these is
/// another resource's: a `create_before_destroy` replacement with the same
/// content, whose new statement is the old one. And two resources of one
/// run that would hold one statement are two resources too many.
#[derive(Default)]
struct Claims(std::sync::Mutex<std::collections::HashSet<String>>);

fn claims() -> &'static Claims {
    static CLAIMS: std::sync::OnceLock<Claims> = std::sync::OnceLock::new();
    CLAIMS.get_or_init(Claims::default)
}

impl Claims {
    /// The statement's place: the function by name, and the account,
    /// region and qualifier its reference or the argument names, so the
    /// same name in another account or region is another function.
    fn key(g: &Grant, sid: &str) -> String {
        match parse_function_ref(&g.function_name) {
            Ok(r) => {
                let qualifier = r.qualifier.as_deref().or(g.qualifier.as_deref());
                format!(
                    "{}:{}:{}:{}/{sid}",
                    r.region.as_deref().unwrap_or_default(),
                    r.account_id.as_deref().unwrap_or_default(),
                    r.name,
                    qualifier.unwrap_or_default()
                )
            }
            Err(_) => format!("{}/{sid}", g.function_name),
        }
    }

    /// Record the claim; false when a create of this process holds it already.
    fn hold(&self, g: &Grant, sid: &str) -> bool {
        let mut held = self
            .0
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner);
        held.insert(Self::key(g, sid))
    }

    /// Give the claim up: the create that held it removes its statement.
    fn release(&self, g: &Grant, sid: &str) {
        let mut held = self
            .0
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner);
        held.remove(&Self::key(g, sid));
    }

    fn is_held(&self, g: &Grant, sid: &str) -> bool {
        let held = self
            .0
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner);
        held.contains(&Self::key(g, sid))
    }
}

/// Two resources of one configuration write the same statement (same
/// function, principal, action and conditions, both with generated ids):
/// they would share it, and the first destroyed would take the other's
/// grant with it.
fn twice(sid: &str, g: &Grant, doing: String, refusal: &AwsError) -> StepError {
    let message = format!(
        "another resource of this configuration already wrote statement {sid}, with the same \
         content, into the policy of {}: keep one of the two resources, or give one a \
         statement_id of its own",
        g.function_name
    );
    conflict(doing, refusal, message)
}

/// AddPermission's "already exists" (`refusal`) as `message` says it.
fn conflict(doing: String, refusal: &AwsError, message: String) -> StepError {
    StepError {
        doing,
        error: AwsError {
            operation: "AddPermission",
            code: "ResourceConflictException".into(),
            message,
            request_id: refusal.request_id.clone(),
            kind: ErrorKind::AlreadyExists,
        },
    }
}

/// This very statement was in the policy before our first send: it is not
/// this resource's unless imported, which the hint says how to do.
fn there_before(sid: &str, g: &Grant, doing: String, refusal: &AwsError) -> StepError {
    StepError {
        doing,
        error: not_recorded(
            "AddPermission",
            &refusal.code,
            &format!("statement {sid} in the policy of {}", g.function_name),
            &g.owner_id,
            refusal.request_id.clone(),
        ),
    }
}

/// Lambda's "already exists" said plainly: which id, whose policy, what to do.
fn taken(sid: &str, g: &Grant, doing: String, refusal: &AwsError) -> StepError {
    conflict(doing, refusal, other_content(sid, g))
}

/// The id `sid` holds another statement in `g`'s function's policy: what
/// to do, at plan and at apply alike.
fn other_content(sid: &str, g: &Grant) -> String {
    format!(
        "statement id {sid} already exists in the policy of {} with other content: choose \
         another statement_id, or import the statement with the id {}",
        g.function_name, g.owner_id
    )
}

/// Lambda refuses a policy over 20 KB; say how to stay under it.
fn with_size_hint(mut e: AwsError, g: &Grant) -> AwsError {
    if e.code == "PolicyLengthExceededException" || e.message.contains("exceeds the maximum") {
        e.kind = ErrorKind::LimitExceeded;
        e.code = "PolicyLengthExceededException".into();
        e.message = format!(
            "{} (the resource policy of {} is limited to {POLICY_SIZE_LIMIT} bytes)",
            e.message, g.function_name
        );
    }
    e
}

/// Remove the statement `sid` from `g`'s function's policy; one already
/// gone is success.
pub async fn remove(
    c: &AwsClients,
    g: &Grant,
    sid: &str,
    deadline: Instant,
) -> Result<(), StepError> {
    if claims().is_held(g, sid) {
        tracing::info!(
            statement_id = sid,
            function = %g.function_name,
            "statement left in place: a create of this run holds it as its own"
        );
        return Ok(());
    }
    lambda::remove_permission(c, &g.function_name, g.qualifier.as_deref(), sid, deadline)
        .await
        .map_err(fail(format!("removing statement {sid} of {}", g.label)))
}

/// Undo a create's own [`add`] of `g`'s statement, because a later step
/// of the same create failed: the create's claim on it is given up and the
/// statement removed. Only for a statement this very call added, never
/// one it took as its own from an earlier process (SPEC, "Ownership":
/// adoption earns no deletion right). The caller holds no turn: this takes
/// the function's.
pub async fn roll_back_add(
    c: &AwsClients,
    g: &Grant,
    ctx: &PlanContext,
    deadline: Instant,
) -> Result<(), StepError> {
    let _turn = policy_turn(c, g, ctx, "RemovePermission").await?;
    claims().release(g, &g.statement_id);
    remove(c, g, &g.statement_id, deadline).await
}

/// Move `prior`'s statement to `new`'s with no moment where neither
/// grants (see [`crate::lambda::swap`]), under a turn the caller holds. An
/// interrupted earlier swap is finished: a prior statement already gone
/// with the grant under its temporary id is recovered (added first, the
/// temporary removed last), a temporary left beside the prior is removed
/// first. On failure the errors, with the policy as the prior state says
/// when the prior statement was not yet removed.
pub async fn swap(
    c: &AwsClients,
    prior: &Grant,
    new: &Grant,
    token: Option<&str>,
    deadline: Instant,
) -> Result<(), Vec<StepError>> {
    let old_sid = prior.statement_id.as_str();
    let temporary = temporary_statement_id(old_sid);
    let steps = match stored_statements(c, prior, [old_sid, &temporary]).await {
        // An earlier update failed after removing the prior statement: the
        // grant stands only under the temporary id, which goes last.
        Ok([None, Some(_)]) => recovery_steps(old_sid, &new.statement_id),
        Ok([_, left]) => {
            if left.is_some() {
                remove(c, prior, &temporary, deadline)
                    .await
                    .map_err(|e| vec![e])?;
            }
            update_steps(old_sid, &new.statement_id)
        }
        Err(e) => return Err(vec![e]),
    };
    for (i, step) in steps.iter().enumerate() {
        let result = match step {
            Step::Add { statement_id } => {
                add(c, new, token, statement_id, deadline).await.map(drop)
            }
            Step::Remove { statement_id } => remove(c, prior, statement_id, deadline).await,
        };
        if let Err(e) = result {
            // The grant is never absent. Before the prior statement was
            // removed, what this swap added is removed again, so the
            // policy is what the prior state says; after, it stays, and the
            // next apply or destroy sweeps the temporary statement.
            let mut errors = vec![e];
            for undo in rollback_steps(&steps, i) {
                if let Step::Remove { statement_id } = undo {
                    if let Err(e) = remove(c, new, &statement_id, deadline).await {
                        errors.push(e);
                    }
                }
            }
            return Err(errors);
        }
    }
    Ok(())
}

/// Remove `g`'s statement and, when `leftover`, the temporary statement an
/// interrupted swap may have left (known from the resource's last Read or
/// failed update, kept in private state, so the delete makes no look of
/// its own; a temporary statement already gone is success).
pub async fn remove_with_leftover(
    c: &AwsClients,
    g: &Grant,
    leftover: bool,
    ctx: &PlanContext,
) -> Result<(), StepError> {
    let _turn = policy_turn(c, g, ctx, "RemovePermission").await?;
    let deadline = Instant::now() + EDIT_TIMEOUT;
    remove(c, g, &g.statement_id, deadline).await?;
    if leftover {
        let temporary = temporary_statement_id(&g.statement_id);
        remove(c, g, &temporary, deadline).await?;
    }
    Ok(())
}

/// An import id's `function[:qualifier]` part as `function_name` and
/// `qualifier`, the function kept in the form given.
pub fn split_target(function: &str) -> Result<(Str, Str), String> {
    let parsed = parse_function_ref(function)?;
    Ok(match &parsed.qualifier {
        Some(q) => (
            Value::Value(function[..function.len() - q.len() - 1].to_string()),
            Value::Value(q.clone()),
        ),
        None => (Value::Value(function.to_string()), Value::Null),
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::resources::testing::sns_statement;

    #[test]
    fn an_answer_is_the_read_back_only_when_it_holds_all_that_was_asked() {
        let stored = |json: &str| crate::lambda::statement::parse_statement(json).expect("parses");
        let req = Grant {
            function_name: "f".into(),
            statement_id: "via".into(),
            action: "lambda:InvokeFunction".into(),
            principal: "*".into(),
            invoked_via_function_url: true,
            ..Default::default()
        };
        let whole = r#"{"Sid":"via","Effect":"Allow","Principal":"*","Action":"lambda:InvokeFunction","Resource":"arn:aws:lambda:us-east-1:123456789012:function:f","Condition":{"Bool":{"lambda:InvokedViaFunctionUrl":"true"}}}"#;
        assert!(answer_holds(&stored(whole), &req, None));
        // moto's answer leaves the condition out: read the policy instead.
        let short = r#"{"Sid":"via","Effect":"Allow","Principal":"*","Action":"lambda:InvokeFunction","Resource":"arn:aws:lambda:us-east-1:123456789012:function:f"}"#;
        assert!(!answer_holds(&stored(short), &req, None));
        let other_id = Grant {
            statement_id: "other".into(),
            ..req.clone()
        };
        assert!(!answer_holds(&stored(whole), &other_id, None));

        let alexa = Grant {
            statement_id: "alexa".into(),
            principal: "alexa-appkit.amazon.com".into(),
            invoked_via_function_url: false,
            ..req
        };
        let token = Some("amzn1.ask.skill.0a1b2c3d");
        let tokenless = r#"{"Sid":"alexa","Effect":"Allow","Principal":{"Service":"alexa-appkit.amazon.com"},"Action":"lambda:InvokeFunction","Resource":"arn:aws:lambda:us-east-1:123456789012:function:f"}"#;
        assert!(!answer_holds(&stored(tokenless), &alexa, token));
        let with_token = r#"{"Sid":"alexa","Effect":"Allow","Principal":{"Service":"alexa-appkit.amazon.com"},"Action":"lambda:InvokeFunction","Resource":"arn:aws:lambda:us-east-1:123456789012:function:f","Condition":{"StringEquals":{"lambda:EventSourceToken":"amzn1.ask.skill.0a1b2c3d"}}}"#;
        assert!(answer_holds(&stored(with_token), &alexa, token));
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
}
