//! Properties of the provider's pure parsers and policy builders (issue 9
//! point 6), checked with proptest on generated inputs rather than examples:
//!
//! - schedule expressions: every valid `at()`, `rate()` and 6-field `cron()`
//!   (with `? L W #`, ranges, steps, lists, names in any case) built from its
//!   parts parses back to those parts; mutated and arbitrary text never
//!   panics and errors stay on one line;
//! - ARNs: `parse(render(fields))` gives the fields back; no input panics
//!   any of the ARN shapes;
//! - policy builders: no `Resource = "*"` unless a free statement asked for
//!   it (and then [`wildcard_resources`] reports it, which validation turns
//!   into an error without `allow_wildcard_resources`); every scheduler
//!   trust policy carries `aws:SourceAccount` and `aws:SourceArn`;
//! - policy equivalence: statement and list order, singleton lists versus
//!   scalars, and the case of actions and condition keys do not matter;
//!   changing one action does.
//!
//! Plus [`fuzz_parsers`], a bounded random-input driver for the expression
//! and ARN parsers (the stable-Rust counterpart of the cargo-fuzz targets in
//! `fuzz/`): `LAMBDAWIRE_FUZZ_SECONDS=600 cargo test --release --test
//! properties fuzz_parsers -- --nocapture`.

use std::time::{Duration, Instant};

use proptest::prelude::*;
use proptest::strategy::ValueTree;
use proptest::test_runner::{Config, TestRunner};
use serde_json::{json, Value};

use lambdawire::lambda::function_ref::parse_function_ref;
use lambdawire::lambda::principal::principal_for_arn;
use lambdawire::policy::builders::{
    execution_role_policy, invoker_policy, scheduler_invoke_policy, scheduler_trust_policy,
    wildcard_resources, ExecutionPolicyInput, FreeStatement, ScheduleKey,
};
use lambdawire::policy::document::PolicyDocument;
use lambdawire::policy::equivalence::equivalent;
use lambdawire::validate::arn::{self, Arn, Partition};
use lambdawire::validate::duration;
use lambdawire::validate::schedule_expression::{
    parse_schedule_expression, CronExpression, CronItem, DayOfMonth, DayOfWeek, RateUnit,
    ScheduleExpression,
};

/// Cases per property: enough to find shape bugs, few enough that the whole
/// file runs in seconds in every `cargo test`.
const CASES: u32 = 256;

fn config() -> ProptestConfig {
    ProptestConfig {
        cases: CASES,
        failure_persistence: None,
        ..ProptestConfig::default()
    }
}

// ------------------------------------------------------------ expressions

/// What a numeric cron field accepts, as the parser's tables say.
#[derive(Clone, Copy)]
struct Field {
    min: u32,
    max: u32,
    max_step: Option<u32>,
    names: &'static [&'static str],
}

const MINUTES: Field = Field {
    min: 0,
    max: 59,
    max_step: Some(59),
    names: &[],
};
const HOURS: Field = Field {
    min: 0,
    max: 23,
    max_step: Some(23),
    names: &[],
};
const DAY_OF_MONTH: Field = Field {
    min: 1,
    max: 31,
    max_step: Some(31),
    names: &[],
};
const MONTH: Field = Field {
    min: 1,
    max: 12,
    max_step: Some(12),
    names: &[
        "JAN", "FEB", "MAR", "APR", "MAY", "JUN", "JUL", "AUG", "SEP", "OCT", "NOV", "DEC",
    ],
};
const DAY_OF_WEEK: Field = Field {
    min: 1,
    max: 7,
    max_step: None,
    names: &["SUN", "MON", "TUE", "WED", "THU", "FRI", "SAT"],
};
const YEAR: Field = Field {
    min: 1970,
    max: 2199,
    max_step: Some(229),
    names: &[],
};

/// A value of the field, and how to write it: a number or, where the field
/// has names, a name in upper, lower or mixed case.
fn value_text(field: Field) -> impl Strategy<Value = (u32, String)> {
    (field.min..=field.max, 0..4u8).prop_map(move |(v, style)| {
        let index = (v - field.min) as usize;
        let text = match field.names.get(index) {
            Some(name) if style == 1 => name.to_string(),
            Some(name) if style == 2 => name.to_lowercase(),
            Some(name) if style == 3 => {
                let (first, rest) = name.split_at(1);
                format!("{first}{}", rest.to_lowercase())
            }
            _ => v.to_string(),
        };
        (v, text)
    })
}

