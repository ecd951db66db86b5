//! Plan-time validation of `lambdawire_sqs_event_source`: pure, every rule
//! on a known value only, each problem on its attribute path. The limits
//! are Lambda's, from the CreateEventSourceMapping reference and "Lambda
//! parameters for Amazon SQS event source mappings"
//! (https://docs.aws.amazon.com/lambda/latest/dg/services-sqs-parameters.html).

use crate::lambda::function_ref::parse_function_ref;
use crate::plugin::{known, AttributePath, Problem, Value};
use crate::resources::timeouts;
use crate::validate::arn;
use crate::validate::names;
use crate::validate::rules::{json_object, run, Row};

use super::model::SqsEventSourceState;

/// BatchSize's range for a standard queue (CreateEventSourceMapping).
pub const BATCH_SIZE: (i64, i64) = (1, 10_000);
/// A FIFO queue's batches hold at most 10 messages.
pub const FIFO_BATCH_SIZE_MAX: i64 = 10;
/// "when you set BatchSize to a value greater than 10, you must set
/// MaximumBatchingWindowInSeconds to at least 1" (CreateEventSourceMapping).
pub const BATCH_SIZE_WITHOUT_WINDOW_MAX: i64 = 10;
/// MaximumBatchingWindowInSeconds's range, in seconds.
pub const BATCHING_WINDOW: (i64, i64) = (0, 300);
/// ScalingConfig's MaximumConcurrency range.
pub const MAXIMUM_CONCURRENCY: (i64, i64) = (2, 1000);
/// Lambda's default quota is 5 filters per mapping, raised to at most 10 on
/// request (https://docs.aws.amazon.com/lambda/latest/dg/invocation-eventfiltering.html):
/// above 10 is always wrong, between 6 and 10 only Lambda knows.
pub const FILTERS_MAX: usize = 10;

/// An ARN that becomes a granted `Resource` names one object: no `*` or `?`
/// anywhere in it.
fn no_wildcard(text: &str) -> Result<(), String> {
    if text.contains(['*', '?']) {
        Err(format!(
            "{text:?} contains a wildcard: the grant must name exactly one object."
        ))
    } else {
        Ok(())
    }
}

fn queue(text: &str) -> Result<(), String> {
    arn::sqs_queue(text)?;
    no_wildcard(text)
}

/// Only a key ARN: IAM matches `kms:Decrypt` against the key, so a grant
/// on an alias ARN would allow nothing.
fn kms_key(text: &str) -> Result<(), String> {
    let key = arn::kms_key(text)?;
    if !key.resource.starts_with("key/") {
        return Err(format!(
            "{text:?} is an alias: give the key's own ARN (arn:<partition>:kms:<region>:<account>:key/<key id>), which kms:Decrypt is granted on."
        ));
    }
    no_wildcard(text)
}

/// A FIFO queue's name ends in `.fifo`.
pub fn is_fifo(queue_arn: &str) -> bool {
    queue_arn.ends_with(".fifo")
}

fn filter_pattern(text: &str) -> Result<(), String> {
    json_object(
        text,
        "a filter pattern",
        "jsonencode({ body = { kind = [\"order\"] } })",
    )
}

/// The mapping's checks, in the order their problems are reported.
const RULES: &[Row<SqsEventSourceState>] = &[
    Row::Text(
        "function_name",
        |c| &c.function_name,
        |t| parse_function_ref(t).map(|_| ()),
    ),
    Row::Text("queue_arn", |c| &c.queue_arn, queue),
    Row::One(queue_in_function_region),
    Row::Text("role_name", |c| &c.role_name, names::iam_role_name),
    Row::Range("batch_size", |c| &c.batch_size, BATCH_SIZE),
    Row::Range(
        "maximum_batching_window_in_seconds",
        |c| &c.maximum_batching_window_in_seconds,
        BATCHING_WINDOW,
    ),
    Row::Range(
        "maximum_concurrency",
        |c| &c.maximum_concurrency,
        MAXIMUM_CONCURRENCY,
    ),
    Row::One(batch_size_for_queue_and_window),
    Row::One(fifo_without_window),
    Row::Many(filter_patterns),
    Row::Text("kms_key_arn", |c| &c.kms_key_arn, kms_key),
    Row::Many(|c| timeouts::problems(&c.timeouts)),
];

