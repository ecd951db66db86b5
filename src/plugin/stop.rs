//! Graceful stop. Terraform asks a provider to stop (StopProvider) when the
//! user presses Ctrl-C; a terminal's Ctrl-C also sends SIGINT to the whole
//! process group, the provider included, and a supervisor may send SIGTERM.
//! None of these may kill an operation in flight: each cancels one token
//! that every wait and retry loop watches, so that operations return early
//! with what they have done (partial state), and the server starts no new
//! operation (see `server`). The server goes on answering until Terraform
//! closes it; after a SIGTERM, which asks for the process to end, it also
//! exits by itself once every operation in flight has answered.

use std::sync::atomic::{AtomicU64, AtomicUsize, Ordering};
use std::sync::{Arc, OnceLock};
use std::time::Duration;

use tokio_util::sync::CancellationToken;

/// A stop signal: the process has one ([`global`]); tests make their own.
#[derive(Clone, Debug, Default)]
pub struct Stop {
    token: CancellationToken,
    /// The first reason given, set before `token` is cancelled.
    reason: Arc<OnceLock<String>>,
    /// Cancelled when the process is also to end once idle.
    exit: CancellationToken,
}

impl Stop {
    /// Ask every operation watching this to stop early.
    pub fn request(&self, why: &str) {
        if self.reason.set(why.to_string()).is_ok() {
            tracing::warn!(
                reason = why,
                "stop requested: waits and retries end early, no new operation starts"
            );
        }
        self.token.cancel();
    }

    /// [`Stop::request`], and end the process once no operation is in
    /// flight: what SIGTERM asks for.
    pub fn request_exit(&self, why: &str) {
        self.request(why);
        self.exit.cancel();
    }

    /// Whether a stop has been requested: operations end early and new ones are refused.
    pub fn requested(&self) -> bool {
        self.token.is_cancelled()
    }

    /// Why the stop was requested (the first reason), if it was.
    pub fn reason(&self) -> Option<&str> {
        self.reason.get().map(String::as_str)
    }

    /// Resolves once a stop has been requested.
    pub async fn cancelled(&self) {
        self.token.cancelled().await
    }

    /// Resolves once the process has been asked to end.
    pub async fn exit_requested(&self) {
        self.exit.cancelled().await
    }

    /// Sleep for `delay`, or less when a stop is requested. True when the
    /// whole delay passed, false when it was cut short.
    pub async fn sleep(&self, delay: Duration) -> bool {
        if self.requested() {
            return false;
        }
        tokio::select! {
            _ = tokio::time::sleep(delay) => true,
            _ = self.cancelled() => false,
        }
    }
}

/// The operations in flight (RPCs that may call AWS), so that a provider
/// asked to end does so only once it has answered each of them: an answer
/// lost with the process is state Terraform never records.
#[derive(Debug, Default)]
pub struct InFlight {
    running: AtomicUsize,
    started: AtomicU64,
}

/// One operation in flight; it ends when this is dropped.
pub struct Operation<'a>(&'a InFlight);

impl Drop for Operation<'_> {
    fn drop(&mut self) {
        self.0.running.fetch_sub(1, Ordering::SeqCst);
    }
}

impl InFlight {
    /// Count an operation in flight until the returned guard is dropped.
    pub fn start(&self) -> Operation<'_> {
        self.started.fetch_add(1, Ordering::SeqCst);
        self.running.fetch_add(1, Ordering::SeqCst);
        Operation(self)
    }

    /// Resolves once no operation has been in flight, nor started, for
    /// `quiet`: the last answers have gone out, and Terraform, whose next
    /// calls a stopped provider refuses at once, has nothing more to ask.
    pub async fn quiet_for(&self, quiet: Duration) {
        loop {
            let started = self.started.load(Ordering::SeqCst);
            if self.running.load(Ordering::SeqCst) > 0 {
                tokio::time::sleep(Duration::from_millis(50)).await;
                continue;
            }
            tokio::time::sleep(quiet).await;
            if self.running.load(Ordering::SeqCst) == 0
                && self.started.load(Ordering::SeqCst) == started
            {
                return;
            }
        }
    }
}

/// The process's stop signal.
pub fn global() -> &'static Stop {
    static STOP: OnceLock<Stop> = OnceLock::new();
    STOP.get_or_init(Stop::default)
}

