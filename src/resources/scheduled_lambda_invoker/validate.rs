//! Plan-time validation of `lambdawire_scheduled_lambda_invoker`: pure, every
//! rule on a known value only, each problem on its attribute path.

use crate::plugin::diag::in_block;
use crate::plugin::{known, Problem};
use crate::resources::managed_role::validate_role_block;
use crate::resources::timeouts;
use crate::validate::arn;
use crate::validate::names;
use crate::validate::rules::{one_of, range, run, Row};
use crate::validate::schedule_expression::parse_schedule_expression;
use crate::validate::time::{parse_rfc3339, parse_time_zone};

use super::model::InvokerState;

/// The invoker's checks, in the order their problems are reported.
const RULES: &[Row<InvokerState>] = &[
    Row::Text("name", |c| &c.name, names::schedule_name),
    Row::Text(
        "name_prefix",
        |c| &c.name_prefix,
        names::schedule_name_prefix,
    ),
    Row::One(name_and_prefix),
    Row::Text("group_name", |c| &c.group_name, names::schedule_group_name),
    Row::Text(
        "function_arn",
        |c| &c.function_arn,
        |t| arn::lambda_function(t).map(|_| ()),
    ),
    Row::One(schedule_expression),
    Row::Text(
        "schedule_expression_timezone",
        |c| &c.schedule_expression_timezone,
        |t| parse_time_zone(t).map(|_| ()),
    ),
    Row::Many(dates),
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
    Row::Text("input", |c| &c.input, super::input::check),
    Row::One(flexible_window_minutes),
    Row::Text(
        "action_after_completion",
        |c| &c.action_after_completion,
        |t| one_of(t, &["NONE", "DELETE"]),
    ),
    Row::Many(retry_policy),
    Row::Text(
        "dead_letter_arn",
        |c| &c.dead_letter_arn,
        |t| arn::sqs_queue(t).map(|_| ()),
    ),
    Row::Text(
        "kms_key_arn",
        |c| &c.kms_key_arn,
        |t| arn::kms_key(t).map(|_| ()),
    ),
    Row::Text(
        "existing_role_arn",
        |c| &c.existing_role_arn,
        |t| arn::iam_role(t).map(|_| ()),
    ),
    Row::One(role_and_existing_role),
    Row::Many(|c| validate_role_block(&c.role)),
    Row::Many(|c| timeouts::problems(&c.timeouts)),
];

/// Every problem of the configuration, each on its attribute path.
pub fn validate(config: &InvokerState) -> Vec<Problem> {
    run(config, RULES)
}

fn name_and_prefix(c: &InvokerState) -> Option<Problem> {
    (!c.name.is_null() && !c.name_prefix.is_null()).then(|| {
        Problem::at(
            "name_prefix",
            "conflicting name and name_prefix",
            "Set name for a fixed name, name_prefix for a generated one, or neither.",
        )
    })
}

fn schedule_expression(c: &InvokerState) -> Option<Problem> {
    let why = parse_schedule_expression(known(&c.schedule_expression)?).err()?;
    Some(Problem::at(
        "schedule_expression",
        "invalid schedule_expression",
        why,
    ))
}

/// Each date parses and bounds a recurring schedule only, and the end comes
/// after the start.
fn dates(c: &InvokerState) -> Vec<Problem> {
    let mut problems = Vec::new();
    let one_time = known(&c.schedule_expression)
        .map(parse_schedule_expression)
        .is_some_and(|e| e.is_ok_and(|e| e.is_one_time()));
    let start = known(&c.start_date).map(parse_rfc3339);
    let end = known(&c.end_date).map(parse_rfc3339);
    for (attribute, parsed) in [("start_date", &start), ("end_date", &end)] {
        match parsed {
            Some(Err(why)) => problems.push(Problem::at(attribute, format!("invalid {attribute}"), why.clone())),
            Some(Ok(_)) if one_time => problems.push(Problem::at(
                attribute,
                format!("{attribute} does not apply to at() schedules"),
                "start_date and end_date bound rate() and cron() schedules only; an at() schedule fires once at its time.",
            )),
            _ => {}
        }
    }
    if let (Some(Ok(start)), Some(Ok(end))) = (&start, &end) {
        if end <= start {
            problems.push(Problem::at(
                "end_date",
                "end_date is not after start_date",
                "end_date must be later than start_date.",
            ));
        }
    }
    problems
}

fn flexible_window_minutes(c: &InvokerState) -> Option<Problem> {
    let minutes = c
        .flexible_window_minutes
        .as_ref_option()
        .filter(|m| !(1..=1440).contains(*m))?;
    Some(Problem::at(
        "flexible_window_minutes",
        "flexible_window_minutes out of range",
        format!("{minutes} is not allowed: use 1-1440 minutes, or leave it null to turn the window off."),
    ))
}

