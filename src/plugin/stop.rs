//! Graceful stop. Terraform asks a provider to stop (StopProvider) when the
//! user presses Ctrl-C; a terminal's Ctrl-C also sends SIGINT to the whole
//! process group, the provider included, and a supervisor may send SIGTERM.
//! None of these may kill an operation in flight: each cancels one token
//! that every wait and retry loop watches, so that operations return early
//! with what they have done (partial state), and the server goes on serving
//! until Terraform closes it.

use std::sync::OnceLock;
use std::time::Duration;

use tokio_util::sync::CancellationToken;

/// A stop signal: the process has one ([`global`]); tests make their own.
#[derive(Clone, Debug, Default)]
pub struct Stop(CancellationToken);

impl Stop {
    /// Ask every operation watching this to stop early.
    pub fn request(&self, why: &str) {
        if !self.0.is_cancelled() {
            tracing::warn!(reason = why, "stop requested: waits and retries end early");
        }
        self.0.cancel();
    }

    pub fn requested(&self) -> bool {
        self.0.is_cancelled()
    }

    /// Resolves once a stop has been requested.
    pub async fn cancelled(&self) {
        self.0.cancelled().await
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

/// The process's stop signal.
pub fn global() -> &'static Stop {
    static STOP: OnceLock<Stop> = OnceLock::new();
    STOP.get_or_init(Stop::default)
}

/// Turn SIGINT and SIGTERM into a stop request instead of an exit.
#[cfg(unix)]
pub fn watch_signals() -> std::io::Result<()> {
    use tokio::signal::unix::{signal, SignalKind};
    for (kind, name) in [
        (SignalKind::interrupt(), "SIGINT"),
        (SignalKind::terminate(), "SIGTERM"),
    ] {
        let mut stream = signal(kind)?;
        tokio::spawn(async move {
            while stream.recv().await.is_some() {
                global().request(name);
            }
        });
    }
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

#[cfg(not(unix))]
pub fn exit_when_orphaned(_grace: Duration) {}

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
}
