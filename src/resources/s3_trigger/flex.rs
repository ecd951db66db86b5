//! Layer: pure (no I/O). Between `lambdawire_s3_trigger`'s state and the
//! two things it writes: the notification entry ([`LambdaEntry`]) and the
//! statement ([`Grant`]); the ids generated from their content; the state
//! a read gives back (keeping the user's forms), and the state an import
//! id names.

use sha2::{Digest, Sha256};

use crate::aws::s3::{AnyEntry, LambdaEntry};
use crate::lambda::function_ref::parse_function_ref;
use crate::lambda::principal::principal_for_arn;
use crate::lambda::statement::StoredStatement;
use crate::lambda::statement_id::generated_statement_id as content_statement_id;
use crate::plugin::{known, known_list, opt, str_list, text, Value};
use crate::resources::statement::rules::DEFAULT_ACTION;
use crate::resources::statement::{holds, Grant};
use crate::validate::arn;

use super::model::{S3TriggerState, WrittenEntry};

/// Prefix of a generated entry id.
pub const ENTRY_PREFIX: &str = "lw-";
/// Prefix of the grant's statement id.
pub const STATEMENT_PREFIX: &str = "lw-s3-";

/// The first `n` hex digits of the SHA-256 of `parts` as a JSON array (no
/// two different lists serialise to the same text).
fn digest(parts: serde_json::Value, n: usize) -> String {
    Sha256::digest(parts.to_string().as_bytes())
        .iter()
        .take(n / 2)
        .map(|b| format!("{b:02x}"))
        .collect()
}

/// The import id, `<bucket>/<entry id>`.
pub fn import_id(bucket: &str, id: &str) -> String {
    format!("{bucket}/{id}")
}

/// The resource as messages name it.
pub fn label(s: &S3TriggerState) -> String {
    format!("S3 Trigger ({})", import_id(&text(&s.bucket), &text(&s.id)))
}

/// The bucket's ARN (a bucket ARN names neither region nor account).
pub fn bucket_arn(partition: &str, bucket: &str) -> String {
    format!("arn:{partition}:s3:::{bucket}")
}

/// The entry id generated from `s`'s content, once every part is known:
/// the bucket, the function by name (however it is spelt) and qualifier,
/// the event types in any order, and the filters.
pub fn generated_entry_id(s: &S3TriggerState) -> Option<String> {
    let bucket = known(&s.bucket)?;
    let function = parse_function_ref(known(&s.function_name)?).ok()?;
    let mut events = known_list(&s.events)?;
    events.sort();
    let parts = [&s.qualifier, &s.filter_prefix, &s.filter_suffix];
    if parts.iter().any(|v| v.is_unknown()) {
        return None;
    }
    let qualifier = known(&s.qualifier)
        .map(str::to_string)
        .or(function.qualifier);
    let content = serde_json::json!([
        bucket,
        function.name,
        qualifier,
        events,
        known(&s.filter_prefix),
        known(&s.filter_suffix),
    ]);
    Some(format!("{ENTRY_PREFIX}{}", digest(content, 16)))
}

/// The grant's statement id, once the entry id and the statement are
/// known: the statement's content is the same for every trigger of one
/// bucket and function, so the bucket and entry id tell two such triggers'
/// statements apart, and each destroy removes only its own.
pub fn generated_statement_id(s: &S3TriggerState, partition: &str) -> Option<String> {
    let (bucket, id) = (known(&s.bucket)?, known(&s.id)?);
    let parts = [&s.function_name, &s.qualifier, &s.bucket_owner];
    if parts.iter().any(|v| v.is_unknown()) || known(&s.function_name).is_none() {
        return None;
    }
    let prefix = format!(
        "{STATEMENT_PREFIX}{}-",
        digest(serde_json::json!([bucket, id]), 8)
    );
    Some(content_statement_id(
        &prefix,
        &content_grant(s, partition).content(),
    ))
}

