//! `lambdawire_scheduled_lambda_invoker` through real terraform and moto.
//! The lifecycle here (basic, update, replace, disappears, import, drift);
//! `faults` (injected failures), `input` (what Scheduler gets) and `moved`
//! (from hashicorp/aws) beside it.

mod faults;
mod input;
mod moved;

use crate::support::hcl::{self, Block};
use crate::support::{json, plan_line, Harness, Run, ACCOUNT, SCHEDULER_TRUST};

const POLICY: &str = "lambdawire-invoke";
const ADDRESS: &str = "lambdawire_scheduled_lambda_invoker.this";
const DEFAULT_ROLE: &str = "lambdawire-us-east-1-default-nightly";

/// The invoker these tests start from: `nightly`, at 03:00 every day.
fn nightly(function_arn: &str) -> Block {
    hcl::invoker("nightly", function_arn).str("schedule_expression", "cron(0 3 * * ? *)")
}

/// A one-time time a little ahead, so the plan accepts it (a time already
/// past is refused), and the moment it will have passed.
fn soon() -> (String, std::time::Instant) {
    let ahead = std::time::Duration::from_secs(20);
    let at = chrono::Utc::now() + ahead + std::time::Duration::from_secs(1);
    let expression = format!("at({})", at.format("%Y-%m-%dT%H:%M:%S"));
    (
        expression,
        std::time::Instant::now() + ahead + std::time::Duration::from_secs(2),
    )
}

/// Wait until the one-time time from [`soon`] has passed.
async fn until(passed: std::time::Instant) {
    tokio::time::sleep(passed.saturating_duration_since(std::time::Instant::now())).await;
}

