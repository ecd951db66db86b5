//! The one meaning of a grant, held to its promise (SPEC, "Grants: one
//! meaning"): over principals x actions x conditions, what
//! `lambdawire_lambda_invoke_permission` and `lambdawire_function_url_access`
//! refuse for what a grant lets in is a finding of the data source when
//! the same statement comes from elsewhere, and a grant the permission
//! accepts only with `allow_unscoped_source = true` is a finding all the
//! same. Refusals of a grant's form (a statement that would never match,
//! an action Lambda refuses, a malformed value) are not about who it lets
//! in, and have no finding to agree with.

use std::collections::BTreeSet;

use crate::lambda::findings::{code, findings};
use crate::lambda::grant::{audience, Audience, Grant};
use crate::lambda::statement::statements;
use crate::plugin::{str_value, Problem, Value};
use crate::resources::function_url_access::model::UrlAccessState;
use crate::resources::function_url_access::validate::problems as url_problems;
use crate::resources::lambda_invoke_permission::validate::{validate, PermissionArgs};

const OWN: &str = "123456789012";
const OTHER: &str = "210987654321";
const ORG: &str = "o-a1b2c3d4e5";
const FUNCTION: &str = "arn:aws:lambda:us-east-1:123456789012:function:f";
const DISTRIBUTION: &str = "arn:aws:cloudfront::123456789012:distribution/E2QWRUHEXAMPLE";

/// The conditions a statement may carry, as both the permission's
/// arguments and Lambda's stored statement spell them.
#[derive(Clone, Copy, Debug, Default)]
struct Conditions {
    source_arn: Option<&'static str>,
    source_account: Option<&'static str>,
    principal_org_id: Option<&'static str>,
    function_url_auth_type: Option<&'static str>,
    invoked_via_function_url: bool,
    event_source_token: Option<&'static str>,
}

/// Each condition worth a row, by name.
fn conditions() -> Vec<(&'static str, Conditions)> {
    let c = Conditions::default();
    vec![
        ("none", c),
        (
            "org",
            Conditions {
                principal_org_id: Some(ORG),
                ..c
            },
        ),
        (
            "own account",
            Conditions {
                source_account: Some(OWN),
                ..c
            },
        ),
        (
            "other account",
            Conditions {
                source_account: Some(OTHER),
                ..c
            },
        ),
        (
            "rule",
            Conditions {
                source_arn: Some("arn:aws:events:us-east-1:123456789012:rule/r"),
                ..c
            },
        ),
        (
            "any region's topic",
            Conditions {
                source_arn: Some("arn:aws:sns:*:123456789012:topic"),
                ..c
            },
        ),
        (
            "bucket",
            Conditions {
                source_arn: Some("arn:aws:s3:::uploads"),
                ..c
            },
        ),
        (
            "own bucket",
            Conditions {
                source_arn: Some("arn:aws:s3:::uploads"),
                source_account: Some(OWN),
                ..c
            },
        ),
        (
            "token",
            Conditions {
                event_source_token: Some("amzn1.ask.skill.1234"),
                ..c
            },
        ),
        (
            "public url",
            Conditions {
                function_url_auth_type: Some("NONE"),
                ..c
            },
        ),
        (
            "signed url",
            Conditions {
                function_url_auth_type: Some("AWS_IAM"),
                ..c
            },
        ),
        (
            "via url",
            Conditions {
                invoked_via_function_url: true,
                ..c
            },
        ),
        (
            "org's signed url",
            Conditions {
                principal_org_id: Some(ORG),
                function_url_auth_type: Some("AWS_IAM"),
                ..c
            },
        ),
        (
            "own account's signed url",
            Conditions {
                source_account: Some(OWN),
                function_url_auth_type: Some("AWS_IAM"),
                ..c
            },
        ),
    ]
}

const PRINCIPALS: [&str; 9] = [
    "*",
    OWN,
    OTHER,
    "arn:aws:iam::210987654321:role/caller",
    "events.amazonaws.com",
    "sns.amazonaws.com",
    "s3.amazonaws.com",
    "alexa-appkit.amazon.com",
    "cloudfront.amazonaws.com",
];

