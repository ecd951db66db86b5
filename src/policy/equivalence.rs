//! Semantic equality of two IAM policy texts, so that Read can tell IAM's
//! re-ordering or re-encoding of our policy (normalization: keep the prior
//! value) from a real change made out of band (drift: report it).
//!
//! Layer: pure. No I/O.
//!
//! What does not matter: order and duplicates of statements, actions,
//! resources, principal identifiers and condition values; `"x"` versus
//! `["x"]`; whitespace; percent-encoding; `true` versus `"true"` in a
//! condition; the case of condition keys and of actions (IAM matches both
//! case-insensitively). Everything else is compared as written: Version, Id,
//! Sid, Effect, principal types and identifiers, resources, condition
//! operators and condition values (whether a value is case-sensitive depends
//! on its operator, so it is safest to keep it).

use std::collections::{BTreeMap, BTreeSet};

use super::document::{decode_iam_document, Effect, PolicyDocument, Principal, Statement};

/// True when `a` and `b` are the same policy. Either may be percent-encoded
/// as IAM returns it. When either side does not parse, the decoded texts
/// are compared after trimming, so a malformed document equals only itself.
pub fn equivalent(a: &str, b: &str) -> bool {
    match (PolicyDocument::parse(a), PolicyDocument::parse(b)) {
        (Ok(a), Ok(b)) => Canonical::of(&a) == Canonical::of(&b),
        _ => decode_iam_document(a).trim() == decode_iam_document(b).trim(),
    }
}

#[derive(PartialEq, Eq)]
struct Canonical {
    version: String,
    id: Option<String>,
    statements: BTreeSet<CanonicalStatement>,
}

#[derive(PartialEq, Eq, PartialOrd, Ord)]
enum CanonicalPrincipal {
    Any,
    Typed(BTreeMap<String, BTreeSet<String>>),
}

/// A condition entry after case-folding its key. Kept as a set of entries
/// rather than merged by key: two keys differing only in case are two
/// conditions that must both hold, and merging their values would turn
/// that AND into an OR.
type ConditionEntry = (String, String, BTreeSet<String>);

#[derive(PartialEq, Eq, PartialOrd, Ord)]
struct CanonicalStatement {
    sid: Option<String>,
    effect: Effect,
    principal: Option<CanonicalPrincipal>,
    not_principal: Option<CanonicalPrincipal>,
    action: BTreeSet<String>,
    not_action: BTreeSet<String>,
    resource: BTreeSet<String>,
    not_resource: BTreeSet<String>,
    condition: BTreeSet<ConditionEntry>,
}

impl Canonical {
    fn of(doc: &PolicyDocument) -> Canonical {
        Canonical {
            version: doc.version.clone(),
            id: doc.id.clone(),
            statements: doc.statements.iter().map(CanonicalStatement::of).collect(),
        }
    }
}

impl CanonicalStatement {
    fn of(statement: &Statement) -> CanonicalStatement {
        let condition = statement
            .condition
            .iter()
            .flat_map(|(operator, keys)| {
                keys.iter().map(move |(key, values)| {
                    (
                        operator.clone(),
                        key.to_ascii_lowercase(),
                        values.iter().cloned().collect(),
                    )
                })
            })
            .collect();
        CanonicalStatement {
            sid: statement.sid.clone(),
            effect: statement.effect,
            principal: statement.principal.as_ref().map(canonical_principal),
            not_principal: statement.not_principal.as_ref().map(canonical_principal),
            action: lowercase_set(&statement.action),
            not_action: lowercase_set(&statement.not_action),
            resource: statement.resource.iter().cloned().collect(),
            not_resource: statement.not_resource.iter().cloned().collect(),
            condition,
        }
    }
}

fn lowercase_set(items: &[String]) -> BTreeSet<String> {
    items.iter().map(|item| item.to_ascii_lowercase()).collect()
}

