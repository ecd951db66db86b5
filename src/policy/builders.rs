//! Builders of every IAM policy this provider writes: the trust and inline
//! policies of scheduler invoke roles and of Lambda execution roles, and the
//! queue grant of an SQS event source.
//!
//! Layer: pure. No I/O. Each builder returns the exact JSON text that the plan
//! shows and that is sent to IAM, so output depends only on the arguments:
//! statement order, list order (input order, first occurrence kept when an
//! entry repeats) and key order are fixed. Serialization follows the rule in
//! [`super::document`]: a one-element list is written as a plain string.

use std::collections::BTreeMap;

use super::document::{Conditions, Effect, PolicyDocument, Principal, Statement};

const SCHEDULER_SERVICE: &str = "scheduler.amazonaws.com";
const LAMBDA_SERVICE: &str = "lambda.amazonaws.com";
const ASSUME_ROLE: &str = "sts:AssumeRole";

/// Sids of the statements the builders emit. Fixed so that a reviewer can
/// tell generated statements apart and so that drift shows on a stable name.
pub mod sid {
    pub const INVOKE_TARGET_FUNCTION: &str = "InvokeTargetFunction";
    pub const SEND_TO_DEAD_LETTER_QUEUE: &str = "SendToDeadLetterQueue";
    pub const CREATE_LOG_GROUP: &str = "CreateLogGroup";
    pub const WRITE_LOGS: &str = "WriteLogs";
    pub const CONSUME_SQS_QUEUES: &str = "ConsumeSqsQueues";
    pub const ACCESS_DYNAMODB_TABLES: &str = "AccessDynamoDbTables";
    pub const READ_SECRETS: &str = "ReadSecrets";
    pub const LIST_S3_BUCKETS: &str = "ListS3Buckets";
    pub const READ_S3_OBJECTS: &str = "ReadS3Objects";
    pub const CONSUME_SQS_QUEUE: &str = "ConsumeSqsQueue";
    pub const DECRYPT_QUEUE_MESSAGES: &str = "DecryptQueueMessages";
}

/// Item-level reads and writes. `Scan` is left out because it reads the whole
/// table, which a function rarely needs and which is easy to add explicitly;
/// table administration (`DescribeTable`, `UpdateTable`, ...) and streams are
/// left out because a handler does not need them. `ConditionCheckItem` is in
/// because `TransactWriteItems` needs it on every item it only checks.
pub const DEFAULT_DYNAMODB_ACTIONS: [&str; 8] = [
    "dynamodb:GetItem",
    "dynamodb:BatchGetItem",
    "dynamodb:Query",
    "dynamodb:PutItem",
    "dynamodb:UpdateItem",
    "dynamodb:DeleteItem",
    "dynamodb:BatchWriteItem",
    "dynamodb:ConditionCheckItem",
];

/// What a Lambda event source mapping needs to poll a queue, and no more.
pub const SQS_CONSUMER_ACTIONS: [&str; 3] = [
    "sqs:ReceiveMessage",
    "sqs:DeleteMessage",
    "sqs:GetQueueAttributes",
];

/// A `statement { sid, actions, resources }` block of
/// `lambdawire_lambda_execution_role`: always `Allow`.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct FreeStatement {
    pub sid: Option<String>,
    pub actions: Vec<String>,
    pub resources: Vec<String>,
}

/// Everything the execution role's inline policy is built from. Empty lists
/// produce no statement.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct ExecutionPolicyInput {
    pub partition: String,
    pub region: String,
    pub account_id: String,
    pub function_name: String,
    pub sqs_queue_arns: Vec<String>,
    pub dynamodb_table_arns: Vec<String>,
    /// `GetItem` or `dynamodb:GetItem`; empty means
    /// [`DEFAULT_DYNAMODB_ACTIONS`].
    pub dynamodb_actions: Vec<String>,
    pub secret_arns: Vec<String>,
    /// Bucket ARNs (`arn:aws:s3:::bucket`) or object ARNs
    /// (`arn:aws:s3:::bucket/prefix/*`).
    pub s3_read_arns: Vec<String>,
    pub statements: Vec<FreeStatement>,
}

