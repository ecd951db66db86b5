//! Layer: pure (no I/O). Stored state of older schema versions, as the
//! current model.
//!
//! Version 0 copied the statement into `statement_json` as Lambda returned
//! it, so an event-source token could sit there in clear text, in a
//! non-sensitive attribute. Version 1 redacts it; everything else is kept
//! and the attributes added since (`event_source_token_wo`,
//! `event_source_token_wo_version`) are null.

use crate::plugin::Value;

use super::model::PermissionState;
use crate::lambda::statement::redact_statement_json;

/// Version 0 state (raw JSON, as Terraform stored it) as version 1.
pub fn from_version_0(raw: serde_json::Value) -> Result<PermissionState, String> {
    let mut state: PermissionState =
        serde_json::from_value(raw).map_err(|e| format!("version 0 state does not decode: {e}"))?;
    state.statement_json = match &state.statement_json {
        // Text that is not a statement cannot be shown to hold no token: drop
        // it; the refresh that follows every upgrade reads it again.
        Value::Value(text) => redact_statement_json(text).map_or(Value::Null, Value::Value),
        other => other.clone(),
    };
    // Write-only values are never stored, whatever an old state says.
    state.event_source_token_wo = Value::Null;
    Ok(state)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::plugin::str_value;
    use serde_json::json;

    /// What lambdawire 0.1 wrote for an Alexa permission.
    fn version_0() -> serde_json::Value {
        json!({
            "id": "skill/alexa",
            "function_name": "skill",
            "qualifier": null,
            "statement_id": "alexa",
            "statement_id_prefix": null,
            "action": "lambda:InvokeFunction",
            "principal": "alexa-appkit.amazon.com",
            "source_arn": null,
            "source_account": null,
            "principal_org_id": null,
            "function_url_auth_type": null,
            "event_source_token": "amzn1.ask.skill.0a1b2c3d",
            "allow_unscoped_source": null,
            "function_arn": "arn:aws:lambda:us-east-1:123456789012:function:skill",
            "statement_json": "{\"Sid\":\"alexa\",\"Effect\":\"Allow\",\"Principal\":{\"Service\":\"alexa-appkit.amazon.com\"},\"Action\":\"lambda:InvokeFunction\",\"Resource\":\"arn:aws:lambda:us-east-1:123456789012:function:skill\",\"Condition\":{\"StringEquals\":{\"lambda:EventSourceToken\":\"amzn1.ask.skill.0a1b2c3d\"}}}"
        })
    }

    #[test]
    fn the_clear_token_leaves_statement_json_and_the_rest_is_kept() {
        let upgraded = from_version_0(version_0()).unwrap();
        assert_eq!(
            upgraded.statement_json,
            str_value("{\"Sid\":\"alexa\",\"Effect\":\"Allow\",\"Principal\":{\"Service\":\"alexa-appkit.amazon.com\"},\"Action\":\"lambda:InvokeFunction\",\"Resource\":\"arn:aws:lambda:us-east-1:123456789012:function:skill\",\"Condition\":{\"StringEquals\":{\"lambda:EventSourceToken\":\"(sensitive)\"}}}")
        );
        let expected = PermissionState {
            id: str_value("skill/alexa"),
            function_name: str_value("skill"),
            statement_id: str_value("alexa"),
            action: str_value("lambda:InvokeFunction"),
            principal: str_value("alexa-appkit.amazon.com"),
            // The sensitive argument is the user's own: it stays.
            event_source_token: str_value("amzn1.ask.skill.0a1b2c3d"),
            function_arn: str_value("arn:aws:lambda:us-east-1:123456789012:function:skill"),
            statement_json: upgraded.statement_json.clone(),
            ..PermissionState::default()
        };
        assert_eq!(upgraded, expected);
        assert!(upgraded.event_source_token_wo.is_null());
        assert!(upgraded.event_source_token_wo_version.is_null());
    }

    #[test]
    fn state_without_a_token_is_unchanged() {
        let mut raw = version_0();
        raw["event_source_token"] = json!(null);
        raw["principal"] = json!("sns.amazonaws.com");
        let plain = r#"{"Sid":"sns","Effect":"Allow","Principal":{"Service":"sns.amazonaws.com"},"Action":"lambda:InvokeFunction","Resource":"r","Condition":{"ArnLike":{"AWS:SourceArn":"arn:aws:sns:us-east-1:123456789012:t"}}}"#;
        raw["statement_json"] = json!(plain);
        let upgraded = from_version_0(raw).unwrap();
        assert_eq!(upgraded.statement_json, str_value(plain), "byte for byte");
        assert!(upgraded.event_source_token.is_null());
    }

    #[test]
    fn unreadable_statement_json_is_dropped_and_missing_attributes_are_null() {
        let upgraded = from_version_0(json!({
            "id": "f/s",
            "function_name": "f",
            "statement_id": "s",
            "statement_json": "amzn1.ask.skill.0a1b2c3d is not JSON"
        }))
        .unwrap();
        assert!(upgraded.statement_json.is_null());
        assert_eq!(upgraded.function_name, str_value("f"));
        assert!(upgraded.action.is_null());
        assert!(from_version_0(json!({"function_name": 7})).is_err());
        assert!(from_version_0(json!("not an object")).is_err());
    }
}
