//! Layer: pure (no I/O). Configuration checks for
//! `lambdawire_lambda_invoke_permission`, run before any AWS call so that
//! mistakes Lambda would accept silently (or reject late) surface at plan time.
//!
//! A rule runs only when every input it reads is known: an unknown value may
//! still resolve to something valid, and guessing would block legitimate plans.

use crate::plugin::{Problem, Value};

use crate::lambda::grant::{planned, public_unconfined, risks, Grant, Risk, NOT_YET_KNOWN};
use crate::lambda::principal::{
    is_service_principal, principal_agrees_with_source, principal_for_arn, split_arn,
};
use crate::lambda::swap::is_temporary_statement_id;
use crate::resources::statement::rules::{
    check_conditions, check_target, is_iam_principal_arn, is_statement_id_char, Field,
    DEFAULT_ACTION, FUNCTION_URL_ACTION,
};
use crate::validate::arn;
use crate::validate::arn::is_account as is_account_id;

/// The configuration as the rules read it, each argument null, unknown or
/// known; [`super::plan::problems`] builds it from a [`super::model::PermissionState`].
#[derive(Debug, Clone, Copy, Default)]
pub struct PermissionArgs<'a> {
    /// Name, full ARN or partial ARN, possibly `:qualifier`.
    pub function_name: Field<'a>,
    /// Version or alias; must agree with one in `function_name`.
    pub qualifier: Field<'a>,
    /// 1-100 of `[A-Za-z0-9_-]`.
    pub statement_id: Field<'a>,
    /// Prefix of a generated statement id, at most [`STATEMENT_ID_PREFIX_MAX`].
    pub statement_id_prefix: Field<'a>,
    /// A `lambda:` action; null: `lambda:InvokeFunction`.
    pub action: Field<'a>,
    /// Service principal, account id, IAM ARN or `*`; null: inferred from `source_arn`.
    pub principal: Field<'a>,
    /// ARN, or ARN pattern, of the resource allowed to invoke.
    pub source_arn: Field<'a>,
    /// 12-digit account that owns the source.
    pub source_account: Field<'a>,
    /// An AWS Organization id, `o-` and 10-32 lowercase letters or digits.
    pub principal_org_id: Field<'a>,
    /// `AWS_IAM` or `NONE`, only with `lambda:InvokeFunctionUrl`.
    pub function_url_auth_type: Field<'a>,
    /// The Alexa token, kept in state.
    pub event_source_token: Field<'a>,
    /// The Alexa token, write-only; conflicts with `event_source_token`.
    pub event_source_token_wo: Field<'a>,
    /// `None` = unknown; a null configuration value should be passed as `Some(false)`.
    pub invoked_via_function_url: Option<bool>,
    /// Whether `event_source_token_wo_version` is set (`None` = unknown).
    pub event_source_token_wo_version: Option<bool>,
    /// `None` = unknown; a null configuration value should be passed as `Some(false)`.
    pub allow_unscoped_source: Option<bool>,
}

/// Longest `statement_id_prefix`: the generated id appends the content's
/// digest, within Lambda's 100-character limit.
pub const STATEMENT_ID_PREFIX_MAX: usize = STATEMENT_ID_MAX - DIGEST_LEN;
use crate::lambda::statement_id::DIGEST_LEN;
use crate::validate::names::STATEMENT_ID_MAX;

fn problem(attribute: &'static str, summary: &str, detail: String) -> Problem {
    Problem::at(attribute, summary, detail)
}

fn is_lambda_action(a: &str) -> bool {
    a.strip_prefix("lambda:")
        .is_some_and(|rest| !rest.is_empty() && rest.bytes().all(|b| b.is_ascii_alphabetic()))
}

fn is_event_source_token(s: &str) -> bool {
    (1..=256).contains(&s.len())
        && s.bytes()
            .all(|b| b.is_ascii_alphanumeric() || b == b'.' || b == b'_' || b == b'-')
}

/// The principal AddPermission would receive, when it can be known now.
fn effective_principal(args: &PermissionArgs<'_>) -> Option<String> {
    match args.principal {
        Value::Value(p) => Some(p.to_string()),
        Value::Unknown => None,
        Value::Null => args
            .source_arn
            .as_option()
            .and_then(|arn| principal_for_arn(arn).ok()),
    }
}

/// Every problem in the arguments, each on its attribute path: the target,
/// the statement id, the action, the principal and its scoping, the condition
/// values and the token. A rule runs only when every input it reads is known.
pub fn validate(args: &PermissionArgs<'_>) -> Vec<Problem> {
    let mut out = Vec::new();
    check_target(args.function_name, args.qualifier, &mut out);
    check_statement_id(args, &mut out);
    check_action(args, &mut out);
    check_invoked_via_function_url(args, &mut out);
    check_principal(args, &mut out);
    check_scoping(args, &mut out);
    check_condition_values(args, &mut out);
    check_write_only_token(args, &mut out);
    out
}

