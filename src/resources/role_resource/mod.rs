//! The resources that are one IAM role with one inline policy
//! (`lambdawire_scheduler_invoke_role`, `lambdawire_lambda_execution_role`,
//! `lambdawire_cross_account_invoker_role`): one generic resource over a
//! [`RoleKind`], which says what the policies are and how arguments map to
//! and from them. `kind` is the contract, `schema`, `plan` and `flex` the
//! pure halves, `apply` the AWS steps; a kind's own file holds its model,
//! schema, validation and policies.

mod apply;
mod flex;
mod kind;
mod plan;
mod schema;

pub mod cross_account_role;
pub mod execution_role;
pub mod scheduler_role;

pub use kind::{Common, RoleKind, OWNER_TAG};
pub use schema::common_schema;

use std::marker::PhantomData;

use async_trait::async_trait;

use crate::aws::AwsClients;
use crate::plugin::diag::report;
use crate::plugin::resource::{PlanRequest, Planned};
use crate::plugin::schema::Schema;
use crate::plugin::{Diagnostics, Problem};
use crate::resources::adapter::{Applied, ManagedResource, Resolved};
use crate::resources::managed_role::{validate_role_block, Deleted};
use crate::resources::plan_checks::{
    missing_function, missing_schedule_group, role_runs_function, role_runs_schedules, Gravity,
};
use crate::resources::{NeedsAccount, PlanContext};
use apply::Imported;
use kind::owner_value;

/// A role resource of kind `K`, as the adapter drives it.
pub struct RoleResource<K: RoleKind> {
    kind: PhantomData<K>,
}

impl<K: RoleKind> Default for RoleResource<K> {
    fn default() -> Self {
        RoleResource { kind: PhantomData }
    }
}

/// The kind's own problems and the `role` block's.
fn problems<K: RoleKind>(config: &K::State) -> Vec<Problem> {
    let mut config = config.clone();
    let mut all = K::validate(&config);
    all.extend(validate_role_block(K::common(&mut config).role));
    all
}

type Outcome<K> = Applied<<K as RoleKind>::State, ()>;

#[async_trait]
impl<K: RoleKind> ManagedResource for RoleResource<K> {
    type State = K::State;
    type Private = ();
    const TYPE_NAME: &'static str = K::TYPE_NAME;

    fn schema(&self) -> Schema {
        K::schema()
    }

    fn validate(&self, config: &K::State) -> Vec<Problem> {
        problems::<K>(config)
    }

    /// The role's ARN names the account: every role resource needs it.
    fn needs_account(&self, _: Option<&K::State>) -> NeedsAccount {
        NeedsAccount::Yes
    }

    fn plan(
        &self,
        diags: &mut Diagnostics,
        r: PlanRequest<'_, K::State, ()>,
        ctx: &PlanContext,
    ) -> Option<Planned<K::State, ()>> {
        if !report(diags, K::plan_problems(r.config, ctx)) {
            return None;
        }
        for warning in K::plan_warnings(r.config) {
            diags.warning_at(warning);
        }
        let (state, requires_replace) = plan::plan::<K>(r.prior, r.proposed, r.config, ctx);
        Some(Planned {
            state,
            private: (),
            requires_replace,
        })
    }

    async fn check_create(
        &self,
        clients: &AwsClients,
        planned: &K::State,
        _: &PlanContext,
        diags: &mut Diagnostics,
    ) {
        // Warnings only: the role can be made before what it serves (in the
        // same apply, say), it just serves nothing until then.
        let targets = K::plan_targets(planned);
        for (path, function) in targets.functions {
            let missing = missing_function(clients, path, &function, None, Gravity::Warning);
            if let Some(p) = missing.await {
                diags.warning_at(p);
            }
        }
        if let Some((path, group)) = targets.schedule_group {
            if let Some(p) = missing_schedule_group(clients, path, &group).await {
                diags.warning_at(p);
            }
        }
    }

    async fn check_destroy(&self, clients: &AwsClients, prior: &K::State, diags: &mut Diagnostics) {
        let mut prior = prior.clone();
        let Some(arn) = crate::plugin::known(K::common(&mut prior).arn).map(str::to_string) else {
            return;
        };
        let users = K::users(&prior);
        if let Some(function) = users.function {
            if let Some(p) = role_runs_function(clients, &arn, &function).await {
                diags.warning_at(p);
            }
        }
        if let Some(group) = users.schedules {
            if let Some(p) = role_runs_schedules(clients, group.as_deref()).await {
                diags.warning_at(p);
            }
        }
    }

