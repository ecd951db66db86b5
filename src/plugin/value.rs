//! Terraform values in Rust models: every attribute is known, null or
//! unknown, and a model struct's fields are its attribute names.
//!
//! The wire forms are cty's: MessagePack for config, plan and state in RPCs
//! (an unknown is MessagePack extension 0, or extension 12 when Terraform
//! attaches refinements such as "not null" or a string prefix; we read both
//! as plain unknown), and JSON for stored state handed to
//! UpgradeResourceState and MoveResourceState (which can hold no unknowns).

use std::fmt;

use serde::de::{self, DeserializeOwned, Deserializer, Visitor};
use serde::ser::Serializer;
use serde::{Deserialize, Serialize};

/// A value that may be null or not yet known. Like [`Option`] with a third
/// state: `Unknown` is a tag that the value will only be known at apply.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Value<T> {
    /// Known: set in configuration or learned from AWS.
    Value(T),
    /// Not set; also the default, so an absent attribute decodes as null.
    #[default]
    Null,
    /// Known only at apply, for example an attribute of a resource not yet created.
    Unknown,
}

impl<T> Value<T> {
    /// Whether the value is null (not unknown).
    pub fn is_null(&self) -> bool {
        matches!(self, Value::Null)
    }

    /// Whether the value will only be known at apply.
    pub fn is_unknown(&self) -> bool {
        matches!(self, Value::Unknown)
    }

    /// Whether the value is known.
    pub fn is_value(&self) -> bool {
        matches!(self, Value::Value(_))
    }

    /// The known value, if any (null and unknown are both `None`).
    pub fn as_ref_option(&self) -> Option<&T> {
        match self {
            Value::Value(v) => Some(v),
            _ => None,
        }
    }

    /// The known value, if any; null and unknown are both `None`.
    pub fn as_option(self) -> Option<T> {
        match self {
            Value::Value(v) => Some(v),
            _ => None,
        }
    }

    /// Apply `f` to a known value; null and unknown stay as they are.
    pub fn map<U>(self, f: impl FnOnce(T) -> U) -> Value<U> {
        match self {
            Value::Value(v) => Value::Value(f(v)),
            Value::Null => Value::Null,
            Value::Unknown => Value::Unknown,
        }
    }

    /// This value when it is known, otherwise `other`.
    pub fn or(self, other: Value<T>) -> Value<T> {
        match self {
            Value::Value(v) => Value::Value(v),
            _ => other,
        }
    }

    /// The known value, or `T::default()` when null or unknown.
    pub fn unwrap_or_default(self) -> T
    where
        T: Default,
    {
        self.as_option().unwrap_or_default()
    }
}

impl<T> From<Option<T>> for Value<T> {
    fn from(value: Option<T>) -> Self {
        value.map_or(Value::Null, Value::Value)
    }
}

/// rmp-serde maps a MessagePack extension to a newtype struct of this name
/// holding the pair (extension type, data bytes), both ways.
const EXTENSION: &str = "_ExtStruct";

/// cty's extension type for a plain unknown.
const UNKNOWN_EXTENSION: i8 = 0;
/// cty's extension type for an unknown with refinements (cty >= 1.13).
const REFINED_UNKNOWN_EXTENSION: i8 = 12;

/// Bytes that serialize as MessagePack "bin", as the extension data must.
struct Data<'a>(&'a [u8]);

impl Serialize for Data<'_> {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.serialize_bytes(self.0)
    }
}

impl<T: Serialize> Serialize for Value<T> {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        match self {
            Value::Value(v) => v.serialize(serializer),
            Value::Null => serializer.serialize_unit(),
            Value::Unknown => {
                serializer.serialize_newtype_struct(EXTENSION, &(UNKNOWN_EXTENSION, Data(&[0])))
            }
        }
    }
}

/// An extension's data: accepted only as bytes, so that no cty value (a
/// list `[0, "x"]`, say) can ever pass for an unknown.
struct ExtensionData;

impl<'de> Deserialize<'de> for ExtensionData {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        struct Bytes;
        impl<'de> Visitor<'de> for Bytes {
            type Value = ExtensionData;
            fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
                f.write_str("extension data bytes")
            }
            fn visit_bytes<E: de::Error>(self, _: &[u8]) -> Result<ExtensionData, E> {
                Ok(ExtensionData)
            }
        }
        deserializer.deserialize_bytes(Bytes)
    }
}

/// An extension value: cty uses extensions only for unknowns.
#[derive(Deserialize)]
#[serde(rename = "_ExtStruct")]
struct Extension((i8, ExtensionData));

/// What a value decodes to before we know which of the three it is.
/// Untagged, tried in order: a value of the model's type first, then an
/// extension (unknown); null has been taken out before (see below).
#[derive(Deserialize)]
#[serde(untagged)]
enum Wire<T> {
    Value(T),
    Unknown(Extension),
}

