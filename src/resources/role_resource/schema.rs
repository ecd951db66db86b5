//! The schema every role resource shares: the `role { ... }` block and the
//! computed attributes; each kind adds its own arguments.

use crate::plugin::schema::*;

/// The `role { ... }` block and the computed attributes, shared by the kinds.
pub fn common_schema(
    description: &str,
    mut attributes: Vec<(&'static str, Attribute)>,
    mut blocks: Vec<(&'static str, NestedBlock)>,
) -> Schema {
    attributes.extend([
        ("id", attr(string(), Computed, "The role's name.")),
        ("arn", attr(string(), Computed, "ARN of the role.")),
        (
            "name",
            attr(
                string(),
                Computed,
                "Name of the role (`role.name`, or generated).",
            ),
        ),
        (
            "policy_json",
            attr(string(), Computed, "The exact inline policy."),
        ),
        (
            "trust_policy_json",
            attr(
                string(),
                Computed,
                "The exact trust policy, with an `sts:ExternalId` value shown as `\"(sensitive)\"`.",
            ),
        ),
        (
            "tags_all",
            attr(
                string_map(),
                Computed,
                "Every tag of the role: the provider's `default_tags` merged with `role.tags`. \
                 The provider's own ownership tag (`lambdawire:role`) is not shown.",
            ),
        ),
    ]);
    blocks.push((
        "role",
        optional_block(block(
            "Settings of the role. A change of name, prefix or path replaces it.",
            vec![
                ("name", attr(string(), Optional, "Role name, 1-64 of `[\\w+=,.@-]`. Generated when null.")),
                ("name_prefix", attr(string(), Optional, "Prefix of the generated role name (at most 38 characters). Conflicts with `name`.")),
                ("path", attr(string(), Optional, "IAM path; default `/`.")),
                ("permissions_boundary", attr(string(), Optional, "ARN of the permissions boundary policy.")),
                ("tags", attr(string_map(), Optional, "Tags of the role, merged over the provider's `default_tags`. Keys starting with `lambdawire:` are the provider's own.")),
            ],
            vec![],
        )),
    ));
    schema(block(description, attributes, blocks))
}
