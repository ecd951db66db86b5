//! Typed IAM policy documents: parse what IAM, Lambda or a user hands us and
//! write the exact JSON text this provider sends.
//!
//! Layer: pure. No I/O; text in, values out.
//!
//! # Serialization rule
//! Output is compact JSON (no whitespace) with a fixed key order:
//! `Version`, `Id`, `Statement`; and in a statement `Sid`, `Effect`,
//! `Principal`, `NotPrincipal`, `Action`, `NotAction`, `Resource`,
//! `NotResource`, `Condition`. Every list (actions, resources, principal
//! values, condition values) is written as a plain string when it has exactly
//! one element, as an array when it has more, and is left out when empty.
//! `Statement` is always an array. Condition operators, condition keys and
//! principal types are written in `BTreeMap` (byte-wise) order.
//!
//! The key order relies on serde_json's `preserve_order` feature, which the
//! crate enables; the exact-output tests in `builders` would catch its loss.

use std::collections::BTreeMap;

use serde_json::{Map, Value};

/// The only policy language version this provider writes: the older
/// `2008-10-17` lacks policy variables.
pub const POLICY_VERSION: &str = "2012-10-17";

/// Condition operator (`StringEquals`) -> condition key (`aws:SourceArn`) ->
/// values. Ordered so that serialization is deterministic.
pub type Conditions = BTreeMap<String, BTreeMap<String, Vec<String>>>;

/// A whole policy document.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct PolicyDocument {
    /// As written; empty when the document had no `Version` (IAM then
    /// assumes `2008-10-17`, so an empty version is kept distinct).
    pub version: String,
    /// The optional `Id` element; Lambda writes `default` in function policies.
    pub id: Option<String>,
    /// In document order: order does not change what a policy grants, but it is kept.
    pub statements: Vec<Statement>,
}

/// `Allow` or `Deny`, spelled exactly as IAM requires.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Effect {
    /// Grants what the statement names, unless a `Deny` also matches.
    Allow,
    /// Refuses what the statement names, whatever any `Allow` grants.
    Deny,
}

impl Effect {
    /// The JSON spelling: `"Allow"` or `"Deny"`.
    pub fn as_str(self) -> &'static str {
        match self {
            Effect::Allow => "Allow",
            Effect::Deny => "Deny",
        }
    }
}

/// The `Principal` (or `NotPrincipal`) element.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Principal {
    /// `"Principal": "*"`. Kept apart from `{"AWS": "*"}` because IAM keeps
    /// them apart in what it returns, so equating them would hide drift.
    Any,
    /// Principal type (`Service`, `AWS`, `Federated`, `CanonicalUser`) ->
    /// identifiers.
    Typed(BTreeMap<String, Vec<String>>),
}

impl Principal {
    /// A single service principal such as `lambda.amazonaws.com`.
    pub fn service(name: &str) -> Principal {
        let mut map = BTreeMap::new();
        map.insert("Service".to_string(), vec![name.to_string()]);
        Principal::Typed(map)
    }
}

/// One statement. `not_*` fields exist so that parsing never drops an
/// element that changes meaning (an `Action` and a `NotAction` with the
/// same list grant opposite things).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Statement {
    /// `None` when the statement has no `Sid` (IAM allows that; Lambda always writes one).
    pub sid: Option<String>,
    /// `Allow` or `Deny`.
    pub effect: Effect,
    /// Who the statement is about: in resource and trust policies only.
    pub principal: Option<Principal>,
    /// Everyone but these: rare, and kept so that parsing never drops it.
    pub not_principal: Option<Principal>,
    /// The actions matched: empty when the statement uses `NotAction`.
    pub action: Vec<String>,
    /// Every action except these.
    pub not_action: Vec<String>,
    /// The resource ARNs matched: empty in a trust policy, or with `NotResource`.
    pub resource: Vec<String>,
    /// Every resource except these.
    pub not_resource: Vec<String>,
    /// Every condition must hold for the statement to apply; empty: none.
    pub condition: Conditions,
}

impl Statement {
    /// An empty statement with the given effect, for struct-update syntax:
    /// `Statement { action: ..., ..Statement::new(Effect::Allow) }`.
    pub fn new(effect: Effect) -> Statement {
        Statement {
            sid: None,
            effect,
            principal: None,
            not_principal: None,
            action: Vec::new(),
            not_action: Vec::new(),
            resource: Vec::new(),
            not_resource: Vec::new(),
            condition: Conditions::new(),
        }
    }

