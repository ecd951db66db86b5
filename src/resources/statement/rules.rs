//! Layer: pure (no I/O). The rules every grant-writing resource shares
//! about the statement it writes: the actions, statement id characters,
//! the principals Lambda accepts for other accounts and organisations, the
//! function and qualifier a statement goes on, and which changes of those
//! name another function (and so replace the resource).

use crate::lambda::function_ref::{parse_function_ref, target_diff, TargetDiff};
use crate::plugin::{known, AttributePath, Problem, Str, Value};
use crate::resources::PlanContext;
use crate::validate::arn;
use crate::validate::arn::is_account as is_account_id;
use crate::validate::names::is_valid_qualifier;

/// One configuration attribute as Terraform sees it during validation.
pub type Field<'a> = Value<&'a str>;

/// A configuration value as a [`Field`].
pub fn field(value: &Str) -> Field<'_> {
    match value {
        Value::Value(v) => Field::Value(v),
        Value::Null => Field::Null,
        Value::Unknown => Field::Unknown,
    }
}

/// The action a statement grants when none is given.
pub const DEFAULT_ACTION: &str = "lambda:InvokeFunction";

/// Unqualified ARN of the function, from any of the forms Lambda accepts;
/// the provider's facts fill in what a name or partial ARN leaves out.
pub fn function_arn(function_name: &str, ctx: &PlanContext) -> Option<String> {
    let r = parse_function_ref(function_name).ok()?;
    let account = r.account_id.or_else(|| ctx.account_id.clone())?;
    let partition = r.partition.or_else(|| ctx.partition.clone())?;
    let region = r.region.or_else(|| ctx.region.clone())?;
    Some(format!(
        "arn:{partition}:lambda:{region}:{account}:function:{}",
        r.name
    ))
}

/// The ARN a statement on `function_name` (at `qualifier`, or the one its
/// reference carries) names as its `Resource`.
pub fn statement_resource(
    function_name: &str,
    qualifier: Option<&str>,
    ctx: &PlanContext,
) -> Option<String> {
    let arn = function_arn(function_name, ctx)?;
    let embedded = parse_function_ref(function_name).ok()?.qualifier;
    Some(match qualifier.map(str::to_string).or(embedded) {
        Some(q) => format!("{arn}:{q}"),
        None => arn,
    })
}
/// The action of a function URL call.
pub const FUNCTION_URL_ACTION: &str = "lambda:InvokeFunctionUrl";

fn problem(attribute: &'static str, summary: &str, detail: String) -> Problem {
    Problem::at(attribute, summary, detail)
}

/// Characters Lambda allows in a statement id.
pub fn is_statement_id_char(b: u8) -> bool {
    b.is_ascii_alphanumeric() || b == b'_' || b == b'-'
}

/// An AWS Organizations id (`o-` and 10-32 letters and digits).
pub fn is_org_id(s: &str) -> bool {
    crate::validate::names::organization_id(s).is_ok()
}

/// The conditions a statement may put on its caller: `source_account` a
/// 12-digit account id, `principal_org_id` an AWS Organizations id.
pub fn check_conditions(
    source_account: Field<'_>,
    principal_org_id: Field<'_>,
    out: &mut Vec<Problem>,
) {
    if let Some(account) = source_account.as_option() {
        if !is_account_id(account) {
            out.push(problem(
                "source_account",
                "Invalid source_account",
                format!("source_account \"{account}\" must be a 12-digit AWS account id."),
            ));
        }
    }
    if let Some(org) = principal_org_id.as_option() {
        if !is_org_id(org) {
            out.push(problem(
                "principal_org_id",
                "Invalid principal_org_id",
                format!(
                    "principal_org_id \"{org}\" must be an AWS Organizations id: \"o-\" followed \
                     by 10-32 lowercase letters or digits."
                ),
            ));
        }
    }
}

/// Account root ARNs and IAM role/user ARNs; these are what Lambda accepts
/// besides a bare account id for a cross-account grant.
pub fn is_iam_principal_arn(s: &str) -> bool {
    let Ok(parts) = arn::parse(s) else {
        return false;
    };
    if parts.service != "iam" || !parts.region.is_empty() || !is_account_id(parts.account) {
        return false;
    }
    parts.resource == "root"
        || ["role/", "user/"].iter().any(|kind| {
            parts
                .resource
                .strip_prefix(kind)
                .is_some_and(|rest| !rest.is_empty() && !rest.ends_with('/'))
        })
}

fn latest_detail(attribute: &str) -> String {
    format!(
        "{attribute} names $LATEST, but Lambda does not support resource-based policy \
         statements on $LATEST. Omit the qualifier to grant on the unqualified function, \
         or name a published version or alias."
    )
}

/// The function and qualifier a statement goes on: shared by every resource
/// that edits a function's policy.
pub fn check_target(function_name: Field<'_>, qualifier: Field<'_>, out: &mut Vec<Problem>) {
    let mut embedded_qualifier = None;
    if let Some(name) = function_name.as_option() {
        match parse_function_ref(name) {
            Ok(r) => {
                if r.qualifier.as_deref() == Some("$LATEST") {
                    out.push(problem(
                        "function_name",
                        "Unsupported function qualifier",
                        latest_detail("function_name"),
                    ));
                }
                embedded_qualifier = r.qualifier;
            }
            Err(e) => out.push(problem("function_name", "Invalid function_name", e)),
        }
    }
    let Some(q) = qualifier.as_option() else {
        return;
    };
    if !is_valid_qualifier(q) {
        out.push(problem(
            "qualifier",
            "Invalid qualifier",
            format!(
                "qualifier \"{q}\" must be a version number or alias name: 1-128 characters of \
                 letters, digits, $, hyphens and underscores."
            ),
        ));
    } else if q == "$LATEST" {
        out.push(problem(
            "qualifier",
            "Unsupported qualifier",
            latest_detail("qualifier"),
        ));
    }
    if let Some(embedded) = embedded_qualifier.filter(|e| e != q) {
        out.push(problem(
            "qualifier",
            "Conflicting qualifiers",
            format!(
                "function_name already names qualifier \"{embedded}\" but qualifier is \"{q}\". \
                 Set the version or alias in only one place, or make them equal."
            ),
        ));
    }
}
/// Attributes whose change names another function, version or alias: only
/// those force a replacement, not another spelling of the same one. Shared
/// by every resource that edits a function's policy.
pub fn target_replacement(
    prior: (&Str, &Str),
    config: (&Str, &Str),
    ctx: &PlanContext,
) -> Vec<AttributePath> {
    let ((prior_function, prior_qualifier), (function, qualifier)) = (prior, config);
    // Both sides get the same defaults, so a missing fact (the account, with
    // a function named by its ARN) cannot make two names differ.
    let account = ctx.account_id.as_deref().unwrap_or_default();
    let region = ctx.region.as_deref().unwrap_or_default();
    let diff = match (prior_function, function, prior_qualifier, qualifier) {
        (Value::Value(a), Value::Value(b), qa, qb) if !qa.is_unknown() && !qb.is_unknown() => {
            target_diff((a, known(qa)), (b, known(qb)), region, account)
        }
        _ => TargetDiff {
            function: prior_function != function,
            qualifier: prior_qualifier != qualifier,
        },
    };
    let mut replace = Vec::new();
    // Name the attribute that actually changed: a version or alias can be
    // moved into or out of function_name.
    if diff.function || (diff.qualifier && prior_qualifier == qualifier) {
        replace.push(AttributePath::new("function_name"));
    }
    if diff.qualifier && prior_qualifier != qualifier {
        replace.push(AttributePath::new("qualifier"));
    }
    replace
}
