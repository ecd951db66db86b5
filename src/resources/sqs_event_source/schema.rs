//! Schema of `lambdawire_sqs_event_source`; descriptions feed docs/.

use crate::plugin::schema::*;
use crate::resources::timeouts;

/// Version 1 ends the grant's name with the digest of the queue ARN;
/// version 0 state is upgraded by `upgrade::from_version_0`.
pub const SCHEMA_VERSION: i64 = 1;

/// The resource's schema at [`SCHEMA_VERSION`]; docs/ is rendered from it.
pub fn sqs_event_source_schema() -> Schema {
    versioned(SCHEMA_VERSION, block(
        "Lambda polling an SQS queue, wired in the order AWS needs: first the queue \
         permissions on the function's execution role (an inline policy, shown in full in the \
         plan), then the event source mapping, retried while IAM propagates the grant. Destroy \
         removes the mapping first, then the grant. Every argument but the function and the \
         queue updates in place.",
        vec![
            ("id", attr(string(), Computed, "The mapping's UUID.")),
            ("function_name", attr(string(), Required, "Function name, full or partial ARN, optionally with `:<version or alias>`. Forces replacement unless the new value names the same function.")),
            ("queue_arn", attr(string(), Required, "ARN of the SQS queue, in the function's region. Forces replacement.")),
            ("role_name", attr(string(), OptionalComputed, "Name of the execution role that gets the grant. Default: the function's own role, read from the function; when the function moves to another role, the next plan moves the grant with it.")),
            ("batch_size", attr(number(), OptionalComputed, "Messages per batch: 1-10000 for a standard queue, 1-10 for a FIFO queue; default 10. Above 10, `maximum_batching_window_in_seconds` must be at least 1.")),
            ("maximum_batching_window_in_seconds", attr(number(), Optional, "How long Lambda gathers messages before invoking, 0-300 seconds; null means 0. Not for FIFO queues.")),
            ("enabled", attr(boolean(), OptionalComputed, "Whether Lambda polls the queue; default true.")),
            ("report_batch_item_failures", attr(boolean(), Optional, "Let the function report the failed messages of a batch (`ReportBatchItemFailures`), so only those return to the queue. Default false.")),
            ("maximum_concurrency", attr(number(), Optional, "At most this many concurrent invocations from this queue, 2-1000. Null means no limit of the mapping's own.")),
            ("filter_patterns", attr(string_list(), Optional, "Event filtering: JSON filter patterns, each such as `jsonencode({ body = { kind = [\"order\"] } })`. A message matching any of them is sent to the function, others are deleted. At most 10 (Lambda's default quota is 5; up to 10 on request).")),
            ("kms_key_arn", attr(string(), Optional, "ARN of the customer managed KMS key that encrypts the queue (`arn:<partition>:kms:<region>:<account>:key/<id>`): the grant then also allows `kms:Decrypt` on exactly that key, through SQS only.")),
            ("uuid", attr(string(), Computed, "The mapping's UUID (the import id).")),
            ("policy_name", attr(string(), Computed, "Name of the inline policy on the role: `lambdawire-sqs-<queue name>-<h>`, where `<h>` is the first 8 hex digits of the SHA-256 of `queue_arn`, so that same-named queues of two regions or accounts never share a grant. Mappings of one queue whose functions share an execution role share this grant (a second one with another `kms_key_arn` is refused rather than rewriting it): it stays until the last of them is destroyed. A grant named `lambdawire-sqs-<queue name>` by an earlier release is renamed by the next apply, shown in the plan as an update in place: the new name is written before the old one is removed, so the mapping never loses access.")),
            ("policy_json", attr(string(), Computed, "The exact inline policy granted: `sqs:ReceiveMessage`, `sqs:DeleteMessage` and `sqs:GetQueueAttributes` on the queue, plus `kms:Decrypt` on `kms_key_arn` when set, only through SQS of the queue's region (`kms:ViaService` = `sqs.<region>.amazonaws.com`): SQS decrypts the messages it hands the poller, so the role needs the key through SQS and no other way.")),
            ("state", attr(string(), Computed, "The mapping's state as Lambda reports it: `Enabled`, `Disabled`, or a transition such as `Creating` or `Updating`.")),
        ],
        vec![(
            "timeouts",
            timeouts::schema(&timeouts::Bounds {
                create: "the retries of CreateEventSourceMapping while IAM propagates the grant, and the wait for the new mapping to settle",
                update: "the retries of UpdateEventSourceMapping (or of CreateEventSourceMapping, for a mapping created again) while the mapping is in transition or IAM propagates the grant, and the wait for the mapping to settle",
                delete: "the retries of DeleteEventSourceMapping while the mapping is in transition, and the wait for it to be gone (one still `Deleting` at the limit is accepted: Lambda has taken the delete)",
            }),
        )],
    ))
}
