//! Plan-time validation of `lambdawire_sns_trigger`: pure, every rule on a
//! known value only, each problem on its attribute path. The shapes of
//! the ARNs are [`crate::validate::arn`]'s, the function and qualifier the
//! statement engine's ([`crate::resources::statement::rules`]).

use crate::plugin::{known, Problem, Value};
use crate::resources::statement::rules::{check_target, field};
use crate::resources::timeouts;
use crate::validate::arn;
use crate::validate::rules::{json_object, one_of, run, Row};

use super::model::SnsTriggerState;

/// SNS's two filter policy scopes (SetSubscriptionAttributes,
/// `FilterPolicyScope`); `MessageAttributes` is its default.
pub const SCOPES: [&str; 2] = ["MessageAttributes", "MessageBody"];

/// What the name of a FIFO topic or queue ends with ("FIFO topics",
/// "Amazon SQS FIFO queues"; the suffix is required of both).
const FIFO_SUFFIX: &str = ".fifo";

/// A standard topic: a FIFO topic delivers to SQS queues only, and
/// Subscribe refuses the `lambda` protocol on it ("Message delivery for
/// FIFO topics", Amazon SNS Developer Guide).
fn topic(text: &str) -> Result<(), String> {
    let t = arn::sns_topic(text)?;
    if t.resource.ends_with(FIFO_SUFFIX) {
        return Err(format!(
            "{text} is a FIFO topic (its name ends in {FIFO_SUFFIX}): SNS delivers a FIFO \
             topic's messages to SQS queues only, never to a Lambda function. Subscribe an SQS \
             FIFO queue and read it with lambdawire_sqs_event_source, or use a standard topic."
        ));
    }
    Ok(())
}

/// A non-empty JSON object: SNS stores `{}` as no filter policy at all
/// (GetSubscriptionAttributes then answers none), so it would read back
/// as null and differ from the configuration on every plan.
fn filter_policy(text: &str) -> Result<(), String> {
    json_object(
        text,
        "a filter policy",
        "jsonencode({ kind = [\"order\"] })",
    )?;
    let empty = serde_json::from_str::<serde_json::Value>(text)
        .is_ok_and(|v| v.as_object().is_some_and(|o| o.is_empty()));
    if empty {
        return Err(
            "an empty filter policy filters nothing, and SNS keeps no policy for it: omit \
             filter_policy instead"
                .to_string(),
        );
    }
    Ok(())
}

fn scope(text: &str) -> Result<(), String> {
    one_of(text, &SCOPES)
}

/// A standard SQS queue: SNS's redrive policy names a queue, and nothing
/// else, and the dead-letter queue of a standard topic's subscription must
/// be a standard queue ("Amazon SNS dead-letter queues (DLQs)", Amazon SNS
/// Developer Guide); a topic of this resource is always standard.
fn dead_letter_queue(text: &str) -> Result<(), String> {
    let q = arn::sqs_queue(text)?;
    if q.resource.ends_with(FIFO_SUFFIX) {
        return Err(format!(
            "{text} is a FIFO queue (its name ends in {FIFO_SUFFIX}): the dead-letter queue of \
             a standard topic's subscription must be a standard queue"
        ));
    }
    Ok(())
}

fn target(c: &SnsTriggerState) -> Vec<Problem> {
    let mut out = Vec::new();
    check_target(field(&c.function_name), field(&c.qualifier), &mut out);
    out
}

/// A scope with no filter policy filters nothing: said at plan rather than
/// stored as a setting that does nothing.
fn scope_needs_policy(c: &SnsTriggerState) -> Option<Problem> {
    (c.filter_policy.is_null() && known(&c.filter_policy_scope).is_some()).then(|| {
        Problem::at(
            "filter_policy_scope",
            "filter_policy_scope without filter_policy",
            "filter_policy_scope says which part of a message filter_policy reads: set \
             filter_policy too, or remove filter_policy_scope.",
        )
    })
}

/// The trigger's checks, in the order their problems are reported.
const RULES: &[Row<SnsTriggerState>] = &[
    Row::Text("topic_arn", |c| &c.topic_arn, topic),
    Row::Many(target),
    Row::Text("filter_policy", |c| &c.filter_policy, filter_policy),
    Row::Text("filter_policy_scope", |c| &c.filter_policy_scope, scope),
    Row::One(scope_needs_policy),
    Row::Text(
        "redrive_dead_letter_arn",
        |c| &c.redrive_dead_letter_arn,
        dead_letter_queue,
    ),
    Row::Many(|c| timeouts::problems(&c.timeouts)),
];

