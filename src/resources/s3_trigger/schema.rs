//! Schema of `lambdawire_s3_trigger`; descriptions feed docs/.

use crate::plugin::schema::*;
use crate::resources::timeouts;

/// The state version; 0 until a change of the state's shape needs an upgrade.
pub const SCHEMA_VERSION: i64 = 0;

/// The resource's schema; docs/ is rendered from it.
pub fn s3_trigger_schema() -> Schema {
    versioned(SCHEMA_VERSION, block(
        "One Lambda destination of an S3 bucket's notification configuration, wired in the \
         order S3 needs: first the statement that lets `s3.amazonaws.com` invoke the function \
         for exactly this bucket and its owner's account (S3 validates the destination when the \
         configuration is written), then the notification entry. Destroy removes the entry \
         first, then the statement.\n\n\
         S3 keeps one notification configuration per bucket. This resource owns exactly one \
         `LambdaFunctionConfigurations` entry, by its `id`, and writes the configuration back \
         with every other entry (queues, topics, other functions, `EventBridgeConfiguration`) \
         exactly as it read it; the writes of one bucket run one at a time inside the provider, \
         and each is read back to confirm the entry (a write raced by another writer is done \
         again). An entry whose event types and key filters overlap another entry's is refused \
         at plan, naming the other entry's id, as S3 refuses it.\n\n\
         **Writers in other processes.** PutBucketNotificationConfiguration takes no \
         condition: another writer (another Terraform run, the console, another tool) that \
         writes between this provider's read and its write can lose an entry, its own or one \
         of ours. lambdawire's own entries are found missing and written again at the next \
         refresh; an entry of another tool is not, so let one tool at a time write a bucket's \
         configuration.\n\n\
         **Ownership.** Delete and update touch only the entry this resource wrote (recorded \
         in private state): an entry under the state's `id` naming another function, as a \
         hand-edited state leaves, is released, not deleted, with a warning naming the bucket \
         and id. The removal of our entry skips S3's destination validation \
         (`SkipDestinationValidation`), so another writer's broken destination does not block \
         it; create and update keep validation on.\n\n\
         **`create_before_destroy`** is not supported for a trigger whose events overlap its \
         replacement's: S3 refuses two overlapping entries, and the replacement's entry would \
         be written while the old one is still there.\n\n\
         **Moving from `aws_s3_bucket_notification`.** That resource owns the bucket's whole \
         configuration, so it and `lambdawire_s3_trigger` must never manage one bucket together: \
         each would remove what the other writes. Take it out of state without destroying it \
         (`terraform state rm aws_s3_bucket_notification.<name>`, or a `removed` block with \
         `lifecycle { destroy = false }`), then import each of its `lambda_function` entries \
         with the id `<bucket>/<entry id>` (an `import` block, see below). The other entries \
         stay in the bucket as they are; manage them outside Terraform, or move them to their \
         own resources. After the first apply, remove the `aws_lambda_permission` that let S3 \
         invoke the function for the old resource: this resource adds its own grant, scoped \
         to the bucket and its owner, and the old one, often without `source_account`, would \
         otherwise stay in the policy, unscoped.",
        vec![
            ("id", attr(string(), OptionalComputed, "The notification entry's `Id` (at most 255 characters). Generated when null, from the content: `lw-` and 16 hex digits of a SHA-256 of the bucket, the function, the qualifier, the events and the filters, shown in the plan once those are known and kept afterwards. Forces replacement.")),
            ("bucket", attr(string(), Required, "Name of the bucket (3-63 lowercase letters, digits, dots and hyphens). Checked at plan when known: a bucket that does not exist is an error there. Forces replacement.")),
            ("function_name", attr(string(), Required, "Function name, full ARN or partial ARN. Forces replacement unless the new value names the same function. Checked at plan when known: an ARN of another region or partition, or a function that does not exist, is an error there.")),
            ("qualifier", attr(string(), Optional, "Version or alias S3 invokes (not `$LATEST`). Forces replacement.")),
            ("events", attr(string_list(), Required, "S3 event types, such as `s3:ObjectCreated:*` or `s3:ObjectRemoved:Delete`: the names S3 accepts for notifications (https://docs.aws.amazon.com/AmazonS3/latest/userguide/notification-how-to-event-types-and-destinations.html). Updates in place.")),
            ("filter_prefix", attr(string(), Optional, "Only objects whose key begins with this (1-1024 characters). Updates in place.")),
            ("filter_suffix", attr(string(), Optional, "Only objects whose key ends with this (1-1024 characters). Updates in place.")),
            ("bucket_owner", attr(string(), OptionalComputed, "The account that owns the bucket, 12 digits: the statement's `AWS:SourceAccount` condition (a bucket ARN names no account, so without it a bucket of the same name in another account could invoke the function). Every read and write of the bucket's configuration names it as the expected owner (`ExpectedBucketOwner`), so a bucket of that name in another account is never written. Default: the provider's account. Forces replacement.")),
            ("function_arn", attr(string(), Computed, "The function ARN the entry names, with the qualifier when one is set.")),
            ("statement_id", attr(string(), Computed, "The `Sid` of the grant in the function's policy: `lw-s3-`, 8 hex digits of a SHA-256 of the bucket and the entry id, `-` and 16 of a SHA-256 of the statement's content, shown in the plan once those are known.")),
            ("statement_json", attr(string(), Computed, "The grant as Lambda stores it: `lambda:InvokeFunction` for `s3.amazonaws.com`, with `AWS:SourceArn` the bucket's ARN and `AWS:SourceAccount` its owner; shown in the plan as it will be written once its parts are known.")),
        ],
        vec![(
            "timeouts",
            timeouts::schema(&timeouts::Bounds {
                create: "the statement's conflict retries and the notification write, with its retries when another writer races it",
                update: "the notification write, with its retries when another writer races it",
                delete: "the notification write, with its retries when another writer races it, and the statement's removal",
            }),
        )],
    ))
}