/// Every problem of the configuration, each on its attribute path.
pub fn validate(c: &SqsEventSourceState) -> Vec<Problem> {
    run(c, RULES)
}

fn queue_in_function_region(c: &SqsEventSourceState) -> Option<Problem> {
    let queue = known(&c.queue_arn)
        .and_then(|q| arn::sqs_queue(q).ok())
        .map(|q| q.region)?;
    let function = known(&c.function_name)
        .and_then(|f| parse_function_ref(f).ok())
        .and_then(|f| f.region)?;
    (queue != function).then(|| Problem::at(
        "queue_arn",
        "queue and function in different regions",
        format!("The queue is in {queue} and the function in {function}: Lambda polls only queues of the function's own region."),
    ))
}

/// Whether the queue is FIFO, `None` while its ARN is unknown.
fn fifo(c: &SqsEventSourceState) -> Option<bool> {
    known(&c.queue_arn).map(is_fifo)
}

/// The batching window in seconds (null is Lambda's 0), `None` while unknown.
fn window(c: &SqsEventSourceState) -> Option<i64> {
    match &c.maximum_batching_window_in_seconds {
        Value::Value(w) => Some(*w),
        Value::Null => Some(0),
        Value::Unknown => None,
    }
}

fn batch_size_for_queue_and_window(c: &SqsEventSourceState) -> Option<Problem> {
    match (c.batch_size.as_ref_option(), fifo(c), window(c)) {
        (Some(size), Some(true), _) if *size > FIFO_BATCH_SIZE_MAX => Some(Problem::at(
            "batch_size",
            "batch_size too large for a FIFO queue",
            format!("{size} is not allowed: a FIFO queue's batches hold 1-{FIFO_BATCH_SIZE_MAX} messages."),
        )),
        (Some(size), _, Some(0)) if *size > BATCH_SIZE_WITHOUT_WINDOW_MAX => Some(Problem::at(
            "maximum_batching_window_in_seconds",
            "a batch of more than 10 messages needs a batching window",
            format!("With batch_size = {size}, Lambda requires maximum_batching_window_in_seconds of at least 1."),
        )),
        _ => None,
    }
}

fn fifo_without_window(c: &SqsEventSourceState) -> Option<Problem> {
    (fifo(c) == Some(true) && window(c).is_some_and(|w| w > 0)).then(|| Problem::at(
        "maximum_batching_window_in_seconds",
        "no batching window for a FIFO queue",
        "Lambda does not support a batching window for FIFO queues: leave maximum_batching_window_in_seconds null.",
    ))
}

