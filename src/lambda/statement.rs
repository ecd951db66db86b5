//! Layer: pure (no I/O). Reads the statements Lambda stores in a function's
//! resource-based policy (the `Policy` text from GetPolicy) and compares them
//! with the arguments that would be sent to AddPermission.

use crate::plugin::value::REDACTED;
use crate::validate::arn;
use serde_json::{Map, Value};

/// One statement as Lambda stored it, flattened to the resource's arguments.
#[derive(Clone, Default, PartialEq, Eq)]
pub struct StoredStatement {
    /// The statement's `Sid`: the permission's statement id (empty if it has none).
    pub sid: String,
    /// Service name, account id/ARN as stored, or `"*"`.
    pub principal: String,
    /// As stored: `lambda:InvokeFunction`, `lambda:InvokeFunctionUrl`, ...
    pub action: String,
    /// The function ARN the statement grants on, qualified for a version or alias.
    pub resource: String,
    /// The `AWS:SourceArn` condition (`ArnLike` or `ArnEquals`), if any.
    pub source_arn: Option<String>,
    /// The `AWS:SourceAccount` condition, if any.
    pub source_account: Option<String>,
    /// The `aws:PrincipalOrgID` condition, if any.
    pub principal_org_id: Option<String>,
    /// The `lambda:FunctionUrlAuthType` condition (`NONE` or `AWS_IAM`), if any.
    pub function_url_auth_type: Option<String>,
    /// The `lambda:InvokedViaFunctionUrl` condition is `true`: the grant only
    /// holds for invocations that come through the function's URL.
    pub invoked_via_function_url: bool,
    /// The clear token, for comparisons only: never shown.
    pub event_source_token: Option<String>,
    /// The statement object re-serialised compactly, keys in stored order,
    /// with an event-source token replaced by [`REDACTED`].
    pub json: String,
}

crate::debug_redacting!(StoredStatement {
    sid, principal, action, resource, source_arn, source_account, principal_org_id, function_url_auth_type, invoked_via_function_url, json
} secret {
    event_source_token
});

/// The statement as Lambda stores it for these arguments (GetPolicy's
/// shape: a service principal under `Service`, an account as its root ARN
/// in `partition`, `AWS:SourceArn` under `ArnLike`, the other conditions
/// under `StringEquals`, `lambda:InvokedViaFunctionUrl` under `Bool`), a
/// token shown as [`REDACTED`]: what a plan shows as `statement_json`
/// before the statement exists. `st.json` is not read.
pub fn render_statement(st: &StoredStatement, partition: &str) -> String {
    let principal = if st.principal == "*" {
        Value::String("*".into())
    } else if super::principal::is_service_principal(&st.principal) {
        serde_json::json!({ "Service": st.principal })
    } else if arn::is_account(&st.principal) {
        serde_json::json!({ "AWS": format!("arn:{partition}:iam::{}:root", st.principal) })
    } else {
        serde_json::json!({ "AWS": st.principal })
    };
    let mut conditions = Map::new();
    let mut put = |operator: &str, key: &str, value: &str| {
        let block = conditions
            .entry(operator.to_string())
            .or_insert_with(|| Value::Object(Map::new()));
        if let Value::Object(entries) = block {
            entries.insert(key.to_string(), Value::String(value.to_string()));
        }
    };
    let equals = [
        ("AWS:SourceAccount", &st.source_account),
        ("aws:PrincipalOrgID", &st.principal_org_id),
        ("lambda:FunctionUrlAuthType", &st.function_url_auth_type),
    ];
    for (key, value) in equals {
        if let Some(v) = value {
            put("StringEquals", key, v);
        }
    }
    if st.event_source_token.is_some() {
        put("StringEquals", "lambda:EventSourceToken", REDACTED);
    }
    if st.invoked_via_function_url {
        put("Bool", INVOKED_VIA_FUNCTION_URL_KEY, "true");
    }
    if let Some(source) = &st.source_arn {
        put("ArnLike", "AWS:SourceArn", source);
    }
    let mut stmt = serde_json::json!({
        "Sid": st.sid,
        "Effect": "Allow",
        "Principal": principal,
        "Action": st.action,
        "Resource": st.resource,
    });
    if !conditions.is_empty() {
        stmt["Condition"] = Value::Object(conditions);
    }
    stmt.to_string()
}

/// Replace each `lambda:EventSourceToken` condition value of one statement
/// (under any operator, negated ones too: the value is the secret either
/// way). True when something was replaced.
fn redact_statement(stmt: &mut Value) -> bool {
    let Some(Value::Object(blocks)) = stmt.get_mut("Condition") else {
        return false;
    };
    let mut redacted = false;
    for body in blocks.values_mut() {
        let Value::Object(entries) = body else {
            continue;
        };
        for (key, value) in entries.iter_mut() {
            // Condition keys are case-insensitive.
            if key.eq_ignore_ascii_case("lambda:EventSourceToken") {
                *value = Value::String(REDACTED.to_string());
                redacted = true;
            }
        }
    }
    redacted
}

