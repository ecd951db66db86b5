//! The state of `lambdawire_sqs_event_source`: field names are the
//! attribute names, so schema and model are one contract.

use serde::{Deserialize, Serialize};

use crate::plugin::{Block, Bool, Num, Str, StrList};
use crate::resources::timeouts::Timeouts;

/// The state of one SQS event source: the queue grant on the execution role
/// and the event source mapping that uses it.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
#[serde(default)]
pub struct SqsEventSourceState {
    /// The mapping's UUID, like `uuid`.
    pub id: Str,
    /// Name, full or partial ARN, optionally qualified, as the user wrote it.
    /// Forces replacement unless another spelling of the same function.
    pub function_name: Str,
    /// The queue polled, in the function's region. Forces replacement.
    pub queue_arn: Str,
    /// The execution role granted the queue; the function's own when null.
    pub role_name: Str,
    /// Messages per batch; 10 when null.
    pub batch_size: Num,
    /// 0-300 seconds; null means 0.
    pub maximum_batching_window_in_seconds: Num,
    /// Whether Lambda polls the queue; true when null.
    pub enabled: Bool,
    /// `ReportBatchItemFailures`; false when null.
    pub report_batch_item_failures: Bool,
    /// 2-1000; null: no limit of the mapping's own.
    pub maximum_concurrency: Num,
    /// JSON filter patterns; a message that matches none is deleted unprocessed.
    pub filter_patterns: StrList,
    /// The queue's customer managed key; the grant then allows `kms:Decrypt`
    /// on it through SQS of the queue's region.
    pub kms_key_arn: Str,
    /// Go-style durations bounding the propagation retries and the mapping waits.
    pub timeouts: Block<Timeouts>,
    /// The mapping's UUID, the import id; known after create.
    pub uuid: Str,
    /// `lambdawire-sqs-<queue name>-<digest of the queue ARN>`: the inline
    /// policy on the role, shared by the mappings of one queue whose
    /// functions share the role. State of schema version 0 holds the name
    /// without the digest until the apply that renames the grant.
    pub policy_name: Str,
    /// The exact inline policy granted.
    pub policy_json: Str,
    /// Lambda's state of the mapping: `Enabled`, `Disabled`, `Creating`, ...
    pub state: Str,
}

/// Private state: what Read and apply must know that Terraform need not show.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
#[serde(default)]
pub struct SqsEventSourcePrivate {
    /// `role_name` was not configured: the grant follows the function's
    /// execution role, so Read notices when the function moves to another.
    pub role_from_function: bool,
    /// Grants of this resource other than the one the state names (on a
    /// role the function no longer uses, or under the name of schema
    /// version 0 after a rename), whose removal is still to come: the next
    /// apply or destroy removes them.
    pub stale_grants: Vec<RoleGrant>,
    /// How private state written before schema version 1 listed them: by
    /// role, each under version 0's name. Read from old private state and
    /// turned into `stale_grants` (`upgrade::private_of_version_0`); never
    /// written.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub stale_grant_roles: Vec<String>,
}

/// One inline policy of this resource on a role.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
#[serde(default)]
pub struct RoleGrant {
    /// The role that holds it.
    pub role: String,
    /// Its name there.
    pub policy_name: String,
}
