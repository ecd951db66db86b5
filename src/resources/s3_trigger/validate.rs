//! Plan-time validation of `lambdawire_s3_trigger`: pure, every rule on a
//! known value only, each problem on its attribute path. The vocabulary is
//! S3's: event types from "Supported event types for SQS, SNS, and Lambda"
//! (https://docs.aws.amazon.com/AmazonS3/latest/userguide/notification-how-to-event-types-and-destinations.html),
//! bucket names from "General purpose bucket naming rules"
//! (https://docs.aws.amazon.com/AmazonS3/latest/userguide/bucketnamingrules.html).

use crate::plugin::{known, AttributePath, Problem, Value};
use crate::resources::statement::rules::{check_conditions, check_target, field};
use crate::resources::{check_each, timeouts};
use crate::validate::rules::{run, Row};

use super::model::S3TriggerState;

/// The event types S3 delivers to a Lambda function, wildcards included.
/// `s3:TestEvent` is not one: S3 sends it itself when a configuration is
/// written, and it is no value of the configuration's `Event` (absent
/// from aws-sdk-s3's `Event` enum), so a configuration naming it fails.
pub const EVENT_TYPES: &[&str] = &[
    "s3:ObjectCreated:*",
    "s3:ObjectCreated:Put",
    "s3:ObjectCreated:Post",
    "s3:ObjectCreated:Copy",
    "s3:ObjectCreated:CompleteMultipartUpload",
    "s3:ObjectRemoved:*",
    "s3:ObjectRemoved:Delete",
    "s3:ObjectRemoved:DeleteMarkerCreated",
    "s3:ObjectRestore:*",
    "s3:ObjectRestore:Post",
    "s3:ObjectRestore:Completed",
    "s3:ObjectRestore:Delete",
    "s3:ReducedRedundancyLostObject",
    "s3:Replication:*",
    "s3:Replication:OperationFailedReplication",
    "s3:Replication:OperationMissedThreshold",
    "s3:Replication:OperationReplicatedAfterThreshold",
    "s3:Replication:OperationNotTracked",
    "s3:LifecycleExpiration:*",
    "s3:LifecycleExpiration:Delete",
    "s3:LifecycleExpiration:DeleteMarkerCreated",
    "s3:LifecycleTransition",
    "s3:IntelligentTiering",
    "s3:ObjectTagging:*",
    "s3:ObjectTagging:Put",
    "s3:ObjectTagging:Delete",
    "s3:ObjectAcl:Put",
];

/// S3's limit on a key name, and so on a key filter.
pub const FILTER_MAX: usize = 1024;

/// The longest entry id lambdawire writes.
pub const ID_MAX: usize = 255;

/// A general purpose bucket's name: 3-63 characters of lowercase letters,
/// digits, dots and hyphens, beginning and ending with a letter or digit,
/// no two adjacent dots, not shaped like an IP address.
pub fn bucket_name(s: &str) -> Result<(), String> {
    let allowed = |b: u8| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'.' || b == b'-';
    let edge = |b: Option<&u8>| b.is_some_and(|b| b.is_ascii_lowercase() || b.is_ascii_digit());
    let bytes = s.as_bytes();
    let ip_like = s.split('.').count() == 4 && s.split('.').all(|p| p.parse::<u8>().is_ok());
    if !(3..=63).contains(&s.len())
        || !bytes.iter().copied().all(allowed)
        || !edge(bytes.first())
        || !edge(bytes.last())
        || s.contains("..")
        || ip_like
    {
        return Err(format!(
            "{s:?} is not a bucket name: 3-63 lowercase letters, digits, dots and hyphens, \
             beginning and ending with a letter or digit, no two dots in a row, not an IP \
             address. Give the bucket's name, not its ARN."
        ));
    }
    Ok(())
}

/// One event type S3 accepts for a notification.
pub fn event_type(s: &str) -> Result<(), String> {
    if EVENT_TYPES.contains(&s) {
        return Ok(());
    }
    if s == "s3:TestEvent" {
        return Err(
            "\"s3:TestEvent\" is not an event a notification can subscribe to: S3 sends it \
             once, by itself, when the configuration is written. Remove it."
                .into(),
        );
    }
    Err(format!(
        "{s:?} is not an S3 event type. Use one of: {}.",
        EVENT_TYPES.join(", ")
    ))
}

fn filter(s: &str) -> Result<(), String> {
    if s.is_empty() || s.len() > FILTER_MAX {
        return Err(format!(
            "a key filter is 1-{FILTER_MAX} characters; leave it out (null) to match every key."
        ));
    }
    Ok(())
}

fn entry_id(s: &str) -> Result<(), String> {
    if s.is_empty() || s.len() > ID_MAX || s.chars().any(char::is_control) {
        return Err(format!(
            "an entry id is 1-{ID_MAX} characters without control characters; leave it out \
             (null) to have one generated."
        ));
    }
    Ok(())
}

