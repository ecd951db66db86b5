//! `lambdawire_eventbridge_trigger` through real terraform and moto, the
//! rule, its target and the grant checked on the AWS side with the SDK.

use aws_sdk_eventbridge::types::RuleState;

use crate::support::hcl::{self, Block};
use crate::support::{json, plan_line, words, Aws, Harness, ACCOUNT};

const ADDRESS: &str = "lambdawire_eventbridge_trigger.this";
const DLQ: &str = "arn:aws:sqs:us-east-1:123456789012:trigger-dlq";

fn on_bus(bus: &str) -> Block {
    hcl::eventbridge_trigger("orders-paid", "processor").str("event_bus_name", bus)
}

fn text(state: &serde_json::Value, attribute: &str) -> String {
    state[attribute]
        .as_str()
        .unwrap_or_else(|| panic!("{attribute} in {state}"))
        .to_string()
}

/// The grant: events.amazonaws.com may invoke `function` for exactly the
/// rule `rule_arn` of this account.
async fn assert_grant(aws: &Aws, function: &str, sid: &str, rule_arn: &str) {
    let stored = aws
        .statement(function, sid)
        .await
        .unwrap_or_else(|| panic!("statement {sid} in the policy of {function}"));
    assert_eq!(stored["Principal"]["Service"], "events.amazonaws.com");
    assert_eq!(stored["Action"], "lambda:InvokeFunction");
    assert_eq!(stored["Condition"]["ArnLike"]["AWS:SourceArn"], rule_arn);
    assert_eq!(
        stored["Condition"]["StringEquals"]["AWS:SourceAccount"],
        ACCOUNT
    );
}

/// Nothing of the trigger is left: no rule on `bus`, no statement.
async fn assert_gone(aws: &Aws, bus: &str) {
    assert!(aws.rule_names(bus).await.is_empty(), "rules left on {bus}");
    assert_eq!(aws.statement_count("processor").await, 0, "statements left");
}

