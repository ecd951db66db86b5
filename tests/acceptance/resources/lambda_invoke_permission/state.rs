//! `lambdawire_lambda_invoke_permission`'s state through real terraform and
//! moto: the write-only token, the upgrade of version 0 state, and `moved`
//! from hashicorp/aws.
//!
//! The embedded AWS keeps `EventSourceToken` and `InvokedViaFunctionUrl` as
//! the conditions real Lambda stores (bare moto drops the first and keeps
//! the second outside the statement's Condition; EMBEDDED-AWS.md). Some
//! tests go through a [`FaultProxy`] to count the calls.

use crate::support::fault_proxy::FaultProxy;
use crate::support::hcl::{self, Block};
use crate::support::{json, Harness, Workdir, ACCOUNT};

const PERMISSION: &str = "lambdawire_lambda_invoke_permission";

fn stored_token(stmt: &serde_json::Value) -> &serde_json::Value {
    &stmt["Condition"]["StringEquals"]["lambda:EventSourceToken"]
}

fn state_file(work: &Workdir) -> String {
    std::fs::read_to_string(work.path().join("terraform.tfstate")).expect("state file")
}

/// An Alexa skill may invoke `skill`; the token is the test's to add.
fn alexa() -> Block {
    hcl::permission("alexa", "skill", "alexa").str("principal", "alexa-appkit.amazon.com")
}

fn alexa_wo(token: &str, version: u32) -> Block {
    alexa()
        .str("event_source_token_wo", token)
        .expr("event_source_token_wo_version", &version.to_string())
}

/// The token is nowhere Terraform keeps or prints anything.
#[track_caller]
fn assert_token_hidden(work: &Workdir, token: &str) {
    let show = work.terraform(&["show", "-json"]).ok();
    assert!(!show.stdout.contains(token), "show -json:\n{}", show.stdout);
    let state = state_file(work);
    assert!(!state.contains(token), "state file:\n{state}");
    let plan = work.plan_text().ok();
    assert!(
        !plan.stdout.contains(token) && !plan.stderr.contains(token),
        "plan:\n{}",
        plan.text()
    );
}

#[tokio::test(flavor = "multi_thread")]
async fn lambda_invoke_permission_write_only_token_reaches_lambda_never_state_and_a_new_version_resends_it(
) {
    let h = Harness::with_proxy().await;
    let (aws, proxy, work) = (&h.aws, h.proxy(), &h.work);
    aws.create_function("skill").await;
    // GetPolicy as real Lambda answers it: with the token.
    let lambda = h.aws_through_proxy();
    let first = "amzn1.ask.skill.first-0001";
    work.write(alexa_wo(first, 1));
    work.apply().ok();

    let stored = lambda
        .statement("skill", "alexa")
        .await
        .expect("statement added");
    assert_eq!(*stored_token(&stored), first, "the token reached Lambda");
    // moto keeps a principal outside amazonaws.com as a bare string.
    assert!(
        stored["Principal"] == "alexa-appkit.amazon.com"
            || stored["Principal"]["Service"] == "alexa-appkit.amazon.com",
        "{stored}"
    );
    assert!(
        aws.statement("skill", "alexa").await.is_some(),
        "the embedded AWS has the statement"
    );
    let values = work.resource(&format!("{PERMISSION}.alexa"));
    assert!(values["event_source_token_wo"].is_null(), "{values}");
    assert!(values["event_source_token"].is_null(), "{values}");
    assert_eq!(values["event_source_token_wo_version"], 1);
    let shown = values["statement_json"].as_str().unwrap_or_default();
    assert_eq!(
        json(shown)["Condition"]["StringEquals"]["lambda:EventSourceToken"],
        "(sensitive)",
        "statement_json: {shown}"
    );
    assert_token_hidden(work, first);
    work.assert_no_changes();

    // Terraform cannot see a new write-only value; a new version sends it.
    let second = "amzn1.ask.skill.second-0002";
    work.write(alexa_wo(second, 2));
    let plan = work.plan();
    assert_eq!(plan.code, 2, "{}", plan.text());
    assert!(
        plan.stdout.contains("0 to add, 1 to change, 0 to destroy"),
        "in place:\n{}",
        plan.stdout
    );
    assert!(!plan.stdout.contains(second), "{}", plan.stdout);
    let adds = proxy.count("lambda", "AddPermission");
    work.apply().ok();
    let stored = lambda
        .statement("skill", "alexa")
        .await
        .expect("statement kept");
    assert_eq!(*stored_token(&stored), second, "the new token is in Lambda");
    assert_eq!(
        proxy.count("lambda", "AddPermission"),
        adds + 2,
        "a temporary statement, then the statement again: never absent"
    );
    assert_eq!(aws.statement_count("skill").await, 1, "temporary removed");
    assert_token_hidden(work, second);
    work.assert_no_changes();

    work.destroy().ok();
    assert_eq!(aws.statement_count("skill").await, 0);
}