fn retry_policy(c: &InvokerState) -> Vec<Problem> {
    let Some(retry) = c.retry_policy.single() else {
        return Vec::new();
    };
    let ranges = [
        (
            "maximum_event_age_in_seconds",
            &retry.maximum_event_age_in_seconds,
            (60, 86400),
        ),
        (
            "maximum_retry_attempts",
            &retry.maximum_retry_attempts,
            (0, 185),
        ),
    ];
    ranges
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

fn role_and_existing_role(c: &InvokerState) -> Option<Problem> {
    (c.role.single().is_some() && !c.existing_role_arn.is_null()).then(|| {
        Problem::at(
            "existing_role_arn",
            "conflicting existing_role_arn and role",
            "With existing_role_arn no role is created, so a role block has nothing to configure: remove one of them.",
        )
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::plugin::{Block, Str, Value};
    use crate::resources::scheduled_lambda_invoker::model::{RetryPolicy, RoleSettings};
    use crate::resources::timeouts::Timeouts;

    fn v(s: &str) -> Str {
        Value::Value(s.into())
    }

    fn minimal() -> InvokerState {
        InvokerState {
            function_arn: v("arn:aws:lambda:us-east-1:123456789012:function:hook"),
            schedule_expression: v("rate(5 minutes)"),
            ..Default::default()
        }
    }

    fn paths(config: &InvokerState) -> Vec<String> {
        validate(config).iter().map(Problem::path_text).collect()
    }

    #[test]
    fn minimal_config_is_valid() {
        assert!(validate(&minimal()).is_empty());
    }

    #[test]
    fn each_bad_attribute_is_named() {
        let cases: Vec<(InvokerState, &str)> = vec![
            (
                InvokerState {
                    name: v("bad name!"),
                    ..minimal()
                },
                "name",
            ),
            (
                InvokerState {
                    name: v(&"a".repeat(65)),
                    ..minimal()
                },
                "name",
            ),
            (
                InvokerState {
                    group_name: v(""),
                    ..minimal()
                },
                "group_name",
            ),
            (
                InvokerState {
                    function_arn: v("hook"),
                    ..minimal()
                },
                "function_arn",
            ),
            (
                InvokerState {
                    schedule_expression: v("rate(0 minutes)"),
                    ..minimal()
                },
                "schedule_expression",
            ),
            (
                InvokerState {
                    schedule_expression_timezone: v("Mars/Olympus"),
                    ..minimal()
                },
                "schedule_expression_timezone",
            ),
            (
                InvokerState {
                    start_date: v("yesterday"),
                    ..minimal()
                },
                "start_date",
            ),
            (
                InvokerState {
                    state: v("ON"),
                    ..minimal()
                },
                "state",
            ),
            (
                InvokerState {
                    description: v(&"d".repeat(513)),
                    ..minimal()
                },
                "description",
            ),
            (
                InvokerState {
                    input: v("{not json"),
                    ..minimal()
                },
                "input",
            ),
            (
                InvokerState {
                    input: v(""),
                    ..minimal()
                },
                "input",
            ),
            (
                InvokerState {
                    input: v(&format!("\"{}\"", "x".repeat(300 * 1024))),
                    ..minimal()
                },
                "input",
            ),
            (
                InvokerState {
                    input: v(r#"{"at":"<aws.scheduler.scheduled-tim>"}"#),
                    ..minimal()
                },
                "input",
            ),
            (
                InvokerState {
                    flexible_window_minutes: Value::Value(0),
                    ..minimal()
                },
                "flexible_window_minutes",
            ),
            (
                InvokerState {
                    flexible_window_minutes: Value::Value(1441),
                    ..minimal()
                },
                "flexible_window_minutes",
            ),
            (
                InvokerState {
                    action_after_completion: v("KEEP"),
                    ..minimal()
                },
                "action_after_completion",
            ),
            (
                InvokerState {
                    dead_letter_arn: v("arn:aws:sns:us-east-1:123456789012:t"),
                    ..minimal()
                },
                "dead_letter_arn",
            ),
            (
                InvokerState {
                    kms_key_arn: v("key"),
                    ..minimal()
                },
                "kms_key_arn",
            ),
            (
                InvokerState {
                    existing_role_arn: v("arn:aws:iam::123456789012:user/u"),
                    ..minimal()
                },
                "existing_role_arn",
            ),
        ];
        for (config, path) in cases {
            assert_eq!(paths(&config), [path], "case for {path}");
        }
    }

    /// The issue's cases: each of these became a grant wider than the named
    /// object (every region, every queue) and passed validation.
    #[test]
    fn wildcards_in_granted_arns_are_refused() {
        let cases: Vec<(InvokerState, &str)> = vec![
            (
                InvokerState {
                    function_arn: v("arn:aws:lambda:*:123456789012:function:f"),
                    ..minimal()
                },
                "function_arn",
            ),
            (
                InvokerState {
                    function_arn: v("arn:aws:lambda:us-east-1:*:function:f"),
                    ..minimal()
                },
                "function_arn",
            ),
            (
                InvokerState {
                    function_arn: v("arn:aws:lambda:us-east-1:123456789012:function:f*"),
                    ..minimal()
                },
                "function_arn",
            ),
            (
                InvokerState {
                    function_arn: v("arn:aws:lambda:us-east-?:123456789012:function:f"),
                    ..minimal()
                },
                "function_arn",
            ),
            (
                InvokerState {
                    dead_letter_arn: v("arn:aws:sqs:*:*:*"),
                    ..minimal()
                },
                "dead_letter_arn",
            ),
            (
                InvokerState {
                    dead_letter_arn: v("arn:aws:sqs:*:123456789012:dlq"),
                    ..minimal()
                },
                "dead_letter_arn",
            ),
            (
                InvokerState {
                    kms_key_arn: v("arn:aws:kms:us-east-1:123456789012:key/*"),
                    ..minimal()
                },
                "kms_key_arn",
            ),
            (
                InvokerState {
                    kms_key_arn: v("arn:aws:kms:*:123456789012:key/1234abcd"),
                    ..minimal()
                },
                "kms_key_arn",
            ),
        ];
        for (config, path) in cases {
            let problems = validate(&config);
            assert_eq!(
                problems.iter().map(Problem::path_text).collect::<Vec<_>>(),
                [path],
                "{problems:?}"
            );
            assert!(problems[0].detail.contains("wildcard"), "{problems:?}");
        }
    }

    #[test]
    fn arn_fields_are_checked_character_by_character() {
        for function_arn in [
            "arn:aws:lambda:US-EAST-1:123456789012:function:f",
            "arn:aws:lambda:us-east-1:12345678901:function:f",
            "arn:aws-moon:lambda:us-east-1:123456789012:function:f",
            "arn:aws:Lambda:us-east-1:123456789012:function:f",
            "arn:aws:lambda:cn-north-1:123456789012:function:f",
            "arn:aws:lambda:us-east-1:123456789012:function:f ",
        ] {
            let config = InvokerState {
                function_arn: v(function_arn),
                ..minimal()
            };
            assert_eq!(paths(&config), ["function_arn"], "{function_arn}");
        }
    }

    #[test]
    fn dates_only_for_recurring_and_in_order() {
        let at = InvokerState {
            schedule_expression: v("at(2030-01-01T09:00:00)"),
            start_date: v("2029-01-01T00:00:00Z"),
            ..minimal()
        };
        assert_eq!(paths(&at), ["start_date"]);
        let reversed = InvokerState {
            start_date: v("2030-01-02T00:00:00Z"),
            end_date: v("2030-01-01T00:00:00Z"),
            ..minimal()
        };
        assert_eq!(paths(&reversed), ["end_date"]);
    }

    #[test]
    fn nested_blocks_report_their_paths() {
        let config = InvokerState {
            retry_policy: Block::Items(vec![RetryPolicy {
                maximum_event_age_in_seconds: Value::Value(59),
                maximum_retry_attempts: Value::Value(186),
            }]),
            role: Block::Items(vec![RoleSettings {
                name: v(&"r".repeat(65)),
                path: v("no-slashes"),
                ..Default::default()
            }]),
            timeouts: Block::Items(vec![Timeouts {
                create: v("2 minutes"),
                ..Default::default()
            }]),
            ..minimal()
        };
        assert_eq!(
            paths(&config),
            [
                "retry_policy[0].maximum_event_age_in_seconds",
                "retry_policy[0].maximum_retry_attempts",
                "role[0].name",
                "role[0].path",
                "timeouts[0].create"
            ]
        );
    }

    #[test]
    fn conflicts() {
        let both_names = InvokerState {
            name: v("a"),
            name_prefix: v("b"),
            ..minimal()
        };
        assert_eq!(paths(&both_names), ["name_prefix"]);
        let role_and_existing = InvokerState {
            existing_role_arn: v("arn:aws:iam::123456789012:role/mine"),
            role: Block::Items(vec![RoleSettings::default()]),
            ..minimal()
        };
        assert_eq!(paths(&role_and_existing), ["existing_role_arn"]);
    }

    #[test]
    fn unknown_values_are_skipped() {
        let config = InvokerState {
            function_arn: Value::Unknown,
            schedule_expression: Value::Unknown,
            input: Value::Unknown,
            start_date: v("2030-01-01T00:00:00Z"),
            role: Block::Unknown,
            ..Default::default()
        };
        assert!(validate(&config).is_empty());
    }
}
