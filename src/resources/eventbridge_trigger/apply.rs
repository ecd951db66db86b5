//! The AWS steps of `lambdawire_eventbridge_trigger`, in the order AWS
//! needs: create = the grant (through the statement engine, under the
//! function's turn), then the rule, then its target; delete = the target,
//! the rule, then the grant. A create that fails part-way takes back what
//! it wrote, or returns what is left as partial state.

use tokio::time::Instant;

use crate::aws::eventbridge::{self, RemoteRule, RuleSpec, TargetSpec};
use crate::aws::{AwsClients, AwsError, ErrorKind};
use crate::lambda::function_ref::parse_function_ref;
use crate::lambda::swap::temporary_statement_id;
use crate::plugin::{known, text, Str};
use crate::resources::statement::{
    add, holds, policy_turn, remove_with_leftover, roll_back_add, stored_statements, swap, Grant,
};
use crate::resources::steps::{not_recorded, step, StepError};
use crate::resources::timeouts::{self, Timeouts};
use crate::resources::PlanContext;
use crate::validate::arn;

use super::flex::{
    bus, flatten_rule, flatten_statement, flatten_target, grant, import_state, parse_import_id,
    rule_spec, same_rule, same_spec, target_spec, trigger_id,
};
use super::model::TriggerState;

/// A create or update: the state to record (partial where a step failed
/// after something was written), whether the policy may hold the grant's
/// temporary statement, and the failed steps.
pub struct Outcome {
    /// The state to record; `None`: nothing exists.
    pub state: Option<TriggerState>,
    /// The policy may hold the grant's temporary twin.
    pub temporary_statement: bool,
    /// The failed steps.
    pub errors: Vec<StepError>,
    /// The rule as this resource last wrote it, for private state.
    pub rule: Option<RuleSpec>,
}

impl Outcome {
    fn failed(state: Option<TriggerState>, errors: Vec<StepError>) -> Self {
        Outcome {
            state,
            temporary_statement: false,
            errors,
            rule: None,
        }
    }

    /// `self`, recording that the rule holds what `s` writes.
    fn wrote(self, s: &TriggerState) -> Self {
        Outcome {
            rule: Some(rule_spec(s)),
            ..self
        }
    }
}

fn deadline(s: &TriggerState, pick: fn(&Timeouts) -> &Str) -> Instant {
    Instant::now() + timeouts::limit(&s.timeouts, pick)
}

fn rule_label(s: &TriggerState) -> String {
    format!("EventBridge Rule ({})", text(&s.id))
}

fn target_label(s: &TriggerState) -> String {
    format!(
        "EventBridge Target ({}/{})",
        text(&s.id),
        text(&s.target_id)
    )
}

/// The planned state with what the plan could not know yet (an unknown
/// function, say) derived now that every value is known.
fn resolved(planned: TriggerState, ctx: &PlanContext) -> TriggerState {
    let config = planned.clone();
    let again = super::plan::plan_create(planned.clone(), &config, ctx);
    let keep = |planned: &Str, derived: &Str| {
        if planned.is_value() {
            planned.clone()
        } else {
            derived.clone()
        }
    };
    TriggerState {
        id: keep(&planned.id, &again.id),
        arn: keep(&planned.arn, &again.arn),
        target_arn: keep(&planned.target_arn, &again.target_arn),
        statement_id: keep(&planned.statement_id, &again.statement_id),
        statement_json: keep(&planned.statement_json, &again.statement_json),
        target_id: keep(&planned.target_id, &again.target_id),
        ..planned
    }
}

/// The "already exists" error for a rule no state records.
fn rule_taken(s: &TriggerState, request_id: Option<String>) -> StepError {
    StepError {
        doing: format!("creating {}", rule_label(s)),
        error: not_recorded(
            "PutRule",
            "ResourceAlreadyExistsException",
            &format!(
                "EventBridge rule {} on event bus {}",
                text(&s.name),
                text(&s.event_bus_name)
            ),
            &text(&s.id),
            request_id,
        ),
    }
}

