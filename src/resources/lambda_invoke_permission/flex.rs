//! Layer: pure (no I/O). Between `lambdawire_lambda_invoke_permission`'s
//! state and Lambda's vocabulary: the [`Grant`] a state stands for, the
//! state a stored statement reads back as (keeping the user's forms), and
//! the state an import id names.

use crate::lambda::statement::{same_principal, StoredStatement};
use crate::lambda::statement_id::{generated_statement_id, PERMISSION_PREFIX};
use crate::plugin::{known, opt, prior_if_equivalent, text, Str, Value};
use crate::resources::statement::{holds, split_target, Grant};

use super::model::PermissionState;

fn some(s: &Str) -> Option<String> {
    known(s).map(str::to_string)
}

/// The resource as messages name it.
pub fn label(s: &PermissionState) -> String {
    format!("Lambda Permission ({})", text(&s.id))
}

/// The statement `s` writes (apply time: its values are known).
pub fn grant(s: &PermissionState) -> Grant {
    let mut g = content_of(s);
    g.id_from_content = generated_id(s).is_some_and(|id| id == g.statement_id);
    g
}

/// The statement id generated from `s`'s content, once every part of the
/// content is known: at plan when the configuration's values are, at apply
/// always.
pub fn generated_id(s: &PermissionState) -> Option<String> {
    let parts = [
        &s.function_name,
        &s.qualifier,
        &s.statement_id_prefix,
        &s.action,
        &s.principal,
        &s.source_arn,
        &s.source_account,
        &s.principal_org_id,
        &s.function_url_auth_type,
    ];
    if parts.iter().any(|v| v.is_unknown()) || s.invoked_via_function_url.is_unknown() {
        return None;
    }
    let prefix = known(&s.statement_id_prefix).unwrap_or(PERMISSION_PREFIX);
    Some(generated_statement_id(prefix, &content_of(s).content()))
}

/// [`grant`] without the verdict on its id.
fn content_of(s: &PermissionState) -> Grant {
    Grant {
        owner_id: text(&s.id),
        label: label(s),
        function_name: text(&s.function_name),
        qualifier: some(&s.qualifier),
        statement_id: text(&s.statement_id),
        action: text(&s.action),
        principal: text(&s.principal),
        source_arn: some(&s.source_arn),
        source_account: some(&s.source_account),
        principal_org_id: some(&s.principal_org_id),
        function_url_auth_type: some(&s.function_url_auth_type),
        invoked_via_function_url: s.invoked_via_function_url == Value::Value(true),
        id_from_content: false,
    }
}

/// The event-source token AddPermission sends: the sensitive attribute, or
/// the write-only one, which only the configuration holds (plan and state
/// carry null for it).
pub fn token_to_send(planned: &PermissionState, config: &PermissionState) -> Option<String> {
    some(&planned.event_source_token).or_else(|| some(&config.event_source_token_wo))
}

/// Whether the token sent came from `event_source_token_wo` (the state's
/// sensitive attribute is null while a token was sent).
pub fn write_only_token(s: &PermissionState, token: Option<&str>) -> bool {
    token.is_some() && s.event_source_token.is_null()
}

