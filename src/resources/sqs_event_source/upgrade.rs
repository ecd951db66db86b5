//! Layer: pure (no I/O). Stored state of older schema versions, as the
//! current model.
//!
//! Version 0 named the grant `lambdawire-sqs-<queue name>`: same-named
//! queues of two regions or accounts read through one role wrote one
//! policy. Version 1 ends the name with the digest of the queue ARN
//! (`plan::policy_name`). The upgrade keeps the name the grant has on the
//! role, since state says what exists: the plan then shows `policy_name`
//! changing to the new name, an update in place, and that apply renames
//! the grant (the new name written before the old one is removed, so the
//! role never goes without it). Rewriting the name here instead would
//! make Read look for a policy that does not exist yet and the plan hide
//! the rename.

use super::model::{RoleGrant, SqsEventSourcePrivate, SqsEventSourceState};
use super::plan::POLICY_PREFIX;
use crate::validate::arn;

/// Version 0 state (raw JSON, as Terraform stored it) as version 1.
pub fn from_version_0(raw: serde_json::Value) -> Result<SqsEventSourceState, String> {
    serde_json::from_value(raw).map_err(|e| format!("version 0 state does not decode: {e}"))
}

/// The grant's name under version 0: `lambdawire-sqs-<queue name>`.
pub fn version_0_policy_name(queue_arn: &str) -> Option<String> {
    let queue = arn::sqs_queue(queue_arn).ok()?;
    Some(format!("{POLICY_PREFIX}{}", queue.resource))
}

/// Private state as version 1 keeps it. Version 0 listed the roles still
/// holding the grant by role alone, each under version 0's name (the only
/// name there was); version 1 names the policy of each. Private state is
/// not versioned with the schema, so every read, apply and destroy passes
/// it through here.
pub fn private_of_version_0(
    mut private: SqsEventSourcePrivate,
    queue_arn: &str,
) -> SqsEventSourcePrivate {
    if let Some(name) = version_0_policy_name(queue_arn) {
        for role in std::mem::take(&mut private.stale_grant_roles) {
            let grant = RoleGrant {
                role,
                policy_name: name.clone(),
            };
            if !private.stale_grants.contains(&grant) {
                private.stale_grants.push(grant);
            }
        }
    }
    private
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::plugin::{str_value, Value};
    use serde_json::json;

    const QUEUE: &str = "arn:aws:sqs:us-east-1:123456789012:orders";

    /// What lambdawire wrote before the digest, for a mapping with a key.
    fn version_0() -> serde_json::Value {
        json!({
            "id": "a1b2",
            "function_name": "processor",
            "queue_arn": QUEUE,
            "role_name": "processor-exec",
            "batch_size": 10,
            "maximum_batching_window_in_seconds": null,
            "enabled": true,
            "report_batch_item_failures": null,
            "maximum_concurrency": null,
            "filter_patterns": null,
            "kms_key_arn": "arn:aws:kms:us-east-1:123456789012:key/k",
            "timeouts": null,
            "uuid": "a1b2",
            "policy_name": "lambdawire-sqs-orders",
            "policy_json": "{\"Version\":\"2012-10-17\",\"Statement\":[]}",
            "state": "Enabled"
        })
    }

    #[test]
    fn the_grant_keeps_the_name_it_has_on_the_role() {
        let upgraded = from_version_0(version_0()).unwrap();
        assert_eq!(upgraded.policy_name, str_value("lambdawire-sqs-orders"));
        assert_eq!(upgraded.uuid, str_value("a1b2"));
        assert_eq!(upgraded.batch_size, Value::Value(10));
        assert_eq!(
            upgraded.kms_key_arn,
            str_value("arn:aws:kms:us-east-1:123456789012:key/k")
        );
        assert!(from_version_0(json!({"batch_size": "ten"})).is_err());
        assert!(from_version_0(json!("not an object")).is_err());
    }

    #[test]
    fn the_name_of_version_0_is_the_queue_name_alone() {
        assert_eq!(
            version_0_policy_name(QUEUE).as_deref(),
            Some("lambdawire-sqs-orders")
        );
        assert_eq!(version_0_policy_name("not an arn"), None);
    }

    #[test]
    fn stale_roles_of_version_0_hold_the_grant_under_its_old_name() {
        let old: SqsEventSourcePrivate = serde_json::from_value(json!({
            "role_from_function": true,
            "stale_grant_roles": ["before", "failed"]
        }))
        .unwrap();
        let private = private_of_version_0(old, QUEUE);
        assert!(private.role_from_function);
        assert!(private.stale_grant_roles.is_empty());
        let named = |role: &str| RoleGrant {
            role: role.into(),
            policy_name: "lambdawire-sqs-orders".into(),
        };
        assert_eq!(private.stale_grants, [named("before"), named("failed")]);
        assert_eq!(
            private_of_version_0(private.clone(), QUEUE),
            private,
            "version 1 private state passes unchanged"
        );
        let written = serde_json::to_value(&private).unwrap();
        assert!(
            written.get("stale_grant_roles").is_none(),
            "never written: {written}"
        );
    }
}