/// Create: the grant, then the rule, then the target, then the read back.
/// A rule of this name must not exist before: PutRule would replace it
/// silently, so the rule is looked up first. Only two rules found are this
/// create's own (SPEC, "Ownership"): one that appears only after this
/// call's own PutRule went unanswered, holding exactly what was sent (a
/// lost answer of this very call), and the leftover of an interrupted
/// create of this resource ([`is_leftover`]), which is taken as it is and
/// never deleted by this call's rollback. The window between the look and
/// PutRule is the one EventBridge leaves: it has no create-only call.
pub async fn create(c: &AwsClients, planned: TriggerState, ctx: &PlanContext) -> Outcome {
    let s = resolved(planned, ctx);
    let rule_bus = text(&bus(&s));
    let name = text(&s.name);
    let found = eventbridge::find_rule(c, &rule_bus, &name)
        .await
        .map_err(step(format!("reading {}", rule_label(&s))));
    let adopted = match found {
        Ok(None) => false,
        Ok(Some(rule)) => match is_leftover(c, &s, &rule).await {
            Ok(true) => true,
            Ok(false) => return Outcome::failed(None, vec![rule_taken(&s, None)]),
            Err(e) => return Outcome::failed(None, vec![e]),
        },
        Err(e) => return Outcome::failed(None, vec![e]),
    };
    let g = grant(&s);
    let deadline = deadline(&s, |t| &t.create);
    if let Err(e) = add_grant(c, &g, ctx, deadline).await {
        return Outcome::failed(None, vec![e]);
    }
    if !adopted {
        if let Err(e) = put_rule_once(c, &s).await {
            return roll_back(c, s, &g, ctx, false, e).await;
        }
    }
    let target = target_spec(&s);
    let put = eventbridge::put_target(c, &rule_bus, &name, &target).await;
    if let Err(e) = put {
        let failure = step(format!("creating {}", target_label(&s)))(e);
        if adopted {
            // Adoption earns no deletion right: recorded (tainted) instead,
            // for the next apply to replace.
            return Outcome::failed(Some(s.clone()), vec![failure]).wrote(&s);
        }
        return roll_back(c, s, &g, ctx, true, failure).await;
    }
    read_back(c, s).await
}

/// Whether `rule` is exactly what an interrupted create of this resource
/// leaves: the rule holds what this create writes, it has no target (a
/// rule something invokes through is in use, as a role is in SPEC
/// "Ownership": another configuration's trigger of the same content, say),
/// and the function's policy holds this resource's grant with exactly its
/// content under the id that content derives. A name proves nothing; that
/// statement does, because its id digests the rule's ARN, the function and
/// the grant, and a create writes it first.
async fn is_leftover(
    c: &AwsClients,
    s: &TriggerState,
    rule: &RemoteRule,
) -> Result<bool, StepError> {
    if !same_rule(&rule.spec, s) {
        return Ok(false);
    }
    let doing = format!("reading {}", rule_label(s));
    let targets = eventbridge::find_targets(c, &rule.spec.event_bus_name, &rule.spec.name)
        .await
        .map_err(step(doing))?
        .unwrap_or_default();
    if !targets.is_empty() {
        return Ok(false);
    }
    let g = grant(s);
    let [stored] = stored_statements(c, &g, [&g.statement_id]).await?;
    Ok(stored.is_some_and(|st| holds(&st, &g)))
}

async fn add_grant(
    c: &AwsClients,
    g: &Grant,
    ctx: &PlanContext,
    deadline: Instant,
) -> Result<(), StepError> {
    let _turn = policy_turn(c, g, ctx, "AddPermission").await?;
    add(c, g, None, &g.statement_id, deadline).await.map(drop)
}

/// PutRule of a rule that did not exist before this call; an unanswered
/// one is settled by what the bus holds now.
async fn put_rule_once(c: &AwsClients, s: &TriggerState) -> Result<(), StepError> {
    let spec = rule_spec(s);
    let doing = format!("creating {}", rule_label(s));
    match eventbridge::put_rule(c, &spec).await {
        Ok(_) => Ok(()),
        Err(e) if e.is(ErrorKind::Transport) => {
            let found = eventbridge::find_rule(c, &spec.event_bus_name, &spec.name)
                .await
                .map_err(step(doing.clone()))?;
            match found {
                // It appeared after our own unanswered PutRule, and it
                // holds exactly what we sent: our call applied.
                Some(RemoteRule { spec: remote, .. }) if same_rule(&remote, s) => Ok(()),
                Some(_) => Err(rule_taken(s, e.request_id.clone())),
                None => Err(step(doing)(e)),
            }
        }
        Err(e) => Err(step(doing)(e)),
    }
}

