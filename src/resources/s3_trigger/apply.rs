//! The ordered AWS steps of `lambdawire_s3_trigger`: the grant before the
//! entry (S3 validates the destination when the configuration is written),
//! the entry before the grant on the way out. The entry is written by a
//! read-modify-write of the bucket's one configuration under the bucket's
//! turn, read back after each write and written again when another writer
//! outside this provider raced it; every other entry goes back exactly as
//! read.
//!
//! Ownership: an entry under this trigger's id that no state records is
//! taken only when this process wrote it (its answer was lost), never on
//! its content alone: anyone may write an entry of any id.

use std::collections::HashSet;
use std::sync::{Mutex, OnceLock};
use std::time::Duration;

use tokio::time::Instant;

use crate::aws::s3::{self, LambdaEntry, Notifications};
use crate::aws::{AwsClients, AwsError, ErrorKind};
use crate::lambda::statement::StoredStatement;
use crate::plugin::{known, text, Value};
use crate::resources::statement::rules::statement_resource;
use crate::resources::statement::{
    add, answer_holds, policy_turn, remove_with_leftover, roll_back_add, stored_statements, swap,
    Grant,
};
use crate::resources::steps::{not_recorded_unless, step, turn, StepError};
use crate::resources::timeouts::{self, Timeouts};
use crate::resources::PlanContext;

use super::flex::{
    entry, flatten, generated_entry_id, generated_statement_id, grant, import_id, imported,
    is_ours, label, parse_import_id, same_entry, written,
};
use super::model::{S3TriggerPrivate, S3TriggerState, WrittenEntry};

/// A create, update or delete: the state to record (partial where a step
/// failed after something was written), its private state, the failed
/// steps and the warnings (summary, detail).
#[derive(Debug, Default)]
pub struct Outcome {
    /// The state to record.
    pub state: Option<S3TriggerState>,
    /// Its private state.
    pub private: S3TriggerPrivate,
    /// The failed steps.
    pub errors: Vec<StepError>,
    /// Warnings: summary and detail.
    pub warnings: Vec<(String, String)>,
}

impl Outcome {
    fn new(
        state: Option<S3TriggerState>,
        private: S3TriggerPrivate,
        errors: Vec<StepError>,
    ) -> Self {
        Outcome {
            state,
            private,
            errors,
            warnings: Vec::new(),
        }
    }
}

const PUT: &str = "PutBucketNotificationConfiguration";

/// Pause before reading again after a write another writer raced.
const RACE_DELAY: Duration = Duration::from_millis(200);

fn deadline(s: &S3TriggerState, pick: fn(&Timeouts) -> &crate::plugin::Str) -> Instant {
    Instant::now() + timeouts::limit(&s.timeouts, pick)
}

fn partition(ctx: &PlanContext) -> &str {
    ctx.partition.as_deref().unwrap_or("aws")
}

/// The entries this process has sent (bucket and id): an entry found under
/// one of them after an unanswered write is this process's own.
fn sent() -> &'static Mutex<HashSet<String>> {
    static SENT: OnceLock<Mutex<HashSet<String>>> = OnceLock::new();
    SENT.get_or_init(Default::default)
}

fn mark_sent(key: &str) {
    sent()
        .lock()
        .unwrap_or_else(std::sync::PoisonError::into_inner)
        .insert(key.to_string());
}

fn was_sent(key: &str) -> bool {
    sent()
        .lock()
        .unwrap_or_else(std::sync::PoisonError::into_inner)
        .contains(key)
}

fn own_error(operation: &'static str, code: &str, message: String, kind: ErrorKind) -> AwsError {
    AwsError {
        operation,
        code: code.into(),
        message,
        request_id: None,
        kind,
    }
}

/// The configuration of the bucket `s` names, or an error naming the step.
/// Every read and write names the bucket's owner (`ExpectedBucketOwner`):
/// a bucket of that name another account took (after its owner deleted
/// it) is never written, as the grant admits its owner only.
async fn read_bucket(
    c: &AwsClients,
    s: &S3TriggerState,
) -> Result<Option<Notifications>, StepError> {
    let bucket = text(&s.bucket);
    s3::find_notifications(c, &bucket, known(&s.bucket_owner))
        .await
        .map_err(step(format!(
            "reading the notification configuration of S3 Bucket ({bucket})"
        )))
}

