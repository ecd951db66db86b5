//! `lambdawire_lambda_execution_role`: a function's own execution role, least
//! privilege by default (logs of that function only, and shorthands that each
//! expand to one scoped statement).

use crate::plugin::schema::Schema;
use serde::{Deserialize, Serialize};

use crate::plugin::schema::*;
use crate::plugin::{
    known, known_list, str_list, AttributePath, Block, Bool, Problem, Str, StrList, StrMap, Value,
};
use crate::policy::actions::dynamodb_action;
use crate::policy::builders::{
    execution_role_policy, lambda_trust_policy, needs_wildcard_opt_in, schedule_creator_index, sid,
    wildcard_resources, ExecutionPolicyInput, FreeStatement, ScheduleCreator,
    DEFAULT_DYNAMODB_ACTIONS,
};
use crate::policy::document::{PolicyDocument, Statement};
use crate::resources::managed_role::RoleSettings;
use crate::resources::{check_each, PlanContext};
use crate::validate::arn;
use crate::validate::names::{is_valid_function_name, schedule_group_name};

use super::kind::RoleUsers;
use super::{common_schema, Common, RoleKind};

/// The state of `lambdawire_lambda_execution_role`.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
#[serde(default)]
pub struct ExecutionRoleState {
    /// The role's name (Terraform's id).
    pub id: Str,
    /// The role's ARN.
    pub arn: Str,
    /// The role's name, given or generated.
    pub name: Str,
    /// The function whose log group the role writes to.
    pub function_name: Str,
    /// Queues the function consumes (receive, delete, attributes).
    pub sqs_queue_arns: StrList,
    /// Tables the function reads and writes.
    pub dynamodb_table_arns: StrList,
    /// The DynamoDB actions on those tables; null for the defaults.
    pub dynamodb_actions: StrList,
    /// Secrets the function reads.
    pub secret_arns: StrList,
    /// Buckets (listed, and their objects read) and object ARNs the function reads.
    pub s3_read_arns: StrList,
    /// Schedules the function creates at run time, each through a scheduler role.
    pub schedule_creator: Block<ScheduleCreatorBlock>,
    /// Further statements, each action and resource checked.
    pub statement: Block<StatementBlock>,
    /// Opt-in to a wildcard in a `statement` resource.
    pub allow_wildcard_resources: Bool,
    /// Name, path, boundary and tags of the role.
    pub role: Block<RoleSettings>,
    /// The inline policy as written.
    pub policy_json: Str,
    /// The trust policy (Lambda's service principal).
    pub trust_policy_json: Str,
    /// Every tag of the role, `default_tags` included.
    pub tags_all: StrMap,
}

/// One `statement { ... }` block: extra actions on extra resources.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
#[serde(default)]
pub struct StatementBlock {
    /// The statement's `Sid`.
    pub sid: Str,
    /// Its actions.
    pub actions: StrList,
    /// Its resources.
    pub resources: StrList,
}

/// One `schedule_creator { ... }` block: the function creates schedules
/// that run as a scheduler role.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
#[serde(default)]
pub struct ScheduleCreatorBlock {
    /// The role the schedules run as: a `lambdawire_scheduler_invoke_role`'s `arn`.
    pub scheduler_role_arn: Str,
    /// The group whose schedules the function manages; null: every group.
    pub schedule_group: Str,
}

/// `lambdawire_lambda_execution_role`: the role a function runs as, least privilege from typed arguments.
pub struct LambdaExecutionRole;

