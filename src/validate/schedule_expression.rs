//! EventBridge Scheduler schedule expressions (`at()`, `rate()`, `cron()`):
//! pure validation layer, no I/O.
//!
//! The goal is to reject at plan time what the Scheduler API would reject at
//! apply time, with a message that names the offending part and what is
//! allowed. Where AWS documentation is silent the parser errs on the strict
//! side, because a plan-time error is cheaper than a half-applied change.

use chrono::{NaiveDate, NaiveDateTime, NaiveTime};

const EXPECTED_FORMS: &str = "expected at(yyyy-mm-ddThh:mm:ss), rate(N minutes|hours|days) or cron(minutes hours day-of-month month day-of-week year)";

/// A parsed schedule expression.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ScheduleExpression {
    /// `at(yyyy-mm-ddThh:mm:ss)`: wall-clock time in the schedule's time zone.
    At(NaiveDateTime),
    /// `rate(N unit)`.
    Rate {
        /// N: 1 or more.
        value: u32,
        /// The unit, singular or plural in the text.
        unit: RateUnit,
    },
    /// `cron(minutes hours day-of-month month day-of-week year)`.
    Cron(CronExpression),
}

impl ScheduleExpression {
    /// One-time schedules need different handling (e.g. a moment in the past,
    /// `action_after_completion`), so callers ask rather than match.
    pub fn is_one_time(&self) -> bool {
        matches!(self, ScheduleExpression::At(_))
    }
}

/// Unit of a `rate()` expression.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum RateUnit {
    /// `minute` or `minutes`.
    Minutes,
    /// `hour` or `hours`.
    Hours,
    /// `day` or `days`.
    Days,
}

/// The six fields of a `cron()` expression. Month and day names are already
/// mapped to their numbers (JAN = 1, SUN = 1).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CronExpression {
    /// 0-59.
    pub minutes: Vec<CronItem>,
    /// 0-23.
    pub hours: Vec<CronItem>,
    /// 1-31, or `?` when `day_of_week` is set: one of the two must be `?`.
    pub day_of_month: DayOfMonth,
    /// 1-12 (JAN-DEC).
    pub month: Vec<CronItem>,
    /// 1-7 (SUN-SAT), or `?` when `day_of_month` is set.
    pub day_of_week: DayOfWeek,
    /// 1970-2199.
    pub year: Vec<CronItem>,
}

/// One comma-separated element of a cron field.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum CronItem {
    /// `*` or `*/step`.
    All {
        /// `None` for a plain `*`.
        step: Option<u32>,
    },
    /// `a`.
    Value(u32),
    /// `a/step`: from `a` to the end of the field's range.
    Stepped {
        /// `a`, the first value.
        start: u32,
        /// Every `step`-th value from `start`.
        step: u32,
    },
    /// `a-b` or `a-b/step`.
    Range {
        /// `a`, the first value.
        start: u32,
        /// `b`, the last value (included).
        end: u32,
        /// `None` for every value from `a` to `b`.
        step: Option<u32>,
    },
}

/// The day-of-month field.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum DayOfMonth {
    /// `?`.
    NoSpecificValue,
    /// Days of the month, 1-31.
    Items(Vec<CronItem>),
    /// `L`.
    LastDay,
    /// `LW`.
    LastWeekday,
    /// `nW`: the weekday nearest to day `n`.
    NearestWeekday(u32),
}

/// The day-of-week field (1 = SUN ... 7 = SAT).
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum DayOfWeek {
    /// `?`.
    NoSpecificValue,
    /// Days of the week, 1-7.
    Items(Vec<CronItem>),
    /// `L` alone: the last day of the week (Saturday).
    LastDayOfWeek,
    /// `nL`: the last day `n` of the month, e.g. `5L` = last Thursday.
    LastInMonth(u32),
    /// `n#k`: the `k`-th day `n` of the month, e.g. `6#3` = third Friday.
    NthInMonth {
        /// The day of the week, 1-7.
        day: u32,
        /// Which one in the month, 1-5.
        nth: u32,
    },
}

/// Parse a schedule expression exactly as EventBridge Scheduler accepts it.
pub fn parse_schedule_expression(input: &str) -> Result<ScheduleExpression, String> {
    if let Some(inner) = call_argument(input, "at") {
        return parse_at(inner).map(ScheduleExpression::At);
    }
    if let Some(inner) = call_argument(input, "rate") {
        return parse_rate(inner);
    }
    if let Some(inner) = call_argument(input, "cron") {
        return parse_cron(inner).map(ScheduleExpression::Cron);
    }
    Err(format!("{EXPECTED_FORMS}; got {input:?}"))
}

/// The text between `name(` and the final `)`; the keyword is case-sensitive
/// because AWS only documents (and only accepts) the lower-case forms.
fn call_argument<'a>(input: &'a str, name: &str) -> Option<&'a str> {
    input
        .strip_prefix(name)?
        .strip_prefix('(')?
        .strip_suffix(')')
}

/// The whole expression, quoted and escaped so errors stay on one line.
fn quoted(keyword: &str, inner: &str) -> String {
    format!("{:?}", format!("{keyword}({inner})"))
}