/// Read the statement back into the state, keeping the user's forms.
/// `token_write_only`: the token came from `event_source_token_wo`, so the
/// stored one must not be copied into `event_source_token` (that would put
/// the write-only secret in state, and plan it away again on every run).
pub fn flatten(
    prior: &PermissionState,
    stored: &StoredStatement,
    token_write_only: bool,
) -> PermissionState {
    let mut s = prior.clone();
    s.principal = prior_if_equivalent(
        &prior.principal,
        Some(stored.principal.clone()),
        same_principal,
    );
    s.action = prior_if_equivalent(&prior.action, Some(stored.action.clone()), |p, r| {
        p.eq_ignore_ascii_case(r)
    });
    s.source_arn = opt(stored.source_arn.clone());
    s.source_account = opt(stored.source_account.clone());
    s.principal_org_id = opt(stored.principal_org_id.clone());
    s.function_url_auth_type = opt(stored.function_url_auth_type.clone());
    // Null and false both mean "no condition": keep the user's form when
    // the stored statement agrees, so neither plans a change.
    let prior_flag = s.invoked_via_function_url == Value::Value(true);
    if prior_flag != stored.invoked_via_function_url || s.invoked_via_function_url.is_unknown() {
        s.invoked_via_function_url = if stored.invoked_via_function_url {
            Value::Value(true)
        } else if prior.invoked_via_function_url.is_unknown() {
            Value::Null
        } else {
            Value::Value(false)
        };
    }
    // A token is read into state only where the state already holds one
    // (the sensitive attribute in use): a write-only token never is (its
    // version is the drift signal), nor an imported one, which the
    // configuration then supplies (SPEC, the permission's import).
    if !token_write_only && prior.event_source_token.is_value() {
        s.event_source_token = opt(stored.event_source_token.clone());
    }
    // The text the plan showed (and the state holds) while the stored
    // statement is exactly that one, under its own id: Lambda's own text
    // may order keys otherwise, and a plan must see no change in that.
    let without_token = StoredStatement {
        event_source_token: None,
        ..stored.clone()
    };
    let same = stored.sid == text(&prior.statement_id) && holds(&without_token, &grant(prior));
    if !(same && prior.statement_json.is_value()) {
        s.statement_json = Value::Value(stored.json.clone());
    }
    s.function_arn = Value::Value(unqualified(&stored.resource));
    // Its default, false, where a state of an older version, an import or
    // a move from hashicorp/aws left it null: the plan then shows no change.
    if !s.allow_unscoped_source.is_value() {
        s.allow_unscoped_source = Value::Value(false);
    }
    s
}

/// `arn:...:function:name[:qualifier]` -> `arn:...:function:name`; a
/// resource that is not a function ARN is kept as Lambda gave it.
fn unqualified(resource: &str) -> String {
    crate::validate::arn::lambda_function(resource)
        .map_or(resource, |f| f.unqualified())
        .to_string()
}

