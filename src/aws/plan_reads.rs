//! The reads a plan makes to check what it can see in AWS (SPEC,
//! "Plan-time checks against AWS"): whether a function, a schedule
//! group or an SNS topic exists. Each object is asked about once per provider process,
//! however many resources name it (Terraform starts a provider process per
//! command walk, so "once per process" is once per plan), and concurrent
//! asks share the one request in flight.

use std::collections::HashMap;
use std::sync::{Arc, Mutex};

use tokio::sync::OnceCell;

use super::error::{not_found_is_none, AwsError};
use super::AwsClients;

type Cell<T> = Arc<OnceCell<Result<T, AwsError>>>;

/// An answer worth keeping for the rest of the process: the object was found.
trait Found {
    fn found(&self) -> bool;
}

impl Found for bool {
    fn found(&self) -> bool {
        *self
    }
}

impl<T> Found for Option<T> {
    fn found(&self) -> bool {
        self.is_some()
    }
}

/// One request per key in flight, shared by concurrent asks; an object
/// found is remembered for the life of the process. "Missing" and a failed
/// read are not: a later ask reads again, because `terraform apply` plans
/// each resource again just before applying it, and a function or group
/// an earlier resource of the same apply creates exists by then.
struct Once<T = bool> {
    cells: Mutex<HashMap<String, Cell<T>>>,
}

impl<T> Default for Once<T> {
    fn default() -> Self {
        Once {
            cells: Mutex::default(),
        }
    }
}

impl<T: Found + Clone> Once<T> {
    async fn get<F, Fut>(&self, key: String, fetch: F) -> Result<T, AwsError>
    where
        F: FnOnce() -> Fut,
        Fut: std::future::Future<Output = Result<T, AwsError>>,
    {
        let cell = {
            let mut cells = self.cells.lock().unwrap_or_else(|e| e.into_inner());
            cells.entry(key.clone()).or_default().clone()
        };
        let answer = cell.get_or_init(fetch).await.clone();
        if !answer.as_ref().is_ok_and(Found::found) {
            let mut cells = self.cells.lock().unwrap_or_else(|e| e.into_inner());
            // Only this answer's cell: a newer ask may have replaced it.
            if cells.get(&key).is_some_and(|c| Arc::ptr_eq(c, &cell)) {
                cells.remove(&key);
            }
        }
        answer
    }
}

/// The existence reads of one provider process.
#[derive(Default)]
pub struct PlanReads {
    functions: Once,
    schedule_groups: Once,
    topics: Once,
    bucket_notifications: Once<Option<super::s3::Notifications>>,
    event_buses: Once,
    rules: Once,
}

/// Whether the function (name or ARN as given) exists at `qualifier`:
/// `Ok(false)` only on Lambda's not-found; AccessDenied (a function of
/// another account, a narrow CI role) or a throttle is an error, which the
/// caller treats as no evidence.
pub async fn function_exists(
    c: &AwsClients,
    function_name: &str,
    qualifier: Option<&str>,
) -> Result<bool, AwsError> {
    let key = format!("{function_name}\u{0}{}", qualifier.unwrap_or_default());
    c.plan_reads
        .functions
        .get(key, || async {
            let role = super::lambda::function_configuration_role(c, function_name, qualifier);
            role.await.map(|found| found.is_some())
        })
        .await
}

/// Whether the schedule group exists (GetScheduleGroup); `default` always
/// does, and is not asked about.
pub async fn schedule_group_exists(c: &AwsClients, group: &str) -> Result<bool, AwsError> {
    if group == "default" {
        return Ok(true);
    }
    c.plan_reads
        .schedule_groups
        .get(group.to_string(), || async {
            let out = c
                .scheduler
                .get_schedule_group()
                .name(group)
                .send()
                .await
                .map_err(|e| AwsError::from_sdk("GetScheduleGroup", e));
            not_found_is_none(out).map(|found| found.is_some())
        })
        .await
}

