//! Nested blocks (list nesting), tolerant of the shapes Terraform sends.
//!
//! Terraform sends null for a block in prior state written before the block
//! existed. Config and plan always hold a
//! list (empty when the block is absent), and a `dynamic` block over an
//! unknown collection makes the whole list unknown, so all three decode here.

use super::value::Value;
use serde::de::{Deserialize, Deserializer};
use serde::ser::{Serialize, Serializer};

/// A list-nested block: its items, or unknown.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Block<T> {
    /// The items as configured: empty when the block is absent (or was null in
    /// older state).
    Items(Vec<T>),
    /// A `dynamic` block over a collection not known until apply.
    Unknown,
}

impl<T> Default for Block<T> {
    fn default() -> Self {
        Block::Items(Vec::new())
    }
}

impl<T> Block<T> {
    /// The single item of a block declared with at most one item.
    pub fn single(&self) -> Option<&T> {
        match self {
            Block::Items(items) => items.first(),
            Block::Unknown => None,
        }
    }

    /// The items; none while unknown.
    pub fn items(&self) -> &[T] {
        match self {
            Block::Items(items) => items,
            Block::Unknown => &[],
        }
    }

    /// Whether the items are known only at apply (a `dynamic` block).
    pub fn is_unknown(&self) -> bool {
        matches!(self, Block::Unknown)
    }

    /// A block of at most one item: `None` writes it absent.
    pub fn of(item: Option<T>) -> Self {
        Block::Items(item.into_iter().collect())
    }
}

impl<'de, T: Deserialize<'de>> Deserialize<'de> for Block<T> {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        Ok(match Value::<Vec<T>>::deserialize(deserializer)? {
            Value::Value(items) => Block::Items(items),
            Value::Null => Block::Items(Vec::new()),
            Value::Unknown => Block::Unknown,
        })
    }
}

impl<T: Serialize> Serialize for Block<T> {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        match self {
            // An absent block is an empty list, never null: Terraform rejects a
            // planned null where the configuration holds an empty block list.
            Block::Items(items) => Value::Value(items).serialize(serializer),
            Block::Unknown => Value::<Vec<T>>::Unknown.serialize(serializer),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde::{Deserialize, Serialize};

    #[derive(Debug, PartialEq, Serialize, Deserialize)]
    struct Item {
        name: Value<String>,
    }

    #[derive(Debug, PartialEq, Serialize, Deserialize)]
    struct Holder {
        role: Block<Item>,
    }

    fn round_trip(holder: &Holder) -> Holder {
        let bytes = rmp_serde::to_vec_named(holder).unwrap();
        rmp_serde::from_slice(&bytes).unwrap()
    }

    #[test]
    fn null_decodes_as_no_items() {
        let bytes = rmp_serde::to_vec_named(&serde_json::json!({ "role": null })).unwrap();
        let holder: Holder = rmp_serde::from_slice(&bytes).unwrap();
        assert_eq!(holder.role, Block::Items(vec![]));
    }

    #[test]
    fn items_and_unknown_round_trip() {
        let holder = Holder {
            role: Block::Items(vec![Item {
                name: Value::Value("x".into()),
            }]),
        };
        assert_eq!(round_trip(&holder), holder);
        let unknown = Holder {
            role: Block::Unknown,
        };
        assert_eq!(round_trip(&unknown), unknown);
    }

    #[test]
    fn absent_block_encodes_as_empty_list_not_null() {
        let bytes = rmp_serde::to_vec_named(&Holder {
            role: Block::default(),
        })
        .unwrap();
        let value: serde_json::Value = rmp_serde::from_slice(&bytes).unwrap();
        assert_eq!(value["role"], serde_json::json!([]));
    }
}
