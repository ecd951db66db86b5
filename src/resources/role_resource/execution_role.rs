//! `lambdawire_lambda_execution_role`: a function's own execution role, least
//! privilege by default (logs of that function only, and shorthands that each
//! expand to one scoped statement).

use crate::plugin::schema::Schema;
use serde::{Deserialize, Serialize};

use crate::aws::arn;
use crate::lambda::function_ref::is_valid_function_name;
use crate::plugin::schema::*;
use crate::plugin::{
    known, known_list, str_list, Block, Bool, Problem, Str, StrList, StrMap, Value,
};
use crate::policy::builders::{
    execution_role_policy, lambda_trust_policy, sid, wildcard_resources, ExecutionPolicyInput,
    FreeStatement, DEFAULT_DYNAMODB_ACTIONS,
};
use crate::policy::document::PolicyDocument;
use crate::resources::managed_role::RoleSettings;
use crate::resources::PlanContext;

use super::{common_schema, Common, RoleKind};

#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
#[serde(default)]
pub struct ExecutionRoleState {
    pub id: Str,
    pub arn: Str,
    pub name: Str,
    pub function_name: Str,
    pub sqs_queue_arns: StrList,
    pub dynamodb_table_arns: StrList,
    pub dynamodb_actions: StrList,
    pub secret_arns: StrList,
    pub s3_read_arns: StrList,
    pub statement: Block<StatementBlock>,
    pub allow_wildcard_resources: Bool,
    pub role: Block<RoleSettings>,
    pub policy_json: Str,
    pub trust_policy_json: Str,
    pub tags_all: StrMap,
}

#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
#[serde(default)]
pub struct StatementBlock {
    pub sid: Str,
    pub actions: StrList,
    pub resources: StrList,
}

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
        statements,
    })
}

fn arn_rule(problems: &mut Vec<Problem>, attribute: &'static str, list: &StrList, service: &str) {
    for item in known_list(list).unwrap_or_default() {
        match arn::parse(&item) {
            Ok(a) if a.service == service => {}
            Ok(a) => problems.push(Problem::at(
                attribute,
                format!("invalid {attribute} element"),
                format!(
                    "{item:?} is a {} ARN; {attribute} takes {service} ARNs.",
                    a.service
                ),
            )),
            Err(why) => problems.push(Problem::at(
                attribute,
                format!("invalid {attribute} element"),
                why,
            )),
        }
    }
}

impl RoleKind for LambdaExecutionRole {
    type State = ExecutionRoleState;
    const TYPE_NAME: &'static str = "lambdawire_lambda_execution_role";
    const POLICY_NAME: &'static str = "lambdawire-execution";
    const NAME_PREFIX: &'static str = "lambdawire-exec-";

    fn schema() -> Schema {
        common_schema(
            "The function's own execution role, least privilege by default (one role per function): \
             trust for `lambda.amazonaws.com`, CloudWatch Logs writes scoped to \
             `/aws/lambda/<function_name>` in this region and account, and shorthands that expand to \
             scoped statements. A `Resource = \"*\"` is refused unless `allow_wildcard_resources`.",
            vec![
                ("function_name", attr(string(), Required, "Name of the function the role serves; scopes the CloudWatch Logs grant.")),
                ("sqs_queue_arns", attr(string_list(), Optional, "Queues the function consumes: ReceiveMessage, DeleteMessage, GetQueueAttributes.")),
                ("dynamodb_table_arns", attr(string_list(), Optional, "Tables (or index ARNs) the function uses, with `dynamodb_actions`.")),
                ("dynamodb_actions", attr(string_list(), Optional, "DynamoDB actions on those tables; item reads and writes (no Scan) when null.")),
                ("secret_arns", attr(string_list(), Optional, "Secrets the function reads (GetSecretValue).")),
                ("s3_read_arns", attr(string_list(), Optional, "Bucket ARNs (GetObject on `<bucket>/*` and ListBucket) or object ARNs (GetObject).")),
                ("allow_wildcard_resources", attr(boolean(), Optional, "Allow `*` in a `statement` block's resources. Default false.")),
            ],
            vec![(
                "statement",
                list_block(block(
                    "A free Allow statement.",
                    vec![
                        ("sid", attr(string(), Optional, "Statement id.")),
                        ("actions", attr(string_list(), Required, "Actions allowed.")),
                        ("resources", attr(string_list(), Required, "Resources; `*` needs `allow_wildcard_resources`.")),
                    ],
                    vec![],
                )),
            )],
        )
    }

