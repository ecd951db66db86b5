//! Layer: pure (no I/O). Between `lambdawire_eventbridge_trigger`'s state
//! and EventBridge's and Lambda's vocabulary: the rule's ARN, the grant the
//! state stands for, the rule and target it writes (expand), the state a
//! rule, its target and the stored statement read back as (flatten, keeping
//! the user's spelling), and the state an import id names.

use std::collections::BTreeMap;

use crate::aws::eventbridge::{RemoteRule, RuleSpec, TargetSpec};
use crate::lambda::statement::StoredStatement;
use crate::lambda::statement_id::generated_statement_id;
use crate::plugin::{
    json_equal, known, known_map, opt, prior_if_equivalent, str_value, text, Block, Str, Value,
};
use crate::resources::statement::rules::DEFAULT_ACTION;
use crate::resources::statement::{holds, Grant};
use crate::resources::PlanContext;
use crate::validate::arn;

use super::model::{InputTransformer, RetryPolicy, TriggerState};

/// The bus every account has, and the one a null `event_bus_name` means.
pub const DEFAULT_BUS: &str = "default";

/// Who invokes: EventBridge rules call Lambda as this service principal
/// ("Using resource-based policies for Amazon EventBridge", EventBridge
/// User Guide).
pub const PRINCIPAL: &str = "events.amazonaws.com";

/// Prefix of the grant's generated statement id.
pub const STATEMENT_PREFIX: &str = "lw-events-";

/// EventBridge's retry defaults for a target without a retry policy (24
/// hours, 185 attempts: "Event retry policy and using dead-letter queues",
/// EventBridge User Guide). A retry policy that reads back as exactly these
/// where none was configured is no drift.
const DEFAULT_RETRY: (i32, i32) = (86_400, 185);

fn some(s: &Str) -> Option<String> {
    known(s).map(str::to_string)
}

/// The bus as configured, or `default`.
pub fn bus(s: &TriggerState) -> Str {
    match &s.event_bus_name {
        Value::Null => str_value(DEFAULT_BUS),
        given => given.clone(),
    }
}

/// The bus's name: the configured name, or the name an event bus ARN ends
/// with (`arn:...:event-bus/<name>`).
pub fn bus_name(bus: &str) -> &str {
    match arn::parse(bus) {
        Ok(a) => a.resource.strip_prefix("event-bus/").unwrap_or(a.resource),
        Err(_) => bus,
    }
}

/// The rule's ARN: `rule/<name>` on the default bus, `rule/<bus>/<name>`
/// on another ("Amazon EventBridge resource types", Service Authorization
/// Reference), in the bus ARN's region and account when the bus is named by
/// its ARN, else the provider's. `None` while a part is unknown.
pub fn rule_arn(bus: &str, name: &str, ctx: &PlanContext) -> Option<String> {
    let (partition, region, account) = match arn::parse(bus) {
        Ok(a) => (a.partition.as_str().to_string(), a.region, a.account),
        Err(_) => {
            let (partition, region) = ctx.place()?;
            (partition.to_string(), region, ctx.account_id.as_deref()?)
        }
    };
    let resource = match bus_name(bus) {
        DEFAULT_BUS => format!("rule/{name}"),
        other => format!("rule/{other}/{name}"),
    };
    Some(format!(
        "arn:{partition}:events:{region}:{account}:{resource}"
    ))
}

/// The import id and resource id, `<bus>/<name>`.
pub fn trigger_id(bus: &str, name: &str) -> String {
    format!("{bus}/{name}")
}

/// The resource as messages name it.
pub fn label(s: &TriggerState) -> String {
    format!("EventBridge Trigger ({})", text(&s.id))
}

/// The grant `s` writes: `events.amazonaws.com` may invoke the function,
/// only for this rule (`AWS:SourceArn`) of the rule's account
/// (`AWS:SourceAccount`). Apply time, or once `arn` is known at plan.
pub fn grant(s: &TriggerState) -> Grant {
    let rule = text(&s.arn);
    let account = arn::parse(&rule).ok().map(|a| a.account.to_string());
    let mut g = Grant {
        owner_id: text(&s.id),
        label: label(s),
        function_name: text(&s.function_name),
        qualifier: some(&s.qualifier),
        statement_id: text(&s.statement_id),
        action: DEFAULT_ACTION.to_string(),
        principal: PRINCIPAL.to_string(),
        source_arn: Some(rule),
        source_account: account,
        id_from_content: true,
        ..Grant::default()
    };
    if g.statement_id.is_empty() {
        g.statement_id = statement_id(&g);
    }
    g
}