/// [`grant`] without the verdict on its id: what the statement grants.
pub fn content_grant(s: &S3TriggerState, partition: &str) -> Grant {
    let source = bucket_arn(partition, &text(&s.bucket));
    // A bucket ARN always names its service: the principal is S3's own.
    let principal = principal_for_arn(&source).unwrap_or_else(|_| "s3.amazonaws.com".into());
    Grant {
        owner_id: import_id(&text(&s.bucket), &text(&s.id)),
        label: label(s),
        function_name: text(&s.function_name),
        qualifier: known(&s.qualifier).map(str::to_string),
        statement_id: text(&s.statement_id),
        action: DEFAULT_ACTION.to_string(),
        principal,
        source_arn: Some(source),
        source_account: known(&s.bucket_owner).map(str::to_string),
        principal_org_id: None,
        function_url_auth_type: None,
        invoked_via_function_url: false,
        id_from_content: false,
    }
}

/// The statement `s` writes (apply time: its values are known).
pub fn grant(s: &S3TriggerState, partition: &str) -> Grant {
    let mut g = content_grant(s, partition);
    g.id_from_content = generated_statement_id(s, partition).is_some_and(|id| id == g.statement_id);
    g
}

/// The entry `s` writes (apply time: its values are known).
pub fn entry(s: &S3TriggerState) -> LambdaEntry {
    LambdaEntry {
        id: text(&s.id),
        function_arn: text(&s.function_arn),
        events: known_list(&s.events).unwrap_or_default(),
        prefix: known(&s.filter_prefix).map(str::to_string),
        suffix: known(&s.filter_suffix).map(str::to_string),
    }
}

/// The record of `e` for private state.
pub fn written(e: &LambdaEntry) -> WrittenEntry {
    WrittenEntry {
        id: e.id.clone(),
        function_arn: e.function_arn.clone(),
        events: e.events.clone(),
        prefix: e.prefix.clone(),
        suffix: e.suffix.clone(),
    }
}

/// Whether `found`, under the state's id, is the entry this resource wrote:
/// the one private state records (its id and function; events and filters
/// changed out of band are still ours, and are planned back), or, with no
/// record, the state's own. An entry of another function, or under an id
/// other than the one written (a hand-edited state), is someone else's.
pub fn is_ours(found: &LambdaEntry, record: Option<&WrittenEntry>, state: &LambdaEntry) -> bool {
    match record {
        Some(w) => found.id == w.id && found.function_arn == w.function_arn,
        None => same_entry(found, state),
    }
}

/// The entry as the overlap rule sees it, once its events and filters are
/// known.
pub fn planned_entry(s: &S3TriggerState) -> Option<AnyEntry> {
    if s.filter_prefix.is_unknown() || s.filter_suffix.is_unknown() {
        return None;
    }
    Some(AnyEntry {
        id: known(&s.id).unwrap_or_default().to_string(),
        events: known_list(&s.events)?,
        prefix: known(&s.filter_prefix).map(str::to_string),
        suffix: known(&s.filter_suffix).map(str::to_string),
    })
}

fn sorted(events: &[String]) -> Vec<&str> {
    let mut all: Vec<&str> = events.iter().map(String::as_str).collect();
    all.sort_unstable();
    all
}

/// Whether two entries say the same: S3 may give the event types back in
/// another order.
pub fn same_entry(a: &LambdaEntry, b: &LambdaEntry) -> bool {
    a.id == b.id
        && a.function_arn == b.function_arn
        && sorted(&a.events) == sorted(&b.events)
        && a.prefix == b.prefix
        && a.suffix == b.suffix
}

/// The state a read of the entry and the statement (`None`: not in the
/// policy) gives, keeping the user's forms where AWS says the same.
pub fn flatten(
    prior: &S3TriggerState,
    remote: &LambdaEntry,
    stored: Option<&StoredStatement>,
    partition: &str,
) -> S3TriggerState {
    let mut s = prior.clone();
    let same_events =
        known_list(&prior.events).is_some_and(|p| sorted(&p) == sorted(&remote.events));
    if !same_events {
        s.events = str_list(remote.events.clone());
    }
    s.filter_prefix = opt(remote.prefix.clone());
    s.filter_suffix = opt(remote.suffix.clone());
    s.function_arn = Value::Value(remote.function_arn.clone());
    match stored {
        Some(stored) => {
            let same =
                stored.sid == text(&prior.statement_id) && holds(stored, &grant(prior, partition));
            if !(same && prior.statement_json.is_value()) {
                s.statement_json = Value::Value(stored.json.clone());
            }
        }
        // The grant is gone: the plan generates its id again and the
        // update adds it back before anything else.
        None => {
            s.statement_id = Value::Null;
            s.statement_json = Value::Null;
        }
    }
    s
}

