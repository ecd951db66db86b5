//! What every resource's AWS steps share: a failed step with what we were
//! doing, and the unique names Terraform users expect for generated ids.

use std::sync::atomic::{AtomicU32, Ordering};

use crate::plugin::Diagnostics;

use crate::aws::lock::{KeyGuard, KeyedLock};
use crate::aws::{AwsError, ErrorKind};

/// A failed step: what we were doing (for the diagnostic summary) and why.
#[derive(Debug)]
pub struct StepError {
    /// What the step was doing, `creating Scheduler Schedule (default/x)`:
    /// the diagnostic's summary starts with it.
    pub doing: String,
    /// AWS's refusal, or the provider's own reason in the same shape.
    pub error: AwsError,
}

/// Wrap an AWS error with what we were doing.
pub fn step(doing: impl Into<String>) -> impl FnOnce(AwsError) -> StepError {
    let doing = doing.into();
    move |error| StepError { doing, error }
}

/// Report every failed step as an error diagnostic.
pub fn report_steps(diags: &mut Diagnostics, errors: Vec<StepError>) {
    for failure in errors {
        failure.error.report(diags, &failure.doing);
    }
}

/// An object of the chosen name exists that this resource cannot prove its
/// own (SPEC: ownership is proven, never inferred from a name alone). The
/// message gives the import id: after an interrupted apply the object may
/// well be this configuration's, and importing it is how to say so.
pub fn not_recorded(
    operation: &'static str,
    code: &str,
    what: &str,
    import_id: &str,
    request_id: Option<String>,
) -> AwsError {
    not_recorded_unless(
        operation,
        code,
        what,
        import_id,
        "choose another name",
        request_id,
    )
}

/// [`not_recorded`] for an object that has no name of its own to change:
/// `otherwise` says what to do when it is not this resource's.
pub fn not_recorded_unless(
    operation: &'static str,
    code: &str,
    what: &str,
    import_id: &str,
    otherwise: &str,
    request_id: Option<String>,
) -> AwsError {
    AwsError {
        operation,
        code: code.to_string(),
        message: format!(
            "{what} already exists and no Terraform state records it. If it belongs to this \
             resource (an apply that was interrupted), import it with the id {import_id}: \
             terraform import <this resource's address> {import_id} (or an import block with \
             id = \"{import_id}\"). Otherwise {otherwise}: two configurations never share \
             one object."
        ),
        request_id,
        kind: ErrorKind::AlreadyExists,
    }
}

/// `key`'s turn in `lock` (edits of one object run one at a time inside
/// this provider), or, when a stop comes first, the error that says the
/// step (`doing`, about to call `operation`) was not started.
pub async fn turn<'l>(
    lock: &'l KeyedLock,
    key: &str,
    doing: String,
    operation: &'static str,
) -> Result<KeyGuard<'l>, StepError> {
    let stop = crate::plugin::stop::global();
    lock.lock(key, stop).await.ok_or_else(|| StepError {
        doing,
        error: AwsError {
            operation,
            code: "NotStarted".into(),
            message: format!(
                "lambdawire is stopping ({}): this edit was waiting its turn and made no call; \
                 run the command again to finish",
                stop.reason().unwrap_or("a stop request")
            ),
            request_id: None,
            kind: ErrorKind::Other,
        },
    })
}

/// A unique name: prefix + 26 characters (UTC time to 1/10000 s and a mixed
/// per-process counter), the shape Terraform providers generate.
pub fn unique_name(prefix: &str) -> String {
    static COUNTER: AtomicU32 = AtomicU32::new(0);
    let now = chrono::Utc::now();
    let count = COUNTER.fetch_add(1, Ordering::Relaxed);
    let mix = count.wrapping_mul(0x9E37_79B9) ^ now.timestamp_subsec_nanos() ^ std::process::id();
    format!(
        "{prefix}{}{:04}{:08x}",
        now.format("%Y%m%d%H%M%S"),
        now.timestamp_subsec_micros() / 100,
        mix
    )
}

/// Length of the suffix [`unique_name`] appends.
const UNIQUE_SUFFIX_LEN: usize = 26;

/// The prefix of a name [`unique_name`] made, or `None` when the name does
/// not end in such a suffix (18 digits of time, 8 lowercase hex digits).
pub fn generated_prefix(name: &str) -> Option<&str> {
    let split = name.len().checked_sub(UNIQUE_SUFFIX_LEN)?;
    let (prefix, suffix) = (name.get(..split)?, name.get(split..)?);
    if !suffix.is_ascii() {
        return None;
    }
    let (time, mix) = suffix.split_at(18);
    let hex = |c: char| c.is_ascii_digit() || ('a'..='f').contains(&c);
    (time.chars().all(|c| c.is_ascii_digit()) && mix.chars().all(hex)).then_some(prefix)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_prefix_of_a_generated_name_is_recovered() {
        let name = unique_name("lambdawire-exec-");
        assert_eq!(generated_prefix(&name), Some("lambdawire-exec-"));
        assert_eq!(generated_prefix(&unique_name("")), Some(""));
        assert_eq!(
            generated_prefix("team-202401011200000001a2b3c4d5"),
            Some("team-")
        );
        assert_eq!(generated_prefix("processor-exec"), None);
        assert_eq!(
            generated_prefix("team-202401011200000001A2B3C4D5"),
            None,
            "upper-case hex"
        );
        assert_eq!(
            generated_prefix("team-2024010112000000x1a2b3c4d5"),
            None,
            "not a time"
        );
        assert_eq!(
            generated_prefix("team-2024010112000000ä1a2b3c4"),
            None,
            "not ASCII"
        );
        assert_eq!(
            generated_prefix("202401011200000001a2b3c4d"),
            None,
            "too short"
        );
    }

    #[test]
    fn unique_names_have_a_26_character_suffix_and_differ() {
        let a = unique_name("job-");
        let b = unique_name("job-");
        assert_eq!(a.len(), "job-".len() + 26);
        assert_ne!(a, b);
        assert!(a.chars().all(|c| c.is_ascii_alphanumeric() || c == '-'));
    }
}