fn parse_at(inner: &str) -> Result<NaiveDateTime, String> {
    let shown = quoted("at", inner);
    let shape_error = || {
        format!("{shown}: expected exactly at(yyyy-mm-ddThh:mm:ss), with no time zone offset, \"Z\" or fractional seconds")
    };
    let bytes = inner.as_bytes();
    if bytes.len() != 19 {
        return Err(shape_error());
    }
    // Positions of the separators in yyyy-mm-ddThh:mm:ss; everything else is a digit.
    for (i, &b) in bytes.iter().enumerate() {
        let expected_separator = match i {
            4 | 7 => Some(b'-'),
            10 => Some(b'T'),
            13 | 16 => Some(b':'),
            _ => None,
        };
        let ok = match expected_separator {
            Some(sep) => b == sep,
            None => b.is_ascii_digit(),
        };
        if !ok {
            return Err(shape_error());
        }
    }
    // The shape check above guarantees ASCII digits, so these slices are on
    // character boundaries and parse cannot see a sign.
    let number = |range: std::ops::Range<usize>| -> Result<u32, String> {
        inner
            .get(range)
            .and_then(|s| s.parse::<u32>().ok())
            .ok_or_else(shape_error)
    };
    let year = i32::try_from(number(0..4)?).map_err(|_| shape_error())?;
    let date = NaiveDate::from_ymd_opt(year, number(5..7)?, number(8..10)?);
    let time = NaiveTime::from_hms_opt(number(11..13)?, number(14..16)?, number(17..19)?);
    match (date, time) {
        (Some(date), Some(time)) => Ok(NaiveDateTime::new(date, time)),
        _ => Err(format!(
            "{shown}: not a real calendar date and time (month 01-12, a day that exists in that month, hours 00-23, minutes and seconds 00-59)"
        )),
    }
}

fn parse_rate(inner: &str) -> Result<ScheduleExpression, String> {
    let shown = quoted("rate", inner);
    const SHAPE: &str = "expected rate(N unit) where N is a whole number of 1 or more and unit is minute|minutes|hour|hours|day|days";
    if inner.starts_with(' ') || inner.ends_with(' ') {
        return Err(format!(
            "{shown}: no spaces allowed just inside the parentheses; {SHAPE}"
        ));
    }
    if inner.chars().any(|c| c.is_whitespace() && c != ' ') {
        return Err(format!(
            "{shown}: separate the value and unit with spaces only; {SHAPE}"
        ));
    }
    let parts: Vec<&str> = inner.split(' ').filter(|p| !p.is_empty()).collect();
    let (value_text, unit_text) = match parts.as_slice() {
        [value, unit] => (*value, *unit),
        _ => return Err(format!("{shown}: {SHAPE}")),
    };
    let value = rate_value(&shown, value_text)?;
    let (unit, plural) = match unit_text {
        "minute" => (RateUnit::Minutes, false),
        "minutes" => (RateUnit::Minutes, true),
        "hour" => (RateUnit::Hours, false),
        "hours" => (RateUnit::Hours, true),
        "day" => (RateUnit::Days, false),
        "days" => (RateUnit::Days, true),
        _ => {
            return Err(format!(
                "{shown}: unit {unit_text:?} is not allowed; use minute|minutes|hour|hours|day|days"
            ))
        }
    };
    // AWS rejects "rate(1 minutes)" and "rate(5 minute)", so grammar is enforced.
    if value == 1 && plural {
        let singular = unit_text.trim_end_matches('s');
        return Err(format!(
            "{shown}: use the singular unit {singular:?} when the value is 1"
        ));
    }
    if value > 1 && !plural {
        return Err(format!(
            "{shown}: use the plural unit \"{unit_text}s\" when the value is greater than 1"
        ));
    }
    Ok(ScheduleExpression::Rate { value, unit })
}

/// The N of `rate(N unit)`: a whole number of 1 or more that fits a `u32`.
fn rate_value(shown: &str, value_text: &str) -> Result<u32, String> {
    if value_text.is_empty() || !value_text.bytes().all(|b| b.is_ascii_digit()) {
        return Err(format!(
            "{shown}: value {value_text:?} must be a whole number of 1 or more (digits only)"
        ));
    }
    let value = value_text.parse::<u32>().map_err(|_| {
        format!(
            "{shown}: value {value_text:?} is too large; the maximum is {}",
            u32::MAX
        )
    })?;
    if value == 0 {
        return Err(format!(
            "{shown}: value must be 1 or more; the shortest rate is rate(1 minute)"
        ));
    }
    Ok(value)
}

/// What a numeric cron field accepts.
struct FieldSpec {
    name: &'static str,
    min: u32,
    max: u32,
    /// Three-letter names for min..=max, in order; empty when the field has none.
    names: &'static [&'static str],
    /// Human description of the values, used in errors.
    values: &'static str,
    /// Largest `/n`; `None` when the field does not accept steps at all.
    max_step: Option<u32>,
    /// Special characters the field accepts, quoted in errors.
    specials: &'static str,
}

const MONTH_NAMES: &[&str] = &[
    "JAN", "FEB", "MAR", "APR", "MAY", "JUN", "JUL", "AUG", "SEP", "OCT", "NOV", "DEC",
];
const DAY_NAMES: &[&str] = &["SUN", "MON", "TUE", "WED", "THU", "FRI", "SAT"];

