//! Small builders over tf-provider's schema types, so every attribute carries
//! a real description (tf-provider's default is the word "empty") and each
//! resource's schema reads as a table.

use std::collections::HashMap;

use tf_provider::schema::{
    Attribute, AttributeConstraint, AttributeType, Block, Description, NestedBlock, Schema,
};

pub use tf_provider::schema::AttributeConstraint::{
    Computed, Optional, OptionalComputed, Required,
};

pub fn string() -> AttributeType {
    AttributeType::String
}
pub fn number() -> AttributeType {
    AttributeType::Number
}
pub fn boolean() -> AttributeType {
    AttributeType::Bool
}
pub fn string_map() -> AttributeType {
    AttributeType::Map(Box::new(AttributeType::String))
}
pub fn string_list() -> AttributeType {
    AttributeType::List(Box::new(AttributeType::String))
}

/// One attribute: type, constraint and its markdown description.
pub fn attr(
    attr_type: AttributeType,
    constraint: AttributeConstraint,
    description: &str,
) -> Attribute {
    Attribute {
        attr_type,
        description: Description::markdown(description),
        constraint,
        sensitive: false,
        deprecated: false,
    }
}

/// A sensitive attribute: Terraform hides its value in plans and output.
pub fn sensitive(
    attr_type: AttributeType,
    constraint: AttributeConstraint,
    description: &str,
) -> Attribute {
    Attribute {
        sensitive: true,
        ..attr(attr_type, constraint, description)
    }
}

/// A block body from its attributes and nested blocks.
pub fn block(
    description: &str,
    attributes: Vec<(&str, Attribute)>,
    blocks: Vec<(&str, NestedBlock)>,
) -> Block {
    Block {
        version: 0,
        attributes: attributes
            .into_iter()
            .map(|(name, a)| (name.to_string(), a))
            .collect::<HashMap<_, _>>(),
        blocks: blocks
            .into_iter()
            .map(|(name, b)| (name.to_string(), b))
            .collect::<HashMap<_, _>>(),
        description: Description::markdown(description),
        deprecated: false,
    }
}

/// A block that may appear at most once (list nesting, max one item).
pub fn optional_block(body: Block) -> NestedBlock {
    NestedBlock::Optional(body)
}

/// The schema of a resource, data source or provider: version 0, because
/// tf-provider cannot upgrade state (its upgrade hook cannot be overridden),
/// so every schema change must stay additive.
pub fn schema(body: Block) -> Schema {
    Schema {
        version: 0,
        block: body,
    }
}
