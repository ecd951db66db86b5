//! `lambdawire_scheduler_invoke_role`: a role that EventBridge Scheduler of
//! this account (and optionally one schedule group) may assume to invoke the
//! listed functions, for schedules created at run time or shared by many
//! invokers.

use crate::plugin::schema::Schema;
use serde::{Deserialize, Serialize};

use crate::plugin::schema::*;
use crate::plugin::{
    known, known_list, str_list, AttributePath, Block, Problem, Str, StrList, StrMap, Value,
};
use crate::policy::builders::{
    schedule_creator_policy, scheduler_invoke_policy, scheduler_trust_policy, sid,
};
use crate::policy::document::PolicyDocument;
use crate::resources::check_each;
use crate::resources::managed_role::RoleSettings;
use crate::resources::PlanContext;
use crate::validate::arn;
use crate::validate::names;

use super::kind::{listed_functions, PlanTargets, RoleUsers};
use super::{common_schema, Common, RoleKind};

/// The state of `lambdawire_scheduler_invoke_role`.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
#[serde(default)]
pub struct SchedulerRoleState {
    /// The role's name (Terraform's id).
    pub id: Str,
    /// The role's ARN.
    pub arn: Str,
    /// The role's name, given or generated.
    pub name: Str,
    /// The functions (or versions, aliases) schedules may invoke.
    pub function_arns: StrList,
    /// The schedule group whose schedules may assume the role.
    pub schedule_group: Str,
    /// Dead-letter queues the schedules may send to.
    pub dead_letter_arns: StrList,
    /// Name, path, boundary and tags of the role.
    pub role: Block<RoleSettings>,
    /// The inline policy as written.
    pub policy_json: Str,
    /// The trust policy (Scheduler, scoped to the group).
    pub trust_policy_json: Str,
    /// Every tag of the role, `default_tags` included.
    pub tags_all: StrMap,
    /// The identity policy of the application that creates the schedules.
    pub creator_policy_json: Str,
}

/// `lambdawire_scheduler_invoke_role`: one role for schedules created at run time, in one group.
pub struct SchedulerInvokeRole;

impl RoleKind for SchedulerInvokeRole {
    type State = SchedulerRoleState;
    const TYPE_NAME: &'static str = "scheduler_invoke_role";
    const POLICY_NAME: &'static str = "lambdawire-invoke";
    const NAME_PREFIX: &'static str = "lambdawire-scheduler-";

    fn schema() -> Schema {
        common_schema(
            "A role and policy for schedules created at run time by an application (one-time \
             schedules with `ActionAfterCompletion = DELETE`), or shared by many invokers through \
             `existing_role_arn` to stay far under the IAM role quota. Trust is scoped to this \
             account's Scheduler (and to one schedule group when set); the policy allows invoking \
             exactly the listed functions. Destroying it while its group still holds schedules \
             (made at run time, unknown to Terraform) is allowed, and the plan warns with their \
             count and first names: those that run as this role fail from then on.",
            vec![
                ("function_arns", attr(string_list(), Required, "Functions the schedules may invoke (each also in its qualified forms `<arn>:*`). Function ARNs, no wildcard. One that does not exist at plan is a warning (the role would invoke nothing until it does).")),
                ("schedule_group", attr(string(), Optional, "Scope `aws:SourceArn` to this schedule group; without it, to `schedule-group/*` of this account. A group that does not exist at plan is a warning.")),
                ("dead_letter_arns", attr(string_list(), Optional, "SQS queues the schedules may send undelivered events to. Queue ARNs, no wildcard.")),
                ("creator_policy_json", attr(string(), Computed, "The least-privilege identity policy for the application that creates the schedules at run time: `scheduler:CreateSchedule`, `GetSchedule`, `UpdateSchedule` and `DeleteSchedule` on the schedules of `schedule_group` (of every group of the account without one), and `iam:PassRole` on exactly this role with `iam:PassedToService = scheduler.amazonaws.com`. Attach it to the application's role (with hashicorp/aws's `aws_iam_role_policy`, say).")),
            ],
            vec![],
        )
    }

