//! The SDK chains the EventBridge trigger's tests check AWS with: rules,
//! their targets and buses, read and changed out of band.

use aws_sdk_eventbridge::types::{RuleState, Target};

use super::Aws;

impl Aws {
    /// The rule `name` on `bus` (DescribeRule), or `None` when it is gone.
    pub async fn rule(
        &self,
        bus: &str,
        name: &str,
    ) -> Option<aws_sdk_eventbridge::operation::describe_rule::DescribeRuleOutput> {
        self.events
            .describe_rule()
            .name(name)
            .event_bus_name(bus)
            .send()
            .await
            .ok()
    }

    /// The names of every rule on `bus`.
    pub async fn rule_names(&self, bus: &str) -> Vec<String> {
        let out = self
            .events
            .list_rules()
            .event_bus_name(bus)
            .send()
            .await
            .unwrap_or_else(|e| panic!("rules of {bus}: {e:?}"));
        out.rules()
            .iter()
            .filter_map(|r| r.name().map(str::to_string))
            .collect()
    }

    /// The targets of the rule; empty when it is gone.
    pub async fn targets(&self, bus: &str, rule: &str) -> Vec<Target> {
        self.events
            .list_targets_by_rule()
            .rule(rule)
            .event_bus_name(bus)
            .send()
            .await
            .map(|out| out.targets().to_vec())
            .unwrap_or_default()
    }

    /// An event bus of that name.
    pub async fn create_event_bus(&self, name: &str) {
        self.events
            .create_event_bus()
            .name(name)
            .send()
            .await
            .unwrap_or_else(|e| panic!("create event bus {name}: {e:?}"));
    }

    /// A rule made out of band, matching `source`, with no target.
    pub async fn put_rule(&self, bus: &str, name: &str, source: &str) {
        self.events
            .put_rule()
            .name(name)
            .event_bus_name(bus)
            .event_pattern(format!(r#"{{"source":["{source}"]}}"#))
            .send()
            .await
            .unwrap_or_else(|e| panic!("put rule {name}: {e:?}"));
    }

    /// Disable the rule out of band, keeping its pattern.
    pub async fn disable_rule(&self, bus: &str, name: &str) {
        self.events
            .disable_rule()
            .name(name)
            .event_bus_name(bus)
            .send()
            .await
            .unwrap_or_else(|e| panic!("disable rule {name}: {e:?}"));
        let rule = self.rule(bus, name).await.expect("rule");
        assert_eq!(rule.state(), Some(&RuleState::Disabled));
    }

    /// Remove the target `id` out of band.
    pub async fn remove_target(&self, bus: &str, rule: &str, id: &str) {
        self.events
            .remove_targets()
            .rule(rule)
            .event_bus_name(bus)
            .ids(id)
            .send()
            .await
            .unwrap_or_else(|e| panic!("remove target {id}: {e:?}"));
    }

    /// A target of someone else's (`arn`, under `id`) added to the rule out
    /// of band.
    pub async fn put_foreign_target(&self, bus: &str, rule: &str, id: &str, arn: &str) {
        let target = Target::builder()
            .id(id)
            .arn(arn)
            .build()
            .unwrap_or_else(|e| panic!("target {id}: {e:?}"));
        let out = self
            .events
            .put_targets()
            .rule(rule)
            .event_bus_name(bus)
            .targets(target)
            .send()
            .await
            .unwrap_or_else(|e| panic!("put target {id}: {e:?}"));
        assert_eq!(out.failed_entry_count(), 0, "put target {id}");
    }

    /// Remove every target, then the rule, out of band.
    pub async fn delete_rule(&self, bus: &str, name: &str) {
        let ids: Vec<String> = self
            .targets(bus, name)
            .await
            .iter()
            .map(|t| t.id().to_string())
            .collect();
        if !ids.is_empty() {
            self.events
                .remove_targets()
                .rule(name)
                .event_bus_name(bus)
                .set_ids(Some(ids))
                .send()
                .await
                .unwrap_or_else(|e| panic!("remove targets of {name}: {e:?}"));
        }
        self.events
            .delete_rule()
            .name(name)
            .event_bus_name(bus)
            .send()
            .await
            .unwrap_or_else(|e| panic!("delete rule {name}: {e:?}"));
    }
}
