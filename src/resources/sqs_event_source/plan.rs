//! Plan logic of `lambdawire_sqs_event_source`: pure. Fills defaults,
//! derives the grant's name and exact text as soon as their inputs are
//! known, and says what forces replacement: another function or queue,
//! never another spelling of the same function.

use sha2::{Digest, Sha256};

use crate::lambda::function_ref::{target_diff, TargetDiff};
use crate::plugin::{known, str_value, AttributePath, Problem, Str, Value};
use crate::policy::builders::sqs_event_source_policy;
use crate::resources::PlanContext;
use crate::validate::arn;

use super::model::SqsEventSourceState;

/// Lambda's batch size for SQS when none is given.
pub const DEFAULT_BATCH_SIZE: i64 = 10;
/// What every grant's inline policy name starts with; the queue name and
/// the digest of its ARN follow.
pub const POLICY_PREFIX: &str = "lambdawire-sqs-";

/// Hex digits of the queue ARN's SHA-256 that end the name.
const DIGEST_DIGITS: usize = 8;

/// The inline policy's name, as SPEC names it: `lambdawire-sqs-<queue
/// name>-<h>`, `<h>` the first 8 hex digits of the SHA-256 of the queue
/// ARN. Roles are global and queue names are not: without the digest,
/// same-named queues of two regions or accounts read through one role
/// would write one grant, each overwriting the other's queue, and
/// destroying either would cut the other off. Mappings of one queue
/// through one role still share it (see `apply::release_grant`). At most
/// 104 characters (queue names are at most 80), under IAM's 128.
pub fn policy_name(queue_arn: &str) -> Option<String> {
    let queue = arn::sqs_queue(queue_arn).ok()?;
    let digest = hex::encode(Sha256::digest(queue_arn.as_bytes()));
    Some(format!(
        "{POLICY_PREFIX}{}-{}",
        queue.resource,
        &digest[..DIGEST_DIGITS]
    ))
}

/// The grant's exact text, while queue and key are known.
pub fn grant(s: &SqsEventSourceState) -> Str {
    match (&s.queue_arn, &s.kms_key_arn) {
        (Value::Value(queue), Value::Value(key)) => {
            str_value(&sqs_event_source_policy(queue, Some(key)))
        }
        (Value::Value(queue), Value::Null) => str_value(&sqs_event_source_policy(queue, None)),
        _ => Value::Unknown,
    }
}

fn grant_name(s: &SqsEventSourceState) -> Str {
    known(&s.queue_arn)
        .and_then(policy_name)
        .map_or(Value::Unknown, |n| str_value(&n))
}

fn or_default<T: Clone>(value: &Value<T>, default: T) -> Value<T> {
    match value {
        Value::Null => Value::Value(default),
        other => other.clone(),
    }
}

/// Defaults and the grant, from the configuration.
fn resolve(mut s: SqsEventSourceState, config: &SqsEventSourceState) -> SqsEventSourceState {
    s.batch_size = or_default(&config.batch_size, DEFAULT_BATCH_SIZE);
    s.enabled = or_default(&config.enabled, true);
    s.policy_json = grant(&s);
    s.policy_name = grant_name(&s);
    s
}

/// The planned state of a create: defaults and the grant filled in; the
/// role stays unknown when it is the function's own, read at apply.
pub fn plan_create(
    proposed: SqsEventSourceState,
    config: &SqsEventSourceState,
) -> SqsEventSourceState {
    let mut s = resolve(proposed, config);
    // The function's own role is read from the function at apply: it may
    // not exist yet, or change its role earlier in the same apply.
    if config.role_name.is_null() {
        s.role_name = Value::Unknown;
    }
    s.uuid = Value::Unknown;
    s.id = Value::Unknown;
    s.state = Value::Unknown;
    s
}

