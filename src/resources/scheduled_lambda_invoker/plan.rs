//! Plan logic of `lambdawire_scheduled_lambda_invoker`: pure. Fills defaults,
//! derives every computed value that is knowable (ids, role name and ARN, the
//! exact policies), leaves the rest unknown, and says what forces replacement.
//! Apply calls the same [`resolve`] once names are known, so what the plan
//! shows is byte for byte what apply writes.

use crate::plugin::{AttributePath, Problem};
use crate::resources::plan_checks::{foreign_function, Place};
use crate::resources::PlanContext;
use chrono::{DateTime, Utc};
use sha2::{Digest, Sha256};

use crate::plugin::{known, str_list, str_value, text, Block, Bool, Str, StrList, Value};
use crate::policy::builders::{invoker_policy, scheduler_trust_policy, ScheduleKey};
use crate::resources::managed_role::{planned_tags_all, role_path, Recorded};
use crate::validate::arn;
use crate::validate::names::generated_name;
use crate::validate::schedule_expression::{parse_schedule_expression, ScheduleExpression};
use crate::validate::time::{at_has_passed, parse_time_zone};

use super::model::{InvokerState, RoleSettings};

/// Name of the inline policy on the managed role.
pub const POLICY_NAME: &str = "lambdawire-invoke";
/// Tag that marks a role as this schedule's own (value `<group>/<name>`), so a
/// create whose response was lost can adopt it instead of failing.
pub const OWNER_TAG: &str = "lambdawire:schedule";
/// The schedule group of a schedule whose `group_name` is null: the one
/// Scheduler creates in every account and region.
pub const DEFAULT_GROUP: &str = "default";
/// IAM's limit on role names.
pub const ROLE_NAME_MAX: usize = 64;

/// `Some(v)` when known, `None` when unknown; null maps to `default`.
fn or_default(value: &Str, default: &str) -> Str {
    match value {
        Value::Null => str_value(default),
        other => other.clone(),
    }
}

/// Deterministic role name for a schedule: readable when it fits, else
/// truncated with a hash suffix (stable across plans, unique per schedule).
/// The region is part of it because IAM roles are global and schedules are not.
pub fn default_role_name(region: &str, group: &str, name: &str) -> String {
    generated_name(
        &format!("lambdawire-{region}-{group}-{name}"),
        "",
        ROLE_NAME_MAX,
    )
}

/// Role name from a user prefix: the prefix plus a short hash of the schedule's
/// identity, so it is known at plan time and stable.
pub fn prefixed_role_name(prefix: &str, region: &str, group: &str, name: &str) -> String {
    let digest = Sha256::digest(format!("{region}/{group}/{name}").as_bytes());
    let suffix = hex::encode(&digest[..6]);
    generated_name(prefix, &suffix, ROLE_NAME_MAX)
}

/// The schedule's ARN, while partition and region are known.
pub fn schedule_arn(ctx: &PlanContext, account: &str, group: &str, name: &str) -> Option<String> {
    let (partition, region) = ctx.place()?;
    Some(format!(
        "arn:{partition}:scheduler:{region}:{account}:schedule/{group}/{name}"
    ))
}

/// Fill every computed attribute from the (possibly partly unknown) inputs.
/// `state.name` must already hold the final name or unknown.
pub fn resolve(mut s: InvokerState, config: &InvokerState, ctx: &PlanContext) -> InvokerState {
    s.group_name = or_default(&config.group_name, DEFAULT_GROUP);
    s.schedule_expression_timezone = or_default(&config.schedule_expression_timezone, "UTC");
    s.state = or_default(&config.state, "ENABLED");
    s.action_after_completion = match (&config.action_after_completion, &config.schedule_expression)
    {
        (Value::Null, Value::Value(expression)) => match parse_schedule_expression(expression) {
            Ok(parsed) if parsed.is_one_time() => str_value("DELETE"),
            _ => str_value("NONE"),
        },
        (Value::Null, _) => Value::Unknown,
        (given, _) => given.clone(),
    };
    let account = ctx.account_id.as_deref();
    let (group, name) = (
        known(&s.group_name).map(str::to_string),
        known(&s.name).map(str::to_string),
    );

    s.id = match (&group, &name) {
        (Some(g), Some(n)) => str_value(&format!("{g}/{n}")),
        _ => Value::Unknown,
    };
    s.arn = match (&group, &name, account) {
        (Some(g), Some(n), Some(a)) => {
            schedule_arn(ctx, a, g, n).map_or(Value::Unknown, |arn| str_value(&arn))
        }
        _ => Value::Unknown,
    };

    resolve_role(s, config, ctx, group.as_deref(), name.as_deref())
}

