//! The state of `lambdawire_sns_trigger`: field names are the attribute
//! names, so schema and model are one contract.

use serde::{Deserialize, Serialize};

use crate::plugin::{Block, Str};
use crate::resources::timeouts::Timeouts;

/// The state of one SNS trigger: the statement that lets the topic invoke
/// the function, and the topic's subscription of the function.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
#[serde(default)]
pub struct SnsTriggerState {
    /// The subscription's ARN, like `subscription_arn`.
    pub id: Str,
    /// The topic, in the provider's region. Forces replacement.
    pub topic_arn: Str,
    /// Name, full or partial ARN, as the user wrote it. Forces replacement
    /// unless another spelling of the same function.
    pub function_name: Str,
    /// Version or alias invoked; null: the unqualified function. Forces
    /// replacement.
    pub qualifier: Str,
    /// The subscription's filter policy, JSON as the user wrote it.
    pub filter_policy: Str,
    /// `MessageAttributes` or `MessageBody`; null reads as SNS's default,
    /// `MessageAttributes`.
    pub filter_policy_scope: Str,
    /// The SQS queue SNS sends the messages it could not deliver to.
    pub redrive_dead_letter_arn: Str,
    /// Go-style durations bounding the policy edits.
    pub timeouts: Block<Timeouts>,
    /// The subscription's ARN, the import id; null while the subscription
    /// is missing (deleted out of band, or a create that failed after the
    /// grant): the next apply subscribes again, in place.
    pub subscription_arn: Str,
    /// The statement's `Sid`, generated from its content.
    pub statement_id: Str,
    /// The statement as Lambda stores it; null while it is missing.
    pub statement_json: Str,
}

/// Private state: what Read and apply must know that Terraform need not show.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
#[serde(default)]
pub struct SnsTriggerPrivate {
    /// The policy may hold this statement's temporary twin, which an
    /// interrupted repair of the statement leaves: the delete removes it too.
    pub temporary_statement: bool,
}