    fn to_value(&self) -> Value {
        let mut map = Map::new();
        if let Some(sid) = &self.sid {
            map.insert("Sid".to_string(), Value::String(sid.clone()));
        }
        map.insert(
            "Effect".to_string(),
            Value::String(self.effect.as_str().to_string()),
        );
        if let Some(principal) = &self.principal {
            map.insert("Principal".to_string(), principal_value(principal));
        }
        if let Some(principal) = &self.not_principal {
            map.insert("NotPrincipal".to_string(), principal_value(principal));
        }
        insert_list(&mut map, "Action", &self.action);
        insert_list(&mut map, "NotAction", &self.not_action);
        insert_list(&mut map, "Resource", &self.resource);
        insert_list(&mut map, "NotResource", &self.not_resource);
        if !self.condition.is_empty() {
            let mut operators = Map::new();
            for (operator, keys) in &self.condition {
                let mut entries = Map::new();
                for (key, values) in keys {
                    entries.insert(key.clone(), list_value(values));
                }
                operators.insert(operator.clone(), Value::Object(entries));
            }
            map.insert("Condition".to_string(), Value::Object(operators));
        }
        Value::Object(map)
    }
}

impl PolicyDocument {
    /// A `2012-10-17` document without `Id`.
    pub fn new(statements: Vec<Statement>) -> PolicyDocument {
        PolicyDocument {
            version: POLICY_VERSION.to_string(),
            id: None,
            statements,
        }
    }

    /// The document as a JSON value, keys in the documented order.
    pub fn to_value(&self) -> Value {
        let mut map = Map::new();
        if !self.version.is_empty() {
            map.insert("Version".to_string(), Value::String(self.version.clone()));
        }
        if let Some(id) = &self.id {
            map.insert("Id".to_string(), Value::String(id.clone()));
        }
        let statements = self.statements.iter().map(Statement::to_value).collect();
        map.insert("Statement".to_string(), Value::Array(statements));
        Value::Object(map)
    }

    /// The exact compact JSON text. `Value`'s `Display` is the same compact
    /// writer as `serde_json::to_string` but cannot fail, so no error path
    /// exists for a value we built ourselves.
    pub fn to_json(&self) -> String {
        self.to_value().to_string()
    }

    /// Parse a policy as IAM, Lambda or a user writes it, percent-encoded or
    /// not. Accepts string-or-array lists, `Statement` as an object or an
    /// array, `Principal` as `"*"` or a map, and condition values that are
    /// strings, booleans or numbers (normalised to strings). Unknown elements
    /// are an error rather than ignored, so that comparing two documents never
    /// silently skips something that changes their meaning.
    pub fn parse(text: &str) -> Result<PolicyDocument, String> {
        let decoded = decode_iam_document(text);
        let value: Value = serde_json::from_str(decoded.trim())
            .map_err(|err| format!("policy is not valid JSON: {err}"))?;
        let Value::Object(map) = value else {
            return Err("policy must be a JSON object".to_string());
        };
        let mut version = String::new();
        let mut id = None;
        let mut statements = None;
        for (key, value) in map {
            match key.as_str() {
                "Version" => version = string_field("Version", value)?,
                "Id" => id = Some(string_field("Id", value)?),
                "Statement" => statements = Some(parse_statements(value)?),
                other => return Err(format!("unknown policy element {other:?}")),
            }
        }
        let statements = statements.ok_or_else(|| "policy has no Statement".to_string())?;
        Ok(PolicyDocument {
            version,
            id,
            statements,
        })
    }
}

/// Percent-decode a policy document as IAM returns it from `GetRole`,
/// `GetRolePolicy` and friends; return the text unchanged when it already
/// looks like JSON (starts with `{` after trimming).
///
/// IAM documents the encoding as RFC 3986 and points at
/// `java.net.URLDecoder` to undo it
/// (<https://docs.aws.amazon.com/IAM/latest/APIReference/API_GetRolePolicy.html>),
/// so `+` decodes to a space like that decoder does: IAM itself writes a
/// literal `+` as `%2B`. Malformed escapes are kept as written and invalid
/// UTF-8 becomes U+FFFD, so the caller's JSON parse reports the problem.
pub fn decode_iam_document(s: &str) -> String {
    if s.trim_start().starts_with('{') {
        return s.to_string();
    }
    let mut out = Vec::with_capacity(s.len());
    let mut rest = s.as_bytes();
    while let Some((&byte, tail)) = rest.split_first() {
        if let (b'%', [hi, lo, after @ ..]) = (byte, tail) {
            if let (Some(hi), Some(lo)) = (hex_value(*hi), hex_value(*lo)) {
                out.push((hi << 4) | lo);
                rest = after;
                continue;
            }
        }
        out.push(if byte == b'+' { b' ' } else { byte });
        rest = tail;
    }
    String::from_utf8_lossy(&out).into_owned()
}