/// Trust policy of a role that EventBridge Scheduler assumes, with the
/// confused-deputy conditions: the calling schedule must belong to
/// `account_id` and to the schedule group `group_name`, or to any group of
/// that account when `group_name` is `None`.
///
/// An exact group uses `ArnEquals`, so that no character of the ARN is read
/// as a wildcard and the plan states exactly one group; the any-group form
/// needs `ArnLike` for its `*`. The source ARN is the group's ARN, not the
/// schedule's: Scheduler rejects a role scoped to one schedule.
pub fn scheduler_trust_policy(
    partition: &str,
    region: &str,
    account_id: &str,
    group_name: Option<&str>,
) -> String {
    let (operator, group) = match group_name {
        Some(group) => ("ArnEquals", group),
        None => ("ArnLike", "*"),
    };
    let source_arn =
        format!("arn:{partition}:scheduler:{region}:{account_id}:schedule-group/{group}");
    let mut condition = Conditions::new();
    condition.insert(
        "StringEquals".to_string(),
        BTreeMap::from([(
            "aws:SourceAccount".to_string(),
            vec![account_id.to_string()],
        )]),
    );
    condition.insert(
        operator.to_string(),
        BTreeMap::from([("aws:SourceArn".to_string(), vec![source_arn])]),
    );
    PolicyDocument::new(vec![Statement {
        principal: Some(Principal::service(SCHEDULER_SERVICE)),
        action: vec![ASSUME_ROLE.to_string()],
        condition,
        ..Statement::new(Effect::Allow)
    }])
    .to_json()
}

/// Inline policy of a scheduler invoke role: `lambda:InvokeFunction` on each
/// function and, for an unqualified function ARN, on its versions and aliases
/// (`<arn>:*`); a qualified ARN (or anything that is not an unqualified
/// function ARN) is granted exactly as given. Plus `sqs:SendMessage` on the
/// dead-letter queues when there are any. A statement with no resource is
/// left out rather than written empty, which IAM would reject.
pub fn scheduler_invoke_policy(function_arns: &[&str], dead_letter_arns: &[&str]) -> String {
    let mut invoke_resources = Vec::new();
    for arn in function_arns {
        invoke_resources.push((*arn).to_string());
        if is_unqualified_function_arn(arn) {
            invoke_resources.push(format!("{arn}:*"));
        }
    }
    let dead_letters = dead_letter_arns.iter().map(|arn| (*arn).to_string());
    let statements = [
        allow(
            Some(sid::INVOKE_TARGET_FUNCTION),
            &["lambda:InvokeFunction"],
            invoke_resources,
        ),
        allow(
            Some(sid::SEND_TO_DEAD_LETTER_QUEUE),
            &["sqs:SendMessage"],
            dead_letters,
        ),
    ];
    PolicyDocument::new(statements.into_iter().flatten().collect()).to_json()
}

/// The grant an SQS event source mapping needs on the function's execution
/// role, and no more: [`SQS_CONSUMER_ACTIONS`] on the queue and, for a
/// queue encrypted with a customer managed key, `kms:Decrypt` on that key
/// (Lambda's poller reads the messages with the execution role, so it
/// needs both: https://docs.aws.amazon.com/AWSSimpleQueueService/latest/SQSDeveloperGuide/sqs-configure-lambda-function-trigger.html).
pub fn sqs_event_source_policy(queue_arn: &str, kms_key_arn: Option<&str>) -> String {
    let statements = [
        allow(
            Some(sid::CONSUME_SQS_QUEUE),
            &SQS_CONSUMER_ACTIONS,
            [queue_arn.to_string()],
        ),
        allow(
            Some(sid::DECRYPT_QUEUE_MESSAGES),
            &["kms:Decrypt"],
            kms_key_arn.map(str::to_string),
        ),
    ];
    PolicyDocument::new(statements.into_iter().flatten().collect()).to_json()
}

/// Trust policy of a Lambda execution role.
pub fn lambda_trust_policy() -> String {
    PolicyDocument::new(vec![Statement {
        principal: Some(Principal::service(LAMBDA_SERVICE)),
        action: vec![ASSUME_ROLE.to_string()],
        ..Statement::new(Effect::Allow)
    }])
    .to_json()
}

