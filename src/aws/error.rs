//! AWS failures: one classification of error codes, and one mapping of an
//! SDK error to a diagnostic that names the operation, the code, the message,
//! the request id and, for the common codes, a hint.

use crate::plugin::Diagnostics;
use aws_smithy_runtime_api::client::result::SdkError;
use aws_smithy_runtime_api::http::Response;
use aws_smithy_types::error::display::DisplayErrorContext;
use aws_smithy_types::error::metadata::ProvideErrorMetadata;
use aws_types::request_id::RequestId;

/// What a failure means for the caller's control flow.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum ErrorKind {
    /// The object does not exist: finders answer `None`, deletes succeed.
    NotFound,
    /// An object of that name exists; whose it is, the caller decides.
    AlreadyExists,
    /// Another change to the same object is in progress: retry.
    Conflict,
    /// AWS refused the rate of calls, even after the SDK's retries.
    Throttled,
    /// A service does not yet see what IAM has just written: Scheduler
    /// cannot assume a new role, Lambda finds an execution role without the
    /// queue permissions just granted to it.
    IamNotPropagated,
    /// The identity lacks a permission (an IAM policy, a boundary or an SCP).
    AccessDenied,
    /// The credentials themselves are refused: unknown, expired, mis-signed.
    InvalidCredentials,
    /// A quota is reached: roles per account, policy size, schedules per account.
    LimitExceeded,
    /// The request never got an answer (connection, timeout): may have applied.
    Transport,
    /// Anything else: a definite refusal, not retried.
    Other,
}

/// One failed AWS call.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct AwsError {
    /// The API operation, as AWS names it (`CreateRole`): the diagnostic's first word.
    pub operation: &'static str,
    /// AWS's error code (`NoSuchEntity`), or `RequestFailed` / `RequestNotSent`
    /// when no answer came or nothing was sent.
    pub code: String,
    /// AWS's message, or the SDK's account of a failure with no answer.
    pub message: String,
    /// The request id AWS answered with, for a support case; `None` when no answer came.
    pub request_id: Option<String>,
    /// The code's meaning for the caller (see [`classify`]).
    pub kind: ErrorKind,
}

/// Scheduler's answer while a new role has not propagated through IAM:
/// a ValidationException that is permanent in shape but transient in fact.
const NOT_PROPAGATED_MESSAGE: &str = "must allow AWS EventBridge Scheduler to assume the role";

/// Lambda's InvalidParameterValueException texts while an execution role's
/// new permissions have not propagated (CreateEventSourceMapping and
/// UpdateEventSourceMapping check the role): "The provided execution role
/// does not have permissions to call ReceiveMessage on SQS"
/// (https://github.com/aws/aws-cdk/issues/6770; newer answers say "The
/// function execution role ..."). The same call succeeds once IAM has
/// caught up; hashicorp/aws retries these three texts for the same reason
/// (internal/service/lambda/event_source_mapping.go, retryEventSourceMapping).
const LAMBDA_ROLE_NOT_PROPAGATED: [&str; 3] = [
    "execution role does not have permissions",
    "cannot be assumed by Lambda",
    "ensure the role can perform",
];

/// Classify by AWS error code (and message, where one code means two things).
pub fn classify(code: &str, message: &str) -> ErrorKind {
    match code {
        // SNS says `NotFound` for a topic or subscription that does not exist.
        "NoSuchEntity"
        | "NoSuchEntityException"
        | "ResourceNotFoundException"
        | "NotFound"
        | "NoSuchBucket" => ErrorKind::NotFound,
        "EntityAlreadyExists" | "ResourceAlreadyExistsException" => ErrorKind::AlreadyExists,
        // SNS Subscribe: "Invalid parameter: Attributes Reason: Subscription
        // already exists with different attributes".
        "InvalidParameter" if message.contains("already exists") => ErrorKind::AlreadyExists,
        "ConflictException" if message.contains("already exists") => ErrorKind::AlreadyExists,
        "ResourceConflictException" if message.contains("already exists") => {
            ErrorKind::AlreadyExists
        }
        "ConflictException"
        | "ResourceConflictException"
        | "ConcurrentModification"
        | "ConcurrentModificationException"
        | "PreconditionFailedException" => ErrorKind::Conflict,
        "Throttling"
        | "ThrottlingException"
        | "TooManyRequestsException"
        | "RequestLimitExceeded"
        | "ProvisionedThroughputExceededException" => ErrorKind::Throttled,
        "ValidationException" if message.contains(NOT_PROPAGATED_MESSAGE) => {
            ErrorKind::IamNotPropagated
        }
        "InvalidParameterValueException"
            if LAMBDA_ROLE_NOT_PROPAGATED
                .iter()
                .any(|text| message.contains(text)) =>
        {
            ErrorKind::IamNotPropagated
        }
        // Lambda: the event source mapping is Creating, Updating, ...
        "ResourceInUseException" => ErrorKind::Conflict,
        "AccessDenied" | "AccessDeniedException" | "UnauthorizedOperation" => {
            ErrorKind::AccessDenied
        }
        "UnrecognizedClientException"
        | "InvalidClientTokenId"
        | "ExpiredToken"
        | "ExpiredTokenException"
        | "SignatureDoesNotMatch"
        | "InvalidSignatureException"
        | "IncompleteSignature" => ErrorKind::InvalidCredentials,
        "LimitExceeded"
        | "LimitExceededException"
        | "ServiceQuotaExceededException"
        | "PolicyLengthExceededException" => ErrorKind::LimitExceeded,
        _ => ErrorKind::Other,
    }
}

