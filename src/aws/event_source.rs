//! Lambda event source mapping calls for SQS queues: create, find, list by
//! queue, update, delete, and the wait on Lambda's transitional states.
//! Finders return `Option` and own "not found"; delete takes it as success.
//! Whose mapping is whose is decided by the caller: this module only says
//! what Lambda answered.

use std::time::Duration;

use aws_sdk_lambda::types::{Filter, FilterCriteria, FunctionResponseType, ScalingConfig};
use tokio::time::Instant;

use super::error::{every_page, not_found_is_none, AwsError, ErrorKind};
use super::lambda::{unanswered, without_sdk_retries};
use super::retry::{jittered, retry_until, EXECUTION_ROLE_NOT_PROPAGATED, MAPPING_IN_USE};
use super::AwsClients;
use crate::plugin::stop;

/// A mapping as the provider wants it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct MappingSpec {
    /// Name or ARN of the function, qualified for a version or alias, as the user wrote it.
    pub function_name: String,
    /// ARN of the SQS queue the mapping polls.
    pub queue_arn: String,
    /// Messages per invocation: 1-10000 (at most 10 for a FIFO queue).
    pub batch_size: i32,
    /// Seconds Lambda gathers messages before invoking (0-300); `None`: Lambda's
    /// default, 0 for SQS.
    pub maximum_batching_window_in_seconds: Option<i32>,
    /// Whether Lambda polls the queue; a disabled mapping keeps its messages in the queue.
    pub enabled: bool,
    /// Sends `ReportBatchItemFailures`: the function may return the failed
    /// messages, and only those go back to the queue.
    pub report_batch_item_failures: bool,
    /// At most this many concurrent invocations (2-1000); `None`: no limit.
    pub maximum_concurrency: Option<i32>,
    /// Event filter patterns (JSON); a message that matches none is dropped
    /// without an invocation. Empty: no filtering.
    pub filter_patterns: Vec<String>,
}

/// What one UpdateEventSourceMapping sends; `None` leaves a setting as it is.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct MappingUpdate {
    /// Messages per invocation.
    pub batch_size: Option<i32>,
    /// Seconds Lambda gathers messages before invoking.
    pub maximum_batching_window_in_seconds: Option<i32>,
    /// Enable or disable polling.
    pub enabled: Option<bool>,
    /// Turn `ReportBatchItemFailures` on or off.
    pub report_batch_item_failures: Option<bool>,
    /// `Some(None)` removes the limit.
    pub maximum_concurrency: Option<Option<i32>>,
    /// `Some(vec![])` removes every filter.
    pub filter_patterns: Option<Vec<String>>,
}

impl MappingUpdate {
    /// Whether the update sends nothing, so that no call is needed.
    pub fn is_empty(&self) -> bool {
        *self == MappingUpdate::default()
    }
}

/// A mapping as Lambda reports it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct RemoteMapping {
    /// The mapping's id, as Lambda assigns it at create.
    pub uuid: String,
    /// Qualified when the mapping invokes a version or alias.
    pub function_arn: String,
    /// ARN of the queue polled.
    pub queue_arn: String,
    /// `None` when Lambda's answer omits it.
    pub batch_size: Option<i32>,
    /// `None` when Lambda's answer omits it.
    pub maximum_batching_window_in_seconds: Option<i32>,
    /// `Creating`, `Enabling`, `Enabled`, `Disabling`, `Disabled`,
    /// `Updating` or `Deleting`.
    pub state: String,
    /// Whether `ReportBatchItemFailures` is among its function response types.
    pub report_batch_item_failures: bool,
    /// `None`: no limit.
    pub maximum_concurrency: Option<i32>,
    /// The patterns of its filter criteria, in Lambda's order; empty when none.
    pub filter_patterns: Vec<String>,
}

impl RemoteMapping {
    /// Whether the mapping is, or is becoming, enabled; `None` while Lambda
    /// creates, updates or deletes it (the state says nothing about it then).
    pub fn enabled(&self) -> Option<bool> {
        match self.state.as_str() {
            "Enabled" | "Enabling" => Some(true),
            "Disabled" | "Disabling" => Some(false),
            _ => None,
        }
    }

    /// In a state Lambda accepts changes in.
    pub fn settled(&self) -> bool {
        matches!(self.state.as_str(), "Enabled" | "Disabled")
    }
}