#[tokio::test(flavor = "multi_thread")]
async fn lambda_invoke_permission_both_tokens_fail_at_plan_naming_the_write_only_one() {
    let h = Harness::new();
    let (aws, work) = (&h.aws, &h.work);
    aws.create_function("skill").await;
    work.write(
        alexa()
            .str("event_source_token", "amzn1.ask.skill.a")
            .str("event_source_token_wo", "amzn1.ask.skill.b"),
    );
    let plan = work.plan();
    assert_eq!(plan.code, 1, "{}", plan.text());
    assert!(
        plan.stderr.contains("Conflicting event-source tokens")
            && plan.stderr.contains("event_source_token_wo"),
        "{}",
        plan.stderr
    );
    assert_eq!(aws.statement_count("skill").await, 0);
}

/// Make the state file look as lambdawire 0.1 (schema version 0) wrote it:
/// no write-only attributes, and the clear token inside statement_json.
fn rewrite_as_version_0(work: &Workdir, token: &str) {
    let path = work.path().join("terraform.tfstate");
    let mut state = json(&state_file(work));
    let resources = state["resources"].as_array_mut().expect("resources");
    let permission = resources
        .iter_mut()
        .find(|r| r["type"] == PERMISSION)
        .expect("permission in state");
    let instance = &mut permission["instances"][0];
    instance["schema_version"] = serde_json::json!(0);
    let attributes = instance["attributes"].as_object_mut().expect("attributes");
    attributes.remove("event_source_token_wo");
    attributes.remove("event_source_token_wo_version");
    let shown = attributes["statement_json"]
        .as_str()
        .expect("statement_json")
        .to_string();
    assert!(shown.contains("(sensitive)"), "{shown}");
    attributes.insert(
        "statement_json".into(),
        serde_json::json!(shown.replace("(sensitive)", token)),
    );
    std::fs::write(&path, serde_json::to_string_pretty(&state).expect("JSON"))
        .expect("write state");
}

#[tokio::test(flavor = "multi_thread")]
async fn lambda_invoke_permission_version_0_state_with_a_clear_token_is_upgraded_and_redacted() {
    let h = Harness::with_proxy().await;
    let (aws, work) = (&h.aws, &h.work);
    aws.create_function("skill").await;
    let token = "amzn1.ask.skill.v0-secret";
    work.write(alexa().str("event_source_token", token));
    work.apply().ok();
    rewrite_as_version_0(work, token);
    let written = state_file(work);
    assert!(written.contains(&format!("{token}\\\"")), "{written}");

    // The plan reads the old state through UpgradeResourceState.
    work.assert_no_changes();
    work.refresh().ok();
    let state = json(&state_file(work));
    let instance = state["resources"]
        .as_array()
        .and_then(|all| all.iter().find(|r| r["type"] == PERMISSION))
        .map(|r| r["instances"][0].clone())
        .expect("permission in state");
    assert_eq!(instance["schema_version"], 1, "{instance}");
    let shown = instance["attributes"]["statement_json"]
        .as_str()
        .unwrap_or_default();
    assert!(
        !shown.contains(token) && shown.contains("(sensitive)"),
        "{shown}"
    );
    assert_eq!(
        instance["attributes"]["event_source_token"], token,
        "the sensitive argument itself is the user's and stays"
    );
    assert!(instance["attributes"]["event_source_token_wo"].is_null());
    work.assert_no_changes();
    work.destroy().ok();
    assert_eq!(aws.statement_count("skill").await, 0);
}