impl AwsError {
    /// Build from any SDK error of any service.
    pub fn from_sdk<E>(operation: &'static str, err: SdkError<E, Response>) -> Self
    where
        E: ProvideErrorMetadata + std::error::Error + Send + Sync + 'static,
    {
        let request_id = err
            .request_id()
            .or_else(|| err.meta().request_id())
            .map(str::to_string);
        let failure = match &err {
            SdkError::ServiceError(_) => {
                let code = err.code().unwrap_or("Unknown").to_string();
                let message = err.message().unwrap_or_default().to_string();
                let kind = classify(&code, &message);
                AwsError {
                    operation,
                    code,
                    message,
                    request_id,
                    kind,
                }
            }
            SdkError::TimeoutError(_)
            | SdkError::DispatchFailure(_)
            | SdkError::ResponseError(_) => AwsError {
                operation,
                code: "RequestFailed".into(),
                message: DisplayErrorContext(&err).to_string(),
                request_id,
                kind: ErrorKind::Transport,
            },
            _ => AwsError {
                operation,
                code: "RequestNotSent".into(),
                message: DisplayErrorContext(&err).to_string(),
                request_id,
                kind: ErrorKind::Other,
            },
        };
        // Not-found is an answer, not a failure: finders turn it into None.
        if failure.kind != ErrorKind::NotFound {
            tracing::debug!(
                operation,
                code = %failure.code,
                request_id = failure.request_id.as_deref().unwrap_or("none"),
                "AWS call failed"
            );
        }
        failure
    }

    /// Whether the failure is of `kind`.
    pub fn is(&self, kind: ErrorKind) -> bool {
        self.kind == kind
    }

    /// What to do about it, for the codes users meet most.
    pub fn hint(&self) -> Option<String> {
        let action = operation_action(self.operation);
        match self.kind {
            ErrorKind::AccessDenied => Some(format!(
                "the credentials Terraform uses need permission for {} on this resource; check \
                 the identity's policies, permission boundaries and any SCP.",
                missing_actions(self.operation, &self.message)
            )),
            ErrorKind::InvalidCredentials => Some(
                "AWS does not accept the credentials themselves (unknown, expired or wrongly \
                 signed): refresh them (`aws sso login`, a new session token) or check \
                 `profile`, `access_key` and the clock of this machine. No permission is missing."
                    .into(),
            ),
            ErrorKind::LimitExceeded if self.code == "PolicyLengthExceededException" => Some(
                "the function's resource policy is over Lambda's 20 KB limit: scope one statement \
                 by `source_account` or `principal_org_id` instead of one statement per source."
                    .into(),
            ),
            ErrorKind::LimitExceeded => Some(format!(
                "an AWS quota was reached by `{action}` (for IAM: roles per account, inline policy \
                 size; for Scheduler: schedules per account). Share one \
                 `lambdawire_scheduler_invoke_role` between invokers, or request a quota increase."
            )),
            ErrorKind::Throttled => Some(
                "AWS throttled the request even after retries: raise `max_retries`, set \
                 `retry_mode = \"adaptive\"`, or lower `-parallelism`."
                    .into(),
            ),
            ErrorKind::IamNotPropagated
                if matches!(
                    self.operation,
                    "CreateEventSourceMapping" | "UpdateEventSourceMapping"
                ) =>
            {
                Some(
                    "Lambda still finds the function's execution role without the queue \
                     permissions: check that `role_name` is the role the function runs with, \
                     and that no permissions boundary, SCP or queue policy denies them; if IAM \
                     is only slow, raise `timeouts.create` or `timeouts.update`."
                        .into(),
                )
            }
            ErrorKind::IamNotPropagated => Some(
                "IAM did not propagate the new role within the timeout: raise `timeouts.create` \
                 or `timeouts.update`, and check the role's trust policy."
                    .into(),
            ),
            ErrorKind::Transport => Some(
                "no answer came back from AWS: check the network, the region and any \
                 `endpoints` override."
                    .into(),
            ),
            _ => None,
        }
    }

    /// The diagnostic detail: operation, code, message, request id, hint.
    pub fn detail(&self) -> String {
        let mut detail = format!("{}: {}", self.operation, self.code);
        if !self.message.is_empty() {
            detail.push_str(": ");
            detail.push_str(&self.message);
        }
        detail.push_str(&format!(
            " (request id: {})",
            self.request_id.as_deref().unwrap_or("none")
        ));
        if let Some(hint) = self.hint() {
            detail.push_str("\nHint: ");
            detail.push_str(&hint);
        }
        detail
    }

    /// Add as an error whose summary says what we were doing, in the
    /// hashicorp/aws grammar: "creating Scheduler Schedule (default/nightly)".
    pub fn report(&self, diags: &mut Diagnostics, doing: &str) {
        diags.root_error(format!("{doing}: {}", self.code), self.detail());
    }
}

/// A read of something that may not exist: `None` when AWS says it is gone.
pub fn not_found_is_none<T>(result: Result<T, AwsError>) -> Result<Option<T>, AwsError> {
    match result {
        Ok(value) => Ok(Some(value)),
        Err(err) if err.is(ErrorKind::NotFound) => Ok(None),
        Err(err) => Err(err),
    }
}

/// The pages of a listing, or its first failure, named by its operation.
pub fn every_page<T, E>(
    operation: &'static str,
    pages: Vec<Result<T, SdkError<E, Response>>>,
) -> Result<Vec<T>, AwsError>
where
    E: ProvideErrorMetadata + std::error::Error + Send + Sync + 'static,
{
    pages
        .into_iter()
        .map(|page| page.map_err(|e| AwsError::from_sdk(operation, e)))
        .collect()
}

/// A delete: what is already gone counts as deleted.
pub fn not_found_is_ok(result: Result<(), AwsError>) -> Result<(), AwsError> {
    not_found_is_none(result).map(|_| ())
}

impl std::fmt::Display for AwsError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.detail())
    }
}