/// Whether the configuration read holds exactly `want` under its id
/// (`None`: no entry of that id).
fn holds_entry(read: &Notifications, id: &str, want: Option<&LambdaEntry>) -> bool {
    match (read.lambda(id), want) {
        (None, None) => true,
        (Some(found), Some(want)) => same_entry(&found, want),
        _ => false,
    }
}

/// What a write of the entry did.
#[derive(Debug, PartialEq, Eq)]
enum Wrote {
    /// The bucket holds `want` (written now or already).
    Done,
    /// The entry under the id is someone else's (see [`is_ours`]): left as
    /// it was.
    LeftForeign,
}

/// A failed write: the step, and whether a PUT of ours was sent (it may
/// have applied, so a state must record it).
struct WriteFailed {
    error: StepError,
    sent_put: bool,
}

impl From<StepError> for WriteFailed {
    fn from(error: StepError) -> Self {
        WriteFailed {
            error,
            sent_put: false,
        }
    }
}

/// Make the bucket's entry `id` be `want` (`None`: no entry), touching no
/// other entry. `creating`: an entry of that id that no state records is
/// taken only when this process sent it. Otherwise `record` (private
/// state) says which entry under the id is ours: any other is left.
async fn write_entry(
    c: &AwsClients,
    s: &S3TriggerState,
    want: Option<&LambdaEntry>,
    creating: bool,
    record: Option<&WrittenEntry>,
    deadline: Instant,
) -> Result<Wrote, WriteFailed> {
    let (bucket, id) = (text(&s.bucket), text(&s.id));
    let key = import_id(&bucket, &id);
    let doing = match want {
        Some(_) => format!("writing the notification entry of {}", label(s)),
        None => format!("removing the notification entry of {}", label(s)),
    };
    let _turn = turn(&c.bucket_locks, &bucket, doing.clone(), PUT).await?;
    let mut sent_put = false;
    let failed = |error, sent_put| WriteFailed { error, sent_put };
    loop {
        let read = read_bucket(c, s).await.map_err(|e| failed(e, sent_put))?;
        let Some(read) = read else {
            return match want {
                // No bucket, no entry: nothing left to remove.
                None => Ok(Wrote::Done),
                Some(_) => Err(failed(
                    StepError {
                        doing,
                        error: own_error(
                            "GetBucketNotificationConfiguration",
                            "NoSuchBucket",
                            format!("S3 has no bucket {bucket}: create it first"),
                            ErrorKind::NotFound,
                        ),
                    },
                    sent_put,
                )),
            };
        };
        let found = read.lambda(&id);
        if creating && found.is_some() && !was_sent(&key) {
            return Err(failed(
                StepError {
                    doing,
                    error: not_recorded_unless(
                        PUT,
                        "EntryAlreadyExists",
                        &format!("Notification entry {id} of S3 Bucket ({bucket})"),
                        &key,
                        "give this trigger another id",
                        None,
                    ),
                },
                sent_put,
            ));
        }
        if holds_entry(&read, &id, want) {
            return Ok(Wrote::Done);
        }
        if let Some(found) = &found {
            let ours = creating && was_sent(&key) || is_ours(found, record, &entry(s));
            if !ours && !sent_put {
                return Ok(Wrote::LeftForeign);
            }
        }
        let new = read
            .with_lambda(&id, want)
            .map_err(|e| failed(step(doing.clone())(e), sent_put))?;
        if want.is_some() {
            mark_sent(&key);
        }
        sent_put = true;
        // Removing adds no destination to validate: see put_notifications.
        let skip_validation = want.is_none();
        match s3::put_notifications(c, &bucket, known(&s.bucket_owner), &new, skip_validation).await
        {
            Ok(()) => {}
            // The write may have applied: the next read says.
            Err(e) if e.is(ErrorKind::Transport) && Instant::now() < deadline => continue,
            Err(e) => return Err(failed(StepError { doing, error: e }, sent_put)),
        }
        match read_bucket(c, s).await.map_err(|e| failed(e, sent_put))? {
            Some(after) if holds_entry(&after, &id, want) => return Ok(Wrote::Done),
            // Another writer outside this provider wrote the bucket's
            // configuration between our read and our write: do it again.
            _ if Instant::now() + RACE_DELAY < deadline => {
                tracing::info!(bucket = %bucket, id = %id, "notification write raced; writing again");
                if !crate::plugin::stop::global().sleep(RACE_DELAY).await {
                    return Err(failed(raced(doing), sent_put));
                }
            }
            _ => return Err(failed(raced(doing), sent_put)),
        }
    }
}

