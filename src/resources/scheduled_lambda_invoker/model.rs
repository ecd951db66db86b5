//! The state of `lambdawire_scheduled_lambda_invoker`: field names are the
//! attribute names, so schema and model are one contract.

use serde::{Deserialize, Serialize};

use crate::plugin::{Block, Bool, Num, Str, StrList, StrMap};
pub use crate::resources::managed_role::RoleSettings;

#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
#[serde(default)]
pub struct InvokerState {
    pub id: Str,
    pub arn: Str,
    pub name: Str,
    pub name_prefix: Str,
    pub group_name: Str,
    pub function_arn: Str,
    pub schedule_expression: Str,
    pub schedule_expression_timezone: Str,
    pub start_date: Str,
    pub end_date: Str,
    pub state: Str,
    pub description: Str,
    pub input: Str,
    pub flexible_window_minutes: Num,
    pub action_after_completion: Str,
    pub retry_policy: Block<RetryPolicy>,
    pub dead_letter_arn: Str,
    pub kms_key_arn: Str,
    pub role: Block<RoleSettings>,
    pub existing_role_arn: Str,
    pub timeouts: Block<crate::resources::timeouts::Timeouts>,
    pub role_arn: Str,
    pub role_name: Str,
    pub role_managed: Bool,
    pub policy_json: Str,
    pub trust_policy_json: Str,
    pub tags_all: StrMap,
    pub completed: Bool,
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

#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
#[serde(default)]
pub struct RetryPolicy {
    pub maximum_event_age_in_seconds: Num,
    pub maximum_retry_attempts: Num,
}