/// The same fields from GetEventSourceMapping's output and from a
/// ListEventSourceMappings item, which are different types.
macro_rules! remote_mapping {
    ($out:expr) => {{
        let out = $out;
        RemoteMapping {
            uuid: out.uuid().unwrap_or_default().to_string(),
            function_arn: out.function_arn().unwrap_or_default().to_string(),
            queue_arn: out.event_source_arn().unwrap_or_default().to_string(),
            batch_size: out.batch_size(),
            maximum_batching_window_in_seconds: out.maximum_batching_window_in_seconds(),
            state: out.state().unwrap_or_default().to_string(),
            report_batch_item_failures: out
                .function_response_types()
                .contains(&FunctionResponseType::ReportBatchItemFailures),
            maximum_concurrency: out.scaling_config().and_then(|s| s.maximum_concurrency()),
            filter_patterns: out
                .filter_criteria()
                .map(|f| {
                    f.filters()
                        .iter()
                        .filter_map(|filter| filter.pattern().map(str::to_string))
                        .collect()
                })
                .unwrap_or_default(),
        }
    }};
}

fn filter_criteria(patterns: &[String]) -> FilterCriteria {
    FilterCriteria::builder()
        .set_filters(Some(
            patterns
                .iter()
                .map(|p| Filter::builder().pattern(p).build())
                .collect(),
        ))
        .build()
}

fn response_types(report_batch_item_failures: bool) -> Vec<FunctionResponseType> {
    if report_batch_item_failures {
        vec![FunctionResponseType::ReportBatchItemFailures]
    } else {
        Vec::new()
    }
}

/// How a CreateEventSourceMapping ended, short of a definite error.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Created {
    /// Lambda answered with the new mapping's UUID.
    Uuid(String),
    /// No definite answer (connection lost, timeout, 5xx, or an answer
    /// without a UUID): the mapping may exist. The caller must look before
    /// sending again.
    Unanswered(AwsError),
}

/// CreateEventSourceMapping, retried while the execution role's new
/// permissions propagate and while throttled, until `deadline`.
///
/// The call is not idempotent, so the SDK's own retries are off for it: a
/// resend after a lost answer would be refused as a mapping that "already
/// exists", and that mapping would be this call's own. An unanswered call
/// comes back as [`Created::Unanswered`] for the caller to settle.
pub async fn create_mapping(
    c: &AwsClients,
    spec: &MappingSpec,
    deadline: Instant,
) -> Result<Created, AwsError> {
    let created = retry_until(EXECUTION_ROLE_NOT_PROPAGATED, deadline, || async {
        let sent = c
            .lambda
            .create_event_source_mapping()
            .function_name(&spec.function_name)
            .event_source_arn(&spec.queue_arn)
            .batch_size(spec.batch_size)
            .set_maximum_batching_window_in_seconds(spec.maximum_batching_window_in_seconds)
            .enabled(spec.enabled)
            .set_function_response_types(
                spec.report_batch_item_failures
                    .then(|| response_types(true)),
            )
            .set_scaling_config(
                spec.maximum_concurrency
                    .map(|m| ScalingConfig::builder().maximum_concurrency(m).build()),
            )
            .set_filter_criteria(
                (!spec.filter_patterns.is_empty()).then(|| filter_criteria(&spec.filter_patterns)),
            )
            .customize()
            .config_override(without_sdk_retries())
            .send()
            .await;
        match sent {
            Ok(out) => Ok(match out.uuid() {
                Some(uuid) if !uuid.is_empty() => Created::Uuid(uuid.to_string()),
                _ => Created::Unanswered(AwsError {
                    operation: "CreateEventSourceMapping",
                    code: "MissingUUID".into(),
                    message: "Lambda answered without the new mapping's UUID".into(),
                    request_id: None,
                    kind: ErrorKind::Other,
                }),
            }),
            Err(e) => unanswered(
                "CreateEventSourceMapping",
                e,
                &EXECUTION_ROLE_NOT_PROPAGATED,
            )
            .map(Created::Unanswered),
        }
    })
    .await?;
    if let Created::Uuid(uuid) = &created {
        tracing::info!(uuid = %uuid, function = %spec.function_name, queue = %spec.queue_arn, "created event source mapping");
    }
    Ok(created)
}

/// GetEventSourceMapping; `Ok(None)` when Lambda has no mapping of this UUID.
pub async fn find_mapping(c: &AwsClients, uuid: &str) -> Result<Option<RemoteMapping>, AwsError> {
    let out = c.lambda.get_event_source_mapping().uuid(uuid).send().await;
    not_found_is_none(out.map_err(|e| AwsError::from_sdk("GetEventSourceMapping", e)))
        .map(|found| found.map(|out| remote_mapping!(&out)))
}

/// Every mapping that reads from `queue_arn`, whatever its function.
pub async fn mappings_of_queue(
    c: &AwsClients,
    queue_arn: &str,
) -> Result<Vec<RemoteMapping>, AwsError> {
    let pages = c
        .lambda
        .list_event_source_mappings()
        .event_source_arn(queue_arn)
        .into_paginator()
        .send()
        .collect()
        .await;
    let pages = every_page("ListEventSourceMappings", pages)?;
    Ok(pages
        .iter()
        .flat_map(|page| page.event_source_mappings())
        .map(|m| remote_mapping!(m))
        .collect())
}

