//! Logging to stderr in the format Terraform's plugin client understands.
//!
//! go-plugin parses each stderr line that is a JSON object with `@level`,
//! `@message` and `@timestamp` (hclog's JSON format) and re-logs it at that
//! level, so `TF_LOG_PROVIDER=DEBUG` shows our lines with their level. Any
//! other line would be logged at DEBUG without structure. stdout is reserved
//! for the handshake line, so nothing here may ever write to it.

use std::fmt::Write as _;
use std::io::Write as _;

use tracing::field::{Field, Visit};
use tracing::{Event, Level, Subscriber};
use tracing_subscriber::filter::{LevelFilter, Targets};
use tracing_subscriber::layer::{Context, SubscriberExt};
use tracing_subscriber::util::SubscriberInitExt;
use tracing_subscriber::Layer;

/// Install the stderr logger. Safe to call once; later calls are no-ops.
pub fn init() {
    // anyhow captures a backtrace when RUST_BACKTRACE is set (it is on some
    // machines): users must never read stack traces in a diagnostic.
    std::env::set_var("RUST_LIB_BACKTRACE", "0");
    let level = level_from_env(|name| std::env::var(name).ok());
    let _ = tracing_subscriber::registry()
        .with(HclogJson.with_filter(filter(level)))
        .try_init();
}

/// Our own lines at the level asked for; dependencies at most INFO, and
/// the SDK's runtime and signer at most WARN whatever the level: at DEBUG
/// they print resolved identities (access key ids) and at TRACE request and
/// response bodies. What a reader needs of each call, operation, status and
/// request id, comes from our own interceptor (`aws::log`).
fn filter(level: LevelFilter) -> Targets {
    let quiet = LevelFilter::WARN.min(level);
    Targets::new()
        .with_target("lambdawire", level)
        .with_target("aws_smithy_runtime", quiet)
        .with_target("aws_smithy_runtime_api", quiet)
        .with_target("aws_smithy_http", quiet)
        .with_target("aws_sigv4", quiet)
        .with_target("aws_config", quiet)
        .with_target("aws_credential_types", quiet)
        .with_default(LevelFilter::INFO.min(level))
}

/// Terraform passes the user's log settings through the environment:
/// `TF_LOG_PROVIDER` wins over `TF_LOG`; `JSON` means TRACE. Unset means WARN,
/// which Terraform drops anyway unless logging is on.
pub fn level_from_env(get: impl Fn(&str) -> Option<String>) -> LevelFilter {
    let raw = get("TF_LOG_PROVIDER")
        .filter(|v| !v.is_empty())
        .or_else(|| get("TF_LOG").filter(|v| !v.is_empty()));
    match raw.map(|v| v.to_ascii_uppercase()).as_deref() {
        Some("TRACE") | Some("JSON") => LevelFilter::TRACE,
        Some("DEBUG") => LevelFilter::DEBUG,
        Some("INFO") => LevelFilter::INFO,
        Some("WARN") => LevelFilter::WARN,
        Some("ERROR") => LevelFilter::ERROR,
        Some("OFF") => LevelFilter::OFF,
        _ => LevelFilter::WARN,
    }
}

struct HclogJson;

impl<S: Subscriber> Layer<S> for HclogJson {
    fn on_event(&self, event: &Event<'_>, _ctx: Context<'_, S>) {
        let line = render_line(event.metadata().level(), event.metadata().target(), |v| {
            event.record(v)
        });
        // One write per line so concurrent events never interleave.
        let _ = std::io::stderr().lock().write_all(line.as_bytes());
    }
}

/// Render one event as a single hclog JSON line (with trailing newline).
fn render_line(level: &Level, target: &str, record: impl FnOnce(&mut FieldCollector)) -> String {
    let mut fields = FieldCollector::default();
    record(&mut fields);
    let mut object = serde_json::Map::new();
    object.insert("@level".into(), level_name(level).into());
    object.insert("@message".into(), fields.message.into());
    object.insert("@module".into(), format!("lambdawire.{target}").into());
    object.insert("@timestamp".into(), timestamp().into());
    for (key, value) in fields.extra {
        object.insert(key, value.into());
    }
    let mut line = serde_json::Value::Object(object).to_string();
    line.push('\n');
    line
}

fn level_name(level: &Level) -> &'static str {
    match *level {
        Level::TRACE => "trace",
        Level::DEBUG => "debug",
        Level::INFO => "info",
        Level::WARN => "warn",
        Level::ERROR => "error",
    }
}

fn timestamp() -> String {
    chrono::Utc::now()
        .format("%Y-%m-%dT%H:%M:%S%.6fZ")
        .to_string()
}

#[derive(Default)]
struct FieldCollector {
    message: String,
    extra: Vec<(String, String)>,
}

impl Visit for FieldCollector {
    fn record_str(&mut self, field: &Field, value: &str) {
        if field.name() == "message" {
            self.message.push_str(value);
        } else {
            self.extra
                .push((field.name().to_string(), value.to_string()));
        }
    }

    fn record_debug(&mut self, field: &Field, value: &dyn std::fmt::Debug) {
        let mut text = String::new();
        let _ = write!(text, "{value:?}");
        if field.name() == "message" {
            self.message.push_str(&text);
        } else {
            self.extra.push((field.name().to_string(), text));
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_sdk_runtime_stays_at_warn_even_at_trace() {
        let f = filter(LevelFilter::TRACE);
        assert!(f.would_enable("lambdawire::plugin", &Level::TRACE));
        assert!(!f.would_enable(
            "aws_smithy_runtime::client::orchestrator::endpoints",
            &Level::DEBUG
        ));
        assert!(!f.would_enable("aws_sigv4::http_request", &Level::DEBUG));
        assert!(!f.would_enable("hyper::proto", &Level::DEBUG));
        assert!(f.would_enable("hyper::proto", &Level::INFO));
        let quiet = filter(LevelFilter::WARN);
        assert!(!quiet.would_enable("lambdawire", &Level::INFO));
    }

    fn env(pairs: &'static [(&'static str, &'static str)]) -> impl Fn(&str) -> Option<String> {
        move |name| {
            pairs
                .iter()
                .find(|(k, _)| *k == name)
                .map(|(_, v)| v.to_string())
        }
    }

    #[test]
    fn provider_level_wins_over_core_level() {
        let get = env(&[("TF_LOG", "ERROR"), ("TF_LOG_PROVIDER", "debug")]);
        assert_eq!(level_from_env(get), LevelFilter::DEBUG);
    }

    #[test]
    fn json_means_trace_and_unset_means_warn() {
        assert_eq!(
            level_from_env(env(&[("TF_LOG", "json")])),
            LevelFilter::TRACE
        );
        assert_eq!(level_from_env(env(&[])), LevelFilter::WARN);
        assert_eq!(
            level_from_env(env(&[("TF_LOG", "bogus")])),
            LevelFilter::WARN
        );
    }

    #[test]
    fn a_line_is_one_hclog_json_object() {
        let line = render_line(&Level::DEBUG, "lambdawire::aws", |fields| {
            fields.message = "CreateRole succeeded".into();
            fields.extra.push(("request_id".into(), "abc-123".into()));
        });
        assert!(line.ends_with('\n'));
        assert_eq!(line.matches('\n').count(), 1);
        let parsed: serde_json::Value = serde_json::from_str(line.trim_end()).unwrap();
        assert_eq!(parsed["@level"], "debug");
        assert_eq!(parsed["@message"], "CreateRole succeeded");
        assert_eq!(parsed["request_id"], "abc-123");
        assert!(parsed["@timestamp"].as_str().unwrap().ends_with('Z'));
    }
}