/// The role attributes: the user's role under `existing_role_arn`, else the
/// managed one with its name, ARN, policies and tags; unknown where their
/// inputs are.
fn resolve_role(
    mut s: InvokerState,
    config: &InvokerState,
    ctx: &PlanContext,
    group: Option<&str>,
    name: Option<&str>,
) -> InvokerState {
    let account = ctx.account_id.as_deref();
    let role_block = config.role.single();
    match &config.existing_role_arn {
        Value::Value(existing) => {
            s.role_managed = Value::Value(false);
            s.role_arn = str_value(existing);
            s.role_name = arn::iam_role(existing).map_or(Value::Unknown, str_value);
            s.policy_json = Value::Null;
            s.trust_policy_json = Value::Null;
            s.tags_all = Value::Null;
        }
        Value::Unknown => {
            s.role_managed = Value::Unknown;
            s.role_arn = Value::Unknown;
            s.role_name = Value::Unknown;
            s.policy_json = Value::Unknown;
            s.trust_policy_json = Value::Unknown;
            s.tags_all = Value::Unknown;
        }
        Value::Null if config.role.is_unknown() => {
            s.role_managed = Value::Value(true);
            s.role_arn = Value::Unknown;
            s.role_name = Value::Unknown;
            s.policy_json = invoke_policy(&s);
            s.trust_policy_json = trust_policy(ctx, account, group);
            s.tags_all = Value::Unknown;
        }
        Value::Null => {
            s.role_managed = Value::Value(true);
            s.role_name = managed_role_name(role_block, ctx, group, name);
            let path = role_path(role_block);
            s.role_arn = match (account, known(&s.role_name), known(&path), &ctx.partition) {
                (Some(a), Some(role), Some(path), Some(partition)) => {
                    str_value(&format!("arn:{partition}:iam::{a}:role{path}{role}"))
                }
                _ => Value::Unknown,
            };
            s.policy_json = invoke_policy(&s);
            s.trust_policy_json = trust_policy(ctx, account, group);
            s.tags_all = planned_tags_all(ctx.default_tags.as_ref(), &config.role);
        }
    }
    s
}

fn managed_role_name(
    role: Option<&RoleSettings>,
    ctx: &PlanContext,
    group: Option<&str>,
    name: Option<&str>,
) -> Str {
    let (explicit, prefix) = match role {
        Some(r) => (r.name.clone(), r.name_prefix.clone()),
        None => (Value::Null, Value::Null),
    };
    // A generated name hashes the region in.
    let region = ctx.region.as_deref();
    match (explicit, prefix, group, name, region) {
        (Value::Value(n), _, _, _, _) => str_value(&n),
        (Value::Unknown, _, _, _, _) | (_, Value::Unknown, _, _, _) => Value::Unknown,
        (Value::Null, Value::Value(prefix), Some(g), Some(n), Some(region)) => {
            str_value(&prefixed_role_name(&prefix, region, g, n))
        }
        (Value::Null, Value::Null, Some(g), Some(n), Some(region)) => {
            str_value(&default_role_name(region, g, n))
        }
        _ => Value::Unknown,
    }
}

fn invoke_policy(s: &InvokerState) -> Str {
    let (Value::Value(function), Some(dlq)) =
        (&s.function_arn, known_or_absent(&s.dead_letter_arn))
    else {
        return Value::Unknown;
    };
    let key = match (&s.kms_key_arn, &s.arn) {
        (Value::Null, _) => None,
        (Value::Value(key_arn), Value::Value(schedule_arn)) => Some(ScheduleKey {
            key_arn,
            schedule_arn,
        }),
        _ => return Value::Unknown,
    };
    str_value(&invoker_policy(function, dlq, key.as_ref()))
}

/// `Some(None)` for null, `Some(Some(v))` for a value, `None` while unknown.
fn known_or_absent(value: &Str) -> Option<Option<&str>> {
    match value {
        Value::Null => Some(None),
        Value::Value(v) => Some(Some(v)),
        Value::Unknown => None,
    }
}

fn trust_policy(ctx: &PlanContext, account: Option<&str>, group: Option<&str>) -> Str {
    match (account, group, ctx.place()) {
        (Some(a), Some(g), Some((partition, region))) => {
            str_value(&scheduler_trust_policy(partition, region, a, Some(g)))
        }
        _ => Value::Unknown,
    }
}

/// Plan a new invoker.
pub fn plan_create(
    proposed: InvokerState,
    config: &InvokerState,
    ctx: &PlanContext,
) -> InvokerState {
    let mut s = proposed;
    // A generated name is unknown until apply: a random name chosen here would
    // differ when Terraform re-plans during apply.
    s.name = match &config.name {
        Value::Null => Value::Unknown,
        given => given.clone(),
    };
    s.completed = Value::Value(false);
    s.roles_pending_deletion = Value::Null;
    resolve(s, config, ctx)
}

/// What only the provider's facts reveal, at every plan (SPEC, "Plan-time
/// checks against AWS"): a function of another region, partition or
/// account (Scheduler's Lambda target must be in the schedule's own), and,
/// on create or when the time changes, an `at()` already past (the
/// schedule would never run, and `completed` would stay false for ever).
pub fn fact_problems(
    prior: Option<&InvokerState>,
    planned: &InvokerState,
    ctx: &PlanContext,
) -> Vec<Problem> {
    let mut out = Vec::new();
    if let Some(function) = known(&planned.function_arn) {
        let path = AttributePath::new("function_arn");
        out.extend(foreign_function(
            &path,
            function,
            ctx,
            Place::RegionAndAccount,
        ));
    }
    let time_changes = prior.is_none_or(|p| {
        p.schedule_expression != planned.schedule_expression
            || p.schedule_expression_timezone != planned.schedule_expression_timezone
    });
    let expression = known(&planned.schedule_expression);
    let zone = known(&planned.schedule_expression_timezone).unwrap_or("UTC");
    if let (true, Some(text), false) = (
        time_changes,
        expression,
        planned.schedule_expression_timezone.is_unknown(),
    ) {
        if let (Ok(ScheduleExpression::At(at)), Ok(tz)) =
            (parse_schedule_expression(text), parse_time_zone(zone))
        {
            if at_has_passed(at, tz, ctx.now) {
                out.push(Problem::at(
                    "schedule_expression",
                    "the one-time schedule's time has passed",
                    format!(
                        "{text} in {zone} is before now ({} UTC): the schedule would never \
                         run. Give a time in the future.",
                        ctx.now.format("%Y-%m-%dT%H:%M:%S")
                    ),
                ));
            }
        }
    }
    out
}