    fn common(s: &mut Self::State) -> Common<'_> {
        super::kind::common_of!(s, None, None)
    }

    fn validate(c: &Self::State) -> Vec<Problem> {
        let mut problems = Vec::new();
        if known_list(&c.function_arns).is_some_and(|f| f.is_empty()) {
            problems.push(Problem::at(
                "function_arns",
                "function_arns is empty",
                "List at least one Lambda function ARN.",
            ));
        }
        check_each(&mut problems, "function_arns", &c.function_arns, |t| {
            arn::lambda_function(t).map(|_| ())
        });
        check_each(
            &mut problems,
            "dead_letter_arns",
            &c.dead_letter_arns,
            |t| arn::sqs_queue(t).map(|_| ()),
        );
        if let Some(Err(why)) = known(&c.schedule_group).map(names::schedule_group_name) {
            problems.push(Problem::at("schedule_group", "invalid schedule_group", why));
        }
        problems
    }

    fn policy(s: &Self::State, _ctx: &PlanContext) -> Str {
        match (
            known_list(&s.function_arns),
            known_list(&s.dead_letter_arns),
        ) {
            (Some(f), Some(d)) => {
                let f: Vec<&str> = f.iter().map(String::as_str).collect();
                let d: Vec<&str> = d.iter().map(String::as_str).collect();
                Value::Value(scheduler_invoke_policy(&f, &d))
            }
            _ => Value::Unknown,
        }
    }

    fn trust(s: &Self::State, ctx: &PlanContext) -> Str {
        let Some(((partition, region), a)) = ctx.place().zip(ctx.account_id.as_deref()) else {
            return Value::Unknown;
        };
        match &s.schedule_group {
            Value::Value(g) => Value::Value(scheduler_trust_policy(partition, region, a, Some(g))),
            Value::Null => Value::Value(scheduler_trust_policy(partition, region, a, None)),
            Value::Unknown => Value::Unknown,
        }
    }

    fn derive(s: &mut Self::State, region: Option<&str>) {
        // Null with no role (a failed create's state holds no unknowns).
        s.creator_policy_json = match (&s.arn, region, &s.schedule_group) {
            (Value::Null, _, _) => Value::Null,
            (Value::Value(arn), Some(region), group) if !group.is_unknown() => {
                Value::Value(schedule_creator_policy(arn, region, known(group)))
            }
            _ => Value::Unknown,
        };
    }

    fn plan_targets(s: &Self::State) -> PlanTargets {
        PlanTargets {
            functions: listed_functions("function_arns", &s.function_arns),
            schedule_group: known(&s.schedule_group)
                .map(|g| (AttributePath::new("schedule_group"), g.to_string())),
        }
    }

    fn users(s: &Self::State) -> RoleUsers {
        RoleUsers {
            schedules: (!s.schedule_group.is_unknown())
                .then(|| known(&s.schedule_group).map(str::to_string)),
            ..RoleUsers::default()
        }
    }

    fn description(s: &Self::State) -> String {
        let count = known_list(&s.function_arns).map_or(0, |f| f.len());
        format!("Assumed by EventBridge Scheduler to invoke {count} Lambda function(s)")
    }

    fn import(mut s: Self::State, trust: &str, policy: &str) -> Self::State {
        let doc = PolicyDocument::parse(policy).ok();
        let resources = |wanted: &str| -> Vec<String> {
            doc.iter()
                .flat_map(|d| d.statements.iter())
                .filter(|st| st.sid.as_deref() == Some(wanted))
                .flat_map(|st| st.resource.iter().cloned())
                .collect()
        };
        s.function_arns = str_list(
            resources(sid::INVOKE_TARGET_FUNCTION)
                .into_iter()
                .filter(|r| !r.ends_with(":*")),
        );
        let dlqs = resources(sid::SEND_TO_DEAD_LETTER_QUEUE);
        s.dead_letter_arns = if dlqs.is_empty() {
            Value::Null
        } else {
            str_list(dlqs)
        };
        s.schedule_group = PolicyDocument::parse(trust)
            .ok()
            .and_then(|d| {
                d.statements.iter().find_map(|st| {
                    st.condition.values().find_map(|keys| {
                        keys.iter()
                            .find(|(k, _)| k.eq_ignore_ascii_case("aws:SourceArn"))
                            .and_then(|(_, v)| v.first().cloned())
                    })
                })
            })
            .and_then(|source| {
                source
                    .rsplit_once("schedule-group/")
                    .map(|(_, g)| g.to_string())
            })
            .filter(|g| g != "*")
            .map_or(Value::Null, Value::Value);
        s
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::resources::role_resource::plan::plan;
    use crate::resources::testing::ctx;

    const F: &str = "arn:aws:lambda:us-east-1:123456789012:function:hook";

    #[test]
    fn plan_shows_policies_and_import_recovers_the_arguments() {
        let config = SchedulerRoleState {
            function_arns: str_list([F.to_string()]),
            schedule_group: Value::Value("jobs".into()),
            role: Block::Items(vec![RoleSettings {
                name: Value::Value("shared".into()),
                ..Default::default()
            }]),
            ..Default::default()
        };
        let (planned, replace) = plan::<SchedulerInvokeRole>(None, config.clone(), &config, &ctx());
        assert!(replace.is_empty());
        assert_eq!(
            planned.arn,
            Value::Value("arn:aws:iam::123456789012:role/shared".into())
        );
        let policy = known(&planned.policy_json).unwrap().to_string();
        let trust = known(&planned.trust_policy_json).unwrap().to_string();
        assert!(trust.contains("schedule-group/jobs"));
        let imported = SchedulerInvokeRole::import(SchedulerRoleState::default(), &trust, &policy);
        assert_eq!(imported.function_arns, config.function_arns);
        assert_eq!(imported.schedule_group, config.schedule_group);
        assert!(imported.dead_letter_arns.is_null());
    }

    #[test]
    fn without_a_group_trust_covers_every_group_of_the_account() {
        let config = SchedulerRoleState {
            function_arns: str_list([F.to_string()]),
            ..Default::default()
        };
        let (planned, _) = plan::<SchedulerInvokeRole>(None, config.clone(), &config, &ctx());
        assert!(known(&planned.trust_policy_json)
            .unwrap()
            .contains("schedule-group/*"));
        assert!(
            planned.name.is_unknown(),
            "a generated name is chosen at apply"
        );
    }

    #[test]
    fn renaming_the_role_replaces_it() {
        let config = SchedulerRoleState {
            function_arns: str_list([F.to_string()]),
            role: Block::Items(vec![RoleSettings {
                name: Value::Value("a".into()),
                ..Default::default()
            }]),
            ..Default::default()
        };
        let (prior, _) = plan::<SchedulerInvokeRole>(None, config.clone(), &config, &ctx());
        let renamed = SchedulerRoleState {
            role: Block::Items(vec![RoleSettings {
                name: Value::Value("b".into()),
                ..Default::default()
            }]),
            ..config.clone()
        };
        let (_, replace) =
            plan::<SchedulerInvokeRole>(Some(&prior), renamed.clone(), &renamed, &ctx());
        assert_eq!(replace.len(), 1);
        let more = SchedulerRoleState {
            dead_letter_arns: str_list(["arn:aws:sqs:us-east-1:123456789012:dlq".to_string()]),
            ..config
        };
        let (planned, replace) =
            plan::<SchedulerInvokeRole>(Some(&prior), more.clone(), &more, &ctx());
        assert!(replace.is_empty(), "policy changes update in place");
        assert!(known(&planned.policy_json)
            .unwrap()
            .contains("sqs:SendMessage"));
    }

    #[test]
    fn validation_names_the_list() {
        let config = SchedulerRoleState {
            function_arns: str_list(["nope".to_string()]),
            ..Default::default()
        };
        let paths: Vec<String> = SchedulerInvokeRole::validate(&config)
            .iter()
            .map(Problem::path_text)
            .collect();
        assert_eq!(paths, ["function_arns[0]"]);
    }

    /// Each of these would grant more than the listed object; the error
    /// names the element.
    #[test]
    fn wildcards_in_granted_arns_are_refused() {
        for (functions, dead_letters, path) in [
            (
                vec!["arn:aws:lambda:*:123456789012:function:f"],
                vec![],
                "function_arns[0]",
            ),
            (
                vec![F, "arn:aws:lambda:us-east-1:*:function:f"],
                vec![],
                "function_arns[1]",
            ),
            (
                vec!["arn:aws:lambda:us-east-1:123456789012:function:*"],
                vec![],
                "function_arns[0]",
            ),
            (vec![F], vec!["arn:aws:sqs:*:*:*"], "dead_letter_arns[0]"),
            (
                vec![F],
                vec!["arn:aws:sqs:us-east-1:123456789012:dlq-*"],
                "dead_letter_arns[0]",
            ),
        ] {
            let config = SchedulerRoleState {
                function_arns: str_list(functions.iter().map(|f| f.to_string())),
                dead_letter_arns: str_list(dead_letters.iter().map(|d| d.to_string())),
                ..Default::default()
            };
            let problems = SchedulerInvokeRole::validate(&config);
            let paths: Vec<String> = problems.iter().map(Problem::path_text).collect();
            assert_eq!(paths, [path], "{functions:?} {dead_letters:?}");
            assert!(problems[0].detail.contains("wildcard"), "{:?}", problems[0]);
        }
    }
}