fn hex_value(digit: u8) -> Option<u8> {
    char::from(digit)
        .to_digit(16)
        .and_then(|value| u8::try_from(value).ok())
}

fn list_value(items: &[String]) -> Value {
    match items {
        [single] => Value::String(single.clone()),
        _ => Value::Array(items.iter().cloned().map(Value::String).collect()),
    }
}

fn insert_list(map: &mut Map<String, Value>, key: &str, items: &[String]) {
    if !items.is_empty() {
        map.insert(key.to_string(), list_value(items));
    }
}

fn principal_value(principal: &Principal) -> Value {
    match principal {
        Principal::Any => Value::String("*".to_string()),
        Principal::Typed(types) => {
            let mut map = Map::new();
            for (kind, ids) in types {
                map.insert(kind.clone(), list_value(ids));
            }
            Value::Object(map)
        }
    }
}

fn string_field(name: &str, value: Value) -> Result<String, String> {
    match value {
        Value::String(s) => Ok(s),
        other => Err(format!("{name} must be a string, got {other}")),
    }
}

fn string_list(name: &str, value: Value) -> Result<Vec<String>, String> {
    match value {
        Value::String(s) => Ok(vec![s]),
        Value::Array(items) => items
            .into_iter()
            .map(|item| string_field(name, item))
            .collect(),
        other => Err(format!(
            "{name} must be a string or a list of strings, got {other}"
        )),
    }
}

fn parse_statements(value: Value) -> Result<Vec<Statement>, String> {
    match value {
        Value::Array(items) => items.into_iter().map(parse_statement).collect(),
        single @ Value::Object(_) => Ok(vec![parse_statement(single)?]),
        other => Err(format!(
            "Statement must be an object or a list, got {other}"
        )),
    }
}

fn parse_statement(value: Value) -> Result<Statement, String> {
    let Value::Object(map) = value else {
        return Err(format!("each statement must be an object, got {value}"));
    };
    let mut effect = None;
    let mut statement = Statement::new(Effect::Allow);
    for (key, value) in map {
        match key.as_str() {
            "Sid" => statement.sid = Some(string_field("Sid", value)?),
            "Effect" => {
                effect = Some(match string_field("Effect", value)?.as_str() {
                    "Allow" => Effect::Allow,
                    "Deny" => Effect::Deny,
                    other => return Err(format!("Effect must be Allow or Deny, got {other:?}")),
                })
            }
            "Principal" => statement.principal = Some(parse_principal("Principal", value)?),
            "NotPrincipal" => {
                statement.not_principal = Some(parse_principal("NotPrincipal", value)?)
            }
            "Action" => statement.action = string_list("Action", value)?,
            "NotAction" => statement.not_action = string_list("NotAction", value)?,
            "Resource" => statement.resource = string_list("Resource", value)?,
            "NotResource" => statement.not_resource = string_list("NotResource", value)?,
            "Condition" => statement.condition = parse_conditions(value)?,
            other => return Err(format!("unknown statement element {other:?}")),
        }
    }
    // A missing Effect must not default to Allow: that would turn a
    // malformed document into a grant when compared or rewritten.
    statement.effect = effect.ok_or_else(|| "statement has no Effect".to_string())?;
    Ok(statement)
}

fn parse_principal(name: &str, value: Value) -> Result<Principal, String> {
    match value {
        Value::String(s) if s == "*" => Ok(Principal::Any),
        Value::Object(map) => {
            let mut types = BTreeMap::new();
            for (kind, ids) in map {
                let ids = string_list(&format!("{name}.{kind}"), ids)?;
                types.insert(kind, ids);
            }
            Ok(Principal::Typed(types))
        }
        other => Err(format!(
            "{name} must be \"*\" or an object of principal types, got {other}"
        )),
    }
}