impl<'de, T: Deserialize<'de>> Deserialize<'de> for Value<T> {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        // `Option` first: MessagePack nil and JSON null both arrive as none.
        let wire: Option<Wire<T>> = Option::deserialize(deserializer)?;
        match wire {
            None => Ok(Value::Null),
            Some(Wire::Unknown(Extension((UNKNOWN_EXTENSION | REFINED_UNKNOWN_EXTENSION, _)))) => {
                Ok(Value::Unknown)
            }
            Some(Wire::Unknown(Extension((other, _)))) => Err(de::Error::custom(format!(
                "MessagePack extension type {other} is not a cty unknown"
            ))),
            Some(Wire::Value(v)) => Ok(Value::Value(v)),
        }
    }
}

/// Decode a MessagePack-encoded object into a model. An error names the
/// attribute it is about (`flexible_window_minutes: invalid type: floating
/// point 7.5, expected i64`), so a user can find the line at fault.
pub fn from_msgpack<T: DeserializeOwned>(bytes: &[u8]) -> Result<T, String> {
    let mut de = rmp_serde::Deserializer::from_read_ref(bytes);
    serde_path_to_error::deserialize(&mut de).map_err(|e| {
        let path = e.path().to_string();
        if path.is_empty() || path == "." {
            format!("decoding a value from Terraform: {}", e.inner())
        } else {
            format!("decoding a value from Terraform: {path}: {}", e.inner())
        }
    })
}

/// Encode a model as a MessagePack object keyed by attribute name.
pub fn to_msgpack<T: Serialize>(value: &T) -> Result<Vec<u8>, String> {
    rmp_serde::to_vec_named(value).map_err(|e| format!("encoding a value for Terraform: {e}"))
}

/// Decode stored (JSON) state into a model.
pub fn from_json<T: DeserializeOwned>(bytes: &[u8]) -> Result<T, String> {
    serde_json::from_slice(bytes).map_err(|e| format!("decoding stored state: {e}"))
}

/// Whether a MessagePack value is nil: Terraform sends a null object as the
/// prior state of a create and the planned state of a destroy.
pub fn msgpack_is_null(bytes: &[u8]) -> bool {
    bytes.is_empty() || bytes == [0xc0]
}

/// What an event-source token reads as in every attribute Terraform shows.
/// The SPEC's word, and the one Terraform itself prints for a sensitive
/// value: every secret the provider echoes is shown as this text.
pub const REDACTED: &str = "(sensitive)";

/// MessagePack nil, the encoding of a null object.
pub const MSGPACK_NULL: &[u8] = &[0xc0];

/// `Debug` for a struct that holds secrets: every field as usual, except
/// the `secret` ones, which print as "(sensitive)". The struct pattern
/// names every field, so a field added later that is in neither list fails
/// to compile instead of being printed, or forgotten, silently.
#[macro_export]
macro_rules! debug_redacting {
    ($ty:ident { $($field:ident),* $(,)? } secret { $($secret:ident),* $(,)? }) => {
        impl std::fmt::Debug for $ty {
            fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
                let $ty { $($field,)* $($secret: _,)* } = self;
                f.debug_struct(stringify!($ty))
                    $(.field(stringify!($field), $field))*
                    $(.field(stringify!($secret), &"(sensitive)"))*
                    .finish()
            }
        }
    };
}

// The model vocabulary: the shapes of attribute values our schemas use.
/// A Terraform string that may be null or unknown.
pub type Str = Value<String>;
/// A Terraform whole number that may be null or unknown.
pub type Num = Value<i64>;
/// A Terraform bool that may be null or unknown.
pub type Bool = Value<bool>;
/// A Terraform `map(string)` whose map and elements may be null or unknown.
pub type StrMap = Value<std::collections::BTreeMap<String, Str>>;
/// A Terraform `list(string)`.
pub type StrList = Value<Vec<Str>>;

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

/// The known string, or empty: for values that are known by the time they
/// are used (AWS calls at apply).
pub fn text(value: &Str) -> String {
    known(value).unwrap_or_default().to_string()
}

/// A known string value.
pub fn str_value(value: &str) -> Str {
    Value::Value(value.to_string())
}

/// `Some(s)` as a value, `None` as null.
pub fn opt(value: Option<String>) -> Str {
    value.map_or(Value::Null, Value::Value)
}

/// The prior value when AWS's means the same (`same(prior, remote)`), else
/// AWS's, and null when AWS holds none. Every flatten keeps the user's
/// spelling this way, so AWS re-encoding a value is never a diff while a
/// real change always is.
pub fn prior_if_equivalent(
    prior: &Str,
    remote: Option<String>,
    same: impl FnOnce(&str, &str) -> bool,
) -> Str {
    match (known(prior), remote) {
        (Some(p), Some(r)) if same(p, &r) => prior.clone(),
        (_, r) => opt(r),
    }
}

