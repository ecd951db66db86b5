//! The state of `lambdawire_eventbridge_trigger`: field names are the
//! attribute names, so schema and model are one contract.

use serde::{Deserialize, Serialize};

use crate::aws::eventbridge::RuleSpec;
use crate::plugin::{Block, Num, Str, StrMap};
use crate::resources::timeouts::Timeouts;

/// The state of one trigger: the grant to EventBridge in the function's
/// policy, the rule, and the rule's one target, the function.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
#[serde(default)]
pub struct TriggerState {
    /// `<event_bus_name>/<name>`, also the import id.
    pub id: Str,
    /// The rule's name. Forces replacement.
    pub name: Str,
    /// The bus, by name or ARN; `default` when null. Forces replacement.
    pub event_bus_name: Str,
    /// The event pattern, JSON; conflicts with `schedule_expression`.
    pub event_pattern: Str,
    /// `rate(...)` or `cron(...)`, default bus only.
    pub schedule_expression: Str,
    /// `ENABLED` (the default) or `DISABLED`.
    pub state: Str,
    /// Up to 512 characters; null for none.
    pub description: Str,
    /// Name, full or partial ARN of the function, as the user wrote it.
    pub function_name: Str,
    /// Version or alias invoked; null: the unqualified function.
    pub qualifier: Str,
    /// The target's id within the rule; generated when null.
    pub target_id: Str,
    /// Constant JSON passed instead of the event.
    pub input: Str,
    /// JSONPath of the part of the event passed.
    pub input_path: Str,
    /// Parts of the event put into a template.
    pub input_transformer: Block<InputTransformer>,
    /// How EventBridge retries a failed delivery.
    pub retry_policy: Block<RetryPolicy>,
    /// SQS queue for events whose delivery failed.
    pub dead_letter_arn: Str,
    /// Go-style durations bounding the policy edits.
    pub timeouts: Block<Timeouts>,
    /// The rule's ARN.
    pub arn: Str,
    /// The ARN the target invokes: the function's, qualified when
    /// `qualifier` is set.
    pub target_arn: Str,
    /// The grant's `Sid`, derived from its content.
    pub statement_id: Str,
    /// The grant as Lambda stores it.
    pub statement_json: Str,
}

/// The `input_transformer` block.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
#[serde(default)]
pub struct InputTransformer {
    /// Names to JSONPaths of the event.
    pub input_paths: StrMap,
    /// The text the function receives, with `<name>` placeholders.
    pub input_template: Str,
}

/// The `retry_policy` block.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
#[serde(default)]
pub struct RetryPolicy {
    /// 60-86400 seconds; null: EventBridge's default, 86400.
    pub maximum_event_age_in_seconds: Num,
    /// 0-185; null: EventBridge's default, 185.
    pub maximum_retry_attempts: Num,
}

/// Private state: what apply must know that Terraform need not show.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
#[serde(default)]
pub struct TriggerPrivate {
    /// The function's policy may hold the grant's temporary twin, which an
    /// interrupted repair of the statement leaves: the delete removes it.
    pub temporary_statement: bool,
    /// The rule as this resource last wrote it (or imported it): once our
    /// target is gone, a rule of that name that still holds this is ours
    /// to write again; one that holds anything else may be someone else's
    /// and is never replaced. `None` proves nothing.
    pub rule: Option<RuleSpec>,
}
