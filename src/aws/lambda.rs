//! Lambda resource-policy calls: AddPermission, RemovePermission, GetPolicy.
//! Callers hold the per-function lock; the retries here cover Lambda's
//! transient conflicts while another edit of the same policy is in flight.

use aws_sdk_lambda::types::FunctionUrlAuthType;
use tokio::time::Instant;

use super::error::{AwsError, ErrorKind};
use super::retry::{retry_until, POLICY_CONFLICT};
use super::AwsClients;

/// One AddPermission call.
#[derive(Clone, Debug, PartialEq, Eq, Default)]
pub struct PermissionRequest {
    pub function_name: String,
    pub qualifier: Option<String>,
    pub statement_id: String,
    pub action: String,
    pub principal: String,
    pub source_arn: Option<String>,
    pub source_account: Option<String>,
    pub principal_org_id: Option<String>,
    pub function_url_auth_type: Option<String>,
    pub event_source_token: Option<String>,
}

/// AddPermission. `Ok(false)` means the statement id is taken (the caller
/// decides whether the existing statement is exactly this one).
pub async fn add_permission(
    c: &AwsClients,
    req: &PermissionRequest,
    deadline: Instant,
) -> Result<bool, AwsError> {
    let result = retry_until(POLICY_CONFLICT, deadline, || async {
        c.lambda
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
            .set_event_source_token(req.event_source_token.clone())
            .send()
            .await
            .map_err(|e| AwsError::from_sdk("AddPermission", e))
    })
    .await;
    match result {
        Ok(_) => {
            tracing::info!(function = %req.function_name, statement_id = %req.statement_id, "added permission");
            Ok(true)
        }
        Err(err) if err.is(ErrorKind::AlreadyExists) => Ok(false),
        Err(err) => Err(err),
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
) -> Result<Option<(String, Option<String>)>, AwsError> {
    let out = c
        .lambda
        .get_policy()
        .function_name(function_name)
        .set_qualifier(qualifier.map(str::to_string))
        .send()
        .await;
    match out {
        Ok(out) => Ok(Some((
            out.policy().unwrap_or_default().to_string(),
            out.revision_id().map(str::to_string),
        ))),
        Err(e) => {
            let err = AwsError::from_sdk("GetPolicy", e);
            if err.is(ErrorKind::NotFound) {
                Ok(None)
            } else {
                Err(err)
            }
        }
    }
}
