//! Expand (state -> the schedule Scheduler should have) and flatten (what
//! Scheduler and IAM report -> state). Pure. Flatten keeps the prior text of
//! a value when the remote one means the same (dates as instants, JSON input,
//! policies by semantics): that is normalization, not drift.

use std::collections::BTreeMap;

use chrono::{DateTime, Utc};

use crate::aws::iam::RemoteRole;
use crate::aws::scheduler::{RemoteSchedule, ScheduleSpec};
use crate::plugin::{json_equal, known, opt, prior_if_equivalent, text, Block, Num, Str, Value};
use crate::policy::equivalence::equivalent;
use crate::resources::managed_role::{flatten_settings, policy_text};
use crate::resources::PlanContext;
use crate::validate::arn;
use crate::validate::time::parse_rfc3339;

use super::model::{InvokerState, RetryPolicy, RoleSettings};
use super::plan::{default_role_name, has_fired, owner, pending_attribute, resolve, OWNER_TAG};

/// The retry policy Scheduler applies when none is given: reported back by
/// GetSchedule, it is not drift for a configuration without the block.
pub const SERVICE_DEFAULT_RETRY: (i32, i32) = (86400, 185);

fn epoch(value: &Str) -> Option<i64> {
    known(value)
        .and_then(|t| parse_rfc3339(t).ok())
        .map(|d| d.timestamp())
}

fn required(value: &Str) -> String {
    known(value).unwrap_or_default().to_string()
}

/// The schedule a fully known planned state describes.
pub fn expand(s: &InvokerState) -> ScheduleSpec {
    ScheduleSpec {
        name: required(&s.name),
        group_name: required(&s.group_name),
        schedule_expression: required(&s.schedule_expression),
        timezone: required(&s.schedule_expression_timezone),
        start_date: epoch(&s.start_date),
        end_date: epoch(&s.end_date),
        enabled: known(&s.state) != Some("DISABLED"),
        description: known(&s.description).map(str::to_string),
        kms_key_arn: known(&s.kms_key_arn).map(str::to_string),
        function_arn: required(&s.function_arn),
        role_arn: required(&s.role_arn),
        input: known(&s.input).map(|text| super::input::as_sent(text).into_owned()),
        // A field left null is sent as Scheduler's default, so what AWS
        // holds never depends on how it fills in a half-given policy.
        retry_policy: s.retry_policy.single().map(|r| {
            let field = |value: &Num, default: i32| {
                value
                    .as_ref_option()
                    .and_then(|v| i32::try_from(*v).ok())
                    .unwrap_or(default)
            };
            (
                field(&r.maximum_event_age_in_seconds, SERVICE_DEFAULT_RETRY.0),
                field(&r.maximum_retry_attempts, SERVICE_DEFAULT_RETRY.1),
            )
        }),
        dead_letter_arn: known(&s.dead_letter_arn).map(str::to_string),
        flexible_window_minutes: s
            .flexible_window_minutes
            .as_ref_option()
            .and_then(|m| i32::try_from(*m).ok()),
        delete_after_completion: known(&s.action_after_completion) == Some("DELETE"),
    }
}

fn rfc3339(secs: i64) -> Option<String> {
    chrono::DateTime::from_timestamp(secs, 0).map(|d| d.format("%Y-%m-%dT%H:%M:%SZ").to_string())
}

/// Keep the prior text when it names the same instant.
fn date(prior: &Str, remote: Option<i64>) -> Str {
    let instant = |t: &str| parse_rfc3339(t).ok().map(|d| d.timestamp());
    prior_if_equivalent(prior, remote.and_then(rfc3339), |p, r| {
        instant(p) == instant(r)
    })
}

/// A remote field equal to Scheduler's default stays null where the prior
/// state left it null: the configuration asked for the default.
fn retry_field(prior: Option<&Num>, remote: i32, default: i32) -> Num {
    match prior {
        Some(Value::Null) if remote == default => Value::Null,
        _ => Value::Value(i64::from(remote)),
    }
}