    async fn read(&self, clients: &AwsClients, state: K::State, _: ()) -> Outcome<K> {
        let found = apply::read::<K>(clients, state).await;
        Applied::found(found.map(|s| s.map(|s| (s, ()))), ())
    }

    async fn create(
        &self,
        aws: &Resolved<'_>,
        planned: K::State,
        _: K::State,
        _: (),
    ) -> Outcome<K> {
        let (state, errors) = apply::apply::<K>(aws.clients, None, planned, aws.ctx).await;
        Applied::steps(state, (), errors)
    }

    async fn update(
        &self,
        aws: &Resolved<'_>,
        prior: K::State,
        planned: K::State,
        _: K::State,
        _: (),
    ) -> Outcome<K> {
        let (state, errors) = apply::apply::<K>(aws.clients, Some(&prior), planned, aws.ctx).await;
        Applied::steps(state, (), errors)
    }

    async fn delete(&self, aws: &Resolved<'_>, prior: K::State, _: ()) -> Outcome<K> {
        match apply::delete::<K>(aws.clients, prior).await {
            Ok(Deleted::Yes) => Applied::done(None, ()),
            Ok(Deleted::Released(why)) => {
                let mut released = Applied::done(None, ());
                released
                    .diagnostics
                    .warning("The IAM role was released, not deleted", why);
                released
            }
            Err(failure) => Applied::steps(None, (), vec![failure]),
        }
    }

