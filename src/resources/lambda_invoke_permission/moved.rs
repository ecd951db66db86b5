//! Layer: pure (no I/O). `moved { from = aws_lambda_permission.x to =
//! lambdawire_lambda_invoke_permission.x }`: hashicorp/aws's state of one
//! statement, as ours, with no AWS call.
//!
//! The arguments have the same names and meanings. What we cannot know
//! without AWS (`function_arn`, `statement_json`) is left null: Terraform
//! reads every moved resource in the refresh of the next plan, and our Read
//! fills both from the policy, so a configuration with the same arguments
//! plans no change.

use crate::plugin::{known, Str, Value};

use super::model::PermissionState;
use super::plan::permission_id;

/// The type and the provider it comes from.
pub const AWS_TYPE: &str = "aws_lambda_permission";
/// hashicorp/aws under either registry host (Terraform's and OpenTofu's
/// mirror of the same provider).
const AWS_PROVIDERS: [&str; 2] = [
    "registry.terraform.io/hashicorp/aws",
    "registry.opentofu.org/hashicorp/aws",
];

/// Whether a `moved` source is hashicorp/aws's `aws_lambda_permission`.
pub fn is_aws_lambda_permission(provider_address: &str, type_name: &str) -> bool {
    type_name == AWS_TYPE && AWS_PROVIDERS.contains(&provider_address)
}

/// A string attribute; hashicorp/aws (SDKv2) stores an unset optional
/// string as `""`, which is null here.
fn string_at(state: &serde_json::Value, name: &str) -> Result<Str, String> {
    match state.get(name) {
        None | Some(serde_json::Value::Null) => Ok(Value::Null),
        Some(serde_json::Value::String(s)) if s.is_empty() => Ok(Value::Null),
        Some(serde_json::Value::String(s)) => Ok(Value::Value(s.clone())),
        Some(other) => Err(format!("{name} is not a string: {other}")),
    }
}

fn required_at(state: &serde_json::Value, name: &str) -> Result<Str, String> {
    match string_at(state, name)? {
        Value::Null => Err(format!("{name} is missing")),
        given => Ok(given),
    }
}

