//! Builders of every IAM policy this provider writes: the trust and inline
//! policies of scheduler invoke roles, of Lambda execution roles and of
//! cross-account invoker roles, and the queue grant of an SQS event source.
//!
//! Layer: pure. No I/O. Each builder returns the exact JSON text that the plan
//! shows and that is sent to IAM, so output depends only on the arguments:
//! statement order, list order (input order, first occurrence kept when an
//! entry repeats) and key order are fixed. Serialization follows the rule in
//! [`super::document`]: a one-element list is written as a plain string.

use std::collections::BTreeMap;

use super::actions::qualified_dynamodb_action;
use super::document::{
    decode_iam_document, Conditions, Effect, PolicyDocument, Principal, Statement,
};
use crate::plugin::value::REDACTED;
use crate::validate::arn;

const SCHEDULER_SERVICE: &str = "scheduler.amazonaws.com";
const LAMBDA_SERVICE: &str = "lambda.amazonaws.com";
const ASSUME_ROLE: &str = "sts:AssumeRole";

/// Sids of the statements the builders emit. Fixed so that a reviewer can
/// tell generated statements apart and so that drift shows on a stable name.
pub mod sid {
    /// Scheduler invoke role: `lambda:InvokeFunction` on the target function.
    pub const INVOKE_TARGET_FUNCTION: &str = "InvokeTargetFunction";
    /// Scheduler invoke role: `sqs:SendMessage` on the dead-letter queues.
    pub const SEND_TO_DEAD_LETTER_QUEUE: &str = "SendToDeadLetterQueue";
    /// Invoker's managed role: `kms:Decrypt` of this schedule's payload only.
    pub const DECRYPT_SCHEDULE_PAYLOAD: &str = "DecryptSchedulePayload";
    /// Execution role: `logs:CreateLogGroup` on the function's log group.
    pub const CREATE_LOG_GROUP: &str = "CreateLogGroup";
    /// Execution role: `logs:CreateLogStream` and `logs:PutLogEvents` on its streams.
    pub const WRITE_LOGS: &str = "WriteLogs";
    /// Execution role: the SQS consumer actions on `sqs_queue_arns`.
    pub const CONSUME_SQS_QUEUES: &str = "ConsumeSqsQueues";
    /// Execution role: the DynamoDB actions on `dynamodb_table_arns`.
    pub const ACCESS_DYNAMODB_TABLES: &str = "AccessDynamoDbTables";
    /// Execution role: `secretsmanager:GetSecretValue` on `secret_arns`.
    pub const READ_SECRETS: &str = "ReadSecrets";
    /// Execution role: `s3:ListBucket` on the buckets of `s3_read_arns`.
    pub const LIST_S3_BUCKETS: &str = "ListS3Buckets";
    /// Execution role: `s3:GetObject` on the objects of `s3_read_arns`.
    pub const READ_S3_OBJECTS: &str = "ReadS3Objects";
    /// SQS event source grant: the SQS consumer actions on its one queue.
    pub const CONSUME_SQS_QUEUE: &str = "ConsumeSqsQueue";
    /// SQS event source grant: `kms:Decrypt` on the queue's customer managed key.
    pub const DECRYPT_QUEUE_MESSAGES: &str = "DecryptQueueMessages";
    /// Schedule creator: the schedule actions on the group's schedules.
    pub const MANAGE_SCHEDULES: &str = "ManageSchedules";
    /// Schedule creator: `iam:PassRole` of the scheduler role, to Scheduler only.
    pub const PASS_SCHEDULER_ROLE: &str = "PassSchedulerRole";
}

/// What an application that creates schedules at run time calls:
/// CreateSchedule names the role the schedule runs as, which needs
/// `iam:PassRole` on it (EventBridge Scheduler User Guide, "Setting up the
/// execution role"); the rest manages the schedules it made.
pub const SCHEDULE_CREATOR_ACTIONS: [&str; 4] = [
    "scheduler:CreateSchedule",
    "scheduler:GetSchedule",
    "scheduler:UpdateSchedule",
    "scheduler:DeleteSchedule",
];