/// The policy builder's input, once every argument is known.
fn input(s: &ExecutionRoleState, ctx: &PlanContext) -> Option<ExecutionPolicyInput> {
    if s.statement.is_unknown() {
        return None;
    }
    let statements = s
        .statement
        .items()
        .iter()
        .map(|b| {
            Some(FreeStatement {
                sid: match &b.sid {
                    Value::Unknown => return None,
                    other => other.as_ref_option().cloned(),
                },
                actions: known_list(&b.actions)?,
                resources: known_list(&b.resources)?,
            })
        })
        .collect::<Option<Vec<_>>>()?;
    if s.schedule_creator.is_unknown() {
        return None;
    }
    let schedule_creators = s
        .schedule_creator
        .items()
        .iter()
        .map(|b| {
            Some(ScheduleCreator {
                scheduler_role_arn: known(&b.scheduler_role_arn)?.to_string(),
                schedule_group: match &b.schedule_group {
                    Value::Unknown => return None,
                    other => other.as_ref_option().cloned(),
                },
            })
        })
        .collect::<Option<Vec<_>>>()?;
    Some(ExecutionPolicyInput {
        partition: ctx.partition.clone()?,
        region: ctx.region.clone()?,
        account_id: ctx.account_id.clone()?,
        function_name: known(&s.function_name)?.to_string(),
        sqs_queue_arns: known_list(&s.sqs_queue_arns)?,
        dynamodb_table_arns: known_list(&s.dynamodb_table_arns)?,
        dynamodb_actions: known_list(&s.dynamodb_actions)?,
        secret_arns: known_list(&s.secret_arns)?,
        s3_read_arns: known_list(&s.s3_read_arns)?,
        schedule_creators,
        statements,
    })
}

/// The problems of one free statement's resources: each is `"*"` or an ARN
/// ([`arn::parse_pattern`]: partition, service, region and account checked
/// character by character), with no space around it (IAM would not read
/// `" * "` as the wildcard that it looks like); one that grants beyond named
/// objects ([`needs_wildcard_opt_in`]) needs `allow_wildcard_resources`.
fn free_resource_problems(
    problems: &mut Vec<Problem>,
    path: &AttributePath,
    resources: &StrList,
    allow_wildcard: bool,
) {
    let Value::Value(items) = resources else {
        return;
    };
    for (index, item) in items.iter().enumerate() {
        let Some(resource) = known(item) else {
            continue;
        };
        let at = path.clone().attribute("resources").index(index as i64);
        if resource.is_empty() || resource.trim() != resource {
            problems.push(Problem::new(
                at,
                "invalid resource",
                format!("{resource:?} is empty or has spaces around it: a resource is \"*\" or an ARN, written alone."),
            ));
        } else if let Err(why) = (resource != "*")
            .then(|| arn::parse_pattern(resource))
            .transpose()
        {
            problems.push(Problem::new(
                at,
                "invalid resource",
                format!("{why}. A resource is \"*\" or an ARN."),
            ));
        } else if needs_wildcard_opt_in(resource) && !allow_wildcard {
            problems.push(Problem::new(
                at,
                "wildcard resource is not allowed",
                format!("{resource:?} grants the actions on every resource (or on every region or account) of the service: name the resources, or set allow_wildcard_resources = true."),
            ));
        }
    }
}

/// The problems of the `schedule_creator` blocks: a role ARN of IAM's
/// shape with no wildcard (it becomes PassRole's `Resource`), a group name
/// Scheduler accepts, and no block twice.
fn schedule_creator_problems(problems: &mut Vec<Problem>, blocks: &Block<ScheduleCreatorBlock>) {
    for (index, b) in blocks.items().iter().enumerate() {
        let path = AttributePath::new("schedule_creator").index(index as i64);
        if let Some(Err(why)) = known(&b.scheduler_role_arn).map(arn::iam_role) {
            problems.push(Problem::new(
                path.clone().attribute("scheduler_role_arn"),
                "invalid scheduler_role_arn",
                format!("{why}. Name the role the schedules run as, such as lambdawire_scheduler_invoke_role.<name>.arn."),
            ));
        }
        if let Some(Err(why)) = known(&b.schedule_group).map(schedule_group_name) {
            problems.push(Problem::new(
                path.clone().attribute("schedule_group"),
                "invalid schedule_group",
                why,
            ));
        }
        let same = |other: &ScheduleCreatorBlock| {
            known(&other.scheduler_role_arn).is_some()
                && other.scheduler_role_arn == b.scheduler_role_arn
                && !other.schedule_group.is_unknown()
                && other.schedule_group == b.schedule_group
        };
        if blocks.items()[..index].iter().any(same) {
            problems.push(Problem::new(
                path.attribute("scheduler_role_arn"),
                "duplicate schedule_creator",
                "An earlier schedule_creator block names the same role and group: remove this one.",
            ));
        }
    }
}