impl std::error::Error for AwsError {}

/// The IAM action name of an API operation, for access-denied hints.
/// The action(s) an AccessDenied is about: the one AWS names in its message
/// ("... is not authorized to perform: iam:PassRole on resource: ..."), or
/// the operation's own action plus the one a lambdawire call of it also
/// needs and users most often miss.
fn missing_actions(operation: &str, message: &str) -> String {
    let named = message
        .split("perform: ")
        .nth(1)
        .and_then(|rest| rest.split_whitespace().next())
        .map(|a| a.trim_end_matches([',', '.', ';']))
        .filter(|a| a.contains(':') && a.chars().all(|c| c.is_ascii_alphanumeric() || c == ':'));
    if let Some(action) = named {
        return format!("`{action}`");
    }
    let own = operation_action(operation);
    match operation {
        // Scheduler checks that the caller may pass the schedule's role.
        "CreateSchedule" | "UpdateSchedule" => {
            format!("`{own}` and `iam:PassRole` on the schedule's role")
        }
        // A role created with tags needs TagRole as well.
        "CreateRole" => {
            format!("`{own}` and `iam:TagRole` (lambdawire tags every role it creates)")
        }
        // S3 answers 403 as well when the bucket's owner is not the
        // account ExpectedBucketOwner names (S3 User Guide, "Verifying
        // bucket ownership with bucket owner condition").
        "GetBucketNotificationConfiguration" | "PutBucketNotificationConfiguration" => format!(
            "`{own}` (or the bucket is not owned by the account `bucket_owner` names: S3 \
             answers 403 to a request whose ExpectedBucketOwner does not own the bucket)"
        ),
        _ => format!("`{own}`"),
    }
}