fn parse_conditions(value: Value) -> Result<Conditions, String> {
    let Value::Object(operators) = value else {
        return Err(format!("Condition must be an object, got {value}"));
    };
    let mut conditions = Conditions::new();
    for (operator, keys) in operators {
        let Value::Object(keys) = keys else {
            return Err(format!(
                "Condition operator {operator:?} must map to an object, got {keys}"
            ));
        };
        let mut entries = BTreeMap::new();
        for (key, values) in keys {
            let values = match values {
                Value::Array(items) => items
                    .into_iter()
                    .map(|item| condition_scalar(&key, item))
                    .collect::<Result<Vec<_>, _>>()?,
                scalar => vec![condition_scalar(&key, scalar)?],
            };
            entries.insert(key, values);
        }
        conditions.insert(operator, entries);
    }
    Ok(conditions)
}

/// IAM accepts `true` and `"true"`, `5` and `"5"` alike and returns whatever
/// was written, so both spellings are normalised to the string form.
fn condition_scalar(key: &str, value: Value) -> Result<String, String> {
    match value {
        Value::String(s) => Ok(s),
        Value::Bool(b) => Ok(b.to_string()),
        Value::Number(n) => Ok(n.to_string()),
        other => Err(format!(
            "Condition value for {key:?} must be a string, boolean or number, got {other}"
        )),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn parse(text: &str) -> PolicyDocument {
        match PolicyDocument::parse(text) {
            Ok(doc) => doc,
            Err(err) => panic!("parse failed: {err}\n{text}"),
        }
    }

    #[test]
    fn single_element_lists_are_strings_and_longer_ones_arrays() {
        let doc = PolicyDocument::new(vec![Statement {
            sid: Some("S".to_string()),
            action: vec!["a:One".to_string()],
            resource: vec!["r1".to_string(), "r2".to_string()],
            ..Statement::new(Effect::Deny)
        }]);
        assert_eq!(
            doc.to_json(),
            r#"{"Version":"2012-10-17","Statement":[{"Sid":"S","Effect":"Deny","Action":"a:One","Resource":["r1","r2"]}]}"#
        );
    }

    #[test]
    fn key_order_is_fixed_for_every_element() {
        let mut condition = Conditions::new();
        condition.insert(
            "StringEquals".to_string(),
            BTreeMap::from([("k".to_string(), vec!["v".to_string()])]),
        );
        condition.insert(
            "Bool".to_string(),
            BTreeMap::from([("aws:SecureTransport".to_string(), vec!["true".to_string()])]),
        );
        let doc = PolicyDocument {
            version: POLICY_VERSION.to_string(),
            id: Some("doc".to_string()),
            statements: vec![Statement {
                sid: Some("S".to_string()),
                principal: Some(Principal::Any),
                not_principal: Some(Principal::service("x.amazonaws.com")),
                action: vec!["a:A".to_string()],
                not_action: vec!["a:B".to_string()],
                resource: vec!["r".to_string()],
                not_resource: vec!["n".to_string()],
                condition,
                ..Statement::new(Effect::Allow)
            }],
        };
        assert_eq!(
            doc.to_json(),
            r#"{"Version":"2012-10-17","Id":"doc","Statement":[{"Sid":"S","Effect":"Allow","Principal":"*","NotPrincipal":{"Service":"x.amazonaws.com"},"Action":"a:A","NotAction":"a:B","Resource":"r","NotResource":"n","Condition":{"Bool":{"aws:SecureTransport":"true"},"StringEquals":{"k":"v"}}}]}"#
        );
    }

    #[test]
    fn empty_lists_are_left_out_and_statement_stays_an_array() {
        let doc = PolicyDocument::new(vec![Statement::new(Effect::Allow)]);
        assert_eq!(
            doc.to_json(),
            r#"{"Version":"2012-10-17","Statement":[{"Effect":"Allow"}]}"#
        );
        assert_eq!(
            PolicyDocument::new(Vec::new()).to_json(),
            r#"{"Version":"2012-10-17","Statement":[]}"#
        );
    }

    #[test]
    fn parses_string_or_array_lists() {
        let doc = parse(
            r#"{"Version":"2012-10-17","Statement":[
                {"Effect":"Allow","Action":"s3:GetObject","Resource":["a","b"]},
                {"Effect":"Deny","NotAction":["iam:*"],"NotResource":"x"}]}"#,
        );
        let [first, second] = doc.statements.as_slice() else {
            panic!("expected two statements: {doc:?}");
        };
        assert_eq!(first.action, ["s3:GetObject"]);
        assert_eq!(first.resource, ["a", "b"]);
        assert_eq!(second.effect, Effect::Deny);
        assert_eq!(second.not_action, ["iam:*"]);
        assert_eq!(second.not_resource, ["x"]);
    }

    #[test]
    fn parses_statement_given_as_a_single_object() {
        let doc = parse(
            r#"{"Version":"2012-10-17","Statement":{"Effect":"Allow","Action":"a:B","Resource":"*"}}"#,
        );
        assert_eq!(doc.statements.len(), 1);
        assert_eq!(doc.version, "2012-10-17");
    }

    #[test]
    fn parses_every_principal_shape() {
        let doc = parse(
            r#"{"Version":"2012-10-17","Statement":[
                {"Effect":"Allow","Principal":"*","Action":"a:B"},
                {"Effect":"Allow","Principal":{"Service":["scheduler.amazonaws.com","lambda.amazonaws.com"]},"Action":"sts:AssumeRole"},
                {"Effect":"Allow","Principal":{"AWS":"arn:aws:iam::123456789012:root"},"Action":"sts:AssumeRole"},
                {"Effect":"Allow","Principal":{"Federated":"cognito-identity.amazonaws.com"},"Action":"sts:AssumeRoleWithWebIdentity"}]}"#,
        );
        let principals: Vec<_> = doc.statements.iter().map(|s| s.principal.clone()).collect();
        assert_eq!(principals[0], Some(Principal::Any));
        assert_eq!(
            principals[1],
            Some(Principal::Typed(BTreeMap::from([(
                "Service".to_string(),
                vec![
                    "scheduler.amazonaws.com".to_string(),
                    "lambda.amazonaws.com".to_string()
                ]
            )])))
        );
        assert_eq!(
            principals[2],
            Some(Principal::Typed(BTreeMap::from([(
                "AWS".to_string(),
                vec!["arn:aws:iam::123456789012:root".to_string()]
            )])))
        );
        assert_eq!(
            principals[3],
            Some(Principal::Typed(BTreeMap::from([(
                "Federated".to_string(),
                vec!["cognito-identity.amazonaws.com".to_string()]
            )])))
        );
    }

    #[test]
    fn condition_values_are_normalised_to_strings() {
        let doc = parse(
            r#"{"Version":"2012-10-17","Statement":[{"Effect":"Deny","Action":"s3:*","Resource":"*",
                "Condition":{"Bool":{"aws:SecureTransport":false},
                             "NumericLessThan":{"s3:TlsVersion":[1.2, "1.3", 2]},
                             "StringEquals":{"aws:SourceAccount":"123456789012"}}}]}"#,
        );
        let condition = &doc.statements[0].condition;
        assert_eq!(condition["Bool"]["aws:SecureTransport"], ["false"]);
        assert_eq!(
            condition["NumericLessThan"]["s3:TlsVersion"],
            ["1.2", "1.3", "2"]
        );
        assert_eq!(
            condition["StringEquals"]["aws:SourceAccount"],
            ["123456789012"]
        );
    }

    #[test]
    fn parses_percent_encoded_document_as_get_role_returns_it() {
        let encoded = "%7B%22Version%22%3A%222012-10-17%22%2C%22Statement%22%3A%5B%7B%22Effect%22%3A%22Allow%22%2C%22Principal%22%3A%7B%22Service%22%3A%22scheduler.amazonaws.com%22%7D%2C%22Action%22%3A%22sts%3AAssumeRole%22%2C%22Condition%22%3A%7B%22StringEquals%22%3A%7B%22aws%3ASourceAccount%22%3A%22123456789012%22%7D%7D%7D%5D%7D";
        let doc = parse(encoded);
        assert_eq!(
            doc.statements[0].principal,
            Some(Principal::service("scheduler.amazonaws.com"))
        );
        assert_eq!(doc.statements[0].action, ["sts:AssumeRole"]);
        assert_eq!(
            doc.statements[0].condition["StringEquals"]["aws:SourceAccount"],
            ["123456789012"]
        );
    }

    #[test]
    fn parses_pretty_printed_percent_encoded_document() {
        // Shape of a console-written policy: newlines and spaces encoded,
        // and `*` as %2A.
        let encoded = "%7B%0A%20%20%22Version%22%3A%20%222012-10-17%22%2C%0A%20%20%22Statement%22%3A%20%5B%0A%20%20%20%20%7B%22Effect%22%3A%20%22Allow%22%2C%20%22Action%22%3A%20%22logs%3A%2A%22%2C%20%22Resource%22%3A%20%22%2A%22%7D%0A%20%20%5D%0A%7D";
        let doc = parse(encoded);
        assert_eq!(doc.statements[0].action, ["logs:*"]);
        assert_eq!(doc.statements[0].resource, ["*"]);
    }

    #[test]
    fn decode_leaves_plain_json_untouched() {
        let plain = "  {\"a\": \"x+y%41\"}";
        assert_eq!(decode_iam_document(plain), plain);
    }

    #[test]
    fn decode_handles_plus_escapes_and_malformed_input() {
        assert_eq!(decode_iam_document("%7Ba+b%2Bc%7D"), "{a b+c}");
        assert_eq!(decode_iam_document("%E2%82%AC"), "\u{20ac}");
        assert_eq!(decode_iam_document("100%"), "100%");
        assert_eq!(decode_iam_document("%zz%4"), "%zz%4");
        assert_eq!(decode_iam_document("%FF"), "\u{fffd}");
        assert_eq!(decode_iam_document(""), "");
    }

    #[test]
    fn rejects_malformed_documents() {
        let cases = [
            ("", "not valid JSON"),
            ("[]", "must be a JSON object"),
            (r#"{"Version":"2012-10-17"}"#, "no Statement"),
            (r#"{"Statement":[{"Action":"a:B"}]}"#, "no Effect"),
            (r#"{"Statement":[{"Effect":"allow"}]}"#, "Allow or Deny"),
            (
                r#"{"Statement":[{"Effect":"Allow","Actions":"a"}]}"#,
                "unknown statement element",
            ),
            (r#"{"Statment":[]}"#, "unknown policy element"),
            (
                r#"{"Statement":[{"Effect":"Allow","Action":[1]}]}"#,
                "Action must be a string",
            ),
            (
                r#"{"Statement":[{"Effect":"Allow","Principal":"arn:x"}]}"#,
                "Principal must be",
            ),
            (
                r#"{"Statement":[{"Effect":"Allow","Condition":{"Null":{"k":null}}}]}"#,
                "Condition value",
            ),
            (
                r#"{"Statement":[{"Effect":"Allow","Condition":{"StringEquals":"k"}}]}"#,
                "must map to an object",
            ),
            (r#"{"Statement":"x"}"#, "object or a list"),
            (
                r#"{"Version":1,"Statement":[]}"#,
                "Version must be a string",
            ),
        ];
        for (text, expected) in cases {
            match PolicyDocument::parse(text) {
                Ok(doc) => panic!("{text} parsed as {doc:?}"),
                Err(err) => assert!(err.contains(expected), "{text}: {err}"),
            }
        }
    }

    #[test]
    fn missing_version_is_kept_empty_and_not_written() {
        let doc = parse(r#"{"Statement":[{"Effect":"Allow","Action":"a:B","Resource":"*"}]}"#);
        assert_eq!(doc.version, "");
        assert_eq!(
            doc.to_json(),
            r#"{"Statement":[{"Effect":"Allow","Action":"a:B","Resource":"*"}]}"#
        );
    }

    #[test]
    fn write_then_parse_is_identity() {
        let text = r#"{"Version":"2012-10-17","Id":"i","Statement":[{"Sid":"S","Effect":"Allow","Principal":{"AWS":["a","b"],"Service":"s"},"Action":["x:A","x:B"],"Resource":"r","Condition":{"ArnLike":{"aws:SourceArn":["p","q"]}}}]}"#;
        let doc = parse(text);
        assert_eq!(doc.to_json(), text);
        assert_eq!(parse(&doc.to_json()), doc);
    }

    #[test]
    fn parses_lambda_resource_policy_as_get_policy_returns_it() {
        let text = r#"{"Version":"2012-10-17","Id":"default","Statement":[{"Sid":"s3-invoke","Effect":"Allow","Principal":{"Service":"s3.amazonaws.com"},"Action":"lambda:InvokeFunction","Resource":"arn:aws:lambda:eu-west-1:123456789012:function:hook","Condition":{"StringEquals":{"AWS:SourceAccount":"123456789012"},"ArnLike":{"AWS:SourceArn":"arn:aws:s3:::uploads"}}}]}"#;
        let doc = parse(text);
        assert_eq!(doc.id.as_deref(), Some("default"));
        let statement = &doc.statements[0];
        assert_eq!(statement.sid.as_deref(), Some("s3-invoke"));
        assert_eq!(
            statement.condition["ArnLike"]["AWS:SourceArn"],
            ["arn:aws:s3:::uploads"]
        );
    }
}
