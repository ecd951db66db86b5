//! The resources that are one IAM role with one inline policy
//! (`lambdawire_scheduler_invoke_role`, `lambdawire_lambda_execution_role`,
//! `lambdawire_cross_account_invoker_role`): one generic Resource
//! implementation over a [`RoleKind`], which says what the policies are and
//! how arguments map to and from them.

pub mod cross_account_role;
pub mod execution_role;
pub mod scheduler_role;

use std::collections::BTreeMap;
use std::marker::PhantomData;

use crate::plugin::resource::{PlanRequest, Planned};
use crate::plugin::schema::{Attribute, NestedBlock, Schema};
use crate::plugin::{text, AttributePath, Diagnostics};
use crate::resources::adapter::{Applied, ManagedResource, Resolved};
use async_trait::async_trait;
use serde::de::DeserializeOwned;
use serde::Serialize;

use crate::aws::iam::{FoundRole, DEFAULT_SESSION_SECONDS};
use crate::aws::{iam, AwsClients, AwsError, ErrorKind};
use crate::plugin::diag::{in_block, report};
use crate::plugin::schema::*;
use crate::plugin::{known, opt, Block, Num, Problem, Str, StrMap, Value};
use crate::policy::builders::{external_id_of, redact_external_id};
use crate::resources::managed_role::role_path;
use crate::resources::managed_role::RoleSettings;
use crate::resources::managed_role::{
    self, flatten_settings, planned_tags_all, policy_text, validate_role_block, Recorded,
    RoleTarget,
};
use crate::resources::steps::{generated_prefix, not_recorded, step, unique_name, StepError};
use crate::resources::NeedsAccount;
use crate::resources::PlanContext;

/// Tag marking a role as one of these resources' own: `<type>/<name>`.
pub const OWNER_TAG: &str = "lambdawire:role";

/// The attributes every role resource has.
pub struct Common<'a> {
    pub id: &'a mut Str,
    pub arn: &'a mut Str,
    pub name: &'a mut Str,
    pub role: &'a mut Block<RoleSettings>,
    pub policy_json: &'a mut Str,
    /// The trust policy as shown: an `sts:ExternalId` in it is redacted
    /// (see [`redact_external_id`]); IAM gets [`RoleKind::trust`].
    pub trust_policy_json: &'a mut Str,
    pub tags_all: &'a mut StrMap,
    /// The kind's sensitive `external_id` argument, if it has one: read
    /// back from the trust policy, so a changed id is drift.
    pub external_id: Option<&'a mut Str>,
    /// The kind's `max_session_duration` argument, if it has one: planned
    /// as configured or IAM's default, sent to IAM and read back.
    pub max_session_duration: Option<&'a mut Num>,
}

/// The value of [`OWNER_TAG`] on a role of kind `K` named `name`: the
/// full type name and the role's name.
fn owner_value<K: RoleKind>(name: &str) -> String {
    format!("{}_{}/{name}", crate::PROVIDER_NAME, K::TYPE_NAME)
}

/// What differs between the role resources.
pub trait RoleKind: Send + Sync + 'static {
    type State: Serialize + DeserializeOwned + Clone + Default + Send + Sync;
    /// The type name without the provider prefix.
    const TYPE_NAME: &'static str;
    const POLICY_NAME: &'static str;
    /// Prefix of a generated role name.
    const NAME_PREFIX: &'static str;
    fn schema() -> Schema;
    fn common(s: &mut Self::State) -> Common<'_>;
    /// Problems in the kind's own arguments (the role block is checked here).
    fn validate(config: &Self::State) -> Vec<Problem>;
    /// The exact inline policy, or unknown while an input is.
    fn policy(s: &Self::State, ctx: &PlanContext) -> Str;
    /// The exact trust policy sent to IAM (secrets included), or unknown
    /// while an input is.
    fn trust(s: &Self::State, ctx: &PlanContext) -> Str;
    /// Problems only the provider's facts reveal (the account, say).
    fn plan_problems(_config: &Self::State, _ctx: &PlanContext) -> Vec<Problem> {
        Vec::new()
    }
    fn description(s: &Self::State) -> String;
    /// Arguments recovered from the role's policies, for import.
    fn import(s: Self::State, trust: &str, policy: &str) -> Self::State;
}

/// A role resource of kind `K`, as the adapter drives it.
pub struct RoleResource<K: RoleKind> {
    kind: PhantomData<K>,
}

impl<K: RoleKind> Default for RoleResource<K> {
    fn default() -> Self {
        RoleResource { kind: PhantomData }
    }
}

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
    s
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
    let mut replace = Vec::new();
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
    if let Some((prior, before)) = &prior_name {
        if !wanted.name.is_null() && wanted.name != *prior {
            replace.push(in_block("role", "name"));
        }
        if wanted.name_prefix != before.name_prefix {
            replace.push(in_block("role", "name_prefix"));
        }
        if role_path(Some(&wanted)) != role_path(Some(before)) {
            replace.push(in_block("role", "path"));
        }
    }
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