/// The write-only token replaces the sensitive one; both at once would send
/// two different secrets for one condition.
fn check_write_only_token(args: &PermissionArgs<'_>, out: &mut Vec<Problem>) {
    // An unknown token may still turn out null: only two known ones conflict.
    if args.event_source_token.as_option().is_some()
        && args.event_source_token_wo.as_option().is_some()
    {
        out.push(problem(
            "event_source_token_wo",
            "Conflicting event-source tokens",
            "event_source_token_wo conflicts with event_source_token: set only one. Prefer \
             event_source_token_wo (Terraform >= 1.11), which is never stored in plan or state."
                .to_string(),
        ));
    }
    if let Some(token) = args.event_source_token_wo.as_option() {
        if !is_event_source_token(token) {
            out.push(problem(
                "event_source_token_wo",
                "Invalid event_source_token_wo",
                "event_source_token_wo must be 1-256 characters of letters, digits, '.', '_' \
                 and '-'."
                    .to_string(),
            ));
        }
    }
    if args.event_source_token_wo_version == Some(true) && args.event_source_token_wo.is_null() {
        out.push(problem(
            "event_source_token_wo_version",
            "event_source_token_wo_version without event_source_token_wo",
            "event_source_token_wo_version says when to re-send event_source_token_wo; set the \
             token too, or remove the version."
                .to_string(),
        ));
    }
}

fn check_statement_id(args: &PermissionArgs<'_>, out: &mut Vec<Problem>) {
    if let Some(sid) = args.statement_id.as_option() {
        if !(1..=STATEMENT_ID_MAX).contains(&sid.len()) || !sid.bytes().all(is_statement_id_char) {
            out.push(problem(
                "statement_id",
                "Invalid statement_id",
                format!(
                    "statement_id \"{sid}\" must be 1-{STATEMENT_ID_MAX} characters of letters, \
                     digits, hyphens and underscores."
                ),
            ));
        } else if is_temporary_statement_id(sid) {
            // A statement of this shape is an update's temporary one: a
            // create would take it for its own leftover, and another
            // resource's delete would sweep it.
            out.push(problem(
                "statement_id",
                "Reserved statement_id",
                format!(
                    "statement_id \"{sid}\" ends with -lwtmp or -lwtmq, which lambdawire keeps \
                     for the temporary statement of an update without a gap; choose another id."
                ),
            ));
        }
    }
    if let Some(prefix) = args.statement_id_prefix.as_option() {
        if prefix.len() > STATEMENT_ID_PREFIX_MAX || !prefix.bytes().all(is_statement_id_char) {
            out.push(problem(
                "statement_id_prefix",
                "Invalid statement_id_prefix",
                format!(
                    "statement_id_prefix \"{prefix}\" must be at most {STATEMENT_ID_PREFIX_MAX} \
                     characters of letters, digits, hyphens and underscores, leaving room for \
                     the generated suffix within Lambda's {STATEMENT_ID_MAX}-character limit."
                ),
            ));
        }
    }
    if args.statement_id.as_option().is_some() && args.statement_id_prefix.as_option().is_some() {
        out.push(problem(
            "statement_id",
            "Conflicting statement id arguments",
            "statement_id and statement_id_prefix cannot both be set: use statement_id for a \
             fixed id or statement_id_prefix for a generated one."
                .to_string(),
        ));
    }
}

fn check_action(args: &PermissionArgs<'_>, out: &mut Vec<Problem>) {
    if let Some(action) = args.action.as_option() {
        if !is_lambda_action(action) {
            out.push(problem(
                "action",
                "Invalid action",
                format!(
                    "action \"{action}\" must be a Lambda action of the form lambda:<Name>, \
                     e.g. lambda:InvokeFunction, lambda:InvokeFunctionUrl or lambda:GetFunction."
                ),
            ));
        }
    }
    let Some(auth) = args.function_url_auth_type.as_option() else {
        return;
    };
    if auth != "AWS_IAM" && auth != "NONE" {
        out.push(problem(
            "function_url_auth_type",
            "Invalid function_url_auth_type",
            format!("function_url_auth_type \"{auth}\" must be AWS_IAM or NONE."),
        ));
    }
    let action = match args.action {
        Value::Unknown => return,
        Value::Null => DEFAULT_ACTION,
        Value::Value(a) => a,
    };
    // IAM action names are case-insensitive.
    if !action.eq_ignore_ascii_case(FUNCTION_URL_ACTION) {
        out.push(problem(
            "function_url_auth_type",
            "function_url_auth_type needs the function URL action",
            format!(
                "function_url_auth_type only applies to action {FUNCTION_URL_ACTION}, but action \
                 is \"{action}\". Set action = \"{FUNCTION_URL_ACTION}\" or remove \
                 function_url_auth_type."
            ),
        ));
    }
}

/// `lambda:InvokedViaFunctionUrl` only qualifies `lambda:InvokeFunction`:
/// Lambda refuses it with any other action, so say so at plan time.
fn check_invoked_via_function_url(args: &PermissionArgs<'_>, out: &mut Vec<Problem>) {
    if args.invoked_via_function_url != Some(true) {
        return;
    }
    let action = match args.action {
        Value::Unknown => return,
        Value::Null => DEFAULT_ACTION,
        Value::Value(a) => a,
    };
    // IAM action names are case-insensitive.
    if !action.eq_ignore_ascii_case(DEFAULT_ACTION) {
        out.push(problem(
            "invoked_via_function_url",
            "invoked_via_function_url needs action lambda:InvokeFunction",
            format!(
                "invoked_via_function_url only applies to action {DEFAULT_ACTION}, but action is \
                 \"{action}\". For {FUNCTION_URL_ACTION} use function_url_auth_type instead, or \
                 remove invoked_via_function_url."
            ),
        ));
    }
}

