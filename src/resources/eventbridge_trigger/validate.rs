//! Plan-time validation of `lambdawire_eventbridge_trigger`: pure, every
//! rule on a known value only, each problem on its attribute path.

use crate::plugin::diag::in_block;
use crate::plugin::{known, Problem, Value};
use crate::resources::statement::rules::{check_target, field};
use crate::resources::timeouts;
use crate::validate::arn;
use crate::validate::names;
use crate::validate::rules::{one_of, range, run, Row};
use crate::validate::schedule_expression::parse_schedule_expression;

use super::flex::{bus_name, DEFAULT_BUS};
use super::model::TriggerState;

/// EventBridge's limit on a target's constant input ("Input: Length
/// Constraints: Maximum length of 8192", Target, EventBridge API reference).
const INPUT_LIMIT: usize = 8192;
/// And on an input path ("InputPath: Maximum length of 256").
const INPUT_PATH_LIMIT: usize = 256;
/// And on an input transformer's template ("InputTemplate: Maximum length
/// of 8192") and its paths map ("InputPathsMap: Maximum of 100 items").
const INPUT_PATHS_LIMIT: usize = 100;

/// The trigger's checks, in the order their problems are reported.
const RULES: &[Row<TriggerState>] = &[
    Row::Text("name", |c| &c.name, names::event_rule_name),
    Row::Text("event_bus_name", |c| &c.event_bus_name, event_bus),
    Row::One(pattern_or_schedule),
    Row::Text("event_pattern", |c| &c.event_pattern, event_pattern),
    Row::Text("schedule_expression", |c| &c.schedule_expression, schedule),
    Row::One(schedule_on_default_bus),
    Row::Text(
        "state",
        |c| &c.state,
        |t| one_of(t, &["ENABLED", "DISABLED"]),
    ),
    Row::Text(
        "description",
        |c| &c.description,
        |t| names::description(t, 512),
    ),
    Row::Many(target),
    Row::Text("target_id", |c| &c.target_id, names::event_target_id),
    Row::Text("input", |c| &c.input, input),
    Row::Text("input_path", |c| &c.input_path, input_path),
    Row::One(one_input),
    Row::Many(input_transformer),
    Row::Many(retry_policy),
    Row::Text(
        "dead_letter_arn",
        |c| &c.dead_letter_arn,
        |t| arn::sqs_queue(t).map(|_| ()),
    ),
    Row::Many(|c| timeouts::problems(&c.timeouts)),
];

/// Every problem of the configuration, each on its attribute path.
pub fn validate(config: &TriggerState) -> Vec<Problem> {
    run(config, RULES)
}

fn target(c: &TriggerState) -> Vec<Problem> {
    let mut out = Vec::new();
    check_target(field(&c.function_name), field(&c.qualifier), &mut out);
    out
}

/// A bus name, or an event bus ARN (`arn:<partition>:events:<region>:<account>:event-bus/<name>`).
fn event_bus(text: &str) -> Result<(), String> {
    if !text.starts_with("arn:") {
        return names::event_bus_name(text);
    }
    let a = arn::parse(text)?;
    if a.service != "events" || !a.resource.starts_with("event-bus/") {
        return Err(format!(
            "{text:?} is not an event bus ARN: expected \
             arn:<partition>:events:<region>:<account>:event-bus/<name>"
        ));
    }
    if a.region.is_empty() || !arn::is_account(a.account) {
        return Err(format!(
            "{text:?} must name the bus's region and 12-digit account"
        ));
    }
    names::event_bus_name(bus_name(text))
}

fn pattern_or_schedule(c: &TriggerState) -> Option<Problem> {
    match (&c.event_pattern, &c.schedule_expression) {
        (Value::Null, Value::Null) => Some(Problem::at(
            "event_pattern",
            "missing event_pattern or schedule_expression",
            "A rule matches events (event_pattern) or runs on a schedule (schedule_expression): \
             set exactly one of them.",
        )),
        (Value::Value(_), Value::Value(_)) => Some(Problem::at(
            "schedule_expression",
            "conflicting event_pattern and schedule_expression",
            "A rule matches events (event_pattern) or runs on a schedule (schedule_expression), \
             not both: remove one of them.",
        )),
        _ => None,
    }
}

