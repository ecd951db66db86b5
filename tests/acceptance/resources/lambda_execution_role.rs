//! `lambdawire_lambda_execution_role` through real terraform and moto.

use crate::support::{json, Aws, Moto, Workdir, ACCOUNT};

#[tokio::test(flavor = "multi_thread")]
async fn execution_role_is_scoped_refuses_wildcards_and_repairs_drift() {
    let moto = Moto::start();
    let aws = Aws::new(&moto);
    let work = Workdir::new(&moto.url());
    let body = |resources: &str, allow: bool| {
        format!(
            r#"resource "lambdawire_lambda_execution_role" "processor" {{
  function_name  = "processor"
  sqs_queue_arns = ["arn:aws:sqs:us-east-1:{ACCOUNT}:jobs"]
  s3_read_arns   = ["arn:aws:s3:::uploads"]
  allow_wildcard_resources = {allow}
  statement {{
    sid       = "Tracing"
    actions   = ["xray:PutTraceSegments"]
    resources = [{resources}]
  }}
  role {{
    name = "processor-exec"
  }}
}}
"#
        )
    };
    work.write(&body("\"*\"", false));
    let run = work.plan();
    assert_eq!(run.code, 1, "{}", run.text());
    assert!(
        run.stderr.contains("allow_wildcard_resources"),
        "{}",
        run.stderr
    );
    assert!(!aws.role_exists("processor-exec").await);

    work.write(&body("\"*\"", true));
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

    aws.iam
        .put_role_policy()
        .role_name("processor-exec")
        .policy_name("lambdawire-execution")
        .policy_document(r#"{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"*","Resource":"*"}]}"#)
        .send()
        .await
        .unwrap();
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

    work.terraform(&["state", "rm", "lambdawire_lambda_execution_role.processor"])
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
