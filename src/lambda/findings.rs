//! "Who can invoke this function that should not?": the data source's
//! `findings`, pure over the statements Lambda stores. What is wrong with a
//! statement is the one meaning of a grant's to say ([`risks`]); here each
//! risk gets its statement, a severity, a stable code a `check` block can
//! match, and what to do about it.

use crate::lambda::grant::{risks, Grant, Risk};
use crate::lambda::principal::split_arn;
use crate::lambda::statement::{StoredStatement, POLICY_SIZE_LIMIT};

/// How urgent a finding is; the order sorts most severe first.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord)]
pub enum Severity {
    /// Anyone may invoke the function.
    High,
    /// A grant broader than it needs to be (the confused-deputy kind).
    Medium,
    /// No one is exposed yet, but something will soon fail.
    Low,
}

impl Severity {
    /// As the data source's `severity` attribute spells it.
    pub fn as_str(self) -> &'static str {
        match self {
            Severity::High => "high",
            Severity::Medium => "medium",
            Severity::Low => "low",
        }
    }
}

/// One thing in a function's resource policy that lets someone invoke it who
/// should not, or soon will refuse a new statement.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Finding {
    /// The statement's id; `None` for a finding about the whole policy.
    pub sid: Option<String>,
    /// How urgent it is.
    pub severity: Severity,
    /// One of [`code`]: stable across releases, for `check` blocks to match.
    pub code: &'static str,
    /// What is wrong and what to do about it, for people to read.
    pub message: String,
}

/// The stable codes of [`Finding::code`]; a rename breaks users' `check` blocks.
pub mod code {
    /// Principal `*` with no condition at all.
    pub const PUBLIC_UNSCOPED: &str = "public-unscoped";
    /// `lambda:InvokeFunction` for `*` without `lambda:InvokedViaFunctionUrl`
    /// (and no organisation): invocable directly, not only through the URL.
    pub const PUBLIC_INVOKE_WITHOUT_URL_CONDITION: &str = "public-invoke-without-url-condition";
    /// A service principal without `source_arn`: any of its customers' resources
    /// may invoke the function.
    pub const SERVICE_WITHOUT_SOURCE_ARN: &str = "service-without-source-arn";
    /// S3 without `source_account`: a bucket of that name in another account could
    /// invoke the function.
    pub const BUCKET_WITHOUT_SOURCE_ACCOUNT: &str = "bucket-without-source-account";
    /// A `source_arn` whose wildcards leave it matching far more than one resource.
    pub const WILDCARD_SOURCE_ARN: &str = "wildcard-source-arn";
    /// The policy is at 90% or more of Lambda's size limit.
    pub const POLICY_NEAR_SIZE_LIMIT: &str = "policy-near-size-limit";
    /// `"*"` through a function URL with auth type `AWS_IAM` and no account
    /// or organisation condition: every authenticated principal of every
    /// AWS account may call the URL.
    pub const ANY_ACCOUNT_FUNCTION_URL: &str = "any-account-function-url";
    /// An action beyond invoking (`lambda:GetFunction`, `lambda:*`) granted
    /// to anyone outside the function's account.
    pub const NON_INVOKE_ACTION: &str = "non-invoke-action";
    /// Principals of another account may call.
    pub const OTHER_ACCOUNT: &str = "other-account";
    /// Every principal of an AWS Organization may call.
    pub const ORGANISATION_WIDE: &str = "organisation-wide";
    /// `"*"` through a function URL with auth type `NONE`: anyone may call
    /// the URL unsigned. Low, so that a `check` can allow a URL meant to be
    /// public.
    pub const PUBLIC_FUNCTION_URL: &str = "public-function-url";
}

fn is_allow(stored: &StoredStatement) -> bool {
    serde_json::from_str::<serde_json::Value>(&stored.json)
        .ok()
        .and_then(|v| v["Effect"].as_str().map(|e| e == "Allow"))
        .unwrap_or(true)
}

/// Every finding in a policy of `size_bytes` bytes, most severe first.
pub fn findings(statements: &[StoredStatement], size_bytes: usize) -> Vec<Finding> {
    let mut out: Vec<Finding> = statements
        .iter()
        .filter(|s| is_allow(s))
        .flat_map(statement_findings)
        .collect();
    if size_bytes * 10 >= POLICY_SIZE_LIMIT * 9 {
        out.push(Finding {
            sid: None,
            severity: Severity::Low,
            code: code::POLICY_NEAR_SIZE_LIMIT,
            message: format!(
                "the policy is {size_bytes} of Lambda's {POLICY_SIZE_LIMIT} bytes: new statements \
                 will soon be refused; grant by source_account or principal_org_id instead of one \
                 statement per source"
            ),
        });
    }
    out.sort_by_key(|f| f.severity);
    out
}

