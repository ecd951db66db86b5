//! Schemas as plain data: attribute types in cty's vocabulary, blocks,
//! nested attributes, function signatures. Each resource's schema module
//! builds one with the small builders at the end of this file, so that
//! every attribute carries a real description and a schema reads as a table.
//! The server encodes these into protocol messages; docs/ is rendered from
//! them too.

use serde_json::json;

/// A cty type.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Type {
    String,
    Number,
    Bool,
    List(Box<Type>),
    Set(Box<Type>),
    Map(Box<Type>),
    Object(Vec<(String, Type)>),
    Dynamic,
}

impl Type {
    /// cty's JSON type notation (`"string"`, `["list","string"]`,
    /// `["object",{"a":"bool"}]`), the form the protocol carries.
    pub fn to_json(&self) -> serde_json::Value {
        match self {
            Type::String => json!("string"),
            Type::Number => json!("number"),
            Type::Bool => json!("bool"),
            Type::Dynamic => json!("dynamic"),
            Type::List(t) => json!(["list", t.to_json()]),
            Type::Set(t) => json!(["set", t.to_json()]),
            Type::Map(t) => json!(["map", t.to_json()]),
            Type::Object(fields) => {
                let fields: serde_json::Map<_, _> = fields
                    .iter()
                    .map(|(name, t)| (name.clone(), t.to_json()))
                    .collect();
                json!(["object", fields])
            }
        }
    }
}

/// Who sets an attribute: the configuration, the provider, or either.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Constraint {
    Required,
    Optional,
    /// Optional in configuration; the provider fills it in when null.
    OptionalComputed,
    Computed,
}

/// How a nested attribute or block repeats.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Nesting {
    Single,
    List,
    Set,
    Map,
}

/// The attributes of a nested attribute (`NestedType`): unlike a block, it
/// can be null, computed, sensitive, and set with `=`.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct NestedAttributes {
    pub nesting: Nesting,
    pub attributes: Vec<(String, Attribute)>,
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Attribute {
    /// The value type; ignored when `nested` is set.
    pub attr_type: Type,
    pub nested: Option<NestedAttributes>,
    pub constraint: Constraint,
    /// Markdown.
    pub description: String,
    pub sensitive: bool,
    /// Terraform >= 1.11: taken from configuration at plan and apply, never
    /// stored in plan or state.
    pub write_only: bool,
    pub deprecated: bool,
}

/// A nested block: `Optional` is a list block of at most one item.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct NestedBlock {
    pub nesting: Nesting,
    pub body: Block,
    pub min_items: i64,
    pub max_items: i64,
}

#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Block {
    /// Markdown.
    pub description: String,
    pub attributes: Vec<(String, Attribute)>,
    pub blocks: Vec<(String, NestedBlock)>,
    pub deprecated: bool,
}

impl Block {
    pub fn attribute(&self, name: &str) -> Option<&Attribute> {
        self.attributes
            .iter()
            .find(|(n, _)| n == name)
            .map(|(_, a)| a)
    }
}

/// A resource, data source or provider schema. `version` is the state
/// version: a change of it comes with an upgrade of older state.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Schema {
    pub version: i64,
    pub block: Block,
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Parameter {
    pub name: String,
    pub param_type: Type,
    pub description: String,
}

/// A provider function's signature and documentation.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct FunctionSchema {
    pub parameters: Vec<Parameter>,
    pub return_type: Type,
    pub summary: String,
    /// Markdown.
    pub description: String,
}

pub use Constraint::{Computed, Optional, OptionalComputed, Required};

pub fn string() -> Type {
    Type::String
}
pub fn number() -> Type {
    Type::Number
}
pub fn boolean() -> Type {
    Type::Bool
}
pub fn string_map() -> Type {
    Type::Map(Box::new(Type::String))
}
pub fn string_list() -> Type {
    Type::List(Box::new(Type::String))
}

/// One attribute: type, constraint and its markdown description.
pub fn attr(attr_type: Type, constraint: Constraint, description: &str) -> Attribute {
    Attribute {
        attr_type,
        nested: None,
        constraint,
        description: description.to_string(),
        sensitive: false,
        write_only: false,
        deprecated: false,
    }
}

/// A sensitive attribute: Terraform hides its value in plans and output.
pub fn sensitive(attr_type: Type, constraint: Constraint, description: &str) -> Attribute {
    Attribute {
        sensitive: true,
        ..attr(attr_type, constraint, description)
    }
}

/// A write-only attribute (sensitive too): in configuration only.
pub fn write_only(attr_type: Type, constraint: Constraint, description: &str) -> Attribute {
    Attribute {
        write_only: true,
        ..sensitive(attr_type, constraint, description)
    }
}

/// A block body from its attributes and nested blocks.
pub fn block(
    description: &str,
    attributes: Vec<(&str, Attribute)>,
    blocks: Vec<(&str, NestedBlock)>,
) -> Block {
    Block {
        description: description.to_string(),
        attributes: attributes
            .into_iter()
            .map(|(name, a)| (name.to_string(), a))
            .collect(),
        blocks: blocks
            .into_iter()
            .map(|(name, b)| (name.to_string(), b))
            .collect(),
        deprecated: false,
    }
}

/// A block that may appear at most once (list nesting, max one item).
pub fn optional_block(body: Block) -> NestedBlock {
    NestedBlock {
        nesting: Nesting::List,
        body,
        min_items: 0,
        max_items: 1,
    }
}

/// A block that may repeat (list nesting, no bounds).
pub fn list_block(body: Block) -> NestedBlock {
    NestedBlock {
        nesting: Nesting::List,
        body,
        min_items: 0,
        max_items: 0,
    }
}

/// The schema at state version 0.
pub fn schema(body: Block) -> Schema {
    versioned(0, body)
}

/// The schema at a later state version; the resource upgrades older state.
pub fn versioned(version: i64, block: Block) -> Schema {
    Schema { version, block }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn types_use_cty_json_notation() {
        assert_eq!(string_list().to_json(), json!(["list", "string"]));
        assert_eq!(
            Type::Object(vec![
                ("sid".into(), Type::String),
                ("on".into(), Type::Bool)
            ])
            .to_json(),
            json!(["object", {"sid": "string", "on": "bool"}])
        );
        assert_eq!(
            Type::Set(Box::new(string_map())).to_json(),
            json!(["set", ["map", "string"]])
        );
    }

    #[test]
    fn write_only_attributes_are_sensitive() {
        let a = write_only(string(), Optional, "token");
        assert!(a.write_only && a.sensitive);
    }
}
