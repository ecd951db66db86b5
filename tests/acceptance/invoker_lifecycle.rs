//! `lambdawire_scheduled_lambda_invoker` over its life: update in place,
//! replacement, role changes, drift, out-of-band deletion, completion, import.

use crate::support::{json, Aws, Moto, Workdir, ACCOUNT};

const POLICY: &str = "lambdawire-invoke";

fn config(function_arn: &str, name: &str, extra: &str) -> String {
    format!(
        r#"resource "lambdawire_scheduled_lambda_invoker" "this" {{
  name                = "{name}"
  function_arn        = "{function_arn}"
{extra}
}}
"#
    )
}

async fn schedule(
    aws: &Aws,
    name: &str,
) -> aws_sdk_scheduler::operation::get_schedule::GetScheduleOutput {
    aws.scheduler
        .get_schedule()
        .name(name)
        .send()
        .await
        .expect("schedule exists")
}

#[tokio::test(flavor = "multi_thread")]
async fn update_in_place_then_rename_replaces_without_leftovers() {
    let moto = Moto::start();
    let aws = Aws::new(&moto);
    let function = aws.create_function("hook").await;
    let work = Workdir::new(&moto.url());
    work.write(&config(
        &function,
        "job",
        r#"  schedule_expression = "rate(5 minutes)""#,
    ));
    work.apply().ok();

    work.write(&config(
        &function,
        "job",
        r#"  schedule_expression          = "cron(30 6 ? * MON-FRI *)"
  schedule_expression_timezone = "America/New_York"
  state                        = "DISABLED"
  description                  = "weekday mornings"
  input                        = jsonencode({ run = 2 })
  flexible_window_minutes      = 10
  retry_policy {
    maximum_event_age_in_seconds = 600
    maximum_retry_attempts       = 2
  }"#,
    ));
    let plan = work.plan();
    assert_eq!(plan.code, 2, "{}", plan.text());
    assert!(
        plan.stdout.contains("0 to add, 1 to change, 0 to destroy"),
        "{}",
        plan.stdout
    );
    work.apply().ok();
    let s = schedule(&aws, "job").await;
    assert_eq!(s.schedule_expression(), Some("cron(30 6 ? * MON-FRI *)"));
    assert_eq!(s.schedule_expression_timezone(), Some("America/New_York"));
    assert_eq!(s.state().map(|v| v.as_str()), Some("DISABLED"));
    assert_eq!(s.description(), Some("weekday mornings"));
    assert_eq!(
        s.flexible_time_window()
            .and_then(|w| w.maximum_window_in_minutes()),
        Some(10)
    );
    let target = s.target().expect("target");
    assert_eq!(json(target.input().unwrap()), json(r#"{"run":2}"#));
    assert_eq!(
        target
            .retry_policy()
            .and_then(|r| r.maximum_retry_attempts()),
        Some(2)
    );
    work.assert_no_changes();

    work.write(&config(
        &function,
        "job-renamed",
        r#"  schedule_expression = "rate(5 minutes)""#,
    ));
    let plan = work.plan();
    assert!(plan.stdout.contains("must be replaced"), "{}", plan.stdout);
    work.apply().ok();
    assert_eq!(aws.schedule_names().await, ["job-renamed"]);
    assert_eq!(
        aws.roles_with_prefix("lambdawire-").await,
        ["lambdawire-us-east-1-default-job-renamed"]
    );
    work.assert_no_changes();
    work.destroy().ok();
    assert!(aws.schedule_names().await.is_empty());
    assert!(aws.roles_with_prefix("lambdawire-").await.is_empty());
}

#[tokio::test(flavor = "multi_thread")]
async fn dead_letter_queue_is_granted_and_wired() {
    let moto = Moto::start();
    let aws = Aws::new(&moto);
    let function = aws.create_function("hook").await;
    let dlq = format!("arn:aws:sqs:us-east-1:{ACCOUNT}:hook-dlq");
    let work = Workdir::new(&moto.url());
    work.write(&config(
        &function,
        "with-dlq",
        &format!("  schedule_expression = \"rate(1 hour)\"\n  dead_letter_arn = \"{dlq}\""),
    ));
    work.apply().ok();
    let role = "lambdawire-us-east-1-default-with-dlq";
    let policy = json(&aws.role_policy(role, POLICY).await.expect("policy"));
    let statements = policy["Statement"].as_array().expect("statements");
    assert_eq!(statements.len(), 2);
    assert_eq!(statements[1]["Action"], "sqs:SendMessage");
    assert_eq!(statements[1]["Resource"], dlq.as_str());
    let s = schedule(&aws, "with-dlq").await;
    assert_eq!(
        s.target()
            .and_then(|t| t.dead_letter_config())
            .and_then(|d| d.arn()),
        Some(dlq.as_str())
    );
    work.assert_no_changes();
    work.destroy().ok();
}

#[tokio::test(flavor = "multi_thread")]
async fn role_changes_in_place_create_the_new_role_before_deleting_the_old() {
    let moto = Moto::start();
    let aws = Aws::new(&moto);
    let function = aws.create_function("hook").await;
    let trust = r#"{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Principal":{"Service":"scheduler.amazonaws.com"},"Action":"sts:AssumeRole"}]}"#;
    let own = aws
        .iam
        .create_role()
        .role_name("team-scheduler")
        .assume_role_policy_document(trust)
        .send()
        .await
        .expect("own role")
        .role
        .expect("role")
        .arn()
        .to_string();
    let work = Workdir::new(&moto.url());
    let rate = r#"  schedule_expression = "rate(1 hour)""#;
    let role_arn = |s: &aws_sdk_scheduler::operation::get_schedule::GetScheduleOutput| {
        s.target()
            .map(|t| t.role_arn().to_string())
            .unwrap_or_default()
    };

    work.write(&config(&function, "roles", rate));
    work.apply().ok();
    let generated = "lambdawire-us-east-1-default-roles";
    assert!(role_arn(&schedule(&aws, "roles").await).ends_with(generated));

    work.write(&config(
        &function,
        "roles",
        &format!("{rate}\n  role {{\n    name = \"custom-roles\"\n  }}"),
    ));
    let plan = work.plan();
    assert!(plan.stdout.contains("1 to change"), "{}", plan.stdout);
    work.apply().ok();
    assert!(role_arn(&schedule(&aws, "roles").await).ends_with("role/custom-roles"));
    assert!(
        !aws.role_exists(generated).await,
        "old role deleted after the repoint"
    );
    work.assert_no_changes();

    work.write(&config(
        &function,
        "roles",
        &format!("{rate}\n  existing_role_arn = \"{own}\""),
    ));
    work.apply().ok();
    assert_eq!(role_arn(&schedule(&aws, "roles").await), own);
    assert!(!aws.role_exists("custom-roles").await);
    let state = work.resource("lambdawire_scheduled_lambda_invoker.this");
    assert_eq!(state["role_managed"], false);
    assert!(state["policy_json"].is_null() && state["trust_policy_json"].is_null());
    work.assert_no_changes();

    work.write(&config(&function, "roles", rate));
    work.apply().ok();
    assert!(role_arn(&schedule(&aws, "roles").await).ends_with(generated));
    work.assert_no_changes();
    work.destroy().ok();
    assert!(
        aws.role_exists("team-scheduler").await,
        "a user's own role is never deleted"
    );
    assert!(aws.roles_with_prefix("lambdawire-").await.is_empty());
}

#[tokio::test(flavor = "multi_thread")]
async fn drift_in_policies_role_and_schedule_is_shown_and_repaired() {
    let moto = Moto::start();
    let aws = Aws::new(&moto);
    let function = aws.create_function("hook").await;
    let work = Workdir::new(&moto.url());
    work.write(&config(
        &function,
        "drifty",
        r#"  schedule_expression = "rate(1 hour)""#,
    ));
    work.apply().ok();
    let role = "lambdawire-us-east-1-default-drifty";
    let original = aws.role_policy(role, POLICY).await.expect("policy");
    let wide = r#"{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"lambda:*","Resource":"*"}]}"#;

    aws.iam
        .put_role_policy()
        .role_name(role)
        .policy_name(POLICY)
        .policy_document(wide)
        .send()
        .await
        .unwrap();
    assert_eq!(work.plan().code, 2, "widened inline policy is drift");
    work.apply().ok();
    assert_eq!(
        json(&aws.role_policy(role, POLICY).await.unwrap()),
        json(&original)
    );
    work.assert_no_changes();

    let open_trust = r#"{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Principal":{"Service":"scheduler.amazonaws.com"},"Action":"sts:AssumeRole"}]}"#;
    aws.iam
        .update_assume_role_policy()
        .role_name(role)
        .policy_document(open_trust)
        .send()
        .await
        .unwrap();
    assert_eq!(work.plan().code, 2, "trust without conditions is drift");
    work.apply().ok();
    let trust = json(&aws.trust_policy(role).await.unwrap());
    assert_eq!(
        trust["Statement"][0]["Condition"]["StringEquals"]["aws:SourceAccount"],
        ACCOUNT
    );
    work.assert_no_changes();

    aws.iam
        .delete_role_policy()
        .role_name(role)
        .policy_name(POLICY)
        .send()
        .await
        .unwrap();
    aws.iam.delete_role().role_name(role).send().await.unwrap();
    assert_eq!(work.plan().code, 2, "a deleted role is drift");
    work.apply().ok();
    assert!(aws.role_exists(role).await);
    assert!(aws.role_policy(role, POLICY).await.is_some());
    work.assert_no_changes();

    aws.scheduler
        .delete_schedule()
        .name("drifty")
        .send()
        .await
        .unwrap();
    assert_eq!(work.plan().code, 2, "a deleted schedule is planned anew");
    work.apply().ok();
    assert_eq!(aws.schedule_names().await, ["drifty"]);
    assert_eq!(
        aws.roles_with_prefix("lambdawire-").await,
        [role],
        "the role is reused, not duplicated"
    );
    work.assert_no_changes();
    work.destroy().ok();
    assert!(aws.roles_with_prefix("lambdawire-").await.is_empty());
}

#[tokio::test(flavor = "multi_thread")]
async fn fired_one_time_schedule_stays_completed_with_an_empty_plan() {
    let moto = Moto::start();
    let aws = Aws::new(&moto);
    let function = aws.create_function("hook").await;
    let work = Workdir::new(&moto.url());
    work.write(&config(
        &function,
        "once",
        r#"  schedule_expression = "at(2020-01-01T00:00:00)""#,
    ));
    work.apply().ok();
    let state = work.resource("lambdawire_scheduled_lambda_invoker.this");
    assert_eq!(state["action_after_completion"], "DELETE");
    assert_eq!(state["completed"], false);
    // Scheduler deletes a fired one-time schedule by itself.
    aws.scheduler
        .delete_schedule()
        .name("once")
        .send()
        .await
        .unwrap();
    work.assert_no_changes();
    work.apply().ok();
    assert_eq!(
        work.resource("lambdawire_scheduled_lambda_invoker.this")["completed"],
        true
    );
    work.assert_no_changes();
    work.destroy().ok();
    assert!(
        aws.roles_with_prefix("lambdawire-").await.is_empty(),
        "its role goes with it"
    );
}

#[tokio::test(flavor = "multi_thread")]
async fn import_by_group_and_name_or_name_plans_no_change() {
    let moto = Moto::start();
    let aws = Aws::new(&moto);
    let function = aws.create_function("hook").await;
    let work = Workdir::new(&moto.url());
    let body = config(
        &function,
        "imported",
        r#"  schedule_expression = "rate(1 hour)"
  input               = jsonencode({ a = 1 })"#,
    );
    work.write(&body);
    work.apply().ok();
    for id in ["default/imported", "imported"] {
        work.terraform(&["state", "rm", "lambdawire_scheduled_lambda_invoker.this"])
            .ok();
        work.import("lambdawire_scheduled_lambda_invoker.this", id)
            .ok();
        let state = work.resource("lambdawire_scheduled_lambda_invoker.this");
        assert_eq!(
            state["role_managed"], true,
            "generated role adopted as managed ({id})"
        );
        work.assert_no_changes();
    }

    // A schedule whose role the user made is imported as existing_role_arn.
    let trust = r#"{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Principal":{"Service":"scheduler.amazonaws.com"},"Action":"sts:AssumeRole"}]}"#;
    let own = aws
        .iam
        .create_role()
        .role_name("hand-made")
        .assume_role_policy_document(trust)
        .send()
        .await
        .unwrap();
    let own = own.role.unwrap().arn().to_string();
    aws.scheduler
        .create_schedule()
        .name("by-hand")
        .schedule_expression("rate(2 hours)")
        .flexible_time_window(
            aws_sdk_scheduler::types::FlexibleTimeWindow::builder()
                .mode(aws_sdk_scheduler::types::FlexibleTimeWindowMode::Off)
                .build()
                .unwrap(),
        )
        .target(
            aws_sdk_scheduler::types::Target::builder()
                .arn(&function)
                .role_arn(&own)
                .build()
                .unwrap(),
        )
        .send()
        .await
        .unwrap();
    let second = Workdir::new(&moto.url());
    second.write(&format!(
        r#"resource "lambdawire_scheduled_lambda_invoker" "this" {{
  name                    = "by-hand"
  function_arn            = "{function}"
  schedule_expression     = "rate(2 hours)"
  existing_role_arn       = "{own}"
  action_after_completion = "NONE"
}}
"#
    ));
    second
        .import("lambdawire_scheduled_lambda_invoker.this", "by-hand")
        .ok();
    second.assert_no_changes();
}