/// What forces replacement: a function or version/alias other than the
/// prior one (named in any form), or another queue.
fn replacement_paths(
    prior: &SqsEventSourceState,
    config: &SqsEventSourceState,
    ctx: &PlanContext,
) -> Vec<AttributePath> {
    let mut replace = Vec::new();
    let region = ctx.region.as_deref().unwrap_or_default();
    let account = ctx.account_id.as_deref().unwrap_or_default();
    let function = match (known(&prior.function_name), known(&config.function_name)) {
        (Some(a), Some(b)) => target_diff((a, None), (b, None), region, account),
        _ => TargetDiff {
            function: prior.function_name != config.function_name,
            qualifier: false,
        },
    };
    if function.function || function.qualifier {
        replace.push(AttributePath::new("function_name"));
    }
    if prior.queue_arn != config.queue_arn {
        replace.push(AttributePath::new("queue_arn"));
    }
    replace
}

/// `role_from_function`: the prior role was the function's own, not a
/// configured one (private state).
pub fn plan_update(
    prior: &SqsEventSourceState,
    proposed: SqsEventSourceState,
    config: &SqsEventSourceState,
    role_from_function: bool,
    ctx: &PlanContext,
) -> (SqsEventSourceState, Vec<AttributePath>) {
    let replace = replacement_paths(prior, config, ctx);
    let mut s = resolve(proposed, config);
    // Terraform proposes the prior role for a null role_name. That is right
    // when the prior role was the function's own (Read follows the function
    // to another role); after a configured role is removed from the
    // configuration, or a failed apply, apply reads the function's again.
    if config.role_name.is_null() && (!role_from_function || !prior.role_name.is_value()) {
        s.role_name = Value::Unknown;
    }
    // A mapping deleted out of band while its grant remained (see Read):
    // apply creates it again, in place.
    if !prior.uuid.is_value() {
        s.uuid = Value::Unknown;
        s.id = Value::Unknown;
    }
    s.state = prior.state.clone();
    // Any change runs apply, which may move the mapping through Lambda's
    // transitions: its state is known after apply. Nothing else changes
    // then, so an unchanged resource keeps its prior state and no diff.
    if s != *prior {
        s.state = Value::Unknown;
    }
    (s, replace)
}

/// A queue outside the provider's region: the mapping is created in the
/// provider's region, and Lambda polls only queues of its own region.
pub fn region_problem(config: &SqsEventSourceState, ctx: &PlanContext) -> Option<Problem> {
    let region = ctx.region.as_deref()?;
    let queue = arn::sqs_queue(known(&config.queue_arn)?).ok()?;
    (queue.region != region).then(|| {
        Problem::at(
            "queue_arn",
            "queue outside the provider's region",
            format!(
                "The queue is in {} and this provider creates mappings in {region}: Lambda polls only queues of the function's own region. Use a provider configured for {}.",
                queue.region, queue.region
            ),
        )
    })
}