fn retry_block(prior: &InvokerState, remote: Option<(i32, i32)>) -> Block<RetryPolicy> {
    let prior = prior.retry_policy.single();
    match remote {
        None => Block::default(),
        Some(defaults) if defaults == SERVICE_DEFAULT_RETRY && prior.is_none() => Block::default(),
        Some((age, attempts)) => Block::Items(vec![RetryPolicy {
            maximum_event_age_in_seconds: retry_field(
                prior.map(|p| &p.maximum_event_age_in_seconds),
                age,
                SERVICE_DEFAULT_RETRY.0,
            ),
            maximum_retry_attempts: retry_field(
                prior.map(|p| &p.maximum_retry_attempts),
                attempts,
                SERVICE_DEFAULT_RETRY.1,
            ),
        }]),
    }
}

/// The state after reading the schedule, on top of the prior state.
pub fn flatten_schedule(prior: &InvokerState, remote: &RemoteSchedule) -> InvokerState {
    let r = &remote.spec;
    let mut s = prior.clone();
    s.id = Value::Value(format!("{}/{}", r.group_name, r.name));
    s.arn = Value::Value(remote.arn.clone());
    s.name = Value::Value(r.name.clone());
    s.group_name = Value::Value(r.group_name.clone());
    s.function_arn = Value::Value(r.function_arn.clone());
    s.schedule_expression = Value::Value(r.schedule_expression.clone());
    s.schedule_expression_timezone = Value::Value(r.timezone.clone());
    s.start_date = date(&prior.start_date, r.start_date);
    s.end_date = date(&prior.end_date, r.end_date);
    s.state = Value::Value(if r.enabled { "ENABLED" } else { "DISABLED" }.to_string());
    s.description = match (&prior.description, &r.description) {
        // An empty description reads back as none.
        (Value::Value(p), None) if p.is_empty() => prior.description.clone(),
        (_, d) => opt(d.clone()),
    };
    s.input = prior_if_equivalent(&prior.input, r.input.clone(), json_equal);
    s.flexible_window_minutes = r
        .flexible_window_minutes
        .map_or(Value::Null, |m| Value::Value(i64::from(m)));
    s.action_after_completion = Value::Value(
        if r.delete_after_completion {
            "DELETE"
        } else {
            "NONE"
        }
        .to_string(),
    );
    s.retry_policy = retry_block(prior, r.retry_policy);
    s.dead_letter_arn = opt(r.dead_letter_arn.clone());
    s.kms_key_arn = opt(r.kms_key_arn.clone());
    s.role_arn = Value::Value(r.role_arn.clone());
    // A schedule that exists has not completed (it may be one given a new
    // time after it fired).
    s.completed = Value::Value(false);
    s
}

/// The managed role's part of the state, from IAM. A missing role or policy
/// reads as null policies, so the plan shows the repair.
pub fn flatten_role(
    mut s: InvokerState,
    role: Option<&RemoteRole>,
    inline_policy: Option<&str>,
) -> InvokerState {
    let trust = role.map(|r| r.trust_policy.as_str());
    s.trust_policy_json = policy_text(&s.trust_policy_json, trust);
    s.policy_json = policy_text(&s.policy_json, role.and(inline_policy));
    s
}

/// The managed role's settings from IAM: the `role { ... }` block's
/// boundary, path and tags, and `tags_all` (see [`flatten_settings`]). A
/// missing role reads as null `tags_all`, so the plan shows the repair.
pub fn flatten_role_settings(
    mut s: InvokerState,
    role: Option<&RemoteRole>,
    default_tags: &BTreeMap<String, String>,
) -> InvokerState {
    match role {
        Some(r) => (s.role, s.tags_all) = flatten_settings(&s.role, r, default_tags),
        None => s.tags_all = Value::Null,
    }
    s
}

/// What Read makes of what it found: the schedule on top of the prior
/// state, with the managed role's part from IAM; `None` when nothing is
/// left to manage. A missing schedule is a one-time schedule that fired
/// (Scheduler deleted it: `completed`), gone with nothing else of this
/// resource's (`None`), or gone out of band while its managed role remains:
/// then the resource stays, so the role is reused (or destroyed) instead of
/// leaked, and a null ARN makes the plan show the repair.
pub fn flatten_read(
    prior: &InvokerState,
    schedule: Option<&RemoteSchedule>,
    role: Option<&RemoteRole>,
    policy: Option<&str>,
    default_tags: &BTreeMap<String, String>,
    now: DateTime<Utc>,
) -> Option<InvokerState> {
    let managed = prior.role_managed == Value::Value(true);
    let schedule = schedule.filter(|remote| !someone_elses(prior, remote));
    let s = match schedule {
        Some(remote) => flatten_schedule(prior, remote),
        None if has_fired(prior, now) => InvokerState {
            completed: Value::Value(true),
            ..prior.clone()
        },
        None if !managed => return None,
        None => InvokerState {
            arn: Value::Null,
            ..prior.clone()
        },
    };
    if !managed {
        return Some(s);
    }
    let s = flatten_role(s, role, policy);
    Some(flatten_role_settings(s, role, default_tags))
}