#[tokio::test(flavor = "multi_thread")]
async fn bad_input_fails_at_plan_naming_the_attribute_with_no_aws_write() {
    let moto = Moto::start();
    let aws = Aws::new(&moto);
    let work = Workdir::new(&moto.url());
    let cases = [
        ("schedule_expression", r#"  schedule_expression = "cron(0 3 * * * *)""#),
        ("schedule_expression_timezone", "  schedule_expression = \"rate(1 hour)\"\n  schedule_expression_timezone = \"Mars/Olympus\""),
        ("input", "  schedule_expression = \"rate(1 hour)\"\n  input = \"{\""),
        ("flexible_window_minutes", "  schedule_expression = \"rate(1 hour)\"\n  flexible_window_minutes = 0"),
    ];
    for (attribute, extra) in cases {
        work.write(&config(
            "arn:aws:lambda:us-east-1:123456789012:function:hook",
            "bad",
            extra,
        ));
        let run = work.plan();
        assert_eq!(run.code, 1, "{attribute}: {}", run.text());
        assert!(
            run.stderr.contains(&format!("invalid {attribute}")) || run.stderr.contains(attribute),
            "{}",
            run.stderr
        );
        assert!(
            run.stderr.contains(" line "),
            "points at the configuration line:\n{}",
            run.stderr
        );
    }
    assert!(aws.roles_with_prefix("lambdawire-").await.is_empty());
    assert!(aws.schedule_names().await.is_empty());
}

#[tokio::test(flavor = "multi_thread")]
async fn plan_shows_the_exact_policies_and_defaults() {
    let moto = Moto::start();
    let work = Workdir::new(&moto.url());
    let function = "arn:aws:lambda:us-east-1:123456789012:function:hook";
    work.write(&config(
        function,
        "shown",
        r#"  schedule_expression = "rate(1 hour)""#,
    ));
    let run = work.terraform(&["plan", "-no-color"]).ok();
    assert!(
        run.stdout
            .contains(r#"action_after_completion      = "NONE""#),
        "{}",
        run.stdout
    );
    assert!(
        run.stdout.contains("lambda:InvokeFunction"),
        "{}",
        run.stdout
    );
    assert!(
        run.stdout.contains(&format!("{function}:*")),
        "{}",
        run.stdout
    );
    assert!(
        run.stdout.contains("schedule-group/default"),
        "{}",
        run.stdout
    );
    assert!(run.stdout.contains("aws:SourceAccount"), "{}", run.stdout);
    assert!(
        run.stdout
            .contains(r#"role_name                    = "lambdawire-us-east-1-default-shown""#),
        "{}",
        run.stdout
    );
}
