//! `lambdawire_scheduled_lambda_invoker` through real terraform and moto.

use crate::support::{json, Aws, Moto, Workdir, ACCOUNT};

const POLICY: &str = "lambdawire-invoke";

fn invoker(function_arn: &str, extra: &str) -> String {
    format!(
        r#"resource "lambdawire_scheduled_lambda_invoker" "this" {{
  name                = "nightly"
  function_arn        = "{function_arn}"
  schedule_expression = "cron(0 3 * * ? *)"
{extra}
}}
"#
    )
}

#[tokio::test(flavor = "multi_thread")]
async fn basic_create_plan_destroy() {
    let moto = Moto::start();
    let aws = Aws::new(&moto);
    let function = aws.create_function("hook").await;
    let work = Workdir::new(&moto.url());
    work.write(&invoker(
        &function,
        r#"  schedule_expression_timezone = "Europe/Paris"
  input       = jsonencode({ url = "https://example.com/hooks/42" })
  description = "nightly hook"
  flexible_window_minutes = 15
  retry_policy {
    maximum_event_age_in_seconds = 3600
    maximum_retry_attempts       = 3
  }"#,
    ));
    work.apply().ok();

    let state = work.resource("lambdawire_scheduled_lambda_invoker.this");
    let role = state["role_name"].as_str().expect("role_name").to_string();
    assert_eq!(role, "lambdawire-us-east-1-default-nightly");
    assert_eq!(state["id"], "default/nightly");
    assert_eq!(state["action_after_completion"], "NONE");
    assert_eq!(state["role_managed"], true);

    let schedule = aws
        .scheduler
        .get_schedule()
        .name("nightly")
        .send()
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