/// Two JSON texts that mean the same value (object keys in any order,
/// any spacing); texts that are not both JSON must be equal as text. The
/// `same` of [`prior_if_equivalent`] for user-written JSON.
pub fn json_equal(a: &str, b: &str) -> bool {
    match (
        serde_json::from_str::<serde_json::Value>(a),
        serde_json::from_str::<serde_json::Value>(b),
    ) {
        (Ok(x), Ok(y)) => x == y,
        _ => a == b,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn json_equal_reads_json_and_compares_anything_else_as_text() {
        assert!(json_equal(r#"{"a": 1, "b": [2]}"#, r#"{"b":[2],"a":1}"#));
        assert!(!json_equal(r#"{"a": 1}"#, r#"{"a": 2}"#));
        assert!(json_equal("not json", "not json"));
        assert!(!json_equal("not json", "not  json"));
    }

    #[test]
    fn prior_if_equivalent_keeps_the_prior_spelling_only_when_it_means_the_same() {
        let prior = Value::Value("A".to_string());
        let same = |p: &str, r: &str| p.eq_ignore_ascii_case(r);
        assert_eq!(prior_if_equivalent(&prior, Some("a".into()), same), prior);
        assert_eq!(
            prior_if_equivalent(&prior, Some("b".into()), same),
            Value::Value("b".to_string())
        );
        assert_eq!(prior_if_equivalent(&prior, None, same), Value::Null);
        assert_eq!(
            prior_if_equivalent(&Value::Unknown, Some("a".into()), same),
            Value::Value("a".to_string())
        );
        assert_eq!(
            prior_if_equivalent(&Value::Null, Some("a".into()), same),
            Value::Value("a".to_string())
        );
    }
    use std::collections::BTreeMap;

    #[derive(Debug, Default, PartialEq, Serialize, Deserialize)]
    #[serde(default)]
    struct Model {
        name: Value<String>,
        count: Value<i64>,
        on: Value<bool>,
        tags: Value<BTreeMap<String, Value<String>>>,
        list: Value<Vec<Value<String>>>,
    }

    fn sample() -> Model {
        Model {
            name: Value::Value("n".into()),
            count: Value::Unknown,
            on: Value::Null,
            tags: Value::Value(BTreeMap::from([
                ("a".into(), Value::Value("1".into())),
                ("b".into(), Value::Unknown),
            ])),
            list: Value::Value(vec![Value::Null, Value::Value("x".into())]),
        }
    }

    #[test]
    fn msgpack_round_trip_keeps_all_three_states_at_every_depth() {
        let bytes = to_msgpack(&sample()).unwrap();
        assert_eq!(from_msgpack::<Model>(&bytes).unwrap(), sample());
    }

    #[test]
    fn unknown_is_extension_zero() {
        let bytes = to_msgpack(&Value::<String>::Unknown).unwrap();
        // fixext1, type 0, one data byte: what cty writes.
        assert_eq!(bytes, vec![0xd4, 0x00, 0x00]);
    }

    #[test]
    fn refined_unknown_decodes_as_unknown() {
        // ext8 of length 3, type 12: cty's unknown carrying refinements.
        let bytes = [0xc7, 0x03, 0x0c, 0x81, 0x01, 0xc3];
        assert_eq!(
            from_msgpack::<Value<String>>(&bytes).unwrap(),
            Value::Unknown
        );
    }

    #[test]
    fn other_extension_types_are_refused() {
        assert!(from_msgpack::<Value<String>>(&[0xd4, 0x05, 0x00]).is_err());
    }

    #[test]
    fn nil_decodes_as_null() {
        assert_eq!(
            from_msgpack::<Value<String>>(MSGPACK_NULL).unwrap(),
            Value::Null
        );
        assert!(msgpack_is_null(MSGPACK_NULL));
        assert!(!msgpack_is_null(&to_msgpack(&sample()).unwrap()));
    }

    #[test]
    fn json_state_with_missing_attributes_decodes_them_as_null() {
        let model: Model = from_json(br#"{"name":"n","on":null}"#).unwrap();
        assert_eq!(model.name, Value::Value("n".into()));
        assert_eq!(model.on, Value::Null);
        assert_eq!(model.count, Value::Null);
    }

    #[test]
    fn a_decode_error_names_the_attribute() {
        let bytes = to_msgpack(&serde_json::json!({ "count": 7.5 })).unwrap();
        let why = from_msgpack::<Model>(&bytes).unwrap_err();
        assert!(why.contains("count"), "{why}");
    }

    #[test]
    fn a_list_shaped_like_an_extension_is_not_unknown() {
        let bytes = to_msgpack(&serde_json::json!([0, "x"])).unwrap();
        assert!(from_msgpack::<Value<Vec<Value<String>>>>(&bytes).is_err());
    }

    #[test]
    fn a_wrong_type_is_an_error_not_a_panic() {
        let bytes = to_msgpack(&serde_json::json!({ "count": "many" })).unwrap();
        assert!(from_msgpack::<Model>(&bytes).is_err());
        assert!(from_msgpack::<Model>(&[0xff, 0x00]).is_err());
    }
}
