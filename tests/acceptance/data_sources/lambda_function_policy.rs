//! The data source's audit (SPEC, `lambdawire_lambda_function_policy`):
//! `findings` and `size_bytes` of a real function policy in moto, and the
//! documented example that fails a plan on a high-severity finding.

use crate::support::{Aws, Moto, Workdir, ACCOUNT};

async fn add(aws: &Aws, function: &str, sid: &str, principal: &str, source_arn: Option<&str>) {
    aws.lambda
        .add_permission()
        .function_name(function)
        .statement_id(sid)
        .action("lambda:InvokeFunction")
        .principal(principal)
        .set_source_arn(source_arn.map(str::to_string))
        .send()
        .await
        .expect("add permission");
}

fn outputs(work: &Workdir) -> serde_json::Value {
    let out = work.terraform(&["output", "-json"]).ok();
    serde_json::from_str(&out.stdout).expect("outputs")
}

#[tokio::test(flavor = "multi_thread")]
async fn findings_name_each_risky_statement_and_the_example_fails_the_plan() {
    let moto = Moto::start();
    let aws = Aws::new(&moto);
    aws.create_function("processor").await;
    add(&aws, "processor", "everyone", "*", None).await;
    add(
        &aws,
        "processor",
        "uploads",
        "s3.amazonaws.com",
        Some("arn:aws:s3:::uploads"),
    )
    .await;
    add(
        &aws,
        "processor",
        "nightly",
        "events.amazonaws.com",
        Some(&format!("arn:aws:events:us-east-1:{ACCOUNT}:rule/nightly")),
    )
    .await;

    let work = Workdir::new(&moto.url());
    work.write(
        r#"data "lambdawire_lambda_function_policy" "p" {
  function_name = "processor"
}
output "findings" { value = data.lambdawire_lambda_function_policy.p.findings }
output "size" { value = data.lambdawire_lambda_function_policy.p.size_bytes }
output "policy" { value = data.lambdawire_lambda_function_policy.p.policy_json }
"#,
    );
    work.apply().ok();
    let out = outputs(&work);
    let found: Vec<(String, String, String)> = out["findings"]["value"]
        .as_array()
        .expect("findings")
        .iter()
        .map(|f| {
            (
                f["sid"].as_str().unwrap_or("").to_string(),
                f["severity"].as_str().unwrap_or("").to_string(),
                f["code"].as_str().unwrap_or("").to_string(),
            )
        })
        .collect();
    let expect = |sid: &str, severity: &str, code: &str| (sid.into(), severity.into(), code.into());
    assert_eq!(
        found,
        vec![
            expect("everyone", "high", "public-unscoped"),
            expect("everyone", "high", "public-invoke-without-url-condition"),
            expect("uploads", "medium", "bucket-without-source-account"),
        ],
        "the scoped events statement has none"
    );
    let policy = out["policy"]["value"].as_str().expect("policy");
    assert_eq!(out["size"]["value"], policy.len());

    // The registry example, pointed at this function: its postcondition
    // stops the plan on the high findings, naming the statement.
    let example = std::fs::read_to_string(
        std::path::Path::new(env!("CARGO_MANIFEST_DIR"))
            .join("examples/data-sources/lambdawire_lambda_function_policy/data-source.tf"),
    )
    .expect("example");
    work.write(&example);
    let run = work.plan_text();
    assert_eq!(run.code, 1, "the plan fails:\n{}", run.text());
    let text = run.text().split_whitespace().collect::<Vec<_>>().join(" ");
    assert!(text.contains("Resource postcondition failed"), "{text}");
    assert!(
        text.contains("everyone: anyone may call lambda:InvokeFunction"),
        "{text}"
    );

    // Once the public grant is gone, the plan passes; the check block still
    // warns about the S3 statement without a source account.
    aws.lambda
        .remove_permission()
        .function_name("processor")
        .statement_id("everyone")
        .send()
        .await
        .expect("remove permission");
    let run = work.plan_text();
    assert_eq!(run.code, 0, "{}", run.text());
    let text = run.text().split_whitespace().collect::<Vec<_>>().join(" ");
    assert!(text.contains("Check block assertion failed"), "{text}");
    assert!(
        text.contains("medium bucket-without-source-account"),
        "{text}"
    );
}

#[tokio::test(flavor = "multi_thread")]
async fn a_function_without_a_policy_has_no_findings_and_size_zero() {
    let moto = Moto::start();
    let aws = Aws::new(&moto);
    aws.create_function("bare").await;
    let work = Workdir::new(&moto.url());
    work.write(
        r#"data "lambdawire_lambda_function_policy" "p" {
  function_name = "bare"
}
output "findings" { value = data.lambdawire_lambda_function_policy.p.findings }
output "size" { value = data.lambdawire_lambda_function_policy.p.size_bytes }
"#,
    );
    work.apply().ok();
    let out = outputs(&work);
    assert_eq!(out["findings"]["value"], serde_json::json!([]));
    assert_eq!(out["size"]["value"], 0);
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
