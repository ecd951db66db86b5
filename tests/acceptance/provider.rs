//! Provider-level behaviour through real terraform: configuration validation,
//! logging, functions, the data source.

use crate::support::{Aws, Moto, Workdir};

#[test]
fn endpoint_that_is_not_a_url_fails_validate_naming_the_attribute() {
    let work = Workdir::new("http://127.0.0.1:9");
    let body = r#"terraform {
  required_providers {
    lambdawire = { source = "lambdawire/lambdawire" }
  }
}
provider "lambdawire" {
  region = "us-east-1"
  endpoints { iam = "not a url" }
}
resource "lambdawire_scheduled_lambda_invoker" "x" {
  function_arn        = "arn:aws:lambda:us-east-1:123456789012:function:hook"
  schedule_expression = "rate(5 minutes)"
}
"#;
    std::fs::write(work.path().join("main.tf"), body).unwrap();
    let run = work.terraform(&["validate", "-no-color"]);
    assert_eq!(run.code, 1, "{}", run.text());
    assert!(
        run.stderr.contains("endpoints.iam is not a URL"),
        "{}",
        run.text()
    );
    assert!(
        run.stderr.contains("iam = \"not a url\""),
        "points at the attribute:\n{}",
        run.text()
    );
    assert!(
        !run.stderr.contains("stack backtrace"),
        "no Rust backtrace reaches users"
    );
}

#[tokio::test(flavor = "multi_thread")]
async fn provider_log_lines_show_under_tf_log_provider() {
    let moto = Moto::start();
    let mut work = Workdir::new(&moto.url());
    work.set_env("TF_LOG_PROVIDER", "DEBUG");
    work.write(
        r#"resource "lambdawire_scheduled_lambda_invoker" "x" {
  name                = "logged"
  function_arn        = "arn:aws:lambda:us-east-1:123456789012:function:hook"
  schedule_expression = "rate(5 minutes)"
}"#,
    );
    let run = work.terraform(&["plan", "-no-color"]);
    assert_eq!(run.code, 0, "{}", run.text());
    assert!(
        run.stderr.lines().any(
            |l| l.contains("[DEBUG] provider.terraform-provider-lambdawire")
                && l.contains("AWS clients configured")
        ),
        "our own debug line, at its level:\n{}",
        run.stderr
    );
    // Planning asks STS for the account: that call is logged with its id.
    assert!(
        run.stderr.lines().any(|l| l.contains("AWS call answered")
            && l.contains("operation=GetCallerIdentity")
            && l.contains("request_id=")
            && !l.contains("request_id=none")),
        "every answered call is logged with its request id:\n{}",
        run.stderr
    );
    assert!(
        !run.stderr.contains("testing"),
        "credentials never appear in logs"
    );
}

#[test]
fn functions_render_at_and_infer_principals() {
    let work = Workdir::new("http://127.0.0.1:9");
    let body = r#"terraform {
  required_providers {
    lambdawire = { source = "lambdawire/lambdawire" }
  }
}
output "at" { value = provider::lambdawire::at("2030-01-01T09:00:00Z", "Europe/Paris") }
output "principal" { value = provider::lambdawire::principal_for_arn("arn:aws:s3:::uploads") }
"#;
    std::fs::write(work.path().join("main.tf"), body).unwrap();
    let run = work.terraform(&["plan", "-no-color"]).ok();
    assert!(
        run.stdout
            .contains(r#"at        = "at(2030-01-01T10:00:00)""#),
        "{}",
        run.stdout
    );
    assert!(
        run.stdout.contains(r#"principal = "s3.amazonaws.com""#),
        "{}",
        run.stdout
    );

    std::fs::write(
        work.path().join("main.tf"),
        body.replace("Europe/Paris", "Mars/Base"),
    )
    .unwrap();
    let run = work.terraform(&["plan", "-no-color"]);
    assert_eq!(run.code, 1);
    assert!(run.stderr.contains("IANA time zone"), "{}", run.text());
}

#[tokio::test(flavor = "multi_thread")]
async fn function_policy_data_source_lists_statements_and_empty_policy() {
    let moto = Moto::start();
    let aws = Aws::new(&moto);
    aws.create_function("bare").await;
    aws.create_function("granted").await;
    aws.lambda
        .add_permission()
        .function_name("granted")
        .statement_id("events-nightly")
        .action("lambda:InvokeFunction")
        .principal("events.amazonaws.com")
        .source_arn("arn:aws:events:us-east-1:123456789012:rule/nightly")
        .send()
        .await
        .expect("add permission");
    let work = Workdir::new(&moto.url());
    work.write(
        r#"data "lambdawire_lambda_function_policy" "bare" {
  function_name = "bare"
}
data "lambdawire_lambda_function_policy" "granted" {
  function_name = "granted"
}
output "bare_count" { value = length(data.lambdawire_lambda_function_policy.bare.statements) }
output "granted" { value = data.lambdawire_lambda_function_policy.granted.statements[0] }
"#,
    );
    work.apply().ok();
    let out = work.terraform(&["output", "-json"]).ok();
    let outputs: serde_json::Value = serde_json::from_str(&out.stdout).unwrap();
    assert_eq!(outputs["bare_count"]["value"], 0);
    let statement = &outputs["granted"]["value"];
    assert_eq!(statement["sid"], "events-nightly");
    assert_eq!(statement["effect"], "Allow");
    assert_eq!(statement["principal"], "events.amazonaws.com");
    assert_eq!(
        statement["source_arn"],
        "arn:aws:events:us-east-1:123456789012:rule/nightly"
    );
}