/// Inline policy of a Lambda execution role, statements in this order:
/// - `CreateLogGroup`: `logs:CreateLogGroup` on the function's log group
///   `arn:<p>:logs:<region>:<account>:log-group:/aws/lambda/<function>`.
/// - `WriteLogs`: `logs:CreateLogStream`, `logs:PutLogEvents` on that group's
///   streams (`...:log-group:/aws/lambda/<function>:*`). Two statements
///   rather than one so that neither action reaches the other's resource.
/// - `ConsumeSqsQueues`: [`SQS_CONSUMER_ACTIONS`] on `sqs_queue_arns`.
/// - `AccessDynamoDbTables`: `dynamodb_actions` (prefixed with `dynamodb:`
///   when given bare; [`DEFAULT_DYNAMODB_ACTIONS`] when empty) on the table
///   ARNs as given: indexes are not added, pass `<table-arn>/index/*` to
///   query them.
/// - `ReadSecrets`: `secretsmanager:GetSecretValue` on `secret_arns`.
/// - `ListS3Buckets`: `s3:ListBucket` on each bucket ARN of `s3_read_arns`.
/// - `ReadS3Objects`: `s3:GetObject` on `<bucket-arn>/*` for a bucket ARN, or
///   on the ARN as given when it already names objects (has a `/`).
/// - the free statements, in input order, each `Allow`.
///
/// Shorthand statements whose list is empty are left out.
pub fn execution_role_policy(input: &ExecutionPolicyInput) -> String {
    let log_group = format!(
        "arn:{}:logs:{}:{}:log-group:/aws/lambda/{}",
        input.partition, input.region, input.account_id, input.function_name
    );
    let dynamodb_actions: Vec<String> = if input.dynamodb_actions.is_empty() {
        DEFAULT_DYNAMODB_ACTIONS
            .iter()
            .map(|a| (*a).to_string())
            .collect()
    } else {
        input
            .dynamodb_actions
            .iter()
            .map(|action| {
                if action.contains(':') {
                    action.clone()
                } else {
                    format!("dynamodb:{action}")
                }
            })
            .collect()
    };
    let buckets = input
        .s3_read_arns
        .iter()
        .filter(|arn| !names_objects(arn))
        .cloned();
    let objects = input.s3_read_arns.iter().map(|arn| {
        if names_objects(arn) {
            arn.clone()
        } else {
            format!("{arn}/*")
        }
    });

    let mut statements: Vec<Statement> = [
        allow(
            Some(sid::CREATE_LOG_GROUP),
            &["logs:CreateLogGroup"],
            [log_group.clone()],
        ),
        allow(
            Some(sid::WRITE_LOGS),
            &["logs:CreateLogStream", "logs:PutLogEvents"],
            [format!("{log_group}:*")],
        ),
        allow(
            Some(sid::CONSUME_SQS_QUEUES),
            &SQS_CONSUMER_ACTIONS,
            input.sqs_queue_arns.iter().cloned(),
        ),
        allow_owned(
            Some(sid::ACCESS_DYNAMODB_TABLES),
            dynamodb_actions,
            input.dynamodb_table_arns.iter().cloned(),
        ),
        allow(
            Some(sid::READ_SECRETS),
            &["secretsmanager:GetSecretValue"],
            input.secret_arns.iter().cloned(),
        ),
        allow(Some(sid::LIST_S3_BUCKETS), &["s3:ListBucket"], buckets),
        allow(Some(sid::READ_S3_OBJECTS), &["s3:GetObject"], objects),
    ]
    .into_iter()
    .flatten()
    .collect();

    // Free statements are written even when a list is empty: refusing them is
    // validation's job, and dropping one silently would hide a mistake.
    statements.extend(input.statements.iter().map(|free| Statement {
        sid: free.sid.clone(),
        action: dedup(free.actions.iter().cloned()),
        resource: dedup(free.resources.iter().cloned()),
        ..Statement::new(Effect::Allow)
    }));
    PolicyDocument::new(statements).to_json()
}

/// Free statements granting a bare `"*"` resource, as `(index into
/// input.statements, the resource as written)`, one entry per occurrence, so
/// that validation can point at `statement[index]` and refuse it unless
/// `allow_wildcard_resources` is set. Surrounding whitespace does not hide a
/// wildcard.
pub fn wildcard_resources(input: &ExecutionPolicyInput) -> Vec<(usize, String)> {
    input
        .statements
        .iter()
        .enumerate()
        .flat_map(|(index, free)| {
            free.resources
                .iter()
                .filter(|resource| resource.trim() == "*")
                .map(move |resource| (index, resource.clone()))
        })
        .collect()
}

