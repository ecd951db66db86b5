//! Layer: pure (no I/O). Configuration checks for
//! `lambdawire_function_url_access`: only grants a function URL can honour
//! pass, so nothing is written that would never match a call or would
//! match more callers than the auth type means.
//!
//! A rule runs only when every input it reads is known.

use crate::lambda::grant::{planned, risks, Grant, Risk, NOT_YET_KNOWN};
use crate::plugin::{Problem, Value};
use crate::resources::statement::rules::{
    check_conditions, check_target, field, is_iam_principal_arn, is_statement_id_char, Field,
    FUNCTION_URL_ACTION,
};
use crate::validate::arn;
use crate::validate::arn::is_account as is_account_id;
use crate::validate::names::STATEMENT_ID_MAX;

use super::model::UrlAccessState;

/// The public auth type: anyone may call, with no signature.
pub const NONE: &str = "NONE";
/// The signed auth type: only callers whose IAM identity the statements name.
pub const AWS_IAM: &str = "AWS_IAM";
/// The principal of CloudFront origin access control.
pub const CLOUDFRONT: &str = "cloudfront.amazonaws.com";
/// The suffixes of the two statement ids; the longer one bounds the prefix.
pub const URL_SUFFIX: &str = "-url";
/// Suffix of the `lambda:InvokeFunction` statement's id, the longer of the two.
pub const INVOKE_SUFFIX: &str = "-invoke";
/// Longest `statement_id_prefix`: both ids stay within Lambda's 100 characters.
pub const PREFIX_MAX: usize = STATEMENT_ID_MAX - INVOKE_SUFFIX.len();

fn problem(attribute: &'static str, summary: &str, detail: String) -> Problem {
    Problem::at(attribute, summary, detail)
}

/// The principal the statements get: `"*"` by default for `NONE`; `Null`
/// when `AWS_IAM` has none (an error), `Unknown` while it cannot be told.
pub fn effective_principal<'a>(principal: Field<'a>, auth_type: Field<'a>) -> Field<'a> {
    match (principal, auth_type) {
        (Value::Null, Value::Value(NONE)) => Value::Value("*"),
        (Value::Null, Value::Value(_)) => Value::Null,
        (Value::Null, _) => Value::Unknown,
        (given, _) => given,
    }
}

/// `arn:<partition>:cloudfront::<account>:distribution/<id>`: the one
/// distribution whose origin access control may call the URL.
pub fn cloudfront_distribution(text: &str) -> Result<(), String> {
    let form = "arn:aws:cloudfront::<12-digit account>:distribution/<distribution id>";
    let parsed = arn::parse(text)?;
    let why = if parsed.service != "cloudfront" {
        Some(format!("it is a {} ARN", parsed.service))
    } else if !parsed.region.is_empty() {
        Some(format!(
            "CloudFront ARNs have an empty region, not {:?}",
            parsed.region
        ))
    } else if !is_account_id(parsed.account) {
        Some(format!(
            "its account {:?} is not a 12-digit account id",
            parsed.account
        ))
    } else {
        let id = parsed.resource.strip_prefix("distribution/");
        match id {
            Some(id) if !id.is_empty() && id.bytes().all(|b| b.is_ascii_alphanumeric()) => None,
            _ => Some(format!(
                "{:?} is not one distribution (no wildcard)",
                parsed.resource
            )),
        }
    };
    match why {
        Some(why) => Err(format!(
            "{text:?} is not a CloudFront distribution ARN: {why}; expected {form}"
        )),
        None => Ok(()),
    }
}