/// The statement id `g`'s content derives: a create retried after a lost
/// answer or a killed run meets its own statement under it.
pub fn statement_id(g: &Grant) -> String {
    generated_statement_id(STATEMENT_PREFIX, &g.content())
}

/// The rule `s` writes.
pub fn rule_spec(s: &TriggerState) -> RuleSpec {
    RuleSpec {
        name: text(&s.name),
        event_bus_name: text(&bus(s)),
        event_pattern: some(&s.event_pattern),
        schedule_expression: some(&s.schedule_expression),
        enabled: known(&s.state) != Some("DISABLED"),
        description: some(&s.description).filter(|d| !d.is_empty()),
    }
}

fn num(v: &crate::plugin::Num) -> Option<i32> {
    v.as_ref_option().and_then(|n| i32::try_from(*n).ok())
}

/// The target `s` writes.
pub fn target_spec(s: &TriggerState) -> TargetSpec {
    TargetSpec {
        id: text(&s.target_id),
        arn: text(&s.target_arn),
        input: some(&s.input),
        input_path: some(&s.input_path),
        input_transformer: s.input_transformer.single().map(|t| {
            (
                known_map(&t.input_paths).unwrap_or_default(),
                text(&t.input_template),
            )
        }),
        retry_policy: s.retry_policy.single().map(|r| {
            (
                num(&r.maximum_event_age_in_seconds),
                num(&r.maximum_retry_attempts),
            )
        }),
        dead_letter_arn: some(&s.dead_letter_arn),
    }
}

/// Whether the rule AWS holds is the one `s` writes: the event pattern
/// compared as JSON (EventBridge may store it re-spaced).
pub fn same_rule(remote: &RuleSpec, s: &TriggerState) -> bool {
    same_spec(remote, &rule_spec(s))
}

/// Whether `remote` holds `want`: the pattern compared as JSON, the bus
/// left out (one bus is named by name or by ARN).
pub fn same_spec(remote: &RuleSpec, want: &RuleSpec) -> bool {
    let same_pattern = match (&remote.event_pattern, &want.event_pattern) {
        (Some(a), Some(b)) => json_equal(a, b),
        (a, b) => a == b,
    };
    same_pattern
        && remote.name == want.name
        && remote.schedule_expression == want.schedule_expression
        && remote.enabled == want.enabled
        && remote.description == want.description
}

/// The rule read back into the state, keeping the user's JSON spelling.
pub fn flatten_rule(prior: &TriggerState, remote: &RemoteRule) -> TriggerState {
    let mut s = prior.clone();
    let r = &remote.spec;
    s.event_pattern =
        prior_if_equivalent(&prior.event_pattern, r.event_pattern.clone(), json_equal);
    s.schedule_expression = opt(r.schedule_expression.clone());
    s.state = str_value(if r.enabled { "ENABLED" } else { "DISABLED" });
    // Null and "" both mean no description.
    if !(r.description.is_none() && known(&prior.description).is_none_or(str::is_empty)) {
        s.description = opt(r.description.clone());
    }
    if !remote.arn.is_empty() {
        s.arn = str_value(&remote.arn);
    }
    s
}

