//! Our plain types to and from the protocol's messages: schemas,
//! diagnostics and attribute paths. Pure; no I/O.

use super::diag::{AttributePath, Diagnostics, Severity, Step};
use super::proto::tfplugin6 as pb;
use super::schema::{Attribute, Block, Constraint, FunctionSchema, NestedBlock, Nesting, Schema};

/// An attribute path as the protocol carries it, step for step.
pub fn path(path: &AttributePath) -> pb::AttributePath {
    use pb::attribute_path::step::Selector;
    pb::AttributePath {
        steps: path
            .steps
            .iter()
            .map(|step| pb::attribute_path::Step {
                selector: Some(match step {
                    Step::Attribute(name) => Selector::AttributeName(name.clone()),
                    Step::Index(i) => Selector::ElementKeyInt(*i),
                    Step::Key(k) => Selector::ElementKeyString(k.clone()),
                }),
            })
            .collect(),
    }
}

/// Diagnostics as the protocol carries them, errors first. A provider
/// function's argument errors are left out: they travel as [`function_error`].
pub fn diagnostics(diags: &Diagnostics) -> Vec<pb::Diagnostic> {
    diags
        .all()
        .filter(|d| d.function_argument.is_none())
        .map(|d| pb::Diagnostic {
            severity: match d.severity {
                Severity::Error => pb::diagnostic::Severity::Error,
                Severity::Warning => pb::diagnostic::Severity::Warning,
            } as i32,
            summary: d.summary.clone(),
            detail: d.detail.clone(),
            attribute: d.path.as_ref().map(path),
        })
        .collect()
}

/// A function's errors as the one FunctionError the protocol carries.
pub fn function_error(diags: &Diagnostics) -> Option<pb::FunctionError> {
    let first = diags.errors.first()?;
    let text = diags
        .errors
        .iter()
        .map(|d| d.summary.as_str())
        .collect::<Vec<_>>()
        .join("; ");
    Some(pb::FunctionError {
        text,
        function_argument: first.function_argument,
    })
}

fn markdown() -> i32 {
    pb::StringKind::Markdown as i32
}

fn attribute(name: &str, a: &Attribute) -> pb::schema::Attribute {
    let (required, optional, computed) = match a.constraint {
        Constraint::Required => (true, false, false),
        Constraint::Optional => (false, true, false),
        Constraint::OptionalComputed => (false, true, true),
        Constraint::Computed => (false, false, true),
    };
    let nested_type = a.nested.as_ref().map(|n| pb::schema::Object {
        attributes: n
            .attributes
            .iter()
            .map(|(name, a)| attribute(name, a))
            .collect(),
        nesting: match n.nesting {
            Nesting::Single => pb::schema::object::NestingMode::Single,
            Nesting::List => pb::schema::object::NestingMode::List,
            Nesting::Set => pb::schema::object::NestingMode::Set,
            Nesting::Map => pb::schema::object::NestingMode::Map,
        } as i32,
        ..Default::default()
    });
    pb::schema::Attribute {
        name: name.to_string(),
        // A nested attribute carries its type in `nested_type` only.
        r#type: if nested_type.is_some() {
            Vec::new()
        } else {
            a.attr_type.to_json().to_string().into_bytes()
        },
        nested_type,
        description: a.description.clone(),
        required,
        optional,
        computed,
        sensitive: a.sensitive,
        description_kind: markdown(),
        deprecated: a.deprecated,
        write_only: a.write_only,
    }
}

fn nested_block(name: &str, b: &NestedBlock) -> pb::schema::NestedBlock {
    use pb::schema::nested_block::NestingMode;
    pb::schema::NestedBlock {
        type_name: name.to_string(),
        block: Some(block(&b.body)),
        nesting: match b.nesting {
            Nesting::Single => NestingMode::Single,
            Nesting::List => NestingMode::List,
            Nesting::Set => NestingMode::Set,
            Nesting::Map => NestingMode::Map,
        } as i32,
        min_items: b.min_items,
        max_items: b.max_items,
    }
}