/// One statement's JSON text with its token redacted; text that is not a
/// JSON statement gives `None`, since it cannot be shown to hold no secret.
pub fn redact_statement_json(statement_json: &str) -> Option<String> {
    let mut stmt: Value = serde_json::from_str(statement_json).ok()?;
    if !stmt.is_object() {
        return None;
    }
    if !redact_statement(&mut stmt) {
        return Some(statement_json.to_string());
    }
    serde_json::to_string(&stmt).ok()
}

/// A whole policy document with every statement's token redacted. The text
/// is returned untouched when it holds no token, so it stays byte-for-byte
/// what Lambda returned.
pub fn redact_policy(policy_json: &str) -> Result<String, String> {
    let mut doc: Value = serde_json::from_str(policy_json)
        .map_err(|e| format!("function policy is not valid JSON: {e}"))?;
    let redacted = match doc.get_mut("Statement") {
        // Every statement, not only up to the first with a token.
        Some(Value::Array(items)) => {
            items
                .iter_mut()
                .map(redact_statement)
                .filter(|redacted| *redacted)
                .count()
                > 0
        }
        Some(single @ Value::Object(_)) => redact_statement(single),
        _ => false,
    };
    if !redacted {
        return Ok(policy_json.to_string());
    }
    serde_json::to_string(&doc).map_err(|e| format!("cannot re-serialise the policy: {e}"))
}

/// Byte size of a policy, for the 20 KB limit hint.
pub const POLICY_SIZE_LIMIT: usize = 20480;

fn raw_statements(policy_json: &str) -> Result<Vec<Value>, String> {
    let mut doc: Value = serde_json::from_str(policy_json)
        .map_err(|e| format!("function policy is not valid JSON: {e}"))?;
    let Some(doc) = doc.as_object_mut() else {
        return Err("function policy is not a JSON object".to_string());
    };
    // IAM grammar allows a lone statement object as well as an array.
    match doc.get_mut("Statement").map(Value::take) {
        None | Some(Value::Null) => Ok(Vec::new()),
        Some(Value::Array(items)) => Ok(items),
        Some(single @ Value::Object(_)) => Ok(vec![single]),
        Some(_) => Err("function policy Statement is neither an array nor an object".to_string()),
    }
}

fn sid_of(stmt: &Value) -> Option<&str> {
    stmt.get("Sid").and_then(Value::as_str)
}

/// Policies may write any single value as a one-element array.
fn single_string(value: &Value) -> Option<&str> {
    match value {
        Value::String(s) => Some(s),
        Value::Array(items) if items.len() == 1 => items.first().and_then(Value::as_str),
        _ => None,
    }
}

fn required_string(obj: &Map<String, Value>, key: &str, sid: &str) -> Result<String, String> {
    obj.get(key)
        .and_then(single_string)
        .map(str::to_string)
        .ok_or_else(|| format!("statement \"{sid}\": {key} is missing or not a single string"))
}

fn principal_of(obj: &Map<String, Value>, sid: &str) -> Result<String, String> {
    let unsupported = || {
        format!("statement \"{sid}\": Principal is not a single service, AWS principal or \"*\"")
    };
    match obj.get("Principal") {
        Some(Value::String(s)) => Ok(s.clone()),
        Some(Value::Object(map)) if map.len() == 1 => {
            let (kind, value) = map.iter().next().ok_or_else(unsupported)?;
            if kind != "Service" && kind != "AWS" {
                return Err(unsupported());
            }
            single_string(value)
                .map(str::to_string)
                .ok_or_else(unsupported)
        }
        _ => Err(unsupported()),
    }
}

#[derive(Default)]
struct Conditions {
    source_arn: Option<String>,
    source_account: Option<String>,
    principal_org_id: Option<String>,
    function_url_auth_type: Option<String>,
    event_source_token: Option<String>,
    invoked_via_function_url: bool,
}

/// `lambda:InvokedViaFunctionUrl` as Lambda stores it for AddPermission with
/// `InvokedViaFunctionUrl=true` (the October 2025 function-URL change):
/// `"Condition": {"Bool": {"lambda:InvokedViaFunctionUrl": "true"}}`. The
/// AWS docs searched name the parameter and key but show no stored policy,
/// so this is the shape IAM uses for every boolean key; a JSON `true` and
/// any casing are accepted as well.
pub const INVOKED_VIA_FUNCTION_URL_KEY: &str = "lambda:InvokedViaFunctionUrl";

fn is_true(value: &Value) -> bool {
    match value {
        Value::Bool(b) => *b,
        Value::String(s) => s.eq_ignore_ascii_case("true"),
        Value::Array(items) if items.len() == 1 => items.first().is_some_and(is_true),
        _ => false,
    }
}

