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

/// Private state: the entry this resource last wrote. Anyone may write an
/// entry of any id, and a state's `id` may be edited by hand, so delete and
/// update touch an entry of the state's id only when it is this one.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
#[serde(default)]
pub struct S3TriggerPrivate {
    /// The entry as written; `None` for a state written before this was
    /// recorded, where the state's own content is the record.
    pub written: Option<WrittenEntry>,
}

/// An entry's content, as private state records it.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default)]
pub struct WrittenEntry {
    /// The entry's `Id`.
    pub id: String,
    /// The function ARN the entry names.
    pub function_arn: String,
    /// The event types.
    pub events: Vec<String>,
    /// The key name prefix filter.
    pub prefix: Option<String>,
    /// The key name suffix filter.
    pub suffix: Option<String>,
}