/// Every problem in a configuration, each on its attribute path: the target,
/// the auth type, the principal it allows, the CloudFront source, the
/// conditions an unauthenticated call cannot carry, and the prefix.
pub fn problems(c: &UrlAccessState) -> Vec<Problem> {
    let mut out = Vec::new();
    let auth_type = field(&c.auth_type);
    check_target(field(&c.function_name), field(&c.qualifier), &mut out);
    if let Some(auth) = auth_type.as_option() {
        if auth != NONE && auth != AWS_IAM {
            out.push(problem(
                "auth_type",
                "Invalid auth_type",
                format!("auth_type \"{auth}\" must be NONE or AWS_IAM, as the function URL's."),
            ));
        }
    }
    let principal = effective_principal(field(&c.principal), auth_type);
    let found = url_risks(c, principal, auth_type);
    check_principal(principal, auth_type, &found, &mut out);
    check_source_arn(field(&c.source_arn), principal, &found, &mut out);
    check_scoping(c, auth_type, &mut out);
    check_prefix(field(&c.statement_id_prefix), &mut out);
    out
}

/// The risks the one meaning of a grant sees in the URL statement
/// (`lambda:InvokeFunctionUrl`, the half that decides who may call), an
/// unknown part counting as set ([`planned`]), so that this resource
/// refuses what the data source reports when it comes from elsewhere.
fn url_risks(c: &UrlAccessState, principal: Field<'_>, auth_type: Field<'_>) -> Vec<Risk> {
    risks(&Grant {
        principal: principal.as_option().unwrap_or(NOT_YET_KNOWN),
        action: FUNCTION_URL_ACTION,
        function_account: None,
        source_arn: planned(field(&c.source_arn)),
        source_account: planned(field(&c.source_account)),
        principal_org_id: planned(field(&c.principal_org_id)),
        function_url_auth_type: planned(auth_type),
        invoked_via_function_url: false,
        event_source_token: false,
    })
}

fn check_principal(
    principal: Field<'_>,
    auth_type: Field<'_>,
    found: &[Risk],
    out: &mut Vec<Problem>,
) {
    let p = match principal {
        Value::Value(p) => p,
        Value::Null => {
            out.push(problem(
                "principal",
                "Missing principal",
                "auth_type AWS_IAM needs the principal that may call the URL: a 12-digit account \
                 id, an IAM role or user ARN, or cloudfront.amazonaws.com (with source_arn, for \
                 CloudFront origin access control)."
                    .to_string(),
            ));
            return;
        }
        Value::Unknown => return,
    };
    let shaped = p == "*"
        || p == CLOUDFRONT
        || is_account_id(p)
        || (is_iam_principal_arn(p) && !arn::has_wildcard(p));
    if !shaped {
        out.push(problem(
            "principal",
            "Invalid principal",
            format!(
                "principal \"{p}\" must be \"*\" (auth_type NONE, or AWS_IAM with \
                 principal_org_id or source_account), or with auth_type AWS_IAM a 12-digit \
                 account id, an IAM role or user ARN without wildcards, or {CLOUDFRONT}."
            ),
        ));
        return;
    }
    match auth_type.as_option() {
        Some(NONE) if p != "*" => out.push(problem(
            "principal",
            "auth_type NONE takes only principal \"*\"",
            format!(
                "With auth_type NONE the function URL takes unsigned calls, which have no \
                 caller identity, so a statement for principal \"{p}\" would never match one. \
                 Use auth_type AWS_IAM (on the URL too) to limit who may call it."
            ),
        )),
        Some(AWS_IAM) if found.contains(&Risk::AnyAccountUrl) => out.push(problem(
            "principal",
            "Public principal with auth_type AWS_IAM",
            "principal \"*\" with AWS_IAM lets any signed caller of any AWS account invoke the \
             function through its URL. Name the account, role or user that may call it (or \
             cloudfront.amazonaws.com with source_arn), or keep \"*\" and scope it with \
             principal_org_id or source_account; for a public URL use auth_type NONE."
                .to_string(),
        )),
        _ => {}
    }
}