/// The Sids the role's own arguments write (free statements may not use
/// them: the policy's Sids must differ, and import tells the statements
/// apart by them).
fn is_generated_sid(candidate: &str) -> bool {
    TYPED_SIDS.contains(&candidate)
        || [sid::MANAGE_SCHEDULES, sid::PASS_SCHEDULER_ROLE]
            .iter()
            .any(|base| schedule_creator_index(candidate, base).is_some())
}

/// The Sids of the statements the typed arguments (not `schedule_creator`) write.
const TYPED_SIDS: [&str; 7] = [
    sid::CREATE_LOG_GROUP,
    sid::WRITE_LOGS,
    sid::CONSUME_SQS_QUEUES,
    sid::ACCESS_DYNAMODB_TABLES,
    sid::READ_SECRETS,
    sid::LIST_S3_BUCKETS,
    sid::READ_S3_OBJECTS,
];

impl RoleKind for LambdaExecutionRole {
    type State = ExecutionRoleState;
    const TYPE_NAME: &'static str = "lambda_execution_role";
    const POLICY_NAME: &'static str = "lambdawire-execution";
    const NAME_PREFIX: &'static str = "lambdawire-exec-";

    fn schema() -> Schema {
        common_schema(
            "The function's own execution role, least privilege by default (one role per function): \
             trust for `lambda.amazonaws.com`, CloudWatch Logs writes scoped to \
             `/aws/lambda/<function_name>` in this region and account, and shorthands that expand to \
             scoped statements. A `Resource = \"*\"` is refused unless `allow_wildcard_resources`, and \
             so is any shorthand ARN that grants more than the named object. Give the function \
             the role with `role = lambdawire_lambda_execution_role.<name>.arn` in its \
             `aws_lambda_function` (a function managed elsewhere: set its role to this ARN there). \
             A queue a `lambdawire_sqs_event_source` reads needs no `sqs_queue_arns` entry: the \
             event source grants it on the role itself; list a queue here only when the \
             function's own code calls SQS. A function that creates schedules at run time (one-time \
             reminders, say) gets a `schedule_creator` block per scheduler role it passes. \
             Destroying the role while `function_name` still runs as it is allowed, with a plan \
             warning.",
            vec![
                ("function_name", attr(string(), Required, "Name of the function the role serves; scopes the CloudWatch Logs grant.")),
                ("sqs_queue_arns", attr(string_list(), Optional, "Queues the function consumes: ReceiveMessage, DeleteMessage, GetQueueAttributes. One queue per ARN, no wildcard.")),
                ("dynamodb_table_arns", attr(string_list(), Optional, "Tables the function uses, with `dynamodb_actions`: `table/<name>`, or that table's `/index/<name or *>` or `/stream/<label or *>`. No other wildcard.")),
                ("dynamodb_actions", attr(string_list(), Optional, "DynamoDB actions on those tables (`GetItem` or `dynamodb:GetItem`), checked against DynamoDB's action names; no wildcard. Item reads and writes (no Scan) when null.")),
                ("secret_arns", attr(string_list(), Optional, "Secrets the function reads (GetSecretValue): full secret ARNs, ending in the 6-character suffix Secrets Manager adds, or in `-??????` for it. No `*`.")),
                ("s3_read_arns", attr(string_list(), Optional, "Bucket ARNs (GetObject on `<bucket>/*` and ListBucket) or object ARNs (GetObject; the key may hold wildcards, the bucket may not).")),
                ("allow_wildcard_resources", attr(boolean(), Optional, "Allow `*`, and ARNs whose region or account is a wildcard, in a `statement` block's resources. Default false.")),
            ],
            vec![(
                "schedule_creator",
                list_block(block(
                    "The function creates EventBridge Scheduler schedules at run time that run as `scheduler_role_arn`: \
                     adds the statements of that `lambdawire_scheduler_invoke_role`'s `creator_policy_json` \
                     (the schedule actions on the group's schedules, and `iam:PassRole` on exactly that role \
                     with `iam:PassedToService = scheduler.amazonaws.com`). The first block's statements have \
                     the same Sids as `creator_policy_json`; later blocks' are numbered from 2.",
                    vec![
                        ("scheduler_role_arn", attr(string(), Required, "ARN of the role the schedules run as, such as `lambdawire_scheduler_invoke_role.<name>.arn`.")),
                        ("schedule_group", attr(string(), Optional, "The group the function creates schedules in: set it to the scheduler role's `schedule_group`. Without it, the schedules of every group of the account.")),
                    ],
                    vec![],
                )),
            ), (
                "statement",
                list_block(block(
                    "A free Allow statement.",
                    vec![
                        ("sid", attr(string(), Optional, "Statement id.")),
                        ("actions", attr(string_list(), Required, "Actions allowed.")),
                        ("resources", attr(string_list(), Required, "Resources: `*` or ARNs. `*`, or a wildcard region or account, needs `allow_wildcard_resources`; wildcards in the resource part (`arn:aws:s3:::bucket/*`) do not.")),
                    ],
                    vec![],
                )),
            )],
        )
    }

