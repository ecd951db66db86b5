//! A role resource's AWS steps: converge IAM to the planned role, read it
//! back, delete it, import it. Every call goes through `crate::aws::iam` and
//! the managed role engine.

use crate::aws::{iam, AwsClients, AwsError, ErrorKind};
use crate::plugin::{known, text, Value};
use crate::resources::managed_role::proof::{import_problems, Evidence};
use crate::resources::managed_role::{self, Deleted, Recorded, RoleTarget};
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
    t.import_id = Some(name);
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
    name_unset_role::<K>(&mut s);
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
                return (Some(without_unknowns::<K>(s, &c.region)), errors);
            }
        }
        if creating {
            return (None, errors);
        }
    }
    (
        Some(read_back::<K>(c, prior, s, &t.spec.name, &mut errors).await),
        errors,
    )
}

/// A role without `role.name` gets a unique name from its prefix (or the
/// kind's default prefix) at create.
fn name_unset_role<K: RoleKind>(s: &mut K::State) {
    let common = K::common(s);
    if !common.name.is_value() {
        let prefix = common
            .role
            .single()
            .and_then(|r| known(&r.name_prefix).map(str::to_string))
            .unwrap_or_else(|| K::NAME_PREFIX.to_string());
        *common.name = Value::Value(unique_name(&prefix));
    }
}

/// The role as IAM has it after the steps. Without a read-back, the planned
/// state when every step succeeded, the prior one when one failed: either
/// way no more than what was done.
async fn read_back<K: RoleKind>(
    c: &AwsClients,
    prior: Option<&K::State>,
    s: K::State,
    name: &str,
    errors: &mut Vec<StepError>,
) -> K::State {
    let failed = !errors.is_empty();
    let fallback = |s: K::State| match prior {
        Some(p) if failed => p.clone(),
        _ => s,
    };
    match managed_role::read(c, name, K::POLICY_NAME).await {
        Ok((Some(role), policy)) => {
            flatten::<K>(s, &role, policy.as_deref(), &c.default_tags, &c.region)
        }
        Ok((None, _)) => {
            errors.push(gone(name));
            fallback(s)
        }
        Err(e) => {
            errors.push(e);
            fallback(s)
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
    Ok(role.map(|role| {
        flatten::<K>(
            state,
            &role,
            policy.as_deref(),
            &clients.default_tags,
            &clients.region,
        )
    }))
}

/// Delete the role with its inline policy, or release it with a warning
/// when it no longer carries this resource's owner tag.
pub(super) async fn delete<K: RoleKind>(
    clients: &AwsClients,
    prior: K::State,
) -> Result<Deleted, StepError> {
    let mut s = prior;
    let name = text(K::common(&mut s).name);
    let owner = owner_value::<K>(&name);
    managed_role::delete(clients, &name, K::POLICY_NAME, (OWNER_TAG, &owner)).await
}

/// The state of the role named `id`, or `None` when IAM has no such role.
/// `Err` with the reasons when the role is not provably this resource's
/// or holds a policy the state would not show (see [`import_problems`]).
pub(super) async fn import<K: RoleKind>(
    clients: &AwsClients,
    id: &str,
) -> Result<Option<K::State>, Imported> {
    let (role, policy) = managed_role::read(clients, id, K::POLICY_NAME)
        .await
        .map_err(Imported::Failed)?;
    let Some(role) = role else {
        return Ok(None);
    };
    let policies = iam::list_role_policies(clients, id)
        .await
        .map_err(|e| Imported::Failed(step(format!("listing the policies of IAM Role ({id})"))(e)))?
        .ok_or_else(|| Imported::Failed(gone(id)))?;
    let evidence = Evidence {
        found: &role,
        policies: &policies,
        own_policy: policy.as_deref(),
    };
    let problems = import_problems(OWNER_TAG, &owner_value::<K>(id), K::POLICY_NAME, &evidence);
    if !problems.is_empty() {
        return Err(Imported::NotOurs(problems));
    }
    Ok(Some(imported::<K>(
        &role,
        &policy.unwrap_or_default(),
        &clients.default_tags,
        &clients.region,
    )))
}

/// Why an import found no state.
pub(super) enum Imported {
    Failed(StepError),
    /// The role exists but is not provably this resource's: the reasons.
    NotOurs(Vec<String>),
}