    async fn import(&self, aws: &Resolved<'_>, id: &str) -> Outcome<K> {
        match apply::import::<K>(aws.clients, id).await {
            Ok(Some(state)) => Applied::done(Some(state), ()),
            Ok(None) => Applied::refused(
                (),
                format!(
                    "importing lambdawire_{}: no IAM role named {id}",
                    K::TYPE_NAME
                ),
                "The import id is the role's name.",
            ),
            Err(Imported::NotOurs(problems)) => Applied::refused(
                (),
                format!(
                    "importing lambdawire_{}: IAM role {id} is not provably this resource's",
                    K::TYPE_NAME
                ),
                format!(
                    "A role is imported only when it carries this resource's owner tag and holds \
                     no policy but its own {}, so that the state shows everything it grants: \
                     {}. To claim a role made elsewhere, detach its other policies and tag it \
                     {OWNER_TAG} = {}.",
                    K::POLICY_NAME,
                    problems.join("; "),
                    owner_value::<K>(id)
                ),
            ),
            Err(Imported::Failed(failure)) => Applied::steps(None, (), vec![failure]),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::cross_account_role::{CrossAccountInvokerRole, CrossAccountRoleState};
    use super::flex::{flatten, imported};
    use super::kind::OWNER_TAG;
    use super::plan::{plan, resolve};
    use super::scheduler_role::{SchedulerInvokeRole, SchedulerRoleState};
    use super::*;
    use crate::aws::iam::RemoteRole;
    use crate::aws::iam::{FoundRole, DEFAULT_SESSION_SECONDS};
    use crate::plugin::{str_list, str_value};
    use crate::plugin::{text, Block, Value};
    use crate::resources::managed_role::{self, RoleSettings};
    use crate::resources::steps::unique_name;
    use std::collections::BTreeMap;

    const F: &str = "arn:aws:lambda:us-east-1:123456789012:function:hook";

    fn defaults() -> BTreeMap<String, String> {
        BTreeMap::from([("env".to_string(), "test".to_string())])
    }

    fn ctx() -> PlanContext {
        PlanContext {
            default_tags: Some(defaults()),
            ..crate::resources::testing::ctx()
        }
    }

    /// The role a create of `config` leaves in IAM, under `name`: the
    /// trust policy as sent (secrets included), not as shown.
    fn created<K: RoleKind>(config: &K::State, name: &str) -> (FoundRole, String) {
        let (mut planned, _) = plan::<K>(None, config.clone(), config, &ctx());
        *K::common(&mut planned).name = Value::Value(name.to_string());
        let mut planned = resolve::<K>(planned, &ctx());
        let trust = text(&K::trust(&planned, &ctx()));
        let c = K::common(&mut planned);
        let mut tags = managed_role::role_tags(&defaults(), c.role.single()).unwrap();
        tags.insert(OWNER_TAG.into(), owner_value::<K>(name));
        let role = RemoteRole {
            arn: text(c.arn),
            name: name.to_string(),
            path: "/".into(),
            trust_policy: trust,
            permissions_boundary: None,
            tags,
        };
        let found = FoundRole {
            role,
            max_session_duration: DEFAULT_SESSION_SECONDS,
            description: String::new(),
            used: false,
        };
        (found, text(c.policy_json))
    }

    /// The external id is in the sensitive argument and nowhere else; an
    /// imported role reads it back from IAM, so the plan is empty, and a
    /// changed id in IAM is drift of that argument alone.
    #[test]
    fn an_imported_cross_account_role_plans_no_change_and_shows_no_secret() {
        const SECRET: &str = "partner-secret-42";
        let config = CrossAccountRoleState {
            function_arns: str_list([F.to_string()]),
            trusted_principals: str_list(["987654321098".to_string()]),
            external_id: str_value(SECRET),
            ..Default::default()
        };
        let name = unique_name(CrossAccountInvokerRole::NAME_PREFIX);
        let (mut remote, policy) = created::<CrossAccountInvokerRole>(&config, &name);
        let prior = imported::<CrossAccountInvokerRole>(&remote, &policy, &defaults(), "us-east-1");
        assert_eq!(prior.external_id, str_value(SECRET));
        assert!(!text(&prior.trust_policy_json).contains(SECRET));
        let (planned, replace) =
            plan::<CrossAccountInvokerRole>(Some(&prior), config.clone(), &config, &ctx());
        assert!(replace.is_empty(), "{replace:?}");
        assert_eq!(planned, prior, "no change");

        remote.role.trust_policy = remote.role.trust_policy.replace(SECRET, "changed");
        let read = flatten::<CrossAccountInvokerRole>(
            prior.clone(),
            &remote,
            Some(&policy),
            &defaults(),
            "us-east-1",
        );
        assert_eq!(read.external_id, str_value("changed"), "drift");
        assert_eq!(read.trust_policy_json, prior.trust_policy_json);
    }

    #[test]
    fn an_imported_role_plans_no_change_whatever_its_name_says() {
        let with_tags = Block::of(Some(RoleSettings {
            tags: Value::Value([("team".to_string(), str_value("a"))].into()),
            ..Default::default()
        }));
        let cases = [
            // Generated with the kind's prefix: no block, or one without a name.
            (
                Block::default(),
                unique_name(SchedulerInvokeRole::NAME_PREFIX),
            ),
            (with_tags, unique_name(SchedulerInvokeRole::NAME_PREFIX)),
            (
                Block::of(Some(RoleSettings {
                    name_prefix: str_value("team-"),
                    ..Default::default()
                })),
                unique_name("team-"),
            ),
            (
                Block::of(Some(RoleSettings {
                    name: str_value("shared"),
                    ..Default::default()
                })),
                "shared".to_string(),
            ),
        ];
        for (role, name) in cases {
            let config = SchedulerRoleState {
                function_arns: str_list([F.to_string()]),
                role,
                ..Default::default()
            };
            let (remote, policy) = created::<SchedulerInvokeRole>(&config, &name);
            let prior = imported::<SchedulerInvokeRole>(&remote, &policy, &defaults(), "us-east-1");
            assert_eq!(prior.name, str_value(&name));
            let (planned, replace) =
                plan::<SchedulerInvokeRole>(Some(&prior), config.clone(), &config, &ctx());
            assert!(replace.is_empty(), "{name}: {replace:?}");
            assert_eq!(planned, prior, "{name}: no change");
        }
    }

    #[test]
    fn tags_all_is_planned_known_with_the_default_tags() {
        let config = SchedulerRoleState {
            function_arns: str_list([F.to_string()]),
            role: Block::of(Some(RoleSettings {
                tags: Value::Value([("env".to_string(), str_value("prod"))].into()),
                ..Default::default()
            })),
            ..Default::default()
        };
        let (planned, _) = plan::<SchedulerInvokeRole>(None, config.clone(), &config, &ctx());
        assert!(planned.name.is_unknown());
        assert_eq!(
            planned.tags_all,
            Value::Value([("env".to_string(), str_value("prod"))].into()),
            "the role's own tag wins, known while the name is not"
        );
    }
}