/// The partition of a region, for building ARNs. Unknown regions fall back to
/// `aws`, which covers every commercial region added later.
pub fn partition_of(region: &str) -> &'static str {
    const PREFIXES: [(&str, &str); 6] = [
        ("cn-", "aws-cn"),
        ("us-gov-", "aws-us-gov"),
        ("us-iso-", "aws-iso"),
        ("us-isob-", "aws-iso-b"),
        ("eu-isoe-", "aws-iso-e"),
        ("us-isof-", "aws-iso-f"),
    ];
    PREFIXES
        .iter()
        .find(|(prefix, _)| region.starts_with(prefix))
        .map_or("aws", |(_, partition)| partition)
}

/// `arn:<p>:lambda:<region>:<account>:function:<name>` with no qualifier.
fn is_unqualified_function_arn(arn: &str) -> bool {
    let parts: Vec<&str> = arn.split(':').collect();
    matches!(
        parts.as_slice(),
        ["arn", _, "lambda", _, _, "function", name] if !name.is_empty()
    )
}

/// An S3 ARN whose resource part has a `/` names objects (`bucket/key`);
/// without one it names a bucket.
fn names_objects(arn: &str) -> bool {
    let resource = arn.splitn(6, ':').nth(5).unwrap_or(arn);
    resource.contains('/')
}

fn dedup(items: impl IntoIterator<Item = String>) -> Vec<String> {
    let mut out: Vec<String> = Vec::new();
    for item in items {
        if !out.contains(&item) {
            out.push(item);
        }
    }
    out
}

fn allow(
    sid: Option<&str>,
    actions: &[&str],
    resources: impl IntoIterator<Item = String>,
) -> Option<Statement> {
    allow_owned(
        sid,
        actions.iter().map(|a| (*a).to_string()).collect(),
        resources,
    )
}

/// An `Allow` statement, or `None` when it would have no resource.
fn allow_owned(
    sid: Option<&str>,
    actions: Vec<String>,
    resources: impl IntoIterator<Item = String>,
) -> Option<Statement> {
    let resource = dedup(resources);
    if resource.is_empty() {
        return None;
    }
    Some(Statement {
        sid: sid.map(str::to_string),
        action: dedup(actions),
        resource,
        ..Statement::new(Effect::Allow)
    })
}

#[cfg(test)]
mod tests {
    use super::super::equivalence::equivalent;
    use super::*;

    const ACCOUNT: &str = "123456789012";
    const FUNCTION: &str = "arn:aws:lambda:us-east-1:123456789012:function:hook";

    fn reparses(text: &str) {
        match PolicyDocument::parse(text) {
            Ok(doc) => {
                assert_eq!(doc.to_json(), text, "write(parse(x)) must be x");
                assert!(equivalent(&doc.to_json(), text));
            }
            Err(err) => panic!("builder output does not parse: {err}\n{text}"),
        }
    }

    fn full_input() -> ExecutionPolicyInput {
        ExecutionPolicyInput {
            partition: "aws".to_string(),
            region: "eu-west-1".to_string(),
            account_id: ACCOUNT.to_string(),
            function_name: "orders".to_string(),
            sqs_queue_arns: vec!["arn:aws:sqs:eu-west-1:123456789012:jobs".to_string()],
            dynamodb_table_arns: vec![
                "arn:aws:dynamodb:eu-west-1:123456789012:table/orders".to_string(),
                "arn:aws:dynamodb:eu-west-1:123456789012:table/orders/index/*".to_string(),
            ],
            dynamodb_actions: vec!["GetItem".to_string(), "dynamodb:Query".to_string()],
            secret_arns: vec![
                "arn:aws:secretsmanager:eu-west-1:123456789012:secret:db-AbCdEf".to_string(),
            ],
            s3_read_arns: vec![
                "arn:aws:s3:::assets".to_string(),
                "arn:aws:s3:::uploads/incoming/*".to_string(),
            ],
            statements: vec![FreeStatement {
                sid: Some("PublishEvents".to_string()),
                actions: vec!["events:PutEvents".to_string()],
                resources: vec![
                    "arn:aws:events:eu-west-1:123456789012:event-bus/orders".to_string()
                ],
            }],
        }
    }