    fn common(s: &mut Self::State) -> Common<'_> {
        super::kind::common_of!(s, None, None)
    }

    fn validate(c: &Self::State) -> Vec<Problem> {
        let mut problems = Vec::new();
        if let Some(name) = known(&c.function_name) {
            if !is_valid_function_name(name) {
                problems.push(Problem::at("function_name", "invalid function_name", format!("{name:?}: a function name is 1-64 of [A-Za-z0-9_-] (the name, not an ARN).")));
            }
        }
        let p = &mut problems;
        check_each(p, "sqs_queue_arns", &c.sqs_queue_arns, |t| {
            arn::sqs_queue(t).map(|_| ())
        });
        check_each(p, "dynamodb_table_arns", &c.dynamodb_table_arns, |t| {
            arn::dynamodb_table(t).map(|_| ())
        });
        check_each(p, "dynamodb_actions", &c.dynamodb_actions, |t| {
            dynamodb_action(t).map(|_| ())
        });
        check_each(p, "secret_arns", &c.secret_arns, |t| {
            arn::secret(t).map(|_| ())
        });
        check_each(p, "s3_read_arns", &c.s3_read_arns, |t| {
            arn::s3_read(t).map(|_| ())
        });
        // Unknown may still turn out true.
        let allow_wildcard = c.allow_wildcard_resources == Value::Value(true)
            || c.allow_wildcard_resources.is_unknown();
        for (index, b) in c.statement.items().iter().enumerate() {
            let path = AttributePath::new("statement").index(index as i64);
            if known_list(&b.actions).is_some_and(|a| a.is_empty()) {
                problems.push(Problem::new(
                    path.clone().attribute("actions"),
                    "empty actions",
                    "A statement allows at least one action.",
                ));
            }
            free_resource_problems(&mut problems, &path, &b.resources, allow_wildcard);
            if let Some(reserved) = known(&b.sid).filter(|x| is_generated_sid(x)) {
                problems.push(Problem::new(
                    path.attribute("sid"),
                    "reserved sid",
                    format!("{reserved:?} is the Sid of a statement the role's own arguments write: choose another Sid."),
                ));
            }
        }
        schedule_creator_problems(&mut problems, &c.schedule_creator);
        problems
    }

    fn policy(s: &Self::State, ctx: &PlanContext) -> Str {
        match input(s, ctx) {
            Some(i)
                if wildcard_resources(&i).is_empty()
                    || s.allow_wildcard_resources == Value::Value(true) =>
            {
                Value::Value(execution_role_policy(&i))
            }
            // Validation refuses a wildcard unless the opt-in is true or
            // unknown; while unknown, so is the policy.
            Some(_) | None => Value::Unknown,
        }
    }

    fn trust(_s: &Self::State, _ctx: &PlanContext) -> Str {
        Value::Value(lambda_trust_policy())
    }

    fn users(s: &Self::State) -> RoleUsers {
        RoleUsers {
            function: known(&s.function_name).map(str::to_string),
            ..RoleUsers::default()
        }
    }

    fn description(s: &Self::State) -> String {
        format!(
            "Execution role of Lambda function {}",
            known(&s.function_name).unwrap_or_default()
        )
    }

    fn import(mut s: Self::State, _trust: &str, policy: &str) -> Self::State {
        let Ok(doc) = PolicyDocument::parse(policy) else {
            return s;
        };
        let by_sid = |wanted: &str| {
            doc.statements
                .iter()
                .find(|st| st.sid.as_deref() == Some(wanted))
        };
        let list = |items: Vec<String>| {
            if items.is_empty() {
                Value::Null
            } else {
                str_list(items)
            }
        };
        s.function_name = by_sid(sid::WRITE_LOGS)
            .and_then(|st| st.resource.first())
            .and_then(|r| r.split("log-group:/aws/lambda/").nth(1))
            .map(|rest| rest.trim_end_matches(":*").to_string())
            .map_or(Value::Null, Value::Value);
        s.sqs_queue_arns = list(
            by_sid(sid::CONSUME_SQS_QUEUES)
                .map(|st| st.resource.clone())
                .unwrap_or_default(),
        );
        s.secret_arns = list(
            by_sid(sid::READ_SECRETS)
                .map(|st| st.resource.clone())
                .unwrap_or_default(),
        );
        if let Some(st) = by_sid(sid::ACCESS_DYNAMODB_TABLES) {
            s.dynamodb_table_arns = list(st.resource.clone());
            s.dynamodb_actions = imported_dynamodb_actions(&st.action);
        }
        s.s3_read_arns = list(imported_s3_read_arns(
            by_sid(sid::LIST_S3_BUCKETS),
            by_sid(sid::READ_S3_OBJECTS),
        ));
        s.schedule_creator = Block::Items(imported_schedule_creators(&doc));
        s.statement = Block::Items(imported_statements(&doc));
        if s.statement.items().iter().any(|b| {
            known_list(&b.resources).is_some_and(|r| r.iter().any(|x| needs_wildcard_opt_in(x)))
        }) {
            s.allow_wildcard_resources = Value::Value(true);
        }
        s
    }
}

