//! The state of `lambdawire_function_url_access`; field names are the
//! attribute names.

use serde::{Deserialize, Serialize};

use crate::plugin::{Str, StrList};

#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
#[serde(default)]
pub struct UrlAccessState {
    pub id: Str,
    pub function_name: Str,
    pub qualifier: Str,
    pub auth_type: Str,
    pub principal: Str,
    pub source_arn: Str,
    pub source_account: Str,
    pub principal_org_id: Str,
    pub statement_id_prefix: Str,
    /// The ids of the two statements found in the policy, the
    /// `lambda:InvokeFunctionUrl` one first: one missing (or no longer of
    /// its kind) drops out, which the next plan shows and apply re-adds.
    pub statement_ids: StrList,
    /// A JSON array of the statements as Lambda stores them.
    pub statements_json: Str,
}

/// Nothing Terraform need not show: the state says it all.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct UrlAccessPrivate {}