/// EventBridge reads the pattern as a JSON object ("Creating event patterns",
/// EventBridge User Guide).
fn event_pattern(text: &str) -> Result<(), String> {
    match serde_json::from_str::<serde_json::Value>(text) {
        Ok(serde_json::Value::Object(o)) if !o.is_empty() => Ok(()),
        Ok(serde_json::Value::Object(_)) => Err(
            "the event pattern is an empty object, which EventBridge refuses: name at least one \
             field to match, such as jsonencode({ source = [\"aws.s3\"] })."
                .into(),
        ),
        Ok(_) => Err(
            "the event pattern must be a JSON object, such as jsonencode({ source = \
             [\"aws.s3\"] })."
                .into(),
        ),
        Err(e) => Err(format!(
            "the event pattern is not JSON ({e}); build it with jsonencode()."
        )),
    }
}

/// `rate()` and `cron()` as the schedule parser reads them; EventBridge
/// rules take no `at()` ("Creating a rule that runs on a schedule",
/// EventBridge User Guide: rate and cron expressions only).
fn schedule(text: &str) -> Result<(), String> {
    if parse_schedule_expression(text)?.is_one_time() {
        return Err(
            "EventBridge rules run on rate() or cron() expressions only; for a one-time \
             invocation at(...), use lambdawire_scheduled_lambda_invoker."
                .into(),
        );
    }
    Ok(())
}

/// "ScheduleExpression is supported only on the default event bus"
/// (PutRule, EventBridge API reference).
fn schedule_on_default_bus(c: &TriggerState) -> Option<Problem> {
    let bus = known(&c.event_bus_name)?;
    (!c.schedule_expression.is_null() && bus_name(bus) != DEFAULT_BUS).then(|| {
        Problem::at(
            "schedule_expression",
            "schedule_expression on a custom event bus",
            format!(
                "EventBridge runs scheduled rules on the default bus only, and event_bus_name \
                 is {bus:?}: leave event_bus_name out, or use \
                 lambdawire_scheduled_lambda_invoker."
            ),
        )
    })
}

fn input(text: &str) -> Result<(), String> {
    serde_json::from_str::<serde_json::Value>(text)
        .map_err(|e| format!("input is not JSON ({e}); build it with jsonencode()."))?;
    if text.len() > INPUT_LIMIT {
        return Err(format!(
            "input is {} bytes; EventBridge accepts at most {INPUT_LIMIT}.",
            text.len()
        ));
    }
    Ok(())
}

/// A JSONPath into the event, such as `$.detail`.
fn json_path(text: &str, what: &str) -> Result<(), String> {
    if !text.starts_with('$') {
        return Err(format!(
            "{what} {text:?} is not a JSONPath: it starts with \"$\", such as \"$.detail\"."
        ));
    }
    Ok(())
}

fn input_path(text: &str) -> Result<(), String> {
    json_path(text, "input_path")?;
    if text.len() > INPUT_PATH_LIMIT {
        return Err(format!(
            "input_path is {} characters; EventBridge accepts at most {INPUT_PATH_LIMIT}.",
            text.len()
        ));
    }
    Ok(())
}

/// "Only one of Input, InputPath, or InputTransformer" (Target, EventBridge
/// API reference).
fn one_input(c: &TriggerState) -> Option<Problem> {
    let set = [
        ("input", !c.input.is_null()),
        ("input_path", !c.input_path.is_null()),
        ("input_transformer", !c.input_transformer.items().is_empty()),
    ];
    let given: Vec<&str> = set.iter().filter(|(_, s)| *s).map(|(n, _)| *n).collect();
    (given.len() > 1).then(|| {
        Problem::at(
            given[1],
            format!("conflicting {}", given.join(" and ")),
            "EventBridge passes the function one of: the event itself (none set), a constant \
             (input), a part of the event (input_path), or a template (input_transformer). Set \
             at most one.",
        )
    })
}

