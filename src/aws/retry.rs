//! Named, bounded retries around AWS calls, on top of the SDK's own retry of
//! throttling and transport errors. Each retry here exists for one reason
//! (IAM propagation, a concurrent policy edit), stops at a deadline, and
//! backs off so parallel applies do not hammer the API in lockstep.

use std::future::Future;
use std::time::Duration;

use tokio::time::Instant;

use super::error::{AwsError, ErrorKind};
use crate::plugin::stop::{self, Stop};

/// Why we retry: names the loop in logs and bounds what it accepts.
#[derive(Clone, Copy, Debug)]
pub struct RetryReason {
    /// The loop's name in logs (`retry_when_iam_not_propagated`).
    pub name: &'static str,
    /// The error kinds this loop waits out; any other error ends it at once.
    pub retry_on: &'static [ErrorKind],
    /// The wait after the first failure, doubled after each one up to `max_delay`
    /// (each wait jittered).
    pub first_delay: Duration,
    /// The longest wait between two attempts.
    pub max_delay: Duration,
}

/// Scheduler refuses a role that IAM has not propagated yet; the same call
/// succeeds seconds later. hashicorp/aws retries this for two minutes too.
pub const IAM_NOT_PROPAGATED: RetryReason = RetryReason {
    name: "retry_when_iam_not_propagated",
    retry_on: &[ErrorKind::IamNotPropagated],
    first_delay: Duration::from_millis(500),
    max_delay: Duration::from_secs(5),
};

/// Lambda refuses CreateEventSourceMapping and UpdateEventSourceMapping
/// while the queue permissions just granted to the function's execution role
/// have not propagated: InvalidParameterValueException "The provided
/// execution role does not have permissions to call ReceiveMessage on SQS"
/// (https://github.com/aws/aws-cdk/issues/6770); the same call succeeds once
/// IAM has caught up (see `error::classify`). Throttling is retried here
/// too, because CreateEventSourceMapping runs without the SDK's own retries
/// (see `event_source::create_mapping`).
pub const EXECUTION_ROLE_NOT_PROPAGATED: RetryReason = RetryReason {
    name: "retry_when_execution_role_not_propagated",
    retry_on: &[ErrorKind::IamNotPropagated, ErrorKind::Throttled],
    first_delay: Duration::from_secs(1),
    max_delay: Duration::from_secs(5),
};

/// Lambda answers ResourceInUseException while an event source mapping is
/// Creating, Enabling, Disabling or Updating; the change is accepted once
/// the mapping has settled.
pub const MAPPING_IN_USE: RetryReason = RetryReason {
    name: "retry_while_mapping_in_use",
    retry_on: &[ErrorKind::Conflict, ErrorKind::Throttled],
    first_delay: Duration::from_millis(500),
    max_delay: Duration::from_secs(5),
};

/// Lambda answers ResourceConflictException / PreconditionFailed while another
/// edit of the same function's policy or configuration is in flight.
pub const POLICY_CONFLICT: RetryReason = RetryReason {
    name: "retry_on_policy_conflict",
    retry_on: &[ErrorKind::Conflict, ErrorKind::Throttled],
    first_delay: Duration::from_millis(200),
    max_delay: Duration::from_secs(3),
};

/// Run `call` until it succeeds, fails for a reason not in `reason.retry_on`,
/// or the deadline passes (then the last error is returned). A stop request
/// (Ctrl-C, StopProvider) ends the wait at once with the last error, so the
/// caller rolls back or returns partial state as for any failure.
pub async fn retry_until<T, F, Fut>(
    reason: RetryReason,
    deadline: Instant,
    call: F,
) -> Result<T, AwsError>
where
    F: FnMut() -> Fut,
    Fut: Future<Output = Result<T, AwsError>>,
{
    retry_with_stop(reason, deadline, stop::global(), call).await
}

/// `call`, unless `deadline` passes first: then `call` is dropped (the SDK
/// abandons its request) and the answer is a `DeadlineExceeded` failure of
/// `operation` that names `limit`, the setting the deadline came from. For
/// steps with no retry of their own that must still end within a resource's
/// `timeouts`: each SDK call may otherwise go on retrying throttling and lost
/// connections up to its own operation timeout (see `clients::timeouts`).
pub async fn within<T>(
    deadline: Instant,
    limit: &str,
    operation: &'static str,
    call: impl Future<Output = Result<T, AwsError>>,
) -> Result<T, AwsError> {
    match tokio::time::timeout_at(deadline, call).await {
        Ok(answer) => answer,
        Err(_) => {
            tracing::warn!(operation, limit, "abandoned at the deadline");
            Err(AwsError {
                operation,
                code: "DeadlineExceeded".into(),
                message: format!(
                    "no answer within `{limit}`; the request was abandoned and may still take \
                     effect. Raise `{limit}` if AWS is only slow."
                ),
                request_id: None,
                kind: ErrorKind::Transport,
            })
        }
    }
}

