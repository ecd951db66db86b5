//! The invoker's input as Scheduler must get it (SPEC, invoker `input`):
//! context attributes written by `jsonencode` (which escapes `<` and `>`)
//! reach Scheduler literally, an unknown `<aws.scheduler.*>` name fails at
//! plan, inputs up to 256 KB apply, and a customer managed key is
//! decryptable by the managed role for this schedule only.

use crate::support::hcl::{self, Block};
use crate::support::{json, words, Aws, Harness, ACCOUNT};

fn templated(function: &str) -> Block {
    hcl::invoker("templated", function)
}

async fn sent_input(aws: &Aws) -> String {
    let schedule = aws
        .schedule("default", "templated")
        .await
        .expect("schedule");
    schedule
        .target()
        .and_then(|t| t.input())
        .expect("input")
        .to_string()
}

#[tokio::test(flavor = "multi_thread")]
async fn scheduled_lambda_invoker_jsonencoded_context_attributes_reach_scheduler_literally() {
    let h = Harness::new();
    let (aws, work) = (&h.aws, &h.work);
    let function = aws.create_function("hook").await;
    work.write(templated(&function).expr(
        "input",
        r#"jsonencode({
    fired_at = "<aws.scheduler.scheduled-time>"
    attempt  = "<aws.scheduler.attempt-number>"
    html     = "<b>kept</b>"
  })"#,
    ));
    work.apply().ok();
    let sent = sent_input(aws).await;
    assert!(
        sent.contains("<aws.scheduler.scheduled-time>")
            && sent.contains("<aws.scheduler.attempt-number>")
            && !sent.contains("\\u003c"),
        "Scheduler holds the placeholders literally: {sent}"
    );
    assert_eq!(
        json(&sent),
        serde_json::json!({
            "fired_at": "<aws.scheduler.scheduled-time>",
            "attempt": "<aws.scheduler.attempt-number>",
            "html": "<b>kept</b>",
        })
    );
    // State keeps the configured text (jsonencode's escapes), so the
    // configuration and the state agree and nothing is planned.
    let state = work.resource("lambdawire_scheduled_lambda_invoker.this");
    assert!(
        state["input"]
            .as_str()
            .is_some_and(|i| i.contains("\\u003c")),
        "{state}"
    );
    work.assert_no_changes();
    h.destroy_all().await;
}

#[tokio::test(flavor = "multi_thread")]
async fn scheduled_lambda_invoker_an_unknown_context_attribute_fails_the_plan_at_input() {
    let h = Harness::new();
    let (aws, work) = (&h.aws, &h.work);
    let function = aws.create_function("hook").await;
    work.write(templated(&function).expr(
        "input",
        r#"jsonencode({ at = "<aws.scheduler.scheduled_time>" })"#,
    ));
    let run = work.plan();
    assert_eq!(run.code, 1, "{}", run.text());
    let text = run.text();
    assert!(text.contains("invalid input"), "{text}");
    assert!(text.contains("scheduled_time"), "{text}");
    assert!(
        text.contains("input = jsonencode"),
        "the diagnostic points at input: {text}"
    );
}

#[tokio::test(flavor = "multi_thread")]
async fn scheduled_lambda_invoker_an_input_over_8_kb_applies_and_one_over_256_kb_is_refused() {
    let h = Harness::new();
    let (aws, work) = (&h.aws, &h.work);
    let function = aws.create_function("hook").await;
    work.write(
        templated(&function).expr("input", r#"jsonencode({ blob = format("%09600d", 0) })"#),
    );
    work.apply().ok();
    assert!(sent_input(aws).await.len() > 9000);
    work.assert_no_changes();
    work.write(
        templated(&function).expr("input", r#"jsonencode({ blob = format("%0270000d", 0) })"#),
    );
    let run = work.plan();
    assert_eq!(run.code, 1, "{}", run.text());
    assert!(run.text().contains("256 KB"), "{}", run.text());
    work.write(templated(&function));
    work.destroy().ok();
}

#[tokio::test(flavor = "multi_thread")]
async fn scheduled_lambda_invoker_a_customer_managed_key_is_granted_for_this_schedule_only() {
    let h = Harness::new();
    let (aws, work) = (&h.aws, &h.work);
    let function = aws.create_function("hook").await;
    let key = format!("arn:aws:kms:us-east-1:{ACCOUNT}:key/1234abcd-12ab-34cd-56ef-1234567890ab");
    work.write(templated(&function).str("kms_key_arn", &key));
    let plan = work.plan_text();
    assert!(
        plan.stdout.contains("kms:Decrypt"),
        "the plan shows the grant:\n{}",
        plan.stdout
    );
    work.apply().ok();
    let role = aws.schedule_role_arn("templated").await;
    let role = role.rsplit('/').next().expect("role name");
    let policy = json(
        &aws.role_policy(role, "lambdawire-invoke")
            .await
            .expect("inline policy"),
    );
    let decrypt = policy["Statement"]
        .as_array()
        .expect("statements")
        .iter()
        .find(|s| s["Action"] == "kms:Decrypt")
        .unwrap_or_else(|| panic!("no kms:Decrypt in {policy}"))
        .clone();
    assert_eq!(decrypt["Resource"], key.as_str());
    assert_eq!(
        decrypt["Condition"]["ArnEquals"]["kms:EncryptionContext:aws:scheduler:schedule:arn"],
        format!("arn:aws:scheduler:us-east-1:{ACCOUNT}:schedule/default/templated")
    );
    work.assert_no_changes();

    // An alias ARN would grant nothing (IAM matches the key ARN): refused.
    work.write(templated(&function).str(
        "kms_key_arn",
        &format!("arn:aws:kms:us-east-1:{ACCOUNT}:alias/app"),
    ));
    let run = work.plan();
    assert_eq!(run.code, 1, "{}", run.text());
    let text = words(&run.text());
    assert!(text.contains("alias ARN grants nothing"), "{text}");
    work.write(templated(&function));
    h.destroy_all().await;
}