fn sns_arguments() -> String {
    format!(
        r#"  function_name = "processor"
  statement_id  = "alerts"
  action        = "lambda:InvokeFunction"
  principal     = "sns.amazonaws.com"
  source_arn    = "arn:aws:sns:us-east-1:{ACCOUNT}:alerts"
"#
    )
}

#[tokio::test(flavor = "multi_thread")]
async fn lambda_invoke_permission_moved_from_aws_lambda_permission_writes_nothing_and_plans_no_change(
) {
    let h = Harness::with_proxy_and_hashicorp_aws().await;
    let (aws, proxy, work) = (&h.aws, h.proxy(), &h.work);
    aws.create_function("processor").await;
    work.write_with_aws(&format!(
        "resource \"aws_lambda_permission\" \"x\" {{\n{}}}\n",
        sns_arguments()
    ));
    work.apply().ok();
    let before = aws
        .statement("processor", "alerts")
        .await
        .expect("hashicorp/aws added the statement");
    let edits = |p: &FaultProxy| {
        (
            p.count("lambda", "AddPermission"),
            p.count("lambda", "RemovePermission"),
        )
    };
    let after_aws = edits(proxy);
    assert_eq!(after_aws, (1, 0));

    work.write_with_aws(&format!(
        "resource \"{PERMISSION}\" \"x\" {{\n{}}}\n\nmoved {{\n  from = aws_lambda_permission.x\n  to   = {PERMISSION}.x\n}}\n",
        sns_arguments()
    ));
    let plan = work.plan_text().ok();
    assert!(
        plan.stdout.contains("has moved to")
            && plan.stdout.contains("0 to add, 0 to change, 0 to destroy"),
        "a move, nothing else:\n{}",
        plan.stdout
    );
    work.apply().ok();
    assert_eq!(edits(proxy), after_aws, "no AddPermission/RemovePermission");
    assert_eq!(
        aws.statement("processor", "alerts").await.as_ref(),
        Some(&before),
        "the statement is untouched"
    );
    let values = work.resource(&format!("{PERMISSION}.x"));
    assert_eq!(values["id"], "processor/alerts");
    assert_eq!(values["principal"], "sns.amazonaws.com");
    assert_eq!(
        values["function_arn"],
        format!("arn:aws:lambda:us-east-1:{ACCOUNT}:function:processor"),
        "filled by the refresh after the move"
    );
    assert!(values["statement_json"].is_string(), "{values}");
    work.assert_no_changes();
    assert_eq!(edits(proxy), after_aws);

    work.destroy().ok();
    assert!(aws.statement("processor", "alerts").await.is_none());
}

#[tokio::test(flavor = "multi_thread")]
async fn lambda_invoke_permission_moved_from_an_unsupported_type_is_a_clear_error() {
    let h = Harness::new();
    let (aws, work) = (&h.aws, &h.work);
    aws.create_function("processor").await;
    work.write("resource \"terraform_data\" \"x\" {\n  input = \"a\"\n}\n");
    work.apply().ok();
    work.write(format!(
        "resource \"{PERMISSION}\" \"x\" {{\n{}}}\n\nmoved {{\n  from = terraform_data.x\n  to   = {PERMISSION}.x\n}}\n",
        sns_arguments()
    ));
    let plan = work.plan();
    assert_eq!(plan.code, 1, "{}", plan.text());
    assert!(
        plan.stderr.contains("terraform_data")
            && plan.stderr.contains("cannot be moved")
            && plan.stderr.contains("aws_lambda_permission"),
        "names what is refused and what is accepted:\n{}",
        plan.stderr
    );
    assert!(!plan.stderr.contains("panic"), "{}", plan.stderr);
    assert_eq!(aws.statement_count("processor").await, 0);
}

