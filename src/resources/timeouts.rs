//! The `timeouts { create, update, delete }` block a resource's AWS steps
//! are bounded by: its model, schema, validation and the limits it gives.
//! Pure; every resource with the block uses this one.

use std::time::Duration;

use serde::{Deserialize, Serialize};

use crate::plugin::diag::in_block;
use crate::plugin::schema::{attr, block, optional_block, string, NestedBlock, Optional};
use crate::plugin::{known, Block, Problem, Str};
use crate::validate::duration;

/// Every operation's limit when the block does not set one.
pub const DEFAULT: Duration = Duration::from_secs(120);

/// The block's model: each limit a Go duration as written, null for [`DEFAULT`].
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
#[serde(default)]
pub struct Timeouts {
    /// Bounds the retries and waits of a create.
    pub create: Str,
    /// Bounds the retries and waits of an update.
    pub update: Str,
    /// Bounds the retries and waits of a delete (where it has any).
    pub delete: Str,
}

/// What each limit of a resource's block bounds, as its docs say it.
pub struct Bounds {
    /// What `create` bounds.
    pub create: &'static str,
    /// What `update` bounds.
    pub update: &'static str,
    /// What `delete` bounds.
    pub delete: &'static str,
}

/// The block's schema, each limit described by what it bounds.
pub fn schema(bounds: &Bounds) -> NestedBlock {
    let limit = |what: &str| attr(string(), Optional, &format!("Bounds {what}. Default `2m`."));
    optional_block(block(
        "Limits of this resource's waits and retries, as Go durations such as `2m` or `90s` (at most `24h`).",
        vec![
            ("create", limit(bounds.create)),
            ("update", limit(bounds.update)),
            ("delete", limit(bounds.delete)),
        ],
        vec![],
    ))
}

/// A malformed or out-of-range duration, on its path.
pub fn problems(timeouts: &Block<Timeouts>) -> Vec<Problem> {
    let Some(t) = timeouts.single() else {
        return Vec::new();
    };
    [
        ("create", &t.create),
        ("update", &t.update),
        ("delete", &t.delete),
    ]
    .into_iter()
    .filter_map(
        |(attribute, value)| match known(value).map(duration::parse) {
            Some(Err(why)) => Some(Problem::new(
                in_block("timeouts", attribute),
                format!("invalid timeouts.{attribute}"),
                why,
            )),
            _ => None,
        },
    )
    .collect()
}

/// The limit of one operation (`pick` chooses which).
pub fn limit(timeouts: &Block<Timeouts>, pick: fn(&Timeouts) -> &Str) -> Duration {
    timeouts
        .single()
        .and_then(|t| known(pick(t)))
        .and_then(|text| duration::parse(text).ok())
        .unwrap_or(DEFAULT)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::plugin::Value;

    #[test]
    fn limits_default_to_two_minutes_and_bad_values_are_named() {
        let none = Block::default();
        assert_eq!(limit(&none, |t| &t.create), DEFAULT);
        let set = Block::Items(vec![Timeouts {
            create: Value::Value("90s".into()),
            delete: Value::Value("25h".into()),
            update: Value::Value("soon".into()),
        }]);
        assert_eq!(limit(&set, |t| &t.create), Duration::from_secs(90));
        let paths: Vec<String> = problems(&set).iter().map(Problem::path_text).collect();
        assert_eq!(paths, ["timeouts[0].update", "timeouts[0].delete"]);
        assert!(problems(&none).is_empty());
    }
}
