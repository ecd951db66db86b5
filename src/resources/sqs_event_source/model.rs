//! The state of `lambdawire_sqs_event_source`: field names are the
//! attribute names, so schema and model are one contract.

use serde::{Deserialize, Serialize};

use crate::plugin::{Block, Bool, Num, Str, StrList};
use crate::resources::timeouts::Timeouts;

#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
#[serde(default)]
pub struct SqsEventSourceState {
    pub id: Str,
    pub function_name: Str,
    pub queue_arn: Str,
    pub role_name: Str,
    pub batch_size: Num,
    pub maximum_batching_window_in_seconds: Num,
    pub enabled: Bool,
    pub report_batch_item_failures: Bool,
    pub maximum_concurrency: Num,
    pub filter_patterns: StrList,
    pub kms_key_arn: Str,
    pub timeouts: Block<Timeouts>,
    pub uuid: Str,
    pub policy_name: Str,
    pub policy_json: Str,
    pub state: Str,
}

/// Private state: what Read and apply must know that Terraform need not show.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
#[serde(default)]
pub struct SqsEventSourcePrivate {
    /// `role_name` was not configured: the grant follows the function's
    /// execution role, so Read notices when the function moves to another.
    pub role_from_function: bool,
    /// Roles that still hold this resource's grant but are no longer the
    /// one it names (the function moved to another role, or removing the
    /// grant failed): the next apply or destroy removes it from them.
    pub stale_grant_roles: Vec<String>,
}
