//! Schema of `lambdawire_sns_trigger`; descriptions feed docs/.

use crate::plugin::schema::*;
use crate::resources::timeouts;

/// The first version.
pub const SCHEMA_VERSION: i64 = 0;

/// The resource's schema at [`SCHEMA_VERSION`]; docs/ is rendered from it.
pub fn sns_trigger_schema() -> Schema {
    versioned(SCHEMA_VERSION, block(
        "An SNS topic invoking a Lambda function, wired in the order AWS needs: first the \
         statement in the function's resource policy that lets `sns.amazonaws.com` invoke it \
         for exactly this topic (`AWS:SourceArn`, plus `AWS:SourceAccount` for a topic of \
         another account), shown in full in the plan, then the topic's `lambda` subscription \
         of the function. Destroy removes the subscription first, then the statement. The \
         filter policy, its scope and the dead-letter queue update in place; another topic, \
         function or qualifier replaces the trigger. A subscription of the same function to \
         the topic that no state records is never taken over: the plan names it with its \
         import id.",
        vec![
            ("id", attr(string(), Computed, "The subscription's ARN.")),
            ("topic_arn", attr(string(), Required, "ARN of the SNS topic, in the provider's region (`arn:<partition>:sns:<region>:<account>:<name>`); it may belong to another account, whose topic policy must then allow this account `sns:Subscribe` on it (and `sns:GetTopicAttributes` for the plan's check that it exists; without it the check is skipped). The subscriptions of such a topic are looked for among this account's own (ListSubscriptions), so its policy need not allow `sns:ListSubscriptionsByTopic`. Not a FIFO topic (a name ending in `.fifo`): those deliver to SQS queues only. Forces replacement. Checked at plan when known: a topic that does not exist is an error there.")),
            ("function_name", attr(string(), Required, "Function name, full or partial ARN. Forces replacement unless the new value names the same function. Checked at plan when known: an ARN of another region or account (SNS would leave the subscription of another account's function pending until that account confirms it), or a function that does not exist, is an error there. An import writes it as the function's name when the function is in the provider's account and region, else as its ARN (the subscription records the ARN only): write it the same way for a plan with no change.")),
            ("qualifier", attr(string(), Optional, "Version or alias the topic invokes (not `$LATEST`): the subscription's endpoint is then the qualified ARN, and the statement goes in that version's or alias's policy. Forces replacement.")),
            ("filter_policy", attr(string(), Optional, "The subscription's filter policy, a JSON object such as `jsonencode({ kind = [\"order\"] })`: only matching messages invoke the function. Compared as JSON, so SNS's spacing is no change. Not `{}`, which SNS keeps as no policy: omit `filter_policy` instead.")),
            ("filter_policy_scope", attr(string(), Optional, "What `filter_policy` reads: `MessageAttributes` (SNS's default when null) or `MessageBody`. Needs `filter_policy`.")),
            ("redrive_dead_letter_arn", attr(string(), Optional, "ARN of the SQS queue in which SNS keeps the messages it could not deliver to the function (the subscription's redrive policy). A standard queue (not `.fifo`) in the provider's account and region, as SNS requires; checked at plan. The queue's own policy must let `sns.amazonaws.com` send to it.")),
            ("subscription_arn", attr(string(), Computed, "The subscription's ARN (the import id). Null while the subscription is missing (deleted outside Terraform): the next apply subscribes again, in place.")),
            ("statement_id", attr(string(), Computed, "The statement's id: `lw-sns-` and 16 hex digits of a SHA-256 of the function, qualifier, principal and conditions, shown in the plan once those are known. A create retried after a lost answer or a killed run so meets its own statement instead of adding a second one.")),
            ("statement_json", attr(string(), Computed, "The statement as Lambda stores it, shown in the plan as it will be written. A statement removed or changed outside Terraform shows here in the next plan, and the apply writes it again with no moment where the grant is absent.")),
        ],
        vec![(
            "timeouts",
            timeouts::schema(&timeouts::Bounds {
                create: "the retries of the statement's edit while another edit of the same policy is in flight",
                update: "the retries of a repair of the statement while another edit of the same policy is in flight",
                delete: "the retries of the statement's removal while another edit of the same policy is in flight",
            }),
        )],
    ))
}
