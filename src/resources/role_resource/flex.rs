//! IAM's answer read into a role resource's state: the read-back over the
//! planned state, and the state of an imported role. Pure.

use std::collections::BTreeMap;

use crate::aws::iam::FoundRole;
use crate::plugin::{opt, Block, Value};
use crate::policy::builders::{external_id_of, redact_external_id};
use crate::resources::managed_role::{flatten_settings, policy_text, RoleSettings};
use crate::resources::steps::generated_prefix;

use super::kind::RoleKind;

/// The state with everything IAM holds of the role read back over it:
/// policies, boundary, path and tags (see [`flatten_settings`]).
/// `region`: the provider's, which the kind's derived values name.
pub(super) fn flatten<K: RoleKind>(
    mut s: K::State,
    found: &FoundRole,
    policy: Option<&str>,
    default_tags: &BTreeMap<String, String>,
    region: &str,
) -> K::State {
    let role = &found.role;
    let c = K::common(&mut s);
    *c.arn = Value::Value(role.arn.clone());
    let shown = redact_external_id(&role.trust_policy);
    *c.trust_policy_json = policy_text(c.trust_policy_json, Some(&shown));
    if let Some(external_id) = c.external_id {
        *external_id = opt(external_id_of(&role.trust_policy));
    }
    if let Some(seconds) = c.max_session_duration {
        *seconds = Value::Value(i64::from(found.max_session_duration));
    }
    *c.policy_json = policy_text(c.policy_json, policy);
    let (settings, tags_all) = flatten_settings(c.role, role, default_tags);
    *c.role = settings;
    *c.tags_all = tags_all;
    K::derive(&mut s, Some(region));
    s
}

/// The state with every unknown computed attribute null: what a failed
/// create that keeps a role records, since state holds no unknowns.
pub(super) fn without_unknowns<K: RoleKind>(mut s: K::State, region: &str) -> K::State {
    let c = K::common(&mut s);
    for field in [c.id, c.arn, c.name, c.policy_json, c.trust_policy_json] {
        if field.is_unknown() {
            *field = Value::Null;
        }
    }
    if c.tags_all.is_unknown() {
        *c.tags_all = Value::Null;
    }
    K::derive(&mut s, Some(region));
    s
}

/// The `role { ... }` block an imported role's name implies, before IAM's
/// settings are read over it: none for a name generated with the kind's own
/// prefix (the configuration need not name it; the name stays in the
/// computed `name`), `name_prefix` for one generated with another prefix,
/// and `name` for any other. Import cannot see the configuration, so the
/// name's shape is the best evidence of what it says.
fn imported_settings<K: RoleKind>(name: &str) -> Option<RoleSettings> {
    match generated_prefix(name) {
        Some(prefix) if prefix == K::NAME_PREFIX => None,
        Some(prefix) if !prefix.is_empty() => Some(RoleSettings {
            name_prefix: Value::Value(prefix.to_string()),
            ..Default::default()
        }),
        _ => Some(RoleSettings {
            name: Value::Value(name.to_string()),
            ..Default::default()
        }),
    }
}

/// The state of an imported role: the arguments recovered from its
/// policies, the `role { ... }` block its name implies, and everything IAM
/// holds of it read over that.
pub(super) fn imported<K: RoleKind>(
    found: &FoundRole,
    policy: &str,
    default_tags: &BTreeMap<String, String>,
    region: &str,
) -> K::State {
    let role = &found.role;
    let mut s = K::import(K::State::default(), &role.trust_policy, policy);
    {
        let c = K::common(&mut s);
        *c.name = Value::Value(role.name.clone());
        *c.id = Value::Value(role.name.clone());
        *c.policy_json = Value::Value(policy.to_string());
        *c.role = Block::of(imported_settings::<K>(&role.name));
    }
    flatten::<K>(s, found, Some(policy), default_tags, region)
}