fn step(field: Field) -> BoxedStrategy<Option<u32>> {
    match field.max_step {
        Some(max) => prop_oneof![Just(None), (1..=max).prop_map(Some)].boxed(),
        None => Just(None).boxed(),
    }
}

fn with_step(text: String, step: Option<u32>) -> String {
    match step {
        Some(s) => format!("{text}/{s}"),
        None => text,
    }
}

/// One list element with its text.
fn item(field: Field) -> impl Strategy<Value = (CronItem, String)> {
    let all = step(field).prop_map(|step| (CronItem::All { step }, with_step("*".into(), step)));
    let value = value_text(field).prop_map(|(v, t)| (CronItem::Value(v), t));
    let stepped = (value_text(field), step(field)).prop_filter_map(
        "steps need a field that takes them",
        |((start, text), step)| {
            step.map(|step| (CronItem::Stepped { start, step }, format!("{text}/{step}")))
        },
    );
    let range =
        (value_text(field), value_text(field), step(field)).prop_map(|((a, at), (b, bt), step)| {
            let ((start, st), (end, et)) = if a <= b {
                ((a, at), (b, bt))
            } else {
                ((b, bt), (a, at))
            };
            (
                CronItem::Range { start, end, step },
                with_step(format!("{st}-{et}"), step),
            )
        });
    if field.max_step.is_some() {
        prop_oneof![all, value, stepped, range].boxed()
    } else {
        prop_oneof![all, value, range].boxed()
    }
}

fn list(field: Field) -> impl Strategy<Value = (Vec<CronItem>, String)> {
    proptest::collection::vec(item(field), 1..4).prop_map(|items| {
        let text = items
            .iter()
            .map(|(_, t)| t.as_str())
            .collect::<Vec<_>>()
            .join(",");
        (items.into_iter().map(|(i, _)| i).collect(), text)
    })
}

fn case_of(text: &str, lower: bool) -> String {
    if lower {
        text.to_lowercase()
    } else {
        text.to_string()
    }
}

fn day_of_month() -> impl Strategy<Value = (DayOfMonth, String)> {
    prop_oneof![
        list(DAY_OF_MONTH).prop_map(|(items, t)| (DayOfMonth::Items(items), t)),
        any::<bool>().prop_map(|l| (DayOfMonth::LastDay, case_of("L", l))),
        any::<bool>().prop_map(|l| (DayOfMonth::LastWeekday, case_of("LW", l))),
        (1..=31u32, any::<bool>())
            .prop_map(|(d, l)| (DayOfMonth::NearestWeekday(d), case_of(&format!("{d}W"), l))),
    ]
}

fn day_of_week() -> impl Strategy<Value = (DayOfWeek, String)> {
    prop_oneof![
        list(DAY_OF_WEEK).prop_map(|(items, t)| (DayOfWeek::Items(items), t)),
        any::<bool>().prop_map(|l| (DayOfWeek::LastDayOfWeek, case_of("L", l))),
        (value_text(DAY_OF_WEEK), any::<bool>())
            .prop_map(|((d, t), l)| (DayOfWeek::LastInMonth(d), format!("{t}{}", case_of("L", l)))),
        (value_text(DAY_OF_WEEK), 1..=5u32)
            .prop_map(|((day, t), nth)| (DayOfWeek::NthInMonth { day, nth }, format!("{t}#{nth}"))),
    ]
}

fn cron() -> impl Strategy<Value = (ScheduleExpression, String)> {
    // Exactly one of day-of-month and day-of-week is `?`.
    let days = prop_oneof![
        day_of_month().prop_map(|(dom, t)| (dom, t, DayOfWeek::NoSpecificValue, "?".to_string())),
        day_of_week().prop_map(|(dow, t)| (DayOfMonth::NoSpecificValue, "?".to_string(), dow, t)),
    ];
    (
        list(MINUTES),
        list(HOURS),
        days,
        list(MONTH),
        list(YEAR),
        1..3usize,
    )
        .prop_map(
            |(
                (minutes, mt),
                (hours, ht),
                (dom, domt, dow, dowt),
                (month, mot),
                (year, yt),
                gap,
            )| {
                let sep = " ".repeat(gap);
                let text = [mt, ht, domt, mot, dowt, yt].join(&sep);
                (
                    ScheduleExpression::Cron(CronExpression {
                        minutes,
                        hours,
                        day_of_month: dom,
                        month,
                        day_of_week: dow,
                        year,
                    }),
                    format!("cron({text})"),
                )
            },
        )
}

