//! Schema of `lambdawire_function_url_access`; descriptions feed docs/.

use crate::plugin::schema::*;

/// The resource's schema at state version 0; docs/ is rendered from it.
pub fn url_access_schema() -> Schema {
    schema(block(
        "Who may call a function URL, granted the way Lambda requires since October 2025: two \
         statements of the function's resource-based policy, written and removed together. \
         `lambda:InvokeFunctionUrl` carries the `lambda:FunctionUrlAuthType` condition and \
         `lambda:InvokeFunction` the `lambda:InvokedViaFunctionUrl = true` condition, for the \
         same principal and scoping, so the function itself is never granted beyond its URL. \
         Updates add the new statements before removing the old ones; edits of one function's \
         policy are serialised with those of `lambdawire_lambda_invoke_permission`.",
        vec![
            ("id", attr(string(), Computed, "`<function_name>[:<qualifier>]/url-access/<statement_id_prefix>`.")),
            ("function_name", attr(string(), Required, "Function name, full ARN or partial ARN (`123456789012:function:name`). Forces replacement unless the new value names the same function. Checked at plan when known: an ARN of another region or partition, or a function that does not exist, is an error there (name a function this configuration creates by `aws_lambda_function.<name>.arn`, known only after apply, so the plan does not look for it early).")),
            ("qualifier", attr(string(), Optional, "The alias the function URL belongs to (not `$LATEST`). Forces replacement.")),
            ("auth_type", attr(string(), Required, "`NONE` (public URL) or `AWS_IAM` (signed calls); must match the function URL's auth type.")),
            ("principal", attr(string(), OptionalComputed, "Who may call. With `NONE` only `\"*\"` (the default). With `AWS_IAM` a 12-digit account id, an IAM role or user ARN (no wildcard), `cloudfront.amazonaws.com` for CloudFront origin access control (then `source_arn` is required), or `\"*\"` held to an organisation or an account by `principal_org_id` or `source_account` (alone it would admit every AWS account).")),
            ("source_arn", attr(string(), Optional, "The CloudFront distribution (`arn:aws:cloudfront::<account>:distribution/<id>`) allowed to call; only, and required, with principal `cloudfront.amazonaws.com`.")),
            ("source_account", attr(string(), Optional, "Only calls on behalf of this 12-digit account (`AWS_IAM` only: an unauthenticated call carries no account).")),
            ("principal_org_id", attr(string(), Optional, "Only principals of this AWS Organization (`o-...`; `AWS_IAM` only: an unauthenticated call carries no organization).")),
            ("statement_id_prefix", attr(string(), OptionalComputed, "The statements' ids are `<prefix>-url` and `<prefix>-invoke`: 1-93 of `[A-Za-z0-9_-]`. Generated when null from the statements' content (`lw-url-` and 16 hex digits of a SHA-256 of the function, qualifier, principal, auth type and conditions), shown in the plan once those are known, so a create retried after a lost answer or a killed run meets its own statements. A change updates in place.")),
            ("statement_ids", attr(string_list(), Computed, "The ids of both statements, the `lambda:InvokeFunctionUrl` one first.")),
            ("statements_json", attr(string(), Computed, "A JSON array of both statements as Lambda stores them; shown in the plan as they will be written once their parts are known.")),
        ],
        vec![],
    ))
}
