//! The state of `lambdawire_lambda_invoke_permission`; field names are the
//! attribute names.

use serde::{Deserialize, Serialize};

use crate::plugin::{Bool, Str};

#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
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
    pub event_source_token: Str,
    pub allow_unscoped_source: Bool,
    pub function_arn: Str,
    pub statement_json: Str,
}