/// Whether Read found the schedule gone before it ran (deleted outside
/// Terraform, not by Scheduler after firing): the plan writes it again, and
/// says why.
pub fn vanished(prior: &InvokerState, found: Option<&InvokerState>) -> bool {
    prior.arn.is_value()
        && found.is_none_or(|s| s.arn.is_null() && s.completed != Value::Value(true))
}

/// Whether the schedule found under a completed invoker's name is someone
/// else's: Scheduler deleted this one after it fired, and the name now
/// holds a schedule with another role. Read and destroy leave it alone.
pub fn someone_elses(prior: &InvokerState, remote: &RemoteSchedule) -> bool {
    prior.completed == Value::Value(true)
        && known(&prior.role_arn) != Some(remote.spec.role_arn.as_str())
}

/// Read's state with the roles still pending deletion shown. A resource
/// whose schedule is gone stays while a role it left is pending (a null
/// ARN plans the schedule anew), so the next apply deletes the role
/// instead of Terraform forgetting it.
pub fn with_pending(
    found: Option<InvokerState>,
    prior: InvokerState,
    pending: &[String],
) -> Option<InvokerState> {
    let s = match found {
        Some(s) => s,
        None if pending.is_empty() => return None,
        None => InvokerState {
            arn: Value::Null,
            ..prior
        },
    };
    Some(InvokerState {
        roles_pending_deletion: pending_attribute(pending),
        ..s
    })
}