fn rate() -> impl Strategy<Value = (ScheduleExpression, String)> {
    let unit = prop_oneof![
        Just((RateUnit::Minutes, "minute")),
        Just((RateUnit::Hours, "hour")),
        Just((RateUnit::Days, "day")),
    ];
    let value = prop_oneof![Just(1u32), 2..=1000u32, any::<u32>().prop_map(|v| v.max(1))];
    (value, unit, 0..3usize).prop_map(|(value, (unit, word), zeros)| {
        let plural = if value == 1 { "" } else { "s" };
        let text = format!("rate({}{value} {word}{plural})", "0".repeat(zeros));
        (ScheduleExpression::Rate { value, unit }, text)
    })
}

fn at() -> impl Strategy<Value = (ScheduleExpression, String)> {
    (
        0..=9999i32,
        1..=12u32,
        1..=31u32,
        0..24u32,
        0..60u32,
        0..60u32,
    )
        .prop_filter_map("a real calendar date", |(y, mo, d, h, mi, s)| {
            let moment = chrono::NaiveDate::from_ymd_opt(y, mo, d)?.and_hms_opt(h, mi, s)?;
            let text = format!("at({y:04}-{mo:02}-{d:02}T{h:02}:{mi:02}:{s:02})");
            Some((ScheduleExpression::At(moment), text))
        })
}

fn expression() -> impl Strategy<Value = (ScheduleExpression, String)> {
    prop_oneof![at(), rate(), cron()]
}

/// A small edit of a text: what a typo, or an attacker, does to it.
#[derive(Clone, Debug)]
enum Edit {
    Delete(usize),
    Insert(usize, char),
    Replace(usize, char),
    Duplicate(usize, usize),
}

fn edits() -> impl Strategy<Value = Vec<Edit>> {
    let chars = prop_oneof![
        proptest::sample::select(
            " ?*/,-#LW()0123456789\n\t\"\\:aZ\u{FF15}\u{0430}\u{00A0}\u{200B}\u{1F600}"
                .chars()
                .collect::<Vec<_>>()
        ),
        any::<char>(),
    ];
    let edit = prop_oneof![
        any::<usize>().prop_map(Edit::Delete),
        (any::<usize>(), chars.clone()).prop_map(|(i, c)| Edit::Insert(i, c)),
        (any::<usize>(), chars).prop_map(|(i, c)| Edit::Replace(i, c)),
        (any::<usize>(), 1..40usize).prop_map(|(i, n)| Edit::Duplicate(i, n)),
    ];
    proptest::collection::vec(edit, 1..5)
}

fn apply(text: &str, edits: &[Edit]) -> String {
    let mut chars: Vec<char> = text.chars().collect();
    for edit in edits {
        let at = |i: usize, len: usize| if len == 0 { 0 } else { i % len };
        match *edit {
            Edit::Delete(i) if !chars.is_empty() => {
                let i = at(i, chars.len());
                chars.remove(i);
            }
            Edit::Insert(i, c) => {
                let i = at(i, chars.len() + 1);
                chars.insert(i, c);
            }
            Edit::Replace(i, c) if !chars.is_empty() => {
                let i = at(i, chars.len());
                chars[i] = c;
            }
            Edit::Duplicate(i, n) if !chars.is_empty() => {
                let i = at(i, chars.len());
                let run: Vec<char> = std::iter::repeat_n(chars[i], n).collect();
                chars.splice(i..i, run);
            }
            _ => {}
        }
    }
    chars.into_iter().collect()
}

/// Errors are shown on one diagnostic line: the offending text is quoted
/// and escaped, never pasted raw.
fn one_line(result: Result<ScheduleExpression, String>) -> Result<(), TestCaseError> {
    if let Err(message) = result {
        prop_assert!(!message.contains('\n'), "multi-line error: {message:?}");
        prop_assert!(!message.is_empty());
    }
    Ok(())
}

proptest! {
    #![proptest_config(config())]

    #[test]
    fn valid_expressions_parse_back_to_their_parts((expected, text) in expression()) {
        prop_assert_eq!(parse_schedule_expression(&text), Ok(expected), "{}", text);
    }

    #[test]
    fn edited_expressions_never_panic((_, text) in expression(), edits in edits()) {
        one_line(parse_schedule_expression(&apply(&text, &edits)))?;
    }

    #[test]
    fn arbitrary_text_never_panics_the_expression_parser(text in any::<String>()) {
        for candidate in [text.clone(), format!("cron({text})"), format!("rate({text})"), format!("at({text})")] {
            one_line(parse_schedule_expression(&candidate))?;
        }
    }

    #[test]
    fn arbitrary_durations_never_panic(text in "[0-9.hms ]{0,12}|\\PC{0,12}") {
        if let Ok(parsed) = duration::parse(&text) {
            prop_assert!(parsed <= duration::MAX);
        }
    }
}