/// Whether the SNS topic exists (GetTopicAttributes), on the same terms
/// as [`function_exists`].
pub async fn topic_exists(c: &AwsClients, topic_arn: &str) -> Result<bool, AwsError> {
    c.plan_reads
        .topics
        .get(topic_arn.to_string(), || {
            super::sns::topic_exists(c, topic_arn)
        })
        .await
}

/// The bucket's notification configuration (one read per bucket, shared
/// by every trigger of it in one plan); `None` only on S3's NoSuchBucket.
/// A configuration found is kept for the process: the plan reads it to
/// refuse overlaps and taken ids, which a later write of this same
/// provider cannot create (its own entries never overlap, as their plans
/// checked).
pub async fn bucket_notifications(
    c: &AwsClients,
    bucket: &str,
) -> Result<Option<super::s3::Notifications>, AwsError> {
    c.plan_reads
        .bucket_notifications
        .get(bucket.to_string(), || {
            super::s3::find_notifications(c, bucket, None)
        })
        .await
}

/// Whether the EventBridge event bus exists (DescribeEventBus); `default`
/// always does, and is not asked about.
pub async fn event_bus_exists(c: &AwsClients, bus: &str) -> Result<bool, AwsError> {
    c.plan_reads
        .event_buses
        .get(bus.to_string(), || {
            super::eventbridge::event_bus_exists(c, bus)
        })
        .await
}

/// Whether the bus holds a rule of that name (DescribeRule) that no
/// lambdawire trigger may be about to give up: none of its targets
/// (ListTargetsByRule) has an id starting with `trigger_prefix`, the
/// prefix of the ids triggers generate, other than `own_target`, the id the
/// create being planned would write. Such a rule passes: the plan of a
/// replacement's create sees the rule the replacement deletes first (its
/// target, of another function or id, still there), and cannot tell it
/// from another trigger's; the create's own look, just before it writes,
/// is the strict one. A rule whose target is `own_target` already is
/// taken: another configuration's trigger of the same content.
pub async fn rule_taken(
    c: &AwsClients,
    bus: &str,
    name: &str,
    (trigger_prefix, own_target): (&str, Option<&str>),
) -> Result<bool, AwsError> {
    let key = format!(
        "{bus}\u{0}{name}\u{0}{trigger_prefix}\u{0}{}",
        own_target.unwrap_or_default()
    );
    c.plan_reads
        .rules
        .get(key, || async {
            if super::eventbridge::find_rule(c, bus, name).await?.is_none() {
                return Ok(false);
            }
            let targets = super::eventbridge::find_targets(c, bus, name).await?;
            let going = targets
                .unwrap_or_default()
                .iter()
                .any(|t| t.id.starts_with(trigger_prefix) && Some(t.id.as_str()) != own_target);
            Ok(!going)
        })
        .await
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::sync::atomic::{AtomicUsize, Ordering};

    #[tokio::test]
    async fn one_request_per_key_shared_by_concurrent_asks_and_kept() {
        let once = Once::default();
        let calls = AtomicUsize::new(0);
        let ask = |key: &str| {
            once.get(key.to_string(), || async {
                calls.fetch_add(1, Ordering::SeqCst);
                tokio::task::yield_now().await;
                Ok(true)
            })
        };
        let (a, b) = tokio::join!(ask("f"), ask("f"));
        assert!(a.expect("answer") && b.expect("answer"));
        assert!(ask("f").await.expect("kept"));
        assert_eq!(calls.load(Ordering::SeqCst), 1);
        assert!(ask("g").await.expect("another key"));
        assert_eq!(calls.load(Ordering::SeqCst), 2);
    }

    #[tokio::test]
    async fn a_missing_object_is_asked_about_again() {
        let once = Once::default();
        let calls = AtomicUsize::new(0);
        let ask = || {
            once.get("f".to_string(), || async {
                // Missing at first, created by the time of the third ask.
                Ok(calls.fetch_add(1, Ordering::SeqCst) >= 2)
            })
        };
        assert!(!ask().await.expect("answer"));
        assert!(!ask().await.expect("answer"));
        assert!(ask().await.expect("found now"));
        assert!(ask().await.expect("kept"));
        assert_eq!(calls.load(Ordering::SeqCst), 3);
    }
}