/// The state an import of `remote` in `bucket` begins with: the function
/// by name when it is in the provider's region and account (the form a
/// configuration usually has), by its unqualified ARN otherwise.
pub fn imported(
    bucket: &str,
    remote: &LambdaEntry,
    region: &str,
    account: Option<&str>,
) -> S3TriggerState {
    let parsed = arn::lambda_function(&remote.function_arn).ok();
    let (function_name, qualifier) = match &parsed {
        Some(f) if f.arn.region == region && Some(f.arn.account) == account => {
            (f.name.to_string(), f.qualifier.map(str::to_string))
        }
        Some(f) => (f.unqualified().to_string(), f.qualifier.map(str::to_string)),
        None => (remote.function_arn.clone(), None),
    };
    S3TriggerState {
        id: Value::Value(remote.id.clone()),
        bucket: Value::Value(bucket.to_string()),
        function_name: Value::Value(function_name),
        qualifier: opt(qualifier),
        events: str_list(remote.events.clone()),
        filter_prefix: opt(remote.prefix.clone()),
        filter_suffix: opt(remote.suffix.clone()),
        bucket_owner: opt(account.map(str::to_string)),
        function_arn: Value::Value(remote.function_arn.clone()),
        ..Default::default()
    }
}

/// `<bucket>/<entry id>` split; the entry id may hold `/`, a bucket name never does.
pub fn parse_import_id(id: &str) -> Result<(&str, &str), String> {
    match id.split_once('/') {
        Some((bucket, entry)) if !bucket.is_empty() && !entry.is_empty() => Ok((bucket, entry)),
        _ => Err(format!(
            "invalid import id {id:?}: the import id is <bucket>/<notification entry id>"
        )),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_the_recorded_entry_is_ours() {
        let ours = LambdaEntry {
            id: "lw-1".into(),
            function_arn: "arn:aws:lambda:us-east-1:123456789012:function:processor".into(),
            events: vec!["s3:ObjectCreated:*".into()],
            prefix: None,
            suffix: None,
        };
        let record = written(&ours);
        // Events changed out of band: still ours, written back.
        let drifted = LambdaEntry {
            events: vec!["s3:ObjectRestore:*".into()],
            ..ours.clone()
        };
        assert!(is_ours(&drifted, Some(&record), &drifted));
        // Another function's entry under the (hand-edited) id: not ours,
        // even when the refreshed state now holds its content.
        let theirs = LambdaEntry {
            id: "theirs".into(),
            function_arn: "arn:aws:lambda:us-east-1:123456789012:function:other".into(),
            ..ours.clone()
        };
        assert!(!is_ours(&theirs, Some(&record), &theirs));
        // No record (an imported state): the state's content decides.
        assert!(is_ours(&theirs, None, &theirs));
        assert!(!is_ours(&theirs, None, &ours));
    }
    use crate::lambda::grant::{audience, risks, Audience, Grant as Meaning};
    use crate::plugin::str_value;

    fn state() -> S3TriggerState {
        S3TriggerState {
            id: str_value("lw-0123456789abcdef"),
            bucket: str_value("uploads"),
            function_name: str_value("processor"),
            events: str_list(["s3:ObjectCreated:*".to_string()]),
            bucket_owner: str_value("123456789012"),
            ..Default::default()
        }
    }

    #[test]
    fn the_grant_is_s3_scoped_to_the_bucket_and_its_owner() {
        let g = grant(&state(), "aws");
        assert_eq!(g.principal, "s3.amazonaws.com");
        assert_eq!(g.source_arn.as_deref(), Some("arn:aws:s3:::uploads"));
        assert_eq!(g.source_account.as_deref(), Some("123456789012"));
        // The one grant-meaning table judges it scoped, with no risk.
        let meaning = Meaning {
            principal: &g.principal,
            action: &g.action,
            function_account: Some("123456789012"),
            source_arn: g.source_arn.as_deref(),
            source_account: g.source_account.as_deref(),
            ..Default::default()
        };
        assert_eq!(audience(&meaning), Audience::ServiceScoped);
        assert_eq!(risks(&meaning), []);
    }

    #[test]
    fn generated_ids_follow_the_content_and_tell_two_triggers_apart() {
        let a = state();
        let id = generated_entry_id(&a).unwrap();
        assert!(id.starts_with("lw-") && id.len() == 19, "{id}");
        let reordered = S3TriggerState {
            events: str_list([
                "s3:ObjectRemoved:*".to_string(),
                "s3:ObjectCreated:*".to_string(),
            ]),
            ..a.clone()
        };
        let reordered_back = S3TriggerState {
            events: str_list([
                "s3:ObjectCreated:*".to_string(),
                "s3:ObjectRemoved:*".to_string(),
            ]),
            ..a.clone()
        };
        assert_eq!(
            generated_entry_id(&reordered),
            generated_entry_id(&reordered_back)
        );
        let by_arn = S3TriggerState {
            function_name: str_value("arn:aws:lambda:us-east-1:123456789012:function:processor"),
            ..a.clone()
        };
        assert_eq!(
            generated_entry_id(&by_arn),
            Some(id.clone()),
            "any spelling"
        );
        let jpg = S3TriggerState {
            filter_suffix: str_value(".jpg"),
            ..a.clone()
        };
        assert_ne!(generated_entry_id(&jpg), Some(id.clone()));
        let unknown = S3TriggerState {
            events: Value::Unknown,
            ..a.clone()
        };
        assert_eq!(generated_entry_id(&unknown), None);

        let sid = generated_statement_id(&a, "aws").unwrap();
        assert!(
            sid.starts_with("lw-s3-") && sid.len() == 6 + 8 + 1 + 16,
            "{sid}"
        );
        let other = S3TriggerState {
            id: str_value("lw-fedcba9876543210"),
            ..a.clone()
        };
        assert_ne!(generated_statement_id(&other, "aws"), Some(sid.clone()));
        let with_sid = S3TriggerState {
            statement_id: Value::Value(sid),
            ..a
        };
        assert!(grant(&with_sid, "aws").id_from_content);
    }

    #[test]
    fn import_ids_and_the_imported_function_form() {
        assert_eq!(parse_import_id("uploads/lw-1"), Ok(("uploads", "lw-1")));
        assert_eq!(parse_import_id("uploads/a/b"), Ok(("uploads", "a/b")));
        assert!(parse_import_id("uploads").is_err());
        assert!(parse_import_id("/x").is_err());
        let remote = LambdaEntry {
            id: "x".into(),
            function_arn: "arn:aws:lambda:us-east-1:123456789012:function:processor:live".into(),
            events: vec!["s3:ObjectCreated:*".into()],
            ..Default::default()
        };
        let here = imported("uploads", &remote, "us-east-1", Some("123456789012"));
        assert_eq!(
            (here.function_name, here.qualifier),
            (str_value("processor"), str_value("live"))
        );
        let there = imported("uploads", &remote, "us-east-1", Some("210987654321"));
        assert_eq!(
            there.function_name,
            str_value("arn:aws:lambda:us-east-1:123456789012:function:processor")
        );
    }

    #[test]
    fn a_read_keeps_the_event_order_and_shows_a_missing_grant() {
        let mut prior = state();
        prior.events = str_list([
            "s3:ObjectRemoved:*".to_string(),
            "s3:ObjectCreated:*".to_string(),
        ]);
        prior.statement_id = str_value("lw-s3-x");
        prior.statement_json = str_value("{}");
        let remote = LambdaEntry {
            id: text(&prior.id),
            function_arn: "arn:aws:lambda:us-east-1:123456789012:function:processor".into(),
            events: vec!["s3:ObjectCreated:*".into(), "s3:ObjectRemoved:*".into()],
            prefix: Some("in/".into()),
            suffix: None,
        };
        let read = flatten(&prior, &remote, None, "aws");
        assert_eq!(read.events, prior.events, "same set: the user's order");
        assert_eq!(read.filter_prefix, str_value("in/"), "drift shows");
        assert_eq!(
            (read.statement_id, read.statement_json),
            (Value::Null, Value::Null)
        );
        assert!(same_entry(
            &remote,
            &LambdaEntry {
                events: vec!["s3:ObjectRemoved:*".into(), "s3:ObjectCreated:*".into()],
                ..remote.clone()
            }
        ));
    }
}
