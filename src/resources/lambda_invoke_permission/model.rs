//! The state of `lambdawire_lambda_invoke_permission`; field names are the
//! attribute names.

use serde::{Deserialize, Serialize};

use crate::plugin::{Bool, Num, Str};

#[derive(Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(default)]
pub struct PermissionState {
    pub id: Str,
    pub function_name: Str,
    pub qualifier: Str,
    pub statement_id: Str,
    pub statement_id_prefix: Str,
    pub action: Str,
    pub principal: Str,
    pub source_arn: Str,
    pub source_account: Str,
    pub principal_org_id: Str,
    pub function_url_auth_type: Str,
    /// Null reads as false: no `lambda:InvokedViaFunctionUrl` condition.
    pub invoked_via_function_url: Bool,
    pub event_source_token: Str,
    /// Write-only: present in the configuration only, null in every plan and
    /// state (the protocol layer enforces it).
    pub event_source_token_wo: Str,
    /// A change re-sends `event_source_token_wo`, whose own changes
    /// Terraform cannot see.
    pub event_source_token_wo_version: Num,
    pub allow_unscoped_source: Bool,
    pub function_arn: Str,
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