fn check_principal(args: &PermissionArgs<'_>, out: &mut Vec<Problem>) {
    match (args.principal, args.source_arn) {
        (Value::Null, Value::Null) => out.push(problem(
            "principal",
            "Missing principal",
            "principal is required unless source_arn names the calling service: set principal \
             to a service principal (e.g. s3.amazonaws.com), an account id, an IAM ARN or \"*\", \
             or set source_arn so the service principal can be inferred."
                .to_string(),
        )),
        (Value::Null, Value::Value(arn)) if split_arn(arn).is_some() => {
            if let Err(e) = principal_for_arn(arn) {
                out.push(problem("principal", "Cannot infer principal", e));
            }
        }
        (Value::Value(p), Value::Value(arn)) if split_arn(arn).is_some() => {
            if let Err(e) = principal_agrees_with_source(p, arn) {
                out.push(problem(
                    "principal",
                    "principal does not match source_arn",
                    e,
                ));
            }
        }
        _ => {}
    }

    let Some(p) = args.principal.as_option() else {
        return;
    };
    if p == "*" || is_service_principal(p) {
        return;
    }
    if !is_account_id(p) && !is_iam_principal_arn(p) {
        out.push(problem(
            "principal",
            "Invalid principal",
            format!(
                "principal \"{p}\" must be a service principal (e.g. s3.amazonaws.com), a \
                 12-digit account id, an account root ARN (arn:aws:iam::123456789012:root), an \
                 IAM role or user ARN, or \"*\"."
            ),
        ));
    }
}

/// Rules guarding against grants broader than the user likely intends:
/// each refuses a risk the one meaning of a grant ([`risks`]) sees, so the
/// data source reports the same grant when it comes from elsewhere.
fn check_scoping(args: &PermissionArgs<'_>, out: &mut Vec<Problem>) {
    let (found, unconfined) = judged(args);
    check_service_source(args, &found, out);
    check_s3_source_account(args, &found, out);
    check_source_arn_scope(args, &found, out);
    check_wildcard_principal(unconfined, out);
    check_any_account_url(&found, out);
}

/// The risks of the arguments' grant, and whether it is a public principal
/// held to nothing ([`public_unconfined`]), for every value their unknown
/// parts may still take: an unknown string counts as set ([`planned`]), and
/// of an unknown `invoked_via_function_url` only what holds either way is
/// kept, so a rule whose inputs are unknown never refuses a plan.
fn judged(args: &PermissionArgs<'_>) -> (Vec<Risk>, bool) {
    let principal = effective_principal(args);
    let judge = |invoked_via_function_url: bool| {
        let grant = Grant {
            principal: principal.as_deref().unwrap_or(NOT_YET_KNOWN),
            action: match args.action {
                Value::Null => DEFAULT_ACTION,
                Value::Unknown => NOT_YET_KNOWN,
                Value::Value(a) => a,
            },
            function_account: None,
            source_arn: planned(args.source_arn),
            source_account: planned(args.source_account),
            principal_org_id: planned(args.principal_org_id),
            function_url_auth_type: planned(args.function_url_auth_type),
            invoked_via_function_url,
            event_source_token: !args.event_source_token.is_null()
                || !args.event_source_token_wo.is_null(),
        };
        (risks(&grant), public_unconfined(&grant))
    };
    match args.invoked_via_function_url {
        Some(via) => judge(via),
        None => {
            let ((with, unconfined_with), (without, unconfined_without)) =
                (judge(true), judge(false));
            let both = with.into_iter().filter(|r| without.contains(r)).collect();
            (both, unconfined_with && unconfined_without)
        }
    }
}

/// A service principal is scoped by the resource that invokes (or a token).
fn check_service_source(args: &PermissionArgs<'_>, found: &[Risk], out: &mut Vec<Problem>) {
    if let (Some(p), Some(false)) = (args.principal.as_option(), args.allow_unscoped_source) {
        if found.contains(&Risk::NoSourceArn) {
            out.push(problem(
                "source_arn",
                "Service principal without source_arn",
                format!(
                    "principal \"{p}\" is a service principal but source_arn is not set. Without \
                     it, a resource of that service in any AWS account could be configured to \
                     invoke this function (the confused-deputy problem). Set source_arn to the \
                     resource that should invoke it (or event_source_token_wo for Alexa), or set \
                     allow_unscoped_source = true if every caller of that service is intended."
                ),
            ));
        }
    }
}

/// S3's source ARNs name no account, so S3 needs the bucket owner's too.
fn check_s3_source_account(args: &PermissionArgs<'_>, found: &[Risk], out: &mut Vec<Problem>) {
    if args.allow_unscoped_source == Some(false) && found.contains(&Risk::NoSourceAccount) {
        out.push(problem(
            "source_account",
            "S3 grant without source_account",
            "principal s3.amazonaws.com needs source_account: bucket ARNs carry no account \
             id, so if the bucket is deleted anyone can re-create it under the same name in \
             their own account and invoke this function. Set source_account to the bucket \
             owner's account id, or set allow_unscoped_source = true."
                .to_string(),
        ));
    }
}