// ------------------------------------------------------------ ARNs

fn region() -> impl Strategy<Value = String> {
    prop_oneof![
        Just(String::new()),
        proptest::sample::select(vec![
            "us-east-1",
            "eu-west-3",
            "ap-southeast-2",
            "cn-north-1",
            "us-gov-west-1",
            "us-iso-east-1",
            "us-isob-east-1",
            "eu-isoe-west-1",
            "us-isof-south-1",
            "eusc-de-east-1",
            "il-central-1",
            "mx-central-1",
        ])
        .prop_map(str::to_string),
        region_name(),
    ]
}

/// A region name of AWS's shape: one or more lower-case words, the last a
/// compass direction (`east`, `southeast`, `central`...), then a number.
/// The parser refuses a middle word that is not a direction (`us-est-1`),
/// so a generator of any lower-case word would make invalid ARNs.
fn region_name() -> impl Strategy<Value = String> {
    let direction = proptest::sample::select(vec![
        "east",
        "west",
        "north",
        "south",
        "central",
        "northeast",
        "northwest",
        "southeast",
        "southwest",
    ]);
    ("[a-z]{2,4}(-[a-z]{2,5})?", direction, 1..=99u32)
        .prop_map(|(area, direction, n)| format!("{area}-{direction}-{n}"))
}

/// A resource part: anything printable, colons and wildcards included, not
/// starting or ending with white space (the parser refuses padded ARNs).
fn resource() -> impl Strategy<Value = String> {
    prop_oneof!["[a-zA-Z0-9/:_.*?@+=,-]{1,60}", "\\PC{1,30}",]
        .prop_filter("no padding", |r| r.trim() == r && !r.is_empty())
}

fn fields() -> impl Strategy<Value = (String, String, String, String)> {
    let account = prop_oneof![Just(String::new()), "[0-9]{12}", Just("aws".to_string())];
    ("[a-z][a-z0-9-]{0,20}", region(), account, resource())
}

fn render(
    partition: Partition,
    service: &str,
    region: &str,
    account: &str,
    resource: &str,
) -> String {
    format!("arn:{partition}:{service}:{region}:{account}:{resource}")
}

fn function_name() -> impl Strategy<Value = String> {
    "[A-Za-z0-9_-]{1,64}"
}

fn function_arn() -> impl Strategy<Value = String> {
    let qualifier =
        proptest::option::of(prop_oneof!["[0-9]{1,5}", "[A-Za-z_-][A-Za-z0-9_-]{0,20}"]);
    (region_name(), "[0-9]{12}", function_name(), qualifier).prop_map(
        |(region, account, name, qualifier)| {
            let partition = Partition::of_region(&region);
            let q = qualifier.map(|q| format!(":{q}")).unwrap_or_default();
            format!("arn:{partition}:lambda:{region}:{account}:function:{name}{q}")
        },
    )
}

fn queue_arn() -> impl Strategy<Value = String> {
    ("[0-9]{12}", "[A-Za-z0-9_-]{1,75}", any::<bool>()).prop_map(|(account, name, fifo)| {
        let suffix = if fifo { ".fifo" } else { "" };
        format!("arn:aws:sqs:us-east-1:{account}:{name}{suffix}")
    })
}