fn input_transformer(c: &TriggerState) -> Vec<Problem> {
    let Some(t) = c.input_transformer.single() else {
        return Vec::new();
    };
    let mut out = Vec::new();
    if let Value::Value(paths) = &t.input_paths {
        if paths.len() > INPUT_PATHS_LIMIT {
            out.push(Problem::new(
                in_block("input_transformer", "input_paths"),
                "too many input_paths",
                format!(
                    "{} paths; EventBridge accepts at most {INPUT_PATHS_LIMIT}.",
                    paths.len()
                ),
            ));
        }
        for (name, path) in paths {
            if let Some(Err(why)) = known(path).map(|p| json_path(p, "the input path")) {
                out.push(Problem::new(
                    in_block("input_transformer", "input_paths").key(name),
                    "invalid input_paths element",
                    why,
                ));
            }
        }
    }
    if let Some(template) = known(&t.input_template) {
        if template.is_empty() || template.len() > INPUT_LIMIT {
            out.push(Problem::new(
                in_block("input_transformer", "input_template"),
                "invalid input_template",
                format!(
                    "input_template has {} characters; EventBridge takes 1-{INPUT_LIMIT}.",
                    template.len()
                ),
            ));
        }
    }
    out
}

/// EventBridge's bounds: "MaximumEventAgeInSeconds: Valid Range: Minimum
/// value of 60. Maximum value of 86400"; "MaximumRetryAttempts: Minimum
/// value of 0. Maximum value of 185" (RetryPolicy, EventBridge API
/// reference).
fn retry_policy(c: &TriggerState) -> Vec<Problem> {
    let Some(retry) = c.retry_policy.single() else {
        return Vec::new();
    };
    [
        (
            "maximum_event_age_in_seconds",
            &retry.maximum_event_age_in_seconds,
            (60, 86_400),
        ),
        (
            "maximum_retry_attempts",
            &retry.maximum_retry_attempts,
            (0, 185),
        ),
    ]
    .into_iter()
    .filter_map(|(attribute, value, bounds)| {
        range(
            in_block("retry_policy", attribute),
            attribute,
            value,
            bounds,
        )
    })
    .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::plugin::{str_value, Block};
    use crate::resources::eventbridge_trigger::model::{InputTransformer, RetryPolicy};

    fn minimal() -> TriggerState {
        TriggerState {
            name: str_value("orders-paid"),
            event_pattern: str_value(r#"{"source":["shop"]}"#),
            function_name: str_value("processor"),
            ..TriggerState::default()
        }
    }

    fn problems_of(c: TriggerState) -> Vec<String> {
        validate(&c).iter().map(Problem::path_text).collect()
    }

    #[test]
    fn minimal_and_full_configs_are_valid() {
        assert!(validate(&minimal()).is_empty());
        let full = TriggerState {
            event_bus_name: str_value("arn:aws:events:us-east-1:123456789012:event-bus/orders"),
            state: str_value("DISABLED"),
            description: str_value("paid orders"),
            qualifier: str_value("live"),
            target_id: str_value("processor.live"),
            input_transformer: Block::of(Some(InputTransformer {
                input_paths: Value::Value([("id".to_string(), str_value("$.detail.id"))].into()),
                input_template: str_value(r#"{"order": <id>}"#),
            })),
            retry_policy: Block::of(Some(RetryPolicy {
                maximum_event_age_in_seconds: Value::Value(600),
                maximum_retry_attempts: Value::Value(3),
            })),
            dead_letter_arn: str_value("arn:aws:sqs:us-east-1:123456789012:dlq"),
            ..minimal()
        };
        assert_eq!(problems_of(full), Vec::<String>::new());
        let scheduled = TriggerState {
            event_pattern: Value::Null,
            schedule_expression: str_value("cron(0 12 * * ? *)"),
            ..minimal()
        };
        assert!(validate(&scheduled).is_empty());
    }

    #[test]
    fn each_bad_attribute_is_named() {
        let cases: Vec<(TriggerState, &str)> = vec![
            (
                TriggerState {
                    name: str_value("a b"),
                    ..minimal()
                },
                "name",
            ),
            (
                TriggerState {
                    name: str_value(&"n".repeat(65)),
                    ..minimal()
                },
                "name",
            ),
            (
                TriggerState {
                    event_bus_name: str_value("bus!"),
                    ..minimal()
                },
                "event_bus_name",
            ),
            (
                TriggerState {
                    event_bus_name: str_value("arn:aws:sns:us-east-1:123456789012:event-bus/x"),
                    ..minimal()
                },
                "event_bus_name",
            ),
            (
                TriggerState {
                    event_pattern: Value::Null,
                    ..minimal()
                },
                "event_pattern",
            ),
            (
                TriggerState {
                    schedule_expression: str_value("rate(5 minutes)"),
                    ..minimal()
                },
                "schedule_expression",
            ),
            (
                TriggerState {
                    event_pattern: str_value("[1]"),
                    ..minimal()
                },
                "event_pattern",
            ),
            (
                TriggerState {
                    event_pattern: str_value("{}"),
                    ..minimal()
                },
                "event_pattern",
            ),
            (
                TriggerState {
                    event_pattern: Value::Null,
                    schedule_expression: str_value("at(2030-01-01T00:00:00)"),
                    ..minimal()
                },
                "schedule_expression",
            ),
            (
                TriggerState {
                    event_pattern: Value::Null,
                    schedule_expression: str_value("rate(5 minutes)"),
                    event_bus_name: str_value("orders"),
                    ..minimal()
                },
                "schedule_expression",
            ),
            (
                TriggerState {
                    state: str_value("on"),
                    ..minimal()
                },
                "state",
            ),
            (
                TriggerState {
                    description: str_value(&"d".repeat(513)),
                    ..minimal()
                },
                "description",
            ),
            (
                TriggerState {
                    qualifier: str_value("$LATEST"),
                    ..minimal()
                },
                "qualifier",
            ),
            (
                TriggerState {
                    target_id: str_value("a/b"),
                    ..minimal()
                },
                "target_id",
            ),
            (
                TriggerState {
                    input: str_value("{nope"),
                    ..minimal()
                },
                "input",
            ),
            (
                TriggerState {
                    input_path: str_value("detail"),
                    ..minimal()
                },
                "input_path",
            ),
            (
                TriggerState {
                    input: str_value("{}"),
                    input_path: str_value("$.x"),
                    ..minimal()
                },
                "input_path",
            ),
            (
                TriggerState {
                    dead_letter_arn: str_value("arn:aws:sns:us-east-1:123456789012:t"),
                    ..minimal()
                },
                "dead_letter_arn",
            ),
        ];
        for (config, path) in cases {
            let found = problems_of(config.clone());
            assert_eq!(found, [path], "{config:?}");
        }
    }

    #[test]
    fn nested_blocks_report_their_paths() {
        let c = TriggerState {
            input_transformer: Block::of(Some(InputTransformer {
                input_paths: Value::Value([("id".to_string(), str_value("detail.id"))].into()),
                input_template: str_value(""),
            })),
            retry_policy: Block::of(Some(RetryPolicy {
                maximum_event_age_in_seconds: Value::Value(10),
                maximum_retry_attempts: Value::Value(186),
            })),
            ..minimal()
        };
        assert_eq!(
            problems_of(c),
            [
                "input_transformer[0].input_paths[\"id\"]",
                "input_transformer[0].input_template",
                "retry_policy[0].maximum_event_age_in_seconds",
                "retry_policy[0].maximum_retry_attempts",
            ]
        );
    }

    #[test]
    fn unknown_values_are_skipped() {
        let c = TriggerState {
            name: Value::Unknown,
            event_pattern: Value::Unknown,
            function_name: Value::Unknown,
            event_bus_name: Value::Unknown,
            ..minimal()
        };
        assert!(validate(&c).is_empty());
    }
}