/// Turn SIGINT into a stop request instead of an exit: Terraform, which a
/// terminal's Ctrl-C reaches too, collects what the operations in flight
/// return and then shuts the provider down. SIGTERM asks for the process to
/// end, so it also exits once idle ([`Stop::request_exit`]).
#[cfg(unix)]
pub fn watch_signals() -> std::io::Result<()> {
    use tokio::signal::unix::{signal, SignalKind};
    let mut interrupt = signal(SignalKind::interrupt())?;
    tokio::spawn(async move {
        while interrupt.recv().await.is_some() {
            global().request("SIGINT");
        }
    });
    let mut terminate = signal(SignalKind::terminate())?;
    tokio::spawn(async move {
        while terminate.recv().await.is_some() {
            global().request_exit("SIGTERM");
        }
    });
    Ok(())
}

/// Terraform ends the provider with Shutdown; a Terraform that died (OOM,
/// SIGKILL, a cancelled CI job) never will. When the parent changes, stop
/// every operation, give those in flight `grace` to return, and exit, so
/// that no provider is left holding credentials.
#[cfg(unix)]
pub fn exit_when_orphaned(grace: Duration) {
    let parent = std::os::unix::process::parent_id();
    tokio::spawn(async move {
        loop {
            tokio::time::sleep(Duration::from_secs(1)).await;
            if std::os::unix::process::parent_id() != parent {
                global().request("Terraform, the parent process, is gone");
                tokio::time::sleep(grace).await;
                tracing::warn!("exiting: Terraform is gone");
                std::process::exit(1);
            }
        }
    });
}

/// Off Unix there is no `parent_id` to watch: does nothing.
#[cfg(not(unix))]
pub fn exit_when_orphaned(_grace: Duration) {}

/// Off Unix: Ctrl-C requests a stop; there is no SIGTERM to exit on.
#[cfg(not(unix))]
pub fn watch_signals() -> std::io::Result<()> {
    tokio::spawn(async {
        while tokio::signal::ctrl_c().await.is_ok() {
            global().request("Ctrl-C");
        }
    });
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[tokio::test(start_paused = true)]
    async fn a_stop_cuts_sleeps_short_and_later_sleeps_do_not_wait() {
        let stop = Stop::default();
        let start = tokio::time::Instant::now();
        assert!(stop.sleep(Duration::from_millis(10)).await);
        let waiter = {
            let stop = stop.clone();
            tokio::spawn(async move { stop.sleep(Duration::from_secs(3600)).await })
        };
        tokio::time::sleep(Duration::from_secs(1)).await;
        stop.request("test");
        assert!(!waiter.await.unwrap(), "cut short");
        assert!(!stop.sleep(Duration::from_secs(3600)).await);
        assert!(start.elapsed() < Duration::from_secs(2));
        assert!(stop.requested());
        assert!(!global().requested(), "a test's stop is its own");
    }

    #[test]
    fn the_first_reason_is_kept_and_only_an_exit_request_asks_for_an_exit() {
        let stop = Stop::default();
        assert_eq!(stop.reason(), None);
        stop.request("StopProvider");
        stop.request_exit("SIGTERM");
        assert_eq!(stop.reason(), Some("StopProvider"));
        assert!(stop.exit.is_cancelled());
        let interrupted = Stop::default();
        interrupted.request("SIGINT");
        assert!(interrupted.requested() && !interrupted.exit.is_cancelled());
    }

    #[tokio::test(start_paused = true)]
    async fn quiet_only_once_nothing_has_run_or_started_for_the_whole_period() {
        let in_flight = std::sync::Arc::new(InFlight::default());
        let start = tokio::time::Instant::now();
        let worker = {
            let in_flight = in_flight.clone();
            tokio::spawn(async move {
                let first = in_flight.start();
                tokio::time::sleep(Duration::from_secs(3)).await;
                drop(first);
                // A call that comes and goes inside the quiet period
                // starts the period again.
                tokio::time::sleep(Duration::from_secs(1)).await;
                let _second = in_flight.start();
            })
        };
        tokio::task::yield_now().await;
        in_flight.quiet_for(Duration::from_secs(2)).await;
        worker.await.unwrap();
        let waited = start.elapsed();
        assert!(
            waited >= Duration::from_secs(6) && waited < Duration::from_secs(8),
            "the second call ends at 4 s, then 2 s quiet (checked coarsely): {waited:?}"
        );
    }
}