proptest! {
    #![proptest_config(config())]

    #[test]
    fn arns_parse_back_to_their_fields((service, region, account, resource) in fields()) {
        // The partition follows the region, as AWS's do.
        let partition = Partition::of_region(&region);
        let text = render(partition, &service, &region, &account, &resource);
        let expected = Arn {
            partition,
            service: &service,
            region: &region,
            account: &account,
            resource: &resource,
        };
        prop_assert_eq!(arn::parse(&text), Ok(expected.clone()), "{}", text);
        prop_assert_eq!(arn::parse_pattern(&text), Ok(expected), "{}", text);
    }

    #[test]
    fn function_arns_split_into_name_and_qualifier(text in function_arn()) {
        let parsed = arn::lambda_function(&text);
        prop_assert!(parsed.is_ok(), "{}: {:?}", text, parsed);
        let Ok(parsed) = parsed else { unreachable!() };
        let rebuilt = match parsed.qualifier {
            Some(q) => format!("{}:{q}", parsed.unqualified()),
            None => parsed.unqualified().to_string(),
        };
        prop_assert_eq!(&rebuilt, &text);
        let tail = format!("function:{}", parsed.name);
        prop_assert!(parsed.unqualified().ends_with(&tail), "{}", text);
    }

    #[test]
    fn a_wildcard_in_region_or_account_is_never_one_object(
        text in function_arn(),
        field in 3..5usize,
        wildcard in prop_oneof![Just("*"), Just("?"), Just("us-*-1"), Just("12345678901?")],
    ) {
        let mut parts: Vec<String> = text.splitn(6, ':').map(str::to_string).collect();
        parts[field] = wildcard.to_string();
        let widened = parts.join(":");
        prop_assert!(arn::parse(&widened).is_err(), "{}", widened);
        prop_assert!(arn::lambda_function(&widened).is_err(), "{}", widened);
    }

    #[test]
    fn arbitrary_text_never_panics_the_arn_parsers(text in prop_oneof![
        any::<String>(),
        "arn:[a-z*?:-]{0,12}:[a-z0-9*?-]{0,12}:[a-z0-9*?:-]{0,14}:[0-9a-z*?]{0,13}:\\PC{0,40}",
    ]) {
        let _ = arn::parse(&text);
        let _ = arn::parse_pattern(&text).map(|a| a.unscoped_because());
        let _ = arn::lambda_function(&text).map(|f| f.unqualified().len());
        let _ = arn::sqs_queue(&text);
        let _ = arn::kms_key(&text);
        let _ = arn::dynamodb_table(&text);
        let _ = arn::secret(&text);
        let _ = arn::s3_read(&text);
        let _ = arn::iam_role(&text);
        let _ = arn::iam_role_path(&text);
        let _ = arn::iam_policy(&text);
        let _ = principal_for_arn(&text);
        let _ = parse_function_ref(&text);
    }
}

// ------------------------------------------------------------ policy builders

fn document(text: &str) -> Value {
    serde_json::from_str(text)
        .unwrap_or_else(|e| panic!("builder wrote invalid JSON ({e}): {text}"))
}

/// A string or array field as a list.
fn list_of(value: &Value) -> Vec<String> {
    match value {
        Value::String(s) => vec![s.clone()],
        Value::Array(items) => items
            .iter()
            .map(|i| i.as_str().unwrap_or_default().to_string())
            .collect(),
        _ => Vec::new(),
    }
}

fn resources(policy: &Value) -> Vec<String> {
    policy["Statement"]
        .as_array()
        .into_iter()
        .flatten()
        .flat_map(|s| list_of(&s["Resource"]))
        .collect()
}

fn account() -> impl Strategy<Value = String> {
    "[0-9]{12}"
}

fn free_statement() -> impl Strategy<Value = FreeStatement> {
    let resource = prop_oneof![
        3 => "arn:aws:s3:::[a-z0-9.-]{3,20}(/[a-z*]{0,8})?",
        2 => "arn:aws:sns:us-east-1:[0-9]{12}:[a-z]{1,10}",
        1 => Just("*".to_string()),
        1 => Just("arn:aws:sns:*:123456789012:t".to_string()),
        1 => Just("arn:aws:sns:us-east-1:*:t".to_string()),
    ];
    (
        proptest::option::of("[A-Za-z0-9]{1,12}"),
        proptest::collection::vec("[a-z0-9]{2,8}:[A-Z][A-Za-z]{2,12}", 1..4),
        proptest::collection::vec(resource, 1..4),
    )
        .prop_map(|(sid, actions, resources)| FreeStatement {
            sid,
            actions,
            resources,
        })
}