fn filter_patterns(c: &SqsEventSourceState) -> Vec<Problem> {
    let Value::Value(patterns) = &c.filter_patterns else {
        return Vec::new();
    };
    let mut problems = Vec::new();
    if patterns.len() > FILTERS_MAX {
        problems.push(Problem::at(
            "filter_patterns",
            "too many filter_patterns",
            format!(
                "{} patterns: a mapping takes at most {FILTERS_MAX} (5 unless the quota was raised); one pattern can list several values for a field.",
                patterns.len()
            ),
        ));
    }
    for (index, pattern) in patterns.iter().enumerate() {
        if let Some(Err(why)) = known(pattern).map(filter_pattern) {
            problems.push(Problem::new(
                AttributePath::new("filter_patterns").index(index as i64),
                "invalid filter pattern",
                why,
            ));
        }
    }
    problems
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::plugin::{str_list, Block, Str};
    use crate::resources::timeouts::Timeouts;

    const QUEUE: &str = "arn:aws:sqs:us-east-1:123456789012:orders";

    fn v(s: &str) -> Str {
        Value::Value(s.into())
    }

    fn minimal() -> SqsEventSourceState {
        SqsEventSourceState {
            function_name: v("processor"),
            queue_arn: v(QUEUE),
            ..Default::default()
        }
    }

    fn paths(c: &SqsEventSourceState) -> Vec<String> {
        validate(c).iter().map(Problem::path_text).collect()
    }

    #[test]
    fn minimal_and_full_configs_are_valid() {
        assert!(validate(&minimal()).is_empty());
        let full = SqsEventSourceState {
            function_name: v("arn:aws:lambda:us-east-1:123456789012:function:processor:live"),
            role_name: v("processor-exec"),
            batch_size: Value::Value(10_000),
            maximum_batching_window_in_seconds: Value::Value(300),
            enabled: Value::Value(false),
            report_batch_item_failures: Value::Value(true),
            maximum_concurrency: Value::Value(2),
            filter_patterns: str_list(vec![r#"{"body":{"kind":["order"]}}"#.to_string()]),
            kms_key_arn: v(
                "arn:aws:kms:us-east-1:123456789012:key/1234abcd-12ab-34cd-56ef-1234567890ab",
            ),
            timeouts: Block::Items(vec![Timeouts {
                create: v("5m"),
                ..Default::default()
            }]),
            ..minimal()
        };
        assert!(validate(&full).is_empty(), "{:?}", validate(&full));
    }

    #[test]
    fn each_bad_attribute_is_named() {
        let cases: Vec<(SqsEventSourceState, &str)> = vec![
            (
                SqsEventSourceState {
                    function_name: v("bad name"),
                    ..minimal()
                },
                "function_name",
            ),
            (
                SqsEventSourceState {
                    queue_arn: v("orders"),
                    ..minimal()
                },
                "queue_arn",
            ),
            (
                SqsEventSourceState {
                    queue_arn: v("arn:aws:sns:us-east-1:123456789012:orders"),
                    ..minimal()
                },
                "queue_arn",
            ),
            (
                SqsEventSourceState {
                    queue_arn: v("arn:aws:sqs:us-east-1:12345:orders"),
                    ..minimal()
                },
                "queue_arn",
            ),
            (
                SqsEventSourceState {
                    queue_arn: v("arn:aws:sqs::123456789012:orders"),
                    ..minimal()
                },
                "queue_arn",
            ),
            (
                SqsEventSourceState {
                    queue_arn: v("arn:aws:sqs:*:123456789012:orders"),
                    ..minimal()
                },
                "queue_arn",
            ),
            (
                SqsEventSourceState {
                    queue_arn: v("arn:aws:sqs:us-east-1:123456789012:*"),
                    ..minimal()
                },
                "queue_arn",
            ),
            (
                SqsEventSourceState {
                    function_name: v("arn:aws:lambda:eu-west-1:123456789012:function:processor"),
                    ..minimal()
                },
                "queue_arn",
            ),
            (
                SqsEventSourceState {
                    role_name: v("no spaces allowed"),
                    ..minimal()
                },
                "role_name",
            ),
            (
                SqsEventSourceState {
                    role_name: v(&"r".repeat(65)),
                    ..minimal()
                },
                "role_name",
            ),
            (
                SqsEventSourceState {
                    batch_size: Value::Value(0),
                    ..minimal()
                },
                "batch_size",
            ),
            (
                SqsEventSourceState {
                    batch_size: Value::Value(10_001),
                    maximum_batching_window_in_seconds: Value::Value(1),
                    ..minimal()
                },
                "batch_size",
            ),
            (
                SqsEventSourceState {
                    maximum_batching_window_in_seconds: Value::Value(301),
                    ..minimal()
                },
                "maximum_batching_window_in_seconds",
            ),
            (
                SqsEventSourceState {
                    maximum_batching_window_in_seconds: Value::Value(-1),
                    ..minimal()
                },
                "maximum_batching_window_in_seconds",
            ),
            (
                SqsEventSourceState {
                    maximum_concurrency: Value::Value(1),
                    ..minimal()
                },
                "maximum_concurrency",
            ),
            (
                SqsEventSourceState {
                    maximum_concurrency: Value::Value(1001),
                    ..minimal()
                },
                "maximum_concurrency",
            ),
            (
                SqsEventSourceState {
                    kms_key_arn: v("key"),
                    ..minimal()
                },
                "kms_key_arn",
            ),
            (
                SqsEventSourceState {
                    kms_key_arn: v("arn:aws:kms:us-east-1:123456789012:alias/orders"),
                    ..minimal()
                },
                "kms_key_arn",
            ),
            (
                SqsEventSourceState {
                    kms_key_arn: v("arn:aws:kms:us-east-1:123456789012:key/*"),
                    ..minimal()
                },
                "kms_key_arn",
            ),
            (
                SqsEventSourceState {
                    timeouts: Block::Items(vec![Timeouts {
                        delete: v("forever"),
                        ..Default::default()
                    }]),
                    ..minimal()
                },
                "timeouts[0].delete",
            ),
        ];
        for (config, path) in cases {
            assert_eq!(paths(&config), [path], "case for {path}: {config:?}");
        }
    }

    #[test]
    fn batches_above_ten_need_a_window_on_standard_queues_only() {
        let big = SqsEventSourceState {
            batch_size: Value::Value(11),
            ..minimal()
        };
        assert_eq!(paths(&big), ["maximum_batching_window_in_seconds"]);
        let zero = SqsEventSourceState {
            maximum_batching_window_in_seconds: Value::Value(0),
            ..big.clone()
        };
        assert_eq!(paths(&zero), ["maximum_batching_window_in_seconds"]);
        let windowed = SqsEventSourceState {
            maximum_batching_window_in_seconds: Value::Value(1),
            ..big.clone()
        };
        assert!(validate(&windowed).is_empty());
        let unknown_window = SqsEventSourceState {
            maximum_batching_window_in_seconds: Value::Unknown,
            ..big
        };
        assert!(validate(&unknown_window).is_empty());
    }

    #[test]
    fn fifo_queues_take_batches_of_ten_and_no_window() {
        let fifo = SqsEventSourceState {
            queue_arn: v("arn:aws:sqs:us-east-1:123456789012:orders.fifo"),
            batch_size: Value::Value(10),
            ..minimal()
        };
        assert!(validate(&fifo).is_empty());
        let big = SqsEventSourceState {
            batch_size: Value::Value(11),
            maximum_batching_window_in_seconds: Value::Value(5),
            ..fifo.clone()
        };
        assert_eq!(
            paths(&big),
            ["batch_size", "maximum_batching_window_in_seconds"]
        );
    }

    #[test]
    fn filter_patterns_are_json_objects_and_at_most_ten() {
        let config = SqsEventSourceState {
            filter_patterns: Value::Value(vec![
                v(r#"{"body":{"kind":["order"]}}"#),
                v("{not json"),
                v(r#"["a list"]"#),
                Value::Unknown,
            ]),
            ..minimal()
        };
        assert_eq!(paths(&config), ["filter_patterns[1]", "filter_patterns[2]"]);
        let many = SqsEventSourceState {
            filter_patterns: str_list((0..11).map(|i| format!(r#"{{"body":{{"n":[{i}]}}}}"#))),
            ..minimal()
        };
        assert_eq!(paths(&many), ["filter_patterns"]);
        let ten = SqsEventSourceState {
            filter_patterns: str_list((0..10).map(|i| format!(r#"{{"body":{{"n":[{i}]}}}}"#))),
            ..minimal()
        };
        assert!(validate(&ten).is_empty());
    }

    #[test]
    fn unknown_values_are_skipped() {
        let config = SqsEventSourceState {
            function_name: Value::Unknown,
            queue_arn: Value::Unknown,
            batch_size: Value::Value(5),
            filter_patterns: Value::Unknown,
            kms_key_arn: Value::Unknown,
            timeouts: Block::Unknown,
            ..Default::default()
        };
        assert!(validate(&config).is_empty());
    }
}
