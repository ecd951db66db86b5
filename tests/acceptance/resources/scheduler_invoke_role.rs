//! `lambdawire_scheduler_invoke_role` through real terraform and moto.

use crate::support::{json, Aws, Moto, Workdir, ACCOUNT};

#[tokio::test(flavor = "multi_thread")]
async fn shared_scheduler_role_serves_invokers_and_imports_by_name() {
    let moto = Moto::start();
    let aws = Aws::new(&moto);
    let function = aws.create_function("hook").await;
    let work = Workdir::new(&moto.url());
    work.write(&format!(
        r#"resource "lambdawire_scheduler_invoke_role" "shared" {{
  function_arns    = ["{function}"]
  schedule_group   = "default"
  dead_letter_arns = ["arn:aws:sqs:us-east-1:{ACCOUNT}:dlq"]
  role {{
    name = "shared-scheduler"
  }}
}}

resource "lambdawire_scheduled_lambda_invoker" "a" {{
  name                = "a"
  function_arn        = "{function}"
  schedule_expression = "rate(1 hour)"
  existing_role_arn   = lambdawire_scheduler_invoke_role.shared.arn
}}
"#
    ));
    work.apply().ok();
    let trust = json(&aws.trust_policy("shared-scheduler").await.expect("role"));
    assert_eq!(
        trust["Statement"][0]["Condition"]["ArnEquals"]["aws:SourceArn"],
        format!("arn:aws:scheduler:us-east-1:{ACCOUNT}:schedule-group/default")
    );
    let policy = json(
        &aws.role_policy("shared-scheduler", "lambdawire-invoke")
            .await
            .expect("policy"),
    );
    assert_eq!(policy["Statement"][1]["Action"], "sqs:SendMessage");
    let target = aws.scheduler.get_schedule().name("a").send().await.unwrap();
    assert!(target
        .target()
        .unwrap()
        .role_arn()
        .ends_with("role/shared-scheduler"));
    assert!(
        aws.roles_with_prefix("lambdawire-").await.is_empty(),
        "the invoker made no role of its own"
    );
    work.assert_no_changes();

    work.terraform(&["state", "rm", "lambdawire_scheduler_invoke_role.shared"])
        .ok();
    work.import(
        "lambdawire_scheduler_invoke_role.shared",
        "shared-scheduler",
    )
    .ok();
    work.assert_no_changes();
    work.destroy().ok();
    assert!(!aws.role_exists("shared-scheduler").await);
}
