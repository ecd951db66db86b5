//! `lambdawire_sns_trigger` through real terraform and the embedded AWS,
//! checked on the AWS side with the SDK: the statement in the function's
//! policy and the topic's subscription of the function.
//!
//! The embedded AWS refuses a Subscribe of an endpoint already subscribed
//! with other attributes, as SNS does (bare moto 5.2 rewrites the existing
//! subscription's attributes instead; EMBEDDED-AWS.md).

use crate::support::fault_proxy::{Fault, Rule};
use crate::support::hcl::{self, Block};
use crate::support::{json, plan_line, words, Aws, Harness, Workdir};

const ADDRESS: &str = "lambdawire_sns_trigger.alerts";
const DLQ: &str = "arn:aws:sqs:us-east-1:123456789012:alerts-dlq";

fn text(state: &serde_json::Value, attribute: &str) -> String {
    state[attribute]
        .as_str()
        .unwrap_or_else(|| panic!("{attribute} in {state}"))
        .to_string()
}

/// The one statement `sid` lets SNS invoke `function` for `topic` only
/// (and, with `account`, only for that account's topic).
async fn assert_grant(aws: &Aws, function: &str, sid: &str, topic: &str, account: Option<&str>) {
    let stmt = aws
        .statement(function, sid)
        .await
        .unwrap_or_else(|| panic!("statement {sid} of {function}"));
    assert_eq!(stmt["Principal"]["Service"], "sns.amazonaws.com", "{stmt}");
    assert_eq!(stmt["Action"], "lambda:InvokeFunction", "{stmt}");
    assert_eq!(
        stmt["Condition"]["ArnLike"]["AWS:SourceArn"], topic,
        "{stmt}"
    );
    match account {
        Some(a) => assert_eq!(stmt["Condition"]["StringEquals"]["AWS:SourceAccount"], a),
        None => assert!(stmt["Condition"].get("StringEquals").is_none(), "{stmt}"),
    }
}

/// The topic's one subscription: `lambda` to `endpoint`; its ARN.
async fn only_subscription(aws: &Aws, topic: &str, endpoint: &str) -> String {
    let subs = aws.subscriptions(topic).await;
    assert_eq!(subs.len(), 1, "{subs:?}");
    assert_eq!(
        (subs[0].1.as_str(), subs[0].2.as_str()),
        ("lambda", endpoint)
    );
    subs[0].0.clone()
}

/// Create with the exact statement shown at plan, read back through the
/// SDK, destroy leaving nothing.
#[tokio::test(flavor = "multi_thread")]
async fn sns_trigger_basic() {
    let h = Harness::new();
    let (aws, work) = (&h.aws, &h.work);
    let function_arn = aws.create_function("processor").await;
    let topic = aws.create_topic("alerts").await;
    work.write(hcl::sns_trigger("processor", &topic));

    let plan = work.plan_text().ok();
    for piece in ["sns.amazonaws.com", "AWS:SourceArn", topic.as_str()] {
        assert!(plan.stdout.contains(piece), "{piece}:\n{}", plan.stdout);
    }
    let sid_line = plan_line(&plan.stdout, "statement_id").expect("statement_id planned");
    assert!(sid_line.contains("\"lw-sns-"), "known at plan: {sid_line}");

    work.apply().ok();
    let state = work.resource(ADDRESS);
    let subscription = only_subscription(aws, &topic, &function_arn).await;
    assert_eq!(text(&state, "subscription_arn"), subscription);
    assert_eq!(text(&state, "id"), subscription);
    let sid = text(&state, "statement_id");
    assert!(sid_line.contains(&sid), "the planned id is the one written");
    assert_grant(aws, "processor", &sid, &topic, None).await;
    let stored = aws.statement("processor", &sid).await.expect("statement");
    assert_eq!(json(&text(&state, "statement_json")), stored);
    assert_eq!(aws.statement_count("processor").await, 1);
    work.assert_no_changes();

    work.destroy().ok();
    assert!(aws.subscriptions(&topic).await.is_empty(), "unsubscribed");
    assert_eq!(aws.statement_count("processor").await, 0, "grant removed");
}