#[tokio::test(flavor = "multi_thread")]
async fn scheduled_lambda_invoker_basic() {
    let h = Harness::new();
    let (aws, work) = (&h.aws, &h.work);
    let function = aws.create_function("hook").await;
    work.write(
        nightly(&function)
            .str("schedule_expression_timezone", "Europe/Paris")
            .expr(
                "input",
                r#"jsonencode({ url = "https://example.com/hooks/42" })"#,
            )
            .str("description", "nightly hook")
            .expr("flexible_window_minutes", "15")
            .block("retry_policy", |retry| {
                retry
                    .expr("maximum_event_age_in_seconds", "3600")
                    .expr("maximum_retry_attempts", "3")
            }),
    );
    work.apply().ok();

    let state = work.resource("lambdawire_scheduled_lambda_invoker.this");
    let role = state["role_name"].as_str().expect("role_name").to_string();
    assert_eq!(role, "lambdawire-us-east-1-default-nightly");
    assert_eq!(state["id"], "default/nightly");
    assert_eq!(state["action_after_completion"], "NONE");
    assert_eq!(state["role_managed"], true);

    let schedule = aws
        .schedule("default", "nightly")
        .await
        .expect("schedule exists");
    assert_eq!(schedule.schedule_expression(), Some("cron(0 3 * * ? *)"));
    assert_eq!(
        schedule.schedule_expression_timezone(),
        Some("Europe/Paris")
    );
    let target = schedule.target().expect("target");
    assert_eq!(target.arn(), function);
    assert_eq!(
        target.role_arn(),
        format!("arn:aws:iam::{ACCOUNT}:role/{role}")
    );
    assert_eq!(
        json(target.input().expect("input")),
        json(r#"{"url":"https://example.com/hooks/42"}"#)
    );
    let retry = target.retry_policy().expect("retry policy");
    assert_eq!(
        (
            retry.maximum_event_age_in_seconds(),
            retry.maximum_retry_attempts()
        ),
        (Some(3600), Some(3))
    );

    let trust = json(&aws.trust_policy(&role).await.expect("role exists"));
    let statement = &trust["Statement"][0];
    assert_eq!(statement["Principal"]["Service"], "scheduler.amazonaws.com");
    assert_eq!(
        statement["Condition"]["StringEquals"]["aws:SourceAccount"],
        ACCOUNT
    );
    assert_eq!(
        statement["Condition"]["ArnEquals"]["aws:SourceArn"],
        format!("arn:aws:scheduler:us-east-1:{ACCOUNT}:schedule-group/default")
    );
    let policy = json(&aws.role_policy(&role, POLICY).await.expect("inline policy"));
    assert_eq!(policy["Statement"].as_array().map(Vec::len), Some(1));
    assert_eq!(policy["Statement"][0]["Action"], "lambda:InvokeFunction");
    assert_eq!(
        policy["Statement"][0]["Resource"],
        json(&format!(r#"["{function}","{function}:*"]"#))
    );
    assert_eq!(
        json(state["policy_json"].as_str().unwrap()),
        policy,
        "state shows exactly what IAM holds"
    );

    work.assert_no_changes();
    work.destroy().ok();
    assert!(aws.schedule_names().await.is_empty(), "schedule deleted");
    assert!(!aws.role_exists(&role).await, "role deleted");
}

fn role_arn(name: &str) -> String {
    format!("arn:aws:iam::{ACCOUNT}:role/{name}")
}

/// A plan that changes exactly one resource in place (no replacement).
#[track_caller]
fn assert_in_place(run: &Run) {
    assert_eq!(run.code, 2, "expected changes:\n{}", run.text());
    assert!(
        run.stdout
            .contains("Plan: 0 to add, 1 to change, 0 to destroy."),
        "expected an in-place update:\n{}",
        run.text()
    );
    assert!(
        !run.stdout.contains("must be replaced"),
        "no replacement expected:\n{}",
        run.text()
    );
}

#[tokio::test(flavor = "multi_thread")]
async fn scheduled_lambda_invoker_update() {
    let h = Harness::new();
    let (aws, work) = (&h.aws, &h.work);
    let function = aws.create_function("hook").await;
    work.write(nightly(&function));
    work.apply().ok();
    let arn = work.resource(ADDRESS)["arn"].clone();

    work.write(
        nightly(&function)
            .str("schedule_expression", "rate(5 minutes)")
            .str("schedule_expression_timezone", "Asia/Tokyo")
            .expr("input", "jsonencode({ a = 1 })")
            .str("state", "DISABLED")
            .str("description", "changed")
            .expr("flexible_window_minutes", "30")
            .block("retry_policy", |retry| {
                retry
                    .expr("maximum_event_age_in_seconds", "600")
                    .expr("maximum_retry_attempts", "5")
            }),
    );
    assert_in_place(&work.plan());
    work.apply().ok();

    let s = aws.schedule("default", "nightly").await.expect("schedule");
    assert_eq!(s.schedule_expression(), Some("rate(5 minutes)"));
    assert_eq!(s.schedule_expression_timezone(), Some("Asia/Tokyo"));
    assert_eq!(
        s.state(),
        Some(&aws_sdk_scheduler::types::ScheduleState::Disabled)
    );
    assert_eq!(s.description(), Some("changed"));
    let window = s.flexible_time_window().expect("window");
    assert_eq!(
        window.mode(),
        &aws_sdk_scheduler::types::FlexibleTimeWindowMode::Flexible
    );
    assert_eq!(window.maximum_window_in_minutes(), Some(30));
    let target = s.target().expect("target");
    assert_eq!(json(target.input().expect("input")), json(r#"{"a":1}"#));
    let retry = target.retry_policy().expect("retry policy");
    assert_eq!(
        (
            retry.maximum_event_age_in_seconds(),
            retry.maximum_retry_attempts()
        ),
        (Some(600), Some(5))
    );
    assert_eq!(target.role_arn(), role_arn(DEFAULT_ROLE), "same role");
    assert_eq!(work.resource(ADDRESS)["arn"], arn, "same schedule");
    work.assert_no_changes();

    // Half a retry policy: the field left out is Scheduler's default, sent
    // as such, and stays null in state with no drift.
    work.write(nightly(&function).block("retry_policy", |retry| {
        retry.expr("maximum_retry_attempts", "0")
    }));
    assert_in_place(&work.plan());
    work.apply().ok();
    let s = aws.schedule("default", "nightly").await.expect("schedule");
    let retry = s
        .target()
        .and_then(|t| t.retry_policy())
        .expect("retry policy");
    assert_eq!(
        (
            retry.maximum_event_age_in_seconds(),
            retry.maximum_retry_attempts()
        ),
        (Some(86400), Some(0))
    );
    let state = work.resource(ADDRESS);
    assert!(state["retry_policy"][0]["maximum_event_age_in_seconds"].is_null());
    assert_eq!(state["retry_policy"][0]["maximum_retry_attempts"], 0);
    work.assert_no_changes();

    // Back to the minimal configuration: every optional field goes away.
    work.write(nightly(&function));
    assert_in_place(&work.plan());
    work.apply().ok();
    let s = aws.schedule("default", "nightly").await.expect("schedule");
    assert_eq!(s.schedule_expression(), Some("cron(0 3 * * ? *)"));
    assert_eq!(s.schedule_expression_timezone(), Some("UTC"));
    assert_eq!(
        s.state(),
        Some(&aws_sdk_scheduler::types::ScheduleState::Enabled)
    );
    assert_eq!(s.description().filter(|d| !d.is_empty()), None);
    assert_eq!(
        s.flexible_time_window().expect("window").mode(),
        &aws_sdk_scheduler::types::FlexibleTimeWindowMode::Off
    );
    let target = s.target().expect("target");
    assert_eq!(target.input(), None);
    // Moto, like Scheduler, reports its default retry policy when none is sent.
    let retry = target.retry_policy().expect("retry policy");
    assert_eq!(
        (
            retry.maximum_event_age_in_seconds(),
            retry.maximum_retry_attempts()
        ),
        (Some(86400), Some(185))
    );
    let state = work.resource(ADDRESS);
    assert!(state["description"].is_null() && state["input"].is_null());
    assert_eq!(state["retry_policy"], json("[]"));
    work.assert_no_changes();
    h.destroy_all().await;
}

#[tokio::test(flavor = "multi_thread")]
async fn scheduled_lambda_invoker_replace() {
    let h = Harness::new();
    let (aws, work) = (&h.aws, &h.work);
    let function = aws.create_function("hook").await;
    work.write(nightly(&function));
    work.apply().ok();
    assert!(aws.role_exists(DEFAULT_ROLE).await);

    work.write(nightly(&function).str("name", "daily"));
    let plan = work.plan();
    assert_eq!(plan.code, 2, "{}", plan.text());
    assert!(
        plan.stdout.contains("must be replaced")
            && plan
                .stdout
                .contains("Plan: 1 to add, 0 to change, 1 to destroy."),
        "a rename replaces:\n{}",
        plan.text()
    );
    work.apply().ok();

    assert_eq!(aws.schedule_names().await, ["daily"]);
    assert!(aws.schedule("default", "nightly").await.is_none());
    let new_role = "lambdawire-us-east-1-default-daily";
    assert_eq!(aws.roles_with_prefix("lambdawire-").await, [new_role]);
    assert_eq!(aws.schedule_role_arn("daily").await, role_arn(new_role));
    assert!(aws.role_policy(new_role, POLICY).await.is_some());
    let state = work.resource(ADDRESS);
    assert_eq!(state["id"], "default/daily");
    assert_eq!(state["role_name"], new_role);
    work.assert_no_changes();
    h.destroy_all().await;
}

#[tokio::test(flavor = "multi_thread")]
async fn scheduled_lambda_invoker_dead_letter_queue_is_granted() {
    let h = Harness::new();
    let (aws, work) = (&h.aws, &h.work);
    let function = aws.create_function("hook").await;
    let dlq = "arn:aws:sqs:us-east-1:123456789012:dlq";
    work.write(nightly(&function).str("dead_letter_arn", dlq));
    work.apply().ok();

    let policy = json(&aws.role_policy(DEFAULT_ROLE, POLICY).await.expect("policy"));
    let statements = policy["Statement"].as_array().expect("statements");
    assert_eq!(statements.len(), 2, "{policy}");
    assert_eq!(statements[0]["Action"], "lambda:InvokeFunction");
    assert_eq!(statements[1]["Effect"], "Allow");
    assert_eq!(statements[1]["Action"], "sqs:SendMessage");
    assert_eq!(
        statements[1]["Resource"], dlq,
        "exactly the queue, no wildcard"
    );
    let state = work.resource(ADDRESS);
    assert_eq!(
        json(state["policy_json"].as_str().expect("policy_json")),
        policy
    );
    let s = aws.schedule("default", "nightly").await.expect("schedule");
    let target = s.target().expect("target");
    assert_eq!(target.dead_letter_config().and_then(|d| d.arn()), Some(dlq));
    work.assert_no_changes();

    // Removing the queue removes the grant and the target's config in place.
    work.write(nightly(&function));
    assert_in_place(&work.plan());
    work.apply().ok();
    let policy = json(&aws.role_policy(DEFAULT_ROLE, POLICY).await.expect("policy"));
    assert_eq!(policy["Statement"].as_array().map(Vec::len), Some(1));
    let s = aws.schedule("default", "nightly").await.expect("schedule");
    assert!(s.target().expect("target").dead_letter_config().is_none());
    work.assert_no_changes();
    h.destroy_all().await;
}

#[tokio::test(flavor = "multi_thread")]
async fn scheduled_lambda_invoker_existing_role_and_switching_in_place() {
    let h = Harness::new();
    let (aws, work) = (&h.aws, &h.work);
    let function = aws.create_function("hook").await;
    let mine = aws
        .create_user_role(
            "my-scheduler-role",
            "invoke",
            &format!(
                r#"{{"Version":"2012-10-17","Statement":[{{"Effect":"Allow","Action":"lambda:InvokeFunction","Resource":"{function}"}}]}}"#
            ),
        )
        .await;
    let existing = nightly(&function).str("existing_role_arn", &mine);
    work.write(&existing);
    work.apply().ok();

    assert!(aws.roles_with_prefix("lambdawire-").await.is_empty());
    let state = work.resource(ADDRESS);
    assert_eq!(state["role_managed"], false);
    assert_eq!(state["role_arn"], mine.as_str());
    assert_eq!(state["role_name"], "my-scheduler-role");
    assert!(state["policy_json"].is_null() && state["trust_policy_json"].is_null());
    assert_eq!(aws.schedule_role_arn("nightly").await, mine);
    work.assert_no_changes();

    // Existing -> managed: the new role is created and the schedule points at
    // it; the user's role is left alone.
    work.write(nightly(&function));
    assert_in_place(&work.plan());
    work.apply().ok();
    assert_eq!(
        aws.schedule_role_arn("nightly").await,
        role_arn(DEFAULT_ROLE)
    );
    assert_eq!(aws.roles_with_prefix("lambdawire-").await, [DEFAULT_ROLE]);
    assert!(aws.role_exists("my-scheduler-role").await);
    assert_eq!(work.resource(ADDRESS)["role_managed"], true);
    work.assert_no_changes();

    // Managed -> existing: the schedule is repointed, then the managed role
    // (no longer referenced) is deleted.
    work.write(&existing);
    assert_in_place(&work.plan());
    work.apply().ok();
    assert_eq!(aws.schedule_role_arn("nightly").await, mine);
    assert!(aws.roles_with_prefix("lambdawire-").await.is_empty());
    assert!(aws.role_exists("my-scheduler-role").await);
    work.assert_no_changes();

    h.destroy_all().await;
    assert!(
        aws.role_exists("my-scheduler-role").await,
        "destroy leaves the user's role"
    );
    assert!(aws
        .role_policy("my-scheduler-role", "invoke")
        .await
        .is_some());
}

#[tokio::test(flavor = "multi_thread")]
async fn scheduled_lambda_invoker_role_name_change_in_place() {
    let h = Harness::new();
    let (aws, work) = (&h.aws, &h.work);
    let function = aws.create_function("hook").await;
    work.write(nightly(&function));
    work.apply().ok();
    assert_eq!(
        aws.schedule_role_arn("nightly").await,
        role_arn(DEFAULT_ROLE)
    );

    work.write(nightly(&function).role_name("custom-x"));
    assert_in_place(&work.plan());
    work.apply().ok();
    assert_eq!(aws.schedule_role_arn("nightly").await, role_arn("custom-x"));
    assert!(aws.role_exists("custom-x").await);
    assert!(!aws.role_exists(DEFAULT_ROLE).await, "old role deleted");
    let state = work.resource(ADDRESS);
    assert_eq!(state["role_name"], "custom-x");
    let policy = json(&aws.role_policy("custom-x", POLICY).await.expect("policy"));
    assert_eq!(
        json(state["policy_json"].as_str().expect("policy_json")),
        policy
    );
    let trust = json(&aws.trust_policy("custom-x").await.expect("trust"));
    assert_eq!(
        json(state["trust_policy_json"].as_str().expect("trust")),
        trust
    );
    work.assert_no_changes();

    h.destroy_all().await;
    assert!(!aws.role_exists("custom-x").await);
}

#[tokio::test(flavor = "multi_thread")]
async fn scheduled_lambda_invoker_drift_in_role_is_repaired() {
    let h = Harness::new();
    let (aws, work) = (&h.aws, &h.work);
    let function = aws.create_function("hook").await;
    work.write(nightly(&function));
    work.apply().ok();
    let state = work.resource(ADDRESS);
    let policy = json(state["policy_json"].as_str().expect("policy_json"));
    let trust = json(state["trust_policy_json"].as_str().expect("trust"));

    // 1. The inline policy widened out of band.
    aws.put_role_policy(
        DEFAULT_ROLE,
        POLICY,
        r#"{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"lambda:*","Resource":"*"}]}"#,
    )
    .await;
    let plan = work.plan();
    assert_eq!(plan.code, 2, "policy drift shows:\n{}", plan.text());
    work.apply().ok();
    let remote = aws.role_policy(DEFAULT_ROLE, POLICY).await.expect("policy");
    assert_eq!(json(&remote), policy);
    work.assert_no_changes();

    // 2. The trust policy loosened out of band (no confused-deputy conditions).
    aws.update_trust_policy(DEFAULT_ROLE, SCHEDULER_TRUST).await;
    let plan = work.plan();
    assert_eq!(plan.code, 2, "trust drift shows:\n{}", plan.text());
    work.apply().ok();
    assert_eq!(
        json(&aws.trust_policy(DEFAULT_ROLE).await.expect("trust")),
        trust
    );
    work.assert_no_changes();

    // 3. The role deleted out of band.
    aws.delete_role_with_policies(DEFAULT_ROLE).await;
    let plan = work.plan();
    assert_eq!(plan.code, 2, "a missing role shows:\n{}", plan.text());
    work.apply().ok();
    assert_eq!(
        json(&aws.trust_policy(DEFAULT_ROLE).await.expect("role")),
        trust
    );
    assert_eq!(
        json(&aws.role_policy(DEFAULT_ROLE, POLICY).await.expect("policy")),
        policy
    );
    assert_eq!(
        aws.schedule_role_arn("nightly").await,
        role_arn(DEFAULT_ROLE)
    );
    work.assert_no_changes();

    h.destroy_all().await;
}

#[tokio::test(flavor = "multi_thread")]
async fn scheduled_lambda_invoker_disappears() {
    let h = Harness::new();
    let (aws, work) = (&h.aws, &h.work);
    let function = aws.create_function("hook").await;
    work.write(nightly(&function).str("description", "keep me"));
    work.apply().ok();
    let before = work.resource(ADDRESS);

    aws.delete_schedule("default", "nightly").await;
    let plan = work.plan();
    assert_in_place(&plan);
    assert!(
        crate::support::words(&(plan.stdout.clone() + &plan.stderr))
            .contains("the schedule default/nightly was deleted outside Terraform before it ran"),
        "the plan says why it writes the schedule again:\n{}",
        plan.text()
    );
    work.apply().ok();

    let s = aws.schedule("default", "nightly").await.expect("recreated");
    assert_eq!(s.description(), Some("keep me"));
    assert_eq!(s.schedule_expression(), Some("cron(0 3 * * ? *)"));
    assert_eq!(
        s.target().expect("target").role_arn(),
        role_arn(DEFAULT_ROLE)
    );
    assert_eq!(
        aws.roles_with_prefix("lambdawire-").await,
        [DEFAULT_ROLE],
        "the role is reused, not duplicated"
    );
    assert_eq!(work.resource(ADDRESS), before, "state as before the loss");
    work.assert_no_changes();
    h.destroy_all().await;
}

#[tokio::test(flavor = "multi_thread")]
async fn scheduled_lambda_invoker_fired_one_time_schedule_is_completed() {
    let h = Harness::new();
    let (aws, work) = (&h.aws, &h.work);
    let function = aws.create_function("hook").await;
    let (at, passed) = soon();
    work.write(nightly(&function).str("schedule_expression", &at));
    work.apply().ok();
    let state = work.resource(ADDRESS);
    assert_eq!(state["action_after_completion"], "DELETE");
    assert_eq!(state["completed"], false);
    let s = aws.schedule("default", "nightly").await.expect("schedule");
    assert_eq!(
        s.action_after_completion(),
        Some(&aws_sdk_scheduler::types::ActionAfterCompletion::Delete)
    );

    // Scheduler deletes such a schedule once it has fired.
    until(passed).await;
    aws.delete_schedule("default", "nightly").await;
    work.assert_no_changes();
    work.refresh().ok();
    let state = work.resource(ADDRESS);
    assert_eq!(state["completed"], true, "{state}");
    assert!(aws.schedule_names().await.is_empty(), "nothing recreated");
    work.assert_no_changes();
    h.destroy_all().await;
}

#[tokio::test(flavor = "multi_thread")]
async fn scheduled_lambda_invoker_import() {
    let h = Harness::new();
    let (aws, work) = (&h.aws, &h.work);
    let function = aws.create_function("hook").await;
    work.write(
        nightly(&function)
            .expr("input", "jsonencode({ a = 1 })")
            .str("description", "imported"),
    );
    work.apply().ok();
    let created = work.resource(ADDRESS);

    for id in ["default/nightly", "nightly"] {
        work.state_rm(ADDRESS).ok();
        work.import(ADDRESS, id).ok();
        let imported = work.resource(ADDRESS);
        assert_eq!(imported["role_managed"], true, "import {id}");
        assert_eq!(imported["role_name"], DEFAULT_ROLE, "import {id}");
        assert_eq!(imported["id"], "default/nightly", "import {id}");
        assert_eq!(
            imported["policy_json"], created["policy_json"],
            "import {id}"
        );
        work.assert_no_changes();
    }

    h.destroy_all().await;
}

#[tokio::test(flavor = "multi_thread")]
async fn scheduled_lambda_invoker_import_with_user_role_is_existing_role() {
    let h = Harness::new();
    let (aws, work) = (&h.aws, &h.work);
    let function = aws.create_function("hook").await;
    // Same policy name as ours but other content: not a role we generated.
    let mine = aws
        .create_user_role(
            "ops-scheduler",
            POLICY,
            r#"{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"lambda:*","Resource":"*"}]}"#,
        )
        .await;
    aws.create_schedule("nightly", "cron(0 3 * * ? *)", &function, &mine)
        .await;

    work.write(nightly(&function).str("existing_role_arn", &mine));
    work.import(ADDRESS, "nightly").ok();
    let state = work.resource(ADDRESS);
    assert_eq!(state["role_managed"], false);
    assert_eq!(state["existing_role_arn"], mine.as_str());
    assert!(state["policy_json"].is_null());
    work.assert_no_changes();

    h.destroy_all().await;
    assert!(
        aws.role_exists("ops-scheduler").await,
        "the user's role stays"
    );
}

#[tokio::test(flavor = "multi_thread")]
async fn scheduled_lambda_invoker_generated_names() {
    let h = Harness::new();
    let (aws, work) = (&h.aws, &h.work);
    let function = aws.create_function("hook").await;
    let unnamed = |label: &str| hcl::invoker("", &function).without("name").label(label);
    work.write(format!(
        "{}\n{}",
        unnamed("generated"),
        unnamed("prefixed").str("name_prefix", "job-")
    ));
    let plan = work.plan_text().ok();
    let names: Vec<&str> = plan
        .stdout
        .lines()
        .map(str::trim)
        .filter(|l| l.starts_with("+ name ") || l.starts_with("+ name="))
        .collect();
    assert_eq!(names.len(), 2, "{}", plan.stdout);
    assert!(
        names.iter().all(|l| l.ends_with("= (known after apply)")),
        "{names:?}"
    );
    work.apply().ok();

    let mut expected = Vec::new();
    for (address, prefix) in [("generated", "lambdawire-"), ("prefixed", "job-")] {
        let state = work.resource(&format!("lambdawire_scheduled_lambda_invoker.{address}"));
        let name = state["name"].as_str().expect("name").to_string();
        assert!(name.starts_with(prefix), "{name}");
        assert!(name.len() <= 64, "{name}");
        let role = state["role_name"].as_str().expect("role_name");
        assert!(
            role.starts_with("lambdawire-") && role.len() <= 64,
            "{role}"
        );
        assert!(aws.role_exists(role).await, "{role}");
        assert_eq!(aws.schedule_role_arn(&name).await, role_arn(role));
        expected.push(name);
    }
    let mut names = aws.schedule_names().await;
    names.sort();
    expected.sort();
    assert_eq!(names, expected);
    assert_eq!(aws.roles_with_prefix("lambdawire-").await.len(), 2);
    work.assert_no_changes();
    h.destroy_all().await;
}

#[tokio::test(flavor = "multi_thread")]
async fn scheduled_lambda_invoker_invalid_configuration_fails_at_plan_without_aws_writes() {
    let h = Harness::new();
    let (aws, work) = (&h.aws, &h.work);
    let function = aws.create_function("hook").await;
    // Written out, not built: the source lines below are looked for as they
    // stand here.
    let body = format!(
        r#"resource "lambdawire_scheduled_lambda_invoker" "this" {{
  name                         = "nightly"
  function_arn                 = "{function}"
  schedule_expression          = "cron(0 3 * * * *)"
  schedule_expression_timezone = "Mars/Olympus"
  input                        = "{{"
}}
"#
    );
    work.write(&body);
    let plan = work.plan();
    assert_eq!(plan.code, 1, "{}", plan.text());
    let output = plan.text();
    // The source line under each error shows the attribute path was attached.
    for (summary, line) in [
        (
            "invalid schedule_expression",
            r#"schedule_expression          = "cron(0 3 * * * *)""#,
        ),
        (
            "invalid schedule_expression_timezone",
            r#"schedule_expression_timezone = "Mars/Olympus""#,
        ),
        ("invalid input", r#"input                        = "{""#),
    ] {
        assert!(output.contains(summary), "{summary} missing:\n{output}");
        assert!(output.contains(line), "{line} missing:\n{output}");
    }
    assert!(aws.schedule_names().await.is_empty());
    let roles: Vec<String> = aws.roles_with_prefix("").await;
    assert_eq!(roles, ["hook-exec"], "no role written");
    // Nothing was applied; an empty configuration then plans nothing.
    work.write("");
    work.assert_no_changes();
    h.destroy_all().await;
}

#[tokio::test(flavor = "multi_thread")]
async fn scheduled_lambda_invoker_plan_shows_policies_in_full() {
    let h = Harness::new();
    let (aws, work) = (&h.aws, &h.work);
    let function = aws.create_function("hook").await;
    work.write(nightly(&function));
    let plan = work.plan_text().ok();
    let text = &plan.stdout;
    for piece in [
        "\"lambda:InvokeFunction\"".to_string(),
        format!("\"{function}\""),
        format!("\"{function}:*\""),
        "\"scheduler.amazonaws.com\"".to_string(),
        format!("\"arn:aws:scheduler:us-east-1:{ACCOUNT}:schedule-group/default\""),
        format!("\"{ACCOUNT}\""),
    ] {
        assert!(text.contains(&piece), "{piece} missing:\n{text}");
    }
    for (attribute, value) in [
        ("policy_json", "jsonencode("),
        ("trust_policy_json", "jsonencode("),
        ("action_after_completion", "\"NONE\""),
        ("role_name", "\"lambdawire-us-east-1-default-nightly\""),
        (
            "role_arn",
            "\"arn:aws:iam::123456789012:role/lambdawire-us-east-1-default-nightly\"",
        ),
        ("id", "\"default/nightly\""),
    ] {
        let line = plan_line(text, attribute).unwrap_or_else(|| panic!("{attribute}:\n{text}"));
        assert!(line.ends_with(value), "{line} should end with {value}");
    }
    work.apply().ok();
    let state = work.resource(ADDRESS);
    let policy = json(&aws.role_policy(DEFAULT_ROLE, POLICY).await.expect("policy"));
    assert_eq!(json(state["policy_json"].as_str().expect("policy")), policy);
    work.assert_no_changes();
    h.destroy_all().await;
}

#[tokio::test(flavor = "multi_thread")]
async fn scheduled_lambda_invoker_role_path_change_replaces() {
    let h = Harness::new();
    let (aws, work) = (&h.aws, &h.work);
    let function = aws.create_function("hook").await;
    work.write(nightly(&function));
    work.apply().ok();

    // Same generated role name at another path: IAM cannot move a role.
    work.write(nightly(&function).block("role", |role| role.str("path", "/ops/")));
    let plan = work.plan();
    assert_eq!(plan.code, 2, "{}", plan.text());
    assert!(
        plan.stdout.contains("must be replaced"),
        "a path change replaces:\n{}",
        plan.text()
    );
    work.apply().ok();
    let role = aws.role(DEFAULT_ROLE).await;
    assert_eq!(role.path(), "/ops/");
    assert_eq!(aws.schedule_role_arn("nightly").await, role.arn());
    assert_eq!(work.resource(ADDRESS)["role_arn"], role.arn());
    work.assert_no_changes();
    h.destroy_all().await;
}

#[tokio::test(flavor = "multi_thread")]
async fn scheduled_lambda_invoker_completed_schedule_given_a_new_time_runs_again() {
    let h = Harness::new();
    let (aws, work) = (&h.aws, &h.work);
    let function = aws.create_function("hook").await;
    let once = |at: &str| nightly(&function).str("schedule_expression", at);
    let (at, passed) = soon();
    work.write(once(&at));
    work.apply().ok();
    until(passed).await;
    aws.delete_schedule("default", "nightly").await;
    work.refresh().ok();
    assert_eq!(work.resource(ADDRESS)["completed"], true);

    // A new time in the future: the schedule exists again and has not fired.
    work.write(once("at(2099-01-01T00:00:00)"));
    let plan = work.plan();
    assert_in_place(&plan);
    work.apply().ok();
    let s = aws.schedule("default", "nightly").await.expect("recreated");
    assert_eq!(s.schedule_expression(), Some("at(2099-01-01T00:00:00)"));
    assert_eq!(
        s.target().expect("target").role_arn(),
        role_arn(DEFAULT_ROLE)
    );
    assert_eq!(work.resource(ADDRESS)["completed"], false);
    work.assert_no_changes();
    work.refresh().ok();
    assert_eq!(work.resource(ADDRESS)["completed"], false);
    h.destroy_all().await;
}

#[tokio::test(flavor = "multi_thread")]
async fn scheduled_lambda_invoker_completed_schedule_with_past_time_is_not_fired_again() {
    let h = Harness::new();
    let (aws, work) = (&h.aws, &h.work);
    let function = aws.create_function("hook").await;
    let (at, passed) = soon();
    let once = nightly(&function).str("schedule_expression", &at);
    work.write(&once);
    work.apply().ok();
    until(passed).await;
    aws.delete_schedule("default", "nightly").await;

    // Editing a schedule whose time has passed must not bring it back: it
    // would fire a second time.
    work.write(once.str("description", "edited after it fired"));
    work.apply().ok();
    assert!(aws.schedule_names().await.is_empty(), "not recreated");
    let state = work.resource(ADDRESS);
    assert_eq!(state["completed"], true);
    assert_eq!(state["description"], "edited after it fired");
    assert!(aws.role_exists(DEFAULT_ROLE).await);
    work.assert_no_changes();
    h.destroy_all().await;
}

#[tokio::test(flavor = "multi_thread")]
async fn scheduled_lambda_invoker_create_conflicts_leave_nothing_behind() {
    let h = Harness::new();
    let (aws, work) = (&h.aws, &h.work);
    let function = aws.create_function("hook").await;
    work.write(nightly(&function));

    // 1. A role of the generated name exists and is not ours: refuse, keep it.
    aws.create_user_role(
        DEFAULT_ROLE,
        "theirs",
        r#"{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"lambda:*","Resource":"*"}]}"#,
    )
    .await;
    let run = work.apply();
    assert_eq!(run.code, 1, "{}", run.text());
    assert!(run.stderr.contains("existing_role_arn"), "{}", run.text());
    assert!(aws.schedule_names().await.is_empty());
    assert!(aws.role_exists(DEFAULT_ROLE).await, "their role is kept");
    assert!(aws.role_policy(DEFAULT_ROLE, "theirs").await.is_some());
    assert!(
        aws.role_policy(DEFAULT_ROLE, POLICY).await.is_none(),
        "their role is not modified"
    );
    aws.delete_role_with_policies(DEFAULT_ROLE).await;

    // 2. A schedule of the name exists and is not ours: refuse, and roll back
    // the role this apply created.
    let theirs = aws
        .create_user_role("ops-scheduler", "invoke", r#"{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"lambda:InvokeFunction","Resource":"*"}]}"#)
        .await;
    aws.create_schedule("nightly", "rate(1 day)", &function, &theirs)
        .await;
    let run = work.apply();
    assert_eq!(run.code, 1, "{}", run.text());
    assert!(run.stderr.contains("already exists"), "{}", run.text());
    assert!(
        aws.roles_with_prefix("lambdawire-").await.is_empty(),
        "rolled back"
    );
    let s = aws.schedule("default", "nightly").await.expect("theirs");
    assert_eq!(s.schedule_expression(), Some("rate(1 day)"), "untouched");
    assert_eq!(s.target().expect("target").role_arn(), theirs);
    assert_eq!(work.resource(ADDRESS), serde_json::Value::Null);

    aws.delete_schedule("default", "nightly").await;
    work.write("");
    work.assert_no_changes();
    h.destroy_all().await;
}

#[tokio::test(flavor = "multi_thread")]
async fn scheduled_lambda_invoker_custom_group_and_dates_round_trip_and_import() {
    let h = Harness::new();
    let (aws, work) = (&h.aws, &h.work);
    let function = aws.create_function("hook").await;
    aws.create_schedule_group("ops").await;
    let config = nightly(&function)
        .str("group_name", "ops")
        .str("start_date", "2099-01-01T01:00:00+01:00")
        .str("end_date", "2099-12-31T00:00:00Z")
        .str(
            "kms_key_arn",
            "arn:aws:kms:us-east-1:123456789012:key/1234abcd-12ab-34cd-56ef-1234567890ab",
        );
    work.write(&config);
    work.apply().ok();
    let role = "lambdawire-us-east-1-ops-nightly";
    let state = work.resource(ADDRESS);
    assert_eq!(state["id"], "ops/nightly");
    assert_eq!(state["role_name"], role);
    let s = aws.schedule("ops", "nightly").await.expect("schedule");
    assert_eq!(s.start_date().map(|d| d.secs()), Some(4_070_908_800));
    assert_eq!(s.end_date().map(|d| d.secs()), Some(4_102_358_400));
    assert_eq!(
        s.kms_key_arn(),
        Some("arn:aws:kms:us-east-1:123456789012:key/1234abcd-12ab-34cd-56ef-1234567890ab")
    );
    assert_eq!(s.target().expect("target").role_arn(), role_arn(role));
    let trust = json(&aws.trust_policy(role).await.expect("trust"));
    assert_eq!(
        trust["Statement"][0]["Condition"]["ArnEquals"]["aws:SourceArn"],
        format!("arn:aws:scheduler:us-east-1:{ACCOUNT}:schedule-group/ops")
    );
    work.assert_no_changes();

    // Import has no configuration to take the text of a date from, so it
    // records the canonical UTC form; switch to it first (text only, in
    // place) so the imported state matches the configuration exactly.
    work.write(config.str("start_date", "2099-01-01T00:00:00Z"));
    assert_in_place(&work.plan());
    work.apply().ok();
    let s = aws.schedule("ops", "nightly").await.expect("schedule");
    assert_eq!(s.start_date().map(|d| d.secs()), Some(4_070_908_800));
    work.assert_no_changes();

    work.state_rm(ADDRESS).ok();
    work.import(ADDRESS, "ops/nightly").ok();
    let imported = work.resource(ADDRESS);
    assert_eq!(imported["role_managed"], true);
    assert_eq!(imported["role_name"], role);
    work.assert_no_changes();
    h.destroy_all().await;
}

#[tokio::test(flavor = "multi_thread")]
async fn scheduled_lambda_invoker_role_settings_update_in_place() {
    let h = Harness::new();
    let (aws, work) = (&h.aws, &h.work);
    let function = aws.create_function("hook").await;
    work.write(nightly(&function));
    work.apply().ok();
    let tags = |role: &aws_sdk_iam::types::Role| -> Vec<(String, String)> {
        let mut all: Vec<_> = role
            .tags()
            .iter()
            .map(|t| (t.key().to_string(), t.value().to_string()))
            .collect();
        all.sort();
        all
    };
    let owner = || {
        (
            "lambdawire:schedule".to_string(),
            "us-east-1/default/nightly".to_string(),
        )
    };
    assert_eq!(tags(&aws.role(DEFAULT_ROLE).await), [owner()]);

    let boundary = "arn:aws:iam::aws:policy/PowerUserAccess";
    work.write(nightly(&function).block("role", |role| {
        role.str("permissions_boundary", boundary)
            .expr("tags", r#"{ team = "a" }"#)
    }));
    assert_in_place(&work.plan());
    work.apply().ok();
    let role = aws.role(DEFAULT_ROLE).await;
    assert_eq!(tags(&role), [owner(), ("team".into(), "a".into())]);
    assert_eq!(
        role.permissions_boundary()
            .and_then(|b| b.permissions_boundary_arn()),
        Some(boundary)
    );
    assert_eq!(
        aws.schedule_role_arn("nightly").await,
        role_arn(DEFAULT_ROLE)
    );
    work.assert_no_changes();

    work.write(nightly(&function));
    assert_in_place(&work.plan());
    work.apply().ok();
    let role = aws.role(DEFAULT_ROLE).await;
    assert_eq!(tags(&role), [owner()]);
    assert!(role.permissions_boundary().is_none());
    work.assert_no_changes();
    h.destroy_all().await;
}

#[tokio::test(flavor = "multi_thread")]
async fn scheduled_lambda_invoker_existing_role_switches_to_another_existing_role() {
    let h = Harness::new();
    let (aws, work) = (&h.aws, &h.work);
    let function = aws.create_function("hook").await;
    let policy = r#"{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"lambda:InvokeFunction","Resource":"*"}]}"#;
    let first = aws.create_user_role("first", "invoke", policy).await;
    let second = aws.create_user_role("second", "invoke", policy).await;
    work.write(nightly(&function).str("existing_role_arn", &first));
    work.apply().ok();
    assert_eq!(aws.schedule_role_arn("nightly").await, first);

    work.write(nightly(&function).str("existing_role_arn", &second));
    assert_in_place(&work.plan());
    work.apply().ok();
    assert_eq!(aws.schedule_role_arn("nightly").await, second);
    assert!(
        aws.role_exists("first").await,
        "a user's role is never deleted"
    );
    assert_eq!(work.resource(ADDRESS)["role_name"], "second");
    work.assert_no_changes();

    h.destroy_all().await;
    assert!(aws.role_exists("first").await && aws.role_exists("second").await);
}

#[tokio::test(flavor = "multi_thread")]
async fn scheduled_lambda_invoker_import_adopts_managed_role_with_custom_name_and_path() {
    let h = Harness::new();
    let (aws, work) = (&h.aws, &h.work);
    let function = aws.create_function("hook").await;
    work.write(nightly(&function).block("role", |role| {
        role.str("name", "custom-x").str("path", "/ops/")
    }));
    work.apply().ok();
    let arn = format!("arn:aws:iam::{ACCOUNT}:role/ops/custom-x");
    assert_eq!(aws.schedule_role_arn("nightly").await, arn);

    work.state_rm(ADDRESS).ok();
    work.import(ADDRESS, "default/nightly").ok();
    let state = work.resource(ADDRESS);
    assert_eq!(state["role_managed"], true);
    assert_eq!(state["role_arn"], arn.as_str());
    work.assert_no_changes();
    h.destroy_all().await;
    assert!(!aws.role_exists("custom-x").await);
}

#[tokio::test(flavor = "multi_thread")]
async fn scheduled_lambda_invoker_existing_role_arn_naming_the_managed_role_releases_it() {
    let h = Harness::new();
    let (aws, work) = (&h.aws, &h.work);
    let function = aws.create_function("hook").await;
    work.write(nightly(&function));
    work.apply().ok();

    // The schedule keeps using the role: it must not be deleted, only let go.
    let managed = role_arn(DEFAULT_ROLE);
    work.write(nightly(&function).str("existing_role_arn", &managed));
    work.apply().ok();
    assert!(
        aws.role_exists(DEFAULT_ROLE).await,
        "the released role stays"
    );
    assert!(aws.role_policy(DEFAULT_ROLE, POLICY).await.is_some());
    assert_eq!(aws.schedule_role_arn("nightly").await, managed);
    assert_eq!(work.resource(ADDRESS)["role_managed"], false);
    work.assert_no_changes();

    work.destroy().ok();
    assert!(aws.schedule_names().await.is_empty());
    assert!(
        aws.role_exists(DEFAULT_ROLE).await,
        "destroy leaves a released role"
    );
}

/// A completed one-time invoker whose name another configuration has used
/// since, with its own role, leaves that schedule alone: no drift shown,
/// and destroying the invoker deletes neither the schedule nor its role.
#[tokio::test(flavor = "multi_thread")]
async fn scheduled_lambda_invoker_completed_leaves_a_reused_name_alone() {
    let h = Harness::new();
    let (aws, work) = (&h.aws, &h.work);
    let function = aws.create_function("hook").await;
    let (at, passed) = soon();
    work.write(nightly(&function).str("schedule_expression", &at));
    work.apply().ok();
    until(passed).await;
    aws.delete_schedule("default", "nightly").await;
    work.refresh().ok();
    assert_eq!(work.resource(ADDRESS)["completed"], true);

    // Someone else's schedule under the same name, with a role of theirs.
    let theirs = aws
        .create_role("their-scheduler", "/", SCHEDULER_TRUST)
        .await;
    aws.create_schedule("nightly", "rate(1 day)", &function, &theirs)
        .await;
    work.assert_no_changes();
    work.refresh().ok();
    assert_eq!(
        work.resource(ADDRESS)["completed"],
        true,
        "still ours: completed"
    );

    work.destroy().ok();
    assert_eq!(
        aws.schedule_role_arn("nightly").await,
        theirs,
        "their schedule stays, with their role"
    );
    assert!(aws.role_exists("their-scheduler").await);
    assert!(!aws.role_exists(DEFAULT_ROLE).await, "our own role is gone");
}
