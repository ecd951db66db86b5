//! The ordered AWS steps of `lambdawire_sns_trigger`: the statement in the
//! function's policy before the subscription (SNS delivers to the function
//! as soon as it is subscribed, and Lambda refuses a delivery its policy
//! does not allow), the subscription before the statement on the way out.
//! A create whose subscription fails removes the statement it added, and
//! only that; what it cannot remove comes back as partial state.
//!
//! Ownership: Subscribe is idempotent, so SNS answers a subscription of
//! the same function to the topic made by anyone with its ARN, and the
//! answer proves nothing. A create therefore looks first: a subscription
//! of the endpoint that exists before this call is never adopted, only
//! named with its import id; one that appears after this call's own
//! unanswered Subscribe is this call's.

use tokio::time::Instant;

use crate::aws::sns::{self, RemoteSubscription};
use crate::aws::{AwsClients, AwsError, ErrorKind};
use crate::lambda::swap::temporary_statement_id;
use crate::plugin::{known, str_value, text, Value};
use crate::resources::adapter::facts;
use crate::resources::plan_checks::already_subscribed;
use crate::resources::statement::{
    add, holds, policy_turn, remove_with_leftover, roll_back_add, stored_statements, swap, Grant,
};
use crate::resources::steps::{step, StepError};
use crate::resources::timeouts::{self, Timeouts};
use crate::resources::PlanContext;
use crate::validate::arn;

use super::flex::{
    attribute_changes, attributes, endpoint, flatten_statement, flatten_subscription, grant,
    import_state, is_ours, label, listing,
};
use super::model::SnsTriggerState;

/// A create or update: the state to record (partial where a step failed
/// after something was written), the failed steps, and whether the policy
/// may hold the statement's temporary twin.
pub struct Applied {
    /// What exists, or `None`.
    pub state: Option<SnsTriggerState>,
    /// The failed steps.
    pub errors: Vec<StepError>,
    /// A repair of the statement failed part-way: the delete sweeps it.
    pub temporary_statement: bool,
}

impl Applied {
    fn failed(state: Option<SnsTriggerState>, error: StepError) -> Self {
        Applied {
            state,
            errors: vec![error],
            temporary_statement: false,
        }
    }
}

/// A value apply needs and the plan did not make known: the provider's
/// own fault, said as one.
fn not_known(doing: String, what: &str) -> StepError {
    StepError {
        doing,
        error: AwsError {
            operation: "Subscribe",
            code: "ValueNotKnown".into(),
            message: format!("{what} is not known at apply; this is a lambdawire bug"),
            request_id: None,
            kind: ErrorKind::Other,
        },
    }
}

fn deadline(s: &SnsTriggerState, pick: fn(&Timeouts) -> &crate::plugin::Str) -> Instant {
    Instant::now() + timeouts::limit(&s.timeouts, pick)
}

/// The statement and the endpoint of `s`, which apply knows.
fn parts(s: &SnsTriggerState, ctx: &PlanContext) -> Result<(Grant, String), StepError> {
    let doing = format!("preparing {}", label(s));
    let g = grant(s, ctx.account_id.as_deref())
        .ok_or_else(|| not_known(doing.clone(), "the statement"))?;
    let endpoint = endpoint(s, ctx).ok_or_else(|| not_known(doing, "the function's ARN"))?;
    Ok((g, endpoint))
}

/// Nobody's subscription of `endpoint` to the topic exists: one that does,
/// which no state records, is named with its import id (its ARN).
async fn nobody_subscribed(
    c: &AwsClients,
    s: &SnsTriggerState,
    endpoint: &str,
    ctx: &PlanContext,
) -> Result<(), StepError> {
    let topic = text(&s.topic_arn);
    let doing = format!("subscribing {}", label(s));
    let found = sns::subscriptions_of(c, &topic, endpoint, listing(s, ctx.account_id.as_deref()))
        .await
        .map_err(step(doing.clone()))?;
    match found.first() {
        None => Ok(()),
        Some(arn) => Err(StepError {
            doing,
            error: already_subscribed(&topic, endpoint, arn),
        }),
    }
}

