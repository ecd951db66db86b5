//! Schema of `lambdawire_eventbridge_trigger`; descriptions feed docs/.

use crate::plugin::schema::*;
use crate::resources::timeouts;

/// The resource's schema; docs/ is rendered from it.
pub fn eventbridge_trigger_schema() -> Schema {
    schema(block(
        "An EventBridge rule that invokes one Lambda function, wired in the order AWS needs: \
         first the grant in the function's resource-based policy (`events.amazonaws.com`, \
         scoped to exactly this rule's ARN and account, shown in full in the plan), then the \
         rule, then its target. Destroy removes the target, then the rule, then the grant. \
         The rule's pattern, schedule, state and description, and the target's input, retry \
         policy and dead-letter queue update in place; the rule's name and bus, the function \
         and the target id replace it.\n\n\
         A rule of the chosen name that no Terraform state records is never taken over \
         (PutRule would silently replace it): the plan, and the apply, refuse it and name \
         the import id.\n\n\
         For schedules, `lambdawire_scheduled_lambda_invoker` remains the recommended path: \
         EventBridge Scheduler reads cron and rate expressions in any time zone (rules: UTC \
         only), runs one-time `at()` schedules, has flexible windows, and invokes through a \
         role, so the function's resource policy does not grow by one statement per schedule \
         towards Lambda's 20 KB limit. A scheduled rule here is for a schedule that must live \
         on the default bus beside its event rules.",
        vec![
            ("id", attr(string(), Computed, "`<event_bus_name>/<name>`, the import id.")),
            ("name", attr(string(), Required, "Name of the rule, 1-64 of `[.-_A-Za-z0-9]`, unique on its bus. Forces replacement. A rule of that name that exists already and no state records is an error at plan, naming the import id.")),
            ("event_bus_name", attr(string(), OptionalComputed, "Name or ARN of the event bus; default `default`. Forces replacement. A custom bus known at plan that does not exist is an error there. On a custom bus the rule's ARN is `rule/<bus>/<name>`, and the grant is scoped to exactly that.")),
            ("event_pattern", attr(string(), Optional, "The event pattern, a JSON object such as `jsonencode({ source = [\"aws.s3\"] })`. Exactly one of `event_pattern` and `schedule_expression`.")),
            ("schedule_expression", attr(string(), Optional, "`rate(...)` or `cron(...)` in UTC, default bus only (EventBridge rules take no `at()`). Exactly one of `event_pattern` and `schedule_expression`; see above for why `lambdawire_scheduled_lambda_invoker` is usually the better choice.")),
            ("state", attr(string(), OptionalComputed, "`ENABLED` (default) or `DISABLED`.")),
            ("description", attr(string(), Optional, "Description of the rule, up to 512 characters.")),
            ("function_name", attr(string(), Required, "Function name, full or partial ARN, optionally with `:<version or alias>`. Forces replacement unless the new value names the same function. Checked at plan when known: a function of another region, or one that does not exist, is an error there.")),
            ("qualifier", attr(string(), Optional, "Version or alias invoked (not `$LATEST`); the grant is on it too. Forces replacement.")),
            ("target_id", attr(string(), OptionalComputed, "Id of the rule's target, 1-64 of `[.-_A-Za-z0-9]`. Default: `statement_id` (derived from the grant's content, so it is shown in the plan and a retried create writes the same target). Forces replacement.")),
            ("input", attr(string(), Optional, "Constant JSON passed to the function instead of the event (at most 8192 bytes). At most one of `input`, `input_path` and `input_transformer`.")),
            ("input_path", attr(string(), Optional, "JSONPath of the part of the event passed, such as `$.detail`. At most one of `input`, `input_path` and `input_transformer`.")),
            ("dead_letter_arn", attr(string(), Optional, "ARN of an SQS queue that receives the events EventBridge could not deliver. The queue's policy must let `events.amazonaws.com` send to it (lambdawire does not change queue policies).")),
            ("arn", attr(string(), Computed, "ARN of the rule.")),
            ("target_arn", attr(string(), Computed, "ARN the target invokes: the function's, qualified when `qualifier` is set. Null after the target was removed out of band; the next apply writes it again.")),
            ("statement_id", attr(string(), Computed, "Id of the grant's statement in the function's policy: `lw-events-` and 16 hex digits of a SHA-256 of the function, qualifier, principal and conditions, shown in the plan once they are known. A create retried after a lost answer or a killed run meets its own statement under it.")),
            ("statement_json", attr(string(), Computed, "The grant as Lambda stores it, shown in the plan as it will be written: `lambda:InvokeFunction` for `events.amazonaws.com` with `AWS:SourceArn` = the rule's ARN and `AWS:SourceAccount` = its account. Null when the statement was removed out of band; the next apply adds it again.")),
        ],
        vec![
            ("input_transformer", optional_block(block(
                "Parts of the event put into a template. At most one of `input`, `input_path` and `input_transformer`.",
                vec![
                    ("input_paths", attr(string_map(), Optional, "Names to JSONPaths of the event, such as `{ id = \"$.detail.id\" }` (at most 100).")),
                    ("input_template", attr(string(), Required, "The text the function receives, with `<name>` placeholders for the paths, such as `\"{\\\"order\\\": <id>}\"`.")),
                ],
                vec![],
            ))),
            ("retry_policy", optional_block(block(
                "How EventBridge retries a failed delivery.",
                vec![
                    ("maximum_event_age_in_seconds", attr(number(), Optional, "60-86400; null means EventBridge's default, 86400.")),
                    ("maximum_retry_attempts", attr(number(), Optional, "0-185; null means EventBridge's default, 185.")),
                ],
                vec![],
            ))),
            ("timeouts", timeouts::schema(&timeouts::Bounds {
                create: "the retries of the grant's AddPermission while another edit of the function's policy conflicts",
                update: "the retries of the grant's repair while another edit of the function's policy conflicts",
                delete: "the retries of the grant's RemovePermission while another edit of the function's policy conflicts",
            })),
        ],
    ))
}
