//! `moved` from hashicorp/aws's `aws_scheduler_schedule` (MoveResourceState):
//! that resource's stored state mapped to an invoker's. Pure: a move makes no
//! AWS call, and the schedule is not touched. The schedule's role becomes
//! `existing_role_arn`, since the role belongs to whatever configuration made
//! it (an `aws_iam_role`, usually), never to this resource.
//!
//! Terraform reads the moved resource (ReadResource) right after the move, so
//! anything the source state does not say (the action after completion, say)
//! is corrected from the schedule itself before the first plan.

use serde::Deserialize;

use crate::plugin::{Block, Value};
use crate::validate::arn;

use super::flex::SERVICE_DEFAULT_RETRY;
use super::model::{InvokerState, RetryPolicy};

/// The source type and the provider addresses it may come from (Terraform's
/// registry and OpenTofu's carry the same hashicorp/aws).
pub const SOURCE_TYPE: &str = "aws_scheduler_schedule";
/// The provider addresses a move from [`SOURCE_TYPE`] is accepted from.
pub const SOURCE_PROVIDERS: [&str; 2] = [
    "registry.terraform.io/hashicorp/aws",
    "registry.opentofu.org/hashicorp/aws",
];
/// hashicorp/aws has kept `aws_scheduler_schedule` at schema version 0.
pub const SOURCE_SCHEMA_VERSION: i64 = 0;

/// The parts of hashicorp/aws's stored state that an invoker has. Its SDKv2
/// state writes an unset string as `""` and an absent block as `[]` (or
/// null in older states): both read as "not set".
#[derive(Debug, Default, Deserialize)]
#[serde(default)]
struct AwsSchedule {
    arn: Option<String>,
    id: Option<String>,
    name: Option<String>,
    name_prefix: Option<String>,
    group_name: Option<String>,
    schedule_expression: Option<String>,
    schedule_expression_timezone: Option<String>,
    start_date: Option<String>,
    end_date: Option<String>,
    state: Option<String>,
    description: Option<String>,
    kms_key_arn: Option<String>,
    flexible_time_window: Option<Vec<AwsWindow>>,
    target: Option<Vec<AwsTarget>>,
}

#[derive(Debug, Default, Deserialize)]
#[serde(default)]
struct AwsWindow {
    mode: Option<String>,
    maximum_window_in_minutes: Option<i64>,
}

#[derive(Debug, Default, Deserialize)]
#[serde(default)]
struct AwsTarget {
    arn: Option<String>,
    role_arn: Option<String>,
    input: Option<String>,
    dead_letter_config: Option<Vec<AwsDeadLetter>>,
    retry_policy: Option<Vec<AwsRetry>>,
    // Parameters of other target types: set only when the target is not a
    // Lambda function, which the invoker cannot represent.
    ecs_parameters: Option<Vec<serde_json::Value>>,
    eventbridge_parameters: Option<Vec<serde_json::Value>>,
    kinesis_parameters: Option<Vec<serde_json::Value>>,
    sagemaker_pipeline_parameters: Option<Vec<serde_json::Value>>,
    sqs_parameters: Option<Vec<serde_json::Value>>,
}

#[derive(Debug, Default, Deserialize)]
#[serde(default)]
struct AwsDeadLetter {
    arn: Option<String>,
}

#[derive(Debug, Default, Deserialize)]
#[serde(default)]
struct AwsRetry {
    maximum_event_age_in_seconds: Option<i64>,
    maximum_retry_attempts: Option<i64>,
}

/// A set string: `""` is SDKv2's "not set".
fn set(value: Option<String>) -> Value<String> {
    match value {
        Some(v) if !v.is_empty() => Value::Value(v),
        _ => Value::Null,
    }
}

fn only<T>(items: Option<Vec<T>>, what: &str) -> Result<Option<T>, String> {
    let mut items = items.unwrap_or_default();
    match items.len() {
        0 => Ok(None),
        1 => Ok(items.pop()),
        n => Err(format!(
            "the source state has {n} `{what}` blocks; hashicorp/aws allows one"
        )),
    }
}