fn canonical_principal(principal: &Principal) -> CanonicalPrincipal {
    match principal {
        Principal::Any => CanonicalPrincipal::Any,
        Principal::Typed(types) => CanonicalPrincipal::Typed(
            types
                .iter()
                .map(|(kind, ids)| (kind.clone(), ids.iter().cloned().collect()))
                .collect(),
        ),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const BASE: &str = r#"{"Version":"2012-10-17","Statement":[{"Sid":"Invoke","Effect":"Allow","Action":"lambda:InvokeFunction","Resource":["arn:aws:lambda:us-east-1:123456789012:function:f","arn:aws:lambda:us-east-1:123456789012:function:f:*"]},{"Sid":"Dlq","Effect":"Allow","Action":"sqs:SendMessage","Resource":"arn:aws:sqs:us-east-1:123456789012:dlq"}]}"#;

    const TRUST: &str = r#"{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Principal":{"Service":"scheduler.amazonaws.com"},"Action":"sts:AssumeRole","Condition":{"ArnEquals":{"aws:SourceArn":"arn:aws:scheduler:us-east-1:123456789012:schedule-group/default"},"StringEquals":{"aws:SourceAccount":"123456789012"}}}]}"#;

    /// Percent-encode every byte that is not unreserved, as IAM does.
    fn encode(text: &str) -> String {
        text.bytes()
            .map(|b| {
                if b.is_ascii_alphanumeric() || b"-_.~".contains(&b) {
                    (b as char).to_string()
                } else {
                    format!("%{b:02X}")
                }
            })
            .collect()
    }

    #[test]
    fn equivalent_pairs() {
        let cases: &[(&str, &str, &str)] = &[
            ("identical", BASE, BASE),
            (
                "statements reordered",
                BASE,
                r#"{"Version":"2012-10-17","Statement":[{"Sid":"Dlq","Effect":"Allow","Action":"sqs:SendMessage","Resource":"arn:aws:sqs:us-east-1:123456789012:dlq"},{"Sid":"Invoke","Effect":"Allow","Action":"lambda:InvokeFunction","Resource":["arn:aws:lambda:us-east-1:123456789012:function:f","arn:aws:lambda:us-east-1:123456789012:function:f:*"]}]}"#,
            ),
            (
                "resources reordered, keys reordered, lists vs strings, whitespace",
                BASE,
                r#"{
                  "Statement": [
                    {"Resource": "arn:aws:sqs:us-east-1:123456789012:dlq", "Action": ["sqs:SendMessage"], "Effect": "Allow", "Sid": "Dlq"},
                    {"Sid": "Invoke", "Effect": "Allow", "Action": ["lambda:InvokeFunction"],
                     "Resource": ["arn:aws:lambda:us-east-1:123456789012:function:f:*", "arn:aws:lambda:us-east-1:123456789012:function:f"]}
                  ],
                  "Version": "2012-10-17"
                }"#,
            ),
            (
                "duplicates in lists",
                r#"{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":["a:X","a:X"],"Resource":["r","r"]}]}"#,
                r#"{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"a:X","Resource":"r"}]}"#,
            ),
            (
                "duplicate statement",
                r#"{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"a:X","Resource":"r"},{"Effect":"Allow","Action":"a:X","Resource":"r"}]}"#,
                r#"{"Version":"2012-10-17","Statement":{"Effect":"Allow","Action":"a:X","Resource":"r"}}"#,
            ),
            (
                "action case",
                r#"{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"lambda:InvokeFunction","Resource":"r"}]}"#,
                r#"{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"Lambda:invokefunction","Resource":"r"}]}"#,
            ),
            (
                "condition key case and operator order",
                TRUST,
                r#"{"Version":"2012-10-17","Statement":[{"Condition":{"StringEquals":{"AWS:SourceAccount":["123456789012"]},"ArnEquals":{"AWS:SourceArn":"arn:aws:scheduler:us-east-1:123456789012:schedule-group/default"}},"Action":["sts:AssumeRole"],"Principal":{"Service":["scheduler.amazonaws.com"]},"Effect":"Allow"}]}"#,
            ),
            (
                "condition values reordered, bool vs string",
                r#"{"Version":"2012-10-17","Statement":[{"Effect":"Deny","Action":"s3:*","Resource":"*","Condition":{"Bool":{"aws:SecureTransport":false},"StringEquals":{"aws:SourceVpc":["vpc-1","vpc-2"]}}}]}"#,
                r#"{"Version":"2012-10-17","Statement":[{"Effect":"Deny","Action":"s3:*","Resource":"*","Condition":{"Bool":{"aws:SecureTransport":"false"},"StringEquals":{"aws:SourceVpc":["vpc-2","vpc-1","vpc-2"]}}}]}"#,
            ),
            (
                "principal values reordered",
                r#"{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Principal":{"Service":["a.amazonaws.com","b.amazonaws.com"]},"Action":"sts:AssumeRole"}]}"#,
                r#"{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Principal":{"Service":["b.amazonaws.com","a.amazonaws.com"]},"Action":"sts:AssumeRole"}]}"#,
            ),
            (
                "empty condition vs none",
                r#"{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"a:X","Resource":"r","Condition":{}}]}"#,
                r#"{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"a:X","Resource":"r"}]}"#,
            ),
            (
                "unparseable but identical after trimming",
                "  not json ",
                "not json",
            ),
        ];
        for (name, a, b) in cases {
            assert!(equivalent(a, b), "{name}: expected equivalent");
            assert!(equivalent(b, a), "{name}: expected equivalent (swapped)");
        }
    }

    #[test]
    fn percent_encoded_equals_plain() {
        for text in [BASE, TRUST] {
            let encoded = encode(text);
            assert!(encoded.starts_with("%7B%22Version%22%3A%222012-10-17%22"));
            assert!(equivalent(&encoded, text));
            assert!(equivalent(text, &encoded));
            assert!(equivalent(&encoded, &encoded));
        }
    }

    #[test]
    fn percent_encoded_pretty_document_equals_compact() {
        let pretty = "{\n  \"Version\": \"2012-10-17\",\n  \"Statement\": [\n    {\n      \"Effect\": \"Allow\",\n      \"Action\": [\"a:X\"],\n      \"Resource\": \"*\"\n    }\n  ]\n}";
        let compact = r#"{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"a:X","Resource":"*"}]}"#;
        assert!(equivalent(&encode(pretty), compact));
    }

    #[test]
    fn different_pairs() {
        let one = r#"{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"a:X","Resource":"r"}]}"#;
        let cases: &[(&str, &str, &str)] = &[
            (
                "different version",
                one,
                r#"{"Version":"2008-10-17","Statement":[{"Effect":"Allow","Action":"a:X","Resource":"r"}]}"#,
            ),
            (
                "missing version",
                one,
                r#"{"Statement":[{"Effect":"Allow","Action":"a:X","Resource":"r"}]}"#,
            ),
            (
                "extra statement",
                one,
                r#"{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"a:X","Resource":"r"},{"Effect":"Allow","Action":"a:Y","Resource":"r"}]}"#,
            ),
            (
                "effect",
                one,
                r#"{"Version":"2012-10-17","Statement":[{"Effect":"Deny","Action":"a:X","Resource":"r"}]}"#,
            ),
            (
                "extra action",
                one,
                r#"{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":["a:X","a:Y"],"Resource":"r"}]}"#,
            ),
            (
                "Action vs NotAction",
                one,
                r#"{"Version":"2012-10-17","Statement":[{"Effect":"Allow","NotAction":"a:X","Resource":"r"}]}"#,
            ),
            (
                "Resource vs NotResource",
                one,
                r#"{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"a:X","NotResource":"r"}]}"#,
            ),
            (
                "resource case (ARNs are case-sensitive)",
                one,
                r#"{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"a:X","Resource":"R"}]}"#,
            ),
            (
                "sid",
                one,
                r#"{"Version":"2012-10-17","Statement":[{"Sid":"S","Effect":"Allow","Action":"a:X","Resource":"r"}]}"#,
            ),
            (
                "id",
                one,
                r#"{"Version":"2012-10-17","Id":"x","Statement":[{"Effect":"Allow","Action":"a:X","Resource":"r"}]}"#,
            ),
            (
                "statements split differently",
                r#"{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":["a:X","a:Y"],"Resource":["r","s"]}]}"#,
                r#"{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"a:X","Resource":"r"},{"Effect":"Allow","Action":"a:Y","Resource":"s"}]}"#,
            ),
            (
                "condition operator case",
                TRUST,
                r#"{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Principal":{"Service":"scheduler.amazonaws.com"},"Action":"sts:AssumeRole","Condition":{"arnequals":{"aws:SourceArn":"arn:aws:scheduler:us-east-1:123456789012:schedule-group/default"},"StringEquals":{"aws:SourceAccount":"123456789012"}}}]}"#,
            ),
            (
                "condition operator",
                TRUST,
                r#"{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Principal":{"Service":"scheduler.amazonaws.com"},"Action":"sts:AssumeRole","Condition":{"ArnLike":{"aws:SourceArn":"arn:aws:scheduler:us-east-1:123456789012:schedule-group/default"},"StringEquals":{"aws:SourceAccount":"123456789012"}}}]}"#,
            ),
            (
                "condition value",
                TRUST,
                r#"{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Principal":{"Service":"scheduler.amazonaws.com"},"Action":"sts:AssumeRole","Condition":{"ArnEquals":{"aws:SourceArn":"arn:aws:scheduler:us-east-1:123456789012:schedule-group/*"},"StringEquals":{"aws:SourceAccount":"123456789012"}}}]}"#,
            ),
            (
                "condition dropped",
                TRUST,
                r#"{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Principal":{"Service":"scheduler.amazonaws.com"},"Action":"sts:AssumeRole","Condition":{"StringEquals":{"aws:SourceAccount":"123456789012"}}}]}"#,
            ),
            (
                "principal service",
                TRUST,
                r#"{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Principal":{"Service":"events.amazonaws.com"},"Action":"sts:AssumeRole","Condition":{"ArnEquals":{"aws:SourceArn":"arn:aws:scheduler:us-east-1:123456789012:schedule-group/default"},"StringEquals":{"aws:SourceAccount":"123456789012"}}}]}"#,
            ),
            (
                "star principal vs AWS star",
                r#"{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Principal":"*","Action":"a:X"}]}"#,
                r#"{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Principal":{"AWS":"*"},"Action":"a:X"}]}"#,
            ),
            (
                "Principal vs NotPrincipal",
                r#"{"Version":"2012-10-17","Statement":[{"Effect":"Deny","Principal":{"AWS":"a"},"Action":"a:X"}]}"#,
                r#"{"Version":"2012-10-17","Statement":[{"Effect":"Deny","NotPrincipal":{"AWS":"a"},"Action":"a:X"}]}"#,
            ),
            ("one side unparseable", one, "{not json"),
            ("both unparseable and different", "{a", "{b"),
            ("empty vs document", "", one),
        ];
        for (name, a, b) in cases {
            assert!(!equivalent(a, b), "{name}: expected different");
            assert!(!equivalent(b, a), "{name}: expected different (swapped)");
        }
    }

    #[test]
    fn keys_differing_only_in_case_are_not_merged() {
        // Two separate conditions (both must hold) are not one condition
        // accepting either value.
        let split = r#"{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"a:X","Resource":"r","Condition":{"StringEquals":{"aws:SourceAccount":"1","AWS:SourceAccount":"2"}}}]}"#;
        let merged = r#"{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"a:X","Resource":"r","Condition":{"StringEquals":{"aws:SourceAccount":["1","2"]}}}]}"#;
        assert!(!equivalent(split, merged));
    }
}