/// A source ARN with wildcards in its region or account scopes nothing; one
/// with a malformed region or account (a typo) is no ARN at all, which
/// `allow_unscoped_source` does not accept.
fn check_source_arn_scope(args: &PermissionArgs<'_>, found: &[Risk], out: &mut Vec<Problem>) {
    if let Some(why) = args
        .source_arn
        .as_option()
        .and_then(arn::malformed_pattern_field)
    {
        out.push(problem("source_arn", "invalid source_arn", why));
        return;
    }
    if let (Some(source), Some(false)) = (args.source_arn.as_option(), args.allow_unscoped_source) {
        let scopes_nothing = found.iter().find_map(|r| match r {
            Risk::SourceArnScopesNothing(why) => Some(why),
            _ => None,
        });
        if let Some(why) = scopes_nothing {
            out.push(problem(
                "source_arn",
                "source_arn scopes nothing",
                format!(
                    "source_arn \"{source}\" does not name one resource: {why}, so resources of \
                     that name in other accounts or regions could invoke this function (the \
                     confused-deputy problem), as if source_arn were not set. Name the region \
                     and the 12-digit account (wildcards are allowed only in the resource part, \
                     an execute-api path say), or set allow_unscoped_source = true if every \
                     such caller is intended."
                ),
            ));
        }
    }
}

/// `"*"` through a function URL with auth type `AWS_IAM` and neither an
/// account nor an organisation lets every AWS account call the URL
/// ([`Risk::AnyAccountUrl`]): the data source reports it and
/// `lambdawire_function_url_access` refuses it, so this resource refuses
/// it too.
fn check_any_account_url(found: &[Risk], out: &mut Vec<Problem>) {
    if found.contains(&Risk::AnyAccountUrl) {
        out.push(problem(
            "principal",
            "function URL open to every AWS account",
            "principal \"*\" with function_url_auth_type = \"AWS_IAM\" lets every \
             authenticated principal of every AWS account call the function URL. Add \
             principal_org_id (your AWS Organization) or source_account, or name the caller's \
             account or role as the principal."
                .to_string(),
        ));
    }
}

/// `"*"` needs an organisation or the function URL to scope it
/// ([`public_unconfined`]).
fn check_wildcard_principal(unconfined: bool, out: &mut Vec<Problem>) {
    if unconfined {
        out.push(problem(
            "principal",
            "Unscoped wildcard principal",
            "principal \"*\" lets any AWS account invoke this function. Scope it with \
             principal_org_id (your AWS Organization) or, for a function URL, with \
             function_url_auth_type and action lambda:InvokeFunctionUrl, or with \
             invoked_via_function_url = true and action lambda:InvokeFunction."
                .to_string(),
        ));
    }
}

