//! The state of `lambdawire_lambda_invoke_permission`; field names are the
//! attribute names.

use serde::{Deserialize, Serialize};

use crate::plugin::{Bool, Num, Str};

/// The state of one permission: one statement of a function's resource-based
/// policy. `Debug` prints the tokens redacted.
#[derive(Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(default)]
pub struct PermissionState {
    /// `<function_name>[:<qualifier>]/<statement_id>`, also the import id.
    pub id: Str,
    /// Name, full ARN or partial ARN, as the user wrote it (kept when a read
    /// returns another spelling of the same function).
    pub function_name: Str,
    /// Version or alias whose policy holds the statement; null: the unqualified
    /// function's. Forces replacement.
    pub qualifier: Str,
    /// The statement's `Sid`; generated from `statement_id_prefix` when null.
    pub statement_id: Str,
    /// Prefix of a generated `statement_id`; conflicts with `statement_id`.
    pub statement_id_prefix: Str,
    /// The Lambda action granted; `lambda:InvokeFunction` when null.
    pub action: Str,
    /// Service principal, account id, IAM ARN or `*`; inferred from `source_arn`
    /// when null.
    pub principal: Str,
    /// The `AWS:SourceArn` condition: the one resource allowed to invoke.
    pub source_arn: Str,
    /// The `AWS:SourceAccount` condition: the account that owns the source.
    pub source_account: Str,
    /// The `aws:PrincipalOrgID` condition (`o-...`).
    pub principal_org_id: Str,
    /// The `lambda:FunctionUrlAuthType` condition, `AWS_IAM` or `NONE`.
    pub function_url_auth_type: Str,
    /// Null reads as false: no `lambda:InvokedViaFunctionUrl` condition.
    pub invoked_via_function_url: Bool,
    /// The `lambda:EventSourceToken` condition, stored in state (sensitive);
    /// `event_source_token_wo` keeps it out of state.
    pub event_source_token: Str,
    /// Write-only: present in the configuration only, null in every plan and
    /// state (the protocol layer enforces it).
    pub event_source_token_wo: Str,
    /// A change re-sends `event_source_token_wo`, whose own changes
    /// Terraform cannot see.
    pub event_source_token_wo_version: Num,
    /// Accept a service principal without its source, or a source that scopes
    /// nothing; false when null.
    pub allow_unscoped_source: Bool,
    /// Unqualified ARN of the function, known after create.
    pub function_arn: Str,
    /// The statement as Lambda stores it, with an event-source token redacted.
    pub statement_json: Str,
}

crate::debug_redacting!(PermissionState {
    id, function_name, qualifier, statement_id, statement_id_prefix, action, principal, source_arn, source_account, principal_org_id, function_url_auth_type, invoked_via_function_url, event_source_token_wo_version, allow_unscoped_source, function_arn, statement_json
} secret {
    event_source_token, event_source_token_wo
});

/// Private state: what Read must know that Terraform need not show.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
#[serde(default)]
pub struct PermissionPrivate {
    /// The statement's token was sent from `event_source_token_wo`. Read
    /// then never copies the stored token into `event_source_token`, and a
    /// plan without the write-only token knows the statement must change.
    pub event_source_token_write_only: bool,
    /// The policy may hold this statement's temporary twin (`<sid>-lwtmp`),
    /// which an interrupted update leaves: Read saw it, or an update
    /// failed part-way. The delete then removes it too; otherwise the
    /// delete needs no look at the policy first. True when a private state
    /// of an older release lacks it: the delete then removes a temporary
    /// statement that may be there (one already gone is success).
    #[serde(default = "may_be_there")]
    pub temporary_statement: bool,
}

fn may_be_there() -> bool {
    true
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::plugin::Value;

    #[test]
    fn debug_never_prints_a_token() {
        let s = PermissionState {
            function_name: Value::Value("skill".into()),
            event_source_token: Value::Value("clear-token-1".into()),
            event_source_token_wo: Value::Value("clear-token-2".into()),
            ..Default::default()
        };
        let shown = format!("{s:?}");
        assert!(
            shown.contains("skill") && shown.contains("(sensitive)"),
            "{shown}"
        );
        assert!(!shown.contains("clear-token"), "{shown}");
        let request = crate::aws::lambda::PermissionRequest {
            event_source_token: Some("clear-token-3".into()),
            ..Default::default()
        };
        assert!(!format!("{request:?}").contains("clear-token"));
        let assume = crate::aws::clients::AssumeRoleSettings {
            role_arn: "arn:aws:iam::123456789012:role/r".into(),
            session_name: None,
            external_id: Some("clear-external-id".into()),
        };
        assert!(!format!("{assume:?}").contains("clear-external-id"));
    }
}
