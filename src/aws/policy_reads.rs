//! GetPolicy answers shared within one provider process.
//!
//! A refresh reads every permission of a function, and each Read would
//! otherwise fetch the same resource policy: 100 permissions on one
//! function made 100 GetPolicy calls per plan. Reads of one function's
//! policy now share one request while it is in flight, and its answer for a
//! short time after. Any write of a policy by this process (AddPermission,
//! RemovePermission, whatever its outcome) forgets every answer, so a read
//! after our own write always goes to Lambda. A change made outside this
//! process during one command is seen by the next command, as with any
//! refresh.

use std::collections::HashMap;
use std::future::Future;
use std::sync::{Arc, Mutex};
use std::time::Duration;

use tokio::sync::OnceCell;
use tokio::time::Instant;

use super::error::AwsError;

/// How long an answer is shared: one refresh of a large configuration.
const FRESH_FOR: Duration = Duration::from_secs(30);

/// A policy as GetPolicy gave it (text and revision), `None` for none.
pub type Policy = Option<(String, Option<String>)>;

type Cell = Arc<OnceCell<Result<Policy, AwsError>>>;

struct Entry {
    generation: u64,
    fetched: Instant,
    cell: Cell,
}

#[derive(Default)]
struct Inner {
    generation: u64,
    entries: HashMap<(String, Option<String>), Entry>,
}

/// The GetPolicy answers of one provider instance, by function and qualifier:
/// one request per policy in flight, shared for 30 seconds, forgotten at any
/// policy write (see the module header).
#[derive(Default)]
pub struct PolicyReads {
    inner: Mutex<Inner>,
}

impl PolicyReads {
    fn lock(&self) -> std::sync::MutexGuard<'_, Inner> {
        self.inner.lock().unwrap_or_else(|e| e.into_inner())
    }

    /// The policy of `function` (as named) at `qualifier`: a shared answer
    /// when one is fresh or in flight, else `fetch`'s. A failed fetch is not
    /// kept: the next read asks again.
    pub async fn get<F, Fut>(
        &self,
        function: &str,
        qualifier: Option<&str>,
        fetch: F,
    ) -> Result<Policy, AwsError>
    where
        F: FnOnce() -> Fut,
        Fut: Future<Output = Result<Policy, AwsError>>,
    {
        let key = (function.to_string(), qualifier.map(str::to_string));
        let (cell, generation) = {
            let mut inner = self.lock();
            let generation = inner.generation;
            let reusable = inner
                .entries
                .get(&key)
                .filter(|e| e.generation == generation && e.fetched.elapsed() < FRESH_FOR);
            match reusable {
                Some(entry) => (entry.cell.clone(), generation),
                None => {
                    let cell = Cell::default();
                    inner.entries.insert(
                        key.clone(),
                        Entry {
                            generation,
                            fetched: Instant::now(),
                            cell: cell.clone(),
                        },
                    );
                    (cell, generation)
                }
            }
        };
        let result = cell.get_or_init(fetch).await.clone();
        if result.is_err() {
            let mut inner = self.lock();
            let same = inner
                .entries
                .get(&key)
                .is_some_and(|e| e.generation == generation && Arc::ptr_eq(&e.cell, &cell));
            if same {
                inner.entries.remove(&key);
            }
        }
        result
    }

    /// Whether this process has written a policy: only an apply does, so a
    /// plan-time check that runs after it is the re-plan Terraform makes
    /// just before applying a resource, which the apply's own write
    /// settles anyway.
    pub fn written(&self) -> bool {
        self.lock().generation > 0
    }

    /// Forget every answer: this process has written a policy.
    pub fn invalidate(&self) {
        let mut inner = self.lock();
        inner.generation += 1;
        inner.entries.clear();
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::aws::error::ErrorKind;
    use std::sync::atomic::{AtomicUsize, Ordering};

    fn policy(text: &str) -> Policy {
        Some((text.to_string(), None))
    }

    #[test]
    fn a_write_is_remembered() {
        let reads = PolicyReads::default();
        assert!(!reads.written());
        reads.invalidate();
        assert!(reads.written());
    }

    #[tokio::test]
    async fn concurrent_and_later_reads_share_one_request() {
        let reads = PolicyReads::default();
        let calls = AtomicUsize::new(0);
        let fetch = || async {
            calls.fetch_add(1, Ordering::SeqCst);
            tokio::time::sleep(Duration::from_millis(20)).await;
            Ok(policy("p1"))
        };
        let (a, b, c) = tokio::join!(
            reads.get("f", None, fetch),
            reads.get("f", None, fetch),
            reads.get("f", None, fetch),
        );
        assert_eq!(
            (a.unwrap(), b.unwrap(), c.unwrap()),
            (policy("p1"), policy("p1"), policy("p1"))
        );
        assert_eq!(reads.get("f", None, fetch).await.unwrap(), policy("p1"));
        assert_eq!(calls.load(Ordering::SeqCst), 1);
        // Another function, or another qualifier, is another policy.
        reads.get("g", None, fetch).await.unwrap();
        reads.get("f", Some("live"), fetch).await.unwrap();
        assert_eq!(calls.load(Ordering::SeqCst), 3);
    }

    #[tokio::test]
    async fn a_write_makes_the_next_read_go_to_lambda() {
        let reads = PolicyReads::default();
        assert_eq!(
            reads
                .get("f", None, || async { Ok(policy("before")) })
                .await
                .unwrap(),
            policy("before")
        );
        reads.invalidate();
        assert_eq!(
            reads
                .get("f", None, || async { Ok(policy("after")) })
                .await
                .unwrap(),
            policy("after")
        );
    }

    #[tokio::test]
    async fn a_read_in_flight_during_a_write_is_not_shared_after_it() {
        let reads = Arc::new(PolicyReads::default());
        let (started_tx, started_rx) = tokio::sync::oneshot::channel::<()>();
        let (release_tx, release_rx) = tokio::sync::oneshot::channel::<()>();
        let slow = {
            let reads = reads.clone();
            tokio::spawn(async move {
                reads
                    .get("f", None, || async move {
                        let _ = started_tx.send(());
                        let _ = release_rx.await;
                        Ok(policy("stale"))
                    })
                    .await
            })
        };
        started_rx.await.unwrap();
        reads.invalidate();
        let _ = release_tx.send(());
        assert_eq!(slow.await.unwrap().unwrap(), policy("stale"));
        assert_eq!(
            reads
                .get("f", None, || async { Ok(policy("fresh")) })
                .await
                .unwrap(),
            policy("fresh")
        );
    }

    #[tokio::test]
    async fn a_failed_read_is_not_kept() {
        let reads = PolicyReads::default();
        let failed = reads
            .get("f", None, || async {
                Err(AwsError {
                    operation: "GetPolicy",
                    code: "ThrottlingException".into(),
                    message: String::new(),
                    request_id: None,
                    kind: ErrorKind::Throttled,
                })
            })
            .await;
        assert!(failed.is_err());
        assert_eq!(
            reads
                .get("f", None, || async { Ok(policy("p")) })
                .await
                .unwrap(),
            policy("p")
        );
    }

    #[tokio::test(start_paused = true)]
    async fn an_answer_is_shared_for_a_short_time_only() {
        let reads = PolicyReads::default();
        reads
            .get("f", None, || async { Ok(policy("old")) })
            .await
            .unwrap();
        tokio::time::advance(FRESH_FOR + Duration::from_secs(1)).await;
        assert_eq!(
            reads
                .get("f", None, || async { Ok(policy("new")) })
                .await
                .unwrap(),
            policy("new")
        );
    }
}