/// The warning for an entry left because it is not this resource's.
pub fn released(s: &S3TriggerState) -> (String, String) {
    (
        format!("{} released, not deleted", label(s)),
        format!(
            "The notification entry {} of S3 Bucket ({}) is not the one this resource wrote \
             (another function's entry, or the state's id was edited): it was left as it is. \
             Remove it by hand if it is no longer needed.",
            text(&s.id),
            text(&s.bucket)
        ),
    )
}

fn raced(doing: String) -> StepError {
    StepError {
        doing,
        error: own_error(
            PUT,
            "Raced",
            "another writer kept changing the bucket's notification configuration, and the \
             read after each write did not hold this entry; run the command again, and check \
             that no other tool (aws_s3_bucket_notification, the console) manages it"
                .into(),
            ErrorKind::Conflict,
        ),
    }
}

/// Add the grant under its function's turn; the statement as Lambda
/// answered it, when it did.
async fn add_grant(
    c: &AwsClients,
    g: &Grant,
    ctx: &PlanContext,
    deadline: Instant,
) -> Result<Option<StoredStatement>, StepError> {
    let turn = policy_turn(c, g, ctx, "AddPermission").await?;
    let added = add(c, g, None, &g.statement_id, deadline).await;
    drop(turn);
    added
}

/// The grant as stored: AddPermission's answer when it is the whole
/// statement, else one GetPolicy.
async fn stored_grant(
    c: &AwsClients,
    g: &Grant,
    answer: Option<StoredStatement>,
) -> Result<Option<StoredStatement>, StepError> {
    match answer {
        Some(stored) if answer_holds(&stored, g, None) => Ok(Some(stored)),
        _ => stored_statements(c, g, [&g.statement_id])
            .await
            .map(|[s]| s),
    }
}

/// The planned state with every value apply knows now: ids and the
/// function ARN the plan could not derive yet.
fn resolved(planned: S3TriggerState, ctx: &PlanContext) -> S3TriggerState {
    let mut s = planned;
    if s.bucket_owner.is_unknown() {
        s.bucket_owner = ctx.account_id.clone().map_or(Value::Null, Value::Value);
    }
    if s.function_arn.is_unknown() {
        let arn = statement_resource(&text(&s.function_name), known(&s.qualifier), ctx);
        s.function_arn = arn.map_or(Value::Null, Value::Value);
    }
    if s.id.is_unknown() {
        s.id = generated_entry_id(&s).map_or(Value::Null, Value::Value);
    }
    if s.statement_id.is_unknown() {
        s.statement_id =
            generated_statement_id(&s, partition(ctx)).map_or(Value::Null, Value::Value);
    }
    s
}

/// The state after the writes: the entry as written, the grant as stored.
async fn read_back(
    c: &AwsClients,
    s: S3TriggerState,
    g: &Grant,
    answer: Option<StoredStatement>,
    private: S3TriggerPrivate,
    ctx: &PlanContext,
) -> Outcome {
    match stored_grant(c, g, answer).await {
        Ok(stored) => {
            let flat = flatten(&s, &entry(&s), stored.as_ref(), partition(ctx));
            Outcome::new(Some(flat), private, Vec::new())
        }
        Err(e) => Outcome::new(Some(s), private, vec![e]),
    }
}