fn check_condition_values(args: &PermissionArgs<'_>, out: &mut Vec<Problem>) {
    check_conditions(args.source_account, args.principal_org_id, out);
    if let Some(source) = args.source_arn.as_option() {
        if let Err(why) = arn::parse_pattern(source) {
            out.push(problem(
                "source_arn",
                "Invalid source_arn",
                format!(
                    "{why}. source_arn is the ARN of the resource that invokes the function; \
                     wildcards are allowed only in its resource part (an execute-api path, say)."
                ),
            ));
        }
    }
    if let Some(token) = args.event_source_token.as_option() {
        if !is_event_source_token(token) {
            out.push(problem(
                "event_source_token",
                "Invalid event_source_token",
                "event_source_token must be 1-256 characters of letters, digits, '.', '_' and \
                 '-'."
                    .to_string(),
            ));
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::plugin::Value::{Null, Unknown, Value};

    /// A fully scoped S3 trigger: the baseline every case mutates.
    fn base() -> PermissionArgs<'static> {
        PermissionArgs {
            function_name: Value("my-function"),
            statement_id: Value("AllowS3"),
            source_arn: Value("arn:aws:s3:::my-bucket"),
            source_account: Value("123456789012"),
            allow_unscoped_source: Some(false),
            invoked_via_function_url: Some(false),
            ..PermissionArgs::default()
        }
    }

    type Case = (
        &'static str,
        fn(&mut PermissionArgs<'static>),
        &'static [&'static str],
    );

    fn run(cases: &[Case]) {
        for (name, mutate, want) in cases {
            let mut args = base();
            mutate(&mut args);
            let problems = validate(&args);
            let mut got: Vec<String> = problems.iter().map(|p| p.path_text()).collect();
            got.sort_unstable();
            let mut want = want.to_vec();
            want.sort_unstable();
            assert_eq!(got, want, "case {name}: {problems:#?}");
            for p in &problems {
                assert!(!p.summary.is_empty() && !p.detail.is_empty(), "case {name}");
            }
        }
    }

    #[test]
    fn baseline_is_valid() {
        assert_eq!(validate(&base()), vec![]);
    }

    #[test]
    fn a_function_url_open_to_every_account_is_refused_and_scoping_it_passes() {
        fn url(a: &mut PermissionArgs<'static>) {
            a.source_arn = Null;
            a.source_account = Null;
            a.principal = Value("*");
            a.action = Value("lambda:InvokeFunctionUrl");
            a.function_url_auth_type = Value("AWS_IAM");
        }
        run(&[
            ("any account", url, &["principal"]),
            (
                "an organisation",
                |a| {
                    url(a);
                    a.principal_org_id = Value("o-a1b2c3d4e5");
                },
                &[],
            ),
            (
                "one account",
                |a| {
                    url(a);
                    a.source_account = Value("123456789012");
                },
                &[],
            ),
            (
                "a public URL",
                |a| {
                    url(a);
                    a.function_url_auth_type = Value("NONE");
                },
                &[],
            ),
            (
                "unknown organisation",
                |a| {
                    url(a);
                    a.principal_org_id = Unknown;
                },
                &[],
            ),
        ]);
    }

    #[test]
    fn function_name_and_qualifier_rules() {
        run(&[
            (
                "full arn",
                |a| a.function_name = Value("arn:aws:lambda:us-east-1:123456789012:function:f"),
                &[],
            ),
            (
                "partial arn qualified",
                |a| a.function_name = Value("123456789012:function:f:prod"),
                &[],
            ),
            (
                "bad name",
                |a| a.function_name = Value("my function"),
                &["function_name"],
            ),
            (
                "bad arn",
                |a| a.function_name = Value("arn:aws:s3:::b"),
                &["function_name"],
            ),
            (
                "latest in name",
                |a| a.function_name = Value("f:$LATEST"),
                &["function_name"],
            ),
            ("qualifier ok", |a| a.qualifier = Value("live"), &[]),
            ("qualifier version", |a| a.qualifier = Value("12"), &[]),
            (
                "qualifier chars",
                |a| a.qualifier = Value("a.b"),
                &["qualifier"],
            ),
            (
                "qualifier empty",
                |a| a.qualifier = Value(""),
                &["qualifier"],
            ),
            (
                "qualifier latest",
                |a| a.qualifier = Value("$LATEST"),
                &["qualifier"],
            ),
            (
                "same qualifier twice",
                |a| {
                    a.function_name = Value("f:live");
                    a.qualifier = Value("live");
                },
                &[],
            ),
            (
                "conflicting qualifiers",
                |a| {
                    a.function_name =
                        Value("arn:aws:lambda:us-east-1:123456789012:function:f:live");
                    a.qualifier = Value("2");
                },
                &["qualifier"],
            ),
        ]);
        let p = validate(&PermissionArgs {
            qualifier: Value("$LATEST"),
            ..base()
        });
        assert!(p[0].detail.contains("$LATEST"), "{p:?}");
    }

    #[test]
    fn statement_id_rules() {
        run(&[
            (
                "max length",
                |a| {
                    a.statement_id = Value("a-_9Zaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa")
                },
                &[],
            ),
            (
                "too long",
                |a| {
                    a.statement_id = Value("aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa")
                },
                &["statement_id"],
            ),
            ("empty", |a| a.statement_id = Value(""), &["statement_id"]),
            (
                "bad char",
                |a| a.statement_id = Value("allow.s3"),
                &["statement_id"],
            ),
            (
                "an update's temporary id",
                |a| a.statement_id = Value("allow-s3-lwtmp"),
                &["statement_id"],
            ),
            (
                "the other temporary id",
                |a| a.statement_id = Value("allow-s3-lwtmq"),
                &["statement_id"],
            ),
            (
                "the suffix inside the id",
                |a| a.statement_id = Value("allow-lwtmp-s3"),
                &[],
            ),
            (
                "prefix only",
                |a| {
                    a.statement_id = Null;
                    a.statement_id_prefix = Value("lw-");
                },
                &[],
            ),
            (
                "prefix 84",
                |a| {
                    a.statement_id = Null;
                    a.statement_id_prefix = Value("pppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppp");
                },
                &[],
            ),
            (
                "prefix 85",
                |a| {
                    a.statement_id = Null;
                    a.statement_id_prefix = Value("ppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppp");
                },
                &["statement_id_prefix"],
            ),
            (
                "prefix bad char",
                |a| {
                    a.statement_id = Null;
                    a.statement_id_prefix = Value("a b");
                },
                &["statement_id_prefix"],
            ),
            (
                "both",
                |a| a.statement_id_prefix = Value("x"),
                &["statement_id"],
            ),
        ]);
        assert_eq!("a-_9Z".len() + 95, STATEMENT_ID_MAX);
    }

    #[test]
    fn action_and_function_url_rules() {
        run(&[
            (
                "get function",
                |a| a.action = Value("lambda:GetFunction"),
                &[],
            ),
            (
                "not lambda",
                |a| a.action = Value("s3:GetObject"),
                &["action"],
            ),
            ("wildcard", |a| a.action = Value("lambda:*"), &["action"]),
            ("bare", |a| a.action = Value("InvokeFunction"), &["action"]),
            (
                "url auth with url action",
                |a| {
                    a.action = Value("lambda:InvokeFunctionUrl");
                    a.function_url_auth_type = Value("AWS_IAM");
                },
                &[],
            ),
            (
                "url auth case-insensitive action",
                |a| {
                    a.action = Value("lambda:invokefunctionurl");
                    a.function_url_auth_type = Value("NONE");
                },
                &[],
            ),
            (
                "url auth bad value",
                |a| {
                    a.action = Value("lambda:InvokeFunctionUrl");
                    a.function_url_auth_type = Value("IAM");
                },
                &["function_url_auth_type"],
            ),
            (
                "url auth default action",
                |a| a.function_url_auth_type = Value("NONE"),
                &["function_url_auth_type"],
            ),
            (
                "invoked via url with the url action",
                |a| {
                    a.action = Value("lambda:InvokeFunctionUrl");
                    a.invoked_via_function_url = Some(true);
                },
                &["invoked_via_function_url"],
            ),
            (
                "invoked via url with another action",
                |a| {
                    a.action = Value("lambda:GetFunction");
                    a.invoked_via_function_url = Some(true);
                },
                &["invoked_via_function_url"],
            ),
            (
                "invoked via url false with any action",
                |a| {
                    a.action = Value("lambda:GetFunction");
                    a.invoked_via_function_url = Some(false);
                },
                &[],
            ),
            (
                "url auth wrong action",
                |a| {
                    a.action = Value("lambda:InvokeFunction");
                    a.function_url_auth_type = Value("AWS_IAM");
                },
                &["function_url_auth_type"],
            ),
        ]);
    }

    #[test]
    fn principal_rules() {
        run(&[
            (
                "nothing to infer from",
                |a| {
                    a.source_arn = Null;
                    a.source_account = Null;
                },
                &["principal"],
            ),
            (
                "cannot infer",
                |a| {
                    a.source_arn = Value("arn:aws:ec2:us-east-1:123456789012:instance/i-1");
                    a.source_account = Null;
                },
                &["principal"],
            ),
            (
                "explicit agrees",
                |a| a.principal = Value("s3.amazonaws.com"),
                &[],
            ),
            (
                "explicit disagrees",
                |a| a.principal = Value("sns.amazonaws.com"),
                &["principal"],
            ),
            (
                "explicit for unknown service",
                |a| {
                    a.principal = Value("ec2.amazonaws.com");
                    a.source_arn = Value("arn:aws:ec2:us-east-1:123456789012:instance/i-1");
                },
                &[],
            ),
            (
                "account id",
                |a| {
                    a.principal = Value("210987654321");
                    a.source_arn = Null;
                    a.source_account = Null;
                },
                &[],
            ),
            (
                "account root",
                |a| {
                    a.principal = Value("arn:aws:iam::210987654321:root");
                    a.source_arn = Null;
                    a.source_account = Null;
                },
                &[],
            ),
            (
                "role arn with path",
                |a| {
                    a.principal = Value("arn:aws-us-gov:iam::210987654321:role/team/deployer");
                    a.source_arn = Null;
                    a.source_account = Null;
                },
                &[],
            ),
            (
                "user arn",
                |a| {
                    a.principal = Value("arn:aws:iam::210987654321:user/ci");
                    a.source_arn = Null;
                    a.source_account = Null;
                },
                &[],
            ),
            (
                "short account",
                |a| {
                    a.principal = Value("12345");
                    a.source_arn = Null;
                    a.source_account = Null;
                },
                &["principal"],
            ),
            (
                "group arn",
                |a| {
                    a.principal = Value("arn:aws:iam::210987654321:group/devs");
                    a.source_arn = Null;
                    a.source_account = Null;
                },
                &["principal"],
            ),
            (
                "empty role name",
                |a| {
                    a.principal = Value("arn:aws:iam::210987654321:role/");
                    a.source_arn = Null;
                    a.source_account = Null;
                },
                &["principal"],
            ),
            (
                "free text",
                |a| {
                    a.principal = Value("my-friend");
                    a.source_arn = Null;
                    a.source_account = Null;
                },
                &["principal"],
            ),
        ]);
    }

    #[test]
    fn scoping_rules() {
        run(&[
            (
                "service without source_arn",
                |a| {
                    a.principal = Value("sns.amazonaws.com");
                    a.source_arn = Null;
                    a.source_account = Null;
                },
                &["source_arn"],
            ),
            (
                "service without source_arn, allowed",
                |a| {
                    a.principal = Value("sns.amazonaws.com");
                    a.source_arn = Null;
                    a.source_account = Null;
                    a.allow_unscoped_source = Some(true);
                },
                &[],
            ),
            (
                "alexa scoped by token",
                |a| {
                    a.principal = Value("alexa-appkit.amazon.com");
                    a.source_arn = Null;
                    a.source_account = Null;
                    a.event_source_token = Value("amzn1.ask.skill.1234-abcd");
                },
                &[],
            ),
            (
                "s3 without account",
                |a| a.source_account = Null,
                &["source_account"],
            ),
            (
                "s3 explicit without account",
                |a| {
                    a.principal = Value("s3.amazonaws.com");
                    a.source_account = Null;
                },
                &["source_account"],
            ),
            (
                "s3 without account, allowed",
                |a| {
                    a.source_account = Null;
                    a.allow_unscoped_source = Some(true);
                },
                &[],
            ),
            (
                "s3 with neither",
                |a| {
                    a.principal = Value("s3.amazonaws.com");
                    a.source_arn = Null;
                    a.source_account = Null;
                },
                &["source_arn", "source_account"],
            ),
            (
                "source arn with wildcard account and region",
                |a| {
                    a.source_arn = Value("arn:aws:sns:*:*:topic");
                    a.source_account = Null;
                },
                &["source_arn"],
            ),
            (
                "source arn with wildcard account and region, allowed",
                |a| {
                    a.source_arn = Value("arn:aws:sns:*:*:topic");
                    a.source_account = Null;
                    a.allow_unscoped_source = Some(true);
                },
                &[],
            ),
            (
                "source arn with wildcard account and region, unknown allow flag",
                |a| {
                    a.source_arn = Value("arn:aws:sns:*:*:topic");
                    a.source_account = Null;
                    a.allow_unscoped_source = None;
                },
                &[],
            ),
            (
                "source arn with wildcard region",
                |a| {
                    a.source_arn = Value("arn:aws:events:*:123456789012:rule/nightly");
                    a.source_account = Null;
                },
                &["source_arn"],
            ),
            (
                "source arn with partly wildcard account",
                |a| {
                    a.source_arn = Value("arn:aws:events:us-east-1:12345678901?:rule/nightly");
                    a.source_account = Null;
                },
                &["source_arn"],
            ),
            (
                "source arn with empty region",
                |a| {
                    a.source_arn = Value("arn:aws:sns::123456789012:topic");
                    a.source_account = Null;
                },
                &["source_arn"],
            ),
            (
                "source arn scoped to an account principal still scopes",
                |a| {
                    a.principal = Value("210987654321");
                    a.source_arn = Value("arn:aws:sns:us-east-1:*:topic");
                    a.source_account = Null;
                },
                &["source_arn"],
            ),
            (
                "wildcards in the resource part scope",
                |a| {
                    a.source_arn =
                        Value("arn:aws:execute-api:us-east-1:123456789012:abc123/*/GET/*");
                    a.source_account = Null;
                },
                &[],
            ),
            (
                "bucket source has no account to scope",
                |a| a.source_arn = Value("arn:aws:s3:::uploads-*"),
                &[],
            ),
            (
                "wildcard service",
                |a| {
                    a.principal = Value("sns.amazonaws.com");
                    a.source_arn = Value("arn:aws:*:us-east-1:123456789012:topic");
                    a.source_account = Null;
                },
                &["source_arn"],
            ),
            (
                "wildcard partition",
                |a| {
                    a.principal = Value("sns.amazonaws.com");
                    a.source_arn = Value("arn:*:sns:us-east-1:123456789012:topic");
                    a.source_account = Null;
                },
                &["source_arn"],
            ),
            (
                "uppercase region",
                |a| {
                    a.principal = Value("sns.amazonaws.com");
                    a.source_arn = Value("arn:aws:sns:US-EAST-1:123456789012:topic");
                    a.source_account = Null;
                },
                &["source_arn"],
            ),
            (
                "wildcard alone",
                |a| {
                    a.principal = Value("*");
                    a.source_arn = Null;
                    a.source_account = Null;
                },
                &["principal"],
            ),
            (
                "wildcard with org",
                |a| {
                    a.principal = Value("*");
                    a.source_arn = Null;
                    a.source_account = Null;
                    a.principal_org_id = Value("o-a1b2c3d4e5");
                },
                &[],
            ),
            (
                "wildcard invoked via function url",
                |a| {
                    a.principal = Value("*");
                    a.source_arn = Null;
                    a.source_account = Null;
                    a.invoked_via_function_url = Some(true);
                },
                &[],
            ),
            (
                "wildcard invoked via function url, explicit action",
                |a| {
                    a.principal = Value("*");
                    a.source_arn = Null;
                    a.source_account = Null;
                    a.action = Value("lambda:invokefunction");
                    a.invoked_via_function_url = Some(true);
                },
                &[],
            ),
            (
                "wildcard with invoked_via_function_url false",
                |a| {
                    a.principal = Value("*");
                    a.source_arn = Null;
                    a.source_account = Null;
                    a.invoked_via_function_url = Some(false);
                },
                &["principal"],
            ),
            (
                "wildcard public url",
                |a| {
                    a.principal = Value("*");
                    a.source_arn = Null;
                    a.source_account = Null;
                    a.action = Value("lambda:InvokeFunctionUrl");
                    a.function_url_auth_type = Value("NONE");
                },
                &[],
            ),
        ]);
    }

    #[test]
    fn condition_value_rules() {
        run(&[
            (
                "account letters",
                |a| a.source_account = Value("12345678901a"),
                &["source_account"],
            ),
            (
                "account short",
                |a| a.source_account = Value("1234"),
                &["source_account"],
            ),
            (
                "org too short",
                |a| {
                    a.principal_org_id = Value("o-abc");
                },
                &["principal_org_id"],
            ),
            (
                "org upper",
                |a| a.principal_org_id = Value("o-ABCDEFGHIJ"),
                &["principal_org_id"],
            ),
            (
                "org no prefix",
                |a| a.principal_org_id = Value("a1b2c3d4e5f6"),
                &["principal_org_id"],
            ),
            (
                "org max",
                |a| a.principal_org_id = Value("o-abcdefghij0123456789abcdefghij01"),
                &[],
            ),
            (
                "org too long",
                |a| a.principal_org_id = Value("o-abcdefghij0123456789abcdefghij012"),
                &["principal_org_id"],
            ),
            (
                "source not arn, principal explicit",
                |a| {
                    a.principal = Value("s3.amazonaws.com");
                    a.source_arn = Value("my-bucket");
                },
                &["source_arn"],
            ),
            (
                "source not arn, principal inferred",
                |a| a.source_arn = Value("my-bucket"),
                &["source_arn"],
            ),
            (
                "token bad chars",
                |a| a.event_source_token = Value("a b"),
                &["event_source_token"],
            ),
        ]);
    }

    #[test]
    fn write_only_token_rules() {
        run(&[
            (
                "alexa scoped by write-only token",
                |a| {
                    a.principal = Value("alexa-appkit.amazon.com");
                    a.source_arn = Null;
                    a.source_account = Null;
                    a.event_source_token_wo = Value("amzn1.ask.skill.1234-abcd");
                    a.event_source_token_wo_version = Some(true);
                },
                &[],
            ),
            (
                "both tokens",
                |a| {
                    a.event_source_token = Value("amzn1.ask.skill.1");
                    a.event_source_token_wo = Value("amzn1.ask.skill.2");
                },
                &["event_source_token_wo"],
            ),
            (
                "both tokens, one unknown",
                |a| {
                    a.event_source_token = Unknown;
                    a.event_source_token_wo = Value("amzn1.ask.skill.2");
                },
                &[],
            ),
            (
                "write-only token bad chars",
                |a| a.event_source_token_wo = Value("a b"),
                &["event_source_token_wo"],
            ),
            (
                "version without token",
                |a| a.event_source_token_wo_version = Some(true),
                &["event_source_token_wo_version"],
            ),
            (
                "unknown version without token",
                |a| a.event_source_token_wo_version = None,
                &[],
            ),
        ]);
    }

    #[test]
    fn unknowns_suppress_rules() {
        run(&[
            ("unknown function name", |a| a.function_name = Unknown, &[]),
            (
                "unknown qualifier beside qualified name",
                |a| {
                    a.function_name = Value("f:live");
                    a.qualifier = Unknown;
                },
                &[],
            ),
            (
                "unknown name beside qualifier",
                |a| {
                    a.function_name = Unknown;
                    a.qualifier = Value("live");
                },
                &[],
            ),
            (
                "unknown prefix beside id",
                |a| a.statement_id_prefix = Unknown,
                &[],
            ),
            (
                "unknown id beside prefix",
                |a| {
                    a.statement_id = Unknown;
                    a.statement_id_prefix = Value("x");
                },
                &[],
            ),
            (
                "unknown action with url auth",
                |a| {
                    a.action = Unknown;
                    a.function_url_auth_type = Value("NONE");
                },
                &[],
            ),
            (
                "unknown source, null principal",
                |a| {
                    a.source_arn = Unknown;
                    a.source_account = Null;
                },
                &[],
            ),
            (
                "unknown principal, null source",
                |a| {
                    a.principal = Unknown;
                    a.source_arn = Null;
                    a.source_account = Null;
                },
                &[],
            ),
            (
                "unknown principal with source",
                |a| a.principal = Unknown,
                &[],
            ),
            (
                "unknown allow flag",
                |a| {
                    a.principal = Value("sns.amazonaws.com");
                    a.source_arn = Null;
                    a.source_account = Null;
                    a.allow_unscoped_source = None;
                },
                &[],
            ),
            (
                "unknown source for service principal",
                |a| {
                    a.principal = Value("sns.amazonaws.com");
                    a.source_arn = Unknown;
                    a.source_account = Null;
                },
                &[],
            ),
            (
                "unknown token for service principal",
                |a| {
                    a.principal = Value("alexa-appkit.amazon.com");
                    a.source_arn = Null;
                    a.source_account = Null;
                    a.event_source_token = Unknown;
                },
                &[],
            ),
            (
                "unknown account for s3",
                |a| a.source_account = Unknown,
                &[],
            ),
            (
                "unknown allow flag for s3",
                |a| {
                    a.source_account = Null;
                    a.allow_unscoped_source = None;
                },
                &[],
            ),
            (
                "unknown org for wildcard",
                |a| {
                    a.principal = Value("*");
                    a.source_arn = Null;
                    a.source_account = Null;
                    a.principal_org_id = Unknown;
                },
                &[],
            ),
            (
                "unknown invoked_via_function_url for wildcard",
                |a| {
                    a.principal = Value("*");
                    a.source_arn = Null;
                    a.source_account = Null;
                    a.invoked_via_function_url = None;
                },
                &[],
            ),
            (
                "unknown action with invoked_via_function_url",
                |a| {
                    a.action = Unknown;
                    a.invoked_via_function_url = Some(true);
                },
                &[],
            ),
            (
                "unknown url auth for wildcard",
                |a| {
                    a.principal = Value("*");
                    a.source_arn = Null;
                    a.source_account = Null;
                    a.action = Value("lambda:InvokeFunctionUrl");
                    a.function_url_auth_type = Unknown;
                },
                &[],
            ),
            (
                "everything unknown",
                |a| {
                    *a = PermissionArgs {
                        function_name: Unknown,
                        qualifier: Unknown,
                        statement_id: Unknown,
                        statement_id_prefix: Unknown,
                        action: Unknown,
                        principal: Unknown,
                        source_arn: Unknown,
                        source_account: Unknown,
                        principal_org_id: Unknown,
                        function_url_auth_type: Unknown,
                        event_source_token: Unknown,
                        event_source_token_wo: Unknown,
                        event_source_token_wo_version: None,
                        invoked_via_function_url: None,
                        allow_unscoped_source: None,
                    };
                },
                &[],
            ),
        ]);
    }
}