/// A delay spread over [delay/2, delay], so that parallel retries of the
/// same reason do not hit the API in lockstep.
pub fn jittered(delay: Duration) -> Duration {
    let half = delay / 2;
    let nanos = u64::try_from(half.as_nanos()).unwrap_or(u64::MAX);
    if nanos == 0 {
        return delay;
    }
    half + Duration::from_nanos(random_u64() % nanos)
}

pub(crate) fn random_u64() -> u64 {
    use std::hash::{BuildHasher, Hasher};
    // RandomState is seeded per instance from the OS: enough for jitter.
    let mut h = std::collections::hash_map::RandomState::new().build_hasher();
    h.write_u64(0);
    h.finish()
}

async fn retry_with_stop<T, F, Fut>(
    reason: RetryReason,
    deadline: Instant,
    stop: &Stop,
    mut call: F,
) -> Result<T, AwsError>
where
    F: FnMut() -> Fut,
    Fut: Future<Output = Result<T, AwsError>>,
{
    let mut delay = reason.first_delay;
    let mut attempt = 1u32;
    loop {
        match call().await {
            Ok(value) => return Ok(value),
            Err(err) if reason.retry_on.contains(&err.kind) => {
                let now = Instant::now();
                if now + delay > deadline {
                    tracing::warn!(retry = reason.name, attempt, code = %err.code, "giving up at deadline");
                    return Err(err);
                }
                let wait = jittered(delay);
                tracing::debug!(retry = reason.name, attempt, code = %err.code, delay_ms = wait.as_millis() as u64, "retrying");
                if !stop.sleep(wait).await {
                    tracing::warn!(retry = reason.name, attempt, code = %err.code, "stopped: giving up");
                    return Err(err);
                }
                delay = (delay * 2).min(reason.max_delay);
                attempt += 1;
            }
            Err(err) => return Err(err),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::sync::atomic::{AtomicU32, Ordering};

    fn failure(kind: ErrorKind) -> AwsError {
        AwsError {
            operation: "CreateSchedule",
            code: "ValidationException".into(),
            message: String::new(),
            request_id: None,
            kind,
        }
    }

    #[tokio::test(start_paused = true)]
    async fn retries_the_named_reason_until_success() {
        let calls = AtomicU32::new(0);
        let start = Instant::now();
        let result = retry_until(
            IAM_NOT_PROPAGATED,
            start + Duration::from_secs(120),
            || async {
                if calls.fetch_add(1, Ordering::SeqCst) < 3 {
                    Err(failure(ErrorKind::IamNotPropagated))
                } else {
                    Ok("done")
                }
            },
        )
        .await;
        assert_eq!(result, Ok("done"));
        assert_eq!(calls.load(Ordering::SeqCst), 4);
        // 0.5 + 1 + 2 seconds of backoff, each jittered down to at most
        // half, measured on the paused clock.
        let waited = start.elapsed();
        assert!(
            waited >= Duration::from_millis(1750) && waited <= Duration::from_millis(3500),
            "{waited:?}"
        );
    }

    #[tokio::test(start_paused = true)]
    async fn other_errors_are_not_retried() {
        let calls = AtomicU32::new(0);
        let result: Result<(), _> = retry_until(
            IAM_NOT_PROPAGATED,
            Instant::now() + Duration::from_secs(120),
            || async {
                calls.fetch_add(1, Ordering::SeqCst);
                Err(failure(ErrorKind::AccessDenied))
            },
        )
        .await;
        assert_eq!(result.unwrap_err().kind, ErrorKind::AccessDenied);
        assert_eq!(calls.load(Ordering::SeqCst), 1);
    }

    #[tokio::test(start_paused = true)]
    async fn stops_at_the_deadline_with_the_last_error() {
        let start = Instant::now();
        let deadline = start + Duration::from_secs(20);
        let calls = AtomicU32::new(0);
        let result: Result<(), _> = retry_until(IAM_NOT_PROPAGATED, deadline, || async {
            calls.fetch_add(1, Ordering::SeqCst);
            Err(failure(ErrorKind::IamNotPropagated))
        })
        .await;
        assert_eq!(result.unwrap_err().kind, ErrorKind::IamNotPropagated);
        assert!(start.elapsed() <= Duration::from_secs(20));
        // Backoff caps at 5 s (jittered to 2.5-5 s): between 7 calls (no
        // jitter: 0.5+1+2+4+5+5 = 17.5 s) and 11.
        let n = calls.load(Ordering::SeqCst);
        assert!((7..=11).contains(&n), "{n} calls");
    }

    #[tokio::test(start_paused = true)]
    async fn a_stop_ends_the_wait_with_the_last_error() {
        let stop = Stop::default();
        let start = Instant::now();
        let calls = AtomicU32::new(0);
        let stopper = {
            let stop = stop.clone();
            tokio::spawn(async move {
                tokio::time::sleep(Duration::from_secs(3)).await;
                stop.request("test");
            })
        };
        let result: Result<(), _> = retry_with_stop(
            IAM_NOT_PROPAGATED,
            start + Duration::from_secs(120),
            &stop,
            || async {
                calls.fetch_add(1, Ordering::SeqCst);
                Err(failure(ErrorKind::IamNotPropagated))
            },
        )
        .await;
        stopper.await.unwrap();
        assert_eq!(result.unwrap_err().kind, ErrorKind::IamNotPropagated);
        assert!(
            start.elapsed() < Duration::from_secs(9),
            "stopped early, not at the 120 s deadline"
        );
    }

    /// Lambda's answers, as classified, are what the event source mapping
    /// reasons retry: the role's propagation for creates and updates, a
    /// mapping in transition for updates and deletes.
    #[tokio::test(start_paused = true)]
    async fn lambdas_transient_mapping_answers_are_retried() {
        for (reason, code, message) in [
            (
                EXECUTION_ROLE_NOT_PROPAGATED,
                "InvalidParameterValueException",
                "The provided execution role does not have permissions to call ReceiveMessage on SQS",
            ),
            (
                MAPPING_IN_USE,
                "ResourceInUseException",
                "Cannot update the event source mapping because it is in use.",
            ),
        ] {
            let calls = AtomicU32::new(0);
            let result = retry_until(reason, Instant::now() + Duration::from_secs(120), || async {
                if calls.fetch_add(1, Ordering::SeqCst) < 2 {
                    Err(AwsError {
                        kind: super::super::error::classify(code, message),
                        ..failure(ErrorKind::Other)
                    })
                } else {
                    Ok(())
                }
            })
            .await;
            assert_eq!(result, Ok(()), "{}", reason.name);
            assert_eq!(calls.load(Ordering::SeqCst), 3, "{}", reason.name);
        }
    }

    #[tokio::test(start_paused = true)]
    async fn within_passes_an_answer_through_and_abandons_a_call_at_the_deadline() {
        let start = Instant::now();
        let deadline = start + Duration::from_secs(30);
        let answered = within(deadline, "timeouts.delete", "DeleteSchedule", async {
            Ok(7)
        });
        assert_eq!(answered.await, Ok(7));
        let refused = within(deadline, "timeouts.delete", "DeleteSchedule", async {
            Err::<(), _>(failure(ErrorKind::AccessDenied))
        });
        assert_eq!(refused.await.unwrap_err().kind, ErrorKind::AccessDenied);
        let never = std::future::pending::<Result<(), AwsError>>();
        let abandoned = within(deadline, "timeouts.delete", "DeleteRole", never)
            .await
            .unwrap_err();
        assert_eq!(start.elapsed(), Duration::from_secs(30));
        assert_eq!(
            (abandoned.operation, abandoned.code.as_str(), abandoned.kind),
            ("DeleteRole", "DeadlineExceeded", ErrorKind::Transport)
        );
        assert!(
            abandoned.message.contains("`timeouts.delete`"),
            "{}",
            abandoned.message
        );
    }

    #[test]
    fn jitter_stays_within_half_and_whole() {
        for _ in 0..100 {
            let d = jittered(Duration::from_secs(4));
            assert!(d >= Duration::from_secs(2) && d <= Duration::from_secs(4));
        }
        assert_eq!(jittered(Duration::ZERO), Duration::ZERO);
    }
}
