//! A keyed async lock: one mutex per key, created on demand and dropped when
//! nobody holds or waits for it. Lambda permissions use it so that every edit
//! of one function's policy inside this provider runs one at a time.

use std::collections::HashMap;
use std::sync::{Arc, Mutex};

use tokio::sync::{Mutex as AsyncMutex, OwnedMutexGuard};

use crate::plugin::stop::Stop;

/// The lock: one async mutex per key (for permissions, a function and qualifier
/// however spelled), held by one [`KeyGuard`] at a time.
#[derive(Default)]
pub struct KeyedLock {
    slots: Mutex<HashMap<String, Arc<AsyncMutex<()>>>>,
}

/// Held while the caller owns the key; frees the slot when the last user goes.
pub struct KeyGuard<'a> {
    owner: &'a KeyedLock,
    key: String,
    guard: Option<OwnedMutexGuard<()>>,
}

impl KeyedLock {
    /// The key's turn, or `None` when `stop` is requested first: an edit
    /// still waiting behind others when the user presses Ctrl-C has done
    /// nothing yet, so it gives up instead of running after the stop
    /// (at `-parallelism=50` on one function, that queue is long).
    pub async fn lock(&self, key: &str, stop: &Stop) -> Option<KeyGuard<'_>> {
        let acquired = {
            let slot = {
                let mut slots = self
                    .slots
                    .lock()
                    .unwrap_or_else(|poisoned| poisoned.into_inner());
                slots.entry(key.to_string()).or_default().clone()
            };
            if stop.requested() {
                None
            } else {
                tokio::select! {
                    guard = slot.lock_owned() => Some(guard),
                    _ = stop.cancelled() => None,
                }
            }
        };
        // Built either way, so that a wait that gave up frees the slot too.
        let held = KeyGuard {
            owner: self,
            key: key.to_string(),
            guard: acquired,
        };
        held.guard.is_some().then_some(held)
    }

    /// Number of keys currently held or waited for.
    pub fn active_keys(&self) -> usize {
        self.slots.lock().map(|s| s.len()).unwrap_or(0)
    }
}

impl Drop for KeyGuard<'_> {
    fn drop(&mut self) {
        drop(self.guard.take());
        let mut slots = self
            .owner
            .slots
            .lock()
            .unwrap_or_else(|poisoned| poisoned.into_inner());
        // Only the map holds a reference once nobody holds or awaits the slot.
        if slots
            .get(&self.key)
            .is_some_and(|slot| Arc::strong_count(slot) == 1)
        {
            slots.remove(&self.key);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::sync::atomic::{AtomicUsize, Ordering};
    use std::time::Duration;

    #[tokio::test(start_paused = true)]
    async fn same_key_runs_one_at_a_time() {
        let lock = Arc::new(KeyedLock::default());
        let inside = Arc::new(AtomicUsize::new(0));
        let max_inside = Arc::new(AtomicUsize::new(0));
        let mut tasks = Vec::new();
        for _ in 0..8 {
            let (lock, inside, max_inside) = (lock.clone(), inside.clone(), max_inside.clone());
            tasks.push(tokio::spawn(async move {
                let _guard = lock.lock("fn-a", &Stop::default()).await;
                let now = inside.fetch_add(1, Ordering::SeqCst) + 1;
                max_inside.fetch_max(now, Ordering::SeqCst);
                tokio::time::sleep(Duration::from_millis(10)).await;
                inside.fetch_sub(1, Ordering::SeqCst);
            }));
        }
        for task in tasks {
            task.await.unwrap();
        }
        assert_eq!(max_inside.load(Ordering::SeqCst), 1);
        assert_eq!(lock.active_keys(), 0, "slots are freed after use");
    }

    #[tokio::test(start_paused = true)]
    async fn different_keys_run_in_parallel() {
        let lock = Arc::new(KeyedLock::default());
        let start = tokio::time::Instant::now();
        let a = {
            let lock = lock.clone();
            tokio::spawn(async move {
                let _g = lock.lock("fn-a", &Stop::default()).await;
                tokio::time::sleep(Duration::from_secs(1)).await;
            })
        };
        let b = {
            let lock = lock.clone();
            tokio::spawn(async move {
                let _g = lock.lock("fn-b", &Stop::default()).await;
                tokio::time::sleep(Duration::from_secs(1)).await;
            })
        };
        a.await.unwrap();
        b.await.unwrap();
        assert_eq!(start.elapsed(), Duration::from_secs(1));
    }

    #[tokio::test(start_paused = true)]
    async fn a_wait_gives_up_on_a_stop_and_frees_its_slot() {
        let lock = Arc::new(KeyedLock::default());
        let stop = Stop::default();
        let holder = lock.lock("fn-a", &stop).await.expect("free");
        let waiter = {
            let (lock, stop) = (lock.clone(), stop.clone());
            tokio::spawn(async move { lock.lock("fn-a", &stop).await.is_some() })
        };
        tokio::time::sleep(Duration::from_millis(10)).await;
        stop.request("test");
        assert!(!waiter.await.unwrap(), "the waiting edit never starts");
        assert!(lock.lock("fn-b", &stop).await.is_none(), "nor a new one");
        drop(holder);
        assert_eq!(lock.active_keys(), 0, "slots are freed");
    }
}