fn events(c: &S3TriggerState) -> Vec<Problem> {
    let mut problems = Vec::new();
    if let Value::Value(list) = &c.events {
        if list.is_empty() {
            problems.push(Problem::at(
                "events",
                "no events",
                "A notification needs at least one event type, such as \"s3:ObjectCreated:*\".",
            ));
        }
        let mut seen = std::collections::BTreeSet::new();
        for (index, item) in list.iter().enumerate() {
            if let Some(e) = known(item) {
                if !seen.insert(e) {
                    problems.push(Problem::new(
                        AttributePath::new("events").index(index as i64),
                        "duplicate event type",
                        format!("{e:?} is listed twice: give each event type once."),
                    ));
                }
            }
        }
    }
    check_each(&mut problems, "events", &c.events, event_type);
    problems
}

fn target(c: &S3TriggerState) -> Vec<Problem> {
    let mut problems = Vec::new();
    check_target(field(&c.function_name), field(&c.qualifier), &mut problems);
    problems
}

fn owner(c: &S3TriggerState) -> Vec<Problem> {
    let mut problems = Vec::new();
    check_conditions(field(&c.bucket_owner), Value::Null, &mut problems);
    // The rule speaks of the condition; here the attribute is the owner.
    for p in &mut problems {
        p.path = AttributePath::new("bucket_owner");
        p.summary = "Invalid bucket_owner".into();
        p.detail = p.detail.replace("source_account", "bucket_owner");
    }
    problems
}

/// The trigger's checks, in the order their problems are reported.
const RULES: &[Row<S3TriggerState>] = &[
    Row::Text("bucket", |c| &c.bucket, bucket_name),
    Row::Many(target),
    Row::Many(events),
    Row::Text("filter_prefix", |c| &c.filter_prefix, filter),
    Row::Text("filter_suffix", |c| &c.filter_suffix, filter),
    Row::Text("id", |c| &c.id, entry_id),
    Row::Many(owner),
    Row::Many(|c| timeouts::problems(&c.timeouts)),
];

/// Every problem of the configuration, each on its attribute path.
pub fn validate(c: &S3TriggerState) -> Vec<Problem> {
    run(c, RULES)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::plugin::{str_list, str_value};

    fn base() -> S3TriggerState {
        S3TriggerState {
            bucket: str_value("uploads"),
            function_name: str_value("processor"),
            events: str_list(["s3:ObjectCreated:*".to_string()]),
            ..Default::default()
        }
    }

    fn paths(c: &S3TriggerState) -> Vec<String> {
        validate(c).iter().map(Problem::path_text).collect()
    }

    #[test]
    fn a_plain_trigger_is_valid_and_unknowns_are_skipped() {
        assert!(validate(&base()).is_empty());
        let unknown = S3TriggerState {
            bucket: Value::Unknown,
            events: Value::Unknown,
            function_name: Value::Unknown,
            ..base()
        };
        assert!(validate(&unknown).is_empty());
    }

    #[test]
    fn each_rule_names_its_attribute() {
        let table: Vec<(S3TriggerState, &str)> = vec![
            (
                S3TriggerState {
                    bucket: str_value("Uploads"),
                    ..base()
                },
                "bucket",
            ),
            (
                S3TriggerState {
                    bucket: str_value("arn:aws:s3:::uploads"),
                    ..base()
                },
                "bucket",
            ),
            (
                S3TriggerState {
                    bucket: str_value("192.168.1.1"),
                    ..base()
                },
                "bucket",
            ),
            (
                S3TriggerState {
                    bucket: str_value("a..b"),
                    ..base()
                },
                "bucket",
            ),
            (
                S3TriggerState {
                    events: str_list(["s3:ObjectCreated".to_string()]),
                    ..base()
                },
                "events[0]",
            ),
            (
                S3TriggerState {
                    events: str_list([]),
                    ..base()
                },
                "events",
            ),
            (
                S3TriggerState {
                    events: str_list([
                        "s3:ObjectCreated:*".to_string(),
                        "s3:ObjectCreated:*".to_string(),
                    ]),
                    ..base()
                },
                "events[1]",
            ),
            (
                S3TriggerState {
                    filter_prefix: str_value(""),
                    ..base()
                },
                "filter_prefix",
            ),
            (
                S3TriggerState {
                    filter_suffix: str_value(&"x".repeat(1025)),
                    ..base()
                },
                "filter_suffix",
            ),
            (
                S3TriggerState {
                    id: str_value(""),
                    ..base()
                },
                "id",
            ),
            (
                S3TriggerState {
                    bucket_owner: str_value("12345"),
                    ..base()
                },
                "bucket_owner",
            ),
            (
                S3TriggerState {
                    qualifier: str_value("$LATEST"),
                    ..base()
                },
                "qualifier",
            ),
            (
                S3TriggerState {
                    function_name: str_value("not a function"),
                    ..base()
                },
                "function_name",
            ),
        ];
        for (config, path) in table {
            assert_eq!(paths(&config), [path], "{config:?}");
        }
    }

    #[test]
    fn every_listed_event_type_is_accepted() {
        for e in EVENT_TYPES {
            assert!(event_type(e).is_ok(), "{e}");
        }
        assert!(event_type("s3:ObjectCreated:put").is_err(), "case matters");
        assert!(
            event_type("s3:TestEvent").is_err(),
            "S3 sends it, nobody subscribes"
        );
    }
}