/// The statements of an application that creates one-time schedules
/// running as `scheduler_role_arn`: the schedule actions on the schedules
/// of `group` only (every group of the account when `None`), and
/// `iam:PassRole` on exactly that role with `iam:PassedToService =
/// scheduler.amazonaws.com`: a PassRole without that condition would let
/// the application hand the role to any service (the classic escalation).
/// Partition and account come from the role's ARN, which is this account's.
pub fn schedule_creator_statements(
    scheduler_role_arn: &str,
    region: &str,
    group: Option<&str>,
) -> Vec<Statement> {
    let mut fields = scheduler_role_arn.split(':');
    let partition = fields.nth(1).unwrap_or("aws");
    let account = fields.nth(2).unwrap_or_default();
    let schedules = format!(
        "arn:{partition}:scheduler:{region}:{account}:schedule/{}/*",
        group.unwrap_or("*")
    );
    let manage = allow(
        Some(sid::MANAGE_SCHEDULES),
        &SCHEDULE_CREATOR_ACTIONS,
        [schedules],
    );
    let role = [scheduler_role_arn.to_string()];
    let pass =
        allow(Some(sid::PASS_SCHEDULER_ROLE), &["iam:PassRole"], role).map(|statement| Statement {
            condition: Conditions::from([(
                "StringEquals".to_string(),
                BTreeMap::from([(
                    "iam:PassedToService".to_string(),
                    vec!["scheduler.amazonaws.com".to_string()],
                )]),
            )]),
            ..statement
        });
    [manage, pass].into_iter().flatten().collect()
}

/// [`schedule_creator_statements`] as a policy document: a scheduler
/// role's `creator_policy_json`.
pub fn schedule_creator_policy(
    scheduler_role_arn: &str,
    region: &str,
    group: Option<&str>,
) -> String {
    PolicyDocument::new(schedule_creator_statements(
        scheduler_role_arn,
        region,
        group,
    ))
    .to_json()
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
    /// `None`: IAM's policy has no `Sid` for it.
    pub sid: Option<String>,
    /// IAM actions as the user wrote them (`s3:PutObject`, `sqs:*`).
    pub actions: Vec<String>,
    /// Resource ARNs as the user wrote them.
    pub resources: Vec<String>,
}

/// Everything the execution role's inline policy is built from. Empty lists
/// produce no statement.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct ExecutionPolicyInput {
    /// The partition of the function's log group ARN (`aws`, `aws-cn`, ...).
    pub partition: String,
    /// The region of the function's log group ARN.
    pub region: String,
    /// The account of the function's log group ARN: the function's own.
    pub account_id: String,
    /// The function's name (not an ARN): its log group is `/aws/lambda/<name>`.
    pub function_name: String,
    /// SQS queue ARNs the function reads.
    pub sqs_queue_arns: Vec<String>,
    /// Table ARNs, given as is: `<table-arn>/index/*` grants the indexes.
    pub dynamodb_table_arns: Vec<String>,
    /// `GetItem` or `dynamodb:GetItem`; empty means
    /// [`DEFAULT_DYNAMODB_ACTIONS`].
    pub dynamodb_actions: Vec<String>,
    /// Secrets Manager secret ARNs, with their random suffix or `-??????` in its place.
    pub secret_arns: Vec<String>,
    /// Bucket ARNs (`arn:aws:s3:::bucket`) or object ARNs
    /// (`arn:aws:s3:::bucket/prefix/*`).
    pub s3_read_arns: Vec<String>,
    /// Applications of the function that create schedules at run time:
    /// each adds the statements of a scheduler role's creator policy.
    pub schedule_creators: Vec<ScheduleCreator>,
    /// The user's own `statement` blocks, written after the shorthand ones.
    pub statements: Vec<FreeStatement>,
}