const MINUTES: FieldSpec = FieldSpec {
    name: "minutes",
    min: 0,
    max: 59,
    names: &[],
    values: "0-59",
    max_step: Some(59),
    specials: ", - * /",
};
const HOURS: FieldSpec = FieldSpec {
    name: "hours",
    min: 0,
    max: 23,
    names: &[],
    values: "0-23",
    max_step: Some(23),
    specials: ", - * /",
};
const DAY_OF_MONTH: FieldSpec = FieldSpec {
    name: "day-of-month",
    min: 1,
    max: 31,
    names: &[],
    values: "1-31",
    max_step: Some(31),
    specials: ", - * ? / L W",
};
const MONTH: FieldSpec = FieldSpec {
    name: "month",
    min: 1,
    max: 12,
    names: MONTH_NAMES,
    values: "1-12 or JAN-DEC",
    max_step: Some(12),
    specials: ", - * /",
};
const DAY_OF_WEEK: FieldSpec = FieldSpec {
    name: "day-of-week",
    min: 1,
    max: 7,
    names: DAY_NAMES,
    values: "1-7 or SUN-SAT",
    max_step: None,
    specials: ", - * ? L #",
};
const YEAR: FieldSpec = FieldSpec {
    name: "year",
    min: 1970,
    max: 2199,
    names: &[],
    values: "1970-2199",
    // The span of the range: a larger step could never fire twice.
    max_step: Some(229),
    specials: ", - * /",
};

/// Builds one-line errors that name the field, its text and, inside lists,
/// the element at fault.
struct FieldError<'a> {
    spec: &'a FieldSpec,
    field: &'a str,
}

impl FieldError<'_> {
    fn whole(&self, reason: &str) -> String {
        format!("cron {} field {:?}: {reason}", self.spec.name, self.field)
    }

    fn at(&self, token: &str, reason: &str) -> String {
        if token == self.field {
            self.whole(reason)
        } else {
            format!(
                "cron {} field {:?} (at {token:?}): {reason}",
                self.spec.name, self.field
            )
        }
    }
}

fn parse_cron(inner: &str) -> Result<CronExpression, String> {
    let shown = quoted("cron", inner);
    const FIELDS: &str = "minutes hours day-of-month month day-of-week year";
    if inner.starts_with(' ') || inner.ends_with(' ') {
        return Err(format!(
            "{shown}: no spaces allowed just inside the parentheses"
        ));
    }
    if inner.chars().any(|c| c.is_whitespace() && c != ' ') {
        return Err(format!("{shown}: separate fields with spaces only"));
    }
    let fields: Vec<&str> = inner.split(' ').filter(|f| !f.is_empty()).collect();
    let [minutes, hours, day_of_month, month, day_of_week, year] = fields.as_slice() else {
        return Err(format!(
            "{shown}: has {} fields; expected exactly 6: {FIELDS}",
            fields.len()
        ));
    };
    let minutes = parse_plain_field(&MINUTES, minutes)?;
    let hours = parse_plain_field(&HOURS, hours)?;
    let day_of_month = parse_day_of_month(day_of_month)?;
    let month = parse_plain_field(&MONTH, month)?;
    let day_of_week = parse_day_of_week(day_of_week)?;
    let year = parse_plain_field(&YEAR, year)?;
    let dom_unspecified = day_of_month == DayOfMonth::NoSpecificValue;
    let dow_unspecified = day_of_week == DayOfWeek::NoSpecificValue;
    if dom_unspecified == dow_unspecified {
        let which = if dom_unspecified {
            "both are"
        } else {
            "neither is"
        };
        return Err(format!(
            "{shown}: exactly one of day-of-month and day-of-week must be \"?\" ({which})"
        ));
    }
    Ok(CronExpression {
        minutes,
        hours,
        day_of_month,
        month,
        day_of_week,
        year,
    })
}

/// Minutes, hours, month and year: lists of values, ranges and steps only.
fn parse_plain_field(spec: &FieldSpec, field: &str) -> Result<Vec<CronItem>, String> {
    let err = FieldError { spec, field };
    if field.contains('?') {
        return Err(err.whole(&format!(
            "\"?\" is only allowed in day-of-month or day-of-week; this field accepts {} with {}",
            spec.values, spec.specials
        )));
    }
    parse_list(spec, field)
}

fn parse_day_of_month(field: &str) -> Result<DayOfMonth, String> {
    let spec = &DAY_OF_MONTH;
    let err = FieldError { spec, field };
    if field == "?" {
        return Ok(DayOfMonth::NoSpecificValue);
    }
    if field.contains('?') {
        return Err(err.whole("\"?\" must stand alone"));
    }
    // The day-of-month field has no names, so upper-casing only affects L and W.
    let upper = field.to_ascii_uppercase();
    match upper.as_str() {
        "L" => return Ok(DayOfMonth::LastDay),
        "LW" => return Ok(DayOfMonth::LastWeekday),
        _ => {}
    }
    if upper.contains('W') {
        let day = upper
            .strip_suffix('W')
            .filter(|d| !d.is_empty() && d.bytes().all(|b| b.is_ascii_digit()))
            .ok_or_else(|| {
                err.whole("\"W\" must follow a single day number as in 15W, or be LW; it cannot be used in lists or ranges")
            })?;
        let day = parse_value(spec, &err, day)?;
        return Ok(DayOfMonth::NearestWeekday(day));
    }
    if upper.contains('L') {
        return Err(err.whole(
            "\"L\" must stand alone (last day of the month) or be LW; offsets such as L-3 and L in lists are not supported",
        ));
    }
    if upper.contains('#') {
        return Err(err.whole("\"#\" is only allowed in day-of-week, as in 6#3"));
    }
    parse_list(spec, field).map(DayOfMonth::Items)
}