fn conditions_of(obj: &Map<String, Value>, sid: &str) -> Result<Conditions, String> {
    let mut out = Conditions::default();
    let Some(Value::Object(blocks)) = obj.get("Condition") else {
        return Ok(out);
    };
    for (operator, body) in blocks {
        // Only the positive operators Lambda writes can express these
        // arguments; a negated condition must not be read as one of them.
        let positive = ["StringEquals", "StringLike", "ArnLike", "ArnEquals"]
            .iter()
            .any(|op| op.eq_ignore_ascii_case(operator));
        let Value::Object(entries) = body else {
            continue;
        };
        if operator.eq_ignore_ascii_case("Bool") {
            out.invoked_via_function_url |= entries.iter().any(|(key, value)| {
                key.eq_ignore_ascii_case(INVOKED_VIA_FUNCTION_URL_KEY) && is_true(value)
            });
            continue;
        }
        if !positive {
            continue;
        }
        for (key, value) in entries {
            // Condition keys are case-insensitive and Lambda has written them in
            // more than one casing over time.
            let slot = match key.to_ascii_lowercase().as_str() {
                "aws:sourcearn" => &mut out.source_arn,
                "aws:sourceaccount" => &mut out.source_account,
                "aws:principalorgid" => &mut out.principal_org_id,
                "lambda:functionurlauthtype" => &mut out.function_url_auth_type,
                "lambda:eventsourcetoken" => &mut out.event_source_token,
                _ => continue,
            };
            let v = single_string(value).ok_or_else(|| {
                format!("statement \"{sid}\": condition {key} is not a single string")
            })?;
            *slot = Some(v.to_string());
        }
    }
    Ok(out)
}

fn to_stored(stmt: &Value) -> Result<StoredStatement, String> {
    let Value::Object(obj) = stmt else {
        return Err("function policy statement is not a JSON object".to_string());
    };
    let sid = sid_of(stmt).unwrap_or_default().to_string();
    let principal = principal_of(obj, &sid)?;
    let action = required_string(obj, "Action", &sid)?;
    let resource = required_string(obj, "Resource", &sid)?;
    let c = conditions_of(obj, &sid)?;
    let mut shown = stmt.clone();
    redact_statement(&mut shown);
    let json = serde_json::to_string(&shown)
        .map_err(|e| format!("statement \"{sid}\": cannot re-serialise: {e}"))?;
    Ok(StoredStatement {
        sid,
        principal,
        action,
        resource,
        source_arn: c.source_arn,
        source_account: c.source_account,
        principal_org_id: c.principal_org_id,
        function_url_auth_type: c.function_url_auth_type,
        invoked_via_function_url: c.invoked_via_function_url,
        event_source_token: c.event_source_token,
        json,
    })
}

/// The statement with this Sid, if present. Only that statement is
/// interpreted, so an unusual statement elsewhere in the policy cannot make
/// reading this resource fail.
pub fn find_statement(policy_json: &str, sid: &str) -> Result<Option<StoredStatement>, String> {
    raw_statements(policy_json)?
        .iter()
        .find(|s| sid_of(s) == Some(sid))
        .map(to_stored)
        .transpose()
}

/// One statement's JSON text, as AddPermission answers with it (the
/// statement as stored in the policy), read as [`find_statement`] reads a
/// statement of the policy.
pub fn parse_statement(statement_json: &str) -> Result<StoredStatement, String> {
    let stmt: Value = serde_json::from_str(statement_json)
        .map_err(|e| format!("statement is not valid JSON: {e}"))?;
    to_stored(&stmt)
}

/// Every statement of a function's policy (GetPolicy's `Policy` text), in
/// stored order; an error when any one does not read, unlike [`find_statement`].
pub fn statements(policy_json: &str) -> Result<Vec<StoredStatement>, String> {
    raw_statements(policy_json)?.iter().map(to_stored).collect()
}

/// The account a principal stands for when it is a whole account: an
/// account id, or its `arn:<partition>:iam::<id>:root`.
pub fn whole_account(principal: &str) -> Option<&str> {
    if arn::is_account(principal) {
        return Some(principal);
    }
    let root = arn::parse(principal).ok()?;
    let whole = root.service == "iam"
        && root.region.is_empty()
        && arn::is_account(root.account)
        && root.resource == "root";
    whole.then_some(root.account)
}

/// Keep the user's form when the stored value means the same: account id vs
/// `arn:aws:iam::<id>:root`.
pub fn same_principal(configured: &str, stored: &str) -> bool {
    configured == stored
        || matches!(
            (whole_account(configured), whole_account(stored)),
            (Some(a), Some(b)) if a == b
        )
}

