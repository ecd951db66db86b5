//! Lambda resource-policy calls: AddPermission, RemovePermission, GetPolicy,
//! the listings of a function's aliases and versions whose policies an
//! audit reads, and the function lookups other resources need (its
//! existence, its execution role). Callers hold the per-function lock; the
//! retries here cover Lambda's transient conflicts while another edit of
//! the same policy is in flight. Event source mappings are in
//! [`super::event_source`].

use aws_sdk_lambda::config::retry::RetryConfig;
use aws_sdk_lambda::types::FunctionUrlAuthType;
use aws_smithy_runtime_api::client::result::SdkError;
use aws_smithy_runtime_api::http::Response;
use aws_smithy_types::error::metadata::ProvideErrorMetadata;
use futures::{StreamExt, TryStreamExt};
use tokio::time::Instant;

use super::error::{every_page, not_found_is_none, AwsError, ErrorKind};
use super::policy_reads::Policy;
use super::retry::{retry_until, RetryReason, POLICY_CONFLICT};
use super::AwsClients;
use crate::lambda::statement::{parse_statement, StoredStatement};

/// One AddPermission call.
#[derive(Clone, PartialEq, Eq, Default)]
pub struct PermissionRequest {
    /// Name, ARN or partial ARN of the function, without the qualifier.
    pub function_name: String,
    /// A version or alias: the statement goes in that one's policy; `None`: the
    /// unqualified function's.
    pub qualifier: Option<String>,
    /// The statement's `Sid`, unique in the policy.
    pub statement_id: String,
    /// `lambda:InvokeFunction`, `lambda:InvokeFunctionUrl`, or another `lambda:` action.
    pub action: String,
    /// A service principal (`scheduler.amazonaws.com`), an account id, an IAM ARN, or `*`.
    pub principal: String,
    /// The `AWS:SourceArn` condition: only calls on behalf of this resource (it may
    /// hold wildcards).
    pub source_arn: Option<String>,
    /// The `AWS:SourceAccount` condition: only calls on behalf of resources this
    /// account owns.
    pub source_account: Option<String>,
    /// The `aws:PrincipalOrgID` condition: only principals of this AWS Organization.
    pub principal_org_id: Option<String>,
    /// The `lambda:FunctionUrlAuthType` condition: `NONE` or `AWS_IAM`.
    pub function_url_auth_type: Option<String>,
    /// Adds the `lambda:InvokedViaFunctionUrl` condition when true.
    pub invoked_via_function_url: bool,
    /// The `lambda:EventSourceToken` condition (an Alexa skill's id); a secret,
    /// redacted by `Debug`.
    pub event_source_token: Option<String>,
}

crate::debug_redacting!(PermissionRequest {
    function_name, qualifier, statement_id, action, principal, source_arn, source_account, principal_org_id, function_url_auth_type, invoked_via_function_url
} secret {
    event_source_token
});

/// How one AddPermission ended, short of a definite error.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum AddOutcome {
    /// Lambda added it; carries the `Statement` its answer holds (the
    /// statement as stored in the policy), read, when there is one that
    /// reads. Read here, never kept as text: the text holds an event-source
    /// token in clear, and `StoredStatement`'s Debug redacts it.
    Added(Option<StoredStatement>),
    /// Lambda says the statement id is in the policy already; the caller
    /// decides whether that statement is exactly this one. Carries Lambda's
    /// refusal, for its request id.
    IdTaken(AwsError),
    /// No definite answer (connection lost, timeout, 5xx): the statement may
    /// or may not have been added. The caller must look before sending again.
    Unanswered(AwsError),
}

/// Did the call perhaps reach Lambda and apply, without our hearing back?
pub(super) fn may_have_applied<E, R>(err: &SdkError<E, R>, status: Option<u16>) -> bool {
    matches!(
        err,
        SdkError::TimeoutError(_) | SdkError::DispatchFailure(_) | SdkError::ResponseError(_)
    ) || status.is_some_and(|s| s >= 500)
}

/// The override that switches the SDK's own retries off for a call that is
/// not idempotent: after a lost response the SDK would send it again.
pub(super) fn without_sdk_retries() -> aws_sdk_lambda::config::Builder {
    aws_sdk_lambda::config::Builder::default().retry_config(RetryConfig::disabled())
}

/// A failed call that is not retried by the SDK: `Ok` with the error when
/// it may have applied without our hearing back (and is not one `retried`
/// retries), so the caller reads before it acts again; `Err` when it was
/// refused.
pub(super) fn unanswered<E>(
    operation: &'static str,
    e: SdkError<E, Response>,
    retried: &RetryReason,
) -> Result<AwsError, AwsError>
where
    E: ProvideErrorMetadata + std::error::Error + Send + Sync + 'static,
{
    let status = e.raw_response().map(|r| r.status().as_u16());
    let may_have = may_have_applied(&e, status);
    let err = AwsError::from_sdk(operation, e);
    if may_have && !retried.retry_on.contains(&err.kind) {
        Ok(err)
    } else {
        Err(err)
    }
}

