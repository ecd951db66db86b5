//! Plan logic of `lambdawire_eventbridge_trigger`: pure. Defaults, the
//! rule's ARN, the grant's statement id and text, the target's id and ARN,
//! all known at plan as soon as what they derive from is, and what forces
//! replacement.

use crate::plugin::{known, str_value, AttributePath, Str, Value};
use crate::resources::statement::planned_json;
use crate::resources::statement::rules::{statement_resource, target_replacement};
use crate::resources::PlanContext;

use super::flex::{bus, grant, rule_arn, trigger_id};
use super::model::TriggerState;

fn or_default(configured: &Str, default: &str) -> Str {
    match configured {
        Value::Null => str_value(default),
        given => given.clone(),
    }
}

/// Every computed value that can be known from `s`'s configuration and the
/// provider's facts; unknown where it cannot yet.
fn resolve(mut s: TriggerState, config: &TriggerState, ctx: &PlanContext) -> TriggerState {
    s.event_bus_name = bus(config);
    s.state = or_default(&config.state, "ENABLED");
    let (name, bus) = (known(&s.name), known(&s.event_bus_name));
    s.id = match (bus, name) {
        (Some(b), Some(n)) => str_value(&trigger_id(b, n)),
        _ => Value::Unknown,
    };
    s.arn = match (bus, name) {
        (Some(b), Some(n)) => rule_arn(b, n, ctx).map_or(Value::Unknown, Value::Value),
        _ => Value::Unknown,
    };
    let function = match (known(&s.function_name), &s.qualifier) {
        (Some(f), q) if !q.is_unknown() => Some((f, known(q))),
        _ => None,
    };
    s.target_arn = function
        .and_then(|(f, q)| statement_resource(f, q, ctx))
        .map_or(Value::Unknown, Value::Value);
    let whole = function.is_some() && s.arn.is_value() && s.target_arn.is_value();
    let g = whole.then(|| {
        grant(&TriggerState {
            statement_id: Value::Null,
            ..s.clone()
        })
    });
    s.statement_id = g
        .as_ref()
        .map_or(Value::Unknown, |g| str_value(&g.statement_id));
    s.statement_json = g
        .as_ref()
        .and_then(|g| planned_json(g, ctx))
        .map_or(Value::Unknown, Value::Value);
    s.target_id = match &config.target_id {
        Value::Null => s.statement_id.clone(),
        given => given.clone(),
    };
    s
}

/// The planned state of a create.
pub fn plan_create(
    proposed: TriggerState,
    config: &TriggerState,
    ctx: &PlanContext,
) -> TriggerState {
    resolve(proposed, config, ctx)
}

