//! EventBridge calls: rules and their targets. [`RuleSpec`] and
//! [`TargetSpec`] are the plain shapes both directions use, so the
//! trigger's expand and flatten stay pure. Finders answer `Option` and own
//! "not found".

use std::collections::BTreeMap;

use aws_sdk_eventbridge::types::{
    DeadLetterConfig, InputTransformer, RetryPolicy, RuleState, Target,
};

use serde::{Deserialize, Serialize};

use super::error::{not_found_is_none, not_found_is_ok, AwsError};
use super::AwsClients;

/// Every field of a rule lambdawire writes. PutRule replaces the whole rule
/// ("If you are updating an existing rule, the rule is replaced with what
/// you specify in this PutRule command. If you omit arguments in PutRule,
/// the old values for those arguments are not kept", PutRule API
/// reference), so every write sends all of them. Serialized: the trigger
/// keeps the last one it wrote in private state, as its proof of
/// ownership.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default)]
pub struct RuleSpec {
    /// The rule's name, unique on its bus.
    pub name: String,
    /// The bus, by name or ARN, as configured.
    pub event_bus_name: String,
    /// The event pattern, as JSON text.
    pub event_pattern: Option<String>,
    /// `rate(...)` or `cron(...)`.
    pub schedule_expression: Option<String>,
    /// `ENABLED`; `false` is `DISABLED`.
    pub enabled: bool,
    /// `None` when the rule has none (an empty one reads as none).
    pub description: Option<String>,
}

/// A rule as EventBridge reports it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct RemoteRule {
    /// The rule's ARN.
    pub arn: String,
    /// Every field, read back from DescribeRule.
    pub spec: RuleSpec,
}

/// One target of a rule: a Lambda function, with how the event reaches it.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct TargetSpec {
    /// The target's id, unique within the rule.
    pub id: String,
    /// The function invoked, qualified for a version or alias.
    pub arn: String,
    /// Constant JSON passed instead of the event.
    pub input: Option<String>,
    /// JSONPath of the part of the event passed.
    pub input_path: Option<String>,
    /// (input paths map, input template).
    pub input_transformer: Option<(BTreeMap<String, String>, String)>,
    /// (maximum event age in seconds, maximum retry attempts), each unset
    /// when `None`.
    pub retry_policy: Option<(Option<i32>, Option<i32>)>,
    /// SQS queue for the events whose delivery failed.
    pub dead_letter_arn: Option<String>,
}

fn refused(operation: &'static str, code: &str, message: String) -> AwsError {
    let kind = super::error::classify(code, &message);
    AwsError {
        operation,
        code: code.to_string(),
        message,
        request_id: None,
        kind,
    }
}

fn rule_state(enabled: bool) -> RuleState {
    if enabled {
        RuleState::Enabled
    } else {
        RuleState::Disabled
    }
}

/// DescribeRule; `Ok(None)` when the bus has no rule of that name (or the
/// bus itself is gone).
pub async fn find_rule(
    c: &AwsClients,
    bus: &str,
    name: &str,
) -> Result<Option<RemoteRule>, AwsError> {
    let out = c
        .events
        .describe_rule()
        .name(name)
        .event_bus_name(bus)
        .send()
        .await
        .map_err(|e| AwsError::from_sdk("DescribeRule", e));
    let Some(out) = not_found_is_none(out)? else {
        return Ok(None);
    };
    Ok(Some(RemoteRule {
        arn: out.arn().unwrap_or_default().to_string(),
        spec: RuleSpec {
            name: out.name().unwrap_or(name).to_string(),
            // The bus as the caller names it: DescribeRule answers the name
            // even when asked by ARN.
            event_bus_name: bus.to_string(),
            event_pattern: out.event_pattern().map(str::to_string),
            schedule_expression: out.schedule_expression().map(str::to_string),
            enabled: !matches!(out.state(), Some(RuleState::Disabled)),
            description: out
                .description()
                .filter(|d| !d.is_empty())
                .map(str::to_string),
        },
    }))
}

/// PutRule: creates the rule, or replaces every field of the one of that
/// name. The caller decides whether the rule may be replaced: PutRule
/// never refuses an existing name. The rule's ARN.
pub async fn put_rule(c: &AwsClients, spec: &RuleSpec) -> Result<String, AwsError> {
    let out = c
        .events
        .put_rule()
        .name(&spec.name)
        .event_bus_name(&spec.event_bus_name)
        .set_event_pattern(spec.event_pattern.clone())
        .set_schedule_expression(spec.schedule_expression.clone())
        .state(rule_state(spec.enabled))
        // An absent description keeps none: PutRule replaces the rule.
        .set_description(spec.description.clone())
        .send()
        .await
        .map_err(|e| AwsError::from_sdk("PutRule", e))?;
    tracing::info!(rule = %spec.name, bus = %spec.event_bus_name, "put rule");
    Ok(out.rule_arn().unwrap_or_default().to_string())
}

/// DeleteRule; a rule already gone is success. EventBridge refuses to
/// delete a rule that still has targets: the caller removes them first.
pub async fn delete_rule(c: &AwsClients, bus: &str, name: &str) -> Result<(), AwsError> {
    let out = c
        .events
        .delete_rule()
        .name(name)
        .event_bus_name(bus)
        .send()
        .await
        .map(drop)
        .map_err(|e| AwsError::from_sdk("DeleteRule", e));
    not_found_is_ok(out)?;
    tracing::info!(rule = %name, bus = %bus, "deleted rule");
    Ok(())
}

