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
    /// A UTF-8 string; also how Terraform carries ARNs, JSON documents and dates.
    String,
    /// A number; cty's are arbitrary precision, the models here read them as `i64`.
    Number,
    /// `true` or `false`.
    Bool,
    /// An ordered list of one element type.
    List(Box<Type>),
    /// An unordered set of unique elements; Terraform diffs it by value, not position.
    Set(Box<Type>),
    /// A map from string keys to one element type.
    Map(Box<Type>),
    /// An object with these attribute names and types, in this order.
    Object(Vec<(String, Type)>),
    /// Any type, decided by the value (cty's `DynamicPseudoType`).
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
    /// The configuration must set it; never computed.
    Required,
    /// The configuration may set it; null stays null.
    Optional,
    /// Optional in configuration; the provider fills it in when null.
    OptionalComputed,
    /// Set by the provider only; the configuration cannot set it.
    Computed,
}

/// How a nested attribute or block repeats.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Nesting {
    /// Exactly one object (or null, for a nested attribute).
    Single,
    /// Zero or more objects, in order.
    List,
    /// Zero or more objects, unordered and unique.
    Set,
    /// Objects keyed by string.
    Map,
}

/// The attributes of a nested attribute (`NestedType`): unlike a block, it
/// can be null, computed, sensitive, and set with `=`.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct NestedAttributes {
    /// How the objects repeat.
    pub nesting: Nesting,
    /// The attributes of each object, in schema order.
    pub attributes: Vec<(String, Attribute)>,
}

/// One attribute of a block or nested attribute: its type, who sets it, and
/// how Terraform shows and stores it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Attribute {
    /// The value type; ignored when `nested` is set.
    pub attr_type: Type,
    /// When set, the attribute is a nested attribute (an object or collection
    /// of objects) with these attributes instead of `attr_type`.
    pub nested: Option<NestedAttributes>,
    /// Whether the configuration, the provider or either sets it.
    pub constraint: Constraint,
    /// Markdown.
    pub description: String,
    /// Terraform hides the value in plans and CLI output (it is still stored
    /// in state unless `write_only`).
    pub sensitive: bool,
    /// Terraform >= 1.11: taken from configuration at plan and apply, never
    /// stored in plan or state.
    pub write_only: bool,
    /// Terraform warns when a configuration sets it.
    pub deprecated: bool,
}

/// A nested block: `Optional` is a list block of at most one item.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct NestedBlock {
    /// How the block repeats in configuration.
    pub nesting: Nesting,
    /// The block's attributes and nested blocks.
    pub body: Block,
    /// At least this many items; 0 for no lower bound.
    pub min_items: i64,
    /// At most this many items; 0 for no upper bound (1 makes an optional block).
    pub max_items: i64,
}

/// The body of a schema or of a nested block: its attributes and nested
/// blocks, each in the order docs/ lists them.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Block {
    /// Markdown.
    pub description: String,
    /// Attributes by name, in schema order.
    pub attributes: Vec<(String, Attribute)>,
    /// Nested blocks by name, in schema order.
    pub blocks: Vec<(String, NestedBlock)>,
    /// Terraform warns when a configuration uses the block.
    pub deprecated: bool,
}

impl Block {
    /// The attribute called `name` at this level (not in nested blocks), if any.
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
    /// The state version; 0 until a change of the state's shape needs an upgrade.
    pub version: i64,
    /// The top-level block.
    pub block: Block,
}

/// One positional parameter of a provider function.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Parameter {
    /// As the function's documentation and diagnostics name it.
    pub name: String,
    /// The type Terraform converts the argument to before the call.
    pub param_type: Type,
    /// Markdown.
    pub description: String,
}

/// A provider function's signature and documentation.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct FunctionSchema {
    /// In call order; a provider function here has no variadic parameter.
    pub parameters: Vec<Parameter>,
    /// The type of the result.
    pub return_type: Type,
    /// One line, for the docs/ page's front matter and Terraform's function listings.
    pub summary: String,
    /// Markdown.
    pub description: String,
}

pub use Constraint::{Computed, Optional, OptionalComputed, Required};

/// The cty `string` type, for [`attr`].
pub fn string() -> Type {
    Type::String
}
/// The cty `number` type, for [`attr`].
pub fn number() -> Type {
    Type::Number
}
/// The cty `bool` type, for [`attr`].
pub fn boolean() -> Type {
    Type::Bool
}
/// A map of strings, as tags are.
pub fn string_map() -> Type {
    Type::Map(Box::new(Type::String))
}
/// A list of strings, in order.
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