/// The planned state of an update and the attributes that force
/// replacement: the rule's name or bus, another function or qualifier
/// (not another spelling of the same one), another target id.
pub fn plan_update(
    prior: &TriggerState,
    proposed: TriggerState,
    config: &TriggerState,
    ctx: &PlanContext,
) -> (TriggerState, Vec<AttributePath>) {
    let mut s = resolve(proposed, config, ctx);
    let mut replace = Vec::new();
    if s.name != prior.name {
        replace.push(AttributePath::new("name"));
    }
    if s.event_bus_name != prior.event_bus_name {
        replace.push(AttributePath::new("event_bus_name"));
    }
    let target = target_replacement(
        (&prior.function_name, &prior.qualifier),
        (&config.function_name, &config.qualifier),
        ctx,
    );
    if target.is_empty() {
        // Another spelling of the same function: the same grant and
        // target, so the values recorded stand.
        for (planned, recorded) in [
            (&mut s.target_arn, &prior.target_arn),
            (&mut s.statement_id, &prior.statement_id),
        ] {
            if recorded.is_value() && planned.is_unknown() {
                *planned = recorded.clone();
            }
        }
    }
    replace.extend(target);
    if config.target_id.is_null() && replace.is_empty() && prior.target_id.is_value() {
        // A generated id stays what it was: a target id only changes by
        // replacement.
        s.target_id = prior.target_id.clone();
    }
    if s.target_id != prior.target_id {
        replace.push(AttributePath::new("target_id"));
    }
    (s, replace)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::resources::testing::ctx;

    fn config() -> TriggerState {
        TriggerState {
            name: str_value("paid"),
            event_bus_name: str_value("orders"),
            event_pattern: str_value(r#"{"source":["shop"]}"#),
            function_name: str_value("processor"),
            ..TriggerState::default()
        }
    }

    #[test]
    fn a_create_plans_the_grant_and_the_target_in_full() {
        let c = config();
        let s = plan_create(c.clone(), &c, &ctx());
        assert_eq!(s.id, str_value("orders/paid"));
        assert_eq!(s.state, str_value("ENABLED"));
        assert_eq!(
            s.arn,
            str_value("arn:aws:events:us-east-1:123456789012:rule/orders/paid")
        );
        assert_eq!(
            s.target_arn,
            str_value("arn:aws:lambda:us-east-1:123456789012:function:processor")
        );
        let sid = known(&s.statement_id)
            .expect("statement id at plan")
            .to_string();
        assert!(sid.starts_with("lw-events-"), "{sid}");
        assert_eq!(s.target_id, s.statement_id);
        let json: serde_json::Value =
            serde_json::from_str(known(&s.statement_json).expect("statement at plan"))
                .expect("JSON");
        assert_eq!(json["Sid"], sid.as_str());
        assert_eq!(json["Principal"]["Service"], "events.amazonaws.com");
        assert_eq!(
            json["Condition"]["ArnLike"]["AWS:SourceArn"],
            "arn:aws:events:us-east-1:123456789012:rule/orders/paid"
        );
        assert_eq!(
            json["Condition"]["StringEquals"]["AWS:SourceAccount"],
            "123456789012"
        );
    }

    /// The grant means what the data source's findings read as scoped to
    /// its source (SPEC, "Grants: one meaning"): no finding at all.
    #[test]
    fn the_grant_is_no_finding_of_the_policy_audit() {
        let c = config();
        let s = plan_create(c.clone(), &c, &ctx());
        let text = known(&s.statement_json).expect("statement at plan");
        let stored = crate::lambda::statement::parse_statement(text).expect("a statement");
        assert_eq!(crate::lambda::findings::findings(&[stored], 0), []);
    }

    #[test]
    fn unknown_parts_leave_what_derives_from_them_unknown() {
        let c = TriggerState {
            function_name: Value::Unknown,
            ..config()
        };
        let s = plan_create(c.clone(), &c, &ctx());
        assert!(s.statement_id.is_unknown() && s.statement_json.is_unknown());
        assert!(s.target_id.is_unknown() && s.target_arn.is_unknown());
        assert!(s.arn.is_value());
        let none = plan_create(config(), &config(), &PlanContext::default());
        assert!(none.arn.is_unknown() && none.statement_id.is_unknown());
    }

    #[test]
    fn only_the_rule_the_function_and_the_target_id_replace() {
        let c = config();
        let prior = plan_create(c.clone(), &c, &ctx());
        let changed = TriggerState {
            event_pattern: str_value(r#"{"source":["other"]}"#),
            state: str_value("DISABLED"),
            input: str_value("{}"),
            ..prior.clone()
        };
        let (s, replace) = plan_update(&prior, changed.clone(), &changed, &ctx());
        assert!(replace.is_empty(), "{replace:?}");
        assert_eq!(s.statement_id, prior.statement_id);
        let by_arn = TriggerState {
            function_name: str_value("arn:aws:lambda:us-east-1:123456789012:function:processor"),
            ..prior.clone()
        };
        let (_, replace) = plan_update(&prior, by_arn.clone(), &by_arn, &ctx());
        assert!(replace.is_empty(), "another spelling: {replace:?}");
        for (changed, path) in [
            (
                TriggerState {
                    name: str_value("other"),
                    ..prior.clone()
                },
                "name",
            ),
            (
                TriggerState {
                    event_bus_name: str_value("default"),
                    ..prior.clone()
                },
                "event_bus_name",
            ),
            (
                TriggerState {
                    function_name: str_value("other"),
                    ..prior.clone()
                },
                "function_name",
            ),
            (
                TriggerState {
                    target_id: str_value("mine"),
                    ..prior.clone()
                },
                "target_id",
            ),
        ] {
            let (_, replace) = plan_update(&prior, changed.clone(), &changed, &ctx());
            let paths: Vec<String> = replace.iter().map(ToString::to_string).collect();
            assert!(paths.contains(&path.to_string()), "{path}: {paths:?}");
        }
    }
}
