//! Schema of `lambdawire_scheduled_lambda_invoker`; descriptions feed docs/.

use crate::plugin::schema::Schema;

use crate::plugin::schema::*;
use crate::resources::timeouts::{self, Bounds};

/// What each of the invoker's `timeouts` bounds.
const TIMEOUTS: Bounds = Bounds {
    create: "the retries of CreateSchedule while IAM propagates a new role to Scheduler",
    update: "the retries of UpdateSchedule (or of CreateSchedule, for a schedule written again) while IAM propagates a new role to Scheduler",
    delete: "the whole destroy: deleting the schedule and its roles, the SDK's own retries included. A call still unanswered at the limit fails the destroy, and the next one takes up what is left",
};

/// The resource's schema at state version 0; docs/ is rendered from it.
pub fn invoker_schema() -> Schema {
    schema(block(
        "An EventBridge Scheduler schedule that invokes one Lambda function, plus the \
         least-privilege IAM role and inline policy the scheduler assumes to do it. The plan \
         shows the exact trust and inline policies that will be written.",
        vec![
            ("id", attr(string(), Computed, "`<group_name>/<name>`.")),
            ("arn", attr(string(), Computed, "ARN of the schedule.")),
            ("name", attr(string(), OptionalComputed, "Schedule name: 1-64 of `[0-9A-Za-z_.-]`. Generated when both it and `name_prefix` are null. Forces replacement.")),
            ("name_prefix", attr(string(), Optional, "Generate a unique name starting with this prefix (at most 38 characters). Conflicts with `name`. Forces replacement.")),
            ("group_name", attr(string(), OptionalComputed, "Schedule group; default `default`. Forces replacement. lambdawire does not create groups: one that does not exist is a plan-time error (name a group this configuration creates by `aws_scheduler_schedule_group.<name>.id`, known only after apply, so the plan does not look for it early).")),
            ("function_arn", attr(string(), Required, "ARN of the Lambda function to invoke, unqualified or qualified by version or alias. No wildcard: the role's policy grants exactly this function. It must be in the provider's region and account (Scheduler's Lambda target is): another one is a plan-time error. A function that does not exist is a plan-time warning (the schedule would never work).")),
            ("schedule_expression", attr(string(), Required, "`at(yyyy-mm-ddThh:mm:ss)`, `rate(N minutes|hours|days)` or `cron(minutes hours day-of-month month day-of-week year)`. An `at()` time already past is a plan-time error on create or when the time changes (the schedule would never run); a stored one whose time has passed is `completed`.")),
            ("schedule_expression_timezone", attr(string(), OptionalComputed, "IANA time zone the expression is evaluated in; default `UTC`.")),
            ("start_date", attr(string(), Optional, "RFC 3339 date before which a rate or cron schedule does not fire.")),
            ("end_date", attr(string(), Optional, "RFC 3339 date after which a rate or cron schedule stops; after `start_date`.")),
            ("state", attr(string(), OptionalComputed, "`ENABLED` (default) or `DISABLED`.")),
            ("description", attr(string(), Optional, "Up to 512 characters.")),
            ("input", attr(string(), Optional, "JSON text passed to the function as its event: non-empty JSON of at most 256 KB. Scheduler's context attributes (`<aws.scheduler.scheduled-time>`, `<aws.scheduler.execution-id>`, `<aws.scheduler.attempt-number>`, `<aws.scheduler.schedule-arn>`) may be used in it, also through `jsonencode` (which escapes `<` and `>`: the provider sends them literally); any other `<aws.scheduler.*>` name is an error.")),
            ("flexible_window_minutes", attr(number(), Optional, "Flexible time window, 1-1440 minutes. Null means the window is off.")),
            ("action_after_completion", attr(string(), OptionalComputed, "`NONE` or `DELETE`; default `DELETE` for `at()` expressions and `NONE` otherwise.")),
            ("dead_letter_arn", attr(string(), Optional, "SQS queue ARN for events that could not be delivered (no wildcard). The generated policy then also allows `sqs:SendMessage` on it.")),
            ("kms_key_arn", attr(string(), Optional, "Customer managed KMS key ARN (`key/<id>`, not an alias, no wildcard) that encrypts the schedule's data; the managed role's policy then allows `kms:Decrypt` on exactly that key, only for this schedule's payload.")),
            ("existing_role_arn", attr(string(), Optional, "Bring your own role: no role or policy is created. Conflicts with `role`.")),
            ("role_arn", attr(string(), Computed, "ARN of the role the schedule assumes.")),
            ("role_name", attr(string(), Computed, "Name of the role the schedule assumes.")),
            ("role_managed", attr(boolean(), Computed, "True when this resource created and owns the role.")),
            ("policy_json", attr(string(), Computed, "The exact inline policy of the managed role (null with `existing_role_arn`).")),
            ("trust_policy_json", attr(string(), Computed, "The exact trust policy of the managed role (null with `existing_role_arn`).")),
            ("tags_all", attr(string_map(), Computed, "Every tag of the managed role: the provider's `default_tags` merged with `role.tags` (null with `existing_role_arn`). The provider's own ownership tag (`lambdawire:schedule`) is not shown.")),
            ("completed", attr(boolean(), Computed, "True once a one-time schedule with `action_after_completion = \"DELETE\"` has fired and been deleted by Scheduler.")),
            ("roles_pending_deletion", attr(string_list(), Computed, "Names of managed roles this resource stopped using but could not delete (IAM refused, say). Null when there are none. The next `terraform apply` deletes them, so it plans a change here; a role the schedule uses is never deleted.")),
        ],
        vec![
            ("retry_policy", optional_block(block(
                "How Scheduler retries a failed invocation.",
                vec![
                    ("maximum_event_age_in_seconds", attr(number(), Optional, "60-86400; null means Scheduler's default, 86400.")),
                    ("maximum_retry_attempts", attr(number(), Optional, "0-185; null means Scheduler's default, 185.")),
                ],
                vec![],
            ))),
            ("role", optional_block(block(
                "Settings of the managed role. Without this block the role's name is generated from the schedule's.",
                vec![
                    ("name", attr(string(), Optional, "Role name, 1-64 of `[\\w+=,.@-]`. Generated when null; a change creates the new role before deleting the old one.")),
                    ("name_prefix", attr(string(), Optional, "Prefix of the generated role name (at most 38 characters). Conflicts with `name`.")),
                    ("path", attr(string(), Optional, "IAM path of the role; default `/`. A change replaces the resource (IAM cannot move a role).")),
                    ("permissions_boundary", attr(string(), Optional, "ARN of the managed policy used as permissions boundary.")),
                    ("tags", attr(string_map(), Optional, "Tags of the role, merged over the provider's `default_tags`. Keys starting with `lambdawire:` are the provider's own.")),
                ],
                vec![],
            ))),
            ("timeouts", timeouts::schema(&TIMEOUTS)),
        ],
    ))
}
