//! EventBridge Scheduler calls. [`ScheduleSpec`] is the plain shape both
//! directions use, so the resource's expand/flatten stay pure.

use aws_sdk_scheduler::types::{
    ActionAfterCompletion, DeadLetterConfig, FlexibleTimeWindow, FlexibleTimeWindowMode,
    RetryPolicy, ScheduleState, Target,
};
use aws_smithy_types::DateTime;
use tokio::time::Instant;

use super::error::{not_found_is_none, not_found_is_ok, AwsError, ErrorKind};
use super::retry::{random_u64, retry_until, IAM_NOT_PROPAGATED};
use super::AwsClients;

/// Every field of a schedule that invokes one Lambda function. UpdateSchedule
/// replaces the whole schedule, so updates always send all of them.
#[derive(Clone, Debug, PartialEq, Eq, Default)]
pub struct ScheduleSpec {
    /// 1-64 characters, unique within its group.
    pub name: String,
    /// The schedule group; each group has its own namespace of names.
    pub group_name: String,
    /// `rate(...)`, `cron(...)` or `at(...)`.
    pub schedule_expression: String,
    /// IANA time zone the expression is read in (`UTC` when Scheduler reports none).
    pub timezone: String,
    /// Seconds since the epoch.
    pub start_date: Option<i64>,
    /// Seconds since the epoch; after it the schedule no longer invokes.
    pub end_date: Option<i64>,
    /// Scheduler's `ENABLED` state; `false` is `DISABLED`.
    pub enabled: bool,
    /// `None` when none is set (Scheduler's empty description reads as none).
    pub description: Option<String>,
    /// The customer managed KMS key Scheduler encrypts the target's input with;
    /// `None`: an AWS owned key.
    pub kms_key_arn: Option<String>,
    /// The target: the function invoked, qualified for a version or alias.
    pub function_arn: String,
    /// The role Scheduler assumes to invoke the function.
    pub role_arn: String,
    /// The JSON event the function receives; `None` when not set.
    pub input: Option<String>,
    /// (maximum_event_age_in_seconds, maximum_retry_attempts)
    pub retry_policy: Option<(i32, i32)>,
    /// SQS queue that receives the events whose retries ran out; `None`: they are dropped.
    pub dead_letter_arn: Option<String>,
    /// Scheduler may invoke up to this many minutes after the scheduled time;
    /// `None`: the window is `OFF` and it invokes on time.
    pub flexible_window_minutes: Option<i32>,
    /// `ActionAfterCompletion` `DELETE`: Scheduler deletes the schedule after its
    /// last invocation (an `at()` schedule, or past `end_date`).
    pub delete_after_completion: bool,
}

/// A schedule as Scheduler reports it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct RemoteSchedule {
    /// ARN of the schedule: its group and name in the account and region.
    pub arn: String,
    /// Every field, read back from GetSchedule.
    pub spec: ScheduleSpec,
}

fn request_error(operation: &'static str, message: String) -> AwsError {
    AwsError {
        operation,
        code: "InvalidRequest".into(),
        message,
        request_id: None,
        kind: ErrorKind::Other,
    }
}

fn target(spec: &ScheduleSpec, operation: &'static str) -> Result<Target, AwsError> {
    let mut target = Target::builder()
        .arn(&spec.function_arn)
        .role_arn(&spec.role_arn)
        .set_input(spec.input.clone());
    if let Some((age, attempts)) = spec.retry_policy {
        target = target.retry_policy(
            RetryPolicy::builder()
                .maximum_event_age_in_seconds(age)
                .maximum_retry_attempts(attempts)
                .build(),
        );
    }
    if let Some(dlq) = &spec.dead_letter_arn {
        target = target.dead_letter_config(DeadLetterConfig::builder().arn(dlq).build());
    }
    target
        .build()
        .map_err(|e| request_error(operation, e.to_string()))
}

fn window(spec: &ScheduleSpec, operation: &'static str) -> Result<FlexibleTimeWindow, AwsError> {
    let builder = match spec.flexible_window_minutes {
        Some(minutes) => FlexibleTimeWindow::builder()
            .mode(FlexibleTimeWindowMode::Flexible)
            .maximum_window_in_minutes(minutes),
        None => FlexibleTimeWindow::builder().mode(FlexibleTimeWindowMode::Off),
    };
    builder
        .build()
        .map_err(|e| request_error(operation, e.to_string()))
}