/// Undo a create that failed after the grant: the target (when it may
/// have been written) and the rule, both this call's, then the grant. What
/// cannot be taken back stays in the returned partial state, which
/// Terraform records (tainted), so the next apply or destroy removes it.
async fn roll_back(
    c: &AwsClients,
    s: TriggerState,
    g: &Grant,
    ctx: &PlanContext,
    rule_written: bool,
    failure: StepError,
) -> Outcome {
    let mut errors = vec![failure];
    let mut left = false;
    if rule_written {
        match take_back_rule(c, &s).await {
            // Someone else's target came between: the rule is theirs to
            // keep, and no state of ours needs to remember it.
            Ok(Some(why)) => tracing::warn!(rule = %text(&s.id), "{why}"),
            Ok(None) => {}
            Err(e) => {
                errors.push(e);
                left = true;
            }
        }
    }
    if let Err(e) = roll_back_add(c, g, ctx, deadline(&s, |t| &t.create)).await {
        errors.push(e);
        left = true;
    }
    let wrote = left && rule_written;
    let outcome = Outcome::failed(left.then_some(s.clone()), errors);
    if wrote {
        outcome.wrote(&s)
    } else {
        outcome
    }
}

/// The state after a write, read as Read reads it. Whatever the read
/// misses is what was written, recorded all the same: forgetting it would
/// leave a rule and a grant no state knows.
async fn read_back(c: &AwsClients, s: TriggerState) -> Outcome {
    let written = s.clone();
    let outcome = match read(c, &s).await {
        Ok(Some((state, temporary_statement))) => Outcome {
            state: Some(state),
            temporary_statement,
            errors: Vec::new(),
            rule: None,
        },
        Ok(None) => Outcome::failed(
            Some(s.clone()),
            vec![StepError {
                doing: format!("reading {}", rule_label(&s)),
                error: AwsError {
                    operation: "DescribeRule",
                    code: "ResourceNotFoundException".into(),
                    message: format!(
                        "rule {} was written but EventBridge does not find it",
                        text(&s.name)
                    ),
                    request_id: None,
                    kind: ErrorKind::NotFound,
                },
            }],
        ),
        Err(e) => Outcome::failed(Some(s), vec![e]),
    };
    outcome.wrote(&written)
}

/// Update in place: the grant repaired where Read found it missing or
/// changed (with no moment where neither statement grants), the rule
/// written when its settings changed, the target written when its settings
/// changed or it is gone. On failure, the prior state.
pub async fn update(
    c: &AwsClients,
    prior: &TriggerState,
    planned: TriggerState,
    (temporary_statement, written): (bool, Option<&RuleSpec>),
    ctx: &PlanContext,
) -> Outcome {
    let s = resolved(planned, ctx);
    let deadline = deadline(&s, |t| &t.update);
    let failed = |errors| Outcome {
        state: Some(prior.clone()),
        temporary_statement: true,
        errors,
        rule: written.cloned(),
    };
    // The rule first: a rule of this name that is not ours is refused
    // before anything is granted to it. A rule invokes nothing before its
    // target, which still comes after the grant.
    let (rule_bus, name) = (text(&bus(&s)), text(&s.name));
    if let Err(e) = write_rule(c, prior, &s, written).await {
        return failed(vec![e]);
    }
    if prior.statement_json != s.statement_json || temporary_statement {
        if let Err(errors) = repair_grant(c, &grant(&s), ctx, deadline).await {
            return failed(errors).wrote(&s);
        }
    }
    if prior.target_arn.is_null() || target_spec(prior) != target_spec(&s) {
        let put = eventbridge::put_target(c, &rule_bus, &name, &target_spec(&s)).await;
        if let Err(e) = put {
            // The rule holds what `s` writes now, whatever the target.
            let step = step(format!("updating {}", target_label(&s)));
            return failed(vec![step(e)]).wrote(&s);
        }
    }
    read_back(c, s).await
}