/// One `schedule_creator` block of an execution role: the function creates
/// schedules in `schedule_group` (every group of the account when `None`)
/// that run as `scheduler_role_arn`.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ScheduleCreator {
    /// The role the schedules run as, passed to Scheduler only.
    pub scheduler_role_arn: String,
    /// The group whose schedules the function manages.
    pub schedule_group: Option<String>,
}

/// The `Sid` of the `n`-th (from 0) schedule creator's statement `base`:
/// the first keeps the name the scheduler role's `creator_policy_json`
/// uses, so the two read alike; the later ones are numbered from 2, since
/// the Sids of one policy must differ.
pub fn schedule_creator_sid(base: &str, n: usize) -> String {
    if n == 0 {
        base.to_string()
    } else {
        format!("{base}{}", n + 1)
    }
}

/// Which schedule creator (from 0) a `Sid` written by
/// [`schedule_creator_sid`] for `base` belongs to.
pub fn schedule_creator_index(sid: &str, base: &str) -> Option<usize> {
    let rest = sid.strip_prefix(base)?;
    if rest.is_empty() {
        return Some(0);
    }
    // "ManageSchedules02" or "ManageSchedules1" was never written.
    match rest.parse::<usize>() {
        Ok(n) if n >= 2 && !rest.starts_with('0') => Some(n - 1),
        _ => None,
    }
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
    PolicyDocument::new(invoke_statements(function_arns, dead_letter_arns)).to_json()
}

/// A schedule's customer managed key, and the schedule it encrypts.
pub struct ScheduleKey<'a> {
    /// ARN of the customer managed KMS key the schedule's input is encrypted with.
    pub key_arn: &'a str,
    /// ARN of the schedule whose payload the role may decrypt: the value of
    /// the encryption context the condition requires.
    pub schedule_arn: &'a str,
}

/// Inline policy of one invoker's managed role: [`scheduler_invoke_policy`]
/// for its function and dead-letter queue, plus, with a customer managed key,
/// `kms:Decrypt` on exactly that key and only for this schedule's payload.
/// Scheduler encrypts the payload with the encryption context
/// `aws:scheduler:schedule:arn` = the schedule's ARN, and AWS's own example
/// policy for a schedule with a customer managed key conditions the key on
/// `kms:EncryptionContext:aws:scheduler:schedule:arn` ("Using
/// identity-based policies in EventBridge Scheduler", Example:
/// CreateSchedule). The condition keeps the role from decrypting anything
/// else the key protects.
pub fn invoker_policy(
    function_arn: &str,
    dead_letter_arn: Option<&str>,
    key: Option<&ScheduleKey>,
) -> String {
    let mut statements = invoke_statements(&[function_arn], dead_letter_arn.as_slice());
    if let Some(key) = key {
        let mut condition = Conditions::new();
        condition.insert(
            "ArnEquals".to_string(),
            BTreeMap::from([(
                "kms:EncryptionContext:aws:scheduler:schedule:arn".to_string(),
                vec![key.schedule_arn.to_string()],
            )]),
        );
        statements.push(Statement {
            sid: Some(sid::DECRYPT_SCHEDULE_PAYLOAD.to_string()),
            action: vec!["kms:Decrypt".to_string()],
            resource: vec![key.key_arn.to_string()],
            condition,
            ..Statement::new(Effect::Allow)
        });
    }
    PolicyDocument::new(statements).to_json()
}

fn invoke_statements(function_arns: &[&str], dead_letter_arns: &[&str]) -> Vec<Statement> {
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
    statements.into_iter().flatten().collect()
}

/// The condition key of the secret a third party presents when it assumes a
/// role ("confused deputy" protection for cross-account roles).
pub const EXTERNAL_ID_KEY: &str = "sts:ExternalId";
const PRINCIPAL_ORG_ID_KEY: &str = "aws:PrincipalOrgID";