/// Subscribe the function; an answer lost after the SDK's resends is
/// settled by looking: the endpoint's one subscription is this call's,
/// since none existed before it (see [`nobody_subscribed`]).
async fn subscribe(
    c: &AwsClients,
    s: &SnsTriggerState,
    endpoint: &str,
    ctx: &PlanContext,
) -> Result<String, StepError> {
    let topic = text(&s.topic_arn);
    let doing = format!("subscribing {}", label(s));
    match sns::subscribe(c, &topic, endpoint, &attributes(s)).await {
        Ok(arn) => Ok(arn),
        Err(e) if e.is(ErrorKind::Transport) => {
            let listed = listing(s, ctx.account_id.as_deref());
            match sns::subscriptions_of(c, &topic, endpoint, listed).await {
                Ok(found) if found.len() == 1 => Ok(found[0].clone()),
                _ => Err(StepError { doing, error: e }),
            }
        }
        Err(e) => Err(StepError { doing, error: e }),
    }
}

/// `s` as AWS now holds it, read with the finders Read uses; on a failed
/// read, `s` as written, with the error.
async fn read_back(c: &AwsClients, s: SnsTriggerState, g: &Grant, endpoint: &str) -> Applied {
    match read_with(c, &s, g, endpoint).await {
        Ok(Some((state, temporary_statement))) => Applied {
            state: Some(state),
            errors: Vec::new(),
            temporary_statement,
        },
        Ok(None) => Applied::failed(
            Some(s.clone()),
            StepError {
                doing: format!("reading {}", label(&s)),
                error: AwsError {
                    operation: "GetSubscriptionAttributes",
                    code: "NotFound".into(),
                    message: "the trigger was written but neither its subscription nor its \
                              statement is there"
                        .into(),
                    request_id: None,
                    kind: ErrorKind::NotFound,
                },
            },
        ),
        Err(e) => Applied::failed(Some(s), e),
    }
}

/// Create: look for a subscription no state records, add the statement,
/// subscribe, read back. A failed Subscribe removes the statement when
/// this call added it; if that removal fails too, the state records the
/// statement alone (no subscription), which the next apply completes.
pub async fn create(c: &AwsClients, planned: SnsTriggerState, ctx: &PlanContext) -> Applied {
    let mut s = planned;
    let (g, endpoint) = match parts(&s, ctx) {
        Ok(parts) => parts,
        Err(e) => return Applied::failed(None, e),
    };
    s.statement_id = str_value(&g.statement_id);
    if let Err(e) = nobody_subscribed(c, &s, &endpoint, ctx).await {
        return Applied::failed(None, e);
    }
    // Whether the statement was there before this call: an earlier
    // process's create, killed after its grant. This call may take it
    // (SPEC, "Ownership"), but never remove it.
    let existed = match stored_statements(c, &g, [&g.statement_id]).await {
        Ok([stored]) => stored.is_some_and(|st| holds(&st, &g)),
        Err(e) => return Applied::failed(None, e),
    };
    let edit = deadline(&s, |t| &t.create);
    let added = match policy_turn(c, &g, ctx, "AddPermission").await {
        Ok(_turn) => add(c, &g, None, &g.statement_id, edit).await,
        Err(e) => Err(e),
    };
    if let Err(e) = added {
        return Applied::failed(None, e);
    }
    match subscribe(c, &s, &endpoint, ctx).await {
        Ok(arn) => {
            s.subscription_arn = str_value(&arn);
            s.id = str_value(&arn);
            read_back(c, s, &g, &endpoint).await
        }
        Err(e) if existed => Applied::failed(None, e),
        Err(e) => match roll_back_add(c, &g, ctx, edit).await {
            Ok(()) => Applied::failed(None, e),
            Err(undo) => {
                s.subscription_arn = Value::Null;
                s.id = Value::Null;
                Applied {
                    state: Some(s),
                    errors: vec![e, undo],
                    temporary_statement: false,
                }
            }
        },
    }
}