const ACTIONS: [&str; 3] = [
    "lambda:InvokeFunction",
    "lambda:InvokeFunctionUrl",
    "lambda:GetFunction",
];

/// The permission's refusals about who a grant lets in, each with the
/// finding the same statement gets from the data source.
const PERMISSION_REACH: [(&str, &str); 5] = [
    (
        "Service principal without source_arn",
        code::SERVICE_WITHOUT_SOURCE_ARN,
    ),
    (
        "S3 grant without source_account",
        code::BUCKET_WITHOUT_SOURCE_ACCOUNT,
    ),
    ("source_arn scopes nothing", code::WILDCARD_SOURCE_ARN),
    (
        "function URL open to every AWS account",
        code::ANY_ACCOUNT_FUNCTION_URL,
    ),
    // Reported as the way the principal is too wide: anyone, directly,
    // beyond invoking, or another account (see `public_finding`).
    ("Unscoped wildcard principal", ""),
];

/// The findings a public principal held to nothing may show.
const PUBLIC_CODES: [&str; 4] = [
    code::PUBLIC_UNSCOPED,
    code::PUBLIC_INVOKE_WITHOUT_URL_CONDITION,
    code::NON_INVOKE_ACTION,
    code::OTHER_ACCOUNT,
];

/// Lambda's `Principal` element for a principal as AddPermission takes it.
fn stored_principal(principal: &str) -> serde_json::Value {
    if principal == "*" {
        serde_json::json!("*")
    } else if principal.len() == 12 && principal.bytes().all(|b| b.is_ascii_digit()) {
        serde_json::json!({ "AWS": format!("arn:aws:iam::{principal}:root") })
    } else if principal.starts_with("arn:") {
        serde_json::json!({ "AWS": principal })
    } else {
        serde_json::json!({ "Service": principal })
    }
}

/// The statement Lambda stores for this grant, as the data source reads it.
fn stored(principal: &str, action: &str, c: &Conditions) -> String {
    let mut equals = serde_json::Map::new();
    let mut put = |key: &str, value: Option<&str>| {
        if let Some(v) = value {
            equals.insert(key.to_string(), v.into());
        }
    };
    put("AWS:SourceAccount", c.source_account);
    put("aws:PrincipalOrgID", c.principal_org_id);
    put("lambda:EventSourceToken", c.event_source_token);
    put("lambda:FunctionUrlAuthType", c.function_url_auth_type);
    let mut condition = serde_json::Map::new();
    if !equals.is_empty() {
        condition.insert("StringEquals".into(), equals.into());
    }
    if let Some(arn) = c.source_arn {
        condition.insert(
            "ArnLike".into(),
            serde_json::json!({ "AWS:SourceArn": arn }),
        );
    }
    if c.invoked_via_function_url {
        let via = serde_json::json!({ "lambda:InvokedViaFunctionUrl": "true" });
        condition.insert("Bool".into(), via);
    }
    let mut statement = serde_json::json!({
        "Sid": "s",
        "Effect": "Allow",
        "Principal": stored_principal(principal),
        "Action": action,
        "Resource": FUNCTION,
    });
    if !condition.is_empty() {
        statement["Condition"] = condition.into();
    }
    statement.to_string()
}

/// The data source's finding codes for these statements of one policy.
fn codes_of(statements_json: &[String]) -> BTreeSet<&'static str> {
    let policy = format!(r#"{{"Statement":[{}]}}"#, statements_json.join(","));
    let all = statements(&policy).expect("a readable policy");
    findings(&all, 0).into_iter().map(|f| f.code).collect()
}