/// hashicorp/aws's `aws_lambda_permission` state (any schema version so far
/// uses these names) as ours.
pub fn from_aws_lambda_permission(state: &serde_json::Value) -> Result<PermissionState, String> {
    if !state.is_object() {
        return Err("the state is not an object".to_string());
    }
    let function_name = required_at(state, "function_name")?;
    let qualifier = string_at(state, "qualifier")?;
    let statement_id = required_at(state, "statement_id")?;
    let id = permission_id(
        known(&function_name).unwrap_or_default(),
        known(&qualifier),
        known(&statement_id).unwrap_or_default(),
    );
    Ok(PermissionState {
        id: Value::Value(id),
        function_name,
        qualifier,
        statement_id,
        statement_id_prefix: string_at(state, "statement_id_prefix")?,
        action: required_at(state, "action")?,
        principal: required_at(state, "principal")?,
        source_arn: string_at(state, "source_arn")?,
        source_account: string_at(state, "source_account")?,
        principal_org_id: string_at(state, "principal_org_id")?,
        function_url_auth_type: string_at(state, "function_url_auth_type")?,
        // hashicorp/aws 6.x has the same bool; older versions do not, and
        // their false (no condition) is our null.
        invoked_via_function_url: match state.get("invoked_via_function_url") {
            Some(serde_json::Value::Bool(true)) => Value::Value(true),
            _ => Value::Null,
        },
        // Their sensitive attribute maps to ours; a configuration that moves
        // to event_source_token_wo re-sends it once, in place.
        event_source_token: string_at(state, "event_source_token")?,
        event_source_token_wo: Value::Null,
        event_source_token_wo_version: Value::Null,
        // hashicorp/aws has no such check: ours starts at its default.
        allow_unscoped_source: Value::Value(false),
        function_arn: Value::Null,
        statement_json: Value::Null,
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::plugin::str_value;
    use serde_json::json;

    /// What hashicorp/aws 5.x stores for an SNS permission.
    fn aws_state() -> serde_json::Value {
        json!({
            "action": "lambda:InvokeFunction",
            "event_source_token": null,
            "function_name": "processor",
            "function_url_auth_type": null,
            "id": "alerts",
            "principal": "sns.amazonaws.com",
            "principal_org_id": null,
            "qualifier": "",
            "source_account": null,
            "source_arn": "arn:aws:sns:us-east-1:123456789012:alerts",
            "statement_id": "alerts",
            "statement_id_prefix": ""
        })
    }

    #[test]
    fn every_argument_maps_and_empty_strings_are_null() {
        let s = from_aws_lambda_permission(&aws_state()).unwrap();
        assert_eq!(
            s,
            PermissionState {
                id: str_value("processor/alerts"),
                function_name: str_value("processor"),
                statement_id: str_value("alerts"),
                action: str_value("lambda:InvokeFunction"),
                principal: str_value("sns.amazonaws.com"),
                source_arn: str_value("arn:aws:sns:us-east-1:123456789012:alerts"),
                allow_unscoped_source: Value::Value(false),
                ..PermissionState::default()
            }
        );
        assert!(
            s.function_arn.is_null() && s.statement_json.is_null(),
            "left to Read"
        );
    }

    #[test]
    fn qualifier_scoping_and_token_are_kept() {
        let mut raw = aws_state();
        raw["qualifier"] = json!("live");
        raw["principal"] = json!("alexa-appkit.amazon.com");
        raw["source_arn"] = json!("");
        raw["event_source_token"] = json!("amzn1.ask.skill.1");
        raw["principal_org_id"] = json!("o-a1b2c3d4e5");
        raw["source_account"] = json!("123456789012");
        raw["function_url_auth_type"] = json!("AWS_IAM");
        raw["statement_id_prefix"] = json!("alexa-");
        let s = from_aws_lambda_permission(&raw).unwrap();
        assert_eq!(s.id, str_value("processor:live/alerts"));
        assert_eq!(s.qualifier, str_value("live"));
        assert!(s.source_arn.is_null());
        assert_eq!(s.event_source_token, str_value("amzn1.ask.skill.1"));
        assert!(s.event_source_token_wo.is_null());
        assert_eq!(s.principal_org_id, str_value("o-a1b2c3d4e5"));
        assert_eq!(s.source_account, str_value("123456789012"));
        assert_eq!(s.function_url_auth_type, str_value("AWS_IAM"));
        assert_eq!(s.statement_id_prefix, str_value("alexa-"));
    }

    #[test]
    fn broken_states_are_refused_with_the_attribute() {
        for (name, value) in [
            ("function_name", json!(null)),
            ("statement_id", json!("")),
            ("principal", json!(7)),
        ] {
            let mut raw = aws_state();
            raw[name] = value;
            let err = from_aws_lambda_permission(&raw).unwrap_err();
            assert!(err.contains(name), "{err}");
        }
        assert!(from_aws_lambda_permission(&json!([])).is_err());
    }

    #[test]
    fn only_hashicorp_aws_lambda_permission_is_accepted() {
        assert!(is_aws_lambda_permission(
            "registry.terraform.io/hashicorp/aws",
            "aws_lambda_permission"
        ));
        assert!(is_aws_lambda_permission(
            "registry.opentofu.org/hashicorp/aws",
            "aws_lambda_permission"
        ));
        assert!(!is_aws_lambda_permission(
            "registry.terraform.io/hashicorp/aws",
            "aws_lambda_function"
        ));
        assert!(!is_aws_lambda_permission(
            "registry.terraform.io/someone/aws",
            "aws_lambda_permission"
        ));
        assert!(!is_aws_lambda_permission(
            "terraform.io/builtin/terraform",
            "terraform_data"
        ));
    }
}
