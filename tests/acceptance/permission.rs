//! `lambdawire_lambda_invoke_permission` through real terraform and moto.

use crate::support::{json, Aws, Moto, Workdir, ACCOUNT};

async fn statement(aws: &Aws, function: &str, sid: &str) -> Option<serde_json::Value> {
    let policy = aws
        .lambda
        .get_policy()
        .function_name(function)
        .send()
        .await
        .ok()?;
    let doc = json(policy.policy()?);
    doc["Statement"]
        .as_array()?
        .iter()
        .find(|s| s["Sid"] == sid)
        .cloned()
}

#[tokio::test(flavor = "multi_thread")]
async fn s3_principal_inferred_update_in_place_and_destroy() {
    let moto = Moto::start();
    let aws = Aws::new(&moto);
    aws.create_function("processor").await;
    let work = Workdir::new(&moto.url());
    let config = |bucket: &str| {
        format!(
            r#"resource "lambdawire_lambda_invoke_permission" "uploads" {{
  function_name  = "processor"
  statement_id   = "s3-uploads"
  source_arn     = "arn:aws:s3:::{bucket}"
  source_account = "{ACCOUNT}"
}}
"#
        )
    };
    work.write(&config("uploads"));
    work.apply().ok();
    let stored = statement(&aws, "processor", "s3-uploads")
        .await
        .expect("statement added");
    assert_eq!(stored["Principal"]["Service"], "s3.amazonaws.com");
    assert_eq!(
        stored["Condition"]["ArnLike"]["AWS:SourceArn"],
        "arn:aws:s3:::uploads"
    );
    assert_eq!(
        stored["Condition"]["StringEquals"]["AWS:SourceAccount"],
        ACCOUNT
    );
    let state = work.resource("lambdawire_lambda_invoke_permission.uploads");
    assert_eq!(state["principal"], "s3.amazonaws.com");
    assert_eq!(state["id"], "processor/s3-uploads");
    work.assert_no_changes();

    work.write(&config("archive"));
    let plan = work.plan();
    assert_eq!(plan.code, 2, "{}", plan.text());
    assert!(
        plan.stdout.contains("1 to change, 0 to destroy"),
        "updates in place:\n{}",
        plan.stdout
    );
    work.apply().ok();
    let stored = statement(&aws, "processor", "s3-uploads")
        .await
        .expect("statement kept");
    assert_eq!(
        stored["Condition"]["ArnLike"]["AWS:SourceArn"],
        "arn:aws:s3:::archive"
    );
    let policy = aws
        .lambda
        .get_policy()
        .function_name("processor")
        .send()
        .await
        .expect("policy");
    let all = json(policy.policy().unwrap_or_default());
    assert_eq!(
        all["Statement"].as_array().map(Vec::len),
        Some(1),
        "temporary statement removed: {all}"
    );
    work.assert_no_changes();

    work.destroy().ok();
    assert!(
        statement(&aws, "processor", "s3-uploads").await.is_none(),
        "statement removed"
    );
}