/// Update in place: the statement written again when it is missing or
/// changed (with no window of denial), the subscription made again when
/// it is missing, or its changed attributes set; then read back. A failed
/// step returns the prior state, which the next Read corrects.
pub async fn update(
    c: &AwsClients,
    prior: &SnsTriggerState,
    planned: SnsTriggerState,
    leftover: bool,
    ctx: &PlanContext,
) -> Applied {
    let mut s = planned;
    let (g, endpoint) = match parts(&s, ctx) {
        Ok(parts) => parts,
        Err(e) => return Applied::failed(Some(prior.clone()), e),
    };
    if s.statement_json != prior.statement_json || leftover {
        let edit = deadline(&s, |t| &t.update);
        let repaired = match policy_turn(c, &g, ctx, "AddPermission").await {
            Ok(_turn) if prior.statement_json.is_null() && !leftover => {
                add(c, &g, None, &g.statement_id, edit)
                    .await
                    .map(drop)
                    .map_err(|e| vec![e])
            }
            Ok(_turn) => swap(c, &g, &g, None, edit).await,
            Err(e) => Err(vec![e]),
        };
        if let Err(errors) = repaired {
            return Applied {
                state: Some(prior.clone()),
                errors,
                temporary_statement: true,
            };
        }
    }
    let recorded = match recorded_subscription(c, prior).await {
        Ok(found) => found.filter(|r| is_ours(prior, r, &endpoint)),
        Err(e) => return Applied::failed(Some(prior.clone()), e),
    };
    // A recorded ARN that is gone, or names someone else's subscription
    // (a hand-edited state), is no subscription of this trigger: it is
    // made anew, and the other one is never rewritten.
    match recorded.map(|r| r.arn) {
        None => {
            let subscribed = match nobody_subscribed(c, &s, &endpoint, ctx).await {
                Ok(()) => subscribe(c, &s, &endpoint, ctx).await,
                Err(e) => Err(e),
            };
            match subscribed {
                Ok(arn) => {
                    s.subscription_arn = str_value(&arn);
                    s.id = str_value(&arn);
                }
                Err(e) => return Applied::failed(Some(prior.clone()), e),
            }
        }
        Some(arn) => {
            for (name, value) in attribute_changes(prior, &s) {
                let doing = format!("setting {name} of {}", label(&s));
                let set = sns::set_attribute(c, &arn, name, value.as_deref()).await;
                if let Err(e) = set {
                    return Applied::failed(Some(prior.clone()), StepError { doing, error: e });
                }
            }
        }
    }
    read_back(c, s, &g, &endpoint).await
}

/// The subscription the state's `subscription_arn` names, whatever it is
/// (see [`is_ours`]); `None` when the state records none or SNS has none.
async fn recorded_subscription(
    c: &AwsClients,
    s: &SnsTriggerState,
) -> Result<Option<RemoteSubscription>, StepError> {
    match known(&s.subscription_arn) {
        Some(arn) => sns::find_subscription(c, arn)
            .await
            .map_err(step(format!("reading {}", label(s)))),
        None => Ok(None),
    }
}

/// Delete: Unsubscribe the recorded subscription when it is this trigger's
/// (one already gone is success), then the statement and, when
/// `leftover`, its temporary twin. A recorded ARN naming someone else's
/// subscription (a hand-edited state) is released, not deleted: the
/// answer holds why, for a warning.
pub async fn delete(
    c: &AwsClients,
    prior: &SnsTriggerState,
    leftover: bool,
    ctx: &PlanContext,
) -> Result<Vec<String>, StepError> {
    let (g, endpoint) = parts(prior, ctx)?;
    let mut released = Vec::new();
    match recorded_subscription(c, prior).await? {
        Some(r) if is_ours(prior, &r, &endpoint) => sns::unsubscribe(c, &r.arn)
            .await
            .map_err(step(format!("unsubscribing {}", label(prior))))?,
        Some(r) => released.push(format!(
            "The state's subscription_arn names {}, a {} subscription of {} to {}, not this \
             trigger's subscription of {endpoint} to {}: it was left as it is. The state may \
             have been edited by hand.",
            r.arn,
            r.protocol,
            r.endpoint,
            r.topic_arn,
            text(&prior.topic_arn)
        )),
        None => {}
    }
    remove_with_leftover(c, &g, leftover, ctx).await?;
    Ok(released)
}

