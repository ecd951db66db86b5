//! An IAM role with one inline policy that a resource owns, shared by the
//! invoker and the role resources: its pure half (the `role` block, tags,
//! path, read-back) in [`settings`], the ownership proof in [`proof`], its
//! AWS half (converge, read, delete) in [`apply`].

pub mod apply;
pub mod proof;
pub mod settings;

pub use apply::{converge, delete, read, Deleted, Recorded, RoleTarget};
pub use settings::{
    flatten_settings, planned_tags_all, policy_text, role_path, role_tags, tag_problems,
    validate_role_block, RoleSettings, DEFAULT_ROLE_PATH, RESERVED_TAG_PREFIX,
};