/// Grant, then entry. A refused entry write (no PUT of ours sent) rolls
/// the grant back and records nothing: a partial state would carry the id
/// of an entry someone else holds, and its destroy would target it. A
/// failed PUT, which may have applied, returns partial state (Terraform
/// taints it; the replacement removes it).
pub async fn create(c: &AwsClients, planned: S3TriggerState, ctx: &PlanContext) -> Outcome {
    let s = resolved(planned, ctx);
    let g = grant(&s, partition(ctx));
    let deadline = deadline(&s, |t| &t.create);
    let answer = match add_grant(c, &g, ctx, deadline).await {
        Ok(answer) => answer,
        Err(e) => return Outcome::new(None, S3TriggerPrivate::default(), vec![e]),
    };
    let ours = entry(&s);
    let private = S3TriggerPrivate {
        written: Some(written(&ours)),
    };
    match write_entry(c, &s, Some(&ours), true, None, deadline).await {
        Ok(_) => read_back(c, s, &g, answer, private, ctx).await,
        Err(f) if f.sent_put => {
            let partial = S3TriggerState {
                function_arn: Value::Null,
                ..s
            };
            Outcome::new(Some(partial), private, vec![f.error])
        }
        Err(f) => match roll_back_add(c, &g, ctx, deadline).await {
            Ok(()) => Outcome::new(None, S3TriggerPrivate::default(), vec![f.error]),
            // The grant stays: a state records it, with no record of an
            // entry, so its destroy removes the grant and no entry.
            Err(undo) => {
                let partial = S3TriggerState {
                    function_arn: Value::Null,
                    ..s
                };
                let private = S3TriggerPrivate { written: None };
                Outcome::new(Some(partial), private, vec![f.error, undo])
            }
        },
    }
}

fn taken(s: &S3TriggerState) -> StepError {
    let (summary, detail) = released(s);
    StepError {
        doing: format!("writing the notification entry of {}", label(s)),
        error: own_error(
            PUT,
            "EntryNotOurs",
            format!("{summary}: {detail}"),
            ErrorKind::Conflict,
        ),
    }
}

/// The grant when a read found it gone, then the entry when it differs
/// from the prior one (events, filters, or drift). The entry under the id
/// is written only when it is this resource's (private state's record).
pub async fn update(
    c: &AwsClients,
    prior: &S3TriggerState,
    prior_private: &S3TriggerPrivate,
    planned: S3TriggerState,
    ctx: &PlanContext,
) -> Outcome {
    let s = resolved(planned, ctx);
    let g = grant(&s, partition(ctx));
    let deadline = deadline(&s, |t| &t.update);
    let mut answer = None;
    let kept = || Outcome::new(Some(prior.clone()), prior_private.clone(), Vec::new());
    if prior.statement_id != s.statement_id || prior.statement_id.is_null() {
        answer = match add_grant(c, &g, ctx, deadline).await {
            Ok(answer) => answer,
            Err(e) => {
                return Outcome {
                    errors: vec![e],
                    ..kept()
                }
            }
        };
    } else if prior.statement_json != s.statement_json {
        // The statement under our id was changed out of band: replace it
        // with no moment where S3 may not invoke (the engine's swap), as
        // sns_trigger does.
        let swapped = match policy_turn(c, &g, ctx, "AddPermission").await {
            Ok(_turn) => swap(c, &g, &g, None, deadline).await,
            Err(e) => Err(vec![e]),
        };
        if let Err(errors) = swapped {
            return Outcome { errors, ..kept() };
        }
    }
    let unchanged = prior.function_arn.is_value() && same_entry(&entry(prior), &entry(&s));
    let mut private = prior_private.clone();
    if !unchanged {
        let ours = entry(&s);
        let record = prior_private.written.as_ref();
        let failed = match write_entry(c, &s, Some(&ours), false, record, deadline).await {
            Ok(Wrote::Done) => None,
            Ok(Wrote::LeftForeign) => Some((taken(&s), false)),
            Err(f) => Some((f.error, f.sent_put)),
        };
        if let Some((error, sent_put)) = failed {
            let partial = S3TriggerState {
                statement_id: s.statement_id.clone(),
                statement_json: s.statement_json.clone(),
                ..prior.clone()
            };
            if sent_put {
                private.written = Some(written(&ours));
            }
            return Outcome::new(Some(partial), private, vec![error]);
        }
        private.written = Some(written(&ours));
    }
    read_back(c, s, &g, answer, private, ctx).await
}