/// The imported DynamoDB actions: null when they are the defaults (with or
/// without the `dynamodb:` prefix), so the import plans empty.
fn imported_dynamodb_actions(actions: &[String]) -> StrList {
    let defaults: Vec<String> = DEFAULT_DYNAMODB_ACTIONS
        .iter()
        .map(|a| format!("dynamodb:{a}"))
        .collect();
    let same = actions.len() == defaults.len()
        && actions
            .iter()
            .all(|a| defaults.contains(a) || DEFAULT_DYNAMODB_ACTIONS.contains(&a.as_str()));
    if same || actions.is_empty() {
        Value::Null
    } else {
        str_list(actions.to_vec())
    }
}

/// `s3_read_arns` from the two S3 statements: the listed buckets, then the
/// object ARNs that are not a listed bucket's `/*`.
fn imported_s3_read_arns(buckets: Option<&Statement>, objects: Option<&Statement>) -> Vec<String> {
    let buckets = buckets.map(|st| st.resource.clone()).unwrap_or_default();
    let objects: Vec<String> = objects
        .map(|st| {
            st.resource
                .iter()
                .filter(|r| !buckets.iter().any(|b| **r == format!("{b}/*")))
                .cloned()
                .collect()
        })
        .unwrap_or_default();
    buckets.into_iter().chain(objects).collect()
}

/// The `schedule_creator` blocks, from their numbered statement pairs: the
/// role is the PassRole statement's resource, the group the one in the
/// schedules' ARN (`*`: every group, the block's null).
fn imported_schedule_creators(doc: &PolicyDocument) -> Vec<ScheduleCreatorBlock> {
    let numbered = |base: &str| {
        doc.statements
            .iter()
            .filter_map(|st| {
                let n = schedule_creator_index(st.sid.as_deref()?, base)?;
                Some((n, st.resource.first()?.clone()))
            })
            .collect::<std::collections::BTreeMap<_, _>>()
    };
    let schedules = numbered(sid::MANAGE_SCHEDULES);
    numbered(sid::PASS_SCHEDULER_ROLE)
        .into_iter()
        .map(|(n, role)| {
            let group = schedules
                .get(&n)
                .and_then(|arn| arn.rsplit_once(":schedule/"))
                .and_then(|(_, rest)| rest.strip_suffix("/*"))
                .filter(|g| *g != "*");
            ScheduleCreatorBlock {
                scheduler_role_arn: Value::Value(role),
                schedule_group: crate::plugin::opt(group.map(str::to_string)),
            }
        })
        .collect()
}