/// Write the rule when its settings changed, or when it may be gone (Read
/// found no target: it looks again). A rule gone out of band is this
/// resource's to create again. With our target gone, a rule found is ours
/// only while it holds what this resource last wrote (`written`, from
/// private state): Read copied its fields into `prior`, so `prior` proves
/// nothing. Any other is refused as a create refuses it, never replaced.
async fn write_rule(
    c: &AwsClients,
    prior: &TriggerState,
    s: &TriggerState,
    written: Option<&RuleSpec>,
) -> Result<(), StepError> {
    let doing = format!("updating {}", rule_label(s));
    let spec = rule_spec(s);
    if prior.target_arn.is_null() {
        let found = eventbridge::find_rule(c, &spec.event_bus_name, &spec.name)
            .await
            .map_err(step(doing.clone()))?;
        match found {
            None => return put_rule_once(c, s).await,
            Some(remote) if same_rule(&remote.spec, s) => return Ok(()),
            Some(remote) if written.is_some_and(|w| same_spec(&remote.spec, w)) => {}
            Some(_) => return Err(rule_taken(s, None)),
        }
    } else if rule_spec(prior) == spec {
        return Ok(());
    }
    eventbridge::put_rule(c, &spec)
        .await
        .map(drop)
        .map_err(step(doing))
}

/// Write the grant again, as the statement engine swaps a statement: the
/// id is the grant's own, so its temporary twin holds the grant while the
/// statement under the id is replaced.
async fn repair_grant(
    c: &AwsClients,
    g: &Grant,
    ctx: &PlanContext,
    deadline: Instant,
) -> Result<(), Vec<StepError>> {
    let _turn = policy_turn(c, g, ctx, "AddPermission")
        .await
        .map_err(|e| vec![e])?;
    let temporary = temporary_statement_id(&g.statement_id);
    let [main, left] = stored_statements(c, g, [&g.statement_id, &temporary])
        .await
        .map_err(|e| vec![e])?;
    match (main, left) {
        (Some(st), None) if holds(&st, g) => Ok(()),
        (None, None) => add(c, g, None, &g.statement_id, deadline)
            .await
            .map(drop)
            .map_err(|e| vec![e]),
        _ => swap(c, g, g, None, deadline).await,
    }
}

/// Delete: this resource's target and rule ([`take_back_rule`]), then the
/// grant (and its temporary twin when `leftover`); what is already gone
/// is success. A rule released, not deleted, is answered with why, for a
/// warning: its grant is removed all the same, being this resource's.
pub async fn delete(
    c: &AwsClients,
    s: &TriggerState,
    leftover: bool,
    ctx: &PlanContext,
) -> Result<Option<String>, StepError> {
    let released = take_back_rule(c, s).await?;
    remove_with_leftover(c, &grant(s), leftover, ctx).await?;
    Ok(released)
}

/// Remove what this resource put on the rule: its target, only when both
/// its id and its function are the state's (a target of that id invoking
/// something else is not ours), then the rule, only when no other target
/// remains and its ARN is the state's `arn`. A rule something else still
/// targets is in use (SPEC, "Ownership"), and EventBridge would refuse to
/// delete it anyway: it is released, not deleted, and the answer says why.
/// A rule already gone is success.
async fn take_back_rule(c: &AwsClients, s: &TriggerState) -> Result<Option<String>, StepError> {
    let (rule_bus, name) = (text(&bus(s)), text(&s.name));
    let reading = format!("reading {}", rule_label(s));
    let Some(targets) = eventbridge::find_targets(c, &rule_bus, &name)
        .await
        .map_err(step(reading.clone()))?
    else {
        return Ok(None);
    };
    let ours = |t: &&TargetSpec| {
        known(&s.target_id) == Some(t.id.as_str()) && known(&s.target_arn) == Some(t.arn.as_str())
    };
    if let Some(t) = targets.iter().find(ours) {
        eventbridge::remove_target(c, &rule_bus, &name, &t.id)
            .await
            .map_err(step(format!("deleting {}", target_label(s))))?;
    }
    let others: Vec<&str> = targets
        .iter()
        .filter(|t| !ours(t))
        .map(|t| t.id.as_str())
        .collect();
    let Some(rule) = eventbridge::find_rule(c, &rule_bus, &name)
        .await
        .map_err(step(reading))?
    else {
        return Ok(None);
    };
    let kept = |why: String| {
        Ok(Some(format!(
            "EventBridge rule {name} on event bus {rule_bus} was released, not deleted: {why}. \
             It was left as it is."
        )))
    };
    if !others.is_empty() {
        return kept(format!(
            "it still has targets that are not this trigger's ({})",
            others.join(", ")
        ));
    }
    if known(&s.arn) != Some(rule.arn.as_str()) {
        return kept(format!(
            "its ARN is {}, not the state's {}",
            rule.arn,
            text(&s.arn)
        ));
    }
    eventbridge::delete_rule(c, &rule_bus, &name)
        .await
        .map_err(step(format!("deleting {}", rule_label(s))))?;
    Ok(None)
}