fn parse_day_of_week(field: &str) -> Result<DayOfWeek, String> {
    let spec = &DAY_OF_WEEK;
    let err = FieldError { spec, field };
    if field == "?" {
        return Ok(DayOfWeek::NoSpecificValue);
    }
    if field.contains('?') {
        return Err(err.whole("\"?\" must stand alone"));
    }
    let upper = field.to_ascii_uppercase();
    if upper == "L" {
        return Ok(DayOfWeek::LastDayOfWeek);
    }
    if let Some((day, nth)) = upper.split_once('#') {
        if !is_single_value_text(day) || nth.contains('#') {
            return Err(err.whole(
                "\"#\" must join a single day and an occurrence, as in 6#3 (third Friday)",
            ));
        }
        let day = parse_value(spec, &err, day)?;
        let nth = match nth.parse::<u32>() {
            Ok(n) if (1..=5).contains(&n) && nth.bytes().all(|b| b.is_ascii_digit()) => n,
            _ => {
                return Err(
                    err.whole("the occurrence after \"#\" must be 1-5, as in 6#3 (third Friday)")
                )
            }
        };
        return Ok(DayOfWeek::NthInMonth { day, nth });
    }
    // No day name contains an L, so any L here is the special character.
    if upper.contains('L') {
        let day = upper
            .strip_suffix('L')
            .filter(|d| is_single_value_text(d))
            .ok_or_else(|| {
                err.whole("\"L\" must stand alone or follow a single day, as in 5L (last Thursday); it cannot be used in lists or ranges")
            })?;
        let day = parse_value(spec, &err, day)?;
        return Ok(DayOfWeek::LastInMonth(day));
    }
    if upper.contains('W') && !DAY_NAMES.iter().any(|n| upper.contains(n)) {
        return Err(err.whole("\"W\" is only allowed in day-of-month, as in 15W"));
    }
    parse_list(spec, field).map(DayOfWeek::Items)
}

/// A token that can only be one number or name: used before `L` and `#`.
fn is_single_value_text(text: &str) -> bool {
    !text.is_empty() && text.bytes().all(|b| b.is_ascii_alphanumeric())
}

fn parse_list(spec: &FieldSpec, field: &str) -> Result<Vec<CronItem>, String> {
    let err = FieldError { spec, field };
    field
        .split(',')
        .map(|token| {
            if token.is_empty() {
                Err(err.whole(&format!(
                    "empty list element; separate values ({}) with single commas",
                    spec.values
                )))
            } else {
                parse_item(spec, &err, token)
            }
        })
        .collect()
}

fn parse_item(spec: &FieldSpec, err: &FieldError<'_>, token: &str) -> Result<CronItem, String> {
    let (base, step) = split_step(spec, err, token)?;
    if base == "*" {
        return Ok(CronItem::All { step });
    }
    if base.is_empty() {
        return Err(err.at(
            token,
            &format!(
                "a step needs a start, as in */5 or 10/5 (values are {})",
                spec.values
            ),
        ));
    }
    if let Some((start_text, end_text)) = base.split_once('-') {
        if start_text.is_empty() || end_text.is_empty() || end_text.contains('-') {
            return Err(err.at(
                token,
                &format!(
                    "a range is start-end, as in 1-5 (values are {})",
                    spec.values
                ),
            ));
        }
        let start = parse_value(spec, err, start_text)?;
        let end = parse_value(spec, err, end_text)?;
        if start > end {
            return Err(err.at(
                token,
                "a range must run from low to high (start <= end); wrap-around ranges are not supported",
            ));
        }
        return Ok(CronItem::Range { start, end, step });
    }
    let start = parse_value(spec, err, base)?;
    Ok(match step {
        Some(step) => CronItem::Stepped { start, step },
        None => CronItem::Value(start),
    })
}

/// A list element as its base and the step after its `/`, if any, which
/// the field must allow and which must be 1 to the field's largest step.
fn split_step<'t>(
    spec: &FieldSpec,
    err: &FieldError<'_>,
    token: &'t str,
) -> Result<(&'t str, Option<u32>), String> {
    let Some((base, step_text)) = token.split_once('/') else {
        return Ok((token, None));
    };
    let Some(max_step) = spec.max_step else {
        return Err(err.at(
            token,
            &format!(
                "\"/\" steps are not allowed in this field; it accepts {} with {}",
                spec.values, spec.specials
            ),
        ));
    };
    let step = step_text
        .parse::<u32>()
        .ok()
        .filter(|n| (1..=max_step).contains(n) && step_text.bytes().all(|b| b.is_ascii_digit()))
        .ok_or_else(|| {
            err.at(
                token,
                &format!("the step after \"/\" must be a number 1-{max_step}"),
            )
        })?;
    Ok((base, Some(step)))
}