/// The state import makes of a schedule (`s`, flattened) and of its role as
/// IAM holds it. The role is adopted as managed only when it is provably
/// this schedule's: its owner tag names this schedule (in `region`) and its
/// inline policy is the one we generate. A shared role (a
/// lambdawire_scheduler_invoke_role's, which uses the same policy name) or
/// anyone else's stays the user's own, as `existing_role_arn`.
pub fn flatten_import(
    mut s: InvokerState,
    role: Option<&RemoteRole>,
    policy: Option<&str>,
    region: &str,
    ctx: &PlanContext,
) -> InvokerState {
    let role_arn = text(&s.role_arn);
    let generated = resolve(s.clone(), &s, ctx);
    let matches = matches!((policy, known(&generated.policy_json)), (Some(p), Some(want)) if equivalent(p, want));
    let tagged = role
        .and_then(|r| r.tags.get(OWNER_TAG))
        .is_some_and(|holder| *holder == owner(region, &s));
    if !(tagged && matches) {
        s.existing_role_arn = Value::Value(role_arn);
        return resolve(s.clone(), &s, ctx);
    }
    let role_name = arn::iam_role(&role_arn).unwrap_or_default().to_string();
    let path = arn::iam_role_path(&role_arn);
    // Import runs with known facts; without a region the name is kept
    // explicitly, which is right either way.
    let default_name = ctx
        .region
        .as_deref()
        .map(|region| default_role_name(region, &text(&s.group_name), &text(&s.name)));
    if default_name.as_deref() != Some(role_name.as_str()) || path != "/" {
        s.role = Block::Items(vec![RoleSettings {
            name: Value::Value(role_name),
            path: if path == "/" {
                Value::Null
            } else {
                Value::Value(path)
            },
            ..Default::default()
        }]);
    }
    let adopted = resolve(s.clone(), &s, ctx);
    flatten_role(adopted, role, policy)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::resources::testing::ctx;

    fn spec() -> ScheduleSpec {
        ScheduleSpec {
            name: "nightly".into(),
            group_name: "default".into(),
            schedule_expression: "cron(0 3 * * ? *)".into(),
            timezone: "Europe/Paris".into(),
            start_date: Some(1_893_456_000),
            end_date: None,
            enabled: true,
            description: Some("d".into()),
            kms_key_arn: None,
            function_arn: "arn:aws:lambda:us-east-1:123456789012:function:hook".into(),
            role_arn: "arn:aws:iam::123456789012:role/r".into(),
            input: Some("{\"a\":1,\"b\":[2]}".into()),
            retry_policy: Some((600, 3)),
            dead_letter_arn: None,
            flexible_window_minutes: Some(15),
            delete_after_completion: false,
        }
    }

    fn remote() -> RemoteSchedule {
        RemoteSchedule {
            arn: "arn:aws:scheduler:us-east-1:123456789012:schedule/default/nightly".into(),
            spec: spec(),
        }
    }

    #[test]
    fn flatten_then_expand_round_trips() {
        let state = flatten_schedule(&InvokerState::default(), &remote());
        assert_eq!(expand(&state), spec());
        assert_eq!(
            state.start_date,
            Value::Value("2030-01-01T00:00:00Z".into())
        );
        assert_eq!(state.id, Value::Value("default/nightly".into()));
    }

    #[test]
    fn same_instant_and_same_json_keep_the_users_text() {
        let prior = InvokerState {
            start_date: Value::Value("2030-01-01T01:00:00+01:00".into()),
            input: Value::Value("{\"b\": [2], \"a\": 1}".into()),
            ..Default::default()
        };
        let state = flatten_schedule(&prior, &remote());
        assert_eq!(state.start_date, prior.start_date);
        assert_eq!(state.input, prior.input);
    }

    #[test]
    fn changed_remote_values_are_drift() {
        let prior = flatten_schedule(&InvokerState::default(), &remote());
        let mut changed = remote();
        changed.spec.input = Some("{\"a\":2}".into());
        changed.spec.enabled = false;
        changed.spec.role_arn = "arn:aws:iam::123456789012:role/other".into();
        let state = flatten_schedule(&prior, &changed);
        assert_eq!(state.input, Value::Value("{\"a\":2}".into()));
        assert_eq!(state.state, Value::Value("DISABLED".into()));
        assert_eq!(
            state.role_arn,
            Value::Value("arn:aws:iam::123456789012:role/other".into())
        );
    }

    #[test]
    fn a_schedule_gone_before_it_ran_has_vanished() {
        let prior = InvokerState {
            arn: Value::Value("arn:aws:scheduler:us-east-1:123456789012:schedule/default/n".into()),
            completed: Value::Value(false),
            ..Default::default()
        };
        let kept = InvokerState {
            arn: Value::Null,
            ..prior.clone()
        };
        assert!(
            vanished(&prior, Some(&kept)),
            "managed role: kept, without its schedule"
        );
        assert!(vanished(&prior, None), "own role: gone from state");
        assert!(!vanished(&prior, Some(&prior)), "still there");
        let fired = InvokerState {
            completed: Value::Value(true),
            ..prior.clone()
        };
        assert!(
            !vanished(&prior, Some(&fired)),
            "Scheduler deleted it after it ran"
        );
        let never = InvokerState {
            arn: Value::Null,
            ..prior
        };
        assert!(!vanished(&never, None), "never made (a failed create)");
    }

    #[test]
    fn an_existing_schedule_is_not_completed() {
        let prior = InvokerState {
            completed: Value::Value(true),
            ..Default::default()
        };
        assert_eq!(
            flatten_schedule(&prior, &remote()).completed,
            Value::Value(false)
        );
    }

    #[test]
    fn a_completed_invokers_name_taken_by_another_role_is_someone_elses() {
        let mut prior = flatten_schedule(&InvokerState::default(), &remote());
        prior.role_managed = Value::Value(false);
        prior.completed = Value::Value(true);
        prior.start_date = Value::Null;
        prior.schedule_expression = Value::Value("at(2020-01-01T00:00:00)".into());
        prior.schedule_expression_timezone = Value::Value("UTC".into());
        prior.action_after_completion = Value::Value("DELETE".into());
        let mut other = remote();
        other.spec.role_arn = "arn:aws:iam::123456789012:role/theirs".into();
        assert!(someone_elses(&prior, &other));
        assert!(
            !someone_elses(&prior, &remote()),
            "the same role: ours again"
        );
        let running = InvokerState {
            completed: Value::Value(false),
            ..prior.clone()
        };
        assert!(
            !someone_elses(&running, &other),
            "a running invoker's drift"
        );
        // Read leaves the other schedule alone: still completed, our role.
        let read = flatten_read(
            &prior,
            Some(&other),
            None,
            None,
            &BTreeMap::new(),
            chrono::Utc::now(),
        );
        let read = read.expect("kept");
        assert_eq!(read.role_arn, prior.role_arn);
        assert_eq!(read.completed, Value::Value(true));
    }

    #[test]
    fn service_default_retry_policy_is_not_drift() {
        let mut r = remote();
        r.spec.retry_policy = Some(SERVICE_DEFAULT_RETRY);
        let state = flatten_schedule(&InvokerState::default(), &r);
        assert!(state.retry_policy.items().is_empty());
    }

    #[test]
    fn a_retry_field_left_null_is_sent_as_the_default_and_read_back_as_null() {
        let half_given = InvokerState {
            retry_policy: Block::Items(vec![RetryPolicy {
                maximum_event_age_in_seconds: Value::Null,
                maximum_retry_attempts: Value::Value(0),
            }]),
            ..Default::default()
        };
        assert_eq!(
            expand(&half_given).retry_policy,
            Some((SERVICE_DEFAULT_RETRY.0, 0))
        );

        let mut r = remote();
        r.spec.retry_policy = Some((SERVICE_DEFAULT_RETRY.0, 0));
        let read = flatten_schedule(&half_given, &r);
        assert_eq!(read.retry_policy, half_given.retry_policy, "no drift");

        // Drift in the field the configuration left to the default shows.
        r.spec.retry_policy = Some((3600, 0));
        let drifted = flatten_schedule(&half_given, &r);
        let retry = drifted.retry_policy.single().expect("a block");
        assert_eq!(retry.maximum_event_age_in_seconds, Value::Value(3600));
        assert_eq!(retry.maximum_retry_attempts, Value::Value(0));
    }

    #[test]
    fn the_managed_roles_settings_are_read_and_a_missing_role_reads_null_tags() {
        let prior = InvokerState {
            tags_all: Value::Value(Default::default()),
            ..Default::default()
        };
        let role = RemoteRole {
            arn: "arn:aws:iam::123456789012:role/r".into(),
            name: "r".into(),
            path: "/".into(),
            trust_policy: "{}".into(),
            permissions_boundary: Some("arn:aws:iam::aws:policy/ReadOnlyAccess".into()),
            tags: [("team".to_string(), "a".to_string())].into(),
        };
        let read = flatten_role_settings(prior.clone(), Some(&role), &BTreeMap::new());
        let settings = read.role.single().expect("a block shows the drift");
        assert_eq!(
            settings.permissions_boundary,
            opt(role.permissions_boundary)
        );
        assert_eq!(
            read.tags_all,
            Value::Value([("team".to_string(), Value::Value("a".to_string()))].into())
        );
        let gone = flatten_role_settings(prior, None, &BTreeMap::new());
        assert!(gone.tags_all.is_null());
    }

    #[test]
    fn equivalent_policies_keep_prior_text_and_missing_ones_read_null() {
        let prior_text = r#"{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"lambda:InvokeFunction","Resource":["a","b"]}]}"#;
        let reordered = r#"{"Statement":[{"Resource":["b","a"],"Action":["lambda:InvokeFunction"],"Effect":"Allow"}],"Version":"2012-10-17"}"#;
        let prior = Value::Value(prior_text.to_string());
        assert_eq!(policy_text(&prior, Some(reordered)), prior);
        let widened = r#"{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"lambda:*","Resource":"*"}]}"#;
        assert_eq!(
            policy_text(&prior, Some(widened)),
            Value::Value(widened.to_string())
        );
        assert_eq!(policy_text(&prior, None), Value::Null);
    }

    /// The managed invoker planned for [`remote`]'s schedule.
    fn managed() -> InvokerState {
        let spec = spec();
        let config = InvokerState {
            name: Value::Value(spec.name),
            function_arn: Value::Value(spec.function_arn),
            schedule_expression: Value::Value(spec.schedule_expression),
            ..Default::default()
        };
        super::super::plan::plan_create(config.clone(), &config, &ctx())
    }

    fn role(arn: &str, owner_tag: Option<&str>) -> RemoteRole {
        RemoteRole {
            arn: arn.into(),
            name: arn.rsplit('/').next().unwrap_or_default().into(),
            path: "/".into(),
            trust_policy: "{}".into(),
            permissions_boundary: None,
            tags: owner_tag
                .map(|owner| (OWNER_TAG.to_string(), owner.to_string()))
                .into_iter()
                .collect(),
        }
    }

    #[test]
    fn read_tells_a_fired_a_vanished_and_a_forgotten_schedule_apart() {
        let now = chrono::Utc::now();
        let tags = BTreeMap::new();
        let prior = managed();
        let role = role(&text(&prior.role_arn), None);
        let policy = text(&prior.policy_json);
        let read = |prior: &InvokerState, schedule: Option<&RemoteSchedule>| {
            flatten_read(prior, schedule, Some(&role), Some(&policy), &tags, now)
        };

        let found = read(&prior, Some(&remote())).expect("the schedule is there");
        assert_eq!(found.arn, Value::Value(remote().arn));

        let vanished = read(&prior, None).expect("its managed role remains");
        assert_eq!(vanished.arn, Value::Null, "a null ARN plans the repair");
        assert_eq!(vanished.policy_json, prior.policy_json);

        let fired = InvokerState {
            schedule_expression: Value::Value("at(2020-01-01T00:00:00)".into()),
            action_after_completion: Value::Value("DELETE".into()),
            ..prior.clone()
        };
        let fired = read(&fired, None).expect("a fired schedule stays");
        assert_eq!(fired.completed, Value::Value(true));
        assert_eq!(fired.arn, prior.arn);

        let users = InvokerState {
            role_managed: Value::Value(false),
            ..prior.clone()
        };
        assert_eq!(read(&users, None), None, "nothing of ours is left");

        let no_role = flatten_read(&prior, Some(&remote()), None, None, &tags, now);
        let no_role = no_role.expect("the schedule is there");
        assert_eq!(
            (no_role.policy_json, no_role.tags_all),
            (Value::Null, Value::Null),
            "a missing role reads as null, so the plan shows the repair"
        );
    }

    #[test]
    fn a_vanished_resource_stays_while_a_role_it_left_is_pending() {
        let prior = managed();
        let pending = ["old".to_string()];
        assert_eq!(with_pending(None, prior.clone(), &[]), None);
        let kept = with_pending(None, prior.clone(), &pending).expect("kept for its role");
        assert_eq!(kept.arn, Value::Null);
        assert_eq!(kept.roles_pending_deletion, pending_attribute(&pending));
        let found = with_pending(Some(prior.clone()), prior, &[]).expect("found");
        assert!(found.roles_pending_deletion.is_null());
    }

    #[test]
    fn import_adopts_only_a_role_tagged_for_this_schedule_that_holds_our_policy() {
        let ours = "us-east-1/default/nightly";
        let import = |role_arn: &str, tag: Option<&str>, policy: Option<&str>| {
            let mut remote = remote();
            remote.spec.role_arn = role_arn.into();
            let base = InvokerState {
                name: Value::Value("nightly".into()),
                group_name: Value::Value("default".into()),
                ..Default::default()
            };
            let s = flatten_schedule(&base, &remote);
            let generated = text(&resolve(s.clone(), &s, &ctx()).policy_json);
            let role = role(role_arn, tag);
            let policy = policy.unwrap_or(&generated).to_string();
            flatten_import(s, Some(&role), Some(&policy), "us-east-1", &ctx())
        };
        let default_arn = "arn:aws:iam::123456789012:role/lambdawire-us-east-1-default-nightly";

        let adopted = import(default_arn, Some(ours), None);
        assert_eq!(adopted.role_managed, Value::Value(true));
        assert!(adopted.existing_role_arn.is_null());
        assert!(
            adopted.role.single().is_none(),
            "the generated name needs no block"
        );

        let named = import("arn:aws:iam::123456789012:role/team/r", Some(ours), None);
        let settings = named.role.single().expect("a name and path of its own");
        assert_eq!(
            (&settings.name, &settings.path),
            (&Value::Value("r".into()), &Value::Value("/team/".into()))
        );
        assert_eq!(named.role_name, Value::Value("r".into()));

        for (tag, policy, why) in [
            (None, None, "no owner tag"),
            (
                Some("eu-west-3/default/nightly"),
                None,
                "another region's schedule",
            ),
            (Some(ours), Some(r#"{"Statement":[]}"#), "another policy"),
        ] {
            let users = import(default_arn, tag, policy);
            assert_eq!(users.role_managed, Value::Value(false), "{why}");
            assert_eq!(
                users.existing_role_arn,
                Value::Value(default_arn.into()),
                "{why}"
            );
        }
    }
}