/// The target read back into the state (`None`: the rule no longer has
/// it, so `target_arn` is null and the plan writes it again).
pub fn flatten_target(prior: &TriggerState, remote: Option<&TargetSpec>) -> TriggerState {
    let mut s = prior.clone();
    let Some(t) = remote else {
        s.target_arn = Value::Null;
        return s;
    };
    s.target_arn = str_value(&t.arn);
    s.input = prior_if_equivalent(&prior.input, t.input.clone(), json_equal);
    s.input_path = opt(t.input_path.clone());
    s.input_transformer = Block::of(t.input_transformer.as_ref().map(|(paths, template)| {
        let prior_paths = prior.input_transformer.single().map(|p| &p.input_paths);
        let remote_paths = (!paths.is_empty()).then(|| {
            paths
                .iter()
                .map(|(k, v)| (k.clone(), str_value(v)))
                .collect::<BTreeMap<_, _>>()
        });
        let input_paths = match (prior_paths, remote_paths) {
            // An empty map and none are one thing to EventBridge.
            (Some(p), None) if known_map(p).is_some_and(|m| m.is_empty()) => p.clone(),
            (_, Some(m)) => Value::Value(m),
            (_, None) => Value::Null,
        };
        let prior_template = prior
            .input_transformer
            .single()
            .map_or(Value::Null, |p| p.input_template.clone());
        InputTransformer {
            input_paths,
            input_template: prior_if_equivalent(&prior_template, Some(template.clone()), |a, b| {
                a == b
            }),
        }
    }));
    s.retry_policy = match t.retry_policy {
        None => Block::default(),
        Some((Some(age), Some(attempts)))
            if prior.retry_policy.single().is_none() && (age, attempts) == DEFAULT_RETRY =>
        {
            Block::default()
        }
        Some((age, attempts)) => Block::of(Some(RetryPolicy {
            maximum_event_age_in_seconds: age.map_or(Value::Null, |a| Value::Value(i64::from(a))),
            maximum_retry_attempts: attempts.map_or(Value::Null, |a| Value::Value(i64::from(a))),
        })),
    };
    s.dead_letter_arn = opt(t.dead_letter_arn.clone());
    s
}

/// The stored statement read back into `statement_json`: the text the plan
/// showed while the statement is exactly the grant, Lambda's text when it
/// differs (drift the next plan repairs), null when it is gone.
pub fn flatten_statement(prior: &TriggerState, stored: Option<&StoredStatement>) -> Str {
    match stored {
        None => Value::Null,
        Some(st) if st.sid == text(&prior.statement_id) && holds(st, &grant(prior)) => {
            match &prior.statement_json {
                Value::Value(_) => prior.statement_json.clone(),
                _ => str_value(&st.json),
            }
        }
        Some(st) => str_value(&st.json),
    }
}

/// `<bus>/<name>`, or `<name>` alone for the default bus, as (bus, name).
/// The bus may be an ARN, which holds a `/` of its own: the name is what
/// follows the last one.
pub fn parse_import_id(id: &str) -> Result<(String, String), String> {
    let usage = "the import id is <event_bus_name>/<rule name>, or <rule name> for a rule of the default bus";
    let (bus, name) = id.rsplit_once('/').unwrap_or((DEFAULT_BUS, id));
    if bus.is_empty() || name.is_empty() {
        return Err(format!("invalid import id {id:?}: {usage}"));
    }
    crate::validate::names::event_rule_name(name)
        .map_err(|why| format!("invalid import id {id:?}: {why}; {usage}"))?;
    Ok((bus.to_string(), name.to_string()))
}