/// The state with everything IAM holds of the role read back over it:
/// policies, boundary, path and tags (see [`flatten_settings`]).
fn flatten<K: RoleKind>(
    mut s: K::State,
    found: &FoundRole,
    policy: Option<&str>,
    default_tags: &BTreeMap<String, String>,
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
    s
}

/// Create (`prior` None) or update the role. A failed update returns the
/// role as IAM has it after the failure (what succeeded and what did not),
/// never the planned state, so the next plan shows what is left to do.
async fn apply<K: RoleKind>(
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

fn without_unknowns<K: RoleKind>(mut s: K::State) -> K::State {
    let c = K::common(&mut s);
    for field in [c.id, c.arn, c.name, c.policy_json, c.trust_policy_json] {
        if field.is_unknown() {
            *field = Value::Null;
        }
    }
    if c.tags_all.is_unknown() {
        *c.tags_all = Value::Null;
    }
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
fn imported<K: RoleKind>(
    found: &FoundRole,
    policy: &str,
    default_tags: &BTreeMap<String, String>,
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
    flatten::<K>(s, found, Some(policy), default_tags)
}

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
        let (state, requires_replace) = plan::<K>(r.prior, r.proposed, r.config, ctx);
        Some(Planned {
            state,
            private: (),
            requires_replace,
        })
    }

    async fn read(&self, clients: &AwsClients, state: K::State, _: ()) -> Outcome<K> {
        let mut s = state.clone();
        let name = text(K::common(&mut s).name);
        let found = managed_role::read(clients, &name, K::POLICY_NAME)
            .await
            .map(|(role, policy)| {
                role.map(|role| {
                    let s = flatten::<K>(state, &role, policy.as_deref(), &clients.default_tags);
                    (s, ())
                })
            });
        Applied::found(found, ())
    }

    async fn create(
        &self,
        aws: &Resolved<'_>,
        planned: K::State,
        _: K::State,
        _: (),
    ) -> Outcome<K> {
        let (state, errors) = apply::<K>(aws.clients, None, planned, aws.ctx).await;
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
        let (state, errors) = apply::<K>(aws.clients, Some(&prior), planned, aws.ctx).await;
        Applied::steps(state, (), errors)
    }

    async fn delete(&self, aws: &Resolved<'_>, prior: K::State, _: ()) -> Outcome<K> {
        let mut s = prior;
        let name = text(K::common(&mut s).name);
        let deleted = iam::delete_role(aws.clients, &name, K::POLICY_NAME).await;
        let errors = deleted
            .err()
            .map(step(format!("deleting IAM Role ({name})")));
        Applied::steps(None, (), errors.into_iter().collect())
    }

    async fn import(&self, aws: &Resolved<'_>, id: &str) -> Outcome<K> {
        let (role, policy) = match managed_role::read(aws.clients, id, K::POLICY_NAME).await {
            Ok(found) => found,
            Err(failure) => return Applied::steps(None, (), vec![failure]),
        };
        let Some(role) = role else {
            return Applied::refused(
                (),
                format!(
                    "importing lambdawire_{}: no IAM role named {id}",
                    K::TYPE_NAME
                ),
                "The import id is the role's name.",
            );
        };
        let policy = policy.unwrap_or_default();
        let state = imported::<K>(&role, &policy, &aws.clients.default_tags);
        Applied::done(Some(state), ())
    }
}

#[cfg(test)]
mod tests {
    use super::cross_account_role::{CrossAccountInvokerRole, CrossAccountRoleState};
    use super::scheduler_role::{SchedulerInvokeRole, SchedulerRoleState};
    use super::*;
    use crate::aws::iam::RemoteRole;
    use crate::plugin::{str_list, str_value};

    const F: &str = "arn:aws:lambda:us-east-1:123456789012:function:hook";

    fn defaults() -> BTreeMap<String, String> {
        BTreeMap::from([("env".to_string(), "test".to_string())])
    }

    fn ctx() -> PlanContext {
        PlanContext {
            partition: Some("aws".into()),
            region: Some("us-east-1".into()),
            account_id: Some("123456789012".into()),
            default_tags: Some(defaults()),
            now: chrono::Utc::now(),
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
        let prior = imported::<CrossAccountInvokerRole>(&remote, &policy, &defaults());
        assert_eq!(prior.external_id, str_value(SECRET));
        assert!(!text(&prior.trust_policy_json).contains(SECRET));
        let (planned, replace) =
            plan::<CrossAccountInvokerRole>(Some(&prior), config.clone(), &config, &ctx());
        assert!(replace.is_empty(), "{replace:?}");
        assert_eq!(planned, prior, "no change");

        remote.role.trust_policy = remote.role.trust_policy.replace(SECRET, "changed");
        let read =
            flatten::<CrossAccountInvokerRole>(prior.clone(), &remote, Some(&policy), &defaults());
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
            let prior = imported::<SchedulerInvokeRole>(&remote, &policy, &defaults());
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