/// The invoker state for a hashicorp/aws `aws_scheduler_schedule` state,
/// or why it cannot be one (the detail of the diagnostic).
pub fn from_aws_scheduler_schedule(source: serde_json::Value) -> Result<InvokerState, String> {
    let aws: AwsSchedule = serde_json::from_value(source)
        .map_err(|e| format!("the aws_scheduler_schedule state does not decode: {e}"))?;
    let target = only(aws.target, "target")?
        .ok_or("the schedule has no `target` block, so there is no function to invoke")?;
    let lambda = lambda_target(&target)?;
    let name = set(aws.name)
        .as_option()
        .ok_or("the source state has no schedule name")?;
    let group = set(aws.group_name)
        .as_option()
        .unwrap_or_else(|| "default".into());
    let window = only(aws.flexible_time_window, "flexible_time_window")?;
    let retry = only(target.retry_policy, "retry_policy")?;
    let dead_letter = only(target.dead_letter_config, "dead_letter_config")?;

    Ok(InvokerState {
        id: Value::Value(
            set(aws.id)
                .as_option()
                .unwrap_or_else(|| format!("{group}/{name}")),
        ),
        arn: set(aws.arn),
        name: Value::Value(name),
        name_prefix: set(aws.name_prefix),
        group_name: Value::Value(group),
        function_arn: Value::Value(lambda.function_arn),
        schedule_expression: set(aws.schedule_expression),
        schedule_expression_timezone: Value::Value(
            set(aws.schedule_expression_timezone)
                .as_option()
                .unwrap_or_else(|| "UTC".into()),
        ),
        start_date: set(aws.start_date),
        end_date: set(aws.end_date),
        state: Value::Value(
            set(aws.state)
                .as_option()
                .unwrap_or_else(|| "ENABLED".into()),
        ),
        description: set(aws.description),
        input: set(target.input),
        // Mode OFF has no window; FLEXIBLE has its minutes.
        flexible_window_minutes: window
            .filter(|w| w.mode.as_deref() == Some("FLEXIBLE"))
            .and_then(|w| w.maximum_window_in_minutes)
            .into(),
        // hashicorp/aws 5.x never sets it, so Scheduler's default holds;
        // Read confirms it from the schedule.
        action_after_completion: Value::Value("NONE".into()),
        retry_policy: retry_block(retry),
        dead_letter_arn: set(dead_letter.and_then(|d| d.arn)),
        kms_key_arn: set(aws.kms_key_arn),
        timeouts: Block::default(),
        completed: Value::Value(false),
        roles_pending_deletion: Value::Null,
        ..existing_role(lambda.role_arn, lambda.role_name)
    })
}

/// What a schedule's target must be for an invoker to stand for it.
struct LambdaTarget {
    function_arn: String,
    role_arn: String,
    role_name: String,
}

/// The target's function and role, or why it is not a Lambda target the
/// invoker can represent.
fn lambda_target(target: &AwsTarget) -> Result<LambdaTarget, String> {
    let function_arn = set(target.arn.clone()).as_option().unwrap_or_default();
    if let Err(why) = arn::lambda_function(&function_arn) {
        return Err(format!(
            "The schedule's target is not a Lambda function: {why}. \
             lambdawire_scheduled_lambda_invoker only invokes Lambda functions; keep this \
             schedule as an aws_scheduler_schedule."
        ));
    }
    let other_parameters = [
        ("ecs_parameters", &target.ecs_parameters),
        ("eventbridge_parameters", &target.eventbridge_parameters),
        ("kinesis_parameters", &target.kinesis_parameters),
        (
            "sagemaker_pipeline_parameters",
            &target.sagemaker_pipeline_parameters,
        ),
        ("sqs_parameters", &target.sqs_parameters),
    ];
    if let Some((block, _)) = other_parameters
        .iter()
        .find(|(_, v)| v.as_ref().is_some_and(|items| !items.is_empty()))
    {
        return Err(format!(
            "its target sets `{block}`, which a Lambda target cannot have and the invoker cannot represent"
        ));
    }
    let role_arn = set(target.role_arn.clone()).as_option().unwrap_or_default();
    let role_name = arn::iam_role(&role_arn)
        .map_err(|why| {
            format!("its target's role_arn {role_arn:?} is not an IAM role ARN ({why})")
        })?
        .to_string();
    Ok(LambdaTarget {
        function_arn,
        role_arn,
        role_name,
    })
}