/// UpdateEventSourceMapping, retried while the mapping is in a transitional
/// state and while the execution role's permissions propagate.
pub async fn update_mapping(
    c: &AwsClients,
    uuid: &str,
    update: &MappingUpdate,
    deadline: Instant,
) -> Result<(), AwsError> {
    retry_until(MAPPING_IN_USE, deadline, || {
        retry_until(EXECUTION_ROLE_NOT_PROPAGATED, deadline, || async {
            c.lambda
                .update_event_source_mapping()
                .uuid(uuid)
                .set_batch_size(update.batch_size)
                .set_maximum_batching_window_in_seconds(update.maximum_batching_window_in_seconds)
                .set_enabled(update.enabled)
                .set_function_response_types(update.report_batch_item_failures.map(response_types))
                // An empty ScalingConfig or FilterCriteria is how a setting
                // is removed: Lambda ignores one that is left out
                // (hashicorp/aws sends them empty for the same reason).
                .set_scaling_config(
                    update
                        .maximum_concurrency
                        .map(|m| ScalingConfig::builder().set_maximum_concurrency(m).build()),
                )
                .set_filter_criteria(update.filter_patterns.as_deref().map(filter_criteria))
                .send()
                .await
                .map(|_| ())
                .map_err(|e| AwsError::from_sdk("UpdateEventSourceMapping", e))
        })
    })
    .await?;
    tracing::info!(uuid = %uuid, "updated event source mapping");
    Ok(())
}

/// DeleteEventSourceMapping, retried while the mapping is in use; a mapping
/// already gone is success. Lambda answers `Deleting`: see [`wait_for`].
pub async fn delete_mapping(c: &AwsClients, uuid: &str, deadline: Instant) -> Result<(), AwsError> {
    let result = retry_until(MAPPING_IN_USE, deadline, || async {
        c.lambda
            .delete_event_source_mapping()
            .uuid(uuid)
            .send()
            .await
            .map(|_| ())
            .map_err(|e| AwsError::from_sdk("DeleteEventSourceMapping", e))
    })
    .await;
    match result {
        Ok(()) => {
            tracing::info!(uuid = %uuid, "deleted event source mapping");
            Ok(())
        }
        Err(err) if err.is(ErrorKind::NotFound) => Ok(()),
        Err(err) => Err(err),
    }
}

const WAIT_FIRST_DELAY: Duration = Duration::from_millis(500);
const WAIT_MAX_DELAY: Duration = Duration::from_secs(5);

/// Look at the mapping until `done` holds for what Lambda reports (`None`:
/// it is gone), the deadline passes or a stop is requested; the last look
/// either way. Lambda moves a mapping through Creating, Updating, Enabling,
/// Disabling and Deleting on its own time.
pub async fn wait_for(
    c: &AwsClients,
    uuid: &str,
    deadline: Instant,
    done: fn(Option<&RemoteMapping>) -> bool,
) -> Result<Option<RemoteMapping>, AwsError> {
    let mut delay = WAIT_FIRST_DELAY;
    loop {
        let found = find_mapping(c, uuid).await?;
        if done(found.as_ref()) {
            return Ok(found);
        }
        let state = found.as_ref().map_or("gone", |m| m.state.as_str());
        if Instant::now() + delay > deadline {
            tracing::warn!(uuid = %uuid, state, "event source mapping still in transition at the deadline");
            return Ok(found);
        }
        tracing::debug!(uuid = %uuid, state, "waiting for event source mapping");
        if !stop::global().sleep(jittered(delay)).await {
            return Ok(found);
        }
        delay = (delay * 2).min(WAIT_MAX_DELAY);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn transitions_say_nothing_about_enabled_and_are_not_settled() {
        let mapping = |state: &str| RemoteMapping {
            uuid: "u".into(),
            function_arn: String::new(),
            queue_arn: String::new(),
            batch_size: None,
            maximum_batching_window_in_seconds: None,
            state: state.into(),
            report_batch_item_failures: false,
            maximum_concurrency: None,
            filter_patterns: Vec::new(),
        };
        for (state, enabled, settled) in [
            ("Enabled", Some(true), true),
            ("Enabling", Some(true), false),
            ("Disabled", Some(false), true),
            ("Disabling", Some(false), false),
            ("Creating", None, false),
            ("Updating", None, false),
            ("Deleting", None, false),
        ] {
            let m = mapping(state);
            assert_eq!((m.enabled(), m.settled()), (enabled, settled), "{state}");
        }
        assert!(MappingUpdate::default().is_empty());
        let removal = MappingUpdate {
            filter_patterns: Some(Vec::new()),
            ..Default::default()
        };
        assert!(!removal.is_empty(), "removing every filter is a change");
    }
}
