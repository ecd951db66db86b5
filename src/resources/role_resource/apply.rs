//! A role resource's AWS steps: converge IAM to the planned role, read it
//! back, delete it, import it. Every call goes through `crate::aws::iam` and
//! the managed role engine.

use crate::aws::{iam, AwsClients, AwsError, ErrorKind};
use crate::plugin::{known, text, Value};
use crate::resources::managed_role::{self, Recorded, RoleTarget};
use crate::resources::steps::{not_recorded, step, unique_name, StepError};
use crate::resources::PlanContext;

use super::flex::{flatten, imported, without_unknowns};
use super::kind::{owner_value, RoleKind, OWNER_TAG};
use super::plan::resolve;

/// The role as planned, for [`managed_role::converge`]: its name, both
/// policies, the owner tag, and the settings of the `role` block.
fn target<K: RoleKind>(c: &AwsClients, s: &mut K::State, ctx: &PlanContext) -> RoleTarget {
    let description = K::description(s);
    let trust = text(&K::trust(s, ctx));
    let common = K::common(s);
    let name = text(common.name);
    let mut t = RoleTarget::new(
        c,
        common.role.single(),
        &name,
        &trust,
        description,
        (OWNER_TAG, owner_value::<K>(&name)),
        K::POLICY_NAME,
        &text(common.policy_json),
    );
    t.spec.max_session_duration = common
        .max_session_duration
        .and_then(|m| m.as_ref_option().copied())
        .and_then(|m| i32::try_from(m).ok());
    t
}

/// Create (`prior` None) or update the role. A failed update returns the
/// role as IAM has it after the failure (what succeeded and what did not),
/// never the planned state, so the next plan shows what is left to do.
pub(super) async fn apply<K: RoleKind>(
    c: &AwsClients,
    prior: Option<&K::State>,
    planned: K::State,
    ctx: &PlanContext,
) -> (Option<K::State>, Vec<StepError>) {
    let creating = prior.is_none();
    let mut s = planned;
    {
        let common = K::common(&mut s);
        if !common.name.is_value() {
            let prefix = common
                .role
                .single()
                .and_then(|r| known(&r.name_prefix).map(str::to_string))
                .unwrap_or_else(|| K::NAME_PREFIX.to_string());
            *common.name = Value::Value(unique_name(&prefix));
        }
    }
    let mut s = resolve::<K>(s, ctx);
    let t = target::<K>(c, &mut s, ctx);
    let recorded = if creating {
        Recorded::No
    } else {
        Recorded::Yes
    };
    let name = t.spec.name.clone();
    // A role with this resource's owner tag and its inline policy is a
    // complete role resource (another configuration's, or one to import);
    // without the policy it is the leftover of an interrupted create.
    let (created, result) = managed_role::converge(c, &t, recorded, || async move {
        match iam::find_role_policy(c, &name, K::POLICY_NAME).await? {
            Some(_) => Err(not_recorded(
                "CreateRole",
                "EntityAlreadyExists",
                &format!(
                    "IAM role {name}, with its inline policy {},",
                    K::POLICY_NAME
                ),
                &name,
                None,
            )),
            None => Ok(()),
        }
    })
    .await;
    let mut errors = Vec::new();
    if let Err(failure) = result {
        errors.push(failure);
        if created {
            if let Err(e) = iam::delete_role(c, &t.spec.name, K::POLICY_NAME).await {
                errors.push(step(format!("rolling back IAM Role ({})", t.spec.name))(e));
                // Keep what exists so nothing is orphaned.
                return (Some(without_unknowns::<K>(s)), errors);
            }
        }
        if creating {
            return (None, errors);
        }
    }
    // Without a read-back, the planned state when every step succeeded, the
    // prior one when one failed: either way no more than what was done.
    let failed = !errors.is_empty();
    let fallback = |s: K::State| match prior {
        Some(p) if failed => p.clone(),
        _ => s,
    };
    match managed_role::read(c, &t.spec.name, K::POLICY_NAME).await {
        Ok((Some(role), policy)) => (
            Some(flatten::<K>(s, &role, policy.as_deref(), &c.default_tags)),
            errors,
        ),
        Ok((None, _)) => {
            errors.push(gone(&t.spec.name));
            (Some(fallback(s)), errors)
        }
        Err(e) => {
            errors.push(e);
            (Some(fallback(s)), errors)
        }
    }
}

/// The role was written but a read right after found none.
fn gone(name: &str) -> StepError {
    StepError {
        doing: format!("reading IAM Role ({name})"),
        error: AwsError {
            operation: "GetRole",
            code: "NoSuchEntity".into(),
            message: "the role was written but cannot be read back".into(),
            request_id: None,
            kind: ErrorKind::NotFound,
        },
    }
}

/// The role and its inline policy as IAM holds them, read over `state`;
/// `None` when the role is gone.
pub(super) async fn read<K: RoleKind>(
    clients: &AwsClients,
    state: K::State,
) -> Result<Option<K::State>, StepError> {
    let mut s = state.clone();
    let name = text(K::common(&mut s).name);
    let (role, policy) = managed_role::read(clients, &name, K::POLICY_NAME).await?;
    Ok(role.map(|role| flatten::<K>(state, &role, policy.as_deref(), &clients.default_tags)))
}

/// Delete the role with its inline policy.
pub(super) async fn delete<K: RoleKind>(
    clients: &AwsClients,
    prior: K::State,
) -> Result<(), StepError> {
    let mut s = prior;
    let name = text(K::common(&mut s).name);
    iam::delete_role(clients, &name, K::POLICY_NAME)
        .await
        .map_err(step(format!("deleting IAM Role ({name})")))
}

/// The state of the role named `id`, or `None` when IAM has no such role.
pub(super) async fn import<K: RoleKind>(
    clients: &AwsClients,
    id: &str,
) -> Result<Option<K::State>, StepError> {
    let (role, policy) = managed_role::read(clients, id, K::POLICY_NAME).await?;
    Ok(role.map(|role| imported::<K>(&role, &policy.unwrap_or_default(), &clients.default_tags)))
}
