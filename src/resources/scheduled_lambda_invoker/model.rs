//! The state of `lambdawire_scheduled_lambda_invoker`: field names are the
//! attribute names, so schema and model are one contract.

use serde::{Deserialize, Serialize};

use crate::plugin::{Block, Bool, Num, Str, StrList, StrMap};
pub use crate::resources::managed_role::RoleSettings;

/// The state of one invoker: its configuration and what apply learned. The
/// schema's descriptions (`schema.rs`) are the user-facing version of these.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
#[serde(default)]
pub struct InvokerState {
    /// `<group_name>/<name>`, also the import id.
    pub id: Str,
    /// ARN of the schedule, known after create.
    pub arn: Str,
    /// The schedule's name: set, or generated from `name_prefix` or at random. Forces replacement.
    pub name: Str,
    /// Prefix of a generated `name`; conflicts with `name`. Forces replacement.
    pub name_prefix: Str,
    /// The schedule group; `default` when null. Forces replacement.
    pub group_name: Str,
    /// The function invoked, unqualified or qualified; never a wildcard.
    pub function_arn: Str,
    /// `at(...)`, `rate(...)` or `cron(...)`, as Scheduler reads it.
    pub schedule_expression: Str,
    /// IANA time zone of the expression; `UTC` when null.
    pub schedule_expression_timezone: Str,
    /// RFC 3339; a rate or cron schedule does not fire before it.
    pub start_date: Str,
    /// RFC 3339; a rate or cron schedule stops after it.
    pub end_date: Str,
    /// `ENABLED` (the default) or `DISABLED`.
    pub state: Str,
    /// Up to 512 characters; null for none.
    pub description: Str,
    /// JSON event the function receives; may hold Scheduler's context attributes.
    pub input: Str,
    /// 1-1440; null turns the flexible window off.
    pub flexible_window_minutes: Num,
    /// `NONE` or `DELETE`; defaults to `DELETE` for `at()`, `NONE` otherwise.
    pub action_after_completion: Str,
    /// How Scheduler retries a failed invocation; absent: Scheduler's defaults.
    pub retry_policy: Block<RetryPolicy>,
    /// SQS queue for events whose retries ran out; the managed role may send to it.
    pub dead_letter_arn: Str,
    /// Customer managed KMS key of the schedule's data; the managed role may
    /// decrypt with it, for this schedule only.
    pub kms_key_arn: Str,
    /// Settings of the role the provider manages; ignored with `existing_role_arn`.
    pub role: Block<RoleSettings>,
    /// A role the user brings: no role or policy is created. Conflicts with `role`.
    pub existing_role_arn: Str,
    /// Go-style durations bounding the IAM-propagation retries.
    pub timeouts: Block<crate::resources::timeouts::Timeouts>,
    /// ARN of the role the schedule assumes: the managed one or `existing_role_arn`.
    pub role_arn: Str,
    /// Name of the role the schedule assumes.
    pub role_name: Str,
    /// Whether this resource created, and owns, the role.
    pub role_managed: Bool,
    /// The managed role's exact inline policy; null with `existing_role_arn`.
    pub policy_json: Str,
    /// The managed role's exact trust policy; null with `existing_role_arn`.
    pub trust_policy_json: Str,
    /// Every tag of the managed role, `default_tags` merged under `role.tags`,
    /// without the provider's ownership tag.
    pub tags_all: StrMap,
    /// A one-time schedule has fired and Scheduler deleted it (`DELETE` after
    /// completion): not drift, so no plan recreates it.
    pub completed: Bool,
    /// Managed roles no longer used whose deletion failed (from the private state),
    /// shown so that the next apply plans their deletion; null when none.
    pub roles_pending_deletion: StrList,
}

/// The invoker's private state: what Terraform need not show but the next
/// apply must know. Stored as JSON beside the state; an older state without
/// it decodes as the default (nothing pending).
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
#[serde(default)]
pub struct InvokerPrivate {
    /// Managed roles the schedule no longer uses whose deletion failed, by
    /// name: the next apply (or destroy) deletes them.
    pub roles_pending_deletion: Vec<String>,
}

/// The `retry_policy` block: Scheduler's retries of a failed invocation.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
#[serde(default)]
pub struct RetryPolicy {
    /// 60-86400 seconds; null: Scheduler's default, 86400.
    pub maximum_event_age_in_seconds: Num,
    /// 0-185; null: Scheduler's default, 185.
    pub maximum_retry_attempts: Num,
}