/// A one-time schedule that deletes itself after firing, whose time has
/// passed at `now`: Scheduler has fired it and deleted it.
pub fn has_fired(s: &InvokerState, now: DateTime<Utc>) -> bool {
    let expression = known(&s.schedule_expression).map(parse_schedule_expression);
    let Some(Ok(ScheduleExpression::At(at))) = expression else {
        return false;
    };
    let zone = parse_time_zone(known(&s.schedule_expression_timezone).unwrap_or("UTC"));
    known(&s.action_after_completion) == Some("DELETE")
        && zone.is_ok_and(|tz| at_has_passed(at, tz, now))
}

/// `completed` after an update. A completed schedule no longer exists; the
/// update writes it again (so it is no longer completed) unless the planned
/// schedule has fired too, in which case writing it would only fire it a
/// second time. Unknown while the time or action is, for apply to decide.
fn completed_after_update(
    prior: &InvokerState,
    planned: &InvokerState,
    now: DateTime<Utc>,
) -> Bool {
    if prior.completed != Value::Value(true) {
        return Value::Value(false);
    }
    let inputs = [
        &planned.schedule_expression,
        &planned.schedule_expression_timezone,
        &planned.action_after_completion,
    ];
    if inputs.iter().any(|v| v.is_unknown()) {
        return Value::Unknown;
    }
    Value::Value(has_fired(planned, now))
}

/// Plan an update of an existing invoker, and what forces replacement.
/// `now` decides whether a completed one-time schedule stays completed.
pub fn plan_update(
    prior: &InvokerState,
    proposed: InvokerState,
    config: &InvokerState,
    ctx: &PlanContext,
    now: DateTime<Utc>,
) -> (InvokerState, Vec<AttributePath>) {
    let mut replace = Vec::new();
    let mut s = proposed;
    if !config.name.is_null() && config.name != prior.name {
        replace.push(AttributePath::new("name"));
    }
    if config.name_prefix != prior.name_prefix {
        replace.push(AttributePath::new("name_prefix"));
    }
    if or_default(&config.group_name, DEFAULT_GROUP) != prior.group_name {
        replace.push(AttributePath::new("group_name"));
    }
    if config.name.is_null() {
        s.name = prior.name.clone();
    }
    let mut planned = resolve(s, config, ctx);
    planned.completed = completed_after_update(prior, &planned, now);
    // Every update deletes the roles still pending (see
    // [`pending_attribute`]), so none are planned to remain. When that is the
    // only difference from the prior state it is what makes Terraform call
    // apply at all: private state alone never produces a diff.
    planned.roles_pending_deletion = Value::Null;
    if role_moves_path(prior, &planned, config) {
        replace.push(AttributePath::new("role").index(0).attribute("path"));
    }
    // The schedule ARN cannot change in place; keep a known prior one even if
    // the provider facts are not known this time.
    if planned.arn.is_unknown() && replace.is_empty() && known(&prior.arn).is_some() {
        planned.arn = prior.arn.clone();
    }
    (planned, replace)
}

/// IAM cannot move a role to another path, and a new role of the same name
/// cannot exist beside the old one: a managed role that keeps its name but
/// changes path replaces the invoker. The name is the resolved one, so a
/// generated name (no `role.name` in the configuration) counts too; a name
/// still unknown may turn out the same, so it replaces rather than guess.
fn role_moves_path(prior: &InvokerState, planned: &InvokerState, config: &InvokerState) -> bool {
    let managed = Value::Value(true);
    if prior.role_managed != managed || planned.role_managed != managed {
        return false;
    }
    let (before, after) = (
        role_path(prior.role.single()),
        role_path(config.role.single()),
    );
    let same_name = planned.role_name.is_unknown() || planned.role_name == prior.role_name;
    before != after && !after.is_unknown() && known(&prior.role_name).is_some() && same_name
}

/// `roles_pending_deletion` as shown: null when nothing is pending.
///
/// Why a visible attribute as well as private state: Terraform calls
/// ApplyResourceChange only when the planned value differs from the prior
/// one, and ignores private state in that comparison. Retrying the delete on
/// Read instead would make `terraform plan` write to IAM. So the names are
/// shown here: after a failed delete the next plan shows
/// `roles_pending_deletion = [...] -> null` as an in-place update, that
/// apply deletes them, and the plan after it is empty. Private state stays
/// the record apply acts on. It is no safeguard against edits: private
/// state is stored in the state file and can be edited like the rest, so
/// every role delete first checks the role's owner tag
/// (`managed_role::delete`) and releases, never deletes, one without it.
pub fn pending_attribute(names: &[String]) -> StrList {
    if names.is_empty() {
        Value::Null
    } else {
        str_list(names.iter().cloned())
    }
}