/// One number or (case-insensitive) name, checked against the field's range.
fn parse_value(spec: &FieldSpec, err: &FieldError<'_>, text: &str) -> Result<u32, String> {
    let out_of_range = || err.at(text, &format!("values are {}", spec.values));
    if !text.is_empty() && text.bytes().all(|b| b.is_ascii_digit()) {
        // Too many digits to fit is just another out-of-range value.
        return text
            .parse::<u32>()
            .ok()
            .filter(|v| (spec.min..=spec.max).contains(v))
            .ok_or_else(out_of_range);
    }
    spec.names
        .iter()
        .zip(spec.min..)
        .find(|(name, _)| name.eq_ignore_ascii_case(text))
        .map(|(_, value)| value)
        .ok_or_else(out_of_range)
}

#[cfg(test)]
mod tests {
    use super::*;

    /// `None` = valid; `Some(fragment)` = invalid and the error contains it.
    const CASES: &[(&str, Option<&str>)] = &[
        // --- form ---
        ("", Some("expected at(yyyy-mm-ddThh:mm:ss), rate(N minutes|hours|days) or cron(minutes hours day-of-month month day-of-week year)")),
        ("hourly", Some("expected at(")),
        ("rate(5 minutes", Some("expected at(")),
        ("rate 5 minutes)", Some("expected at(")),
        (" rate(5 minutes)", Some("expected at(")),
        ("rate(5 minutes) ", Some("expected at(")),
        ("RATE(5 minutes)", Some("expected at(")),
        ("Cron(0 12 * * ? *)", Some("expected at(")),
        ("at (2030-01-01T00:00:00)", Some("expected at(")),
        // --- at ---
        ("at(2030-01-01T00:00:00)", None),
        ("at(2030-12-31T23:59:59)", None),
        ("at(2028-02-29T12:00:00)", None),
        ("at(2000-02-29T00:00:00)", None),
        ("at(1999-06-15T07:08:09)", None),
        ("at(2030-02-29T00:00:00)", Some("not a real calendar date")),
        ("at(1900-02-29T00:00:00)", Some("not a real calendar date")),
        ("at(2030-04-31T00:00:00)", Some("not a real calendar date")),
        ("at(2030-13-01T00:00:00)", Some("not a real calendar date")),
        ("at(2030-00-10T00:00:00)", Some("not a real calendar date")),
        ("at(2030-01-00T00:00:00)", Some("not a real calendar date")),
        ("at(2030-01-01T24:00:00)", Some("not a real calendar date")),
        ("at(2030-01-01T23:60:00)", Some("not a real calendar date")),
        ("at(2030-01-01T23:59:60)", Some("not a real calendar date")),
        ("at(2030-01-01T00:00:00Z)", Some("no time zone offset")),
        ("at(2030-01-01T00:00:00+01:00)", Some("expected exactly at(yyyy-mm-ddThh:mm:ss)")),
        ("at(2030-01-01T00:00:00.000)", Some("fractional seconds")),
        ("at(2030-01-01 00:00:00)", Some("expected exactly at(yyyy-mm-ddThh:mm:ss)")),
        ("at(2030-01-01t00:00:00)", Some("expected exactly at(yyyy-mm-ddThh:mm:ss)")),
        ("at(2030-1-01T00:00:00)", Some("expected exactly")),
        ("at(2030-01-01T0:00:00)", Some("expected exactly")),
        ("at(2030-01-01T00:00)", Some("expected exactly")),
        ("at(2030-01-01)", Some("expected exactly")),
        ("at( 2030-01-01T00:00:00)", Some("expected exactly")),
        ("at(2030-01-01T00:00:00 )", Some("expected exactly")),
        ("at(+030-01-01T00:00:00)", Some("expected exactly")),
        ("at(２030-01-01T00:00:0)", Some("expected exactly")),
        ("at()", Some("expected exactly")),
        // --- rate ---
        ("rate(1 minute)", None),
        ("rate(5 minutes)", None),
        ("rate(1 hour)", None),
        ("rate(12 hours)", None),
        ("rate(1 day)", None),
        ("rate(30 days)", None),
        ("rate(01 minute)", None),
        ("rate(4294967295 minutes)", None),
        ("rate(5  minutes)", None),
        ("rate(1 minutes)", Some("use the singular unit \"minute\" when the value is 1")),
        ("rate(1 hours)", Some("singular unit \"hour\"")),
        ("rate(1 days)", Some("singular unit \"day\"")),
        ("rate(5 minute)", Some("use the plural unit \"minutes\" when the value is greater than 1")),
        ("rate(2 hour)", Some("plural unit \"hours\"")),
        ("rate(7 day)", Some("plural unit \"days\"")),
        ("rate(0 minutes)", Some("value must be 1 or more")),
        ("rate(00 minute)", Some("value must be 1 or more")),
        ("rate(-1 minutes)", Some("must be a whole number of 1 or more")),
        ("rate(+5 minutes)", Some("must be a whole number of 1 or more")),
        ("rate(1.5 hours)", Some("must be a whole number")),
        ("rate(five minutes)", Some("must be a whole number")),
        ("rate(4294967296 minutes)", Some("is too large")),
        ("rate(30 seconds)", Some("unit \"seconds\" is not allowed; use minute|minutes|hour|hours|day|days")),
        ("rate(1 week)", Some("unit \"week\" is not allowed")),
        ("rate(5 Minutes)", Some("unit \"Minutes\" is not allowed")),
        ("rate(5)", Some("expected rate(N unit)")),
        ("rate(5 minutes extra)", Some("expected rate(N unit)")),
        ("rate()", Some("expected rate(N unit)")),
        ("rate(5minutes)", Some("expected rate(N unit)")),
        ("rate( 5 minutes)", Some("no spaces allowed just inside the parentheses")),
        ("rate(5 minutes )", Some("no spaces allowed just inside")),
        ("rate(5\tminutes)", Some("spaces only")),
        ("rate(5\nminutes)", Some("\"rate(5\\nminutes)\": separate the value and unit with spaces only")),
        // --- cron: valid ---
        ("cron(0 12 * * ? *)", None),
        ("cron(15 10 ? * 6L 2002-2005)", None),
        ("cron(0 18 ? * MON-FRI *)", None),
        ("cron(0 8 1 * ? *)", None),
        ("cron(0/10 * ? * MON-FRI *)", None),
        ("cron(0/5 8-17 ? * MON-FRI *)", None),
        ("cron(0 9 ? * 2#1 *)", None),
        ("cron(*/5 * * * ? *)", None),
        ("cron(0-59/15 0-23/2 1-31/3 1-12/4 ? 1970-2199/229)", None),
        ("cron(0,15,30,45 0,12 ? JAN,jul * 2030)", None),
        ("cron(0 0 L * ? *)", None),
        ("cron(0 0 l * ? *)", None),
        ("cron(0 0 LW * ? *)", None),
        ("cron(0 0 15W * ? *)", None),
        ("cron(0 0 1W * ? *)", None),
        ("cron(0 0 31W * ? *)", None),
        ("cron(0 0 ? * L *)", None),
        ("cron(0 0 ? * 5L *)", None),
        ("cron(0 0 ? * 6#3 *)", None),
        ("cron(0 0 ? * FRI#5 *)", None),
        ("cron(0 0 ? * sun-sat *)", None),
        ("cron(0 0 ? * 1,3,5 *)", None),
        ("cron(0 0 ? JAN-DEC/3 1 *)", None),
        ("cron(0 0 ? jan-Jun * *)", None),
        ("cron(59 23 31 12 ? 2199)", None),
        ("cron(0 0 1 1 ? 1970)", None),
        ("cron(5 5 5 5 ? 2030/2)", None),
        ("cron(0   12  *  *  ?  *)", None),
        ("cron(5-5 0 ? * * *)", None),
        // --- cron: shape ---
        ("cron(0 12 * * ?)", Some("has 5 fields; expected exactly 6: minutes hours day-of-month month day-of-week year")),
        ("cron(0 0 12 * * ? *)", Some("has 7 fields")),
        ("cron()", Some("has 0 fields")),
        ("cron( 0 12 * * ? *)", Some("no spaces allowed just inside the parentheses")),
        ("cron(0 12 * * ? * )", Some("no spaces allowed just inside")),
        ("cron(0\t12 * * ? *)", Some("separate fields with spaces only")),
        ("cron(0 12 * * ?\n*)", Some("\"cron(0 12 * * ?\\n*)\": separate fields with spaces only")),
        ("at(2030-01-01\n00:00:00)", Some("\"at(2030-01-01\\n00:00:00)\": expected exactly")),
        // --- cron: day-of-month / day-of-week exclusivity ---
        ("cron(0 12 * * * *)", Some("exactly one of day-of-month and day-of-week must be \"?\" (neither is)")),
        ("cron(0 12 ? * ? *)", Some("exactly one of day-of-month and day-of-week must be \"?\" (both are)")),
        ("cron(0 12 1 * MON *)", Some("neither is")),
        // --- cron: minutes / hours ---
        ("cron(60 12 * * ? *)", Some("cron minutes field \"60\": values are 0-59")),
        ("cron(-1 12 * * ? *)", Some("cron minutes field \"-1\": a range is start-end")),
        ("cron(0 24 * * ? *)", Some("cron hours field \"24\": values are 0-23")),
        ("cron(0,60 12 * * ? *)", Some("cron minutes field \"0,60\" (at \"60\"): values are 0-59")),
        ("cron(0 12,,13 * * ? *)", Some("cron hours field \"12,,13\": empty list element")),
        ("cron(0 12, * * ? *)", Some("empty list element")),
        ("cron(? 12 * * ? *)", Some("cron minutes field \"?\": \"?\" is only allowed in day-of-month or day-of-week")),
        ("cron(0 ? * * ? *)", Some("cron hours field \"?\"")),
        ("cron(L 12 * * ? *)", Some("cron minutes field \"L\": values are 0-59")),
        ("cron(1.5 12 * * ? *)", Some("values are 0-59")),
        ("cron(+5 12 * * ? *)", Some("values are 0-59")),
        ("cron(99999999999 12 * * ? *)", Some("values are 0-59")),
        ("cron(30-10 12 * * ? *)", Some("a range must run from low to high (start <= end)")),
        ("cron(0 22-2 * * ? *)", Some("cron hours field \"22-2\": a range must run from low to high")),
        ("cron(1-2-3 12 * * ? *)", Some("a range is start-end")),
        ("cron(5- 12 * * ? *)", Some("cron minutes field \"5-\": a range is start-end")),
        ("cron(5-* 12 * * ? *)", Some("values are 0-59")),
        ("cron(*/0 12 * * ? *)", Some("the step after \"/\" must be a number 1-59")),
        ("cron(*/60 12 * * ? *)", Some("must be a number 1-59")),
        ("cron(0 */24 * * ? *)", Some("must be a number 1-23")),
        ("cron(0/ 12 * * ? *)", Some("cron minutes field \"0/\": the step after \"/\" must be a number 1-59")),
        ("cron(0/x 12 * * ? *)", Some("the step after \"/\" must be a number")),
        ("cron(0/+5 12 * * ? *)", Some("the step after \"/\" must be a number")),
        ("cron(/5 12 * * ? *)", Some("a step needs a start")),
        ("cron(0/5/5 12 * * ? *)", Some("the step after \"/\" must be a number")),
        ("cron(*-5 12 * * ? *)", Some("values are 0-59")),
        ("cron(0 12 # * ? *)", Some("\"#\" is only allowed in day-of-week")),
        // --- cron: day-of-month ---
        ("cron(0 12 0 * ? *)", Some("cron day-of-month field \"0\": values are 1-31")),
        ("cron(0 12 32 * ? *)", Some("values are 1-31")),
        ("cron(0 12 */32 * ? *)", Some("must be a number 1-31")),
        ("cron(0 12 L-3 * ? *)", Some("offsets such as L-3")),
        ("cron(0 12 L,15 * ? *)", Some("\"L\" must stand alone")),
        ("cron(0 12 1-L * ? *)", Some("\"L\" must stand alone")),
        ("cron(0 12 W * ? *)", Some("\"W\" must follow a single day number as in 15W")),
        ("cron(0 12 1-5W * ? *)", Some("\"W\" must follow a single day number")),
        ("cron(0 12 1,15W * ? *)", Some("cannot be used in lists or ranges")),
        ("cron(0 12 0W * ? *)", Some("cron day-of-month field \"0W\" (at \"0\"): values are 1-31")),
        ("cron(0 12 32W * ? *)", Some("values are 1-31")),
        ("cron(0 12 WL * ? *)", Some("\"W\" must follow a single day number")),
        ("cron(0 12 ?,1 * ? *)", Some("cron day-of-month field \"?,1\": \"?\" must stand alone")),
        ("cron(0 12 MON * ? *)", Some("cron day-of-month field \"MON\": values are 1-31")),
        // --- cron: month ---
        ("cron(0 12 1 13 ? *)", Some("cron month field \"13\": values are 1-12 or JAN-DEC")),
        ("cron(0 12 1 0 ? *)", Some("values are 1-12 or JAN-DEC")),
        ("cron(0 12 1 JANUARY ? *)", Some("values are 1-12 or JAN-DEC")),
        ("cron(0 12 1 DEC-JAN ? *)", Some("cron month field \"DEC-JAN\": a range must run from low to high")),
        ("cron(0 12 1 */13 ? *)", Some("must be a number 1-12")),
        ("cron(0 12 1 L ? *)", Some("values are 1-12 or JAN-DEC")),
        // --- cron: day-of-week ---
        ("cron(0 12 ? * 8 *)", Some("cron day-of-week field \"8\": values are 1-7 or SUN-SAT")),
        ("cron(0 12 ? * 0 *)", Some("cron day-of-week field \"0\": values are 1-7 or SUN-SAT")),
        ("cron(0 12 ? * SUNDAY *)", Some("values are 1-7 or SUN-SAT")),
        ("cron(0 12 ? * SAT-SUN *)", Some("a range must run from low to high")),
        ("cron(0 12 ? * 1/2 *)", Some("\"/\" steps are not allowed in this field")),
        ("cron(0 12 ? * */2 *)", Some("steps are not allowed")),
        ("cron(0 12 ? * 6#0 *)", Some("the occurrence after \"#\" must be 1-5")),
        ("cron(0 12 ? * 6#6 *)", Some("the occurrence after \"#\" must be 1-5")),
        ("cron(0 12 ? * 6# *)", Some("the occurrence after \"#\" must be 1-5")),
        ("cron(0 12 ? * #3 *)", Some("\"#\" must join a single day and an occurrence")),
        ("cron(0 12 ? * 8#3 *)", Some("cron day-of-week field \"8#3\" (at \"8\"): values are 1-7 or SUN-SAT")),
        ("cron(0 12 ? * 6#3#1 *)", Some("\"#\" must join a single day")),
        ("cron(0 12 ? * 1-5#2 *)", Some("\"#\" must join a single day")),
        ("cron(0 12 ? * 6#3,2 *)", Some("the occurrence after \"#\" must be 1-5")),
        ("cron(0 12 ? * 8L *)", Some("cron day-of-week field \"8L\" (at \"8\"): values are 1-7 or SUN-SAT")),
        ("cron(0 12 ? * 1-5L *)", Some("\"L\" must stand alone or follow a single day, as in 5L")),
        ("cron(0 12 ? * L,2 *)", Some("cannot be used in lists or ranges")),
        ("cron(0 12 ? * LL *)", Some("values are 1-7 or SUN-SAT")),
        ("cron(0 12 ? * 2W *)", Some("\"W\" is only allowed in day-of-month")),
        ("cron(0 12 ? * ?? *)", Some("\"?\" must stand alone")),
        // --- cron: year ---
        ("cron(0 12 * * ? 1969)", Some("cron year field \"1969\": values are 1970-2199")),
        ("cron(0 12 * * ? 2200)", Some("values are 1970-2199")),
        ("cron(0 12 * * ? 30)", Some("values are 1970-2199")),
        ("cron(0 12 * * ? 2030-2020)", Some("a range must run from low to high")),
        ("cron(0 12 * * ? */230)", Some("must be a number 1-229")),
        ("cron(0 12 * * ? ?)", Some("cron year field \"?\": \"?\" is only allowed in day-of-month or day-of-week")),
        ("cron(0 12 * * ? L)", Some("values are 1970-2199")),
    ];