/// Replace every unknown by null: a state written after a failed apply must
/// be wholly known.
pub fn without_unknowns(mut s: SqsEventSourceState) -> SqsEventSourceState {
    for field in [
        &mut s.id,
        &mut s.uuid,
        &mut s.role_name,
        &mut s.policy_name,
        &mut s.policy_json,
        &mut s.state,
    ] {
        if field.is_unknown() {
            *field = Value::Null;
        }
    }
    s
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::plugin::str_list;
    use crate::resources::testing::ctx;

    const QUEUE: &str = "arn:aws:sqs:us-east-1:123456789012:orders";
    const ORDERS_GRANT: &str = "lambdawire-sqs-orders-604584c5";
    const FUNCTION_ARN: &str = "arn:aws:lambda:us-east-1:123456789012:function:processor";

    fn config() -> SqsEventSourceState {
        SqsEventSourceState {
            function_name: str_value("processor"),
            queue_arn: str_value(QUEUE),
            ..Default::default()
        }
    }

    /// The state after a create with `config()`.
    fn created() -> SqsEventSourceState {
        let mut s = plan_create(config(), &config());
        s.role_name = str_value("processor-exec");
        s.uuid = str_value("a1b2");
        s.id = str_value("a1b2");
        s.state = str_value("Enabled");
        s
    }

    #[test]
    fn create_shows_defaults_and_the_exact_grant() {
        let s = plan_create(config(), &config());
        assert_eq!(s.batch_size, Value::Value(10));
        assert_eq!(s.enabled, Value::Value(true));
        assert_eq!(
            s.policy_json,
            str_value(&sqs_event_source_policy(QUEUE, None))
        );
        assert_eq!(known(&s.policy_name), Some(ORDERS_GRANT));
        assert!(s.role_name.is_unknown() && s.uuid.is_unknown() && s.state.is_unknown());
        let with_role = SqsEventSourceState {
            role_name: str_value("processor-exec"),
            kms_key_arn: str_value("arn:aws:kms:us-east-1:123456789012:key/k"),
            ..config()
        };
        let s = plan_create(with_role.clone(), &with_role);
        assert_eq!(s.role_name, str_value("processor-exec"));
        assert!(known(&s.policy_json).is_some_and(|p| p.contains("kms:Decrypt")));
    }

    #[test]
    fn unknown_inputs_leave_the_grant_unknown() {
        let c = SqsEventSourceState {
            queue_arn: Value::Unknown,
            ..config()
        };
        let s = plan_create(c.clone(), &c);
        assert!(s.policy_json.is_unknown() && s.policy_name.is_unknown());
        let c = SqsEventSourceState {
            kms_key_arn: Value::Unknown,
            ..config()
        };
        let s = plan_create(c.clone(), &c);
        assert!(s.policy_json.is_unknown());
        assert!(
            s.policy_name.is_value(),
            "the name does not depend on the key"
        );
    }

    #[test]
    fn the_policy_is_named_after_the_queue_and_the_digest_of_its_arn() {
        // printf %s arn:aws:sqs:us-east-1:123456789012:orders | sha256sum
        assert_eq!(policy_name(QUEUE).as_deref(), Some(ORDERS_GRANT));
        let elsewhere = policy_name("arn:aws:sqs:eu-west-1:123456789012:orders");
        assert_eq!(elsewhere.as_deref(), Some("lambdawire-sqs-orders-706424f1"));
        let other_account = policy_name("arn:aws:sqs:us-east-1:210987654321:orders");
        assert!(other_account.is_some() && other_account != policy_name(QUEUE));
        assert_eq!(policy_name("not an arn"), None);
    }

    #[test]
    fn the_longest_name_fits_iams_limit() {
        let longest = format!("arn:aws:sqs:us-east-1:123456789012:{}", "q".repeat(80));
        let name = policy_name(&longest).unwrap_or_default();
        assert_eq!(name.len(), 104);
        assert!(name.len() <= 128, "IAM's limit for an inline policy name");
        let fifo = format!("arn:aws:sqs:us-east-1:123456789012:{}.fifo", "q".repeat(75));
        assert_eq!(policy_name(&fifo).unwrap_or_default().len(), 104);
    }

    #[test]
    fn an_unchanged_resource_plans_no_change() {
        let prior = created();
        let (s, replace) = plan_update(&prior, prior.clone(), &config(), true, &ctx());
        assert_eq!(s, prior);
        assert!(replace.is_empty());
    }

    #[test]
    fn a_grant_of_another_name_is_renamed_in_place() {
        // State of schema version 0 holds the grant's old name.
        let prior = SqsEventSourceState {
            policy_name: str_value("lambdawire-sqs-orders"),
            ..created()
        };
        let (s, replace) = plan_update(&prior, prior.clone(), &config(), true, &ctx());
        assert!(replace.is_empty(), "{replace:?}");
        assert_eq!(known(&s.policy_name), Some(ORDERS_GRANT));
        assert_eq!((&s.uuid, &s.role_name), (&prior.uuid, &prior.role_name));
        assert!(s.state.is_unknown(), "an update, shown as one");
    }

    #[test]
    fn changes_update_in_place_with_the_state_known_after_apply() {
        let prior = created();
        let c = SqsEventSourceState {
            batch_size: Value::Value(5),
            enabled: Value::Value(false),
            filter_patterns: str_list(vec![r#"{"body":{"a":[1]}}"#.to_string()]),
            ..config()
        };
        let proposed = SqsEventSourceState {
            batch_size: c.batch_size,
            enabled: c.enabled,
            filter_patterns: c.filter_patterns.clone(),
            ..prior.clone()
        };
        let (s, replace) = plan_update(&prior, proposed, &c, true, &ctx());
        assert!(replace.is_empty());
        assert_eq!(s.uuid, prior.uuid);
        assert_eq!(s.role_name, prior.role_name);
        assert!(s.state.is_unknown());
    }

    #[test]
    fn another_function_or_queue_replaces_another_spelling_does_not() {
        let prior = created();
        let arn = SqsEventSourceState {
            function_name: str_value(FUNCTION_ARN),
            ..config()
        };
        let proposed = SqsEventSourceState {
            function_name: arn.function_name.clone(),
            ..prior.clone()
        };
        let (s, replace) = plan_update(&prior, proposed, &arn, true, &ctx());
        assert!(replace.is_empty(), "{replace:?}");
        assert_eq!(s.policy_name, prior.policy_name, "the same grant");
        for (c, path) in [
            (
                SqsEventSourceState {
                    function_name: str_value("processor:live"),
                    ..config()
                },
                "function_name",
            ),
            (
                SqsEventSourceState {
                    function_name: str_value("billing"),
                    ..config()
                },
                "function_name",
            ),
            (
                SqsEventSourceState {
                    queue_arn: str_value("arn:aws:sqs:us-east-1:123456789012:other"),
                    ..config()
                },
                "queue_arn",
            ),
        ] {
            let (_, replace) = plan_update(&prior, c.clone(), &c, true, &ctx());
            assert_eq!(replace, [AttributePath::new(path)], "{c:?}");
        }
    }

    #[test]
    fn removing_a_configured_role_reads_the_functions_again() {
        let prior = SqsEventSourceState {
            role_name: str_value("shared-role"),
            ..created()
        };
        let (s, _) = plan_update(&prior, prior.clone(), &config(), false, &ctx());
        assert!(s.role_name.is_unknown());
        let (s, _) = plan_update(&prior, prior.clone(), &config(), true, &ctx());
        assert_eq!(s.role_name, prior.role_name);
    }

    #[test]
    fn a_mapping_gone_out_of_band_is_planned_again_in_place() {
        let prior = SqsEventSourceState {
            uuid: Value::Null,
            id: Value::Null,
            state: Value::Null,
            ..created()
        };
        let (s, replace) = plan_update(&prior, prior.clone(), &config(), true, &ctx());
        assert!(replace.is_empty());
        assert!(s.uuid.is_unknown() && s.id.is_unknown() && s.state.is_unknown());
    }

    #[test]
    fn a_queue_of_another_region_is_refused_at_plan() {
        assert_eq!(region_problem(&config(), &ctx()), None);
        let elsewhere = SqsEventSourceState {
            queue_arn: str_value("arn:aws:sqs:eu-west-1:123456789012:orders"),
            ..config()
        };
        let problem = region_problem(&elsewhere, &ctx());
        assert_eq!(
            problem.map(|p| p.path_text()),
            Some("queue_arn".to_string())
        );
        assert_eq!(region_problem(&elsewhere, &PlanContext::default()), None);
    }

    #[test]
    fn a_failed_apply_leaves_no_unknown() {
        let s = without_unknowns(plan_create(config(), &config()));
        assert_eq!(
            (s.uuid, s.role_name, s.state),
            (Value::Null, Value::Null, Value::Null)
        );
        assert!(s.policy_json.is_value());
    }
}