/// The state of an imported rule and its Lambda target: the function named
/// by the target's ARN (a qualified one split into `qualifier`).
pub fn import_state(
    bus: &str,
    remote: &RemoteRule,
    target: &TargetSpec,
    function_name: String,
    qualifier: Option<String>,
) -> TriggerState {
    let base = TriggerState {
        id: str_value(&trigger_id(bus, &remote.spec.name)),
        name: str_value(&remote.spec.name),
        event_bus_name: str_value(bus),
        function_name: str_value(&function_name),
        qualifier: opt(qualifier),
        target_id: str_value(&target.id),
        arn: str_value(&remote.arn),
        ..TriggerState::default()
    };
    let with_rule = flatten_rule(&base, remote);
    let mut s = flatten_target(&with_rule, Some(target));
    s.statement_id = str_value(&grant(&s).statement_id);
    s
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::resources::testing::ctx;

    #[test]
    fn the_rule_arn_has_the_bus_in_it_on_a_custom_bus() {
        let c = ctx();
        assert_eq!(
            rule_arn("default", "nightly", &c).as_deref(),
            Some("arn:aws:events:us-east-1:123456789012:rule/nightly")
        );
        assert_eq!(
            rule_arn("orders", "paid", &c).as_deref(),
            Some("arn:aws:events:us-east-1:123456789012:rule/orders/paid")
        );
        assert_eq!(
            rule_arn(
                "arn:aws:events:eu-west-1:210987654321:event-bus/orders",
                "paid",
                &c
            )
            .as_deref(),
            Some("arn:aws:events:eu-west-1:210987654321:rule/orders/paid")
        );
        assert_eq!(rule_arn("orders", "paid", &PlanContext::default()), None);
    }

    #[test]
    fn import_ids() {
        assert_eq!(
            parse_import_id("orders/paid"),
            Ok(("orders".into(), "paid".into()))
        );
        assert_eq!(
            parse_import_id("nightly"),
            Ok(("default".into(), "nightly".into()))
        );
        assert_eq!(
            parse_import_id("arn:aws:events:us-east-1:123456789012:event-bus/orders/paid"),
            Ok((
                "arn:aws:events:us-east-1:123456789012:event-bus/orders".into(),
                "paid".into()
            ))
        );
        assert!(parse_import_id("orders/").is_err());
        assert!(parse_import_id("/paid").is_err());
        assert!(parse_import_id("bad name").is_err());
    }

    fn state() -> TriggerState {
        TriggerState {
            id: str_value("default/nightly"),
            name: str_value("nightly"),
            function_name: str_value("processor"),
            arn: str_value("arn:aws:events:us-east-1:123456789012:rule/nightly"),
            target_id: str_value("t"),
            target_arn: str_value("arn:aws:lambda:us-east-1:123456789012:function:processor"),
            ..TriggerState::default()
        }
    }

    #[test]
    fn the_grant_is_scoped_to_the_rule_and_its_account_with_an_id_from_its_content() {
        let g = grant(&state());
        assert_eq!(g.principal, "events.amazonaws.com");
        assert_eq!(
            g.source_arn.as_deref(),
            Some("arn:aws:events:us-east-1:123456789012:rule/nightly")
        );
        assert_eq!(g.source_account.as_deref(), Some("123456789012"));
        assert!(
            g.statement_id.starts_with(STATEMENT_PREFIX),
            "{}",
            g.statement_id
        );
        assert!(g.id_from_content);
        let other = TriggerState {
            arn: str_value("arn:aws:events:us-east-1:123456789012:rule/other"),
            ..state()
        };
        assert_ne!(grant(&other).statement_id, g.statement_id);
        let by_arn = TriggerState {
            function_name: str_value("arn:aws:lambda:us-east-1:123456789012:function:processor"),
            ..state()
        };
        assert_eq!(
            grant(&by_arn).statement_id,
            g.statement_id,
            "one function, two spellings: one statement"
        );
    }

    #[test]
    fn retry_defaults_read_back_where_none_was_set_are_no_drift() {
        let remote = TargetSpec {
            id: "t".into(),
            arn: text(&state().target_arn),
            retry_policy: Some((Some(86_400), Some(185))),
            ..TargetSpec::default()
        };
        assert_eq!(flatten_target(&state(), Some(&remote)), state());
        let changed = TargetSpec {
            retry_policy: Some((Some(600), Some(185))),
            ..remote.clone()
        };
        assert_ne!(flatten_target(&state(), Some(&changed)), state());
        let gone = flatten_target(&state(), None);
        assert!(gone.target_arn.is_null());
    }

    #[test]
    fn a_pattern_re_spaced_by_eventbridge_is_no_drift() {
        let s = TriggerState {
            event_pattern: str_value(r#"{"source":["a"]}"#),
            state: str_value("ENABLED"),
            ..state()
        };
        let remote = RemoteRule {
            arn: text(&s.arn),
            spec: RuleSpec {
                name: "nightly".into(),
                event_bus_name: "default".into(),
                event_pattern: Some(r#"{"source": ["a"]}"#.into()),
                schedule_expression: None,
                enabled: true,
                description: None,
            },
        };
        assert!(same_rule(&remote.spec, &s));
        assert_eq!(flatten_rule(&s, &remote), s);
        let disabled = RemoteRule {
            spec: RuleSpec {
                enabled: false,
                ..remote.spec.clone()
            },
            ..remote
        };
        assert_eq!(flatten_rule(&s, &disabled).state, str_value("DISABLED"));
    }
}
