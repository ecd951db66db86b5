//! Validation as a table: a configuration's checks are rows, one attribute
//! and one check each, or a named rule over several attributes, run in the
//! table's order. Every problem is on its attribute path, and a value still
//! unknown is skipped, never guessed. Pure.

use crate::plugin::{known, AttributePath, Num, Problem, Str};

/// Why a known text is wrong, or `Ok`.
pub type TextCheck = fn(&str) -> Result<(), String>;

/// One row of the validation table of a configuration `C`.
pub enum Row<C> {
    /// A top-level attribute's known text, judged alone: a failure is
    /// `invalid <attribute>`, with the check's reason as its detail.
    Text(&'static str, fn(&C) -> &Str, TextCheck),
    /// A top-level attribute's known number, within `(low, high)`.
    Range(&'static str, fn(&C) -> &Num, (i64, i64)),
    /// A rule that finds at most one problem.
    One(fn(&C) -> Option<Problem>),
    /// A rule that may find several (a list's elements, a nested block).
    Many(fn(&C) -> Vec<Problem>),
}

/// Every problem the table finds in `config`, in the table's order.
pub fn run<C>(config: &C, table: &[Row<C>]) -> Vec<Problem> {
    let mut problems = Vec::new();
    for row in table {
        match row {
            Row::Text(attribute, value, check) => {
                problems.extend(text(attribute, value(config), *check));
            }
            Row::Range(attribute, value, bounds) => {
                let path = AttributePath::new(*attribute);
                problems.extend(range(path, attribute, value(config), *bounds));
            }
            Row::One(rule) => problems.extend(rule(config)),
            Row::Many(rule) => problems.extend(rule(config)),
        }
    }
    problems
}

/// `invalid <attribute>` when the attribute's known text fails `check`.
pub fn text(attribute: &'static str, value: &Str, check: TextCheck) -> Option<Problem> {
    let why = check(known(value)?).err()?;
    Some(Problem::at(attribute, format!("invalid {attribute}"), why))
}

/// `<attribute> out of range`, at `path`, when the known number is outside
/// `low..=high`.
pub fn range(
    path: AttributePath,
    attribute: &str,
    value: &Num,
    (low, high): (i64, i64),
) -> Option<Problem> {
    let v = value
        .as_ref_option()
        .filter(|v| !(low..=high).contains(*v))?;
    Some(Problem::new(
        path,
        format!("{attribute} out of range"),
        format!("{v} is not allowed: use {low}-{high}."),
    ))
}

/// `Ok` when `text` is one of `allowed`, else what to use instead.
pub fn one_of(text: &str, allowed: &[&str]) -> Result<(), String> {
    if allowed.contains(&text) {
        Ok(())
    } else {
        Err(format!(
            "{text:?} is not allowed: use one of {}",
            allowed.join(", ")
        ))
    }
}

/// `Ok` when `text` is a JSON object; otherwise why not, with `example`
/// (an HCL expression that builds one) as what to write instead.
pub fn json_object(text: &str, what: &str, example: &str) -> Result<(), String> {
    match serde_json::from_str::<serde_json::Value>(text) {
        Ok(serde_json::Value::Object(_)) => Ok(()),
        Ok(_) => Err(format!("{what} is a JSON object, such as {example}.")),
        Err(e) => Err(format!("not JSON ({e}); build it with jsonencode().")),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::plugin::Value;

    struct Config {
        mode: Str,
        size: Num,
    }

    fn mode(text: &str) -> Result<(), String> {
        one_of(text, &["ON", "OFF"])
    }

    fn both_set(c: &Config) -> Option<Problem> {
        (c.mode.is_value() && c.size.is_value()).then(|| Problem::at("size", "both", "either"))
    }

    const TABLE: &[Row<Config>] = &[
        Row::Text("mode", |c| &c.mode, mode),
        Row::Range("size", |c| &c.size, (1, 10)),
        Row::One(both_set),
    ];

    fn found(mode: Str, size: Num) -> Vec<(String, String, String)> {
        run(&Config { mode, size }, TABLE)
            .into_iter()
            .map(|p| (p.path_text(), p.summary, p.detail))
            .collect()
    }

    #[test]
    fn rows_report_in_table_order_on_their_paths_and_skip_unknowns() {
        let bad = |text: &str| Value::Value(text.to_string());
        assert_eq!(
            found(bad("UP"), Value::Value(11)),
            [
                (
                    "mode".to_string(),
                    "invalid mode".to_string(),
                    "\"UP\" is not allowed: use one of ON, OFF".to_string()
                ),
                (
                    "size".to_string(),
                    "size out of range".to_string(),
                    "11 is not allowed: use 1-10.".to_string()
                ),
                ("size".to_string(), "both".to_string(), "either".to_string()),
            ]
        );
        assert!(found(Value::Unknown, Value::Unknown).is_empty());
        assert!(found(Value::Null, Value::Value(10)).is_empty());
    }
}