    fn common(s: &mut Self::State) -> Common<'_> {
        Common {
            id: &mut s.id,
            arn: &mut s.arn,
            name: &mut s.name,
            role: &mut s.role,
            policy_json: &mut s.policy_json,
            trust_policy_json: &mut s.trust_policy_json,
            tags_all: &mut s.tags_all,
        }
    }

    fn validate(c: &Self::State) -> Vec<Problem> {
        let mut problems = Vec::new();
        if let Some(name) = known(&c.function_name) {
            if !is_valid_function_name(name) {
                problems.push(Problem::at("function_name", "invalid function_name", format!("{name:?}: a function name is 1-64 of [A-Za-z0-9_-] (the name, not an ARN).")));
            }
        }
        arn_rule(&mut problems, "sqs_queue_arns", &c.sqs_queue_arns, "sqs");
        arn_rule(
            &mut problems,
            "dynamodb_table_arns",
            &c.dynamodb_table_arns,
            "dynamodb",
        );
        arn_rule(
            &mut problems,
            "secret_arns",
            &c.secret_arns,
            "secretsmanager",
        );
        arn_rule(&mut problems, "s3_read_arns", &c.s3_read_arns, "s3");
        let allow_wildcard = c.allow_wildcard_resources == Value::Value(true)
            || c.allow_wildcard_resources.is_unknown();
        for (index, b) in c.statement.items().iter().enumerate() {
            let path = crate::plugin::AttributePath::new("statement").index(index as i64);
            if known_list(&b.actions).is_some_and(|a| a.is_empty()) {
                problems.push(Problem::new(
                    path.clone().attribute("actions"),
                    "empty actions",
                    "A statement allows at least one action.",
                ));
            }
            let wildcard = known_list(&b.resources).is_some_and(|r| r.iter().any(|x| x == "*"));
            if wildcard && !allow_wildcard {
                problems.push(Problem::new(
                    path.attribute("resources"),
                    "Resource \"*\" is not allowed",
                    "A wildcard resource grants the actions on every resource of the account: name the resources, or set allow_wildcard_resources = true.",
                ));
            }
        }
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
            Some(_) => Value::Null,
            None => Value::Unknown,
        }
    }

    fn trust(_s: &Self::State, _ctx: &PlanContext) -> Str {
        Value::Value(lambda_trust_policy())
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
            let defaults: Vec<String> = DEFAULT_DYNAMODB_ACTIONS
                .iter()
                .map(|a| format!("dynamodb:{a}"))
                .collect();
            let same = st.action.len() == defaults.len()
                && st.action.iter().all(|a| {
                    defaults.contains(a) || DEFAULT_DYNAMODB_ACTIONS.contains(&a.as_str())
                });
            s.dynamodb_actions = if same {
                Value::Null
            } else {
                list(st.action.clone())
            };
        }
        let buckets = by_sid(sid::LIST_S3_BUCKETS)
            .map(|st| st.resource.clone())
            .unwrap_or_default();
        let objects: Vec<String> = by_sid(sid::READ_S3_OBJECTS)
            .map(|st| {
                st.resource
                    .iter()
                    .filter(|r| !buckets.iter().any(|b| **r == format!("{b}/*")))
                    .cloned()
                    .collect()
            })
            .unwrap_or_default();
        s.s3_read_arns = list(buckets.into_iter().chain(objects).collect());
        let known_sids = [
            sid::CREATE_LOG_GROUP,
            sid::WRITE_LOGS,
            sid::CONSUME_SQS_QUEUES,
            sid::ACCESS_DYNAMODB_TABLES,
            sid::READ_SECRETS,
            sid::LIST_S3_BUCKETS,
            sid::READ_S3_OBJECTS,
        ];
        s.statement = Block::Items(
            doc.statements
                .iter()
                .filter(|st| !st.sid.as_deref().is_some_and(|x| known_sids.contains(&x)))
                .map(|st| StatementBlock {
                    sid: crate::plugin::opt(st.sid.clone()),
                    actions: str_list(st.action.clone()),
                    resources: str_list(st.resource.clone()),
                })
                .collect(),
        );
        if s.statement
            .items()
            .iter()
            .any(|b| known_list(&b.resources).is_some_and(|r| r.iter().any(|x| x == "*")))
        {
            s.allow_wildcard_resources = Value::Value(true);
        }
        s
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::resources::role_resource::plan;

    fn ctx() -> PlanContext {
        PlanContext {
            partition: Some("aws".into()),
            region: Some("us-east-1".into()),
            account_id: Some("123456789012".into()),
            default_tags: Some(Default::default()),
        }
    }

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

    #[test]
    fn wildcard_resources_need_the_opt_in() {
        let mut c = config();
        c.statement = Block::Items(vec![StatementBlock {
            sid: Value::Null,
            actions: str_list(["xray:PutTraceSegments".to_string()]),
            resources: str_list(["*".to_string()]),
        }]);
        let paths: Vec<String> = LambdaExecutionRole::validate(&c)
            .iter()
            .map(Problem::path_text)
            .collect();
        assert_eq!(paths, ["statement[0].resources"]);
        c.allow_wildcard_resources = Value::Value(true);
        assert!(LambdaExecutionRole::validate(&c).is_empty());
    }
}