/// Does the stored statement equal what AddPermission with these args would
/// store (used to accept "statement id already exists" after a lost response)?
/// `principal` is the effective one (inferred from source_arn when unset).
/// The event source token is not compared; callers that set one should also
/// compare `stored.event_source_token`. One argument per statement part,
/// in the order AddPermission takes them.
#[allow(clippy::too_many_arguments)]
pub fn matches_args(
    stored: &StoredStatement,
    principal: &str,
    action: &str,
    source_arn: Option<&str>,
    source_account: Option<&str>,
    principal_org_id: Option<&str>,
    function_url_auth_type: Option<&str>,
    invoked_via_function_url: bool,
) -> bool {
    same_principal(principal, &stored.principal)
        // IAM action names are case-insensitive.
        && stored.action.eq_ignore_ascii_case(action)
        && stored.source_arn.as_deref() == source_arn
        && stored.source_account.as_deref() == source_account
        && stored.principal_org_id.as_deref() == principal_org_id
        && stored.function_url_auth_type.as_deref() == function_url_auth_type
        && stored.invoked_via_function_url == invoked_via_function_url
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_rendered_statement_reads_back_as_itself() {
        let shapes = [
            StoredStatement {
                sid: "s3".into(),
                principal: "s3.amazonaws.com".into(),
                action: "lambda:InvokeFunction".into(),
                resource: "arn:aws:lambda:us-east-1:123456789012:function:f:live".into(),
                source_arn: Some("arn:aws:s3:::uploads".into()),
                source_account: Some("123456789012".into()),
                ..StoredStatement::default()
            },
            StoredStatement {
                sid: "org".into(),
                principal: "*".into(),
                action: "lambda:InvokeFunctionUrl".into(),
                resource: "arn:aws:lambda:us-east-1:123456789012:function:f".into(),
                principal_org_id: Some("o-abcdefghij".into()),
                function_url_auth_type: Some("AWS_IAM".into()),
                ..StoredStatement::default()
            },
            StoredStatement {
                sid: "via".into(),
                principal: "*".into(),
                action: "lambda:InvokeFunction".into(),
                resource: "arn:aws:lambda:us-east-1:123456789012:function:f".into(),
                invoked_via_function_url: true,
                ..StoredStatement::default()
            },
            StoredStatement {
                sid: "alexa".into(),
                principal: "alexa-appkit.amazon.com".into(),
                action: "lambda:InvokeFunction".into(),
                resource: "arn:aws:lambda:us-east-1:123456789012:function:f".into(),
                event_source_token: Some("amzn1.ask.skill.secret".into()),
                ..StoredStatement::default()
            },
        ];
        for st in shapes {
            let text = render_statement(&st, "aws");
            let back = parse_statement(&text).expect("parses");
            assert_eq!(back.json, text, "compact and already redacted");
            let token = st.event_source_token.as_ref().map(|_| REDACTED.to_string());
            let expected = StoredStatement {
                event_source_token: token,
                json: text.clone(),
                ..st
            };
            assert_eq!(back, expected, "{text}");
            assert!(!text.contains("secret"), "{text}");
        }
        let account = StoredStatement {
            sid: "acct".into(),
            principal: "210987654321".into(),
            action: "lambda:InvokeFunction".into(),
            resource: "arn:aws-cn:lambda:cn-north-1:123456789012:function:f".into(),
            ..StoredStatement::default()
        };
        let back = parse_statement(&render_statement(&account, "aws-cn")).expect("parses");
        assert_eq!(back.principal, "arn:aws-cn:iam::210987654321:root");
    }

    const FN_ARN: &str = "arn:aws:lambda:us-east-1:123456789012:function:f";

    const S3: &str = r#"{"Sid":"s3","Effect":"Allow","Principal":{"Service":"s3.amazonaws.com"},"Action":"lambda:InvokeFunction","Resource":"arn:aws:lambda:us-east-1:123456789012:function:f","Condition":{"StringEquals":{"AWS:SourceAccount":"123456789012"},"ArnLike":{"AWS:SourceArn":"arn:aws:s3:::uploads-bucket"}}}"#;
    const APIGW: &str = r#"{"Sid":"apigw","Effect":"Allow","Principal":{"Service":"apigateway.amazonaws.com"},"Action":"lambda:InvokeFunction","Resource":"arn:aws:lambda:us-east-1:123456789012:function:f","Condition":{"ArnLike":{"AWS:SourceArn":"arn:aws:execute-api:us-east-1:123456789012:a1b2c3d4e5/*/GET/items"}}}"#;
    const EVENTS: &str = r#"{"Sid":"events","Effect":"Allow","Principal":{"Service":"events.amazonaws.com"},"Action":"lambda:InvokeFunction","Resource":"arn:aws:lambda:us-east-1:123456789012:function:f","Condition":{"ArnLike":{"AWS:SourceArn":"arn:aws:events:us-east-1:123456789012:rule/nightly"}}}"#;
    const SNS: &str = r#"{"Sid":"sns","Effect":"Allow","Principal":{"Service":"sns.amazonaws.com"},"Action":"lambda:InvokeFunction","Resource":"arn:aws:lambda:us-east-1:123456789012:function:f","Condition":{"ArnLike":{"AWS:SourceArn":"arn:aws:sns:us-east-1:123456789012:alerts"}}}"#;
    const ACCOUNT: &str = r#"{"Sid":"acct","Effect":"Allow","Principal":{"AWS":"arn:aws:iam::210987654321:root"},"Action":"lambda:InvokeFunction","Resource":"arn:aws:lambda:us-east-1:123456789012:function:f"}"#;
    const ROLE: &str = r#"{"Sid":"role","Effect":"Allow","Principal":{"AWS":"arn:aws:iam::210987654321:role/deployer"},"Action":"lambda:GetFunction","Resource":"arn:aws:lambda:us-east-1:123456789012:function:f"}"#;
    const ORG: &str = r#"{"Sid":"org","Effect":"Allow","Principal":"*","Action":"lambda:InvokeFunction","Resource":"arn:aws:lambda:us-east-1:123456789012:function:f","Condition":{"StringEquals":{"aws:PrincipalOrgID":"o-a1b2c3d4e5"}}}"#;
    const URL: &str = r#"{"Sid":"url","Effect":"Allow","Principal":"*","Action":"lambda:InvokeFunctionUrl","Resource":"arn:aws:lambda:us-east-1:123456789012:function:f","Condition":{"StringEquals":{"lambda:FunctionUrlAuthType":"NONE"}}}"#;
    const ALEXA: &str = r#"{"Sid":"alexa","Effect":"Allow","Principal":{"Service":"alexa-appkit.amazon.com"},"Action":"lambda:InvokeFunction","Resource":"arn:aws:lambda:us-east-1:123456789012:function:f","Condition":{"StringEquals":{"lambda:EventSourceToken":"amzn1.ask.skill.0a1b2c3d"}}}"#;

    fn policy(stmts: &[&str]) -> String {
        format!(
            r#"{{"Version":"2012-10-17","Id":"default","Statement":[{}]}}"#,
            stmts.join(",")
        )
    }

    fn all() -> String {
        policy(&[S3, APIGW, EVENTS, SNS, ACCOUNT, ROLE, ORG, URL, ALEXA])
    }

    fn stored(
        sid: &str,
        principal: &str,
        action: &str,
        json: &str,
        conditions: [Option<&str>; 5],
    ) -> StoredStatement {
        let [source_arn, source_account, principal_org_id, function_url_auth_type, event_source_token] =
            conditions.map(|c| c.map(str::to_string));
        StoredStatement {
            sid: sid.into(),
            principal: principal.into(),
            action: action.into(),
            resource: FN_ARN.into(),
            source_arn,
            source_account,
            principal_org_id,
            function_url_auth_type,
            invoked_via_function_url: false,
            event_source_token,
            json: json.into(),
        }
    }

    #[test]
    fn an_added_statement_reads_as_the_same_statement_of_the_policy() {
        for text in [S3, APIGW, EVENTS, SNS, ACCOUNT, ROLE, ORG, URL, ALEXA] {
            let alone = parse_statement(text).expect("parses");
            let in_policy = find_statement(&all(), &alone.sid)
                .expect("parses")
                .expect("present");
            assert_eq!(alone, in_policy);
        }
        // The token is redacted in what is shown, as in the policy.
        assert!(!parse_statement(ALEXA)
            .expect("parses")
            .json
            .contains("amzn1.ask"));
        assert!(parse_statement("not json").is_err());
        assert!(parse_statement("[1]").is_err());
    }

    #[test]
    fn reads_each_kind_of_statement() {
        let invoke = "lambda:InvokeFunction";
        let want = vec![
            stored(
                "s3",
                "s3.amazonaws.com",
                invoke,
                S3,
                [
                    Some("arn:aws:s3:::uploads-bucket"),
                    Some("123456789012"),
                    None,
                    None,
                    None,
                ],
            ),
            stored(
                "apigw",
                "apigateway.amazonaws.com",
                invoke,
                APIGW,
                [
                    Some("arn:aws:execute-api:us-east-1:123456789012:a1b2c3d4e5/*/GET/items"),
                    None,
                    None,
                    None,
                    None,
                ],
            ),
            stored(
                "events",
                "events.amazonaws.com",
                invoke,
                EVENTS,
                [
                    Some("arn:aws:events:us-east-1:123456789012:rule/nightly"),
                    None,
                    None,
                    None,
                    None,
                ],
            ),
            stored(
                "sns",
                "sns.amazonaws.com",
                invoke,
                SNS,
                [
                    Some("arn:aws:sns:us-east-1:123456789012:alerts"),
                    None,
                    None,
                    None,
                    None,
                ],
            ),
            stored(
                "acct",
                "arn:aws:iam::210987654321:root",
                invoke,
                ACCOUNT,
                [None; 5],
            ),
            stored(
                "role",
                "arn:aws:iam::210987654321:role/deployer",
                "lambda:GetFunction",
                ROLE,
                [None; 5],
            ),
            stored(
                "org",
                "*",
                invoke,
                ORG,
                [None, None, Some("o-a1b2c3d4e5"), None, None],
            ),
            stored(
                "url",
                "*",
                "lambda:InvokeFunctionUrl",
                URL,
                [None, None, None, Some("NONE"), None],
            ),
            stored(
                "alexa",
                "alexa-appkit.amazon.com",
                invoke,
                &ALEXA.replace("amzn1.ask.skill.0a1b2c3d", REDACTED),
                [None, None, None, None, Some("amzn1.ask.skill.0a1b2c3d")],
            ),
        ];
        assert_eq!(statements(&all()), Ok(want.clone()));
        for w in &want {
            assert_eq!(
                find_statement(&all(), &w.sid),
                Ok(Some(w.clone())),
                "{}",
                w.sid
            );
        }
    }

    #[test]
    fn json_round_trips() {
        for s in statements(&all()).unwrap_or_default() {
            let again = find_statement(&policy(&[&s.json]), &s.sid);
            // The shown JSON carries no token, so reading it back cannot
            // recover one.
            let expected = StoredStatement {
                event_source_token: s.event_source_token.as_ref().map(|_| REDACTED.to_string()),
                ..s.clone()
            };
            assert_eq!(again, Ok(Some(expected)));
        }
        // Pretty-printed input comes back compact with keys in stored order.
        let pretty = "{\"Statement\": [ {\n  \"Sid\": \"p\",\n  \"Principal\": \"*\",\n  \"Action\": \"lambda:InvokeFunction\",\n  \"Resource\": \"r\" } ]}";
        let got = find_statement(pretty, "p").ok().flatten().map(|s| s.json);
        assert_eq!(
            got.as_deref(),
            Some(r#"{"Sid":"p","Principal":"*","Action":"lambda:InvokeFunction","Resource":"r"}"#)
        );
    }

    #[test]
    fn absent_sid_and_empty_policies() {
        assert_eq!(find_statement(&all(), "nope"), Ok(None));
        assert_eq!(find_statement(&policy(&[]), "s3"), Ok(None));
        assert_eq!(statements(r#"{"Version":"2012-10-17"}"#), Ok(vec![]));
    }

    #[test]
    fn single_statement_object_and_array_values() {
        let p = r#"{"Statement":{"Sid":"one","Effect":"Allow","Principal":{"AWS":["*"]},"Action":["lambda:InvokeFunction"],"Resource":["arn:x"],"Condition":{"StringEquals":{"aws:PrincipalOrgID":["o-a1b2c3d4e5"]}}}}"#;
        let s = find_statement(p, "one").ok().flatten();
        assert_eq!(s.as_ref().map(|s| s.principal.as_str()), Some("*"));
        assert_eq!(s.as_ref().map(|s| s.resource.as_str()), Some("arn:x"));
        assert_eq!(
            s.and_then(|s| s.principal_org_id).as_deref(),
            Some("o-a1b2c3d4e5")
        );
    }

    #[test]
    fn condition_keys_and_operators_are_case_insensitive() {
        let p = policy(&[
            r#"{"Sid":"c","Effect":"Allow","Principal":{"Service":"s3.amazonaws.com"},"Action":"lambda:InvokeFunction","Resource":"arn:x","Condition":{"stringequals":{"aws:sourceaccount":"123456789012","AWS:PRINCIPALORGID":"o-a1b2c3d4e5","Lambda:FunctionUrlAuthType":"AWS_IAM","LAMBDA:EVENTSOURCETOKEN":"tok"},"ARNLIKE":{"aws:SourceArn":"arn:aws:s3:::b"}}}"#,
        ]);
        let s = find_statement(&p, "c").ok().flatten();
        let got = s.map(|s| {
            [
                s.source_account,
                s.principal_org_id,
                s.function_url_auth_type,
                s.event_source_token,
                s.source_arn,
            ]
        });
        assert_eq!(
            got,
            Some([
                Some("123456789012".to_string()),
                Some("o-a1b2c3d4e5".to_string()),
                Some("AWS_IAM".to_string()),
                Some("tok".to_string()),
                Some("arn:aws:s3:::b".to_string()),
            ])
        );
    }

    #[test]
    fn negated_conditions_are_not_read_as_arguments() {
        let p = policy(&[
            r#"{"Sid":"n","Principal":"*","Action":"lambda:InvokeFunction","Resource":"arn:x","Condition":{"StringNotEquals":{"aws:PrincipalOrgID":"o-a1b2c3d4e5"}}}"#,
        ]);
        let s = find_statement(&p, "n").ok().flatten();
        assert_eq!(s.map(|s| s.principal_org_id), Some(None));
    }

    #[test]
    fn malformed_input_is_an_error() {
        let cases = [
            "",
            "not json",
            "[]",
            r#"{"Statement":"x"}"#,
            r#"{"Statement":[1]}"#,
            r#"{"Statement":[{"Sid":"a","Action":"lambda:InvokeFunction","Resource":"r"}]}"#,
            r#"{"Statement":[{"Sid":"a","Principal":{"Federated":"x"},"Action":"lambda:InvokeFunction","Resource":"r"}]}"#,
            r#"{"Statement":[{"Sid":"a","Principal":{"AWS":["1","2"]},"Action":"lambda:InvokeFunction","Resource":"r"}]}"#,
            r#"{"Statement":[{"Sid":"a","Principal":"*","Resource":"r"}]}"#,
            r#"{"Statement":[{"Sid":"a","Principal":"*","Action":"lambda:InvokeFunction"}]}"#,
            r#"{"Statement":[{"Sid":"a","Principal":"*","Action":"x","Resource":"r","Condition":{"ArnLike":{"AWS:SourceArn":["a","b"]}}}]}"#,
        ];
        for c in cases {
            assert!(statements(c).is_err(), "{c}");
        }
        // Another statement's odd shape must not break reading ours.
        let mixed = policy(&[r#"{"Sid":"odd","Principal":{"Federated":"x"}}"#, S3]);
        assert!(statements(&mixed).is_err());
        assert_eq!(
            find_statement(&mixed, "s3").ok().flatten().map(|s| s.sid),
            Some("s3".to_string())
        );
    }

    #[test]
    fn principal_equivalence() {
        let same = [
            ("210987654321", "arn:aws:iam::210987654321:root"),
            ("arn:aws:iam::210987654321:root", "210987654321"),
            ("arn:aws-cn:iam::210987654321:root", "210987654321"),
            ("s3.amazonaws.com", "s3.amazonaws.com"),
            ("*", "*"),
        ];
        for (a, b) in same {
            assert!(same_principal(a, b), "{a} {b}");
        }
        let different = [
            ("210987654321", "arn:aws:iam::123456789012:root"),
            ("210987654321", "arn:aws:iam::210987654321:role/r"),
            ("210987654321", "*"),
            ("arn:aws:iam::210987654321:role/r", "AROAEXAMPLEID"),
            ("21098765432", "arn:aws:iam::21098765432:root"),
        ];
        for (a, b) in different {
            assert!(!same_principal(a, b), "{a} {b}");
        }
    }

    #[test]
    fn matches_args_compares_every_argument() {
        let s3 = find_statement(&all(), "s3").ok().flatten();
        let Some(s3) = s3 else {
            panic!("s3 statement missing");
        };
        let bucket = Some("arn:aws:s3:::uploads-bucket");
        let acct = Some("123456789012");
        let invoke = "lambda:InvokeFunction";
        assert!(matches_args(
            &s3,
            "s3.amazonaws.com",
            invoke,
            bucket,
            acct,
            None,
            None,
            false
        ));
        assert!(matches_args(
            &s3,
            "s3.amazonaws.com",
            "lambda:invokefunction",
            bucket,
            acct,
            None,
            None,
            false
        ));
        assert!(!matches_args(
            &s3,
            "sns.amazonaws.com",
            invoke,
            bucket,
            acct,
            None,
            None,
            false
        ));
        assert!(!matches_args(
            &s3,
            "s3.amazonaws.com",
            "lambda:GetFunction",
            bucket,
            acct,
            None,
            None,
            false
        ));
        assert!(!matches_args(
            &s3,
            "s3.amazonaws.com",
            invoke,
            Some("arn:aws:s3:::other"),
            acct,
            None,
            None,
            false
        ));
        assert!(!matches_args(
            &s3,
            "s3.amazonaws.com",
            invoke,
            bucket,
            None,
            None,
            None,
            false
        ));
        assert!(!matches_args(
            &s3,
            "s3.amazonaws.com",
            invoke,
            bucket,
            acct,
            Some("o-a1b2c3d4e5"),
            None,
            false
        ));
        assert!(!matches_args(
            &s3,
            "s3.amazonaws.com",
            invoke,
            bucket,
            acct,
            None,
            Some("NONE"),
            false
        ));

        let account = find_statement(&all(), "acct").ok().flatten();
        assert!(account.is_some_and(|a| matches_args(
            &a,
            "210987654321",
            invoke,
            None,
            None,
            None,
            None,
            false
        )));
        let url = find_statement(&all(), "url").ok().flatten();
        assert!(url.is_some_and(|u| matches_args(
            &u,
            "*",
            "lambda:InvokeFunctionUrl",
            None,
            None,
            None,
            Some("NONE"),
            false
        )));
        let org = find_statement(&all(), "org").ok().flatten();
        assert!(org.is_some_and(|o| matches_args(
            &o,
            "*",
            invoke,
            None,
            None,
            Some("o-a1b2c3d4e5"),
            None,
            false
        )));
    }

    #[test]
    fn event_source_tokens_never_reach_the_shown_json() {
        let alexa = find_statement(&all(), "alexa").ok().flatten();
        let Some(alexa) = alexa else {
            panic!("alexa statement missing");
        };
        assert_eq!(
            alexa.event_source_token.as_deref(),
            Some("amzn1.ask.skill.0a1b2c3d"),
            "kept for comparison"
        );
        assert!(!alexa.json.contains("amzn1.ask.skill"), "{}", alexa.json);
        assert!(alexa
            .json
            .contains(r#""lambda:EventSourceToken":"(sensitive)""#));

        // Any casing, any operator, a one-element array, a lone statement.
        let odd = r#"{"Statement":{"Sid":"a","Principal":"*","Action":"x","Resource":"r","Condition":{"stringequals":{"LAMBDA:eventsourcetoken":["tok-1"]},"StringNotEquals":{"lambda:EventSourceToken":"tok-2"}}}}"#;
        let shown = redact_policy(odd).unwrap_or_default();
        assert!(!shown.contains("tok-"), "{shown}");
        assert_eq!(shown.matches(REDACTED).count(), 2, "{shown}");

        let two = policy(&[ALEXA, S3, &ALEXA.replace("0a1b2c3d", "second")]);
        let shown = redact_policy(&two).unwrap_or_default();
        assert!(!shown.contains("amzn1.ask.skill"), "both redacted: {shown}");

        let whole = redact_policy(&all()).unwrap_or_default();
        assert!(!whole.contains("amzn1.ask.skill"), "{whole}");
        assert!(
            whole.contains("arn:aws:s3:::uploads-bucket"),
            "the rest is kept"
        );

        // Without a token the policy text is returned byte for byte.
        let plain = policy(&[S3, ORG]);
        assert_eq!(redact_policy(&plain), Ok(plain.clone()));
        assert!(redact_policy("not json").is_err());

        assert_eq!(
            redact_statement_json(ALEXA).as_deref(),
            Some(ALEXA.replace("amzn1.ask.skill.0a1b2c3d", REDACTED).as_str())
        );
        assert_eq!(redact_statement_json(S3).as_deref(), Some(S3));
        assert_eq!(redact_statement_json("{broken"), None);
        assert_eq!(redact_statement_json("[]"), None);
    }

    #[test]
    fn reads_the_invoked_via_function_url_condition() {
        // What Lambda stores for AddPermission with InvokedViaFunctionUrl=true.
        const VIA_URL: &str = r#"{"Sid":"via","Effect":"Allow","Principal":"*","Action":"lambda:InvokeFunction","Resource":"arn:aws:lambda:us-east-1:123456789012:function:f","Condition":{"Bool":{"lambda:InvokedViaFunctionUrl":"true"}}}"#;
        let via = find_statement(&policy(&[VIA_URL, ORG]), "via")
            .ok()
            .flatten();
        let Some(via) = via else {
            panic!("via statement missing");
        };
        assert!(via.invoked_via_function_url);
        assert_eq!(via.principal, "*");
        assert_eq!(via.principal_org_id, None);
        assert!(matches_args(
            &via,
            "*",
            "lambda:InvokeFunction",
            None,
            None,
            None,
            None,
            true
        ));
        assert!(!matches_args(
            &via,
            "*",
            "lambda:InvokeFunction",
            None,
            None,
            None,
            None,
            false
        ));
        // Without the condition, or with it false, the grant is not limited.
        let org = find_statement(&all(), "org").ok().flatten();
        assert_eq!(org.map(|o| o.invoked_via_function_url), Some(false));
        for (condition, want) in [
            (r#"{"bool":{"LAMBDA:invokedviafunctionurl":"TRUE"}}"#, true),
            (r#"{"Bool":{"lambda:InvokedViaFunctionUrl":true}}"#, true),
            (
                r#"{"Bool":{"lambda:InvokedViaFunctionUrl":["true"]}}"#,
                true,
            ),
            (
                r#"{"Bool":{"lambda:InvokedViaFunctionUrl":"false"}}"#,
                false,
            ),
            (
                r#"{"StringEquals":{"lambda:InvokedViaFunctionUrl":"true"}}"#,
                false,
            ),
            (r#"{"Bool":{"aws:SecureTransport":"true"}}"#, false),
        ] {
            let stmt = format!(
                r#"{{"Sid":"c","Principal":"*","Action":"lambda:InvokeFunction","Resource":"r","Condition":{condition}}}"#
            );
            let got = find_statement(&policy(&[&stmt]), "c")
                .ok()
                .flatten()
                .map(|s| s.invoked_via_function_url);
            assert_eq!(got, Some(want), "{condition}");
        }
    }

    #[test]
    fn realistic_policy_fits_size_limit() {
        assert!(all().len() < POLICY_SIZE_LIMIT);
    }
}