fn via_url() -> Block {
    hcl::permission("via", "hook", "via").str("principal", "*")
}

fn url_condition(stmt: &serde_json::Value) -> &serde_json::Value {
    &stmt["Condition"]["Bool"]["lambda:InvokedViaFunctionUrl"]
}

/// `InvokedViaFunctionUrl` is stored as the
/// `{"Bool": {"lambda:InvokedViaFunctionUrl": "true"}}` condition, as real
/// Lambda stores it (the embedded AWS does; bare moto keeps a top-level key).
#[tokio::test(flavor = "multi_thread")]
async fn lambda_invoke_permission_invoked_via_function_url_is_stored_as_its_condition_and_updates_in_place(
) {
    let h = Harness::with_proxy().await;
    let (aws, proxy, work) = (&h.aws, h.proxy(), &h.work);
    aws.create_function("hook").await;
    let lambda = h.aws_through_proxy();
    work.write(via_url().expr("invoked_via_function_url", "true"));
    work.apply().ok();

    // Read past the proxy: the embedded AWS itself stores the condition (the
    // proxy emulated it before; bare moto writes none).
    let raw = aws.statement("hook", "via").await.expect("moto has it");
    assert_eq!(*url_condition(&raw), "true", "{raw}");
    let stored = lambda
        .statement("hook", "via")
        .await
        .expect("statement added");
    assert_eq!(*url_condition(&stored), "true", "{stored}");
    assert_eq!(stored["Principal"], "*", "{stored}");
    assert_eq!(stored["Action"], "lambda:InvokeFunction", "{stored}");
    let values = work.resource(&format!("{PERMISSION}.via"));
    assert_eq!(values["invoked_via_function_url"], true, "{values}");
    let shown = values["statement_json"].as_str().unwrap_or_default();
    assert_eq!(*url_condition(&json(shown)), "true", "{shown}");
    work.assert_no_changes();

    // Another scoping: the grant changes without a moment of absence.
    work.write(
        via_url()
            .expr("invoked_via_function_url", "false")
            .str("principal_org_id", "o-abcdefghij"),
    );
    let plan = work.plan();
    assert_eq!(plan.code, 2, "{}", plan.text());
    assert!(
        plan.stdout.contains("0 to add, 1 to change, 0 to destroy"),
        "in place:\n{}",
        plan.stdout
    );
    let adds = proxy.count("lambda", "AddPermission");
    work.apply().ok();
    let stored = lambda
        .statement("hook", "via")
        .await
        .expect("statement kept");
    assert!(url_condition(&stored).is_null(), "{stored}");
    assert_eq!(
        stored["Condition"]["StringEquals"]["aws:PrincipalOrgID"], "o-abcdefghij",
        "{stored}"
    );
    assert_eq!(
        proxy.count("lambda", "AddPermission"),
        adds + 2,
        "a temporary statement, then the statement again: never absent"
    );
    assert_eq!(aws.statement_count("hook").await, 1, "temporary removed");
    let values = work.resource(&format!("{PERMISSION}.via"));
    assert_eq!(values["invoked_via_function_url"], false, "{values}");
    work.assert_no_changes();

    work.destroy().ok();
    assert_eq!(aws.statement_count("hook").await, 0);
}

#[tokio::test(flavor = "multi_thread")]
async fn lambda_invoke_permission_invoked_via_function_url_with_the_url_action_fails_at_plan() {
    let h = Harness::new();
    let (aws, work) = (&h.aws, &h.work);
    aws.create_function("hook").await;
    work.write(
        via_url()
            .str("action", "lambda:InvokeFunctionUrl")
            .expr("invoked_via_function_url", "true"),
    );
    let plan = work.plan();
    assert_eq!(plan.code, 1, "{}", plan.text());
    assert!(
        plan.stderr
            .contains("invoked_via_function_url needs action lambda:InvokeFunction")
            && plan.stderr.contains("invoked_via_function_url ="),
        "{}",
        plan.stderr
    );
    assert_eq!(aws.statement_count("hook").await, 0);
}