/// Every problem of the configuration, each on its attribute path.
pub fn validate(c: &SnsTriggerState) -> Vec<Problem> {
    run(c, RULES)
}

/// Whether `scope` is SNS's default: null, or `MessageAttributes` itself.
pub fn default_scope(scope: &Value<String>) -> bool {
    scope.is_null() || known(scope) == Some(SCOPES[0])
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::plugin::str_value;

    const TOPIC: &str = "arn:aws:sns:us-east-1:123456789012:alerts";

    fn config() -> SnsTriggerState {
        SnsTriggerState {
            topic_arn: str_value(TOPIC),
            function_name: str_value("processor"),
            ..Default::default()
        }
    }

    fn paths(c: &SnsTriggerState) -> Vec<String> {
        validate(c).iter().map(Problem::path_text).collect()
    }

    #[test]
    fn a_good_configuration_has_no_problem() {
        assert!(validate(&config()).is_empty());
        let full = SnsTriggerState {
            qualifier: str_value("live"),
            filter_policy: str_value(r#"{"kind":["order"]}"#),
            filter_policy_scope: str_value("MessageBody"),
            redrive_dead_letter_arn: str_value("arn:aws:sqs:us-east-1:123456789012:dlq"),
            ..config()
        };
        assert!(validate(&full).is_empty(), "{:?}", validate(&full));
    }

    #[test]
    fn each_bad_value_is_named_on_its_attribute() {
        for (c, path) in [
            (
                SnsTriggerState {
                    topic_arn: str_value("arn:aws:sns:*:*:alerts"),
                    ..config()
                },
                "topic_arn",
            ),
            (
                SnsTriggerState {
                    topic_arn: str_value("arn:aws:sqs:us-east-1:123456789012:alerts"),
                    ..config()
                },
                "topic_arn",
            ),
            (
                SnsTriggerState {
                    qualifier: str_value("$LATEST"),
                    ..config()
                },
                "qualifier",
            ),
            (
                SnsTriggerState {
                    filter_policy: str_value("[1]"),
                    ..config()
                },
                "filter_policy",
            ),
            (
                SnsTriggerState {
                    filter_policy: str_value("{kind"),
                    ..config()
                },
                "filter_policy",
            ),
            (
                SnsTriggerState {
                    filter_policy: str_value(r#"{"kind":["order"]}"#),
                    filter_policy_scope: str_value("Body"),
                    ..config()
                },
                "filter_policy_scope",
            ),
            (
                SnsTriggerState {
                    filter_policy_scope: str_value("MessageBody"),
                    ..config()
                },
                "filter_policy_scope",
            ),
            (
                SnsTriggerState {
                    redrive_dead_letter_arn: str_value(TOPIC),
                    ..config()
                },
                "redrive_dead_letter_arn",
            ),
            (
                SnsTriggerState {
                    redrive_dead_letter_arn: str_value("arn:aws:sqs:us-east-1:123456789012:*"),
                    ..config()
                },
                "redrive_dead_letter_arn",
            ),
        ] {
            assert_eq!(paths(&c), [path], "{c:?}");
        }
    }

    #[test]
    fn a_fifo_topic_or_dead_letter_queue_and_an_empty_filter_policy_are_refused() {
        for (c, path, why) in [
            (
                SnsTriggerState {
                    topic_arn: str_value("arn:aws:sns:us-east-1:123456789012:orders.fifo"),
                    ..config()
                },
                "topic_arn",
                "FIFO topic",
            ),
            (
                SnsTriggerState {
                    redrive_dead_letter_arn: str_value(
                        "arn:aws:sqs:us-east-1:123456789012:dlq.fifo",
                    ),
                    ..config()
                },
                "redrive_dead_letter_arn",
                "FIFO queue",
            ),
            (
                SnsTriggerState {
                    filter_policy: str_value(" { } "),
                    ..config()
                },
                "filter_policy",
                "omit filter_policy instead",
            ),
        ] {
            let problems = validate(&c);
            assert_eq!(paths(&c), [path], "{c:?}");
            assert!(problems[0].detail.contains(why), "{problems:?}");
        }
    }

    #[test]
    fn unknown_values_are_skipped() {
        let c = SnsTriggerState {
            topic_arn: Value::Unknown,
            function_name: Value::Unknown,
            filter_policy: Value::Unknown,
            filter_policy_scope: str_value("MessageBody"),
            redrive_dead_letter_arn: Value::Unknown,
            ..Default::default()
        };
        assert!(validate(&c).is_empty(), "{:?}", validate(&c));
    }
}
