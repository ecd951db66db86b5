//! Plan a role resource: the computed attributes from what is known, and
//! which changes replace the role. Pure.

use crate::aws::iam::DEFAULT_SESSION_SECONDS;
use crate::plugin::diag::in_block;
use crate::plugin::{known, AttributePath, Str, Value};
use crate::policy::builders::redact_external_id;
use crate::resources::managed_role::{planned_tags_all, role_path, RoleSettings};
use crate::resources::PlanContext;

use super::kind::RoleKind;

/// Fill the computed attributes from what is known.
pub fn resolve<K: RoleKind>(mut s: K::State, ctx: &PlanContext) -> K::State {
    let policy = K::policy(&s, ctx);
    let trust = K::trust(&s, ctx);
    let c = K::common(&mut s);
    let path = role_path(c.role.single());
    *c.id = c.name.clone();
    let partition = ctx.partition.as_deref();
    *c.arn = match (
        known(c.name),
        known(&path),
        ctx.account_id.as_deref(),
        partition,
    ) {
        (Some(n), Some(p), Some(a), Some(partition)) => {
            Value::Value(format!("arn:{partition}:iam::{a}:role{p}{n}"))
        }
        _ => Value::Unknown,
    };
    *c.policy_json = policy;
    *c.trust_policy_json = trust.map(|t| redact_external_id(&t));
    *c.tags_all = planned_tags_all(ctx.default_tags.as_ref(), c.role);
    K::derive(&mut s, ctx.region.as_deref());
    s
}

/// The `role` settings whose change replaces the role: a new name (when one
/// is set), a new prefix, a new path.
fn replacements(wanted: &RoleSettings, prior: &Str, before: &RoleSettings) -> Vec<AttributePath> {
    let mut replace = Vec::new();
    if !wanted.name.is_null() && wanted.name != *prior {
        replace.push(in_block("role", "name"));
    }
    if wanted.name_prefix != before.name_prefix {
        replace.push(in_block("role", "name_prefix"));
    }
    if role_path(Some(wanted)) != role_path(Some(before)) {
        replace.push(in_block("role", "path"));
    }
    replace
}

/// Plan a new role (`prior` None) or an update, and what forces replacement.
pub fn plan<K: RoleKind>(
    prior: Option<&K::State>,
    proposed: K::State,
    config: &K::State,
    ctx: &PlanContext,
) -> (K::State, Vec<AttributePath>) {
    let mut s = proposed;
    let mut config = config.clone();
    let wanted = K::common(&mut config)
        .role
        .single()
        .cloned()
        .unwrap_or_default();
    let prior_name = prior.cloned().map(|mut p| {
        let c = K::common(&mut p);
        let before = c.role.single().cloned().unwrap_or_default();
        (c.name.clone(), before)
    });
    let name = match (&wanted.name, &prior_name) {
        (Value::Value(n), _) => Value::Value(n.clone()),
        (Value::Unknown, _) => Value::Unknown,
        (Value::Null, Some((prior, _))) => prior.clone(),
        (Value::Null, None) => Value::Unknown,
    };
    let replace = prior_name
        .as_ref()
        .map(|(prior, before)| replacements(&wanted, prior, before))
        .unwrap_or_default();
    let common = K::common(&mut s);
    *common.name = if replace.is_empty() {
        name
    } else {
        wanted.name.clone().or(Value::Unknown)
    };
    // Optional and computed: Terraform proposes the prior value for a null
    // configuration, but null means IAM's default, so drift is repaired.
    if let (Some(planned), Some(configured)) = (
        common.max_session_duration,
        K::common(&mut config).max_session_duration,
    ) {
        *planned = (*configured).or(Value::Value(i64::from(DEFAULT_SESSION_SECONDS)));
    }
    let mut planned = resolve::<K>(s, ctx);
    if let (Some(p), true) = (prior, replace.is_empty()) {
        let mut p = p.clone();
        let prior_arn = K::common(&mut p).arn.clone();
        let c = K::common(&mut planned);
        if c.arn.is_unknown() {
            *c.arn = prior_arn;
        }
    }
    (planned, replace)
}