fn execution_input() -> impl Strategy<Value = ExecutionPolicyInput> {
    let arns = |pattern: &'static str| proptest::collection::vec(pattern, 0..3);
    (
        ("[a-z]{2}-[a-z]{4,9}-[1-9]", account(), function_name()),
        arns("arn:aws:sqs:us-east-1:[0-9]{12}:[a-z0-9_-]{1,20}"),
        arns("arn:aws:dynamodb:us-east-1:[0-9]{12}:table/[a-z0-9_.-]{3,20}(/index/[a-z]{3,8})?"),
        proptest::collection::vec(
            proptest::sample::select(vec!["GetItem", "dynamodb:Query", "PutItem", "dynamodb:DeleteItem"]),
            0..3,
        ),
        arns("arn:aws:secretsmanager:us-east-1:[0-9]{12}:secret:[a-z/]{1,12}-([A-Za-z0-9]{6}|\\?{6})"),
        arns("arn:aws:s3:::[a-z0-9.-]{3,20}(/[a-z*/]{1,10})?"),
        proptest::collection::vec(free_statement(), 0..3),
        proptest::collection::vec(("[A-Za-z0-9+=,.@_-]{1,20}", proptest::option::of("[0-9A-Za-z_.-]{1,20}")), 0..3),
    )
        .prop_map(|((region, account_id, function_name), sqs, tables, actions, secrets, s3, statements, creators)| {
            let schedule_creators = creators
                .into_iter()
                .map(|(role, group)| lambdawire::policy::builders::ScheduleCreator {
                    scheduler_role_arn: format!("arn:{}:iam::{account_id}:role/{role}", Partition::of_region(&region)),
                    schedule_group: group,
                })
                .collect();
            ExecutionPolicyInput {
                partition: Partition::of_region(&region).to_string(),
                region,
                account_id,
                function_name,
                sqs_queue_arns: sqs,
                dynamodb_table_arns: tables,
                dynamodb_actions: actions.into_iter().map(str::to_string).collect(),
                secret_arns: secrets,
                s3_read_arns: s3,
                schedule_creators,
                statements,
            }
        })
}

proptest! {
    #![proptest_config(config())]

    #[test]
    fn scheduler_trust_policies_carry_both_confused_deputy_conditions(
        region in region_name(),
        account in account(),
        group in proptest::option::of("[0-9A-Za-z_.-]{1,64}"),
    ) {
        let partition = Partition::of_region(&region).to_string();
        let policy = document(&scheduler_trust_policy(&partition, &region, &account, group.as_deref()));
        let statements = policy["Statement"].as_array().cloned().unwrap_or_default();
        prop_assert_eq!(statements.len(), 1);
        let statement = &statements[0];
        prop_assert_eq!(&statement["Principal"], &json!({"Service": "scheduler.amazonaws.com"}));
        prop_assert_eq!(&statement["Action"], &json!("sts:AssumeRole"));
        prop_assert_eq!(
            &statement["Condition"]["StringEquals"]["aws:SourceAccount"],
            &json!(account)
        );
        let expected_group = group.clone().unwrap_or_else(|| "*".to_string());
        let operator = if group.is_some() { "ArnEquals" } else { "ArnLike" };
        prop_assert_eq!(
            &statement["Condition"][operator]["aws:SourceArn"],
            &json!(format!("arn:{partition}:scheduler:{region}:{account}:schedule-group/{expected_group}"))
        );
        // Nothing else may loosen or replace the two conditions.
        prop_assert_eq!(statement["Condition"].as_object().map(|c| c.len()), Some(2));
    }

    #[test]
    fn invoke_policies_grant_only_the_named_functions_and_queues(
        functions in proptest::collection::vec(function_arn(), 1..4),
        queues in proptest::collection::vec(queue_arn(), 0..3),
        key_account in proptest::option::of(account()),
    ) {
        let function_refs: Vec<&str> = functions.iter().map(String::as_str).collect();
        let queue_refs: Vec<&str> = queues.iter().map(String::as_str).collect();
        let key_arn = key_account.as_ref().map(|a| format!("arn:aws:kms:us-east-1:{a}:key/1234abcd"));
        let key = key_arn.as_deref().map(|key_arn| ScheduleKey {
            key_arn,
            schedule_arn: "arn:aws:scheduler:us-east-1:123456789012:schedule/default/s",
        });
        let mut allowed: Vec<String> = queues.clone();
        for f in &functions {
            allowed.push(f.clone());
            allowed.push(format!("{f}:*"));
        }
        allowed.extend(key_arn.clone());
        let shared = document(&scheduler_invoke_policy(&function_refs, &queue_refs));
        let invoker = document(&invoker_policy(&functions[0], queue_refs.first().copied(), key.as_ref()));
        for policy in [&shared, &invoker] {
            for resource in resources(policy) {
                prop_assert!(resource != "*", "{}", policy);
                prop_assert!(allowed.contains(&resource), "{} grants {}", policy, resource);
                // A qualified ARN is never widened with `:*`.
                if let Some(base) = resource.strip_suffix(":*") {
                    prop_assert!(arn::lambda_function(base).is_ok_and(|f| f.qualifier.is_none()));
                }
            }
        }
    }

    #[test]
    fn execution_policies_hold_a_star_only_where_a_statement_asked(input in execution_input()) {
        let policy = document(&execution_role_policy(&input));
        let granted = resources(&policy);
        let asked_for_wildcards = !wildcard_resources(&input).is_empty();
        for resource in &granted {
            let wide = resource == "*"
                || arn::parse_pattern(resource)
                    .is_ok_and(|a| arn::has_wildcard(a.region) || arn::has_wildcard(a.account));
            prop_assert!(!wide || asked_for_wildcards, "{} unflagged in {}", resource, policy);
            if resource == "*" {
                prop_assert!(input.statements.iter().any(|s| s.resources.iter().any(|r| r == "*")));
            }
        }
        // Logs stay on this function's own log group.
        let logs = format!(
            "arn:{}:logs:{}:{}:log-group:/aws/lambda/{}",
            input.partition, input.region, input.account_id, input.function_name
        );
        prop_assert!(granted.contains(&logs));
    }
}