/// Entry, then grant; either already gone is success. An entry under the
/// id that is not the one this resource wrote is left, with a warning.
pub async fn delete(
    c: &AwsClients,
    s: &S3TriggerState,
    private: &S3TriggerPrivate,
    ctx: &PlanContext,
) -> Outcome {
    let mut out = Outcome::new(None, private.clone(), Vec::new());
    let record = private.written.as_ref();
    match write_entry(c, s, None, false, record, deadline(s, |t| &t.delete)).await {
        Ok(Wrote::Done) => {}
        Ok(Wrote::LeftForeign) => out.warnings.push(released(s)),
        Err(f) => {
            out.errors.push(f.error);
            return out;
        }
    }
    if s.statement_id.is_null() {
        return out;
    }
    if let Err(e) = remove_with_leftover(c, &grant(s, partition(ctx)), false, ctx).await {
        out.errors.push(e);
    }
    out
}

/// Refresh: `None` only when both the entry and the grant are gone; with
/// one of them gone, the state says which (function ARN or statement id
/// null), and the next plan writes it again.
pub async fn read(
    c: &AwsClients,
    prior: &S3TriggerState,
) -> Result<Option<S3TriggerState>, StepError> {
    let remote = read_bucket(c, prior)
        .await?
        .and_then(|n| n.lambda(&text(&prior.id)));
    let g = grant(prior, c.partition);
    let stored = match known(&prior.statement_id) {
        Some(sid) => stored_statements(c, &g, [sid]).await.map(|[s]| s)?,
        None => None,
    };
    Ok(match (remote, stored) {
        (None, None) => None,
        (Some(remote), stored) => Some(flatten(prior, &remote, stored.as_ref(), c.partition)),
        (None, stored) => {
            let mut s = match &stored {
                Some(st) => flatten(prior, &entry(prior), Some(st), c.partition),
                None => prior.clone(),
            };
            s.function_arn = Value::Null;
            Some(s)
        }
    })
}

/// Import `<bucket>/<entry id>`: the entry as S3 holds it, with the grant
/// its id derives (Read fills in the rest).
pub async fn import(
    c: &AwsClients,
    id: &str,
    ctx: &PlanContext,
) -> Result<S3TriggerState, StepError> {
    let doing = format!("importing S3 Trigger ({id})");
    let (bucket, entry_id) = parse_import_id(id).map_err(|why| StepError {
        doing: doing.clone(),
        error: own_error(
            "GetBucketNotificationConfiguration",
            "InvalidImportId",
            why,
            ErrorKind::Other,
        ),
    })?;
    let read = s3::find_notifications(c, bucket, ctx.account_id.as_deref())
        .await
        .map_err(step(doing.clone()))?;
    let Some(remote) = read.and_then(|n| n.lambda(entry_id)) else {
        return Err(StepError {
            doing,
            error: own_error(
                "GetBucketNotificationConfiguration",
                "NotFound",
                format!("S3 Bucket ({bucket}) has no Lambda notification entry {entry_id}"),
                ErrorKind::NotFound,
            ),
        });
    };
    let region = ctx.region.as_deref().unwrap_or_default();
    let mut s = imported(bucket, &remote, region, ctx.account_id.as_deref());
    s.statement_id = generated_statement_id(&s, partition(ctx)).map_or(Value::Null, Value::Value);
    let g = grant(&s, partition(ctx));
    let [stored] = stored_statements(c, &g, [&g.statement_id]).await?;
    Ok(flatten(&s, &remote, stored.as_ref(), partition(ctx)))
}
