//! The state of `lambdawire_function_url_access`; field names are the
//! attribute names.

use serde::{Deserialize, Serialize};

use crate::plugin::{Str, StrList};

/// The state of one function URL access: the two statements that let a
/// principal call a function URL, and nothing else.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
#[serde(default)]
pub struct UrlAccessState {
    /// `<function_name>[:<qualifier>]/url-access/<statement_id_prefix>`, also the import id.
    pub id: Str,
    /// Name, full ARN or partial ARN, as the user wrote it. Forces replacement
    /// unless another spelling of the same function.
    pub function_name: Str,
    /// The alias the function URL belongs to; null: the unqualified function's URL.
    pub qualifier: Str,
    /// `NONE` (public) or `AWS_IAM` (signed calls), as the function URL's own.
    pub auth_type: Str,
    /// `*` for `NONE`; an account, IAM ARN or CloudFront's service principal for `AWS_IAM`.
    pub principal: Str,
    /// The CloudFront distribution allowed to call, with CloudFront's principal only.
    pub source_arn: Str,
    /// The `AWS:SourceAccount` condition (`AWS_IAM` only).
    pub source_account: Str,
    /// The `aws:PrincipalOrgID` condition (`AWS_IAM` only).
    pub principal_org_id: Str,
    /// The statements are `<prefix>-url` and `<prefix>-invoke`; generated when null.
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