fn permission(
    principal: &'static str,
    action: &'static str,
    c: &Conditions,
    allow: bool,
) -> PermissionArgs<'static> {
    let field = |v: Option<&'static str>| v.map_or(Value::Null, Value::Value);
    PermissionArgs {
        function_name: Value::Value("f"),
        statement_id: Value::Value("s"),
        action: Value::Value(action),
        principal: Value::Value(principal),
        source_arn: field(c.source_arn),
        source_account: field(c.source_account),
        principal_org_id: field(c.principal_org_id),
        function_url_auth_type: field(c.function_url_auth_type),
        event_source_token: field(c.event_source_token),
        invoked_via_function_url: Some(c.invoked_via_function_url),
        allow_unscoped_source: Some(allow),
        ..PermissionArgs::default()
    }
}

/// The summaries of the problems that are about who a grant lets in.
fn reach(problems: &[Problem], known: &[&str]) -> BTreeSet<String> {
    problems
        .iter()
        .map(|p| p.summary.clone())
        .filter(|s| known.contains(&s.as_str()))
        .collect()
}

fn permission_reach(problems: &[Problem]) -> BTreeSet<String> {
    let known: Vec<&str> = PERMISSION_REACH.iter().map(|(s, _)| *s).collect();
    reach(problems, &known)
}

/// The parts of a grant as the one meaning reads them.
fn grant(principal: &'static str, action: &'static str, c: &Conditions) -> Grant<'static> {
    Grant {
        principal,
        action,
        function_account: Some(OWN),
        source_arn: c.source_arn,
        source_account: c.source_account,
        principal_org_id: c.principal_org_id,
        function_url_auth_type: c.function_url_auth_type,
        invoked_via_function_url: c.invoked_via_function_url,
        event_source_token: c.event_source_token.is_some(),
    }
}

/// One principal x action x condition: what the permission refuses for
/// its reach (with `allow_unscoped_source` false and true), and what the
/// data source finds in the statement it would write.
struct Row {
    name: String,
    audience: Audience,
    url_action: bool,
    strict: BTreeSet<String>,
    allowed: BTreeSet<String>,
    found: BTreeSet<&'static str>,
}

fn every_row() -> Vec<Row> {
    let mut rows = Vec::new();
    for principal in PRINCIPALS {
        for action in ACTIONS {
            for (name, c) in conditions() {
                let refused =
                    |allow| permission_reach(&validate(&permission(principal, action, &c, allow)));
                rows.push(Row {
                    name: format!("{principal} {action} {name}"),
                    audience: audience(&grant(principal, action, &c)),
                    url_action: action == "lambda:InvokeFunctionUrl",
                    strict: refused(false),
                    allowed: refused(true),
                    found: codes_of(&[stored(principal, action, &c)]),
                });
            }
        }
    }
    rows
}

#[test]
fn what_the_permission_refuses_for_its_reach_is_a_finding() {
    for row in every_row() {
        let Row {
            name,
            strict,
            found,
            ..
        } = &row;
        for (summary, finding) in PERMISSION_REACH {
            if !strict.contains(summary) {
                continue;
            }
            if !finding.is_empty() {
                assert!(
                    found.contains(finding),
                    "{name}: {summary}, found {found:?}"
                );
                continue;
            }
            // The URL's own action held to a source, a token or the own
            // account lets in no one its condition does not name: it is
            // refused for not saying its auth type, a matter of form.
            let held = matches!(
                row.audience,
                Audience::SourceScoped | Audience::TokenHolders | Audience::OwnAccount
            );
            let public = PUBLIC_CODES.iter().any(|c| found.contains(c));
            if row.url_action && held {
                assert!(!public, "{name}: {found:?}");
            } else {
                assert!(public, "{name}: refused, found {found:?}");
            }
        }
    }
}

#[test]
fn a_grant_accepted_only_with_allow_unscoped_source_is_still_a_finding() {
    let mut seen = 0;
    for Row {
        name,
        strict,
        allowed,
        found,
        ..
    } in every_row()
    {
        for (summary, finding) in PERMISSION_REACH {
            if strict.contains(summary) && !allowed.contains(summary) {
                seen += 1;
                assert!(
                    found.contains(finding),
                    "{name}: {summary}, found {found:?}"
                );
            }
        }
    }
    assert!(
        seen >= 10,
        "the table exercises allow_unscoped_source ({seen} rows)"
    );
}