fn state(spec: &ScheduleSpec) -> ScheduleState {
    if spec.enabled {
        ScheduleState::Enabled
    } else {
        ScheduleState::Disabled
    }
}

fn after_completion(spec: &ScheduleSpec) -> ActionAfterCompletion {
    if spec.delete_after_completion {
        ActionAfterCompletion::Delete
    } else {
        ActionAfterCompletion::None
    }
}

/// Every field of a schedule, set alike on CreateSchedule and UpdateSchedule
/// (two SDK builder types with the same setters): UpdateSchedule replaces
/// the whole schedule, so it must send exactly what a create would.
trait WithSpec: Sized {
    fn with_spec(self, spec: &ScheduleSpec, op: &'static str) -> Result<Self, AwsError>;
}

macro_rules! with_spec {
    ($builder:ty) => {
        impl WithSpec for $builder {
            fn with_spec(self, spec: &ScheduleSpec, op: &'static str) -> Result<Self, AwsError> {
                Ok(self
                    .name(&spec.name)
                    .group_name(&spec.group_name)
                    .schedule_expression(&spec.schedule_expression)
                    .schedule_expression_timezone(&spec.timezone)
                    .set_start_date(spec.start_date.map(DateTime::from_secs))
                    .set_end_date(spec.end_date.map(DateTime::from_secs))
                    .state(state(spec))
                    .set_description(spec.description.clone())
                    .set_kms_key_arn(spec.kms_key_arn.clone())
                    .target(target(spec, op)?)
                    .flexible_time_window(window(spec, op)?)
                    .action_after_completion(after_completion(spec)))
            }
        }
    };
}

with_spec!(aws_sdk_scheduler::operation::create_schedule::builders::CreateScheduleFluentBuilder);
with_spec!(aws_sdk_scheduler::operation::update_schedule::builders::UpdateScheduleFluentBuilder);

/// CreateSchedule, retried while IAM has not propagated the role, until
/// `deadline`. A schedule of that name that exists already is an
/// `AlreadyExists` error, never success: each attempt carries its own
/// `ClientToken`, and the SDK resends a request whose answer was lost with
/// the same token, which Scheduler answers with the original success ("If
/// you do not specify a client token, EventBridge Scheduler uses a randomly
/// generated token for the request to ensure idempotency", CreateSchedule
/// API reference). So a conflict means the name was taken before this call.
pub async fn create_schedule(
    c: &AwsClients,
    spec: &ScheduleSpec,
    deadline: Instant,
) -> Result<String, AwsError> {
    const OP: &str = "CreateSchedule";
    let send = |token: String| async move {
        c.scheduler
            .create_schedule()
            .with_spec(spec, OP)?
            .client_token(token)
            .send()
            .await
            .map(|out| out.schedule_arn().to_string())
            .map_err(|e| AwsError::from_sdk(OP, e))
    };
    let last_token = std::sync::Mutex::new(String::new());
    let result = retry_until(IAM_NOT_PROPAGATED, deadline, || {
        let token = client_token();
        if let Ok(mut last) = last_token.lock() {
            last.clone_from(&token);
        }
        send(token)
    })
    .await;
    let result = match result {
        // Unanswered even after the SDK's own resends: whether the schedule
        // now exists as this call's is exactly what one more send with the
        // same token answers (success if it does, a conflict if the name is
        // someone else's, a creation if it never arrived).
        Err(err) if err.is(ErrorKind::Transport) => {
            let token = last_token.lock().map(|t| t.clone()).unwrap_or_default();
            send(token).await
        }
        other => other,
    };
    match result {
        Ok(arn) => {
            tracing::info!(schedule = %spec.name, group = %spec.group_name, "created schedule");
            Ok(arn)
        }
        Err(err) if err.code == "ConflictException" => Err(AwsError {
            kind: ErrorKind::AlreadyExists,
            ..err
        }),
        Err(err) => Err(err),
    }
}

/// A fresh idempotency token (Scheduler allows 1-64 of `[a-zA-Z0-9-_]`).
fn client_token() -> String {
    format!("lambdawire-{:016x}{:016x}", random_u64(), random_u64())
}

/// UpdateSchedule with every field, retried while IAM has not propagated a
/// new role, until `deadline`.
pub async fn update_schedule(
    c: &AwsClients,
    spec: &ScheduleSpec,
    deadline: Instant,
) -> Result<String, AwsError> {
    const OP: &str = "UpdateSchedule";
    retry_until(IAM_NOT_PROPAGATED, deadline, || async {
        c.scheduler
            .update_schedule()
            .with_spec(spec, OP)?
            .send()
            .await
            .map(|out| out.schedule_arn().to_string())
            .map_err(|e| AwsError::from_sdk(OP, e))
    })
    .await
}

/// GetSchedule; `Ok(None)` when Scheduler has no schedule of this name in `group`.
pub async fn find_schedule(
    c: &AwsClients,
    group: &str,
    name: &str,
) -> Result<Option<RemoteSchedule>, AwsError> {
    let found = c
        .scheduler
        .get_schedule()
        .group_name(group)
        .name(name)
        .send()
        .await
        .map_err(|e| AwsError::from_sdk("GetSchedule", e));
    let Some(out) = not_found_is_none(found)? else {
        return Ok(None);
    };
    let target = out.target();
    let window = out.flexible_time_window();
    let spec = ScheduleSpec {
        name: out.name().unwrap_or(name).to_string(),
        group_name: out.group_name().unwrap_or(group).to_string(),
        schedule_expression: out.schedule_expression().unwrap_or_default().to_string(),
        timezone: out
            .schedule_expression_timezone()
            .unwrap_or("UTC")
            .to_string(),
        start_date: out.start_date().map(DateTime::secs),
        end_date: out.end_date().map(DateTime::secs),
        enabled: !matches!(out.state(), Some(ScheduleState::Disabled)),
        description: out
            .description()
            .filter(|d| !d.is_empty())
            .map(str::to_string),
        kms_key_arn: out.kms_key_arn().map(str::to_string),
        function_arn: target.map(|t| t.arn().to_string()).unwrap_or_default(),
        role_arn: target.map(|t| t.role_arn().to_string()).unwrap_or_default(),
        input: target.and_then(|t| t.input()).map(str::to_string),
        retry_policy: target.and_then(|t| t.retry_policy()).and_then(|r| {
            Some((
                r.maximum_event_age_in_seconds()?,
                r.maximum_retry_attempts()?,
            ))
        }),
        dead_letter_arn: target
            .and_then(|t| t.dead_letter_config())
            .and_then(|d| d.arn())
            .map(str::to_string),
        flexible_window_minutes: window
            .filter(|w| *w.mode() == FlexibleTimeWindowMode::Flexible)
            .and_then(|w| w.maximum_window_in_minutes()),
        delete_after_completion: matches!(
            out.action_after_completion(),
            Some(ActionAfterCompletion::Delete)
        ),
    };
    Ok(Some(RemoteSchedule {
        arn: out.arn().unwrap_or_default().to_string(),
        spec,
    }))
}

/// The schedules `group` holds (every group when `None`), from one page of
/// ListSchedules (at most 100): how many that page lists, whether more
/// follow, and the first `named` of them as `group/name`. One page is
/// enough for a warning, and keeps a destroy plan to one call per role.
pub async fn list_schedule_names(
    c: &AwsClients,
    group: Option<&str>,
    named: usize,
) -> Result<ScheduleNames, AwsError> {
    let page = c
        .scheduler
        .list_schedules()
        .set_group_name(group.map(str::to_string))
        .max_results(100)
        .send()
        .await
        .map_err(|e| AwsError::from_sdk("ListSchedules", e))?;
    Ok(ScheduleNames {
        listed: page.schedules().len(),
        more: page.next_token().is_some_and(|t| !t.is_empty()),
        first: page
            .schedules()
            .iter()
            .take(named)
            .map(|s| {
                format!(
                    "{}/{}",
                    s.group_name().unwrap_or("default"),
                    s.name().unwrap_or_default()
                )
            })
            .collect(),
    })
}

/// What [`list_schedule_names`] found.
#[derive(Debug, Default, PartialEq, Eq)]
pub struct ScheduleNames {
    /// How many schedules the page listed.
    pub listed: usize,
    /// Whether more pages follow.
    pub more: bool,
    /// The first names, as `group/name`.
    pub first: Vec<String>,
}

/// DeleteSchedule; a schedule already gone is success.
pub async fn delete_schedule(c: &AwsClients, group: &str, name: &str) -> Result<(), AwsError> {
    match c
        .scheduler
        .delete_schedule()
        .group_name(group)
        .name(name)
        .send()
        .await
    {
        Ok(_) => {
            tracing::info!(schedule = %name, group = %group, "deleted schedule");
            Ok(())
        }
        Err(e) => not_found_is_ok(Err(AwsError::from_sdk("DeleteSchedule", e))),
    }
}