/// Who may assume a cross-account invoker role, and on what conditions.
#[derive(Clone, Copy, Debug)]
pub struct CrossAccountTrust<'a> {
    /// The partition of the root ARN an account id in `principals` becomes.
    pub partition: &'a str,
    /// 12-digit account ids or IAM role or user ARNs.
    pub principals: &'a [&'a str],
    /// `sts:ExternalId` the assumer must present; `None`: no such condition.
    pub external_id: Option<&'a str>,
    /// `aws:PrincipalOrgID` the assumer must belong to; `None`: no such condition.
    pub principal_org_id: Option<&'a str>,
}

/// Trust policy of a cross-account invoker role: one `sts:AssumeRole`
/// statement for exactly `principals` (`AWS` principals in input order,
/// repeats dropped), an account id written as its root ARN
/// `arn:<partition>:iam::<id>:root` (the form IAM stores an account id in,
/// so what IAM returns compares equal), and `StringEquals` on
/// `sts:ExternalId` and `aws:PrincipalOrgID` when given.
pub fn cross_account_trust_policy(trust: &CrossAccountTrust) -> String {
    let principals = dedup(trust.principals.iter().map(|p| {
        if arn::is_account(p) {
            format!("arn:{}:iam::{p}:root", trust.partition)
        } else {
            (*p).to_string()
        }
    }));
    let equals: BTreeMap<String, Vec<String>> = [
        (EXTERNAL_ID_KEY, trust.external_id),
        (PRINCIPAL_ORG_ID_KEY, trust.principal_org_id),
    ]
    .into_iter()
    .filter_map(|(key, value)| Some((key.to_string(), vec![value?.to_string()])))
    .collect();
    let mut condition = Conditions::new();
    if !equals.is_empty() {
        condition.insert("StringEquals".to_string(), equals);
    }
    PolicyDocument::new(vec![Statement {
        principal: Some(Principal::Typed(BTreeMap::from([(
            "AWS".to_string(),
            principals,
        )]))),
        action: vec![ASSUME_ROLE.to_string()],
        condition,
        ..Statement::new(Effect::Allow)
    }])
    .to_json()
}

/// Inline policy of a cross-account invoker role: `lambda:InvokeFunction`
/// on each function, and on the versions and aliases (`<arn>:*`) of an
/// unqualified one, as in [`scheduler_invoke_policy`]; nothing else.
pub fn cross_account_invoke_policy(function_arns: &[&str]) -> String {
    PolicyDocument::new(invoke_statements(function_arns, &[])).to_json()
}

/// A trust policy as it may be shown: each `sts:ExternalId` value (under any
/// operator; condition keys are case-insensitive) replaced by [`REDACTED`].
/// A document without one is returned byte for byte; one that does not
/// parse but names the key is shown as [`REDACTED`] whole, since it cannot
/// be shown to hold no secret.
pub fn redact_external_id(trust: &str) -> String {
    let Ok(mut doc) = PolicyDocument::parse(trust) else {
        let named = decode_iam_document(trust)
            .to_ascii_lowercase()
            .contains(&EXTERNAL_ID_KEY.to_ascii_lowercase());
        return if named {
            REDACTED.to_string()
        } else {
            trust.to_string()
        };
    };
    let mut redacted = false;
    for statement in &mut doc.statements {
        for (key, values) in statement.condition.values_mut().flatten() {
            if key.eq_ignore_ascii_case(EXTERNAL_ID_KEY) {
                *values = vec![REDACTED.to_string()];
                redacted = true;
            }
        }
    }
    if redacted {
        doc.to_json()
    } else {
        trust.to_string()
    }
}

/// The `sts:ExternalId` a trust policy requires (the first one, under any
/// operator), for reading a role back.
pub fn external_id_of(trust: &str) -> Option<String> {
    let doc = PolicyDocument::parse(trust).ok()?;
    doc.statements.iter().find_map(|st| {
        st.condition.values().find_map(|keys| {
            keys.iter()
                .find(|(k, _)| k.eq_ignore_ascii_case(EXTERNAL_ID_KEY))
                .and_then(|(_, v)| v.first().cloned())
        })
    })
}