/// The statements that none of the typed arguments wrote, as `statement`
/// blocks.
fn imported_statements(doc: &PolicyDocument) -> Vec<StatementBlock> {
    doc.statements
        .iter()
        .filter(|st| !st.sid.as_deref().is_some_and(is_generated_sid))
        .map(|st| StatementBlock {
            sid: crate::plugin::opt(st.sid.clone()),
            actions: str_list(st.action.clone()),
            resources: str_list(st.resource.clone()),
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::resources::role_resource::plan::plan;
    use crate::resources::testing::ctx;

    fn config() -> ExecutionRoleState {
        ExecutionRoleState {
            function_name: Value::Value("processor".into()),
            sqs_queue_arns: str_list(["arn:aws:sqs:us-east-1:123456789012:jobs".to_string()]),
            s3_read_arns: str_list(["arn:aws:s3:::uploads".to_string()]),
            statement: Block::Items(vec![StatementBlock {
                sid: Value::Value("Metrics".into()),
                actions: str_list(["cloudwatch:PutMetricData".to_string()]),
                resources: str_list([
                    "arn:aws:cloudwatch:us-east-1:123456789012:metric/x".to_string()
                ]),
            }]),
            ..Default::default()
        }
    }

    #[test]
    fn schedule_creators_are_planned_and_imported_and_their_sids_are_reserved() {
        let creator = |role: &str, group: Option<&str>| ScheduleCreatorBlock {
            scheduler_role_arn: Value::Value(format!("arn:aws:iam::123456789012:role/{role}")),
            schedule_group: crate::plugin::opt(group.map(str::to_string)),
        };
        let c = ExecutionRoleState {
            schedule_creator: Block::Items(vec![
                creator("callbacks", Some("callbacks")),
                creator("everything", None),
            ]),
            ..config()
        };
        assert!(LambdaExecutionRole::validate(&c).is_empty());
        let (planned, _) = plan::<LambdaExecutionRole>(None, c.clone(), &c, &ctx());
        let policy = known(&planned.policy_json).unwrap().to_string();
        assert!(policy.contains(r#""Sid":"PassSchedulerRole2""#), "{policy}");
        assert!(
            policy.contains("schedule/callbacks/*") && policy.contains("schedule/*/*"),
            "{policy}"
        );
        let imported = LambdaExecutionRole::import(ExecutionRoleState::default(), "", &policy);
        assert_eq!(imported.schedule_creator, c.schedule_creator);
        assert_eq!(
            imported.statement, c.statement,
            "creator statements are not free ones"
        );

        let unknown = ExecutionRoleState {
            schedule_creator: Block::Items(vec![ScheduleCreatorBlock {
                scheduler_role_arn: Value::Unknown,
                ..Default::default()
            }]),
            ..config()
        };
        let (planned, _) = plan::<LambdaExecutionRole>(None, unknown.clone(), &unknown, &ctx());
        assert!(planned.policy_json.is_unknown());

        let bad = ExecutionRoleState {
            schedule_creator: Block::Items(vec![
                creator("callbacks", Some("callbacks")),
                creator("callbacks", Some("callbacks")),
                ScheduleCreatorBlock {
                    scheduler_role_arn: Value::Value("arn:aws:iam::123456789012:role/*".into()),
                    schedule_group: Value::Value("a/b".into()),
                },
            ]),
            statement: Block::Items(vec![StatementBlock {
                sid: Value::Value("ManageSchedules3".into()),
                ..config().statement.items()[0].clone()
            }]),
            ..config()
        };
        let summaries: Vec<String> = LambdaExecutionRole::validate(&bad)
            .iter()
            .map(|p| format!("{:?}", p))
            .collect();
        for expected in [
            "duplicate schedule_creator",
            "invalid scheduler_role_arn",
            "invalid schedule_group",
            "reserved sid",
        ] {
            assert!(
                summaries.iter().any(|s| s.contains(expected)),
                "{expected}: {summaries:?}"
            );
        }
    }

    #[test]
    fn plan_shows_a_scoped_policy_and_import_recovers_it() {
        let c = config();
        let (planned, _) = plan::<LambdaExecutionRole>(None, c.clone(), &c, &ctx());
        let policy = known(&planned.policy_json).unwrap().to_string();
        assert!(policy.contains("log-group:/aws/lambda/processor"));
        assert!(policy.contains("sqs:ReceiveMessage"));
        assert!(!policy.contains("\"Resource\":\"*\""));
        let imported = LambdaExecutionRole::import(ExecutionRoleState::default(), "", &policy);
        assert_eq!(imported.function_name, c.function_name);
        assert_eq!(imported.sqs_queue_arns, c.sqs_queue_arns);
        assert_eq!(imported.s3_read_arns, c.s3_read_arns);
        assert_eq!(imported.statement, c.statement);
    }

    fn free(resources: &[&str]) -> Block<StatementBlock> {
        Block::Items(vec![StatementBlock {
            sid: Value::Null,
            actions: str_list(["ec2:DescribeInstances".to_string()]),
            resources: str_list(resources.iter().map(|r| r.to_string())),
        }])
    }

    fn paths(c: &ExecutionRoleState) -> Vec<String> {
        LambdaExecutionRole::validate(c)
            .iter()
            .map(Problem::path_text)
            .collect()
    }

    #[test]
    fn wildcard_resources_need_the_opt_in() {
        let mut c = config();
        c.statement = free(&[
            "arn:aws:s3:::bucket/*",
            "*",
            "arn:aws:ec2:*:*:instance/*",
            "arn:aws:ec2:us-east-1:12345678901?:instance/*",
        ]);
        assert_eq!(
            paths(&c),
            [
                "statement[0].resources[1]",
                "statement[0].resources[2]",
                "statement[0].resources[3]"
            ]
        );
        c.allow_wildcard_resources = Value::Value(true);
        assert!(LambdaExecutionRole::validate(&c).is_empty());
        c.allow_wildcard_resources = Value::Unknown;
        assert!(LambdaExecutionRole::validate(&c).is_empty());
    }

    /// The issue's case: `" * "` passed validation, the builder then saw a
    /// wildcard and planned a null policy, and apply sent "" to IAM.
    #[test]
    fn a_spaced_star_is_refused_with_or_without_the_opt_in() {
        for allow in [Value::Null, Value::Value(true)] {
            let c = ExecutionRoleState {
                statement: free(&[" * "]),
                allow_wildcard_resources: allow,
                ..config()
            };
            let problems = LambdaExecutionRole::validate(&c);
            assert_eq!(problems.len(), 1, "{problems:?}");
            assert_eq!(problems[0].path_text(), "statement[0].resources[0]");
            assert!(problems[0].detail.contains("spaces"), "{:?}", problems[0]);
        }
    }

    #[test]
    fn the_policy_is_never_planned_null() {
        let mut c = config();
        c.statement = free(&["*"]);
        c.allow_wildcard_resources = Value::Unknown;
        assert!(LambdaExecutionRole::policy(&c, &ctx()).is_unknown());
        c.allow_wildcard_resources = Value::Value(true);
        let policy = LambdaExecutionRole::policy(&c, &ctx());
        assert!(known(&policy).unwrap().contains(r#""Resource":"*""#));
    }

    #[test]
    fn free_resources_are_stars_or_arns() {
        let mut c = config();
        c.statement = free(&[
            "k1",
            "",
            "arn:aws:ec2:US-EAST-1:123456789012:instance/i",
            "arn:*:s3:::b",
        ]);
        c.allow_wildcard_resources = Value::Value(true);
        assert_eq!(
            paths(&c),
            [
                "statement[0].resources[0]",
                "statement[0].resources[1]",
                "statement[0].resources[2]",
                "statement[0].resources[3]"
            ]
        );
    }

    /// Every shorthand ARN that grants more than the named object, and every
    /// wildcard action, is an error on its element.
    #[test]
    fn shorthands_refuse_wildcards() {
        type Set = fn(&mut ExecutionRoleState, StrList);
        let cases: [(&str, Set, &str); 14] = [
            (
                "sqs_queue_arns",
                |c, v| c.sqs_queue_arns = v,
                "arn:aws:sqs:*:*:*",
            ),
            (
                "sqs_queue_arns",
                |c, v| c.sqs_queue_arns = v,
                "arn:aws:sqs:us-east-1:123456789012:*",
            ),
            ("s3_read_arns", |c, v| c.s3_read_arns = v, "arn:aws:s3:::*"),
            (
                "s3_read_arns",
                |c, v| c.s3_read_arns = v,
                "arn:aws:s3:::uploads*",
            ),
            (
                "secret_arns",
                |c, v| c.secret_arns = v,
                "arn:aws:secretsmanager:us-east-1:123456789012:secret:db-*",
            ),
            (
                "secret_arns",
                |c, v| c.secret_arns = v,
                "arn:aws:secretsmanager:us-east-1:123456789012:secret:*",
            ),
            (
                "secret_arns",
                |c, v| c.secret_arns = v,
                "arn:aws:secretsmanager:*:123456789012:secret:db-AbCdEf",
            ),
            (
                "dynamodb_table_arns",
                |c, v| c.dynamodb_table_arns = v,
                "arn:aws:dynamodb:us-east-1:123456789012:table/*",
            ),
            (
                "dynamodb_table_arns",
                |c, v| c.dynamodb_table_arns = v,
                "arn:aws:dynamodb:us-east-1:*:table/orders",
            ),
            ("dynamodb_actions", |c, v| c.dynamodb_actions = v, "*"),
            (
                "dynamodb_actions",
                |c, v| c.dynamodb_actions = v,
                "dynamodb:*",
            ),
            ("dynamodb_actions", |c, v| c.dynamodb_actions = v, "Get*"),
            (
                "dynamodb_actions",
                |c, v| c.dynamodb_actions = v,
                "s3:GetObject",
            ),
            (
                "dynamodb_actions",
                |c, v| c.dynamodb_actions = v,
                "GetItems",
            ),
        ];
        for (attribute, set, bad) in cases {
            let mut c = config();
            // A valid first element, so the path must name the second.
            let good = match attribute {
                "sqs_queue_arns" => "arn:aws:sqs:us-east-1:123456789012:jobs",
                "s3_read_arns" => "arn:aws:s3:::uploads",
                "secret_arns" => "arn:aws:secretsmanager:us-east-1:123456789012:secret:db-AbCdEf",
                "dynamodb_table_arns" => "arn:aws:dynamodb:us-east-1:123456789012:table/orders",
                _ => "GetItem",
            };
            set(&mut c, str_list([good.to_string(), bad.to_string()]));
            let problems = LambdaExecutionRole::validate(&c);
            let got: Vec<String> = problems.iter().map(Problem::path_text).collect();
            assert_eq!(
                got,
                [format!("{attribute}[1]")],
                "{attribute} = {bad}: {problems:?}"
            );
        }
    }

    #[test]
    fn shorthands_accept_what_stays_inside_one_object() {
        let c = ExecutionRoleState {
            dynamodb_table_arns: str_list([
                "arn:aws:dynamodb:us-east-1:123456789012:table/orders".to_string(),
                "arn:aws:dynamodb:us-east-1:123456789012:table/orders/index/*".to_string(),
            ]),
            dynamodb_actions: str_list(["GetItem".to_string(), "dynamodb:Query".to_string()]),
            secret_arns: str_list([
                "arn:aws:secretsmanager:us-east-1:123456789012:secret:db-??????".to_string(),
            ]),
            s3_read_arns: str_list(["arn:aws:s3:::uploads/incoming/*".to_string()]),
            ..config()
        };
        assert_eq!(LambdaExecutionRole::validate(&c), vec![]);
    }

    #[test]
    fn unknown_elements_are_skipped() {
        let c = ExecutionRoleState {
            sqs_queue_arns: Value::Value(vec![Value::Unknown, Value::Value("nope".into())]),
            ..config()
        };
        assert_eq!(paths(&c), ["sqs_queue_arns[1]"]);
    }

    #[test]
    fn import_opts_in_for_wildcard_scopes() {
        let mut c = config();
        c.statement = free(&["arn:aws:ec2:*:*:instance/*"]);
        c.allow_wildcard_resources = Value::Value(true);
        let (planned, _) = plan::<LambdaExecutionRole>(None, c.clone(), &c, &ctx());
        let policy = known(&planned.policy_json).unwrap().to_string();
        let imported = LambdaExecutionRole::import(ExecutionRoleState::default(), "", &policy);
        assert_eq!(imported.allow_wildcard_resources, Value::Value(true));
        assert!(LambdaExecutionRole::validate(&imported).is_empty());
    }
}