    #[test]
    fn sqs_event_source_policy_grants_exactly_the_queue() {
        let text = sqs_event_source_policy("arn:aws:sqs:us-east-1:123456789012:orders", None);
        assert_eq!(
            text,
            r#"{"Version":"2012-10-17","Statement":[{"Sid":"ConsumeSqsQueue","Effect":"Allow","Action":["sqs:ReceiveMessage","sqs:DeleteMessage","sqs:GetQueueAttributes"],"Resource":"arn:aws:sqs:us-east-1:123456789012:orders"}]}"#
        );
        reparses(&text);
    }

    #[test]
    fn sqs_event_source_policy_decrypts_with_the_queues_key_only() {
        let key = "arn:aws:kms:us-east-1:123456789012:key/1234abcd-12ab-34cd-56ef-1234567890ab";
        let text =
            sqs_event_source_policy("arn:aws:sqs:us-east-1:123456789012:orders.fifo", Some(key));
        assert_eq!(
            text,
            format!(
                r#"{{"Version":"2012-10-17","Statement":[{{"Sid":"ConsumeSqsQueue","Effect":"Allow","Action":["sqs:ReceiveMessage","sqs:DeleteMessage","sqs:GetQueueAttributes"],"Resource":"arn:aws:sqs:us-east-1:123456789012:orders.fifo"}},{{"Sid":"DecryptQueueMessages","Effect":"Allow","Action":"kms:Decrypt","Resource":"{key}"}}]}}"#
            )
        );
        reparses(&text);
        let without =
            sqs_event_source_policy("arn:aws:sqs:us-east-1:123456789012:orders.fifo", None);
        assert!(
            !equivalent(&text, &without),
            "the key statement is a real difference"
        );
    }

    #[test]
    fn scheduler_trust_policy_for_one_group() {
        let text = scheduler_trust_policy("aws", "us-east-1", ACCOUNT, Some("default"));
        assert_eq!(
            text,
            r#"{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Principal":{"Service":"scheduler.amazonaws.com"},"Action":"sts:AssumeRole","Condition":{"ArnEquals":{"aws:SourceArn":"arn:aws:scheduler:us-east-1:123456789012:schedule-group/default"},"StringEquals":{"aws:SourceAccount":"123456789012"}}}]}"#
        );
        reparses(&text);
    }

    #[test]
    fn scheduler_trust_policy_for_any_group_of_the_account() {
        let text = scheduler_trust_policy("aws-cn", "cn-north-1", ACCOUNT, None);
        assert_eq!(
            text,
            r#"{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Principal":{"Service":"scheduler.amazonaws.com"},"Action":"sts:AssumeRole","Condition":{"ArnLike":{"aws:SourceArn":"arn:aws-cn:scheduler:cn-north-1:123456789012:schedule-group/*"},"StringEquals":{"aws:SourceAccount":"123456789012"}}}]}"#
        );
        reparses(&text);
    }

    #[test]
    fn scheduler_invoke_policy_unqualified_function_and_dead_letter_queue() {
        let text = scheduler_invoke_policy(
            &[FUNCTION],
            &["arn:aws:sqs:us-east-1:123456789012:hook-dlq"],
        );
        assert_eq!(
            text,
            r#"{"Version":"2012-10-17","Statement":[{"Sid":"InvokeTargetFunction","Effect":"Allow","Action":"lambda:InvokeFunction","Resource":["arn:aws:lambda:us-east-1:123456789012:function:hook","arn:aws:lambda:us-east-1:123456789012:function:hook:*"]},{"Sid":"SendToDeadLetterQueue","Effect":"Allow","Action":"sqs:SendMessage","Resource":"arn:aws:sqs:us-east-1:123456789012:hook-dlq"}]}"#
        );
        reparses(&text);
    }

    #[test]
    fn scheduler_invoke_policy_qualified_function_gets_no_wildcard() {
        let text = scheduler_invoke_policy(&[&format!("{FUNCTION}:live")], &[]);
        assert_eq!(
            text,
            r#"{"Version":"2012-10-17","Statement":[{"Sid":"InvokeTargetFunction","Effect":"Allow","Action":"lambda:InvokeFunction","Resource":"arn:aws:lambda:us-east-1:123456789012:function:hook:live"}]}"#
        );
        reparses(&text);
    }