/// Each attribute in place (the scope moving to the message body with a
/// nested policy and back), then every one removed again.
#[tokio::test(flavor = "multi_thread")]
async fn sns_trigger_update() {
    let h = Harness::new();
    let (aws, work) = (&h.aws, &h.work);
    aws.create_function("processor").await;
    let topic = aws.create_topic("alerts").await;
    let base = || hcl::sns_trigger("processor", &topic);
    work.write(base().expr("filter_policy", r#"jsonencode({ kind = ["order"] })"#));
    work.apply().ok();
    let subscription = text(&work.resource(ADDRESS), "subscription_arn");
    let attrs = aws.subscription_attributes(&subscription).await;
    assert_eq!(
        json(&attrs["FilterPolicy"]),
        serde_json::json!({"kind": ["order"]})
    );
    work.assert_no_changes();

    let body: Block = base()
        .expr(
            "filter_policy",
            r#"jsonencode({ order = { kind = ["big"] } })"#,
        )
        .str("filter_policy_scope", "MessageBody")
        .str("redrive_dead_letter_arn", DLQ);
    work.write(body);
    let plan = work.plan();
    assert_eq!(plan.code, 2, "{}", plan.text());
    assert!(
        plan.stdout.contains("0 to add, 1 to change, 0 to destroy"),
        "in place:\n{}",
        plan.stdout
    );
    work.apply().ok();
    let attrs = aws.subscription_attributes(&subscription).await;
    assert_eq!(
        json(&attrs["FilterPolicy"]),
        serde_json::json!({"order": {"kind": ["big"]}})
    );
    assert_eq!(attrs["FilterPolicyScope"], "MessageBody");
    assert_eq!(
        json(&attrs["RedrivePolicy"]),
        serde_json::json!({"deadLetterTargetArn": DLQ})
    );
    assert_eq!(
        text(&work.resource(ADDRESS), "subscription_arn"),
        subscription
    );
    work.assert_no_changes();

    // Back to the attributes scope with a flat policy: the policy is set
    // before the scope, since the nested one is no attributes policy.
    work.write(base().expr("filter_policy", r#"jsonencode({ kind = ["refund"] })"#));
    work.apply().ok();
    let attrs = aws.subscription_attributes(&subscription).await;
    assert_eq!(
        json(&attrs["FilterPolicy"]),
        serde_json::json!({"kind": ["refund"]})
    );
    assert_eq!(attrs["FilterPolicyScope"], "MessageAttributes");
    work.assert_no_changes();

    work.write(base());
    work.apply().ok();
    let attrs = aws.subscription_attributes(&subscription).await;
    assert!(
        attrs.get("FilterPolicy").is_none_or(|p| p.is_empty()),
        "{attrs:?}"
    );
    assert!(
        attrs.get("RedrivePolicy").is_none_or(|p| p.is_empty()),
        "{attrs:?}"
    );
    assert_eq!(aws.subscriptions(&topic).await.len(), 1);
    work.assert_no_changes();
    work.destroy().ok();
    assert!(aws.subscriptions(&topic).await.is_empty());
}

/// Both halves deleted out of band: planned anew. The subscription alone,
/// or the statement alone: repaired in place.
#[tokio::test(flavor = "multi_thread")]
async fn sns_trigger_disappears() {
    let h = Harness::new();
    let (aws, work) = (&h.aws, &h.work);
    let function_arn = aws.create_function("processor").await;
    let topic = aws.create_topic("alerts").await;
    work.write(hcl::sns_trigger("processor", &topic));
    work.apply().ok();
    let state = work.resource(ADDRESS);
    let sid = text(&state, "statement_id");

    aws.unsubscribe(&text(&state, "subscription_arn")).await;
    aws.remove_permission("processor", &sid).await;
    let plan = work.plan();
    assert_eq!(plan.code, 2, "{}", plan.text());
    assert!(
        plan.stdout.contains("1 to add, 0 to change, 0 to destroy"),
        "{}",
        plan.stdout
    );
    work.apply().ok();
    only_subscription(aws, &topic, &function_arn).await;
    assert_grant(aws, "processor", &sid, &topic, None).await;
    work.assert_no_changes();

    let state = work.resource(ADDRESS);
    aws.unsubscribe(&text(&state, "subscription_arn")).await;
    let plan = work.plan();
    assert!(
        plan.stdout.contains("0 to add, 1 to change, 0 to destroy"),
        "{}",
        plan.stdout
    );
    work.apply().ok();
    let again = only_subscription(aws, &topic, &function_arn).await;
    assert_eq!(text(&work.resource(ADDRESS), "subscription_arn"), again);
    work.assert_no_changes();

    aws.remove_permission("processor", &sid).await;
    let plan = work.plan_text().ok();
    assert!(
        plan_line(&plan.stdout, "statement_json").is_some(),
        "{}",
        plan.stdout
    );
    work.apply().ok();
    assert_grant(aws, "processor", &sid, &topic, None).await;
    assert_eq!(aws.statement_count("processor").await, 1);
    work.assert_no_changes();
    work.destroy().ok();
    assert_eq!(aws.statement_count("processor").await, 0);
}

/// A statement changed and a filter policy changed out of band both show
/// in the plan and are put back: the statement with no window of denial.
#[tokio::test(flavor = "multi_thread")]
async fn sns_trigger_drift_is_shown_and_repaired() {
    let h = Harness::new();
    let (aws, work) = (&h.aws, &h.work);
    aws.create_function("processor").await;
    let topic = aws.create_topic("alerts").await;
    let other = aws.create_topic("other").await;
    work.write(
        hcl::sns_trigger("processor", &topic)
            .expr("filter_policy", r#"jsonencode({ kind = ["order"] })"#),
    );
    work.apply().ok();
    let state = work.resource(ADDRESS);
    let (sid, subscription) = (
        text(&state, "statement_id"),
        text(&state, "subscription_arn"),
    );

    // The statement now lets another topic in; the filter lets all kinds.
    aws.remove_permission("processor", &sid).await;
    aws.add_permission("processor", None, &sid, "sns.amazonaws.com", Some(&other))
        .await;
    aws.set_subscription_attribute(&subscription, "FilterPolicy", r#"{"kind":["refund"]}"#)
        .await;
    let plan = work.plan_text().ok();
    for attribute in ["statement_json", "filter_policy"] {
        assert!(
            plan_line(&plan.stdout, attribute).is_some(),
            "{attribute}:\n{}",
            plan.stdout
        );
    }
    assert!(
        plan.stdout.contains("0 to add, 1 to change, 0 to destroy"),
        "{}",
        plan.stdout
    );
    work.apply().ok();
    assert_grant(aws, "processor", &sid, &topic, None).await;
    assert_eq!(
        aws.statement_ids("processor").await,
        std::slice::from_ref(&sid),
        "no temporary left"
    );
    let attrs = aws.subscription_attributes(&subscription).await;
    assert_eq!(
        json(&attrs["FilterPolicy"]),
        serde_json::json!({"kind": ["order"]})
    );
    work.assert_no_changes();
}

/// Another topic, function or qualifier replaces the trigger: the old
/// subscription and statement go, the new ones come.
#[tokio::test(flavor = "multi_thread")]
async fn sns_trigger_replace() {
    let h = Harness::new();
    let (aws, work) = (&h.aws, &h.work);
    let processor = aws.create_function("processor").await;
    let billing = aws.create_function("billing").await;
    let topic = aws.create_topic("alerts").await;
    let other = aws.create_topic("other").await;
    work.write(hcl::sns_trigger("processor", &topic));
    work.apply().ok();
    let first_sid = text(&work.resource(ADDRESS), "statement_id");

    work.write(hcl::sns_trigger("processor", &other));
    let plan = work.plan();
    assert!(
        plan.stdout.contains("1 to add, 0 to change, 1 to destroy"),
        "{}",
        plan.stdout
    );
    work.apply().ok();
    assert!(aws.subscriptions(&topic).await.is_empty());
    only_subscription(aws, &other, &processor).await;
    let sid = text(&work.resource(ADDRESS), "statement_id");
    assert_ne!(sid, first_sid, "another topic, another statement");
    assert_eq!(
        aws.statement_ids("processor").await,
        std::slice::from_ref(&sid)
    );
    assert_grant(aws, "processor", &sid, &other, None).await;
    work.assert_no_changes();

    work.write(hcl::sns_trigger("billing", &other));
    work.apply().ok();
    only_subscription(aws, &other, &billing).await;
    assert_eq!(aws.statement_count("processor").await, 0);
    assert_eq!(aws.statement_count("billing").await, 1);
    work.assert_no_changes();

    // Another spelling of the same function changes nothing in AWS.
    let sid = text(&work.resource(ADDRESS), "statement_id");
    work.write(hcl::sns_trigger(&billing, &other));
    let plan = work.plan();
    assert!(
        plan.stdout.contains("0 to add, 1 to change, 0 to destroy"),
        "{}",
        plan.stdout
    );
    work.apply().ok();
    assert_eq!(text(&work.resource(ADDRESS), "statement_id"), sid);
    work.assert_no_changes();
    work.destroy().ok();
    assert!(aws.subscriptions(&other).await.is_empty());
    assert_eq!(aws.statement_count("billing").await, 0);
}

/// Import by the subscription's ARN finds the statement by its content's
/// id; the next plan is empty.
#[tokio::test(flavor = "multi_thread")]
async fn sns_trigger_import() {
    let h = Harness::new();
    let (aws, work) = (&h.aws, &h.work);
    aws.create_function("processor").await;
    let topic = aws.create_topic("alerts").await;
    let config = hcl::sns_trigger("processor", &topic)
        .expr("filter_policy", r#"jsonencode({ kind = ["order"] })"#)
        .str("redrive_dead_letter_arn", DLQ);
    work.write(config);
    work.apply().ok();
    let before = work.resource(ADDRESS);
    let subscription = text(&before, "subscription_arn");
    work.state_rm(ADDRESS).ok();

    let missing = work.import(
        ADDRESS,
        &format!("{topic}:00000000-0000-0000-0000-000000000000"),
    );
    assert_ne!(missing.code, 0);
    assert!(
        missing.text().contains("no subscription"),
        "{}",
        missing.text()
    );
    let malformed = work.import(ADDRESS, &topic);
    assert_ne!(malformed.code, 0);
    assert!(
        words(&malformed.text()).contains("subscription ARN"),
        "{}",
        malformed.text()
    );

    work.import(ADDRESS, &subscription).ok();
    let after = work.resource(ADDRESS);
    for attribute in [
        "function_name",
        "topic_arn",
        "statement_id",
        "statement_json",
        "redrive_dead_letter_arn",
    ] {
        assert_eq!(after[attribute], before[attribute], "{attribute}");
    }
    work.assert_no_changes();
    work.destroy().ok();
    assert!(aws.subscriptions(&topic).await.is_empty());
    assert_eq!(aws.statement_count("processor").await, 0);
}

/// A subscription of the function made elsewhere is never taken over:
/// the plan names it with its import id, and nothing is written.
#[tokio::test(flavor = "multi_thread")]
async fn sns_trigger_a_subscription_no_state_records_is_refused_with_its_import_id() {
    let h = Harness::new();
    let (aws, work) = (&h.aws, &h.work);
    let function_arn = aws.create_function("processor").await;
    let topic = aws.create_topic("alerts").await;
    let theirs = aws.subscribe_function(&topic, &function_arn).await;
    work.write(hcl::sns_trigger("processor", &topic));
    let plan = work.plan();
    assert_eq!(plan.code, 1, "{}", plan.text());
    let output = words(&plan.text());
    assert!(
        output.contains("already exists and no Terraform state records it"),
        "{output}"
    );
    assert!(output.contains(&theirs), "the import id: {output}");
    assert_eq!(aws.statement_count("processor").await, 0, "nothing written");
    assert_eq!(aws.subscriptions(&topic).await.len(), 1);
}

/// What the plan can see: a topic that does not exist, or of another
/// region, and a function that does not exist. (A topic of another
/// account, which adds `AWS:SourceAccount`, is checked by the unit tests:
/// moto keeps one account per server.)
#[tokio::test(flavor = "multi_thread")]
async fn sns_trigger_plan_checks() {
    let h = Harness::new();
    let (aws, work) = (&h.aws, &h.work);
    aws.create_function("processor").await;
    let topic = aws.create_topic("alerts").await;
    let cases = [
        (
            hcl::sns_trigger("processor", "arn:aws:sns:us-east-1:123456789012:nope"),
            "SNS has no topic",
        ),
        (
            hcl::sns_trigger("processor", "arn:aws:sns:eu-west-1:123456789012:alerts"),
            "topic outside the provider's region",
        ),
        (
            hcl::sns_trigger("nobody", &topic),
            "Lambda has no function nobody",
        ),
    ];
    for (config, expected) in cases {
        work.write(config);
        let plan = work.plan();
        assert_eq!(plan.code, 1, "{}", plan.text());
        assert!(
            words(&plan.text()).contains(expected),
            "{expected}: {}",
            plan.text()
        );
    }
    assert_eq!(aws.statement_count("processor").await, 0);
}

/// Write `arn` as the trigger's `subscription_arn` (and `id`) in the state
/// file, as a hand edit would.
fn edit_subscription_arn(work: &Workdir, arn: &str) {
    let path = work.path().join("terraform.tfstate");
    let mut state = json(&std::fs::read_to_string(&path).expect("state file"));
    let resources = state["resources"].as_array_mut().expect("resources");
    let trigger = resources
        .iter_mut()
        .find(|r| r["type"] == "lambdawire_sns_trigger")
        .expect("the trigger in state");
    let attributes = &mut trigger["instances"][0]["attributes"];
    attributes["subscription_arn"] = serde_json::json!(arn);
    attributes["id"] = serde_json::json!(arn);
    state["serial"] = serde_json::json!(state["serial"].as_i64().unwrap_or(0) + 1);
    std::fs::write(&path, serde_json::to_string_pretty(&state).expect("JSON"))
        .expect("write state");
}

/// A state whose `subscription_arn` was edited to name someone else's
/// subscription (another function's, on the same topic): refresh reads it
/// as this trigger's missing subscription, never as its own, and a
/// destroy that trusts the state (`-refresh=false`) leaves it, with a
/// warning that names it.
#[tokio::test(flavor = "multi_thread")]
async fn sns_trigger_an_edited_subscription_arn_is_never_rewritten_nor_unsubscribed() {
    let h = Harness::new();
    let (aws, work) = (&h.aws, &h.work);
    aws.create_function("processor").await;
    let other_arn = aws.create_function("other").await;
    let topic = aws.create_topic("alerts").await;
    work.write(hcl::sns_trigger("processor", &topic));
    work.apply().ok();
    let ours = text(&work.resource(ADDRESS), "subscription_arn");
    let theirs = aws.subscribe_function(&topic, &other_arn).await;
    let before = aws.subscription_attributes(&theirs).await;

    edit_subscription_arn(work, &theirs);
    let plan = work.plan();
    assert_eq!(plan.code, 2, "{}", plan.text());
    let refreshed = work.refresh();
    assert_eq!(refreshed.code, 0, "{}", refreshed.text());
    let state = work.resource(ADDRESS);
    assert!(state["subscription_arn"].is_null(), "not ours: {state}");

    // An update that trusts the state (no refresh) does not rewrite it:
    // the ARN is not this trigger's, so it would subscribe anew, and the
    // real subscription no state records now is named instead.
    edit_subscription_arn(work, &theirs);
    work.write(
        hcl::sns_trigger("processor", &topic)
            .expr("filter_policy", r#"jsonencode({ kind = ["order"] })"#),
    );
    let updated = work.apply_args(&["-refresh=false"]);
    assert_eq!(updated.code, 1, "{}", updated.text());
    assert!(words(&updated.text()).contains(&ours), "{}", updated.text());
    assert_eq!(aws.subscription_attributes(&theirs).await, before);

    work.write(hcl::sns_trigger("processor", &topic));
    edit_subscription_arn(work, &theirs);
    let destroyed = work.destroy_args(&["-refresh=false"]).ok();
    let output = words(&destroyed.text());
    assert!(output.contains("released, not deleted"), "{output}");
    assert!(output.contains(&theirs), "named: {output}");
    let left: Vec<String> = aws
        .subscriptions(&topic)
        .await
        .into_iter()
        .map(|s| s.0)
        .collect();
    assert!(left.contains(&theirs), "theirs kept: {left:?}");
    assert!(left.contains(&ours), "ours was not the state's: {left:?}");
    assert_eq!(aws.subscription_attributes(&theirs).await, before);
    assert_eq!(aws.statement_count("processor").await, 0);
}

/// SNS answers AuthorizationError to a ListSubscriptionsByTopic the
/// topic's policy does not allow (the default policy allows it to the
/// owner only): at plan that is no evidence, and the plan goes on.
#[tokio::test(flavor = "multi_thread")]
async fn sns_trigger_a_denied_listing_is_no_evidence_at_plan() {
    let h = Harness::with_proxy().await;
    let (aws, work) = (&h.aws, &h.work);
    aws.create_function("processor").await;
    let topic = aws.create_topic("alerts").await;
    h.proxy().add(
        Rule::new(Fault::Error {
            status: 403,
            code: "AuthorizationError".into(),
            message: "not authorized to perform: SNS:ListSubscriptionsByTopic".into(),
        })
        .for_service("sns")
        .for_operation("ListSubscriptionsByTopic"),
    );
    work.write(hcl::sns_trigger("processor", &topic));
    let plan = work.plan();
    assert_eq!(plan.code, 2, "{}", plan.text());
    assert!(h.proxy().count("sns", "ListSubscriptionsByTopic") >= 1);
    assert_eq!(aws.statement_count("processor").await, 0);
}
