//! Layer: pure (no I/O). Parses the several ways Lambda lets a caller name a
//! function (name, full ARN, partial ARN, each optionally qualified) and
//! reduces them to one canonical identity.

/// A parsed function reference; fields absent from the user's form are `None`
/// and are filled from the provider's region/account only when comparing.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FunctionRef {
    /// From a full ARN only (`aws`, `aws-cn`, ...).
    pub partition: Option<String>,
    /// From a full ARN only.
    pub region: Option<String>,
    /// From a full or partial ARN (`123456789012:function:f`).
    pub account_id: Option<String>,
    /// The function name alone, checked: 1-64 letters, digits, `-` and `_`.
    pub name: String,
    /// The version or alias after the name (`f:live`); `None` when unqualified.
    pub qualifier: Option<String>,
}

const FORMS: &str = "expected a function name (my-function), a full ARN \
    (arn:aws:lambda:us-east-1:123456789012:function:my-function) or a partial ARN \
    (123456789012:function:my-function), optionally followed by :<version or alias>";

use crate::validate::arn;
use crate::validate::names::{is_valid_function_name, is_valid_qualifier};

fn check_name(input: &str, name: &str) -> Result<String, String> {
    if is_valid_function_name(name) {
        Ok(name.to_string())
    } else {
        Err(format!(
            "invalid function name \"{name}\" in \"{input}\": a function name is 1-64 characters \
             of letters, digits, hyphens and underscores"
        ))
    }
}

fn check_qualifier(input: &str, qualifier: Option<&str>) -> Result<Option<String>, String> {
    match qualifier {
        None => Ok(None),
        Some(q) if is_valid_qualifier(q) => Ok(Some(q.to_string())),
        Some(q) => Err(format!(
            "invalid qualifier \"{q}\" in \"{input}\": a version or alias is 1-128 characters \
             of letters, digits, $, hyphens and underscores"
        )),
    }
}

fn check_account(input: &str, account: &str) -> Result<String, String> {
    if arn::is_account(account) {
        Ok(account.to_string())
    } else {
        Err(format!(
            "invalid account id \"{account}\" in \"{input}\": an account id is 12 digits"
        ))
    }
}

/// Parse a name, full ARN or partial ARN, each optionally `:qualifier`, every
/// part checked; the error names the forms Lambda accepts.
pub fn parse_function_ref(s: &str) -> Result<FunctionRef, String> {
    if s.starts_with("arn:") {
        return parse_full_arn(s);
    }
    let parts: Vec<&str> = s.split(':').collect();
    match parts.as_slice() {
        [name] => Ok(FunctionRef {
            partition: None,
            region: None,
            account_id: None,
            name: check_name(s, name)?,
            qualifier: None,
        }),
        [name, qualifier] => Ok(FunctionRef {
            partition: None,
            region: None,
            account_id: None,
            name: check_name(s, name)?,
            qualifier: check_qualifier(s, Some(qualifier))?,
        }),
        [account, "function", name, rest @ ..] if rest.len() <= 1 => Ok(FunctionRef {
            partition: None,
            region: None,
            account_id: Some(check_account(s, account)?),
            name: check_name(s, name)?,
            qualifier: check_qualifier(s, rest.first().copied())?,
        }),
        _ => Err(format!("\"{s}\" is not a function reference: {FORMS}")),
    }
}

/// A full ARN is checked by the provider's one ARN parser.
fn parse_full_arn(s: &str) -> Result<FunctionRef, String> {
    let f = arn::lambda_function(s).map_err(|why| format!("{why} ({FORMS})"))?;
    Ok(FunctionRef {
        partition: Some(f.arn.partition.as_str().to_string()),
        region: Some(f.arn.region.to_string()),
        account_id: Some(f.arn.account.to_string()),
        name: f.name.to_string(),
        qualifier: f.qualifier.map(str::to_string),
    })
}

/// Key that is identical for every way of naming the same function (+qualifier)
/// in one region/account; used to serialise policy edits. Takes the provider's
/// region and account for the forms that omit them.
///
/// The partition is left out because region names are unique across
/// partitions. A qualifier embedded in the reference wins over
/// `explicit_qualifier`; configurations where they differ are rejected by
/// validation, so the choice only matters for consistency.
pub fn lock_key(
    r: &FunctionRef,
    explicit_qualifier: Option<&str>,
    default_region: &str,
    default_account: &str,
) -> String {
    let region = r.region.as_deref().unwrap_or(default_region);
    let account = r.account_id.as_deref().unwrap_or(default_account);
    let qualifier = r.qualifier.as_deref().or(explicit_qualifier).unwrap_or("");
    // `:` cannot occur in any component, so the join is unambiguous.
    format!("{region}:{account}:{}:{qualifier}", r.name)
}

/// Do two function references name the same function (and qualifier) given
/// the provider's region/account? Used to keep the user's form and avoid
/// perpetual diffs. Unparseable input only matches itself, so a bad value is
/// never silently hidden behind a different stored one.
pub fn same_function(a: &str, b: &str, default_region: &str, default_account: &str) -> bool {
    if a == b {
        return true;
    }
    match (parse_function_ref(a), parse_function_ref(b)) {
        (Ok(ra), Ok(rb)) => {
            lock_key(&ra, None, default_region, default_account)
                == lock_key(&rb, None, default_region, default_account)
        }
        _ => false,
    }
}