fn operation_action(operation: &str) -> String {
    // S3's IAM actions drop "Configuration" from the operation's name
    // (Service Authorization Reference, Amazon S3 actions).
    match operation {
        "GetBucketNotificationConfiguration" => return "s3:GetBucketNotification".into(),
        "PutBucketNotificationConfiguration" => return "s3:PutBucketNotification".into(),
        _ => {}
    }
    let service = match operation {
        "CreateRole"
        | "DeleteRole"
        | "GetRole"
        | "PutRolePolicy"
        | "GetRolePolicy"
        | "DeleteRolePolicy"
        | "UpdateAssumeRolePolicy"
        | "ListRolePolicies"
        | "TagRole"
        | "UntagRole"
        | "UpdateRole"
        | "PutRolePermissionsBoundary"
        | "DeleteRolePermissionsBoundary"
        | "ListRoleTags" => "iam",
        "CreateSchedule" | "UpdateSchedule" | "GetSchedule" | "DeleteSchedule" => "scheduler",
        "GetCallerIdentity" => "sts",
        "Subscribe"
        | "Unsubscribe"
        | "GetTopicAttributes"
        | "GetSubscriptionAttributes"
        | "SetSubscriptionAttributes"
        | "ListSubscriptionsByTopic" => "sns",
        "PutRule" | "PutTargets" | "RemoveTargets" | "DeleteRule" | "DescribeRule"
        | "ListTargetsByRule" | "DescribeEventBus" => "events",
        _ => "lambda",
    };
    format!("{service}:{operation}")
}

#[cfg(test)]
mod s3_hint_tests {
    use super::*;