fn rule_grant(rule: &str) -> Block {
    hcl::permission("rule", "hook", "nightly")
        .str("principal", "events.amazonaws.com")
        .str(
            "source_arn",
            &format!("arn:aws:events:us-east-1:{ACCOUNT}:rule/{rule}"),
        )
}

/// An update whose re-add was refused after the prior statement was removed
/// leaves the grant under its temporary id only. The next apply adds the
/// statement before it removes that temporary one: never a moment without a
/// grant (sweeping the temporary statement first would make one).
#[tokio::test(flavor = "multi_thread")]
async fn lambda_invoke_permission_recovery_from_a_half_done_swap_adds_before_it_removes() {
    use crate::support::fault_proxy::{Fault, Nth, Rule};
    let h = Harness::with_proxy().await;
    let (aws, proxy, work) = (&h.aws, h.proxy(), &h.work);
    aws.create_function("hook").await;
    work.write(rule_grant("nightly"));
    work.apply().ok();

    // The swap: add the temporary, remove the prior, re-add (refused).
    work.write(rule_grant("hourly"));
    proxy.add(
        Rule::new(Fault::Error {
            status: 403,
            code: "AccessDeniedException".into(),
            message: "injected: not authorized".into(),
        })
        .for_operation("AddPermission")
        .when(Nth::Nth(2)),
    );
    let failed = work.apply();
    assert_ne!(failed.code, 0, "{}", failed.text());
    assert!(aws.statement("hook", "nightly").await.is_none());
    assert!(
        aws.statement("hook", "nightly-lwtmp").await.is_some(),
        "the grant stands under the temporary id"
    );

    proxy.clear();
    let before = proxy.calls().len();
    work.apply().ok();
    let writes: Vec<String> = proxy.calls()[before..]
        .iter()
        .filter(|c| c.service == "lambda" && !c.operation.starts_with("Get"))
        .map(|c| c.operation.clone())
        .collect();
    assert_eq!(
        writes,
        ["AddPermission", "RemovePermission"],
        "the statement is added before the temporary one goes"
    );
    let stored = aws.statement("hook", "nightly").await.expect("granted");
    assert!(stored.to_string().contains("rule/hourly"), "{stored}");
    assert_eq!(aws.statement_count("hook").await, 1, "temporary removed");
    work.assert_no_changes();
    work.destroy().ok();
    assert_eq!(aws.statement_count("hook").await, 0);
}

/// A temporary statement left beside the statement (an update interrupted
/// after its first add) goes with the destroy: the refresh saw it, and the
/// delete removes both with no look of its own.
#[tokio::test(flavor = "multi_thread")]
async fn lambda_invoke_permission_destroy_removes_a_temporary_statement_the_refresh_saw() {
    let h = Harness::with_proxy().await;
    let (aws, proxy, work) = (&h.aws, h.proxy(), &h.work);
    aws.create_function("hook").await;
    work.write(rule_grant("nightly"));
    work.apply().ok();
    let source = format!("arn:aws:events:us-east-1:{ACCOUNT}:rule/hourly");
    aws.add_permission(
        "hook",
        None,
        "nightly-lwtmp",
        "events.amazonaws.com",
        Some(&source),
    )
    .await;

    let before = proxy.calls().len();
    work.destroy().ok();
    assert_eq!(aws.statement_count("hook").await, 0, "both statements gone");
    let lambda: Vec<String> = proxy.calls()[before..]
        .iter()
        .filter(|c| c.service == "lambda")
        .map(|c| c.operation.clone())
        .collect();
    assert_eq!(
        lambda,
        ["GetPolicy", "RemovePermission", "RemovePermission"],
        "the refresh's one read, then the two removes"
    );
}