#[test]
fn a_finding_the_permission_can_refuse_it_refuses() {
    for Row {
        name,
        strict,
        found,
        ..
    } in every_row()
    {
        for (summary, finding) in PERMISSION_REACH {
            if !finding.is_empty() && found.contains(finding) {
                assert!(strict.contains(summary), "{name}: {finding} but {strict:?}");
            }
        }
    }
}

/// The URL access's refusals about who a grant lets in, with their findings.
const URL_REACH: [(&str, &str); 2] = [
    (
        "Public principal with auth_type AWS_IAM",
        code::ANY_ACCOUNT_FUNCTION_URL,
    ),
    (
        "CloudFront without source_arn",
        code::SERVICE_WITHOUT_SOURCE_ARN,
    ),
];

#[test]
fn the_url_access_refuses_exactly_what_its_statements_would_be_reported_for() {
    let scopings: [(&str, Conditions); 5] = [
        ("none", Conditions::default()),
        (
            "org",
            Conditions {
                principal_org_id: Some(ORG),
                ..Default::default()
            },
        ),
        (
            "own account",
            Conditions {
                source_account: Some(OWN),
                ..Default::default()
            },
        ),
        (
            "other account",
            Conditions {
                source_account: Some(OTHER),
                ..Default::default()
            },
        ),
        (
            "distribution",
            Conditions {
                source_arn: Some(DISTRIBUTION),
                ..Default::default()
            },
        ),
    ];
    let known: Vec<&str> = URL_REACH.iter().map(|(s, _)| *s).collect();
    for principal in ["*", OTHER, "cloudfront.amazonaws.com"] {
        for auth in ["NONE", "AWS_IAM"] {
            for (name, c) in scopings {
                let row = format!("{principal} {auth} {name}");
                let some = |v: Option<&str>| v.map_or(Value::Null, str_value);
                let state = UrlAccessState {
                    function_name: str_value("f"),
                    auth_type: str_value(auth),
                    principal: str_value(principal),
                    source_arn: some(c.source_arn),
                    source_account: some(c.source_account),
                    principal_org_id: some(c.principal_org_id),
                    ..Default::default()
                };
                let refused = reach(&url_problems(&state), &known);
                // The two statements the resource writes.
                let url = Conditions {
                    function_url_auth_type: Some(auth),
                    ..c
                };
                let invoke = Conditions {
                    invoked_via_function_url: true,
                    ..c
                };
                let found = codes_of(&[
                    stored(principal, "lambda:InvokeFunctionUrl", &url),
                    stored(principal, "lambda:InvokeFunction", &invoke),
                ]);
                for (summary, finding) in URL_REACH {
                    assert_eq!(
                        refused.contains(summary),
                        found.contains(finding),
                        "{row}: refused {refused:?}, found {found:?}"
                    );
                }
            }
        }
    }
}