/// AddPermission, retried here only on conflicts and throttling, which are
/// definite refusals.
///
/// AddPermission is not idempotent, so the SDK's own retries are switched off
/// for it: after a lost response the SDK would send the same statement again,
/// which real Lambda refuses with "statement id already exists" and an
/// emulator such as moto stores a second time. An unanswered call is handed
/// back as [`AddOutcome::Unanswered`] so the caller reads the policy first.
pub async fn add_permission(
    c: &AwsClients,
    req: &PermissionRequest,
    deadline: Instant,
) -> Result<AddOutcome, AwsError> {
    let result = retry_until(POLICY_CONFLICT, deadline, || send_add_permission(c, req)).await;
    // Whatever the answer, the policy may have changed.
    c.policy_reads.invalidate();
    settled(req, result)
}

/// AddPermission's outcome once its retries are over: a taken statement id
/// is an outcome the caller decides on, not a failure.
fn settled(
    req: &PermissionRequest,
    result: Result<AddOutcome, AwsError>,
) -> Result<AddOutcome, AwsError> {
    match result {
        Ok(AddOutcome::Added(statement)) => {
            tracing::info!(function = %req.function_name, statement_id = %req.statement_id, "added permission");
            Ok(AddOutcome::Added(statement))
        }
        Ok(other) => Ok(other),
        Err(err) if err.is(ErrorKind::AlreadyExists) => Ok(AddOutcome::IdTaken(err)),
        Err(err) => Err(err),
    }
}

/// One AddPermission call, without the SDK's retries: a definite refusal
/// is an error (retried by [`add_permission`] when it is a conflict or a
/// throttle), an ambiguous one is [`AddOutcome::Unanswered`].
async fn send_add_permission(
    c: &AwsClients,
    req: &PermissionRequest,
) -> Result<AddOutcome, AwsError> {
    let sent = c
        .lambda
        .add_permission()
        .function_name(&req.function_name)
        .set_qualifier(req.qualifier.clone())
        .statement_id(&req.statement_id)
        .action(&req.action)
        .principal(&req.principal)
        .set_source_arn(req.source_arn.clone())
        .set_source_account(req.source_account.clone())
        .set_principal_org_id(req.principal_org_id.clone())
        .set_function_url_auth_type(
            req.function_url_auth_type
                .as_deref()
                .map(FunctionUrlAuthType::from),
        )
        // Sent only when set, so a request without it is unchanged.
        .set_invoked_via_function_url(req.invoked_via_function_url.then_some(true))
        .set_event_source_token(req.event_source_token.clone())
        .customize()
        .config_override(without_sdk_retries())
        .send()
        .await;
    match sent {
        Ok(out) => Ok(AddOutcome::Added(
            out.statement().and_then(|text| parse_statement(text).ok()),
        )),
        // A conflict or throttle is a definite "not applied": retry it
        // here. Anything ambiguous goes back to the caller.
        Err(e) => unanswered("AddPermission", e, &POLICY_CONFLICT).map(AddOutcome::Unanswered),
    }
}

/// RemovePermission; a statement (or policy, or function) already gone is success.
pub async fn remove_permission(
    c: &AwsClients,
    function_name: &str,
    qualifier: Option<&str>,
    statement_id: &str,
    deadline: Instant,
) -> Result<(), AwsError> {
    let result = retry_until(POLICY_CONFLICT, deadline, || async {
        c.lambda
            .remove_permission()
            .function_name(function_name)
            .set_qualifier(qualifier.map(str::to_string))
            .statement_id(statement_id)
            .send()
            .await
            .map_err(|e| AwsError::from_sdk("RemovePermission", e))
    })
    .await;
    c.policy_reads.invalidate();
    match result {
        Ok(_) => {
            tracing::info!(function = %function_name, statement_id = %statement_id, "removed permission");
            Ok(())
        }
        Err(err) if err.is(ErrorKind::NotFound) => Ok(()),
        Err(err) => Err(err),
    }
}

/// The function's resource policy text; `None` when the function has no
/// policy or does not exist (Lambda answers ResourceNotFound for both).
pub async fn find_policy(
    c: &AwsClients,
    function_name: &str,
    qualifier: Option<&str>,
) -> Result<Policy, AwsError> {
    c.policy_reads
        .get(function_name, qualifier, || {
            get_policy(c, function_name, qualifier)
        })
        .await
}