    #[test]
    fn table() {
        assert!(CASES.len() >= 100, "only {} cases", CASES.len());
        let mut failures = Vec::new();
        for (input, expected) in CASES {
            let result = parse_schedule_expression(input);
            match (expected, &result) {
                (None, Ok(_)) => {}
                (Some(fragment), Err(message)) if message.contains(fragment) => {
                    assert!(!message.contains('\n'), "{input:?}: multi-line error");
                }
                _ => failures.push(format!("{input:?}: expected {expected:?}, got {result:?}")),
            }
        }
        assert!(failures.is_empty(), "\n{}", failures.join("\n"));
    }

    fn cron(input: &str) -> CronExpression {
        match parse_schedule_expression(input) {
            Ok(ScheduleExpression::Cron(c)) => c,
            other => panic!("{input}: {other:?}"),
        }
    }

    #[test]
    fn at_value() {
        let parsed = parse_schedule_expression("at(2030-02-03T04:05:06)").unwrap();
        let expected = NaiveDate::from_ymd_opt(2030, 2, 3)
            .unwrap()
            .and_hms_opt(4, 5, 6)
            .unwrap();
        assert_eq!(parsed, ScheduleExpression::At(expected));
    }

    #[test]
    fn rate_values() {
        assert_eq!(
            parse_schedule_expression("rate(1 minute)").unwrap(),
            ScheduleExpression::Rate {
                value: 1,
                unit: RateUnit::Minutes
            }
        );
        assert_eq!(
            parse_schedule_expression("rate(12 hours)").unwrap(),
            ScheduleExpression::Rate {
                value: 12,
                unit: RateUnit::Hours
            }
        );
        assert_eq!(
            parse_schedule_expression("rate(3 days)").unwrap(),
            ScheduleExpression::Rate {
                value: 3,
                unit: RateUnit::Days
            }
        );
    }

