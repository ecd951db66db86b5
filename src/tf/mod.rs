//! Our own helpers over `tf-provider`: null-tolerant blocks, schema builders,
//! and diagnostics with attribute paths. Nothing here knows about AWS.

pub mod block;
pub mod diag;
pub mod duration;
pub mod schema;

pub use block::Block;
pub use diag::Problem;

/// A Terraform string that may be null or unknown.
pub type Str = tf_provider::value::Value<String>;
/// A Terraform whole number that may be null or unknown.
pub type Num = tf_provider::value::Value<i64>;
/// A Terraform bool that may be null or unknown.
pub type Bool = tf_provider::value::Value<bool>;
/// A Terraform `map(string)` whose map and elements may be null or unknown.
pub type StrMap = tf_provider::value::Value<std::collections::BTreeMap<String, Str>>;
/// A Terraform `list(string)`.
pub type StrList = tf_provider::value::Value<Vec<Str>>;

pub use tf_provider::value::Value;

/// The known string value, if any.
pub fn known(value: &Str) -> Option<&str> {
    value.as_ref_option().map(String::as_str)
}

/// A known map with every element known, as plain strings; `None` while any
/// part is unknown.
pub fn known_map(value: &StrMap) -> Option<std::collections::BTreeMap<String, String>> {
    match value {
        Value::Null => Some(Default::default()),
        Value::Unknown => None,
        Value::Value(map) => map
            .iter()
            .map(|(k, v)| match v {
                Value::Value(s) => Some((k.clone(), s.clone())),
                Value::Null => Some((k.clone(), String::new())),
                Value::Unknown => None,
            })
            .collect(),
    }
}

/// A known list with every element known; `None` while any part is unknown.
pub fn known_list(value: &StrList) -> Option<Vec<String>> {
    match value {
        Value::Null => Some(Vec::new()),
        Value::Unknown => None,
        Value::Value(items) => items.iter().map(|v| v.as_ref_option().cloned()).collect(),
    }
}

/// Turn a plain list into a Terraform list value.
pub fn str_list(items: impl IntoIterator<Item = String>) -> StrList {
    Value::Value(items.into_iter().map(Value::Value).collect())
}

/// `Some(s)` as a value, `None` as null.
pub fn opt(value: Option<String>) -> Str {
    value.map_or(Value::Null, Value::Value)
}