    #[test]
    fn s3_access_denied_names_the_s3_action_and_the_bucket_owner() {
        for (operation, action) in [
            (
                "GetBucketNotificationConfiguration",
                "`s3:GetBucketNotification`",
            ),
            (
                "PutBucketNotificationConfiguration",
                "`s3:PutBucketNotification`",
            ),
        ] {
            let hint = missing_actions(operation, "Access Denied");
            assert!(hint.contains(action), "{hint}");
            assert!(hint.contains("bucket_owner"), "{hint}");
            assert!(!hint.contains("lambda:"), "{hint}");
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn error(code: &str, message: &str) -> AwsError {
        AwsError {
            operation: "CreateSchedule",
            code: code.into(),
            message: message.into(),
            request_id: Some("req-1".into()),
            kind: classify(code, message),
        }
    }

    #[test]
    fn classification_of_common_codes() {
        let table = [
            ("NoSuchEntity", "", ErrorKind::NotFound),
            ("NoSuchBucket", "The specified bucket does not exist", ErrorKind::NotFound),
            ("ResourceNotFoundException", "", ErrorKind::NotFound),
            ("EntityAlreadyExists", "", ErrorKind::AlreadyExists),
            ("ConflictException", "Schedule x already exists.", ErrorKind::AlreadyExists),
            ("ResourceConflictException", "The statement id (a) provided already exists.", ErrorKind::AlreadyExists),
            ("ResourceConflictException", "update in progress", ErrorKind::Conflict),
            ("PreconditionFailedException", "", ErrorKind::Conflict),
            ("Throttling", "Rate exceeded", ErrorKind::Throttled),
            ("ThrottlingException", "", ErrorKind::Throttled),
            ("TooManyRequestsException", "", ErrorKind::Throttled),
            (
                "ValidationException",
                "The execution role you provide must allow AWS EventBridge Scheduler to assume the role.",
                ErrorKind::IamNotPropagated,
            ),
            ("ValidationException", "Invalid Schedule Expression", ErrorKind::Other),
            (
                "InvalidParameterValueException",
                "The provided execution role does not have permissions to call ReceiveMessage on SQS",
                ErrorKind::IamNotPropagated,
            ),
            (
                "InvalidParameterValueException",
                "The function execution role does not have permissions to call ReceiveMessage on SQS",
                ErrorKind::IamNotPropagated,
            ),
            ("InvalidParameterValueException", "BatchSize 11 exceeds the max of 10", ErrorKind::Other),
            ("ResourceInUseException", "Cannot update the event source mapping because it is in use.", ErrorKind::Conflict),
            (
                "ResourceConflictException",
                "An event source mapping with SQS arn (\" arn:aws:sqs:us-east-1:123456789012:q \") and function (\" f \") already exists.",
                ErrorKind::AlreadyExists,
            ),
            ("AccessDenied", "", ErrorKind::AccessDenied),
            ("AccessDeniedException", "", ErrorKind::AccessDenied),
            ("LimitExceeded", "", ErrorKind::LimitExceeded),
            ("ServiceQuotaExceededException", "", ErrorKind::LimitExceeded),
            ("SomethingElse", "", ErrorKind::Other),
        ];
        for (code, message, kind) in table {
            assert_eq!(classify(code, message), kind, "{code}: {message}");
        }
    }

    #[test]
    fn detail_names_operation_code_message_and_request_id() {
        let detail = error("ValidationException", "bad").detail();
        assert_eq!(
            detail,
            "CreateSchedule: ValidationException: bad (request id: req-1)"
        );
    }

    #[test]
    fn access_denied_hint_names_the_missing_action() {
        let detail = error("AccessDeniedException", "no").detail();
        assert!(detail.contains("Hint:"), "{detail}");
        assert!(detail.contains("`scheduler:CreateSchedule`"), "{detail}");
    }

    #[test]
    fn limit_hint_names_the_quota() {
        let mut err = error(
            "LimitExceeded",
            "Cannot exceed quota for RolesPerAccount: 1000",
        );
        err.operation = "CreateRole";
        let detail = err.detail();
        assert!(detail.contains("roles per account"), "{detail}");
    }

    #[test]
    fn a_mapping_refused_for_its_role_names_what_to_check() {
        let mut err = error(
            "InvalidParameterValueException",
            "The provided execution role does not have permissions to call ReceiveMessage on SQS",
        );
        err.operation = "CreateEventSourceMapping";
        let hint = err.hint().unwrap_or_default();
        assert!(
            hint.contains("`role_name`") && hint.contains("timeouts.create"),
            "{hint}"
        );
        err.operation = "CreateSchedule";
        assert!(err.hint().unwrap_or_default().contains("trust policy"));
    }

    #[test]
    fn policy_size_hint_suggests_scoping() {
        let mut err = error("PolicyLengthExceededException", "too big");
        err.operation = "AddPermission";
        assert!(err.detail().contains("source_account"));
    }

    #[test]
    fn access_denied_names_the_missing_action() {
        let mut e = error("AccessDeniedException", "User: arn:aws:sts::123456789012:assumed-role/ci/x is not authorized to perform: iam:PassRole on resource: arn:aws:iam::123456789012:role/r");
        e.kind = ErrorKind::AccessDenied;
        assert!(
            e.hint().unwrap().contains("`iam:PassRole`"),
            "{:?}",
            e.hint()
        );
        e.message = String::new();
        assert!(e
            .hint()
            .unwrap()
            .contains("`scheduler:CreateSchedule` and `iam:PassRole`"));
        e.operation = "CreateRole";
        assert!(e.hint().unwrap().contains("`iam:TagRole`"));
        e.operation = "AddPermission";
        assert!(e.hint().unwrap().contains("`lambda:AddPermission`"));
    }

    #[test]
    fn refused_credentials_are_not_a_missing_permission() {
        for code in [
            "ExpiredToken",
            "InvalidClientTokenId",
            "UnrecognizedClientException",
            "SignatureDoesNotMatch",
        ] {
            assert_eq!(classify(code, ""), ErrorKind::InvalidCredentials, "{code}");
            let mut e = error(code, "");
            e.kind = classify(code, "");
            let hint = e.hint().unwrap();
            assert!(
                hint.contains("credentials") && !hint.contains("need permission"),
                "{hint}"
            );
        }
    }

    #[test]
    fn report_puts_what_we_were_doing_in_the_summary() {
        let mut diags = Diagnostics::default();
        error("ValidationException", "bad")
            .report(&mut diags, "creating Scheduler Schedule (default/x)");
        assert_eq!(diags.errors.len(), 1);
        assert_eq!(
            diags.errors[0].summary,
            "creating Scheduler Schedule (default/x): ValidationException"
        );
    }

    #[test]
    fn eventbridge_operations_name_events_actions() {
        for (operation, action) in [
            ("PutRule", "events:PutRule"),
            ("PutTargets", "events:PutTargets"),
            ("RemoveTargets", "events:RemoveTargets"),
            ("DeleteRule", "events:DeleteRule"),
            ("DescribeRule", "events:DescribeRule"),
            ("ListTargetsByRule", "events:ListTargetsByRule"),
            ("DescribeEventBus", "events:DescribeEventBus"),
            ("AddPermission", "lambda:AddPermission"),
        ] {
            assert_eq!(operation_action(operation), action);
        }
    }
}