/// Refresh: `None` only when nothing is left to manage, the rule and the
/// grant both gone (the plan then creates the trigger anew, and meets its
/// own grant if only that was left). Otherwise the rule, its target
/// (`target_arn` null when it or the rule is gone, which the next update
/// writes again) and the grant (`statement_json` null when gone) as AWS
/// holds them, with whether the grant's temporary twin is there.
pub async fn read(
    c: &AwsClients,
    prior: &TriggerState,
) -> Result<Option<(TriggerState, bool)>, StepError> {
    let (rule_bus, name) = (text(&bus(prior)), text(&prior.name));
    let doing = format!("reading {}", rule_label(prior));
    let g = grant(prior);
    let temporary = temporary_statement_id(&g.statement_id);
    let [main, left] = stored_statements(c, &g, [&g.statement_id, &temporary]).await?;
    let rule = eventbridge::find_rule(c, &rule_bus, &name)
        .await
        .map_err(step(doing.clone()))?;
    let mut s = match rule {
        Some(rule) => {
            let s = flatten_rule(prior, &rule);
            let targets = eventbridge::find_targets(c, &rule_bus, &name)
                .await
                .map_err(step(doing))?
                .unwrap_or_default();
            let id = text(&prior.target_id);
            flatten_target(&s, targets.iter().find(|t| t.id == id))
        }
        None if main.is_none() && left.is_none() => return Ok(None),
        // The rule is gone and the grant is not: still this resource's to
        // repair or remove, never forgotten with a grant no state knows.
        None => flatten_target(prior, None),
    };
    s.statement_json = flatten_statement(&s, main.as_ref());
    Ok(Some((s, left.is_some())))
}

/// Import `<bus>/<name>` (or `<name>` on the default bus): the rule and
/// its one Lambda target; Read fills in the grant.
pub async fn import(c: &AwsClients, id: &str) -> Result<Option<(TriggerState, bool)>, StepError> {
    let (rule_bus, name) = parse_import_id(id).map_err(|why| StepError {
        doing: "importing EventBridge Trigger".into(),
        error: AwsError {
            operation: "DescribeRule",
            code: "InvalidImportId".into(),
            message: why,
            request_id: None,
            kind: ErrorKind::Other,
        },
    })?;
    let doing = format!(
        "importing EventBridge Trigger ({})",
        trigger_id(&rule_bus, &name)
    );
    let missing = |message: String| StepError {
        doing: doing.clone(),
        error: AwsError {
            operation: "DescribeRule",
            code: "ResourceNotFoundException".into(),
            message,
            request_id: None,
            kind: ErrorKind::NotFound,
        },
    };
    let rule = eventbridge::find_rule(c, &rule_bus, &name)
        .await
        .map_err(step(doing.clone()))?
        .ok_or_else(|| missing(format!("event bus {rule_bus} has no rule {name}")))?;
    let targets = eventbridge::find_targets(c, &rule_bus, &name)
        .await
        .map_err(step(doing.clone()))?
        .unwrap_or_default();
    let functions: Vec<_> = targets
        .iter()
        .filter(|t| arn::lambda_function(&t.arn).is_ok())
        .collect();
    let [target] = functions[..] else {
        return Err(missing(format!(
            "rule {name} has {} Lambda function targets; lambdawire_eventbridge_trigger \
             imports a rule with exactly one",
            functions.len()
        )));
    };
    let (function, qualifier) = match parse_function_ref(&target.arn) {
        Ok(r) => {
            let unqualified = match &r.qualifier {
                Some(q) => target.arn[..target.arn.len() - q.len() - 1].to_string(),
                None => target.arn.clone(),
            };
            (unqualified, r.qualifier)
        }
        Err(why) => return Err(missing(why)),
    };
    let s = import_state(&rule_bus, &rule, target, function, qualifier);
    read(c, &s).await
}