// ------------------------------------------------------------ equivalence

/// Distinct actions, so that replacing one is always a real change.
const ACTIONS: [&str; 8] = [
    "lambda:InvokeFunction",
    "sqs:SendMessage",
    "kms:Decrypt",
    "logs:PutLogEvents",
    "s3:GetObject",
    "sns:Publish",
    "dynamodb:Query",
    "states:StartExecution",
];

#[derive(Clone, Debug)]
struct Stmt {
    actions: Vec<usize>,
    resources: Vec<String>,
    accounts: Vec<String>,
}

fn statements() -> impl Strategy<Value = Vec<Stmt>> {
    let stmt = (
        proptest::sample::subsequence((0..ACTIONS.len()).collect::<Vec<_>>(), 1..4),
        proptest::collection::vec("arn:aws:s3:::[a-z]{3,8}", 1..3),
        proptest::collection::vec("[0-9]{12}", 0..3),
    )
        .prop_map(|(actions, resources, accounts)| Stmt {
            actions,
            resources,
            accounts,
        });
    proptest::collection::vec(stmt, 1..4)
}

/// `items` as a scalar when there is one and `scalar` says so, else an array.
fn list_json(items: &[String], scalar: bool) -> Value {
    match items {
        [one] if scalar => json!(one),
        _ => json!(items),
    }
}

/// One way of writing the statements: `order` permutes statements and their
/// lists, `scalars` picks singleton form, `shout` the case of actions and
/// condition keys. Every statement has its own Sid, so no two are equal.
fn write(statements: &[Stmt], order: &[usize], scalars: bool, shout: bool) -> String {
    let rotate = |n: usize, by: usize| -> Vec<usize> { (0..n).map(|i| (i + by) % n).collect() };
    let written: Vec<Value> = order
        .iter()
        .map(|&i| {
            let s = &statements[i];
            let pick = |items: &[String]| -> Vec<String> {
                rotate(items.len(), order.len() + i)
                    .into_iter()
                    .map(|j| items[j].clone())
                    .collect()
            };
            let actions: Vec<String> = s
                .actions
                .iter()
                .map(|&a| {
                    if shout {
                        ACTIONS[a].to_uppercase()
                    } else {
                        ACTIONS[a].to_string()
                    }
                })
                .collect();
            let mut statement = json!({
                "Sid": format!("S{i}"),
                "Effect": "Allow",
                "Action": list_json(&pick(&actions), scalars),
                "Resource": list_json(&pick(&s.resources), scalars),
            });
            if !s.accounts.is_empty() {
                let key = if shout {
                    "AWS:SOURCEACCOUNT"
                } else {
                    "aws:SourceAccount"
                };
                statement["Condition"] =
                    json!({"StringEquals": {key: list_json(&pick(&s.accounts), scalars)}});
            }
            statement
        })
        .collect();
    json!({"Version": "2012-10-17", "Statement": written}).to_string()
}

proptest! {
    #![proptest_config(config())]

    #[test]
    fn order_singletons_and_case_do_not_change_a_policy(
        statements in statements(),
        seed in any::<u64>(),
        scalars in any::<bool>(),
        shout in any::<bool>(),
    ) {
        let n = statements.len();
        let straight: Vec<usize> = (0..n).collect();
        let shuffled: Vec<usize> = (0..n).map(|i| (i + seed as usize) % n).rev().collect();
        let a = write(&statements, &straight, true, false);
        let b = write(&statements, &shuffled, scalars, shout);
        prop_assert!(equivalent(&a, &b), "{} vs {}", a, b);
        // The typed document round-trips through its own writer.
        let parsed = PolicyDocument::parse(&a).map_err(TestCaseError::fail)?;
        prop_assert!(equivalent(&parsed.to_json(), &a));
    }

    #[test]
    fn changing_one_action_changes_the_policy(
        statements in statements(),
        which in any::<usize>(),
        replacement in 0..ACTIONS.len(),
    ) {
        let mut changed = statements.clone();
        let target = which % changed.len();
        let position = which % changed[target].actions.len();
        let replacement = (0..ACTIONS.len())
            .map(|k| (replacement + k) % ACTIONS.len())
            .find(|a| !changed[target].actions.contains(a))
            .unwrap_or(replacement);
        prop_assume!(!changed[target].actions.contains(&replacement));
        changed[target].actions[position] = replacement;
        let order: Vec<usize> = (0..statements.len()).collect();
        let a = write(&statements, &order, true, false);
        let b = write(&changed, &order, true, false);
        prop_assert!(!equivalent(&a, &b), "{} vs {}", a, b);
    }
}