fn block(b: &Block) -> pb::schema::Block {
    pb::schema::Block {
        version: 0,
        attributes: b.attributes.iter().map(|(n, a)| attribute(n, a)).collect(),
        block_types: b.blocks.iter().map(|(n, nb)| nested_block(n, nb)).collect(),
        description: b.description.clone(),
        description_kind: markdown(),
        deprecated: b.deprecated,
    }
}

/// A resource, data source or provider schema as the protocol carries it;
/// every description is marked Markdown.
pub fn schema(s: &Schema) -> pb::Schema {
    pb::Schema {
        version: s.version,
        block: Some(block(&s.block)),
    }
}

/// A provider function's signature as the protocol carries it: types in
/// cty's JSON notation, no variadic parameter, and no null or unknown
/// argument allowed (Terraform resolves those before calling).
pub fn function(f: &FunctionSchema) -> pb::Function {
    let ty = |t: &super::schema::Type| t.to_json().to_string().into_bytes();
    pb::Function {
        parameters: f
            .parameters
            .iter()
            .map(|p| pb::function::Parameter {
                name: p.name.clone(),
                r#type: ty(&p.param_type),
                allow_null_value: false,
                allow_unknown_values: false,
                description: p.description.clone(),
                description_kind: pb::StringKind::Plain as i32,
            })
            .collect(),
        variadic_parameter: None,
        r#return: Some(pb::function::Return {
            r#type: ty(&f.return_type),
        }),
        summary: f.summary.clone(),
        description: f.description.clone(),
        description_kind: markdown(),
        deprecation_message: String::new(),
    }
}

#[cfg(test)]
mod tests {
    use super::{
        block as encode_block, diagnostics, function_error, path, pb, AttributePath, Diagnostics,
    };
    use crate::plugin::schema::*;

    #[test]
    fn constraints_map_to_the_three_flags() {
        let s = schema_of(vec![
            ("r", attr(string(), Required, "")),
            ("oc", attr(string(), OptionalComputed, "")),
            ("w", write_only(string(), Optional, "")),
        ]);
        let block = s.block.unwrap();
        let flags: Vec<_> = block
            .attributes
            .iter()
            .map(|a| {
                (
                    a.name.as_str(),
                    a.required,
                    a.optional,
                    a.computed,
                    a.write_only,
                    a.sensitive,
                )
            })
            .collect();
        assert_eq!(
            flags,
            vec![
                ("r", true, false, false, false, false),
                ("oc", false, true, true, false, false),
                ("w", false, true, false, true, true)
            ]
        );
        assert_eq!(block.attributes[0].r#type, b"\"string\"");
    }

    fn schema_of(attributes: Vec<(&str, Attribute)>) -> pb::Schema {
        super::schema(&versioned(
            2,
            super::super::schema::block("d", attributes, vec![]),
        ))
    }

    #[test]
    fn nested_attributes_carry_their_type_in_nested_type_only() {
        let mut a = attr(string(), Optional, "nested");
        a.nested = Some(NestedAttributes {
            nesting: Nesting::List,
            attributes: vec![("x".into(), attr(boolean(), Required, ""))],
        });
        let s = schema_of(vec![("n", a)]);
        let n = &s.block.unwrap().attributes[0];
        assert!(n.r#type.is_empty());
        let object = n.nested_type.as_ref().unwrap();
        assert_eq!(object.nesting, pb::schema::object::NestingMode::List as i32);
        assert_eq!(object.attributes[0].r#type, b"\"bool\"");
        assert_eq!(s.version, 2);
    }

    #[test]
    fn blocks_keep_their_bounds_and_paths_their_steps() {
        let body = block(
            "b",
            vec![],
            vec![("role", optional_block(block("r", vec![], vec![])))],
        );
        let b = encode_block(&body);
        assert_eq!(
            (b.block_types[0].min_items, b.block_types[0].max_items),
            (0, 1)
        );
        let p = path(&AttributePath::new("tags").key("team").index(2));
        assert_eq!(p.steps.len(), 3);
    }

    #[test]
    fn function_errors_keep_the_argument_index() {
        let mut diags = Diagnostics::default();
        diags.function_error(1, "bad zone");
        let e = function_error(&diags).unwrap();
        assert_eq!(e.function_argument, Some(1));
        assert!(diagnostics(&diags).is_empty());
    }
}