/// The roles an update must delete once the schedule points at its new
/// role: the prior managed role when the schedule moved off it, and those
/// still pending from earlier applies; never the role the schedule now
/// uses (a role released with `existing_role_arn`, or a pending role the
/// configuration took back), never one twice.
pub fn roles_to_delete(
    prior: &InvokerState,
    now: &InvokerState,
    pending: &[String],
) -> Vec<String> {
    let in_use = known(&now.role_name);
    let moved_off = (prior.role_managed == Value::Value(true))
        .then(|| known(&prior.role_name))
        .flatten();
    let mut out: Vec<String> = Vec::new();
    for name in moved_off
        .into_iter()
        .chain(pending.iter().map(String::as_str))
    {
        if !name.is_empty() && Some(name) != in_use && !out.iter().any(|n| n == name) {
            out.push(name.to_string());
        }
    }
    out
}

/// The schedule an import id names: `group/name`, or `name` in the
/// default group.
pub fn import_key(id: &str) -> (String, String) {
    match id.split_once('/') {
        Some((group, name)) => (group.to_string(), name.to_string()),
        None => (DEFAULT_GROUP.to_string(), id.to_string()),
    }
}

/// The value of the owner tag: roles are global, schedules regional.
pub fn owner(region: &str, s: &InvokerState) -> String {
    format!("{region}/{}/{}", text(&s.group_name), text(&s.name))
}

/// True when the role changes identity (a new name, or managed <-> existing).
pub fn role_switches(prior: &InvokerState, planned: &InvokerState) -> bool {
    prior.role_managed != planned.role_managed || prior.role_name != planned.role_name
}

/// Whether the prior state records the planned managed role as this
/// resource's own: it was managed, under the same name.
pub fn role_recorded(prior: &InvokerState, planned: &InvokerState) -> Recorded {
    if prior.role_managed == Value::Value(true) && prior.role_name == planned.role_name {
        Recorded::Yes
    } else {
        Recorded::No
    }
}

/// The role a failed update deletes: the one it created for a role switch,
/// which the schedule never came to use. A role it found (adopted as its
/// own leftover, or the prior one kept) is not this update's to undo.
pub fn role_to_roll_back(
    prior: &InvokerState,
    planned: &InvokerState,
    created: bool,
) -> Option<String> {
    (created && role_switches(prior, planned)).then(|| text(&planned.role_name))
}

/// The roles still pending after a failed update: those pending before,
/// and the role its rollback could not delete, once.
pub fn pending_after_rollback(pending: &[String], not_deleted: Option<String>) -> Vec<String> {
    let mut still = pending.to_vec();
    if let Some(role) = not_deleted.filter(|role| !still.contains(role)) {
        still.push(role);
    }
    still
}

/// What a failed create records: nothing when it left nothing behind;
/// otherwise all it planned, wholly known, which Terraform records as
/// tainted so the next apply or destroy settles what exists.
pub fn after_failed_create(s: InvokerState, left_behind: bool) -> Option<InvokerState> {
    left_behind.then(|| without_unknowns(s))
}

/// The roles a destroy deletes once the schedule is gone, each with the
/// step that names it in a diagnostic: the managed role the state names,
/// then those earlier applies left pending. Never the role of
/// `existing_role_arn` (the user's own), even when it was once pending.
pub fn roles_to_destroy(s: &InvokerState, pending: &[String]) -> Vec<(String, String)> {
    let current = known(&s.role_name);
    let managed = current.filter(|_| s.role_managed == Value::Value(true));
    let own = managed.map(|role| (role.to_string(), format!("deleting IAM Role ({role})")));
    let previous = pending
        .iter()
        .filter(|role| Some(role.as_str()) != current)
        .map(|role| {
            let doing = format!("deleting the previous IAM Role ({role})");
            (role.clone(), doing)
        });
    own.into_iter().chain(previous).collect()
}

