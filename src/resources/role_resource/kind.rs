//! What a role resource is: the [`RoleKind`] each of the three types
//! implements (its policies and arguments), the [`Common`] attributes they
//! share, and the tag that marks a role as theirs.

use serde::de::DeserializeOwned;
use serde::Serialize;

use crate::plugin::schema::Schema;
use crate::plugin::{known_list, AttributePath, Block, Num, Problem, Str, StrList, StrMap};
use crate::resources::managed_role::RoleSettings;
use crate::resources::PlanContext;

/// Tag marking a role as one of these resources' own: `<type>/<name>`.
pub const OWNER_TAG: &str = "lambdawire:role";

/// The attributes every role resource has.
pub struct Common<'a> {
    /// Terraform's id: the role's name.
    pub id: &'a mut Str,
    /// The role's ARN.
    pub arn: &'a mut Str,
    /// The role's name, given or generated.
    pub name: &'a mut Str,
    /// The `role { ... }` settings block.
    pub role: &'a mut Block<RoleSettings>,
    /// The inline policy as written.
    pub policy_json: &'a mut Str,
    /// The trust policy as shown: an `sts:ExternalId` in it is redacted
    /// (see [`crate::policy::builders::redact_external_id`]); IAM gets [`RoleKind::trust`].
    pub trust_policy_json: &'a mut Str,
    /// Every tag of the role, `default_tags` included.
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
pub(super) fn owner_value<K: RoleKind>(name: &str) -> String {
    format!("{}_{}/{name}", crate::PROVIDER_NAME, K::TYPE_NAME)
}

/// The [`Common`] view of a kind's state, whose shared attributes have the
/// same field names in every kind: the kind gives only its optional two.
macro_rules! common_of {
    ($s:expr, $external_id:expr, $max_session_duration:expr) => {
        $crate::resources::role_resource::Common {
            id: &mut $s.id,
            arn: &mut $s.arn,
            name: &mut $s.name,
            role: &mut $s.role,
            policy_json: &mut $s.policy_json,
            trust_policy_json: &mut $s.trust_policy_json,
            tags_all: &mut $s.tags_all,
            external_id: $external_id,
            max_session_duration: $max_session_duration,
        }
    };
}
pub(super) use common_of;

/// The AWS objects a role resource's plan looks for (known values only).
#[derive(Debug, Default, PartialEq)]
pub struct PlanTargets {
    /// Function ARNs, each with its attribute path.
    pub functions: Vec<(AttributePath, String)>,
    /// A schedule group with its attribute.
    pub schedule_group: Option<(AttributePath, String)>,
}

/// What may still use a role when its destroy is planned: the function
/// that runs as it (an execution role), the schedule group whose schedules
/// run as it (a scheduler role; `Some(None)`: every group of the account).
#[derive(Debug, Default, PartialEq)]
pub struct RoleUsers {
    /// The function named by the resource, which may run as the role.
    pub function: Option<String>,
    /// The group whose run-time schedules may run as the role.
    pub schedules: Option<Option<String>>,
}

/// Each known function ARN of `list`, at its element of `attribute`.
pub fn listed_functions(attribute: &str, list: &StrList) -> Vec<(AttributePath, String)> {
    known_list(list)
        .unwrap_or_default()
        .into_iter()
        .enumerate()
        .map(|(i, f)| (AttributePath::new(attribute).index(i as i64), f))
        .collect()
}

/// What differs between the role resources.
pub trait RoleKind: Send + Sync + 'static {
    /// The resource's state (and configuration) type.
    type State: Serialize + DeserializeOwned + Clone + Default + Send + Sync;
    /// The type name without the provider prefix.
    const TYPE_NAME: &'static str;
    /// The name of the resource's inline policy on the role.
    const POLICY_NAME: &'static str;
    /// Prefix of a generated role name.
    const NAME_PREFIX: &'static str;
    /// The resource's schema.
    fn schema() -> Schema;
    /// The attributes every role resource has, borrowed from the state.
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
    /// Warnings on a valid configuration: what is allowed but risky.
    fn plan_warnings(_config: &Self::State) -> Vec<Problem> {
        Vec::new()
    }
    /// What the plan of a create looks for in AWS, to warn when it is
    /// missing (the role would be made, and never serve): the functions it
    /// may invoke and the schedule group it trusts, each with its attribute.
    fn plan_targets(_s: &Self::State) -> PlanTargets {
        PlanTargets::default()
    }
    /// What the plan of a destroy looks at to warn that the role is still
    /// in use (SPEC): nothing, unless the kind says.
    fn users(_s: &Self::State) -> RoleUsers {
        RoleUsers::default()
    }
    /// Fill the kind's values derived from the role's ARN (known or not)
    /// and the provider's `region`: the scheduler role's creator policy.
    fn derive(_s: &mut Self::State, _region: Option<&str>) {}
    /// The role's IAM description, which names what it serves.
    fn description(s: &Self::State) -> String;
    /// Arguments recovered from the role's policies, for import.
    fn import(s: Self::State, trust: &str, policy: &str) -> Self::State;
}