/// Create on a custom bus (the grant scoped to `rule/<bus>/<name>`, shown
/// in full in the plan), update every in-place setting, back to the
/// defaults, destroy.
#[tokio::test(flavor = "multi_thread")]
async fn eventbridge_trigger_basic() {
    let h = Harness::new();
    let (aws, work) = (&h.aws, &h.work);
    let function_arn = aws.create_function("processor").await;
    aws.create_event_bus("orders").await;
    work.write(on_bus("orders"));

    let rule_arn = format!("arn:aws:events:us-east-1:{ACCOUNT}:rule/orders/orders-paid");
    let plan = work.plan_text().ok();
    let sid_line = plan_line(&plan.stdout, "statement_id").expect("statement_id planned");
    assert!(sid_line.contains("\"lw-events-"), "{sid_line}");
    assert!(
        plan.stdout.contains(&rule_arn) && plan.stdout.contains("events.amazonaws.com"),
        "the grant is in the plan:\n{}",
        plan.stdout
    );

    work.apply().ok();
    let state = work.resource(ADDRESS);
    assert_eq!(text(&state, "id"), "orders/orders-paid");
    assert_eq!(text(&state, "arn"), rule_arn);
    assert_eq!(text(&state, "target_arn"), function_arn);
    let sid = text(&state, "statement_id");
    assert_eq!(
        text(&state, "target_id"),
        sid,
        "the target id defaults to it"
    );
    let rule = aws.rule("orders", "orders-paid").await.expect("rule");
    assert_eq!(rule.arn(), Some(rule_arn.as_str()));
    assert_eq!(rule.state(), Some(&RuleState::Enabled));
    assert_eq!(
        json(rule.event_pattern().expect("pattern")),
        serde_json::json!({"source": ["shop"]})
    );
    let targets = aws.targets("orders", "orders-paid").await;
    assert_eq!(targets.len(), 1);
    assert_eq!(targets[0].id(), sid);
    assert_eq!(targets[0].arn(), function_arn);
    assert!(targets[0].input().is_none() && targets[0].retry_policy().is_none());
    assert_grant(aws, "processor", &sid, &rule_arn).await;
    assert_eq!(
        json(&text(&state, "statement_json")),
        aws.statement("processor", &sid).await.expect("statement"),
        "statement_json is the statement as Lambda stores it"
    );
    work.assert_no_changes();

    let updated = on_bus("orders")
        .expr(
            "event_pattern",
            r#"jsonencode({ source = ["shop"], detail-type = ["paid"] })"#,
        )
        .str("state", "DISABLED")
        .str("description", "paid orders")
        .expr("input", r#"jsonencode({ kind = "paid" })"#)
        .block("retry_policy", |b| {
            b.expr("maximum_event_age_in_seconds", "600")
                .expr("maximum_retry_attempts", "3")
        })
        .str("dead_letter_arn", DLQ);
    work.write(&updated);
    let plan = work.plan();
    assert_eq!(plan.code, 2, "{}", plan.text());
    assert!(
        plan.stdout.contains("0 to add, 1 to change, 0 to destroy"),
        "updates in place:\n{}",
        plan.stdout
    );
    work.apply().ok();
    let rule = aws.rule("orders", "orders-paid").await.expect("rule");
    assert_eq!(rule.state(), Some(&RuleState::Disabled));
    assert_eq!(rule.description(), Some("paid orders"));
    assert_eq!(
        json(rule.event_pattern().expect("pattern")),
        serde_json::json!({"source": ["shop"], "detail-type": ["paid"]})
    );
    let targets = aws.targets("orders", "orders-paid").await;
    assert_eq!(targets.len(), 1, "the same target, rewritten");
    assert_eq!(
        json(targets[0].input().expect("input")),
        serde_json::json!({"kind": "paid"})
    );
    let retry = targets[0].retry_policy().expect("retry policy");
    assert_eq!(
        (
            retry.maximum_event_age_in_seconds(),
            retry.maximum_retry_attempts()
        ),
        (Some(600), Some(3))
    );
    assert_eq!(
        targets[0].dead_letter_config().and_then(|d| d.arn()),
        Some(DLQ)
    );
    assert_eq!(aws.statement_count("processor").await, 1, "one grant");
    work.assert_no_changes();

    // An input transformer instead of the constant input.
    let transformed = on_bus("orders").block("input_transformer", |b| {
        b.expr("input_paths", r#"{ kind = "$.detail-type" }"#)
            .str("input_template", r#"{\"kind\": <kind>}"#)
    });
    work.write(&transformed);
    work.apply().ok();
    let targets = aws.targets("orders", "orders-paid").await;
    let t = targets[0].input_transformer().expect("input transformer");
    assert_eq!(t.input_template(), r#"{"kind": <kind>}"#);
    assert!(targets[0].input().is_none(), "the constant input is gone");
    work.assert_no_changes();

    // Back to the defaults: every removal reaches EventBridge.
    work.write(on_bus("orders"));
    work.apply().ok();
    let rule = aws.rule("orders", "orders-paid").await.expect("rule");
    assert_eq!(rule.state(), Some(&RuleState::Enabled));
    assert!(rule.description().is_none_or(str::is_empty));
    let targets = aws.targets("orders", "orders-paid").await;
    assert!(targets[0].input_transformer().is_none() && targets[0].retry_policy().is_none());
    assert!(targets[0].dead_letter_config().is_none());
    work.assert_no_changes();

    work.destroy().ok();
    assert_gone(aws, "orders").await;
}

/// Each part removed or changed out of band shows in the next plan and is
/// repaired: the rule disabled, the target removed, the grant removed, the
/// rule deleted (repaired in place while its grant is left), the rule and
/// the grant deleted (planned anew).
#[tokio::test(flavor = "multi_thread")]
async fn eventbridge_trigger_disappears() {
    let h = Harness::new();
    let (aws, work) = (&h.aws, &h.work);
    aws.create_function("processor").await;
    work.write(hcl::eventbridge_trigger("nightly", "processor"));
    work.apply().ok();
    let state = work.resource(ADDRESS);
    let (sid, rule_arn) = (text(&state, "statement_id"), text(&state, "arn"));
    assert_eq!(
        rule_arn,
        format!("arn:aws:events:us-east-1:{ACCOUNT}:rule/nightly")
    );

    aws.disable_rule("default", "nightly").await;
    let plan = work.plan_text().ok();
    assert!(
        plan.stdout.contains("\"DISABLED\" -> \"ENABLED\""),
        "{}",
        plan.stdout
    );
    work.apply().ok();
    let rule = aws.rule("default", "nightly").await.expect("rule");
    assert_eq!(rule.state(), Some(&RuleState::Enabled));
    work.assert_no_changes();

    aws.remove_target("default", "nightly", &sid).await;
    let plan = work.plan();
    assert_eq!(plan.code, 2, "a removed target is drift:\n{}", plan.text());
    work.apply().ok();
    assert_eq!(aws.targets("default", "nightly").await.len(), 1);
    work.assert_no_changes();

    aws.remove_permission("processor", &sid).await;
    let plan = work.plan();
    assert_eq!(plan.code, 2, "a removed grant is drift:\n{}", plan.text());
    assert!(plan.stdout.contains("1 to change"), "{}", plan.stdout);
    work.apply().ok();
    assert_grant(aws, "processor", &sid, &rule_arn).await;
    work.assert_no_changes();

    // The rule deleted, the grant left: repaired in place.
    aws.delete_rule("default", "nightly").await;
    let plan = work.plan();
    assert_eq!(plan.code, 2, "{}", plan.text());
    assert!(
        plan.stdout.contains("1 to change"),
        "repaired:\n{}",
        plan.stdout
    );
    work.apply().ok();
    assert_eq!(aws.targets("default", "nightly").await.len(), 1);
    assert_grant(aws, "processor", &sid, &rule_arn).await;
    work.assert_no_changes();

    // Both gone: planned anew.
    aws.delete_rule("default", "nightly").await;
    aws.remove_permission("processor", &sid).await;
    let plan = work.plan();
    assert_eq!(plan.code, 2, "{}", plan.text());
    assert!(
        plan.stdout.contains("1 to add"),
        "planned anew:\n{}",
        plan.stdout
    );
    work.apply().ok();
    assert_eq!(aws.targets("default", "nightly").await.len(), 1);
    assert_eq!(aws.statement_count("processor").await, 1, "one grant");
    work.assert_no_changes();

    work.destroy().ok();
    assert_gone(aws, "default").await;
}

/// Another function, and another rule name, replace the trigger: the old
/// rule and grant go, the new ones come.
#[tokio::test(flavor = "multi_thread")]
async fn eventbridge_trigger_replace() {
    let h = Harness::new();
    let (aws, work) = (&h.aws, &h.work);
    aws.create_function("processor").await;
    let other_arn = aws.create_function("auditor").await;
    work.write(hcl::eventbridge_trigger("nightly", "processor"));
    work.apply().ok();

    work.write(hcl::eventbridge_trigger("nightly", "auditor"));
    let plan = work.plan_text().ok();
    assert!(
        plan.stdout.contains("1 to add, 0 to change, 1 to destroy"),
        "{}",
        plan.stdout
    );
    work.apply().ok();
    let state = work.resource(ADDRESS);
    let targets = aws.targets("default", "nightly").await;
    assert_eq!(targets.len(), 1);
    assert_eq!(targets[0].arn(), other_arn);
    assert_eq!(
        aws.statement_count("processor").await,
        0,
        "old grant removed"
    );
    assert_grant(
        aws,
        "auditor",
        &text(&state, "statement_id"),
        &text(&state, "arn"),
    )
    .await;
    work.assert_no_changes();

    work.write(hcl::eventbridge_trigger("hourly", "auditor"));
    work.apply().ok();
    assert_eq!(aws.rule_names("default").await, ["hourly"]);
    assert_eq!(
        aws.statement_count("auditor").await,
        1,
        "one grant, the new rule's"
    );
    work.assert_no_changes();

    work.destroy().ok();
    assert!(aws.rule_names("default").await.is_empty());
    assert_eq!(aws.statement_count("auditor").await, 0);
}

/// Import by `bus/name`, and by the name alone on the default bus, then
/// no change.
#[tokio::test(flavor = "multi_thread")]
async fn eventbridge_trigger_import() {
    let h = Harness::new();
    let (aws, work) = (&h.aws, &h.work);
    let function_arn = aws.create_function("processor").await;
    aws.create_event_bus("orders").await;
    let config = |bus: &str| {
        hcl::eventbridge_trigger("orders-paid", &function_arn)
            .str("event_bus_name", bus)
            .expr("input", r#"jsonencode({ kind = "paid" })"#)
    };
    for (bus, id) in [("orders", "orders/orders-paid"), ("default", "orders-paid")] {
        work.write(config(bus));
        work.apply().ok();
        let before = work.resource(ADDRESS);
        work.state_rm(ADDRESS).ok();
        work.import(ADDRESS, id).ok();
        let after = work.resource(ADDRESS);
        for attribute in [
            "arn",
            "statement_id",
            "target_id",
            "target_arn",
            "statement_json",
        ] {
            assert_eq!(after[attribute], before[attribute], "{bus}: {attribute}");
        }
        work.assert_no_changes();
        work.destroy().ok();
        assert_gone(aws, bus).await;
    }
    let bad = work.import(ADDRESS, "orders/missing");
    assert_ne!(bad.code, 0);
    assert!(
        words(&bad.text()).contains("has no rule missing"),
        "{}",
        bad.text()
    );
}

/// A rule of the chosen name that no state records is refused at plan,
/// naming the import id, and left exactly as it was, even one that holds
/// exactly what this configuration would write (a name and a content are
/// no proof); a custom bus that does not exist is refused on
/// event_bus_name.
#[tokio::test(flavor = "multi_thread")]
async fn eventbridge_trigger_never_takes_over_a_rule() {
    let h = Harness::new();
    let (aws, work) = (&h.aws, &h.work);
    aws.create_function("processor").await;
    aws.put_rule("default", "nightly", "shop").await;
    work.write(hcl::eventbridge_trigger("nightly", "processor"));
    let plan = work.plan();
    assert_ne!(plan.code, 0, "{}", plan.text());
    let said = words(&plan.text());
    assert!(
        said.contains("already exists") && said.contains("import it with the id default/nightly"),
        "{said}"
    );
    let rule = aws.rule("default", "nightly").await.expect("their rule");
    assert_eq!(
        json(rule.event_pattern().expect("pattern")),
        serde_json::json!({"source": ["shop"]}),
        "their rule is unchanged"
    );
    assert!(aws.targets("default", "nightly").await.is_empty());
    assert_eq!(aws.statement_count("processor").await, 0, "nothing granted");

    work.write(on_bus("nowhere"));
    let plan = work.plan();
    assert_ne!(plan.code, 0);
    let said = words(&plan.text());
    assert!(
        said.contains("EventBridge has no event bus nowhere"),
        "{said}"
    );
    assert!(said.contains("event_bus_name"), "{said}");
}

/// A scheduled rule on the default bus invokes the function on its
/// schedule; a schedule change updates it in place.
#[tokio::test(flavor = "multi_thread")]
async fn eventbridge_trigger_schedule() {
    let h = Harness::new();
    let (aws, work) = (&h.aws, &h.work);
    aws.create_function("processor").await;
    let scheduled = |expression: &str| {
        hcl::eventbridge_trigger("tick", "processor")
            .without("event_pattern")
            .str("schedule_expression", expression)
    };
    work.write(scheduled("rate(5 minutes)"));
    work.apply().ok();
    let rule = aws.rule("default", "tick").await.expect("rule");
    assert_eq!(rule.schedule_expression(), Some("rate(5 minutes)"));
    assert!(rule.event_pattern().is_none());
    work.assert_no_changes();

    work.write(scheduled("cron(0 12 * * ? *)"));
    let plan = work.plan_text().ok();
    assert!(plan.stdout.contains("1 to change"), "{}", plan.stdout);
    work.apply().ok();
    let rule = aws.rule("default", "tick").await.expect("rule");
    assert_eq!(rule.schedule_expression(), Some("cron(0 12 * * ? *)"));
    work.assert_no_changes();
    work.destroy().ok();
    assert_gone(aws, "default").await;
}

/// What an interrupted create left (the grant and the rule without its
/// target, and no state) is this resource's own: the next apply takes it,
/// by the grant whose id its content derives, and converges. With its
/// target too, the rule is in use: named with its import id.
#[tokio::test(flavor = "multi_thread")]
async fn eventbridge_trigger_leftover_of_an_interrupted_create() {
    let h = Harness::new();
    let (aws, work) = (&h.aws, &h.work);
    let function = aws.create_function("processor").await;
    // By ARN, the form an import reads from the target.
    work.write(hcl::eventbridge_trigger("nightly", &function));
    work.apply().ok();
    let sid = text(&work.resource(ADDRESS), "statement_id");

    // Killed after PutRule: the grant and the rule, no target, no state.
    work.state_rm(ADDRESS).ok();
    aws.remove_target("default", "nightly", &sid).await;
    work.apply().ok();
    let targets = aws.targets("default", "nightly").await;
    assert_eq!(targets.len(), 1, "the target written");
    assert_eq!(targets[0].id(), sid);
    assert_eq!(aws.statement_count("processor").await, 1, "one grant");
    work.assert_no_changes();

    // Killed after PutTargets: everything but the state. A rule with its
    // target is in use, as another configuration's trigger of the same
    // content would be: refused at plan, naming the import id, which
    // converges.
    work.state_rm(ADDRESS).ok();
    let plan = work.plan();
    assert_ne!(plan.code, 0, "{}", plan.text());
    assert!(
        words(&plan.text()).contains("import it with the id default/nightly"),
        "{}",
        plan.text()
    );
    work.import(ADDRESS, "nightly").ok();
    assert_eq!(aws.targets("default", "nightly").await.len(), 1);
    assert_eq!(aws.statement_count("processor").await, 1);
    work.assert_no_changes();

    work.destroy().ok();
    assert_gone(aws, "default").await;
}

/// Two configurations that choose the same rule name for the same function
/// never share it: the second is refused at plan with the import id, and
/// the first's rule, target and grant are left as they were.
#[tokio::test(flavor = "multi_thread")]
async fn eventbridge_trigger_a_second_configuration_of_the_same_rule_is_refused() {
    let h = Harness::new();
    let aws = &h.aws;
    aws.create_function("processor").await;
    let first = h.workdir();
    first.write(hcl::eventbridge_trigger("nightly", "processor"));
    first.apply().ok();
    let second = h.workdir();
    second.write(hcl::eventbridge_trigger("nightly", "processor").str("description", "second"));
    let run = second.apply();
    assert_ne!(run.code, 0, "{}", run.text());
    assert!(
        words(&run.text()).contains("import it with the id default/nightly"),
        "{}",
        run.text()
    );
    let rule = aws.rule("default", "nightly").await.expect("rule");
    assert!(rule.description().is_none_or(str::is_empty), "unchanged");
    assert_eq!(aws.targets("default", "nightly").await.len(), 1);
    assert_eq!(aws.statement_count("processor").await, 1);
    first.assert_no_changes();
    first.destroy().ok();
    assert_gone(aws, "default").await;
}

/// Our rule and grant deleted out of band, then someone else's rule of the
/// same name with another pattern (ours matches `shop`): the update that would repair ours
/// refuses it, never PutRule over it, and grants it nothing.
#[tokio::test(flavor = "multi_thread")]
async fn eventbridge_trigger_update_never_takes_over_a_foreign_rule() {
    let h = Harness::new();
    let (aws, work) = (&h.aws, &h.work);
    aws.create_function("processor").await;
    work.write(hcl::eventbridge_trigger("nightly", "processor"));
    work.apply().ok();
    let sid = text(&work.resource(ADDRESS), "statement_id");

    // Our target gone, the rule still as we wrote it: ours (private state
    // remembers it through Read), so a changed pattern is written.
    aws.remove_target("default", "nightly", &sid).await;
    let changed = hcl::eventbridge_trigger("nightly", "processor")
        .expr("event_pattern", r#"jsonencode({ source = ["shop.v2"] })"#);
    work.write(changed);
    work.apply().ok();
    let rule = aws.rule("default", "nightly").await.expect("our rule");
    assert_eq!(
        json(rule.event_pattern().expect("pattern")),
        serde_json::json!({"source": ["shop.v2"]})
    );
    assert_eq!(aws.targets("default", "nightly").await.len(), 1);
    work.assert_no_changes();

    aws.delete_rule("default", "nightly").await;
    aws.remove_permission("processor", &sid).await;
    aws.put_rule("default", "nightly", "billing").await;
    let apply = work.apply();
    assert_ne!(apply.code, 0, "{}", apply.text());
    let said = words(&apply.text());
    assert!(
        said.contains("already exists") && said.contains("import it with the id default/nightly"),
        "{said}"
    );
    let rule = aws.rule("default", "nightly").await.expect("their rule");
    assert_eq!(
        json(rule.event_pattern().expect("pattern")),
        serde_json::json!({"source": ["billing"]}),
        "their rule is unchanged"
    );
    assert!(aws.targets("default", "nightly").await.is_empty());
    assert_eq!(aws.statement_count("processor").await, 0, "nothing granted");
}

/// A target someone else added to our rule: destroy removes our target and
/// our grant, keeps the rule with their target, and says so in a warning.
#[tokio::test(flavor = "multi_thread")]
async fn eventbridge_trigger_destroy_keeps_a_rule_someone_else_targets() {
    let h = Harness::new();
    let (aws, work) = (&h.aws, &h.work);
    aws.create_function("processor").await;
    let theirs = aws.create_function("theirs").await;
    work.write(hcl::eventbridge_trigger("nightly", "processor"));
    work.apply().ok();
    aws.put_foreign_target("default", "nightly", "their-target", &theirs)
        .await;

    let destroy = work.destroy().ok();
    let said = words(&destroy.text());
    assert!(said.contains("released, not deleted"), "{said}");
    assert!(said.contains("nightly"), "{said}");
    assert!(aws.rule("default", "nightly").await.is_some(), "rule kept");
    let targets = aws.targets("default", "nightly").await;
    let ids: Vec<&str> = targets.iter().map(|t| t.id()).collect();
    assert_eq!(ids, ["their-target"], "only their target is left");
    assert_eq!(aws.statement_count("processor").await, 0, "our grant gone");
}
