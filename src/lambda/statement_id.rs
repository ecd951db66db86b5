//! Generated statement ids, derived from the statement's content (SPEC,
//! the permission's behaviour): a create retried after a lost answer, a
//! stop or a SIGKILL asks for the same id again, so it meets its own
//! statement instead of leaving one under an id no state records.

use sha2::{Digest, Sha256};

use super::function_ref::parse_function_ref;
use super::statement::whole_account;

/// Hex digits of the digest a generated id ends with: 64 bits, so two
/// different statements of one function never meet by chance.
pub const DIGEST_LEN: usize = 16;

/// Default prefix of a permission's generated statement id.
pub const PERMISSION_PREFIX: &str = "lw-";

/// What a statement grants, as the digest sees it. The event-source token
/// is left out on purpose: a digest of a secret in an id that plans, logs
/// and the policy show would let anyone test guesses of it offline.
#[derive(Clone, Copy, Debug, Default)]
pub struct StatementContent<'a> {
    /// Name, full or partial ARN of the function, optionally qualified.
    pub function: &'a str,
    /// The qualifier argument, when the function reference has none.
    pub qualifier: Option<&'a str>,
    /// The action granted.
    pub action: &'a str,
    /// The effective principal.
    pub principal: &'a str,
    /// The `AWS:SourceArn` condition.
    pub source_arn: Option<&'a str>,
    /// The `AWS:SourceAccount` condition.
    pub source_account: Option<&'a str>,
    /// The `aws:PrincipalOrgID` condition.
    pub principal_org_id: Option<&'a str>,
    /// The `lambda:FunctionUrlAuthType` condition.
    pub function_url_auth_type: Option<&'a str>,
    /// The `lambda:InvokedViaFunctionUrl` condition.
    pub invoked_via_function_url: bool,
}

/// The first [`DIGEST_LEN`] hex digits of the SHA-256 of the content, in
/// the forms that store the same statement: the function by its bare name
/// (a policy belongs to one function, however it is named), the action in
/// lower case (IAM action names ignore case), a whole account by its id
/// (an id and its root ARN are one principal).
pub fn content_digest(c: &StatementContent<'_>) -> String {
    let (function, qualifier) = match parse_function_ref(c.function) {
        Ok(r) => (r.name, r.qualifier.or(c.qualifier.map(str::to_string))),
        // Validation refuses such a name before any id is made; digest it
        // as written rather than fail.
        Err(_) => (c.function.to_string(), c.qualifier.map(str::to_string)),
    };
    let principal = whole_account(c.principal).unwrap_or(c.principal);
    // A JSON array: no two contents serialise to the same text, whatever
    // characters the values hold.
    let canonical = serde_json::json!([
        function,
        qualifier,
        c.action.to_ascii_lowercase(),
        principal,
        c.source_arn,
        c.source_account,
        c.principal_org_id,
        c.function_url_auth_type,
        c.invoked_via_function_url,
    ]);
    let digest = Sha256::digest(canonical.to_string().as_bytes());
    digest
        .iter()
        .take(DIGEST_LEN / 2)
        .map(|b| format!("{b:02x}"))
        .collect()
}

/// The generated id: `prefix` then the content's digest.
pub fn generated_statement_id(prefix: &str, c: &StatementContent<'_>) -> String {
    format!("{prefix}{}", content_digest(c))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn base() -> StatementContent<'static> {
        StatementContent {
            function: "orders",
            action: "lambda:InvokeFunction",
            principal: "sns.amazonaws.com",
            source_arn: Some("arn:aws:sns:us-east-1:123456789012:topic"),
            ..StatementContent::default()
        }
    }

    #[test]
    fn the_id_is_the_prefix_and_sixteen_hex_digits() {
        let id = generated_statement_id(PERMISSION_PREFIX, &base());
        assert_eq!(id.len(), PERMISSION_PREFIX.len() + DIGEST_LEN);
        assert!(id.starts_with("lw-"));
        assert!(id[3..]
            .bytes()
            .all(|b| b.is_ascii_hexdigit() && !b.is_ascii_uppercase()));
        // The same content, asked again (a retried create), the same id.
        assert_eq!(id, generated_statement_id(PERMISSION_PREFIX, &base()));
    }

    #[test]
    fn every_part_of_the_content_changes_the_id() {
        let first = content_digest(&base());
        let changed: Vec<StatementContent<'static>> = vec![
            StatementContent {
                function: "payments",
                ..base()
            },
            StatementContent {
                qualifier: Some("live"),
                ..base()
            },
            StatementContent {
                action: "lambda:InvokeFunctionUrl",
                ..base()
            },
            StatementContent {
                principal: "events.amazonaws.com",
                ..base()
            },
            StatementContent {
                source_arn: Some("arn:aws:sns:us-east-1:123456789012:other"),
                ..base()
            },
            StatementContent {
                source_account: Some("123456789012"),
                ..base()
            },
            StatementContent {
                principal_org_id: Some("o-abc"),
                ..base()
            },
            StatementContent {
                function_url_auth_type: Some("AWS_IAM"),
                ..base()
            },
            StatementContent {
                invoked_via_function_url: true,
                ..base()
            },
        ];
        let mut seen = std::collections::HashSet::from([first]);
        for c in changed {
            assert!(seen.insert(content_digest(&c)), "{c:?} collides");
        }
    }

    #[test]
    fn spellings_of_the_same_statement_share_the_id() {
        let arn = StatementContent {
            function: "arn:aws:lambda:us-east-1:123456789012:function:orders",
            ..base()
        };
        let partial = StatementContent {
            function: "123456789012:function:orders",
            ..base()
        };
        let upper = StatementContent {
            action: "Lambda:InvokeFunction",
            ..base()
        };
        for same in [arn, partial, upper] {
            assert_eq!(content_digest(&same), content_digest(&base()), "{same:?}");
        }
        let qualified = StatementContent {
            function: "orders:live",
            ..base()
        };
        let by_argument = StatementContent {
            qualifier: Some("live"),
            ..base()
        };
        assert_eq!(content_digest(&qualified), content_digest(&by_argument));
        let id = StatementContent {
            principal: "123456789012",
            source_arn: None,
            ..base()
        };
        let root = StatementContent {
            principal: "arn:aws:iam::123456789012:root",
            ..id
        };
        assert_eq!(content_digest(&id), content_digest(&root));
    }

    #[test]
    fn a_value_cannot_pass_for_two_parts() {
        // A separator inside a value must not make two contents one text.
        let a = StatementContent {
            source_arn: Some("x\",\"y"),
            source_account: None,
            ..base()
        };
        let b = StatementContent {
            source_arn: Some("x"),
            source_account: Some("y"),
            ..base()
        };
        assert_ne!(content_digest(&a), content_digest(&b));
    }
}