fn check_source_arn(
    source_arn: Field<'_>,
    principal: Field<'_>,
    found: &[Risk],
    out: &mut Vec<Problem>,
) {
    if let Some(source) = source_arn.as_option() {
        if let Err(why) = cloudfront_distribution(source) {
            out.push(problem("source_arn", "Invalid source_arn", why));
        } else if let Some(p) = principal.as_option().filter(|p| *p != CLOUDFRONT) {
            out.push(problem(
                "source_arn",
                "source_arn needs principal cloudfront.amazonaws.com",
                format!(
                    "source_arn names the CloudFront distribution whose origin access control \
                     may call the URL; principal \"{p}\" calls directly and carries no source, \
                     so the statements would never match. Set principal = \"{CLOUDFRONT}\", \
                     or remove source_arn."
                ),
            ));
        }
    }
    if principal.as_option() == Some(CLOUDFRONT) && found.contains(&Risk::NoSourceArn) {
        out.push(problem(
            "source_arn",
            "CloudFront without source_arn",
            "principal cloudfront.amazonaws.com without source_arn lets every CloudFront \
             distribution, in any account, call this URL. Set source_arn to your distribution's \
             ARN (arn:aws:cloudfront::<account>:distribution/<id>)."
                .to_string(),
        ));
    }
}

fn check_scoping(c: &UrlAccessState, auth_type: Field<'_>, out: &mut Vec<Problem>) {
    let unsigned = auth_type.as_option() == Some(NONE);
    for (attribute, value) in [
        ("source_account", field(&c.source_account)),
        ("principal_org_id", field(&c.principal_org_id)),
    ] {
        if unsigned && !value.is_null() {
            out.push(problem(
                attribute,
                "Scoping an unsigned function URL",
                format!(
                    "With auth_type NONE calls are unsigned and carry no account or \
                     organization, so {attribute} would make the statements match no call at \
                     all. Use auth_type AWS_IAM to scope who may call, or remove {attribute}."
                ),
            ));
        }
    }
    check_conditions(field(&c.source_account), field(&c.principal_org_id), out);
}