/// The subscription and the statement as AWS holds them, read into `s`;
/// `None` when both are gone. With the state, whether the statement's
/// temporary twin is there.
async fn read_with(
    c: &AwsClients,
    s: &SnsTriggerState,
    g: &Grant,
    endpoint: &str,
) -> Result<Option<(SnsTriggerState, bool)>, StepError> {
    let sid = g.statement_id.as_str();
    let temporary = temporary_statement_id(sid);
    let [main, left] = stored_statements(c, g, [sid, &temporary]).await?;
    // Someone else's subscription under the recorded ARN reads as this
    // trigger's missing: drift, planned anew (see [`is_ours`]).
    let remote = recorded_subscription(c, s)
        .await?
        .filter(|r| is_ours(s, r, endpoint));
    if remote.is_none() && main.is_none() && left.is_none() {
        return Ok(None);
    }
    let mut state = match &remote {
        Some(r) => flatten_subscription(s, r),
        None => SnsTriggerState {
            subscription_arn: Value::Null,
            id: Value::Null,
            ..s.clone()
        },
    };
    // The grant under its temporary id only (a repair interrupted after
    // the removal of the drifted statement) shows as that statement.
    state.statement_json = match (&main, &left) {
        (None, Some(temporary)) => str_value(&temporary.json),
        _ => flatten_statement(main.as_ref(), g),
    };
    Ok(Some((state, left.is_some())))
}

/// Refresh: `None` when both the subscription and the statement are gone,
/// so the plan creates the trigger anew; either one gone alone shows as
/// drift, repaired in place.
pub async fn read(
    c: &AwsClients,
    prior: &SnsTriggerState,
) -> Result<Option<(SnsTriggerState, bool)>, StepError> {
    let account = c
        .account_id()
        .await
        .map_err(step("reading the AWS account id (sts:GetCallerIdentity)"))?;
    let ctx = facts(c, account);
    match (
        grant(prior, ctx.account_id.as_deref()),
        endpoint(prior, &ctx),
    ) {
        (Some(g), Some(endpoint)) => read_with(c, prior, &g, &endpoint).await,
        // A state whose function needs the account, with none known: the
        // adapter reports that on every apply; Read keeps what it has.
        _ => Ok(Some((prior.clone(), false))),
    }
}

/// Import by subscription ARN: the topic, function and attributes from
/// the subscription, the statement id from their content (Read finds the
/// statement under it).
pub async fn import(
    c: &AwsClients,
    id: &str,
    ctx: &PlanContext,
) -> Result<SnsTriggerState, String> {
    let usage = "the import id is the subscription's ARN, arn:<partition>:sns:<region>:<account>:<topic>:<subscription id>";
    arn::sns_subscription(id).map_err(|why| format!("{why}; {usage}"))?;
    let remote = sns::find_subscription(c, id)
        .await
        .map_err(|e| e.detail())?
        .ok_or_else(|| format!("SNS has no subscription {id} in {}", c.region))?;
    if remote.protocol != sns::LAMBDA_PROTOCOL {
        return Err(format!(
            "subscription {id} delivers over {}, not to a Lambda function",
            remote.protocol
        ));
    }
    let mut s = import_state(&remote, ctx)?;
    let g = grant(&s, ctx.account_id.as_deref())
        .ok_or_else(|| format!("the statement of subscription {id} cannot be derived"))?;
    s.statement_id = str_value(&g.statement_id);
    Ok(s)
}