fn target_of(t: &TargetSpec) -> Result<Target, AwsError> {
    let build = |e: aws_smithy_types::error::operation::BuildError| {
        refused("PutTargets", "InvalidRequest", e.to_string())
    };
    let mut target = Target::builder()
        .id(&t.id)
        .arn(&t.arn)
        .set_input(t.input.clone())
        .set_input_path(t.input_path.clone());
    if let Some((paths, template)) = &t.input_transformer {
        let paths = (!paths.is_empty()).then(|| paths.clone().into_iter().collect());
        target = target.input_transformer(
            InputTransformer::builder()
                .set_input_paths_map(paths)
                .input_template(template)
                .build()
                .map_err(build)?,
        );
    }
    if let Some((age, attempts)) = t.retry_policy {
        target = target.retry_policy(
            RetryPolicy::builder()
                .set_maximum_event_age_in_seconds(age)
                .set_maximum_retry_attempts(attempts)
                .build(),
        );
    }
    if let Some(dlq) = &t.dead_letter_arn {
        target = target.dead_letter_config(DeadLetterConfig::builder().arn(dlq).build());
    }
    target.build().map_err(build)
}

fn spec_of(t: &Target) -> TargetSpec {
    TargetSpec {
        id: t.id().to_string(),
        arn: t.arn().to_string(),
        input: t.input().map(str::to_string),
        input_path: t.input_path().map(str::to_string),
        input_transformer: t.input_transformer().map(|x| {
            let paths = x
                .input_paths_map()
                .map(|m| m.clone().into_iter().collect())
                .unwrap_or_default();
            (paths, x.input_template().to_string())
        }),
        retry_policy: t
            .retry_policy()
            .map(|r| (r.maximum_event_age_in_seconds(), r.maximum_retry_attempts())),
        dead_letter_arn: t
            .dead_letter_config()
            .and_then(|d| d.arn())
            .map(str::to_string),
    }
}

/// PutTargets with one target: creates it, or replaces the target of the
/// same id. EventBridge answers 200 with `FailedEntryCount` when it refuses
/// an entry ("PutTargets ... returns the number of failed entries and an
/// array of them", PutTargets API reference): such an answer is an error
/// here, with the entry's code and message.
pub async fn put_target(
    c: &AwsClients,
    bus: &str,
    rule: &str,
    target: &TargetSpec,
) -> Result<(), AwsError> {
    const OP: &str = "PutTargets";
    let out = c
        .events
        .put_targets()
        .rule(rule)
        .event_bus_name(bus)
        .targets(target_of(target)?)
        .send()
        .await
        .map_err(|e| AwsError::from_sdk(OP, e))?;
    if let Some(failed) = out.failed_entries().first() {
        return Err(refused(
            OP,
            failed.error_code().unwrap_or("FailedEntry"),
            format!(
                "target {} was not written: {}",
                failed.target_id().unwrap_or(&target.id),
                failed.error_message().unwrap_or("no reason given")
            ),
        ));
    }
    if out.failed_entry_count() > 0 {
        return Err(refused(
            OP,
            "FailedEntry",
            format!("target {} was not written (no reason given)", target.id),
        ));
    }
    tracing::info!(rule = %rule, bus = %bus, target = %target.id, "put target");
    Ok(())
}

/// RemoveTargets of one target; a target or rule already gone is success.
/// A refused entry (200 with `FailedEntryCount`) is an error, as for
/// [`put_target`].
pub async fn remove_target(
    c: &AwsClients,
    bus: &str,
    rule: &str,
    id: &str,
) -> Result<(), AwsError> {
    const OP: &str = "RemoveTargets";
    let out = c
        .events
        .remove_targets()
        .rule(rule)
        .event_bus_name(bus)
        .ids(id)
        .send()
        .await
        .map_err(|e| AwsError::from_sdk(OP, e));
    let Some(out) = not_found_is_none(out)? else {
        return Ok(());
    };
    match out.failed_entries().first() {
        Some(failed) if failed.error_code() != Some("ResourceNotFoundException") => Err(refused(
            OP,
            failed.error_code().unwrap_or("FailedEntry"),
            format!(
                "target {id} was not removed: {}",
                failed.error_message().unwrap_or("no reason given")
            ),
        )),
        _ => {
            tracing::info!(rule = %rule, bus = %bus, target = %id, "removed target");
            Ok(())
        }
    }
}

/// Every target of the rule (ListTargetsByRule, every page); `Ok(None)`
/// when the rule is gone.
pub async fn find_targets(
    c: &AwsClients,
    bus: &str,
    rule: &str,
) -> Result<Option<Vec<TargetSpec>>, AwsError> {
    const OP: &str = "ListTargetsByRule";
    let mut found = Vec::new();
    let mut token: Option<String> = None;
    loop {
        let out = c
            .events
            .list_targets_by_rule()
            .rule(rule)
            .event_bus_name(bus)
            .set_next_token(token.take())
            .send()
            .await
            .map_err(|e| AwsError::from_sdk(OP, e));
        let Some(out) = not_found_is_none(out)? else {
            return Ok(None);
        };
        found.extend(out.targets().iter().map(spec_of));
        match out.next_token() {
            Some(next) if !next.is_empty() => token = Some(next.to_string()),
            _ => return Ok(Some(found)),
        }
    }
}

/// Whether the event bus exists (DescribeEventBus): `Ok(false)` only on
/// EventBridge's not-found. `default` always exists.
pub async fn event_bus_exists(c: &AwsClients, bus: &str) -> Result<bool, AwsError> {
    if bus == "default" {
        return Ok(true);
    }
    let out = c
        .events
        .describe_event_bus()
        .name(bus)
        .send()
        .await
        .map_err(|e| AwsError::from_sdk("DescribeEventBus", e));
    not_found_is_none(out).map(|found| found.is_some())
}
