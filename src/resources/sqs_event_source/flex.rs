//! Expand (state -> the mapping Lambda should have, and the update that
//! gets it there) and flatten (what Lambda and IAM report -> state). Pure.
//! Flatten keeps the prior value where the remote one means the same (the
//! function by name or by ARN, Lambda's defaults for a null argument, the
//! same filter patterns as other JSON text, the same policy): that is
//! normalisation, not drift.

use crate::aws::event_source::{MappingSpec, MappingUpdate, RemoteMapping};
use crate::lambda::function_ref::{parse_function_ref, same_function};
use crate::plugin::{
    json_equal, known, known_list, prior_if_equivalent, str_list, text, Num, Str, Value,
};
use crate::policy::builders::sid;
use crate::policy::document::PolicyDocument;
use crate::resources::managed_role::policy_text;

use super::model::SqsEventSourceState;
use super::plan::DEFAULT_BATCH_SIZE;

fn small(value: &Num) -> Option<i32> {
    value.as_ref_option().and_then(|v| i32::try_from(*v).ok())
}

/// The mapping a fully known planned state describes.
pub fn expand(s: &SqsEventSourceState) -> MappingSpec {
    MappingSpec {
        function_name: text(&s.function_name),
        queue_arn: text(&s.queue_arn),
        batch_size: small(&s.batch_size).unwrap_or(DEFAULT_BATCH_SIZE as i32),
        maximum_batching_window_in_seconds: small(&s.maximum_batching_window_in_seconds),
        enabled: s.enabled != Value::Value(false),
        report_batch_item_failures: s.report_batch_item_failures == Value::Value(true),
        maximum_concurrency: small(&s.maximum_concurrency),
        filter_patterns: known_list(&s.filter_patterns).unwrap_or_default(),
    }
}

/// The same filters: the same JSON values in any order (Lambda sends a
/// message that matches any of them).
pub fn same_patterns(a: &[String], b: &[String]) -> bool {
    if a.len() != b.len() {
        return false;
    }
    let mut unmatched: Vec<&String> = b.iter().collect();
    a.iter().all(|pattern| {
        match unmatched
            .iter()
            .position(|other| json_equal(pattern, other))
        {
            Some(found) => {
                unmatched.swap_remove(found);
                true
            }
            None => false,
        }
    })
}

/// The settings that differ between two mappings, as an update sends them.
/// A null batching window is Lambda's 0, so going back to null sends 0.
pub fn update_of(prior: &MappingSpec, planned: &MappingSpec) -> MappingUpdate {
    let window = |m: &MappingSpec| m.maximum_batching_window_in_seconds.unwrap_or(0);
    MappingUpdate {
        batch_size: (prior.batch_size != planned.batch_size).then_some(planned.batch_size),
        maximum_batching_window_in_seconds: (window(prior) != window(planned))
            .then(|| window(planned)),
        enabled: (prior.enabled != planned.enabled).then_some(planned.enabled),
        report_batch_item_failures: (prior.report_batch_item_failures
            != planned.report_batch_item_failures)
            .then_some(planned.report_batch_item_failures),
        maximum_concurrency: (prior.maximum_concurrency != planned.maximum_concurrency)
            .then_some(planned.maximum_concurrency),
        filter_patterns: (!same_patterns(&prior.filter_patterns, &planned.filter_patterns))
            .then(|| planned.filter_patterns.clone()),
    }
}

/// The function as the user wrote it when it names the function the
/// mapping invokes, else Lambda's ARN. A bare name is resolved by Lambda in
/// the mapping's own region and account, which are those of its function
/// ARN; so the ARN's, not a guess, fill them in for the comparison.
fn function_form(prior: &Str, function_arn: &str) -> Str {
    let place = parse_function_ref(function_arn).ok();
    let region = place
        .as_ref()
        .and_then(|r| r.region.clone())
        .unwrap_or_default();
    let account = place.and_then(|r| r.account_id).unwrap_or_default();
    prior_if_equivalent(prior, Some(function_arn.to_string()), |p, arn| {
        same_function(p, arn, &region, &account)
    })
}