/// The role attributes of a moved schedule: its role stays the user's own
/// (`existing_role_arn`), so nothing is managed and no policy is ours.
fn existing_role(role_arn: String, role_name: String) -> InvokerState {
    InvokerState {
        role: Block::default(),
        existing_role_arn: Value::Value(role_arn.clone()),
        role_arn: Value::Value(role_arn),
        role_name: Value::Value(role_name),
        role_managed: Value::Value(false),
        policy_json: Value::Null,
        trust_policy_json: Value::Null,
        tags_all: Value::Null,
        ..Default::default()
    }
}

/// hashicorp/aws records the retry policy Scheduler reports, which is the
/// service default when none was configured; the invoker shows no block for
/// that (as its own Read does), so an unconfigured one is no change.
fn retry_block(retry: Option<AwsRetry>) -> Block<RetryPolicy> {
    let Some(r) = retry else {
        return Block::default();
    };
    let (age, attempts) = (r.maximum_event_age_in_seconds, r.maximum_retry_attempts);
    let default = (
        Some(i64::from(SERVICE_DEFAULT_RETRY.0)),
        Some(i64::from(SERVICE_DEFAULT_RETRY.1)),
    );
    if (age, attempts) == default {
        return Block::default();
    }
    Block::Items(vec![RetryPolicy {
        maximum_event_age_in_seconds: age.into(),
        maximum_retry_attempts: attempts.into(),
    }])
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    const FUNCTION: &str = "arn:aws:lambda:us-east-1:123456789012:function:hook";
    const ROLE: &str = "arn:aws:iam::123456789012:role/team/sched";

    /// A state as hashicorp/aws 5.100 stores it: empty strings for unset
    /// arguments, the service default retry policy read back.
    fn source() -> serde_json::Value {
        json!({
            "arn": "arn:aws:scheduler:us-east-1:123456789012:schedule/default/nightly",
            "description": "",
            "end_date": "",
            "group_name": "default",
            "id": "default/nightly",
            "kms_key_arn": "",
            "name": "nightly",
            "name_prefix": "",
            "schedule_expression": "cron(0 3 * * ? *)",
            "schedule_expression_timezone": "Europe/Paris",
            "start_date": "",
            "state": "ENABLED",
            "flexible_time_window": [{"maximum_window_in_minutes": 0, "mode": "OFF"}],
            "target": [{
                "arn": FUNCTION,
                "role_arn": ROLE,
                "input": "{\"a\":1}",
                "dead_letter_config": [],
                "ecs_parameters": [],
                "eventbridge_parameters": [],
                "kinesis_parameters": [],
                "retry_policy": [{"maximum_event_age_in_seconds": 86400, "maximum_retry_attempts": 185}],
                "sagemaker_pipeline_parameters": [],
                "sqs_parameters": []
            }]
        })
    }

    fn v(text: &str) -> Value<String> {
        Value::Value(text.into())
    }

    #[test]
    fn the_schedules_role_becomes_existing_role_arn() {
        let s = from_aws_scheduler_schedule(source()).unwrap();
        assert_eq!(s.existing_role_arn, v(ROLE));
        assert_eq!(s.role_arn, v(ROLE));
        assert_eq!(s.role_name, v("sched"));
        assert_eq!(s.role_managed, Value::Value(false));
        assert!(s.policy_json.is_null() && s.trust_policy_json.is_null());
        assert!(s.role.items().is_empty());
    }

    #[test]
    fn arguments_map_and_sdkv2_empty_strings_are_null() {
        let s = from_aws_scheduler_schedule(source()).unwrap();
        assert_eq!(s.id, v("default/nightly"));
        assert_eq!(
            s.arn,
            v("arn:aws:scheduler:us-east-1:123456789012:schedule/default/nightly")
        );
        assert_eq!(s.name, v("nightly"));
        assert_eq!(s.group_name, v("default"));
        assert_eq!(s.function_arn, v(FUNCTION));
        assert_eq!(s.schedule_expression, v("cron(0 3 * * ? *)"));
        assert_eq!(s.schedule_expression_timezone, v("Europe/Paris"));
        assert_eq!(s.state, v("ENABLED"));
        assert_eq!(s.input, v("{\"a\":1}"));
        assert_eq!(s.action_after_completion, v("NONE"));
        assert_eq!(s.completed, Value::Value(false));
        for empty in [
            &s.name_prefix,
            &s.description,
            &s.start_date,
            &s.end_date,
            &s.kms_key_arn,
            &s.dead_letter_arn,
        ] {
            assert!(empty.is_null());
        }
        assert!(s.flexible_window_minutes.is_null(), "mode OFF: no window");
        assert!(
            s.retry_policy.items().is_empty(),
            "service default: no block"
        );
    }

    #[test]
    fn window_retry_dead_letter_dates_and_key_carry_over() {
        let mut src = source();
        src["flexible_time_window"] =
            json!([{"maximum_window_in_minutes": 15, "mode": "FLEXIBLE"}]);
        src["start_date"] = json!("2030-01-01T00:00:00Z");
        src["end_date"] = json!("2031-01-01T00:00:00Z");
        src["kms_key_arn"] = json!("arn:aws:kms:us-east-1:123456789012:key/k");
        src["description"] = json!("d");
        src["target"][0]["retry_policy"] =
            json!([{"maximum_event_age_in_seconds": 600, "maximum_retry_attempts": 3}]);
        src["target"][0]["dead_letter_config"] =
            json!([{"arn": "arn:aws:sqs:us-east-1:123456789012:dlq"}]);
        let s = from_aws_scheduler_schedule(src).unwrap();
        assert_eq!(s.flexible_window_minutes, Value::Value(15));
        assert_eq!(s.start_date, v("2030-01-01T00:00:00Z"));
        assert_eq!(s.end_date, v("2031-01-01T00:00:00Z"));
        assert_eq!(s.kms_key_arn, v("arn:aws:kms:us-east-1:123456789012:key/k"));
        assert_eq!(s.description, v("d"));
        assert_eq!(
            s.dead_letter_arn,
            v("arn:aws:sqs:us-east-1:123456789012:dlq")
        );
        let retry = s.retry_policy.single().unwrap();
        assert_eq!(retry.maximum_event_age_in_seconds, Value::Value(600));
        assert_eq!(retry.maximum_retry_attempts, Value::Value(3));
    }

    #[test]
    fn a_name_prefix_and_a_custom_group_are_kept() {
        let mut src = source();
        src["name_prefix"] = json!("job-");
        src["name"] = json!("job-20300101");
        src["group_name"] = json!("ops");
        src["id"] = json!("ops/job-20300101");
        let s = from_aws_scheduler_schedule(src).unwrap();
        assert_eq!(s.name_prefix, v("job-"));
        assert_eq!(s.name, v("job-20300101"));
        assert_eq!(s.group_name, v("ops"));
        assert_eq!(s.id, v("ops/job-20300101"));
    }

    #[test]
    fn a_target_that_is_not_a_lambda_function_is_refused() {
        for target in [
            "arn:aws:sqs:us-east-1:123456789012:queue",
            "arn:aws:scheduler:::aws-sdk:lambda:invoke",
            "",
        ] {
            let mut src = source();
            src["target"][0]["arn"] = json!(target);
            let why = from_aws_scheduler_schedule(src).unwrap_err();
            assert!(why.contains("not a Lambda function"), "{target}: {why}");
        }
        let mut src = source();
        src["target"][0]["sqs_parameters"] = json!([{"message_group_id": "g"}]);
        assert!(from_aws_scheduler_schedule(src)
            .unwrap_err()
            .contains("sqs_parameters"));
        let mut src = source();
        src["target"] = json!([]);
        assert!(from_aws_scheduler_schedule(src)
            .unwrap_err()
            .contains("no `target`"));
    }

    #[test]
    fn null_blocks_of_older_states_read_as_absent() {
        let mut src = source();
        src["flexible_time_window"] = json!(null);
        src["target"][0]["retry_policy"] = json!(null);
        src["target"][0]["ecs_parameters"] = json!(null);
        let s = from_aws_scheduler_schedule(src).unwrap();
        assert!(s.flexible_window_minutes.is_null());
        assert!(s.retry_policy.items().is_empty());
    }
}
