//! Plan-time validation of `lambdawire_scheduled_lambda_invoker`: pure, every
//! rule on a known value only, each problem on its attribute path.

use crate::plugin::diag::in_block;
use crate::plugin::{known, Problem, Str};
use crate::resources::managed_role::validate_role_block;
use crate::validate::arn;

use crate::validate::names;
use crate::validate::schedule_expression::parse_schedule_expression;
use crate::validate::time::{parse_rfc3339, parse_time_zone};

use super::model::InvokerState;

fn check(
    problems: &mut Vec<Problem>,
    attribute: &'static str,
    value: &Str,
    rule: impl Fn(&str) -> Result<(), String>,
) {
    if let Some(text) = known(value) {
        if let Err(why) = rule(text) {
            problems.push(Problem::at(attribute, format!("invalid {attribute}"), why));
        }
    }
}

fn one_of(allowed: &'static [&'static str]) -> impl Fn(&str) -> Result<(), String> {
    move |text| {
        if allowed.contains(&text) {
            Ok(())
        } else {
            Err(format!(
                "{text:?} is not allowed: use one of {}",
                allowed.join(", ")
            ))
        }
    }
}

/// Every problem in a configuration, each on its attribute path: names,
/// expression, dates, input, ARNs, role settings and timeouts. Known values
/// only; pure.
pub fn validate(config: &InvokerState) -> Vec<Problem> {
    let mut problems = Vec::new();
    let p = &mut problems;
    check(p, "name", &config.name, names::schedule_name);
    check(
        p,
        "name_prefix",
        &config.name_prefix,
        names::schedule_name_prefix,
    );
    if !config.name.is_null() && !config.name_prefix.is_null() {
        p.push(Problem::at(
            "name_prefix",
            "conflicting name and name_prefix",
            "Set name for a fixed name, name_prefix for a generated one, or neither.",
        ));
    }
    check(
        p,
        "group_name",
        &config.group_name,
        names::schedule_group_name,
    );
    check(p, "function_arn", &config.function_arn, |t| {
        arn::lambda_function(t).map(|_| ())
    });
    let expression = known(&config.schedule_expression).map(parse_schedule_expression);
    if let Some(Err(why)) = &expression {
        p.push(Problem::at(
            "schedule_expression",
            "invalid schedule_expression",
            why.clone(),
        ));
    }
    let one_time = matches!(&expression, Some(Ok(e)) if e.is_one_time());
    check(
        p,
        "schedule_expression_timezone",
        &config.schedule_expression_timezone,
        |t| parse_time_zone(t).map(|_| ()),
    );
    let start = known(&config.start_date).map(parse_rfc3339);
    let end = known(&config.end_date).map(parse_rfc3339);
    for (attribute, parsed) in [("start_date", &start), ("end_date", &end)] {
        match parsed {
            Some(Err(why)) => p.push(Problem::at(attribute, format!("invalid {attribute}"), why.clone())),
            Some(Ok(_)) if one_time => p.push(Problem::at(
                attribute,
                format!("{attribute} does not apply to at() schedules"),
                "start_date and end_date bound rate() and cron() schedules only; an at() schedule fires once at its time.",
            )),
            _ => {}
        }
    }
    if let (Some(Ok(start)), Some(Ok(end))) = (&start, &end) {
        if end <= start {
            p.push(Problem::at(
                "end_date",
                "end_date is not after start_date",
                "end_date must be later than start_date.",
            ));
        }
    }
    check(p, "state", &config.state, one_of(&["ENABLED", "DISABLED"]));
    check(p, "description", &config.description, |t| {
        names::description(t, 512)
    });
    check(p, "input", &config.input, super::input::check);
    if let Some(minutes) = config.flexible_window_minutes.as_ref_option() {
        if !(1..=1440).contains(minutes) {
            p.push(Problem::at(
                "flexible_window_minutes",
                "flexible_window_minutes out of range",
                format!("{minutes} is not allowed: use 1-1440 minutes, or leave it null to turn the window off."),
            ));
        }
    }
    check(
        p,
        "action_after_completion",
        &config.action_after_completion,
        one_of(&["NONE", "DELETE"]),
    );
    if let Some(retry) = config.retry_policy.single() {
        let ranges = [
            (
                "maximum_event_age_in_seconds",
                &retry.maximum_event_age_in_seconds,
                60,
                86400,
            ),
            (
                "maximum_retry_attempts",
                &retry.maximum_retry_attempts,
                0,
                185,
            ),
        ];
        for (attribute, value, low, high) in ranges {
            if let Some(v) = value.as_ref_option() {
                if !(low..=high).contains(v) {
                    p.push(Problem::new(
                        in_block("retry_policy", attribute),
                        format!("{attribute} out of range"),
                        format!("{v} is not allowed: use {low}-{high}."),
                    ));
                }
            }
        }
    }
    check(p, "dead_letter_arn", &config.dead_letter_arn, |t| {
        arn::sqs_queue(t).map(|_| ())
    });
    check(p, "kms_key_arn", &config.kms_key_arn, |t| {
        arn::kms_key(t).map(|_| ())
    });
    check(p, "existing_role_arn", &config.existing_role_arn, |t| {
        arn::iam_role(t).map(|_| ())
    });
    if config.role.single().is_some() && !config.existing_role_arn.is_null() {
        p.push(Problem::at(
            "existing_role_arn",
            "conflicting existing_role_arn and role",
            "With existing_role_arn no role is created, so a role block has nothing to configure: remove one of them.",
        ));
    }
    p.extend(validate_role_block(&config.role));
    p.extend(crate::resources::timeouts::problems(&config.timeouts));
    problems
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::plugin::{Block, Value};
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