/// The state after reading the mapping, on top of the prior state.
pub fn flatten_mapping(prior: &SqsEventSourceState, remote: &RemoteMapping) -> SqsEventSourceState {
    let mut s = prior.clone();
    s.uuid = Value::Value(remote.uuid.clone());
    s.id = s.uuid.clone();
    s.function_name = function_form(&prior.function_name, &remote.function_arn);
    s.queue_arn = Value::Value(remote.queue_arn.clone());
    if let Some(size) = remote.batch_size {
        s.batch_size = Value::Value(i64::from(size));
    }
    let remote_window = remote.maximum_batching_window_in_seconds.unwrap_or(0);
    let prior_window = prior
        .maximum_batching_window_in_seconds
        .as_ref_option()
        .copied();
    if prior_window.unwrap_or(0) != i64::from(remote_window) {
        s.maximum_batching_window_in_seconds = Value::Value(i64::from(remote_window));
    }
    // While Lambda is creating or updating the mapping its state does not
    // say; keep what we had.
    if let Some(enabled) = remote.enabled() {
        s.enabled = Value::Value(enabled);
    }
    if (prior.report_batch_item_failures == Value::Value(true)) != remote.report_batch_item_failures
    {
        s.report_batch_item_failures = Value::Value(remote.report_batch_item_failures);
    }
    s.maximum_concurrency = remote
        .maximum_concurrency
        .map_or(Value::Null, |m| Value::Value(i64::from(m)));
    let prior_patterns = known_list(&prior.filter_patterns).unwrap_or_default();
    if !same_patterns(&prior_patterns, &remote.filter_patterns) {
        s.filter_patterns = if remote.filter_patterns.is_empty() {
            Value::Null
        } else {
            str_list(remote.filter_patterns.iter().cloned())
        };
    }
    s.state = Value::Value(remote.state.clone());
    s
}

/// The grant's part of the state: the role's inline policy, `None` when
/// it is missing (the plan then shows it being written again).
pub fn flatten_grant(mut s: SqsEventSourceState, policy: Option<&str>) -> SqsEventSourceState {
    s.policy_json = policy_text(&s.policy_json, policy);
    s
}

/// The key a grant allows `kms:Decrypt` on, for import.
pub fn granted_key(policy: &str) -> Option<String> {
    resource_of(policy, sid::DECRYPT_QUEUE_MESSAGES)
}

/// The first resource of the statement `sid` of a grant.
fn resource_of(policy: &str, sid: &str) -> Option<String> {
    let document = PolicyDocument::parse(policy).ok()?;
    document
        .statements
        .iter()
        .find(|st| st.sid.as_deref() == Some(sid))
        .and_then(|st| st.resource.first().cloned())
}

/// What a policy under schema version 0's grant name holds, for the apply
/// that removes it (that name had no digest, so same-named queues of other
/// regions and accounts wrote it too).
#[derive(Debug, PartialEq, Eq)]
pub enum Version0Grant {
    /// The consumer actions on another queue: that queue's mapping relies
    /// on it.
    OtherQueue,
    /// This queue with the key of the state `s`, whose grant has just been
    /// written on the same role: whoever relied on the old one has the
    /// same from the new one.
    Covered,
    /// This queue, with another key or nothing readable: who else relies
    /// on it decides, as for any grant.
    Ours,
}