/// How the target of a permission (function, then version or alias) differs
/// between two spellings; each `true` means a different object in AWS.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct TargetDiff {
    /// The two name different functions.
    pub function: bool,
    /// The two name different versions or aliases of it (unqualified counts as one).
    pub qualifier: bool,
}

/// Compare two (function_name, qualifier) pairs by what they name, so that
/// `processor:live` equals `processor` with qualifier `live`, and a name
/// equals its ARN. Unparseable input is compared as text, so a bad value is
/// never hidden behind a stored one.
pub fn target_diff(
    a: (&str, Option<&str>),
    b: (&str, Option<&str>),
    default_region: &str,
    default_account: &str,
) -> TargetDiff {
    match (parse_function_ref(a.0), parse_function_ref(b.0)) {
        (Ok(ra), Ok(rb)) => {
            let unqualified = |r: &FunctionRef| FunctionRef {
                qualifier: None,
                ..r.clone()
            };
            let qualifier_a = ra.qualifier.as_deref().or(a.1);
            let qualifier_b = rb.qualifier.as_deref().or(b.1);
            TargetDiff {
                function: lock_key(&unqualified(&ra), None, default_region, default_account)
                    != lock_key(&unqualified(&rb), None, default_region, default_account),
                qualifier: qualifier_a != qualifier_b,
            }
        }
        _ => TargetDiff {
            function: a.0 != b.0,
            qualifier: a.1 != b.1,
        },
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const REGION: &str = "us-east-1";
    const ACCOUNT: &str = "123456789012";

    fn key(s: &str, q: Option<&str>) -> String {
        let r = parse_function_ref(s).unwrap_or_else(|e| panic!("{s}: {e}"));
        lock_key(&r, q, REGION, ACCOUNT)
    }

    #[test]
    fn parses_each_form() {
        let cases: &[(&str, FunctionRef)] = &[
            (
                "my-function",
                FunctionRef {
                    partition: None,
                    region: None,
                    account_id: None,
                    name: "my-function".into(),
                    qualifier: None,
                },
            ),
            (
                "my_function:live",
                FunctionRef {
                    partition: None,
                    region: None,
                    account_id: None,
                    name: "my_function".into(),
                    qualifier: Some("live".into()),
                },
            ),
            (
                "123456789012:function:f",
                FunctionRef {
                    partition: None,
                    region: None,
                    account_id: Some("123456789012".into()),
                    name: "f".into(),
                    qualifier: None,
                },
            ),
            (
                "123456789012:function:f:7",
                FunctionRef {
                    partition: None,
                    region: None,
                    account_id: Some("123456789012".into()),
                    name: "f".into(),
                    qualifier: Some("7".into()),
                },
            ),
            (
                "arn:aws:lambda:us-east-1:123456789012:function:f",
                FunctionRef {
                    partition: Some("aws".into()),
                    region: Some("us-east-1".into()),
                    account_id: Some("123456789012".into()),
                    name: "f".into(),
                    qualifier: None,
                },
            ),
            (
                "arn:aws-us-gov:lambda:us-gov-west-1:123456789012:function:f:prod",
                FunctionRef {
                    partition: Some("aws-us-gov".into()),
                    region: Some("us-gov-west-1".into()),
                    account_id: Some("123456789012".into()),
                    name: "f".into(),
                    qualifier: Some("prod".into()),
                },
            ),
        ];
        for (input, want) in cases {
            assert_eq!(parse_function_ref(input).as_ref(), Ok(want), "{input}");
        }
    }

    #[test]
    fn every_form_of_one_function_shares_a_key() {
        let unqualified = [
            "f",
            "123456789012:function:f",
            "arn:aws:lambda:us-east-1:123456789012:function:f",
        ];
        let want = key(unqualified[0], None);
        for form in unqualified {
            assert_eq!(key(form, None), want, "{form}");
        }
        let qualified = [
            ("f:live", None),
            ("f", Some("live")),
            ("123456789012:function:f:live", None),
            ("123456789012:function:f", Some("live")),
            (
                "arn:aws:lambda:us-east-1:123456789012:function:f:live",
                None,
            ),
            (
                "arn:aws:lambda:us-east-1:123456789012:function:f",
                Some("live"),
            ),
            (
                "arn:aws:lambda:us-east-1:123456789012:function:f:live",
                Some("live"),
            ),
        ];
        let want_q = key("f:live", None);
        assert_ne!(want, want_q);
        for (form, q) in qualified {
            assert_eq!(key(form, q), want_q, "{form} {q:?}");
        }
    }

    #[test]
    fn different_identities_have_different_keys() {
        let base = key("f:live", None);
        for (form, q) in [
            ("f:1", None),
            ("f", None),
            ("g:live", None),
            (
                "arn:aws:lambda:us-west-2:123456789012:function:f:live",
                None,
            ),
            (
                "arn:aws:lambda:us-east-1:210987654321:function:f:live",
                None,
            ),
            ("210987654321:function:f", Some("live")),
        ] {
            assert_ne!(key(form, q), base, "{form} {q:?}");
        }
    }

    #[test]
    fn same_function_compares_identities() {
        let same = [
            ("f", "arn:aws:lambda:us-east-1:123456789012:function:f"),
            ("f:2", "123456789012:function:f:2"),
            (
                "123456789012:function:f",
                "arn:aws:lambda:us-east-1:123456789012:function:f",
            ),
            ("not valid!", "not valid!"),
        ];
        for (a, b) in same {
            assert!(same_function(a, b, REGION, ACCOUNT), "{a} {b}");
            assert!(same_function(b, a, REGION, ACCOUNT), "{b} {a}");
        }
        let different = [
            ("f", "f:1"),
            ("f", "arn:aws:lambda:eu-west-1:123456789012:function:f"),
            ("f", "999999999999:function:f"),
            ("f!", "f"),
        ];
        for (a, b) in different {
            assert!(!same_function(a, b, REGION, ACCOUNT), "{a} {b}");
        }
    }

    #[test]
    fn target_diff_sees_through_spellings() {
        let arn = "arn:aws:lambda:us-east-1:123456789012:function:f";
        let same = TargetDiff::default();
        for (a, b) in [
            (("f", None), (arn, None)),
            (("f", Some("live")), ("f:live", None)),
            (
                ("f", Some("live")),
                (
                    "arn:aws:lambda:us-east-1:123456789012:function:f:live",
                    None,
                ),
            ),
            (("123456789012:function:f:live", None), (arn, Some("live"))),
            (("bad name", None), ("bad name", None)),
        ] {
            assert_eq!(target_diff(a, b, REGION, ACCOUNT), same, "{a:?} {b:?}");
            assert_eq!(target_diff(b, a, REGION, ACCOUNT), same, "{b:?} {a:?}");
        }
        let qualifier = TargetDiff {
            function: false,
            qualifier: true,
        };
        assert_eq!(
            target_diff(("f", Some("live")), ("f", None), REGION, ACCOUNT),
            qualifier
        );
        assert_eq!(
            target_diff(("f:1", None), ("f", Some("2")), REGION, ACCOUNT),
            qualifier
        );
        let function = TargetDiff {
            function: true,
            qualifier: false,
        };
        assert_eq!(
            target_diff(("f", None), ("g", None), REGION, ACCOUNT),
            function
        );
        assert_eq!(
            target_diff(
                ("f", None),
                ("999999999999:function:f", None),
                REGION,
                ACCOUNT
            ),
            function
        );
        assert_eq!(
            target_diff(("f!", None), ("f", None), REGION, ACCOUNT),
            function
        );
    }

    #[test]
    fn rejects_invalid_references() {
        let long_name = "a".repeat(65);
        let long_qualifier = format!("f:{}", "q".repeat(129));
        let cases: Vec<(&str, &str)> = vec![
            ("", "invalid function name"),
            ("my function", "invalid function name"),
            ("f.g", "invalid function name"),
            (long_name.as_str(), "invalid function name"),
            ("f:", "invalid qualifier"),
            ("f:a.b", "invalid qualifier"),
            (long_qualifier.as_str(), "invalid qualifier"),
            ("f:1:2", "is not a function reference"),
            ("12345:function:f", "invalid account id"),
            ("123456789012:lambda:f", "is not a function reference"),
            ("123456789012:function:f:1:2", "is not a function reference"),
            (
                "arn:aws:lambda:us-east-1:123456789012:function",
                "is not a Lambda function ARN",
            ),
            (
                "arn:aws:s3:us-east-1:123456789012:function:f",
                "is not a Lambda function ARN",
            ),
            (
                "arn:aws:lambda:us-east-1:123456789012:layer:f",
                "is not a Lambda function ARN",
            ),
            (
                "arn:aws:lambda:us-east-1:123456789012:function:f:1:2",
                "is not a Lambda function ARN",
            ),
            (
                "arn::lambda:us-east-1:123456789012:function:f",
                "partition is empty",
            ),
            ("arn:aws:lambda::123456789012:function:f", "region is empty"),
            (
                "arn:aws:lambda:us-east-1:acct:function:f",
                "account \"acct\"",
            ),
            (
                "arn:aws:lambda:*:123456789012:function:f",
                "wildcard in its region",
            ),
            (
                "arn:aws-mars:lambda:us-east-1:123456789012:function:f",
                "partition \"aws-mars\"",
            ),
            (
                "arn:aws:lambda:us-east-1:123456789012:function:",
                "invalid function name",
            ),
        ];
        for (input, fragment) in cases {
            let err = parse_function_ref(input).expect_err(input);
            assert!(err.contains(fragment), "{input}: {err}");
        }
    }

    #[test]
    fn qualifier_accepts_versions_aliases_and_latest_syntax() {
        assert!(is_valid_qualifier("1"));
        assert!(is_valid_qualifier("$LATEST"));
        assert!(is_valid_qualifier("blue-green_2"));
        assert!(!is_valid_qualifier(""));
    }
}