async fn get_policy(
    c: &AwsClients,
    function_name: &str,
    qualifier: Option<&str>,
) -> Result<Policy, AwsError> {
    let out = c
        .lambda
        .get_policy()
        .function_name(function_name)
        .set_qualifier(qualifier.map(str::to_string))
        .send()
        .await;
    not_found_is_none(out.map_err(|e| AwsError::from_sdk("GetPolicy", e))).map(|found| {
        found.map(|out| {
            (
                out.policy().unwrap_or_default().to_string(),
                out.revision_id().map(str::to_string),
            )
        })
    })
}

/// How many GetPolicy calls one audit keeps in flight. Lambda takes 15
/// GetPolicy calls a second per account and region, a quota that cannot be
/// raised (the "Lambda quotas" page): a function of hundreds of versions
/// is read a few policies at a time, not one by one nor all at once, and a
/// throttle the burst still meets is retried by the SDK.
const POLICY_READS_AT_ONCE: usize = 8;

/// The policy of the function at each qualifier (`None`: the function
/// itself), in the order asked, [`POLICY_READS_AT_ONCE`] at a time. A
/// qualifier without a policy, or deleted since it was listed, has none.
pub async fn find_policies(
    c: &AwsClients,
    function_name: &str,
    qualifiers: &[Option<String>],
) -> Result<Vec<Policy>, AwsError> {
    // Each read owns its qualifier: a future borrowing the closure's own
    // argument fails rustc's higher-ranked check ("FnOnce is not general
    // enough") when the data source's boxed, Send future holds the stream.
    futures::stream::iter(qualifiers.iter().cloned())
        .map(|qualifier| async move { find_policy(c, function_name, qualifier.as_deref()).await })
        .buffered(POLICY_READS_AT_ONCE)
        .try_collect()
        .await
}

/// The page size of the listings, the most ListVersionsByFunction gives
/// in one answer.
const LIST_PAGE: i32 = 50;

/// The function's alias names and published version numbers (with
/// `$LATEST`), from every page of ListAliases and ListVersionsByFunction,
/// both read at once; `None` when the function does not exist.
pub async fn find_aliases_and_versions(
    c: &AwsClients,
    function_name: &str,
) -> Result<Option<(Vec<String>, Vec<String>)>, AwsError> {
    let aliases = async {
        let pages = c
            .lambda
            .list_aliases()
            .function_name(function_name)
            .into_paginator()
            .page_size(LIST_PAGE)
            .send()
            .collect()
            .await;
        every_page("ListAliases", pages).map(|pages| {
            pages
                .iter()
                .flat_map(|page| page.aliases())
                .filter_map(|alias| alias.name().map(str::to_string))
                .collect::<Vec<_>>()
        })
    };
    let versions = async {
        let pages = c
            .lambda
            .list_versions_by_function()
            .function_name(function_name)
            .into_paginator()
            .page_size(LIST_PAGE)
            .send()
            .collect()
            .await;
        every_page("ListVersionsByFunction", pages).map(|pages| {
            pages
                .iter()
                .flat_map(|page| page.versions())
                .filter_map(|version| version.version().map(str::to_string))
                .collect::<Vec<_>>()
        })
    };
    let (aliases, versions) = tokio::join!(aliases, versions);
    match (not_found_is_none(aliases)?, not_found_is_none(versions)?) {
        (Some(aliases), Some(versions)) => Ok(Some((aliases, versions))),
        _ => Ok(None),
    }
}

/// The function's execution role (GetFunctionConfiguration's `Role`, at
/// `qualifier`): `None` when the function does not exist. GetPolicy
/// answers ResourceNotFoundException both for a function without a policy
/// and for no function at all; this also tells the two apart.
pub async fn function_configuration_role(
    c: &AwsClients,
    function_name: &str,
    qualifier: Option<&str>,
) -> Result<Option<String>, AwsError> {
    let out = c
        .lambda
        .get_function_configuration()
        .function_name(function_name)
        .set_qualifier(qualifier.map(str::to_string))
        .send()
        .await;
    not_found_is_none(out.map_err(|e| AwsError::from_sdk("GetFunctionConfiguration", e)))
        .map(|found| found.map(|config| config.role().unwrap_or_default().to_string()))
}

/// The ARN of the function's execution role (GetFunction's
/// `Configuration.Role`); `None` when the function does not exist.
pub async fn function_role(
    c: &AwsClients,
    function_name: &str,
) -> Result<Option<String>, AwsError> {
    let out = c
        .lambda
        .get_function()
        .function_name(function_name)
        .send()
        .await;
    not_found_is_none(out.map_err(|e| AwsError::from_sdk("GetFunction", e))).map(|found| {
        found.and_then(|out| {
            out.configuration()
                .and_then(|config| config.role())
                .map(str::to_string)
        })
    })
}