/// `rewritten`: the grant `s` names has just been written on the role that
/// holds `policy`.
pub fn version_0_grant(policy: &str, s: &SqsEventSourceState, rewritten: bool) -> Version0Grant {
    match resource_of(policy, sid::CONSUME_SQS_QUEUE) {
        Some(queue) if Some(queue.as_str()) != known(&s.queue_arn) => Version0Grant::OtherQueue,
        Some(_) if rewritten && granted_key(policy).as_deref() == known(&s.kms_key_arn) => {
            Version0Grant::Covered
        }
        _ => Version0Grant::Ours,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::plugin::str_value;
    use crate::policy::builders::sqs_event_source_policy;

    const QUEUE: &str = "arn:aws:sqs:us-east-1:123456789012:orders";
    const FUNCTION_ARN: &str = "arn:aws:lambda:us-east-1:123456789012:function:processor";

    fn remote() -> RemoteMapping {
        RemoteMapping {
            uuid: "a1b2".into(),
            function_arn: FUNCTION_ARN.into(),
            queue_arn: QUEUE.into(),
            batch_size: Some(10),
            maximum_batching_window_in_seconds: Some(0),
            state: "Enabled".into(),
            report_batch_item_failures: false,
            maximum_concurrency: None,
            filter_patterns: vec![],
        }
    }

    fn prior() -> SqsEventSourceState {
        SqsEventSourceState {
            function_name: str_value("processor"),
            queue_arn: str_value(QUEUE),
            batch_size: Value::Value(10),
            enabled: Value::Value(true),
            ..Default::default()
        }
    }

    #[test]
    fn lambdas_defaults_for_null_arguments_are_no_drift() {
        let s = flatten_mapping(&prior(), &remote());
        assert_eq!(s.function_name, str_value("processor"), "the user's form");
        assert_eq!(s.maximum_batching_window_in_seconds, Value::Null);
        assert_eq!(s.report_batch_item_failures, Value::Null);
        assert_eq!(s.filter_patterns, Value::Null);
        assert_eq!(s.maximum_concurrency, Value::Null);
        assert_eq!(
            (s.uuid.clone(), s.id.clone()),
            (str_value("a1b2"), str_value("a1b2"))
        );
        assert_eq!(s.state, str_value("Enabled"));
        // moto leaves unset fields out of its answer altogether.
        let sparse = RemoteMapping {
            maximum_batching_window_in_seconds: None,
            ..remote()
        };
        assert_eq!(flatten_mapping(&prior(), &sparse), s);
    }

    #[test]
    fn changed_remote_settings_are_drift() {
        let mut changed = remote();
        changed.function_arn = "arn:aws:lambda:us-east-1:123456789012:function:other".into();
        changed.batch_size = Some(7);
        changed.maximum_batching_window_in_seconds = Some(30);
        changed.state = "Disabled".into();
        changed.report_batch_item_failures = true;
        changed.maximum_concurrency = Some(5);
        changed.filter_patterns = vec![r#"{"body":{"a":[1]}}"#.into()];
        let s = flatten_mapping(&prior(), &changed);
        assert_eq!(s.function_name, str_value(&changed.function_arn));
        assert_eq!(s.batch_size, Value::Value(7));
        assert_eq!(s.maximum_batching_window_in_seconds, Value::Value(30));
        assert_eq!(s.enabled, Value::Value(false));
        assert_eq!(s.report_batch_item_failures, Value::Value(true));
        assert_eq!(s.maximum_concurrency, Value::Value(5));
        assert_eq!(s.filter_patterns, str_list(changed.filter_patterns.clone()));
    }

    #[test]
    fn a_transition_keeps_enabled_and_equal_json_keeps_the_users_text() {
        let mut updating = remote();
        updating.state = "Updating".into();
        updating.filter_patterns = vec![
            r#"{"body":{"b":[2]}}"#.into(),
            r#"{"body":{"a":[1],"c":["x"]}}"#.into(),
        ];
        let before = SqsEventSourceState {
            enabled: Value::Value(false),
            filter_patterns: str_list(vec![
                r#"{ "body": { "c": ["x"], "a": [1] } }"#.to_string(),
                r#"{"body":{"b":[2]}}"#.to_string(),
            ]),
            ..prior()
        };
        let s = flatten_mapping(&before, &updating);
        assert_eq!(s.enabled, Value::Value(false));
        assert_eq!(s.filter_patterns, before.filter_patterns);
        assert_eq!(s.state, str_value("Updating"));
    }

    #[test]
    fn arns_and_qualified_forms_of_the_same_function_keep_the_users_text() {
        for form in [FUNCTION_ARN, "123456789012:function:processor"] {
            let before = SqsEventSourceState {
                function_name: str_value(form),
                ..prior()
            };
            assert_eq!(
                flatten_mapping(&before, &remote()).function_name,
                str_value(form)
            );
        }
        let mut aliased = remote();
        aliased.function_arn = format!("{FUNCTION_ARN}:live");
        let before = SqsEventSourceState {
            function_name: str_value("processor:live"),
            ..prior()
        };
        assert_eq!(
            flatten_mapping(&before, &aliased).function_name,
            str_value("processor:live")
        );
        assert_eq!(
            flatten_mapping(&prior(), &aliased).function_name,
            str_value(&aliased.function_arn),
            "the alias is another target"
        );
    }

    #[test]
    fn updates_send_only_what_changed() {
        let base = expand(&prior());
        assert!(update_of(&base, &base).is_empty());
        let mut planned = base.clone();
        planned.batch_size = 50;
        planned.maximum_batching_window_in_seconds = Some(5);
        planned.filter_patterns = vec![r#"{"body":{"a":[1]}}"#.into()];
        let update = update_of(&base, &planned);
        assert_eq!(
            update,
            MappingUpdate {
                batch_size: Some(50),
                maximum_batching_window_in_seconds: Some(5),
                filter_patterns: Some(planned.filter_patterns.clone()),
                ..Default::default()
            }
        );
        // Removals are sent explicitly: a window of 0, no limit, no filters.
        let mut limited = planned.clone();
        limited.maximum_concurrency = Some(5);
        limited.report_batch_item_failures = true;
        limited.enabled = false;
        let back = update_of(&limited, &base);
        assert_eq!(
            back,
            MappingUpdate {
                batch_size: Some(10),
                maximum_batching_window_in_seconds: Some(0),
                enabled: Some(true),
                report_batch_item_failures: Some(false),
                maximum_concurrency: Some(None),
                filter_patterns: Some(vec![]),
            }
        );
        let mut zero = base.clone();
        zero.maximum_batching_window_in_seconds = Some(0);
        assert!(
            update_of(&base, &zero).is_empty(),
            "null and 0 are one window"
        );
    }

    /// What schema version 0 wrote, without `kms:ViaService`.
    fn version_0_text(queue: &str, key: Option<&str>) -> String {
        let decrypt = key.map(|key| {
            format!(r#",{{"Sid":"DecryptQueueMessages","Effect":"Allow","Action":"kms:Decrypt","Resource":"{key}"}}"#)
        });
        format!(
            r#"{{"Version":"2012-10-17","Statement":[{{"Sid":"ConsumeSqsQueue","Effect":"Allow","Action":["sqs:ReceiveMessage","sqs:DeleteMessage","sqs:GetQueueAttributes"],"Resource":"{queue}"}}{}]}}"#,
            decrypt.unwrap_or_default()
        )
    }

    #[test]
    fn a_version_0_grant_of_another_queue_is_never_ours_to_remove() {
        let key = "arn:aws:kms:us-east-1:123456789012:key/k";
        let s = SqsEventSourceState {
            kms_key_arn: str_value(key),
            ..prior()
        };
        let other_region = "arn:aws:sqs:eu-west-1:123456789012:orders";
        for rewritten in [true, false] {
            assert_eq!(
                version_0_grant(&version_0_text(other_region, Some(key)), &s, rewritten),
                Version0Grant::OtherQueue
            );
        }
        assert_eq!(
            version_0_grant(&version_0_text(QUEUE, Some(key)), &s, true),
            Version0Grant::Covered
        );
        assert_eq!(
            version_0_grant(&sqs_event_source_policy(QUEUE, Some(key)), &s, true),
            Version0Grant::Covered,
            "the same grant in today's form"
        );
        for (policy, rewritten) in [
            (version_0_text(QUEUE, Some(key)), false),
            (version_0_text(QUEUE, None), true),
            (
                version_0_text(QUEUE, Some("arn:aws:kms:us-east-1:123456789012:key/other")),
                true,
            ),
            ("not a policy".to_string(), true),
        ] {
            assert_eq!(
                version_0_grant(&policy, &s, rewritten),
                Version0Grant::Ours,
                "{policy}"
            );
        }
        assert_eq!(
            version_0_grant(&version_0_text(QUEUE, None), &prior(), true),
            Version0Grant::Covered,
            "no key on either side"
        );
    }

    #[test]
    fn grants_read_back_by_meaning_and_their_key_is_found() {
        let key = "arn:aws:kms:us-east-1:123456789012:key/k";
        let ours = sqs_event_source_policy(QUEUE, Some(key));
        let before = SqsEventSourceState {
            policy_json: str_value(&ours),
            ..prior()
        };
        let reordered = ours.replace(
            r#""Action":["sqs:ReceiveMessage","sqs:DeleteMessage","sqs:GetQueueAttributes"]"#,
            r#""Action":["sqs:GetQueueAttributes","sqs:ReceiveMessage","sqs:DeleteMessage"]"#,
        );
        assert_ne!(reordered, ours);
        assert_eq!(
            flatten_grant(before.clone(), Some(&reordered)).policy_json,
            before.policy_json
        );
        assert_eq!(flatten_grant(before.clone(), None).policy_json, Value::Null);
        assert_eq!(granted_key(&ours), Some(key.to_string()));
        assert_eq!(granted_key(&sqs_event_source_policy(QUEUE, None)), None);
    }
}
