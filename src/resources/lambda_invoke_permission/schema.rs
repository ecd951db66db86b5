//! Schema of `lambdawire_lambda_invoke_permission`; descriptions feed docs/.

use crate::plugin::schema::Schema;

use crate::plugin::schema::*;

/// Version 1 redacts event-source tokens in `statement_json`; version 0
/// state is upgraded by `upgrade::from_version_0`.
pub const SCHEMA_VERSION: i64 = 1;

/// The resource's schema at [`SCHEMA_VERSION`]; docs/ is rendered from it.
pub fn permission_schema() -> Schema {
    versioned(SCHEMA_VERSION, block(
        "One statement of a Lambda function's resource-based policy (AddPermission), secure by \
         default: a service principal must be scoped to its source, and every argument but the \
         function and qualifier updates in place without a moment where the grant is absent. \
         A `moved` block from hashicorp/aws's `aws_lambda_permission` is accepted with no AWS \
         write, and a configuration with the same arguments plans no change.",
        vec![
            ("id", attr(string(), Computed, "`<function_name>[:<qualifier>]/<statement_id>`.")),
            ("function_name", attr(string(), Required, "Function name, full ARN or partial ARN (`123456789012:function:name`). Forces replacement unless the new value names the same function. Checked at plan when known: an ARN of another region or partition, or a function that does not exist, is an error there (name a function this configuration creates by `aws_lambda_function.<name>.arn`, known only after apply, so the plan does not look for it early).")),
            ("qualifier", attr(string(), Optional, "Version or alias the statement applies to (not `$LATEST`). Forces replacement.")),
            ("statement_id", attr(string(), OptionalComputed, "Statement id, 1-100 of `[A-Za-z0-9_-]`. Generated when null, from the statement's content: `<statement_id_prefix or \"lw-\">` and 16 hex digits of a SHA-256 of the function, qualifier, action, principal and conditions (the event-source token left out), shown in the plan once those are known and kept afterwards. A create retried after a lost answer or a killed run so meets its own statement instead of adding a second one.")),
            ("statement_id_prefix", attr(string(), Optional, "Prefix of a generated statement id (at most 84 characters; default `lw-`). Conflicts with `statement_id`.")),
            ("action", attr(string(), OptionalComputed, "Lambda action granted; default `lambda:InvokeFunction`.")),
            ("principal", attr(string(), OptionalComputed, "Service principal (`s3.amazonaws.com`), account id, IAM ARN, or `*`. Inferred from `source_arn` when null; an explicit service principal must agree with it.")),
            ("source_arn", attr(string(), Optional, "ARN of the resource allowed to invoke (bucket, API, rule, topic...). Required with a service principal unless `allow_unscoped_source`. Wildcards are allowed only in the resource part (an `execute-api` path, say): a wildcard or empty region or account scopes nothing and counts as unscoped.")),
            ("source_account", attr(string(), Optional, "Account that owns the source. Required for S3 (bucket ARNs carry no account) unless `allow_unscoped_source`.")),
            ("principal_org_id", attr(string(), Optional, "Restrict to principals of this AWS Organization (`o-...`).")),
            ("function_url_auth_type", attr(string(), Optional, "`AWS_IAM` or `NONE`; only with action `lambda:InvokeFunctionUrl`.")),
            ("invoked_via_function_url", attr(boolean(), Optional, "Grant `lambda:InvokeFunction` only for calls made through the function's URL (the `lambda:InvokedViaFunctionUrl` condition Lambda requires for function URLs since October 2025); only with action `lambda:InvokeFunction`. Makes `principal = \"*\"` acceptable. Default false.")),
            ("event_source_token", sensitive(string(), Optional, "Token the caller must present (Alexa Smart Home). Stored in state (sensitive); prefer `event_source_token_wo`. Never read into state by an import.")),
            ("event_source_token_wo", write_only(string(), Optional, "Write-only (Terraform >= 1.11) token the caller must present (Alexa Smart Home): sent to Lambda, never stored in plan or state. Change `event_source_token_wo_version` to send a new one. Conflicts with `event_source_token`.")),
            ("event_source_token_wo_version", attr(number(), Optional, "Any change re-sends `event_source_token_wo` (the statement is updated in place, without a moment where the grant is absent).")),
            ("allow_unscoped_source", attr(boolean(), OptionalComputed, "Allow a service principal without `source_arn`, a `source_arn` whose region or account is a wildcard, and S3 without `source_account`: any account's resource of that service could then invoke. Default false.")),
            ("function_arn", attr(string(), Computed, "Unqualified ARN of the function.")),
            ("statement_json", attr(string(), Computed, "The statement as Lambda stores it, with an event-source token shown as `\"(sensitive)\"`; shown in the plan as it will be written once its parts are known.")),
        ],
        vec![],
    ))
}