    #[test]
    fn scheduler_invoke_policy_keeps_input_order_and_drops_repeats() {
        let other = "arn:aws:lambda:us-east-1:123456789012:function:another";
        let version = "arn:aws:lambda:us-east-1:123456789012:function:hook:7";
        let text = scheduler_invoke_policy(
            &[other, version, FUNCTION, other],
            &[
                "arn:aws:sqs:us-east-1:123456789012:b",
                "arn:aws:sqs:us-east-1:123456789012:a",
            ],
        );
        assert_eq!(
            text,
            r#"{"Version":"2012-10-17","Statement":[{"Sid":"InvokeTargetFunction","Effect":"Allow","Action":"lambda:InvokeFunction","Resource":["arn:aws:lambda:us-east-1:123456789012:function:another","arn:aws:lambda:us-east-1:123456789012:function:another:*","arn:aws:lambda:us-east-1:123456789012:function:hook:7","arn:aws:lambda:us-east-1:123456789012:function:hook","arn:aws:lambda:us-east-1:123456789012:function:hook:*"]},{"Sid":"SendToDeadLetterQueue","Effect":"Allow","Action":"sqs:SendMessage","Resource":["arn:aws:sqs:us-east-1:123456789012:b","arn:aws:sqs:us-east-1:123456789012:a"]}]}"#
        );
        reparses(&text);
    }

    #[test]
    fn scheduler_invoke_policy_adds_no_wildcard_to_what_is_not_a_function_arn() {
        let text = scheduler_invoke_policy(
            &[
                "hook",
                "arn:aws:sqs:us-east-1:1:q",
                "arn:aws:lambda:us-east-1:1:function:",
            ],
            &[],
        );
        assert_eq!(
            text,
            r#"{"Version":"2012-10-17","Statement":[{"Sid":"InvokeTargetFunction","Effect":"Allow","Action":"lambda:InvokeFunction","Resource":["hook","arn:aws:sqs:us-east-1:1:q","arn:aws:lambda:us-east-1:1:function:"]}]}"#
        );
    }

    #[test]
    fn scheduler_invoke_policy_without_functions_has_no_empty_statement() {
        assert_eq!(
            scheduler_invoke_policy(&[], &[]),
            r#"{"Version":"2012-10-17","Statement":[]}"#
        );
    }

    #[test]
    fn lambda_trust_policy_exact() {
        let text = lambda_trust_policy();
        assert_eq!(
            text,
            r#"{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Principal":{"Service":"lambda.amazonaws.com"},"Action":"sts:AssumeRole"}]}"#
        );
        reparses(&text);
    }

    #[test]
    fn execution_role_policy_minimal_grants_only_its_own_logs() {
        let input = ExecutionPolicyInput {
            partition: "aws-us-gov".to_string(),
            region: "us-gov-west-1".to_string(),
            account_id: ACCOUNT.to_string(),
            function_name: "orders".to_string(),
            ..ExecutionPolicyInput::default()
        };
        let text = execution_role_policy(&input);
        assert_eq!(
            text,
            r#"{"Version":"2012-10-17","Statement":[{"Sid":"CreateLogGroup","Effect":"Allow","Action":"logs:CreateLogGroup","Resource":"arn:aws-us-gov:logs:us-gov-west-1:123456789012:log-group:/aws/lambda/orders"},{"Sid":"WriteLogs","Effect":"Allow","Action":["logs:CreateLogStream","logs:PutLogEvents"],"Resource":"arn:aws-us-gov:logs:us-gov-west-1:123456789012:log-group:/aws/lambda/orders:*"}]}"#
        );
        reparses(&text);
    }