/// The grant an SQS event source mapping needs on the function's execution
/// role, and no more: [`SQS_CONSUMER_ACTIONS`] on the queue and, for a
/// queue encrypted with a customer managed key, `kms:Decrypt` on that key
/// (Lambda's poller reads the messages with the execution role, so it
/// needs both: https://docs.aws.amazon.com/AWSSimpleQueueService/latest/SQSDeveloperGuide/sqs-configure-lambda-function-trigger.html).
///
/// The poller never calls KMS itself: SQS decrypts on ReceiveMessage with
/// the caller's rights. So `kms:Decrypt` holds only through SQS of the
/// queue's region (`kms:ViaService`), and the role cannot decrypt with
/// the key directly or through another service the key also serves.
pub fn sqs_event_source_policy(queue_arn: &str, kms_key_arn: Option<&str>) -> String {
    let decrypt = allow(
        Some(sid::DECRYPT_QUEUE_MESSAGES),
        &["kms:Decrypt"],
        kms_key_arn.map(str::to_string),
    )
    .map(|statement| Statement {
        condition: via_sqs_of(queue_arn),
        ..statement
    });
    let statements = [
        allow(
            Some(sid::CONSUME_SQS_QUEUE),
            &SQS_CONSUMER_ACTIONS,
            [queue_arn.to_string()],
        ),
        decrypt,
    ];
    PolicyDocument::new(statements.into_iter().flatten().collect()).to_json()
}