/// Rows written out: the audience, what the permission refuses (on which
/// attribute) and the findings, for the grants the rules are about.
#[test]
fn chosen_rows_say_who_what_is_refused_and_what_is_found() {
    type Row = (
        &'static str,
        &'static str,
        &'static str,
        Audience,
        &'static [&'static str],
        &'static [&'static str],
    );
    let other = || Audience::OtherAccount(OTHER.into());
    let org = || Audience::Organisation(ORG.into());
    let rows: Vec<Row> = vec![
        (
            "*",
            "lambda:InvokeFunction",
            "none",
            Audience::Public,
            &["Unscoped wildcard principal"],
            &[
                code::PUBLIC_UNSCOPED,
                code::PUBLIC_INVOKE_WITHOUT_URL_CONDITION,
            ],
        ),
        (
            "*",
            "lambda:InvokeFunction",
            "own account",
            Audience::OwnAccount,
            &["Unscoped wildcard principal"],
            &[code::PUBLIC_INVOKE_WITHOUT_URL_CONDITION],
        ),
        (
            "*",
            "lambda:GetFunction",
            "own account",
            Audience::OwnAccount,
            &["Unscoped wildcard principal"],
            &[code::NON_INVOKE_ACTION],
        ),
        (
            "*",
            "lambda:InvokeFunctionUrl",
            "rule",
            Audience::SourceScoped,
            &["Unscoped wildcard principal"],
            &[],
        ),
        (
            "*",
            "lambda:InvokeFunction",
            "org",
            org(),
            &[],
            &[code::ORGANISATION_WIDE],
        ),
        (
            "*",
            "lambda:InvokeFunction",
            "via url",
            Audience::UrlCallers,
            &[],
            &[],
        ),
        (
            "*",
            "lambda:InvokeFunctionUrl",
            "public url",
            Audience::PublicUrl,
            &[],
            &[code::PUBLIC_FUNCTION_URL],
        ),
        (
            "*",
            "lambda:InvokeFunctionUrl",
            "signed url",
            Audience::AnyAccount,
            &["function URL open to every AWS account"],
            &[code::ANY_ACCOUNT_FUNCTION_URL],
        ),
        (
            "*",
            "lambda:InvokeFunctionUrl",
            "org's signed url",
            org(),
            &[],
            &[code::ORGANISATION_WIDE],
        ),
        (
            "*",
            "lambda:InvokeFunctionUrl",
            "own account's signed url",
            Audience::OwnAccount,
            &[],
            &[],
        ),
        (
            "events.amazonaws.com",
            "lambda:InvokeFunction",
            "none",
            Audience::ServiceUnscoped,
            &["Service principal without source_arn"],
            &[code::SERVICE_WITHOUT_SOURCE_ARN],
        ),
        (
            "events.amazonaws.com",
            "lambda:InvokeFunction",
            "rule",
            Audience::ServiceScoped,
            &[],
            &[],
        ),
        (
            "sns.amazonaws.com",
            "lambda:InvokeFunction",
            "any region's topic",
            Audience::ServiceScoped,
            &["source_arn scopes nothing"],
            &[code::WILDCARD_SOURCE_ARN],
        ),
        (
            "s3.amazonaws.com",
            "lambda:InvokeFunction",
            "bucket",
            Audience::ServiceScoped,
            &["S3 grant without source_account"],
            &[code::BUCKET_WITHOUT_SOURCE_ACCOUNT],
        ),
        (
            "s3.amazonaws.com",
            "lambda:InvokeFunction",
            "own bucket",
            Audience::ServiceScoped,
            &[],
            &[],
        ),
        (
            "alexa-appkit.amazon.com",
            "lambda:InvokeFunction",
            "token",
            Audience::TokenHolders,
            &[],
            &[],
        ),
        (
            OTHER,
            "lambda:InvokeFunction",
            "none",
            other(),
            &[],
            &[code::OTHER_ACCOUNT],
        ),
        (
            OTHER,
            "lambda:GetFunction",
            "none",
            other(),
            &[],
            &[code::NON_INVOKE_ACTION, code::OTHER_ACCOUNT],
        ),
        (
            OWN,
            "lambda:GetFunction",
            "none",
            Audience::OwnAccount,
            &[],
            &[],
        ),
    ];
    let all = conditions();
    for (principal, action, condition, who, refused, found) in rows {
        let (_, c) = all
            .iter()
            .find(|(name, _)| *name == condition)
            .expect("a named condition");
        let g = grant(principal, action, c);
        let row = format!("{principal} {action} {condition}");
        assert_eq!(audience(&g), who, "{row}");
        let got = permission_reach(&validate(&permission(principal, action, c, false)));
        let want: BTreeSet<String> = refused.iter().map(|s| s.to_string()).collect();
        assert_eq!(got, want, "{row}");
        let want: BTreeSet<&str> = found.iter().copied().collect();
        assert_eq!(codes_of(&[stored(principal, action, c)]), want, "{row}");
    }
}