    #[test]
    fn execution_role_policy_with_every_shorthand() {
        let text = execution_role_policy(&full_input());
        let expected = concat!(
            r#"{"Version":"2012-10-17","Statement":["#,
            r#"{"Sid":"CreateLogGroup","Effect":"Allow","Action":"logs:CreateLogGroup","Resource":"arn:aws:logs:eu-west-1:123456789012:log-group:/aws/lambda/orders"},"#,
            r#"{"Sid":"WriteLogs","Effect":"Allow","Action":["logs:CreateLogStream","logs:PutLogEvents"],"Resource":"arn:aws:logs:eu-west-1:123456789012:log-group:/aws/lambda/orders:*"},"#,
            r#"{"Sid":"ConsumeSqsQueues","Effect":"Allow","Action":["sqs:ReceiveMessage","sqs:DeleteMessage","sqs:GetQueueAttributes"],"Resource":"arn:aws:sqs:eu-west-1:123456789012:jobs"},"#,
            r#"{"Sid":"AccessDynamoDbTables","Effect":"Allow","Action":["dynamodb:GetItem","dynamodb:Query"],"Resource":["arn:aws:dynamodb:eu-west-1:123456789012:table/orders","arn:aws:dynamodb:eu-west-1:123456789012:table/orders/index/*"]},"#,
            r#"{"Sid":"ReadSecrets","Effect":"Allow","Action":"secretsmanager:GetSecretValue","Resource":"arn:aws:secretsmanager:eu-west-1:123456789012:secret:db-AbCdEf"},"#,
            r#"{"Sid":"ListS3Buckets","Effect":"Allow","Action":"s3:ListBucket","Resource":"arn:aws:s3:::assets"},"#,
            r#"{"Sid":"ReadS3Objects","Effect":"Allow","Action":"s3:GetObject","Resource":["arn:aws:s3:::assets/*","arn:aws:s3:::uploads/incoming/*"]},"#,
            r#"{"Sid":"PublishEvents","Effect":"Allow","Action":"events:PutEvents","Resource":"arn:aws:events:eu-west-1:123456789012:event-bus/orders"}"#,
            r#"]}"#
        );
        assert_eq!(text, expected);
        reparses(&text);
    }