/// Import `function/statement_id` or `function:qualifier/statement_id`.
pub fn import_state(id: &str) -> Result<PermissionState, String> {
    let usage = "the import id is <function>/<statement_id> or <function>:<qualifier>/<statement_id>, where <function> is a name or ARN";
    let (function, sid) = id
        .rsplit_once('/')
        .ok_or_else(|| format!("invalid import id {id:?}: {usage}"))?;
    if sid.is_empty() || function.is_empty() {
        return Err(format!("invalid import id {id:?}: {usage}"));
    }
    let (function_name, qualifier) =
        split_target(function).map_err(|why| format!("invalid import id {id:?}: {why}"))?;
    Ok(PermissionState {
        id: Value::Value(id.to_string()),
        function_name,
        qualifier,
        statement_id: Value::Value(sid.to_string()),
        ..Default::default()
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::resources::testing::sns_statement;

    #[test]
    fn import_ids() {
        let s = import_state("processor/s3-uploads").unwrap();
        assert_eq!(
            (s.function_name, s.qualifier, s.statement_id),
            (
                Value::Value("processor".into()),
                Value::Null,
                Value::Value("s3-uploads".into())
            )
        );
        let s = import_state("processor:live/s3").unwrap();
        assert_eq!(
            (s.function_name, s.qualifier),
            (
                Value::Value("processor".into()),
                Value::Value("live".into())
            )
        );
        let s =
            import_state("arn:aws:lambda:us-east-1:123456789012:function:processor:7/x").unwrap();
        assert_eq!(
            s.function_name,
            Value::Value("arn:aws:lambda:us-east-1:123456789012:function:processor".into())
        );
        assert_eq!(s.qualifier, Value::Value("7".into()));
        assert!(import_state("processor").is_err());
        assert!(import_state("/sid").is_err());
    }

    #[test]
    fn the_write_only_token_is_sent_but_never_read_into_state() {
        let config = PermissionState {
            event_source_token_wo: Value::Value("amzn1.ask.skill.wo".into()),
            ..Default::default()
        };
        let planned = PermissionState::default();
        assert_eq!(
            token_to_send(&planned, &config).as_deref(),
            Some("amzn1.ask.skill.wo")
        );
        assert!(write_only_token(&planned, Some("amzn1.ask.skill.wo")));
        let sensitive = PermissionState {
            event_source_token: Value::Value("amzn1.ask.skill.s".into()),
            ..Default::default()
        };
        assert_eq!(
            token_to_send(&sensitive, &sensitive).as_deref(),
            Some("amzn1.ask.skill.s")
        );
        assert!(!write_only_token(&sensitive, Some("amzn1.ask.skill.s")));
        assert!(!write_only_token(&planned, None));

        // Real Lambda echoes the token in the policy.
        let stored = StoredStatement {
            principal: "alexa-appkit.amazon.com".into(),
            event_source_token: Some("amzn1.ask.skill.wo".into()),
            ..sns_statement("alexa", "unused")
        };
        assert!(flatten(&planned, &stored, true)
            .event_source_token
            .is_null());
        assert!(
            flatten(&planned, &stored, false)
                .event_source_token
                .is_null(),
            "an imported token is never written to state"
        );
        let drifted = StoredStatement {
            event_source_token: Some("amzn1.ask.skill.other".into()),
            ..stored.clone()
        };
        assert_eq!(
            flatten(&sensitive, &drifted, false).event_source_token,
            Value::Value("amzn1.ask.skill.other".into()),
            "a sensitive token reads back as Lambda stores it: drift"
        );
        let req = grant(&planned).request(Some("amzn1.ask.skill.wo"), "alexa");
        assert_eq!(
            req.event_source_token.as_deref(),
            Some("amzn1.ask.skill.wo")
        );
    }

    #[test]
    fn statement_json_stays_the_planned_text_while_the_statement_is_that_one() {
        let topic = "arn:aws:sns:us-east-1:123456789012:alerts";
        let prior = PermissionState {
            function_name: Value::Value("f".into()),
            statement_id: Value::Value("alerts".into()),
            action: Value::Value("lambda:InvokeFunction".into()),
            principal: Value::Value("sns.amazonaws.com".into()),
            source_arn: Value::Value(topic.into()),
            statement_json: Value::Value("planned text".into()),
            ..Default::default()
        };
        let stored = StoredStatement {
            json: "lambda's text".into(),
            ..sns_statement("alerts", topic)
        };
        let kept = flatten(&prior, &stored, false);
        assert_eq!(kept.statement_json, prior.statement_json, "same statement");
        let drifted = StoredStatement {
            source_arn: Some("arn:aws:sns:us-east-1:123456789012:other".into()),
            ..stored.clone()
        };
        let shown = flatten(&prior, &drifted, false).statement_json;
        assert_eq!(
            shown,
            Value::Value("lambda's text".into()),
            "drift: what Lambda holds"
        );
        let temporary = StoredStatement {
            sid: "alerts-lwtmp".into(),
            ..stored
        };
        let stranded = flatten(&prior, &temporary, false).statement_json;
        assert_eq!(
            stranded,
            Value::Value("lambda's text".into()),
            "under another id"
        );
    }

    #[test]
    fn flatten_keeps_the_users_principal_form() {
        let prior = PermissionState {
            principal: Value::Value("210987654321".into()),
            action: Value::Value("lambda:InvokeFunction".into()),
            ..Default::default()
        };
        let stored = StoredStatement {
            principal: "arn:aws:iam::210987654321:root".into(),
            action: "lambda:invokefunction".into(),
            resource: "arn:aws:lambda:us-east-1:123456789012:function:f:live".into(),
            source_arn: None,
            ..sns_statement("x", "")
        };
        let s = flatten(&prior, &stored, false);
        assert_eq!(s.principal, prior.principal);
        assert_eq!(s.action, prior.action);
        assert_eq!(
            s.function_arn,
            Value::Value("arn:aws:lambda:us-east-1:123456789012:function:f".into())
        );
        let other = StoredStatement {
            principal: "arn:aws:iam::111111111111:root".into(),
            ..stored
        };
        assert_eq!(
            flatten(&prior, &other, false).principal,
            Value::Value("arn:aws:iam::111111111111:root".into())
        );
    }
}