    #[test]
    fn cron_structure() {
        let c = cron("cron(0/10 8-17/2 ? jan,MAR-may * 2030)");
        assert_eq!(c.minutes, vec![CronItem::Stepped { start: 0, step: 10 }]);
        assert_eq!(
            c.hours,
            vec![CronItem::Range {
                start: 8,
                end: 17,
                step: Some(2)
            }]
        );
        assert_eq!(c.day_of_month, DayOfMonth::NoSpecificValue);
        assert_eq!(
            c.month,
            vec![
                CronItem::Value(1),
                CronItem::Range {
                    start: 3,
                    end: 5,
                    step: None
                }
            ]
        );
        assert_eq!(
            c.day_of_week,
            DayOfWeek::Items(vec![CronItem::All { step: None }])
        );
        assert_eq!(c.year, vec![CronItem::Value(2030)]);
    }

    #[test]
    fn cron_day_specials() {
        assert_eq!(cron("cron(0 0 L * ? *)").day_of_month, DayOfMonth::LastDay);
        assert_eq!(
            cron("cron(0 0 LW * ? *)").day_of_month,
            DayOfMonth::LastWeekday
        );
        assert_eq!(
            cron("cron(0 0 15W * ? *)").day_of_month,
            DayOfMonth::NearestWeekday(15)
        );
        assert_eq!(
            cron("cron(0 0 ? * L *)").day_of_week,
            DayOfWeek::LastDayOfWeek
        );
        assert_eq!(
            cron("cron(0 0 ? * 5L *)").day_of_week,
            DayOfWeek::LastInMonth(5)
        );
        assert_eq!(
            cron("cron(0 0 ? * thuL *)").day_of_week,
            DayOfWeek::LastInMonth(5)
        );
        assert_eq!(
            cron("cron(0 0 ? * 6#3 *)").day_of_week,
            DayOfWeek::NthInMonth { day: 6, nth: 3 }
        );
        assert_eq!(
            cron("cron(0 0 ? * Sun-Sat *)").day_of_week,
            DayOfWeek::Items(vec![CronItem::Range {
                start: 1,
                end: 7,
                step: None
            }])
        );
        assert_eq!(
            cron("cron(*/5 0 1 * ? *)").minutes,
            vec![CronItem::All { step: Some(5) }]
        );
    }

    #[test]
    fn is_one_time() {
        let one_time = parse_schedule_expression("at(2030-01-01T00:00:00)").unwrap();
        assert!(one_time.is_one_time());
        let rate = parse_schedule_expression("rate(5 minutes)").unwrap();
        assert!(!rate.is_one_time());
        let cron = parse_schedule_expression("cron(0 12 * * ? *)").unwrap();
        assert!(!cron.is_one_time());
    }
}
