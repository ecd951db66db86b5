//! `lambdawire_lambda_execution_role` through real terraform and moto.

use crate::support::hcl;
use crate::support::{json, Harness, ACCOUNT};

/// The role is scoped to what it names, refuses a wildcard unless allowed,
/// repairs drift, and imports by name.
#[tokio::test(flavor = "multi_thread")]
async fn lambda_execution_role_basic() {
    let h = Harness::new();
    let (aws, work) = (&h.aws, &h.work);
    let queue = format!("arn:aws:sqs:us-east-1:{ACCOUNT}:jobs");
    let body = |resource: &str, allow: bool| {
        hcl::execution_role("processor")
            .label("processor")
            .expr("sqs_queue_arns", &hcl::list(&[&queue]))
            .expr("s3_read_arns", &hcl::list(&["arn:aws:s3:::uploads"]))
            .expr("allow_wildcard_resources", &allow.to_string())
            .block("statement", |statement| {
                statement
                    .str("sid", "Tracing")
                    .expr("actions", &hcl::list(&["xray:PutTraceSegments"]))
                    .expr("resources", &hcl::list(&[resource]))
            })
            .role_name("processor-exec")
    };
    work.write(body("*", false));
    let run = work.plan();
    assert_eq!(run.code, 1, "{}", run.text());
    assert!(
        run.stderr.contains("allow_wildcard_resources"),
        "{}",
        run.stderr
    );
    assert!(!aws.role_exists("processor-exec").await);

    work.write(body("*", true));
    work.apply().ok();
    let policy = json(
        &aws.role_policy("processor-exec", "lambdawire-execution")
            .await
            .expect("policy"),
    );
    let text = policy.to_string();
    assert!(
        text.contains(&format!(
            "arn:aws:logs:us-east-1:{ACCOUNT}:log-group:/aws/lambda/processor"
        )),
        "{text}"
    );
    assert!(
        text.contains("sqs:ReceiveMessage") && text.contains("arn:aws:s3:::uploads/*"),
        "{text}"
    );
    let trust = json(&aws.trust_policy("processor-exec").await.unwrap());
    assert_eq!(
        trust["Statement"][0]["Principal"]["Service"],
        "lambda.amazonaws.com"
    );
    work.assert_no_changes();

    aws.put_role_policy(
        "processor-exec",
        "lambdawire-execution",
        r#"{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"*","Resource":"*"}]}"#,
    )
    .await;
    assert_eq!(work.plan().code, 2, "a widened policy is drift");
    work.apply().ok();
    assert_eq!(
        json(
            &aws.role_policy("processor-exec", "lambdawire-execution")
                .await
                .unwrap()
        ),
        policy
    );
    work.assert_no_changes();

    work.state_rm("lambdawire_lambda_execution_role.processor")
        .ok();
    work.import(
        "lambdawire_lambda_execution_role.processor",
        "processor-exec",
    )
    .ok();
    work.assert_no_changes();
    work.destroy().ok();
    assert!(!aws.role_exists("processor-exec").await);
}

/// A function that creates schedules at run time: its role holds exactly
/// the statements of the scheduler role's `creator_policy_json`, in IAM,
/// and an import recovers the block.
#[tokio::test(flavor = "multi_thread")]
async fn lambda_execution_role_schedule_creator() {
    let h = Harness::new();
    let (aws, work) = (&h.aws, &h.work);
    let function = format!("arn:aws:lambda:us-east-1:{ACCOUNT}:function:reminder");
    work.write(format!(
        "{}\n{}",
        hcl::scheduler_invoke_role(&[&function])
            .label("reminders")
            .str("schedule_group", "default")
            .role_name("reminders-scheduler"),
        hcl::execution_role("booking")
            .label("booking")
            .block("schedule_creator", |b| {
                b.expr(
                    "scheduler_role_arn",
                    "lambdawire_scheduler_invoke_role.reminders.arn",
                )
                .str("schedule_group", "default")
            })
            .role_name("booking-exec")
    ));
    work.apply().ok();
    let creator = json(
        work.resource("lambdawire_scheduler_invoke_role.reminders")["creator_policy_json"]
            .as_str()
            .expect("creator policy"),
    );
    let policy = json(
        &aws.role_policy("booking-exec", "lambdawire-execution")
            .await
            .expect("policy"),
    );
    let statements = policy["Statement"].as_array().expect("statements");
    for wanted in creator["Statement"].as_array().expect("creator statements") {
        assert!(statements.contains(wanted), "{wanted} in {policy}");
    }
    let pass = statements
        .iter()
        .find(|s| s["Sid"] == "PassSchedulerRole")
        .expect("PassRole statement");
    assert_eq!(
        pass["Resource"],
        format!("arn:aws:iam::{ACCOUNT}:role/reminders-scheduler")
    );
    assert_eq!(
        pass["Condition"]["StringEquals"]["iam:PassedToService"],
        "scheduler.amazonaws.com"
    );
    work.assert_no_changes();

    work.state_rm("lambdawire_lambda_execution_role.booking")
        .ok();
    work.import("lambdawire_lambda_execution_role.booking", "booking-exec")
        .ok();
    work.assert_no_changes();
    work.destroy().ok();
    assert!(!aws.role_exists("booking-exec").await);
}