/// Replace every unknown by null: a state written after a failed apply must be
/// wholly known.
pub fn without_unknowns(mut s: InvokerState) -> InvokerState {
    for field in [
        &mut s.id,
        &mut s.arn,
        &mut s.name,
        &mut s.group_name,
        &mut s.schedule_expression_timezone,
        &mut s.state,
        &mut s.action_after_completion,
        &mut s.role_arn,
        &mut s.role_name,
        &mut s.policy_json,
        &mut s.trust_policy_json,
    ] {
        if field.is_unknown() {
            *field = Value::Null;
        }
    }
    if s.role_managed.is_unknown() {
        s.role_managed = Value::Null;
    }
    if s.tags_all.is_unknown() {
        s.tags_all = Value::Null;
    }
    if s.completed.is_unknown() {
        s.completed = Value::Value(false);
    }
    if s.role.is_unknown() {
        s.role = Block::default();
    }
    s
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::policy::builders::scheduler_invoke_policy;
    use crate::resources::testing::ctx;

    const FUNCTION: &str = "arn:aws:lambda:us-east-1:123456789012:function:hook";

    /// A fixed "now" between the past and future times the tests use.
    fn now() -> DateTime<Utc> {
        DateTime::from_timestamp(1_750_000_000, 0).unwrap_or_default()
    }

    fn config(expression: &str) -> InvokerState {
        InvokerState {
            name: str_value("nightly"),
            function_arn: str_value(FUNCTION),
            schedule_expression: str_value(expression),
            ..Default::default()
        }
    }

    /// The account is the provider's, never the function ARN's.
    #[test]
    fn account_comes_from_the_context_not_the_function_arn() {
        let c = config("rate(5 minutes)");
        let other = PlanContext {
            account_id: Some("111122223333".into()),
            ..ctx()
        };
        let planned = plan_create(c.clone(), &c, &other);
        assert_eq!(
            planned.role_arn,
            str_value("arn:aws:iam::111122223333:role/lambdawire-us-east-1-default-nightly")
        );
        assert!(known(&planned.trust_policy_json)
            .unwrap_or_default()
            .contains("\"111122223333\""));
        assert!(!known(&planned.trust_policy_json)
            .unwrap_or_default()
            .contains("123456789012"));
    }

    /// An unknown provider configuration gives no facts: everything they
    /// feed is unknown, what the configuration alone decides stays known.
    #[test]
    fn no_facts_plan_account_and_region_values_unknown() {
        let c = config("rate(5 minutes)");
        let planned = plan_create(c.clone(), &c, &PlanContext::default());
        for value in [
            &planned.arn,
            &planned.role_arn,
            &planned.role_name,
            &planned.trust_policy_json,
        ] {
            assert!(value.is_unknown());
        }
        assert_eq!(planned.id, str_value("default/nightly"));
        assert_eq!(
            planned.policy_json,
            str_value(&scheduler_invoke_policy(&[FUNCTION], &[]))
        );
    }

    #[test]
    fn create_fills_defaults_and_every_policy() {
        let c = config("rate(5 minutes)");
        let planned = plan_create(c.clone(), &c, &ctx());
        assert_eq!(planned.group_name, str_value("default"));
        assert_eq!(planned.schedule_expression_timezone, str_value("UTC"));
        assert_eq!(planned.state, str_value("ENABLED"));
        assert_eq!(planned.action_after_completion, str_value("NONE"));
        assert_eq!(planned.id, str_value("default/nightly"));
        assert_eq!(
            planned.arn,
            str_value("arn:aws:scheduler:us-east-1:123456789012:schedule/default/nightly")
        );
        assert_eq!(
            planned.role_name,
            str_value("lambdawire-us-east-1-default-nightly")
        );
        assert_eq!(
            planned.role_arn,
            str_value("arn:aws:iam::123456789012:role/lambdawire-us-east-1-default-nightly")
        );
        assert_eq!(planned.role_managed, Value::Value(true));
        assert_eq!(planned.completed, Value::Value(false));
        assert_eq!(
            planned.policy_json,
            str_value(&scheduler_invoke_policy(&[FUNCTION], &[]))
        );
        assert_eq!(
            planned.trust_policy_json,
            str_value(&scheduler_trust_policy(
                "aws",
                "us-east-1",
                "123456789012",
                Some("default")
            ))
        );
    }

    #[test]
    fn one_time_defaults_to_delete_after_completion() {
        let c = config("at(2030-01-01T09:00:00)");
        assert_eq!(
            plan_create(c.clone(), &c, &ctx()).action_after_completion,
            str_value("DELETE")
        );
        let unknown = InvokerState {
            schedule_expression: Value::Unknown,
            ..c
        };
        assert!(plan_create(unknown.clone(), &unknown, &ctx())
            .action_after_completion
            .is_unknown());
    }

    #[test]
    fn generated_schedule_name_leaves_names_unknown_but_policies_known() {
        let c = InvokerState {
            name: Value::Null,
            ..config("rate(1 hour)")
        };
        let planned = plan_create(c.clone(), &c, &ctx());
        assert!(planned.name.is_unknown());
        assert!(planned.id.is_unknown());
        assert!(planned.role_name.is_unknown());
        assert!(planned.role_arn.is_unknown());
        assert!(known(&planned.policy_json).is_some());
        assert!(known(&planned.trust_policy_json).is_some());
        assert_eq!(planned.tags_all, Value::Value(Default::default()));
    }

    #[test]
    fn unknown_function_leaves_only_the_invoke_policy_unknown() {
        let c = InvokerState {
            function_arn: Value::Unknown,
            ..config("rate(1 hour)")
        };
        let planned = plan_create(c.clone(), &c, &ctx());
        assert!(planned.policy_json.is_unknown());
        assert!(known(&planned.trust_policy_json).is_some());
        assert!(known(&planned.role_arn).is_some());
    }

    #[test]
    fn dead_letter_queue_is_granted() {
        let dlq = "arn:aws:sqs:us-east-1:123456789012:dlq";
        let c = InvokerState {
            dead_letter_arn: str_value(dlq),
            ..config("rate(1 hour)")
        };
        let planned = plan_create(c.clone(), &c, &ctx());
        assert_eq!(
            planned.policy_json,
            str_value(&scheduler_invoke_policy(&[FUNCTION], &[dlq]))
        );
    }

    #[test]
    fn existing_role_creates_no_policies() {
        let role = "arn:aws:iam::123456789012:role/ops/mine";
        let c = InvokerState {
            existing_role_arn: str_value(role),
            ..config("rate(1 hour)")
        };
        let planned = plan_create(c.clone(), &c, &ctx());
        assert_eq!(planned.role_managed, Value::Value(false));
        assert_eq!(planned.role_arn, str_value(role));
        assert_eq!(planned.role_name, str_value("mine"));
        assert!(planned.policy_json.is_null());
        assert!(planned.trust_policy_json.is_null());
        assert!(planned.tags_all.is_null(), "not this resource's role");
    }

    #[test]
    fn role_name_edges_stay_within_iam_limit_and_are_stable() {
        let long = "n".repeat(64);
        let name = default_role_name("ap-southeast-2", "a-long-group-name", &long);
        assert_eq!(name.len(), ROLE_NAME_MAX);
        assert_eq!(
            name,
            default_role_name("ap-southeast-2", "a-long-group-name", &long)
        );
        assert_ne!(
            name,
            default_role_name("ap-southeast-2", "a-long-group-name", &"m".repeat(64))
        );
        let prefixed = prefixed_role_name("team-", "us-east-1", "default", "x");
        assert!(prefixed.starts_with("team-") && prefixed.len() <= ROLE_NAME_MAX);
        assert_eq!(
            prefixed,
            prefixed_role_name("team-", "us-east-1", "default", "x")
        );
    }

    #[test]
    fn update_keeps_generated_name_and_flags_replacements() {
        let c = config("rate(5 minutes)");
        let prior = plan_create(c.clone(), &c, &ctx());
        let (same, replace) = plan_update(&prior, c.clone(), &c, &ctx(), now());
        assert!(replace.is_empty());
        assert_eq!(same, prior, "no change plans no difference");

        let renamed = InvokerState {
            name: str_value("other"),
            ..c.clone()
        };
        let (_, replace) = plan_update(&prior, renamed.clone(), &renamed, &ctx(), now());
        assert_eq!(replace, [AttributePath::new("name")]);

        let regrouped = InvokerState {
            group_name: str_value("ops"),
            ..c.clone()
        };
        let (_, replace) = plan_update(&prior, regrouped.clone(), &regrouped, &ctx(), now());
        assert_eq!(replace, [AttributePath::new("group_name")]);

        let changed = InvokerState {
            schedule_expression: str_value("rate(10 minutes)"),
            ..c
        };
        let (planned, replace) = plan_update(&prior, changed.clone(), &changed, &ctx(), now());
        assert!(replace.is_empty(), "expression updates in place");
        assert_eq!(planned.arn, prior.arn);
    }

    fn with_role(base: &InvokerState, name: Option<&str>, path: &str) -> InvokerState {
        InvokerState {
            role: Block::Items(vec![RoleSettings {
                name: name.map_or(Value::Null, str_value),
                path: str_value(path),
                ..Default::default()
            }]),
            ..base.clone()
        }
    }

    #[test]
    fn role_path_change_replaces_only_when_the_role_keeps_its_name() {
        let c = config("rate(5 minutes)");
        let prior = plan_create(c.clone(), &c, &ctx());
        let path = [AttributePath::new("role").index(0).attribute("path")];

        let generated = with_role(&c, None, "/ops/");
        let (_, replace) = plan_update(&prior, generated.clone(), &generated, &ctx(), now());
        assert_eq!(replace, path, "generated name, new path");

        let same = with_role(&c, Some("lambdawire-us-east-1-default-nightly"), "/ops/");
        let (_, replace) = plan_update(&prior, same.clone(), &same, &ctx(), now());
        assert_eq!(replace, path, "explicit same name, new path");

        let renamed = with_role(&c, Some("custom-x"), "/ops/");
        let (planned, replace) = plan_update(&prior, renamed.clone(), &renamed, &ctx(), now());
        assert!(replace.is_empty(), "a new name is a new role: in place");
        assert_eq!(
            planned.role_arn,
            str_value("arn:aws:iam::123456789012:role/ops/custom-x")
        );

        let unknown_name = InvokerState {
            role: Block::Items(vec![RoleSettings {
                name: Value::Unknown,
                path: str_value("/ops/"),
                ..Default::default()
            }]),
            ..c.clone()
        };
        let (_, replace) = plan_update(&prior, unknown_name.clone(), &unknown_name, &ctx(), now());
        assert_eq!(replace, path, "an unknown name may be the same");

        let root = with_role(&c, None, "/");
        let (_, replace) = plan_update(&prior, root.clone(), &root, &ctx(), now());
        assert!(replace.is_empty(), "an explicit default path is no change");
    }

    #[test]
    fn completed_is_carried_through_updates() {
        let c = config("at(2020-01-01T00:00:00)");
        let mut prior = plan_create(c.clone(), &c, &ctx());
        prior.completed = Value::Value(true);
        let (planned, _) = plan_update(&prior, c.clone(), &c, &ctx(), now());
        assert_eq!(planned, prior);

        // Still in the past: an edit does not bring the schedule back.
        let edited = InvokerState {
            description: str_value("edited"),
            ..c.clone()
        };
        let (planned, _) = plan_update(&prior, edited.clone(), &edited, &ctx(), now());
        assert_eq!(planned.completed, Value::Value(true));
    }

    #[test]
    fn completed_schedule_given_a_future_time_is_pending_again() {
        let c = config("at(2020-01-01T00:00:00)");
        let mut prior = plan_create(c.clone(), &c, &ctx());
        prior.completed = Value::Value(true);
        let future = config("at(2099-01-01T00:00:00)");
        let (planned, replace) = plan_update(&prior, future.clone(), &future, &ctx(), now());
        assert!(replace.is_empty());
        assert_eq!(planned.completed, Value::Value(false));

        // Kept, but no longer deleted after firing: it stays, so it is pending.
        let kept = InvokerState {
            action_after_completion: str_value("NONE"),
            ..c.clone()
        };
        let (planned, _) = plan_update(&prior, kept.clone(), &kept, &ctx(), now());
        assert_eq!(planned.completed, Value::Value(false));

        let unknown = InvokerState {
            schedule_expression: Value::Unknown,
            ..c
        };
        let (planned, _) = plan_update(&prior, unknown.clone(), &unknown, &ctx(), now());
        assert!(planned.completed.is_unknown(), "apply decides");
    }

    #[test]
    fn a_past_time_or_a_foreign_function_fails_the_plan() {
        let at_now = PlanContext {
            now: now(),
            ..ctx()
        };
        let summaries = |prior: Option<&InvokerState>, planned: &InvokerState| {
            fact_problems(prior, planned, &at_now)
                .into_iter()
                .map(|p| format!("{}: {}", p.path_text(), p.summary))
                .collect::<Vec<_>>()
        };
        let past = config("at(2020-01-01T00:00:00)");
        assert_eq!(
            summaries(None, &past),
            ["schedule_expression: the one-time schedule's time has passed"]
        );
        assert!(summaries(None, &config("at(2099-01-01T00:00:00)")).is_empty());
        assert!(summaries(None, &config("rate(1 hour)")).is_empty());
        // A stored schedule whose time has passed is `completed`, not wrong:
        // only a new or changed time is checked.
        let edited = InvokerState {
            description: str_value("edited"),
            ..past.clone()
        };
        assert!(summaries(Some(&past), &edited).is_empty());
        let moved = InvokerState {
            schedule_expression_timezone: str_value("Europe/Paris"),
            ..past.clone()
        };
        assert_eq!(
            summaries(Some(&past), &moved).len(),
            1,
            "a new time zone is a new time"
        );
        let unknown = InvokerState {
            schedule_expression: Value::Unknown,
            ..past.clone()
        };
        assert!(
            summaries(None, &unknown).is_empty(),
            "unknown: for apply's plan"
        );

        let west = InvokerState {
            function_arn: str_value("arn:aws:lambda:us-west-2:123456789012:function:hook"),
            ..config("rate(1 hour)")
        };
        assert_eq!(
            summaries(None, &west),
            ["function_arn: the function is in region us-west-2, not the provider's us-east-1"]
        );
        let other = InvokerState {
            function_arn: str_value("arn:aws:lambda:us-east-1:210987654321:function:hook"),
            ..config("rate(1 hour)")
        };
        assert_eq!(
            summaries(Some(&other), &other).len(),
            1,
            "checked at every plan"
        );
    }

    #[test]
    fn has_fired_needs_a_past_at_deleted_after_completion() {
        let mut s = plan_create(
            config("at(2020-01-01T00:00:00)"),
            &config("at(2020-01-01T00:00:00)"),
            &ctx(),
        );
        assert!(has_fired(&s, now()));
        s.action_after_completion = str_value("NONE");
        assert!(!has_fired(&s, now()));
        let future = config("at(2099-01-01T00:00:00)");
        assert!(!has_fired(
            &plan_create(future.clone(), &future, &ctx()),
            now()
        ));
        let rate = config("rate(1 hour)");
        assert!(!has_fired(&plan_create(rate.clone(), &rate, &ctx()), now()));
    }

    #[test]
    fn failed_apply_state_has_no_unknowns() {
        let c = InvokerState {
            name: Value::Null,
            ..config("rate(1 hour)")
        };
        let s = without_unknowns(plan_create(c.clone(), &c, &ctx()));
        assert!(!s.name.is_unknown() && !s.id.is_unknown() && !s.role_arn.is_unknown());
    }

    fn names(list: &[&str]) -> Vec<String> {
        list.iter().map(|n| n.to_string()).collect()
    }

    #[test]
    fn pending_roles_plan_an_update_that_clears_them() {
        let c = config("rate(5 minutes)");
        let mut prior = plan_create(c.clone(), &c, &ctx());
        assert!(prior.roles_pending_deletion.is_null());
        prior.roles_pending_deletion = pending_attribute(&names(&["old-role"]));
        let (planned, replace) = plan_update(&prior, prior.clone(), &c, &ctx(), now());
        assert!(replace.is_empty(), "cleaning up is an in-place update");
        assert!(planned.roles_pending_deletion.is_null());
        assert_ne!(planned, prior, "a diff, so Terraform calls apply");
        assert_eq!(
            InvokerState {
                roles_pending_deletion: Value::Null,
                ..prior
            },
            planned,
            "and nothing else changes"
        );
    }

    #[test]
    fn pending_attribute_is_null_when_nothing_is_pending() {
        assert!(pending_attribute(&[]).is_null());
        assert_eq!(
            pending_attribute(&names(&["a", "b"])),
            str_list(names(&["a", "b"]))
        );
    }

    #[test]
    fn roles_to_delete_never_include_the_role_in_use() {
        let c = config("rate(5 minutes)");
        let managed = plan_create(c.clone(), &c, &ctx());
        let old = "lambdawire-us-east-1-default-nightly";

        let renamed = with_role(&c, Some("custom-x"), "/");
        let renamed = plan_create(renamed.clone(), &renamed, &ctx());
        assert_eq!(roles_to_delete(&managed, &renamed, &[]), [old]);
        assert_eq!(
            roles_to_delete(&managed, &renamed, &names(&[old, "older"])),
            [old, "older"],
            "once each, the prior role first"
        );

        // Releasing the managed role: existing_role_arn names it.
        let released = InvokerState {
            existing_role_arn: str_value(&format!("arn:aws:iam::123456789012:role/{old}")),
            ..c.clone()
        };
        let released = plan_create(released.clone(), &released, &ctx());
        assert!(roles_to_delete(&managed, &released, &[]).is_empty());

        // Taking a pending role back by naming it again.
        let back = with_role(&c, Some("older"), "/");
        let back = plan_create(back.clone(), &back, &ctx());
        assert_eq!(
            roles_to_delete(&managed, &back, &names(&["older"])),
            [old],
            "the pending role is in use again"
        );

        // No switch: nothing but what is pending.
        assert_eq!(
            roles_to_delete(&managed, &managed, &names(&["older"])),
            ["older"]
        );

        // From a user's role: it is never deleted.
        assert!(roles_to_delete(&released, &managed, &[]).is_empty());
    }

    #[test]
    fn a_destroy_deletes_the_managed_role_then_the_pending_ones_never_the_users_own() {
        let c = config("rate(5 minutes)");
        let managed = plan_create(c.clone(), &c, &ctx());
        let own = "lambdawire-us-east-1-default-nightly";
        let roles = |s: &InvokerState, pending: &[&str]| -> Vec<String> {
            let steps = roles_to_destroy(s, &names(pending));
            steps.into_iter().map(|(role, _)| role).collect()
        };
        assert_eq!(roles(&managed, &[]), [own]);
        assert_eq!(
            roles(&managed, &["older", own]),
            [own, "older"],
            "the managed role once, first"
        );
        let doing: Vec<String> = roles_to_destroy(&managed, &names(&["older"]))
            .into_iter()
            .map(|(_, doing)| doing)
            .collect();
        assert_eq!(
            doing,
            [
                format!("deleting IAM Role ({own})"),
                "deleting the previous IAM Role (older)".to_string()
            ]
        );

        let users = InvokerState {
            existing_role_arn: str_value(&format!("arn:aws:iam::123456789012:role/{own}")),
            ..c.clone()
        };
        let users = plan_create(users.clone(), &users, &ctx());
        assert_eq!(
            roles(&users, &[own, "older"]),
            ["older"],
            "the user's role stays even when it was once pending"
        );
        let unknown_name = InvokerState {
            role_name: Value::Null,
            ..managed
        };
        assert_eq!(roles(&unknown_name, &["older"]), ["older"]);
    }

    #[test]
    fn an_import_id_names_the_group_and_the_schedule_or_the_default_group() {
        let key = |group: &str, name: &str| (group.to_string(), name.to_string());
        assert_eq!(import_key("team/nightly"), key("team", "nightly"));
        assert_eq!(import_key("nightly"), key("default", "nightly"));
        assert_eq!(
            import_key("team/a/b"),
            key("team", "a/b"),
            "the first / splits"
        );
    }

    #[test]
    fn the_owner_tag_names_region_group_and_schedule() {
        let c = config("rate(5 minutes)");
        let s = plan_create(c.clone(), &c, &ctx());
        assert_eq!(owner("eu-west-3", &s), "eu-west-3/default/nightly");
    }

    #[test]
    fn an_update_counts_the_role_as_recorded_only_when_it_keeps_the_managed_one() {
        let c = config("rate(5 minutes)");
        let managed = plan_create(c.clone(), &c, &ctx());
        let renamed = with_role(&c, Some("custom-x"), "/");
        let renamed = plan_create(renamed.clone(), &renamed, &ctx());
        let users = InvokerState {
            existing_role_arn: str_value("arn:aws:iam::123456789012:role/mine"),
            ..c.clone()
        };
        let users = plan_create(users.clone(), &users, &ctx());
        assert_eq!(role_recorded(&managed, &managed), Recorded::Yes);
        assert_eq!(role_recorded(&managed, &renamed), Recorded::No);
        assert_eq!(
            role_recorded(&users, &managed),
            Recorded::No,
            "a role taken over from the user's is not recorded as ours"
        );

        // A failed update undoes a role it created for a switch, and only that.
        assert_eq!(
            role_to_roll_back(&managed, &renamed, true).as_deref(),
            Some("custom-x")
        );
        assert_eq!(
            role_to_roll_back(&managed, &renamed, false),
            None,
            "a role it found (a leftover it adopted) is not its to undo"
        );
        assert_eq!(
            role_to_roll_back(&managed, &managed, true),
            None,
            "the role the state records stays, even when this update made it again"
        );
        assert_eq!(
            role_to_roll_back(&users, &managed, true).as_deref(),
            Some("lambdawire-us-east-1-default-nightly")
        );
    }

    #[test]
    fn a_role_a_rollback_could_not_delete_joins_the_pending_ones_once() {
        assert_eq!(pending_after_rollback(&names(&["old"]), None), ["old"]);
        assert_eq!(
            pending_after_rollback(&names(&["old"]), Some("new".into())),
            ["old", "new"]
        );
        assert_eq!(
            pending_after_rollback(&names(&["new"]), Some("new".into())),
            ["new"]
        );
    }

    #[test]
    fn a_failed_create_records_nothing_or_all_it_planned_wholly_known() {
        let mut c = config("rate(5 minutes)");
        c.name = Value::Null;
        let planned = plan_create(c.clone(), &c, &ctx());
        assert!(planned.name.is_unknown() && planned.arn.is_unknown());
        assert_eq!(after_failed_create(planned.clone(), false), None);
        let Some(recorded) = after_failed_create(planned, true) else {
            panic!("a create that left something behind records it");
        };
        assert_eq!((recorded.name, recorded.arn), (Value::Null, Value::Null));
        assert_eq!(recorded.role_managed, Value::Value(true));
        assert_eq!(recorded.completed, Value::Value(false));
    }
}