/// `kms:ViaService = sqs.<region>.amazonaws.com`, the region the queue's
/// ARN names. Only validated ARNs reach the builder; an unreadable one
/// would give a service name that matches no call, so the statement fails
/// closed rather than losing its condition.
fn via_sqs_of(queue_arn: &str) -> Conditions {
    let region = arn::sqs_queue(queue_arn).map_or("", |queue| queue.region);
    Conditions::from([(
        "StringEquals".to_string(),
        BTreeMap::from([(
            "kms:ViaService".to_string(),
            vec![format!("sqs.{region}.amazonaws.com")],
        )]),
    )])
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
    let (buckets, objects) = s3_read_resources(&input.s3_read_arns);

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
            dynamodb_actions(&input.dynamodb_actions),
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

    statements.extend(numbered_creator_statements(
        &input.schedule_creators,
        &input.region,
    ));
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

/// The statements of each schedule creator in turn, under the Sids of
/// [`schedule_creator_sid`].
fn numbered_creator_statements(creators: &[ScheduleCreator], region: &str) -> Vec<Statement> {
    creators
        .iter()
        .enumerate()
        .flat_map(|(n, creator)| {
            schedule_creator_statements(
                &creator.scheduler_role_arn,
                region,
                creator.schedule_group.as_deref(),
            )
            .into_iter()
            .map(move |statement| Statement {
                sid: statement.sid.map(|base| schedule_creator_sid(&base, n)),
                ..statement
            })
        })
        .collect()
}

/// The DynamoDB actions granted: those given, each with its `dynamodb:`
/// prefix, or [`DEFAULT_DYNAMODB_ACTIONS`] when none are.
fn dynamodb_actions(given: &[String]) -> Vec<String> {
    if given.is_empty() {
        DEFAULT_DYNAMODB_ACTIONS
            .iter()
            .map(|a| (*a).to_string())
            .collect()
    } else {
        given
            .iter()
            .map(|action| qualified_dynamodb_action(action))
            .collect()
    }
}

/// `s3_read_arns` as the resources of `s3:ListBucket` (the buckets) and of
/// `s3:GetObject` (every bucket's objects, and the object ARNs as given).
fn s3_read_resources(arns: &[String]) -> (Vec<String>, Vec<String>) {
    let buckets = arns.iter().filter(|arn| !names_objects(arn)).cloned();
    let objects = arns.iter().map(|arn| {
        if names_objects(arn) {
            arn.clone()
        } else {
            format!("{arn}/*")
        }
    });
    (buckets.collect(), objects.collect())
}

/// Does a free statement's resource grant beyond named objects, and so need
/// `allow_wildcard_resources`? A bare `"*"` does, and so does an ARN whose
/// region or account is a wildcard (`arn:aws:ec2:*:*:instance/*` is every
/// instance of every account). Wildcards in the resource part stay within
/// one service, region and account and are the free statement's purpose
/// (`arn:aws:s3:::bucket/*`), so they need no opt-in. Validation refuses
/// surrounding whitespace, so `" * "` never reaches this test.
pub fn needs_wildcard_opt_in(resource: &str) -> bool {
    resource == "*"
        || arn::parse_pattern(resource)
            .is_ok_and(|a| arn::has_wildcard(a.region) || arn::has_wildcard(a.account))
}

/// Free statements' resources that [`needs_wildcard_opt_in`], as `(index
/// into input.statements, the resource as written)`, one entry per
/// occurrence.
pub fn wildcard_resources(input: &ExecutionPolicyInput) -> Vec<(usize, String)> {
    input
        .statements
        .iter()
        .enumerate()
        .flat_map(|(index, free)| {
            free.resources
                .iter()
                .filter(|resource| needs_wildcard_opt_in(resource))
                .map(move |resource| (index, resource.clone()))
        })
        .collect()
}

/// `arn:<p>:lambda:<region>:<account>:function:<name>` with no qualifier.
fn is_unqualified_function_arn(text: &str) -> bool {
    arn::lambda_function(text).is_ok_and(|f| f.qualifier.is_none())
}

/// An S3 ARN whose resource part has a `/` names objects (`bucket/key`);
/// without one it names a bucket.
fn names_objects(text: &str) -> bool {
    arn::parse(text).is_ok_and(|a| a.resource.contains('/'))
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

    #[test]
    fn a_schedule_creator_may_manage_its_groups_schedules_and_pass_the_role_to_scheduler_only() {
        let role = "arn:aws:iam::123456789012:role/ops/callbacks";
        let text = schedule_creator_policy(role, "eu-west-1", Some("callbacks"));
        let policy: serde_json::Value = serde_json::from_str(&text).expect("JSON");
        let statements = policy["Statement"].as_array().expect("statements");
        assert_eq!(statements.len(), 2, "{text}");
        let manage = &statements[0];
        assert_eq!(
            manage["Resource"],
            "arn:aws:scheduler:eu-west-1:123456789012:schedule/callbacks/*"
        );
        let actions = manage["Action"].to_string();
        for action in SCHEDULE_CREATOR_ACTIONS {
            assert!(actions.contains(action), "{action}: {manage}");
        }
        assert!(manage.get("Condition").is_none());
        let pass = &statements[1];
        assert_eq!(pass["Action"], "iam:PassRole");
        assert_eq!(pass["Resource"], role, "exactly this role");
        assert_eq!(
            pass["Condition"]["StringEquals"]["iam:PassedToService"],
            "scheduler.amazonaws.com"
        );
        let any_group =
            schedule_creator_policy("arn:aws-cn:iam::123456789012:role/r", "cn-north-1", None);
        assert!(
            any_group.contains("arn:aws-cn:scheduler:cn-north-1:123456789012:schedule/*/*"),
            "{any_group}"
        );
    }

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
            schedule_creators: Vec::new(),
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
                r#"{{"Version":"2012-10-17","Statement":[{{"Sid":"ConsumeSqsQueue","Effect":"Allow","Action":["sqs:ReceiveMessage","sqs:DeleteMessage","sqs:GetQueueAttributes"],"Resource":"arn:aws:sqs:us-east-1:123456789012:orders.fifo"}},{{"Sid":"DecryptQueueMessages","Effect":"Allow","Action":"kms:Decrypt","Resource":"{key}","Condition":{{"StringEquals":{{"kms:ViaService":"sqs.us-east-1.amazonaws.com"}}}}}}]}}"#
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
    fn sqs_event_source_policy_decrypts_only_through_sqs_of_the_queues_region() {
        let key = "arn:aws:kms:eu-west-1:123456789012:key/k";
        let text = sqs_event_source_policy("arn:aws:sqs:eu-west-1:123456789012:orders", Some(key));
        let doc = PolicyDocument::parse(&text).unwrap();
        let decrypt = &doc.statements[1];
        assert_eq!(decrypt.action, ["kms:Decrypt"]);
        assert_eq!(
            decrypt.condition,
            Conditions::from([(
                "StringEquals".to_string(),
                BTreeMap::from([(
                    "kms:ViaService".to_string(),
                    vec!["sqs.eu-west-1.amazonaws.com".to_string()]
                )])
            )])
        );
        let unconditioned = text.replace(
            r#","Condition":{"StringEquals":{"kms:ViaService":"sqs.eu-west-1.amazonaws.com"}}"#,
            "",
        );
        assert_ne!(unconditioned, text);
        assert!(
            !equivalent(&text, &unconditioned),
            "a grant without the condition is drift"
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

    /// Each schedule creator adds exactly a scheduler role's creator
    /// statements, the first under the same Sids, the later ones numbered
    /// so that no two Sids of the policy are alike; the numbering reads back.
    #[test]
    fn execution_role_policy_schedule_creators() {
        let role = |name: &str| format!("arn:aws:iam::{ACCOUNT}:role/{name}");
        let input = ExecutionPolicyInput {
            partition: "aws".to_string(),
            region: "us-east-1".to_string(),
            account_id: ACCOUNT.to_string(),
            function_name: "f".to_string(),
            schedule_creators: vec![
                ScheduleCreator {
                    scheduler_role_arn: role("callbacks"),
                    schedule_group: Some("callbacks".to_string()),
                },
                ScheduleCreator {
                    scheduler_role_arn: role("reminders"),
                    schedule_group: None,
                },
            ],
            ..ExecutionPolicyInput::default()
        };
        let doc = PolicyDocument::parse(&execution_role_policy(&input)).unwrap();
        let first = schedule_creator_statements(&role("callbacks"), "us-east-1", Some("callbacks"));
        let second = schedule_creator_statements(&role("reminders"), "us-east-1", None);
        let sids: Vec<_> = doc
            .statements
            .iter()
            .filter_map(|s| s.sid.clone())
            .collect();
        assert_eq!(
            sids,
            [
                "CreateLogGroup",
                "WriteLogs",
                "ManageSchedules",
                "PassSchedulerRole",
                "ManageSchedules2",
                "PassSchedulerRole2"
            ]
        );
        assert_eq!(doc.statements[2..4], first[..]);
        for (written, built) in doc.statements[4..].iter().zip(&second) {
            assert_eq!(
                Statement {
                    sid: None,
                    ..written.clone()
                },
                Statement {
                    sid: None,
                    ..built.clone()
                }
            );
        }
        assert!(doc.statements[4].resource[0].ends_with(":schedule/*/*"));
        for (n, sid) in [
            (0, "ManageSchedules"),
            (1, "ManageSchedules2"),
            (9, "ManageSchedules10"),
        ] {
            assert_eq!(schedule_creator_sid(sid::MANAGE_SCHEDULES, n), sid);
            assert_eq!(schedule_creator_index(sid, sid::MANAGE_SCHEDULES), Some(n));
        }
        for never in [
            "ManageSchedules1",
            "ManageSchedules02",
            "ManageSchedulesX",
            "Manage",
        ] {
            assert_eq!(
                schedule_creator_index(never, sid::MANAGE_SCHEDULES),
                None,
                "{never}"
            );
        }
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
    fn wildcard_resources_finds_stars_and_wildcard_scopes() {
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
                    "arn:aws:ec2:us-east-1:12345678901?:instance/*".to_string(),
                    "arn:aws:ec2:us-east-1:123456789012:instance/*".to_string(),
                ],
            },
        ];
        assert_eq!(
            wildcard_resources(&input),
            vec![
                (1, "*".to_string()),
                (1, "arn:aws:ec2:*:*:instance/*".to_string()),
                (
                    1,
                    "arn:aws:ec2:us-east-1:12345678901?:instance/*".to_string()
                ),
            ]
        );
        assert!(wildcard_resources(&full_input()).is_empty());
    }

    #[test]
    fn partition_of_feeds_the_builders() {
        let region = "us-gov-west-1";
        let text = scheduler_trust_policy(arn::partition_of(region), region, ACCOUNT, Some("g"));
        assert!(
            text.contains("arn:aws-us-gov:scheduler:us-gov-west-1:123456789012:schedule-group/g")
        );
    }

    const PARTNER: &str = "arn:aws:iam::987654321098:role/CallerRole";

    #[test]
    fn cross_account_trust_policy_exact() {
        let text = cross_account_trust_policy(&CrossAccountTrust {
            partition: "aws",
            principals: &[PARTNER, "555555555555", PARTNER],
            external_id: Some("s3cret"),
            principal_org_id: Some("o-a1b2c3d4e5"),
        });
        assert_eq!(
            text,
            r#"{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Principal":{"AWS":["arn:aws:iam::987654321098:role/CallerRole","arn:aws:iam::555555555555:root"]},"Action":"sts:AssumeRole","Condition":{"StringEquals":{"aws:PrincipalOrgID":"o-a1b2c3d4e5","sts:ExternalId":"s3cret"}}}]}"#
        );
        reparses(&text);
    }

    #[test]
    fn cross_account_trust_policy_without_conditions_has_none() {
        let text = cross_account_trust_policy(&CrossAccountTrust {
            partition: "aws-cn",
            principals: &["555555555555"],
            external_id: None,
            principal_org_id: None,
        });
        assert_eq!(
            text,
            r#"{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Principal":{"AWS":"arn:aws-cn:iam::555555555555:root"},"Action":"sts:AssumeRole"}]}"#
        );
    }

    #[test]
    fn cross_account_invoke_policy_grants_invoke_only() {
        let qualified = "arn:aws:lambda:us-east-1:123456789012:function:hook:live";
        assert_eq!(
            cross_account_invoke_policy(&[FUNCTION, qualified]),
            format!(
                r#"{{"Version":"2012-10-17","Statement":[{{"Sid":"InvokeTargetFunction","Effect":"Allow","Action":"lambda:InvokeFunction","Resource":["{FUNCTION}","{FUNCTION}:*","{qualified}"]}}]}}"#
            )
        );
    }

    #[test]
    fn the_external_id_is_redacted_and_read_back() {
        let sent = cross_account_trust_policy(&CrossAccountTrust {
            partition: "aws",
            principals: &[PARTNER],
            external_id: Some("s3cret"),
            principal_org_id: None,
        });
        let shown = redact_external_id(&sent);
        assert_eq!(shown, sent.replace("s3cret", REDACTED));
        assert_eq!(external_id_of(&sent).as_deref(), Some("s3cret"));
        assert_eq!(external_id_of(&shown).as_deref(), Some(REDACTED));

        // As IAM may return it: percent-encoded, another case, another operator.
        let odd = r#"%7B%22Statement%22%3A%7B%22Effect%22%3A%22Allow%22%2C%22Principal%22%3A%7B%22AWS%22%3A%22arn%3Aaws%3Aiam%3A%3A987654321098%3Aroot%22%7D%2C%22Action%22%3A%22sts%3AAssumeRole%22%2C%22Condition%22%3A%7B%22StringLike%22%3A%7B%22STS%3AExternalID%22%3A%22s3cret%22%7D%7D%7D%7D"#;
        let shown = redact_external_id(odd);
        assert!(
            !shown.contains("s3cret") && shown.contains(REDACTED),
            "{shown}"
        );
        assert_eq!(external_id_of(odd).as_deref(), Some("s3cret"));

        let plain = lambda_trust_policy();
        assert_eq!(redact_external_id(&plain), plain, "untouched byte for byte");
        assert_eq!(external_id_of(&plain), None);
        assert_eq!(
            redact_external_id(r#"{"sts:ExternalId":"s3cret""#),
            REDACTED
        );
        assert_eq!(redact_external_id("not json"), "not json");
    }
}
