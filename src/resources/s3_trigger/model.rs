//! The state of `lambdawire_s3_trigger`: field names are the attribute
//! names, so schema and model are one contract.

use serde::{Deserialize, Serialize};

use crate::plugin::{Block, Str, StrList};
use crate::resources::timeouts::Timeouts;

/// One Lambda destination of a bucket's notification configuration, and
/// the statement that lets S3 invoke the function for that bucket.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
#[serde(default)]
pub struct S3TriggerState {
    /// The notification entry's `Id`; generated from the content when null.
    pub id: Str,
    /// The bucket whose notification configuration holds the entry. Forces
    /// replacement.
    pub bucket: Str,
    /// Name, full or partial ARN, as the user wrote it. Forces replacement
    /// unless another spelling of the same function.
    pub function_name: Str,
    /// Version or alias S3 invokes; null: the unqualified function.
    pub qualifier: Str,
    /// S3 event types (`s3:ObjectCreated:*`).
    pub events: StrList,
    /// Key name prefix filter.
    pub filter_prefix: Str,
    /// Key name suffix filter.
    pub filter_suffix: Str,
    /// The bucket's account: the grant's `AWS:SourceAccount`; the provider's
    /// account when null. Forces replacement.
    pub bucket_owner: Str,
    /// Go-style durations bounding the notification writes and their retries.
    pub timeouts: Block<Timeouts>,
    /// The function ARN the entry names (qualified when `qualifier` is set).
    pub function_arn: Str,
    /// The `Sid` of the grant in the function's policy.
    pub statement_id: Str,
    /// The grant as Lambda stores it.
    pub statement_json: Str,
}

/// Private state: nothing yet, kept for the adapter's contract.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
#[serde(default)]
pub struct S3TriggerPrivate {}