    #[test]
    fn execution_role_policy_default_dynamodb_actions() {
        let input = ExecutionPolicyInput {
            partition: "aws".to_string(),
            region: "us-east-1".to_string(),
            account_id: ACCOUNT.to_string(),
            function_name: "f".to_string(),
            dynamodb_table_arns: vec!["arn:aws:dynamodb:us-east-1:123456789012:table/t".to_string()],
            ..ExecutionPolicyInput::default()
        };
        let text = execution_role_policy(&input);
        assert!(
            text.contains(r#"{"Sid":"AccessDynamoDbTables","Effect":"Allow","Action":["dynamodb:GetItem","dynamodb:BatchGetItem","dynamodb:Query","dynamodb:PutItem","dynamodb:UpdateItem","dynamodb:DeleteItem","dynamodb:BatchWriteItem","dynamodb:ConditionCheckItem"],"Resource":"arn:aws:dynamodb:us-east-1:123456789012:table/t"}"#),
            "{text}"
        );
        assert!(!text.contains("Scan"));
        reparses(&text);
    }

    #[test]
    fn execution_role_policy_s3_object_arns_get_no_list_bucket() {
        let input = ExecutionPolicyInput {
            partition: "aws".to_string(),
            region: "us-east-1".to_string(),
            account_id: ACCOUNT.to_string(),
            function_name: "f".to_string(),
            s3_read_arns: vec!["arn:aws:s3:::b/reports/2024.csv".to_string()],
            ..ExecutionPolicyInput::default()
        };
        let text = execution_role_policy(&input);
        assert!(!text.contains("s3:ListBucket"), "{text}");
        assert!(
            text.ends_with(r#"{"Sid":"ReadS3Objects","Effect":"Allow","Action":"s3:GetObject","Resource":"arn:aws:s3:::b/reports/2024.csv"}]}"#),
            "{text}"
        );
    }

    #[test]
    fn execution_role_policy_free_statement_without_sid_and_with_repeats() {
        let input = ExecutionPolicyInput {
            partition: "aws".to_string(),
            region: "us-east-1".to_string(),
            account_id: ACCOUNT.to_string(),
            function_name: "f".to_string(),
            statements: vec![FreeStatement {
                sid: None,
                actions: vec!["kms:Decrypt".to_string(), "kms:Decrypt".to_string()],
                resources: vec!["k1".to_string(), "k2".to_string()],
            }],
            ..ExecutionPolicyInput::default()
        };
        let text = execution_role_policy(&input);
        assert!(
            text.ends_with(r#"{"Effect":"Allow","Action":"kms:Decrypt","Resource":["k1","k2"]}]}"#),
            "{text}"
        );
    }

    #[test]
    fn builders_are_deterministic() {
        let input = full_input();
        assert_eq!(
            execution_role_policy(&input),
            execution_role_policy(&input.clone())
        );
        assert_eq!(
            scheduler_trust_policy("aws", "us-east-1", ACCOUNT, Some("g")),
            scheduler_trust_policy("aws", "us-east-1", ACCOUNT, Some("g"))
        );
        for text in [
            execution_role_policy(&input),
            scheduler_invoke_policy(&[FUNCTION], &[]),
            lambda_trust_policy(),
        ] {
            assert!(!text.contains(char::is_whitespace), "{text}");
        }
    }

    #[test]
    fn reordered_builder_output_stays_equivalent() {
        // What IAM may hand back: statements and resources reordered,
        // percent-encoded.
        let built =
            scheduler_invoke_policy(&[FUNCTION], &["arn:aws:sqs:us-east-1:123456789012:dlq"]);
        let returned = "%7B%22Statement%22%3A%5B%7B%22Sid%22%3A%22SendToDeadLetterQueue%22%2C%22Effect%22%3A%22Allow%22%2C%22Action%22%3A%5B%22sqs%3ASendMessage%22%5D%2C%22Resource%22%3A%22arn%3Aaws%3Asqs%3Aus-east-1%3A123456789012%3Adlq%22%7D%2C%7B%22Sid%22%3A%22InvokeTargetFunction%22%2C%22Effect%22%3A%22Allow%22%2C%22Action%22%3A%22lambda%3AInvokeFunction%22%2C%22Resource%22%3A%5B%22arn%3Aaws%3Alambda%3Aus-east-1%3A123456789012%3Afunction%3Ahook%3A%2A%22%2C%22arn%3Aaws%3Alambda%3Aus-east-1%3A123456789012%3Afunction%3Ahook%22%5D%7D%5D%2C%22Version%22%3A%222012-10-17%22%7D";
        assert!(equivalent(&built, returned));
        let widened = scheduler_invoke_policy(&[&format!("{FUNCTION}:live")], &[]);
        assert!(!equivalent(&built, &widened));
    }

    #[test]
    fn wildcard_resources_finds_bare_stars_only() {
        let mut input = full_input();
        input.statements = vec![
            FreeStatement {
                sid: Some("Fine".to_string()),
                actions: vec!["s3:GetObject".to_string()],
                resources: vec!["arn:aws:s3:::b/*".to_string()],
            },
            FreeStatement {
                sid: None,
                actions: vec!["ec2:DescribeInstances".to_string()],
                resources: vec![
                    "*".to_string(),
                    "arn:aws:ec2:*:*:instance/*".to_string(),
                    " * ".to_string(),
                ],
            },
        ];
        assert_eq!(
            wildcard_resources(&input),
            vec![(1, "*".to_string()), (1, " * ".to_string())]
        );
        assert!(wildcard_resources(&full_input()).is_empty());
    }

    #[test]
    fn partition_of_regions() {
        let cases = [
            ("us-east-1", "aws"),
            ("eu-central-2", "aws"),
            ("ap-southeast-5", "aws"),
            ("cn-north-1", "aws-cn"),
            ("cn-northwest-1", "aws-cn"),
            ("us-gov-west-1", "aws-us-gov"),
            ("us-gov-east-1", "aws-us-gov"),
            ("us-iso-east-1", "aws-iso"),
            ("us-isob-east-1", "aws-iso-b"),
            ("eu-isoe-west-1", "aws-iso-e"),
            ("us-isof-south-1", "aws-iso-f"),
            ("", "aws"),
        ];
        for (region, partition) in cases {
            assert_eq!(partition_of(region), partition, "{region}");
        }
    }

    #[test]
    fn partition_of_feeds_the_builders() {
        let region = "us-gov-west-1";
        let text = scheduler_trust_policy(partition_of(region), region, ACCOUNT, Some("g"));
        assert!(
            text.contains("arn:aws-us-gov:scheduler:us-gov-west-1:123456789012:schedule-group/g")
        );
    }
}