/// One finding per risk the one meaning of a grant sees in the statement.
fn statement_findings(s: &StoredStatement) -> Vec<Finding> {
    risks(&grant_of(s))
        .into_iter()
        .map(|risk| finding(s, risk))
        .collect()
}

/// The statement's parts as [`risks`] reads them.
fn grant_of(s: &StoredStatement) -> Grant<'_> {
    Grant {
        principal: &s.principal,
        action: &s.action,
        function_account: split_arn(&s.resource).map(|a| a.account),
        source_arn: s.source_arn.as_deref(),
        source_account: s.source_account.as_deref(),
        principal_org_id: s.principal_org_id.as_deref(),
        function_url_auth_type: s.function_url_auth_type.as_deref(),
        invoked_via_function_url: s.invoked_via_function_url,
        event_source_token: s.event_source_token.is_some(),
    }
}

/// What one risk of the statement `s` is, how urgent, and what to do.
fn finding(s: &StoredStatement, risk: Risk) -> Finding {
    let (severity, code, message) = match risk {
        Risk::Unconditioned => (
            Severity::High,
            code::PUBLIC_UNSCOPED,
            format!(
                "anyone may call {} on this function: the principal is \"*\" with no \
                 condition; scope it with principal_org_id, source_account or source_arn",
                s.action
            ),
        ),
        Risk::InvokableDirectly => (
            Severity::High,
            code::PUBLIC_INVOKE_WITHOUT_URL_CONDITION,
            "lambda:InvokeFunction is granted to \"*\" without the \
             lambda:InvokedViaFunctionUrl condition, so it is not limited to the function \
             URL: anyone with the function's name can invoke it directly; use \
             lambdawire_function_url_access"
                .to_string(),
        ),
        Risk::AnyAccountUrl => (
            Severity::High,
            code::ANY_ACCOUNT_FUNCTION_URL,
            "every authenticated principal of every AWS account may call the function URL: \
             the principal is \"*\" with auth type AWS_IAM and no account or organisation \
             condition; add principal_org_id or source_account, or name the caller"
                .to_string(),
        ),
        Risk::NoSourceArn => (
            Severity::Medium,
            code::SERVICE_WITHOUT_SOURCE_ARN,
            format!(
                "{} may invoke the function on behalf of any of its customers' resources: \
                 there is no source ARN (the confused-deputy problem); set source_arn",
                s.principal
            ),
        ),
        Risk::NoSourceAccount => (
            Severity::Medium,
            code::BUCKET_WITHOUT_SOURCE_ACCOUNT,
            format!(
                "{} source ARNs name no account, and there is no source account: a bucket of \
                 that name in another account could invoke the function; set source_account",
                s.principal
            ),
        ),
        Risk::SourceArnScopesNothing(why) => (
            Severity::Medium,
            code::WILDCARD_SOURCE_ARN,
            format!(
                "the source ARN {} scopes nothing: {why}",
                s.source_arn.as_deref().unwrap_or_default()
            ),
        ),
        Risk::BeyondInvoke => (
            Severity::Medium,
            code::NON_INVOKE_ACTION,
            format!(
                "{} grants more than invoking (the function's code and configuration, say); \
                 grant lambda:InvokeFunction only",
                s.action
            ),
        ),
        Risk::PublicUrl => (
            Severity::Low,
            code::PUBLIC_FUNCTION_URL,
            "anyone may call the function URL without signing: the principal is \"*\" with \
             auth type NONE; if the URL is meant to be public, let a check allow this code, \
             else use auth type AWS_IAM and name the caller"
                .to_string(),
        ),
        Risk::OtherAccount(account) => (
            Severity::Low,
            code::OTHER_ACCOUNT,
            format!("principals of account {account} may call {}", s.action),
        ),
        Risk::Organisation(org) => (
            Severity::Low,
            code::ORGANISATION_WIDE,
            format!(
                "every principal of organisation {org} may call {}",
                s.action
            ),
        ),
    };
    Finding {
        sid: Some(s.sid.clone()),
        severity,
        code,
        message,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::lambda::statement::statements;

    const F: &str = "arn:aws:lambda:us-east-1:123456789012:function:f";

    fn codes(statement: &str) -> Vec<&'static str> {
        let policy = format!(r#"{{"Version":"2012-10-17","Statement":[{statement}]}}"#);
        let all = statements(&policy).unwrap();
        findings(&all, policy.len())
            .into_iter()
            .map(|f| f.code)
            .collect()
    }

    fn statement(principal: &str, action: &str, condition: &str) -> String {
        format!(
            r#"{{"Sid":"s","Effect":"Allow","Principal":{principal},"Action":"{action}","Resource":"{F}"{condition}}}"#
        )
    }

    #[test]
    fn a_public_statement_without_conditions_is_high() {
        assert_eq!(
            codes(&statement(r#""*""#, "lambda:InvokeFunction", "")),
            [
                code::PUBLIC_UNSCOPED,
                code::PUBLIC_INVOKE_WITHOUT_URL_CONDITION
            ]
        );
        assert_eq!(
            codes(&statement(r#"{"AWS":"*"}"#, "lambda:InvokeFunctionUrl", "")),
            [code::PUBLIC_UNSCOPED]
        );
    }

    #[test]
    fn public_invoke_is_fine_only_through_the_url_or_an_organisation() {
        let via_url = r#","Condition":{"Bool":{"lambda:InvokedViaFunctionUrl":"true"}}"#;
        assert!(codes(&statement(r#""*""#, "lambda:InvokeFunction", via_url)).is_empty());
        // A public URL is reported low, so that a check can allow it.
        let url_auth = r#","Condition":{"StringEquals":{"lambda:FunctionUrlAuthType":"NONE"}}"#;
        assert_eq!(
            codes(&statement(r#""*""#, "lambda:InvokeFunctionUrl", url_auth)),
            [code::PUBLIC_FUNCTION_URL]
        );
        let org = r#","Condition":{"StringEquals":{"aws:PrincipalOrgID":"o-abcdefghij"}}"#;
        // No public finding for an organisation, only the low one that
        // says the whole organisation may call.
        assert_eq!(
            codes(&statement(r#""*""#, "lambda:InvokeFunction", org)),
            [code::ORGANISATION_WIDE]
        );
        // Scoped by account, but still callable directly by that account's
        // every principal, not only through the URL.
        let account = r#","Condition":{"StringEquals":{"AWS:SourceAccount":"123456789012"}}"#;
        assert_eq!(
            codes(&statement(r#""*""#, "lambda:InvokeFunction", account)),
            [code::PUBLIC_INVOKE_WITHOUT_URL_CONDITION]
        );
    }

    #[test]
    fn services_need_a_source_arn_and_buckets_a_source_account() {
        let sns = r#"{"Service":"sns.amazonaws.com"}"#;
        assert_eq!(
            codes(&statement(sns, "lambda:InvokeFunction", "")),
            [code::SERVICE_WITHOUT_SOURCE_ARN]
        );
        let topic =
            r#","Condition":{"ArnLike":{"AWS:SourceArn":"arn:aws:sns:us-east-1:123456789012:t"}}"#;
        assert!(codes(&statement(sns, "lambda:InvokeFunction", topic)).is_empty());

        let s3 = r#"{"Service":"s3.amazonaws.com"}"#;
        let bucket = r#","Condition":{"ArnLike":{"AWS:SourceArn":"arn:aws:s3:::uploads"}}"#;
        assert_eq!(
            codes(&statement(s3, "lambda:InvokeFunction", bucket)),
            [code::BUCKET_WITHOUT_SOURCE_ACCOUNT]
        );
        let both = r#","Condition":{"ArnLike":{"AWS:SourceArn":"arn:aws:s3:::uploads"},"StringEquals":{"AWS:SourceAccount":"123456789012"}}"#;
        assert!(codes(&statement(s3, "lambda:InvokeFunction", both)).is_empty());
        assert_eq!(
            codes(&statement(s3, "lambda:InvokeFunction", "")),
            [
                code::SERVICE_WITHOUT_SOURCE_ARN,
                code::BUCKET_WITHOUT_SOURCE_ACCOUNT
            ]
        );
    }

    #[test]
    fn a_source_arn_with_a_wildcard_account_or_region_scopes_nothing() {
        let sns = r#"{"Service":"sns.amazonaws.com"}"#;
        for arn in [
            "arn:aws:sns:*:*:topic",
            "arn:aws:sns:us-east-1:*:topic",
            "arn:aws:sns:*:123456789012:topic",
        ] {
            let condition = format!(r#","Condition":{{"ArnLike":{{"AWS:SourceArn":"{arn}"}}}}"#);
            assert_eq!(
                codes(&statement(sns, "lambda:InvokeFunction", &condition)),
                [code::WILDCARD_SOURCE_ARN],
                "{arn}"
            );
        }
        let path = r#","Condition":{"ArnLike":{"AWS:SourceArn":"arn:aws:execute-api:us-east-1:123456789012:abc/*/GET/*"}}"#;
        let api = r#"{"Service":"apigateway.amazonaws.com"}"#;
        assert!(codes(&statement(api, "lambda:InvokeFunction", path)).is_empty());
    }

    #[test]
    fn own_accounts_deny_statements_and_tokens_are_not_findings() {
        let account = r#"{"AWS":"arn:aws:iam::123456789012:root"}"#;
        assert!(codes(&statement(account, "lambda:InvokeFunction", "")).is_empty());
        let deny = statement(r#""*""#, "lambda:InvokeFunction", "").replace("Allow", "Deny");
        assert!(codes(&deny).is_empty());
        let alexa = r#"{"Service":"alexa-appkit.amazon.com"}"#;
        let token =
            r#","Condition":{"StringEquals":{"lambda:EventSourceToken":"amzn1.ask.skill.x"}}"#;
        assert!(codes(&statement(alexa, "lambda:InvokeFunction", token)).is_empty());
        // A token scopes the skill, not a bucket's owner: S3 without a
        // source account is reported whatever else the statement holds, as
        // the permission refuses it.
        let s3 = r#"{"Service":"s3.amazonaws.com"}"#;
        let bucket_and_token = r#","Condition":{"ArnLike":{"AWS:SourceArn":"arn:aws:s3:::uploads"},"StringEquals":{"lambda:EventSourceToken":"amzn1.ask.skill.x"}}"#;
        assert_eq!(
            codes(&statement(s3, "lambda:InvokeFunction", bucket_and_token)),
            [code::BUCKET_WITHOUT_SOURCE_ACCOUNT]
        );
    }

    #[test]
    fn any_account_urls_other_accounts_organisations_and_wide_actions_are_reported() {
        let url_iam = r#","Condition":{"StringEquals":{"lambda:FunctionUrlAuthType":"AWS_IAM"}}"#;
        assert_eq!(
            codes(&statement(r#""*""#, "lambda:InvokeFunctionUrl", url_iam)),
            [code::ANY_ACCOUNT_FUNCTION_URL]
        );
        let other = r#"{"AWS":"arn:aws:iam::210987654321:root"}"#;
        assert_eq!(
            codes(&statement(other, "lambda:InvokeFunction", "")),
            [code::OTHER_ACCOUNT]
        );
        let org = r#","Condition":{"StringEquals":{"aws:PrincipalOrgID":"o-abcdefghij"}}"#;
        assert_eq!(
            codes(&statement(r#""*""#, "lambda:InvokeFunction", org)),
            [code::ORGANISATION_WIDE]
        );
        assert_eq!(
            codes(&statement(other, "lambda:GetFunction", "")),
            [code::NON_INVOKE_ACTION, code::OTHER_ACCOUNT]
        );
        let own = r#"{"AWS":"arn:aws:iam::123456789012:root"}"#;
        assert!(codes(&statement(own, "lambda:GetFunction", "")).is_empty());
    }

    #[test]
    fn a_policy_within_ten_percent_of_the_limit_is_low() {
        let sns = r#"{"Service":"sns.amazonaws.com"}"#;
        let topic =
            r#","Condition":{"ArnLike":{"AWS:SourceArn":"arn:aws:sns:us-east-1:123456789012:t"}}"#;
        let policy = format!(
            r#"{{"Version":"2012-10-17","Statement":[{}]}}"#,
            statement(sns, "lambda:InvokeFunction", topic)
        );
        let all = statements(&policy).unwrap();
        assert!(findings(&all, 18_431).is_empty());
        let near = findings(&all, 18_432);
        assert_eq!(near.len(), 1);
        assert_eq!(near[0].code, code::POLICY_NEAR_SIZE_LIMIT);
        assert_eq!(near[0].severity, Severity::Low);
        assert_eq!(near[0].sid, None);
    }

    #[test]
    fn findings_are_ordered_most_severe_first() {
        let policy = format!(
            r#"{{"Version":"2012-10-17","Statement":[{},{}]}}"#,
            statement(
                r#"{"Service":"sns.amazonaws.com"}"#,
                "lambda:InvokeFunction",
                ""
            )
            .replace("\"s\"", "\"a\""),
            statement(r#""*""#, "lambda:InvokeFunction", "").replace("\"s\"", "\"b\""),
        );
        let all = statements(&policy).unwrap();
        let severities: Vec<Severity> = findings(&all, 20_000).iter().map(|f| f.severity).collect();
        assert_eq!(
            severities,
            [
                Severity::High,
                Severity::High,
                Severity::Medium,
                Severity::Low
            ]
        );
    }
}