fn check_prefix(prefix: Field<'_>, out: &mut Vec<Problem>) {
    let Some(prefix) = prefix.as_option() else {
        return;
    };
    if !(1..=PREFIX_MAX).contains(&prefix.len()) || !prefix.bytes().all(is_statement_id_char) {
        out.push(problem(
            "statement_id_prefix",
            "Invalid statement_id_prefix",
            format!(
                "statement_id_prefix \"{prefix}\" must be 1-{PREFIX_MAX} characters of letters, \
                 digits, hyphens and underscores: the statement ids are \
                 <prefix>{URL_SUFFIX} and <prefix>{INVOKE_SUFFIX}, within Lambda's \
                 {STATEMENT_ID_MAX}-character limit."
            ),
        ));
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::plugin::str_value;

    fn public() -> UrlAccessState {
        UrlAccessState {
            function_name: str_value("hook"),
            auth_type: str_value(NONE),
            ..Default::default()
        }
    }

    fn iam(principal: &str) -> UrlAccessState {
        UrlAccessState {
            auth_type: str_value(AWS_IAM),
            principal: str_value(principal),
            ..public()
        }
    }

    fn paths(c: &UrlAccessState) -> Vec<String> {
        problems(c).iter().map(Problem::path_text).collect()
    }

    const DISTRIBUTION: &str = "arn:aws:cloudfront::123456789012:distribution/E2QWRUHEXAMPLE";

    #[test]
    fn good_configurations_pass() {
        let cloudfront = UrlAccessState {
            source_arn: str_value(DISTRIBUTION),
            source_account: str_value("123456789012"),
            ..iam(CLOUDFRONT)
        };
        let scoped_role = UrlAccessState {
            principal_org_id: str_value("o-abcdefghij"),
            ..iam("arn:aws:iam::210987654321:role/caller")
        };
        // "*" held to an organisation or an account is not every account.
        let organisation = UrlAccessState {
            principal_org_id: str_value("o-abcdefghij"),
            ..iam("*")
        };
        let own_account = UrlAccessState {
            source_account: str_value("123456789012"),
            ..iam("*")
        };
        let prefixed = UrlAccessState {
            statement_id_prefix: str_value(&"p".repeat(PREFIX_MAX)),
            qualifier: str_value("live"),
            principal: str_value("*"),
            ..public()
        };
        for c in [
            public(),
            prefixed,
            iam("210987654321"),
            iam("arn:aws:iam::210987654321:user/ci"),
            cloudfront,
            scoped_role,
            organisation,
            own_account,
        ] {
            assert_eq!(paths(&c), Vec::<String>::new(), "{c:?}");
        }
    }

    #[test]
    fn the_principal_must_fit_the_auth_type() {
        for (c, summary) in [
            (
                UrlAccessState {
                    principal: str_value("210987654321"),
                    ..public()
                },
                "auth_type NONE takes only principal \"*\"",
            ),
            (iam("*"), "Public principal with auth_type AWS_IAM"),
            (
                UrlAccessState {
                    principal: Value::Null,
                    ..iam("")
                },
                "Missing principal",
            ),
            (iam("arn:aws:iam::210987654321:role/*"), "Invalid principal"),
            (iam("s3.amazonaws.com"), "Invalid principal"),
            (
                iam("arn:aws:iam::210987654321:group/g"),
                "Invalid principal",
            ),
        ] {
            let found = problems(&c);
            assert_eq!(found.len(), 1, "{c:?}: {found:?}");
            assert_eq!(found[0].path_text(), "principal");
            assert_eq!(found[0].summary, summary, "{c:?}");
        }
    }

    #[test]
    fn cloudfront_needs_its_distribution_and_only_cloudfront_takes_one() {
        assert_eq!(paths(&iam(CLOUDFRONT)), ["source_arn"]);
        for bad in [
            "arn:aws:cloudfront::123456789012:distribution/*",
            "arn:aws:cloudfront:us-east-1:123456789012:distribution/E2QWRUHEXAMPLE",
            "arn:aws:cloudfront::*:distribution/E2QWRUHEXAMPLE",
            "arn:aws:s3:::bucket",
            "arn:aws:cloudfront::123456789012:origin-access-control/E2",
        ] {
            let c = UrlAccessState {
                source_arn: str_value(bad),
                ..iam(CLOUDFRONT)
            };
            let found = problems(&c);
            assert_eq!(found.len(), 1, "{bad}: {found:?}");
            assert_eq!(
                (found[0].path_text().as_str(), found[0].summary.as_str()),
                ("source_arn", "Invalid source_arn"),
                "{bad}"
            );
        }
        let role_with_source = UrlAccessState {
            source_arn: str_value(DISTRIBUTION),
            ..iam("210987654321")
        };
        assert_eq!(paths(&role_with_source), ["source_arn"]);
    }

    #[test]
    fn unsigned_urls_take_no_scoping_and_bad_values_are_named() {
        let scoped = UrlAccessState {
            source_account: str_value("123456789012"),
            principal_org_id: str_value("o-abcdefghij"),
            ..public()
        };
        assert_eq!(paths(&scoped), ["source_account", "principal_org_id"]);
        let bad = UrlAccessState {
            source_account: str_value("12345"),
            principal_org_id: str_value("org"),
            qualifier: str_value("$LATEST"),
            statement_id_prefix: str_value(&"p".repeat(PREFIX_MAX + 1)),
            auth_type: str_value(AWS_IAM),
            principal: str_value("210987654321"),
            ..public()
        };
        assert_eq!(
            paths(&bad),
            [
                "qualifier",
                "source_account",
                "principal_org_id",
                "statement_id_prefix"
            ]
        );
        let odd = UrlAccessState {
            auth_type: str_value("IAM"),
            statement_id_prefix: str_value("has space"),
            principal: str_value("*"),
            ..public()
        };
        assert_eq!(paths(&odd), ["auth_type", "statement_id_prefix"]);
    }

    #[test]
    fn unknown_values_are_skipped() {
        let c = UrlAccessState {
            function_name: Value::Unknown,
            auth_type: Value::Unknown,
            source_arn: Value::Unknown,
            ..Default::default()
        };
        assert_eq!(paths(&c), Vec::<String>::new());
        let unknown_principal = UrlAccessState {
            principal: Value::Unknown,
            ..iam("")
        };
        assert_eq!(paths(&unknown_principal), Vec::<String>::new());
    }
}