// ------------------------------------------------------------ fuzzing

/// Seeds the fuzzer mutates: valid texts of every form, so that mutations
/// stay near the grammar where the interesting branches are.
const SEEDS: &[&str] = &[
    "at(2030-01-01T09:00:00)",
    "rate(5 minutes)",
    "rate(1 day)",
    "cron(0 12 * * ? *)",
    "cron(15 10 ? * 6L 2002-2005)",
    "cron(0/5 8-17 ? JAN-MAR,jul MON-FRI *)",
    "cron(0 0 LW * ? *)",
    "cron(0 0 15W * ? *)",
    "cron(0 9 ? * FRI#3 2030/2)",
    "arn:aws:lambda:us-east-1:123456789012:function:hook:live",
    "arn:aws:sqs:eu-west-3:123456789012:orders.fifo",
    "arn:aws-cn:kms:cn-north-1:123456789012:key/1234abcd-12ab",
    "arn:aws:dynamodb:us-east-1:123456789012:table/orders/index/*",
    "arn:aws:secretsmanager:us-east-1:123456789012:secret:db-??????",
    "arn:aws:s3:::uploads/incoming/*",
    "arn:aws:iam::123456789012:role/service-role/scheduler",
    "arn:aws:iam::aws:policy/PowerUserAccess",
    "arn:aws:execute-api:us-east-1:123456789012:a1b2c3/*/GET/items",
];

/// Everything the expression and ARN parsers are; a panic in any is a bug.
fn exercise(text: &str) {
    if let Err(message) = parse_schedule_expression(text) {
        assert!(
            !message.contains('\n'),
            "{text:?}: multi-line error {message:?}"
        );
    }
    let _ = arn::parse(text);
    let _ = arn::parse_pattern(text).map(|a| a.unscoped_because());
    let _ = arn::lambda_function(text).map(|f| f.unqualified().len());
    let _ = arn::sqs_queue(text);
    let _ = arn::kms_key(text);
    let _ = arn::dynamodb_table(text);
    let _ = arn::secret(text);
    let _ = arn::s3_read(text);
    let _ = arn::iam_role(text);
    let _ = arn::iam_role_path(text);
    let _ = arn::iam_policy(text);
    let _ = principal_for_arn(text);
    let _ = parse_function_ref(text);
    let _ = duration::parse(text);
}

/// Random inputs for `LAMBDAWIRE_FUZZ_SECONDS` (default 3, so `cargo test`
/// stays quick): mutated seeds and arbitrary strings, through every parser.
/// Prints how many inputs it tried.
#[test]
fn fuzz_parsers() {
    let seconds = std::env::var("LAMBDAWIRE_FUZZ_SECONDS")
        .ok()
        .and_then(|s| s.parse::<u64>().ok())
        .unwrap_or(3);
    let deadline = Instant::now() + Duration::from_secs(seconds);
    // Seeded afresh on each run (PROPTEST_RNG_SEED pins it), so every pass
    // explores new inputs.
    let mut runner = TestRunner::new(Config::default());
    let mutated = (proptest::sample::select(SEEDS), edits())
        .prop_map(|(seed, edits)| apply(seed, &edits))
        .boxed();
    let inputs = prop_oneof![4 => mutated, 1 => any::<String>()];
    let mut tried = 0u64;
    while Instant::now() < deadline {
        for _ in 0..1000 {
            let text = inputs
                .new_tree(&mut runner)
                .expect("generate an input")
                .current();
            if std::panic::catch_unwind(|| exercise(&text)).is_err() {
                panic!("a parser panicked on {text:?}");
            }
            tried += 1;
        }
    }
    println!("fuzz_parsers: {tried} inputs in {seconds}s, no panic");
}
