//! `examples/all-triggers` as a user applies it, against the embedded AWS:
//! one function invoked by a topic, an EventBridge rule, a bucket's
//! notifications, a schedule and another account. Each source side and
//! each grant is checked with the SDK, the re-plan is empty, and destroy
//! leaves the function's policy, the topic's subscriptions, the bucket's
//! notification configuration and the rules as they were before.

use std::path::Path;

use crate::support::{Harness, ACCOUNT, REGION};

const PARTNER: &str = "210987654321";

fn copy_example(to: &Path) {
    let example = Path::new(env!("CARGO_MANIFEST_DIR")).join("examples/all-triggers");
    for file in ["main.tf", "variables.tf", "outputs.tf"] {
        std::fs::copy(example.join(file), to.join(file)).expect("copy example file");
    }
}

/// The provider pointed at the embedded AWS, as an override file: the
/// example's own provider block stays what a user applies against AWS.
fn moto_override(endpoint: &str) -> String {
    let services = ["iam", "lambda", "scheduler", "sts", "sns", "events", "s3"];
    let endpoints: String = services
        .iter()
        .map(|s| format!("    {s} = \"{endpoint}\"\n"))
        .collect();
    format!(
        "provider \"lambdawire\" {{\n  max_retries       = 4\n  s3_use_path_style = true\n  endpoints {{\n{endpoints}  }}\n}}\n"
    )
}

#[tokio::test(flavor = "multi_thread")]
async fn the_all_triggers_example_wires_every_source_and_leaves_nothing() {
    let h = Harness::new();
    let (aws, work, moto) = (&h.aws, &h.work, &h.moto);
    let function_arn = aws.create_function("orders").await;
    let topic_arn = aws
        .sns
        .create_topic()
        .name("orders")
        .send()
        .await
        .expect("create topic")
        .topic_arn()
        .expect("topic arn")
        .to_string();
    aws.s3
        .create_bucket()
        .bucket("orders-uploads")
        .send()
        .await
        .expect("create bucket");
    copy_example(work.path());
    std::fs::write(
        work.path().join("moto_override.tf"),
        moto_override(&moto.url()),
    )
    .expect("write override");
    std::fs::write(
        work.path().join("terraform.tfvars"),
        format!(
            "region = \"{REGION}\"\nfunction_name = \"orders\"\nfunction_arn = \"{function_arn}\"\n\
             topic_arn = \"{topic_arn}\"\nbucket = \"orders-uploads\"\npartner_account_id = \"{PARTNER}\"\n"
        ),
    )
    .expect("write tfvars");
    work.apply().ok();

    // The grants: one statement per source, each scoped to it.
    let statements = aws.statements("orders", None).await;
    let principal = |s: &serde_json::Value| s["Principal"].to_string();
    let scoped = |service: &str, source: &str| {
        statements
            .iter()
            .any(|s| principal(s).contains(service) && s["Condition"].to_string().contains(source))
    };
    assert!(scoped("sns.amazonaws.com", &topic_arn), "{statements:#?}");
    let rule_arn = format!("arn:aws:events:{REGION}:{ACCOUNT}:rule/all-triggers-uploads-seen");
    assert!(scoped("events.amazonaws.com", &rule_arn), "{statements:#?}");
    assert!(
        scoped("s3.amazonaws.com", "arn:aws:s3:::orders-uploads"),
        "{statements:#?}"
    );
    assert!(
        statements.iter().any(|s| principal(s).contains(PARTNER)),
        "{statements:#?}"
    );
    assert_eq!(statements.len(), 4, "{statements:#?}");

    // The source sides.
    let subscriptions = aws
        .sns
        .list_subscriptions_by_topic()
        .topic_arn(&topic_arn)
        .send()
        .await
        .expect("list subscriptions");
    assert!(
        subscriptions
            .subscriptions()
            .iter()
            .any(|s| s.protocol() == Some("lambda") && s.endpoint() == Some(&function_arn)),
        "{subscriptions:?}"
    );
    let targets = aws
        .events
        .list_targets_by_rule()
        .rule("all-triggers-uploads-seen")
        .send()
        .await
        .expect("list targets");
    assert!(
        targets.targets().iter().any(|t| t.arn() == function_arn),
        "{targets:?}"
    );
    let notification = aws
        .s3
        .get_bucket_notification_configuration()
        .bucket("orders-uploads")
        .send()
        .await
        .expect("notification configuration");
    assert!(
        notification
            .lambda_function_configurations()
            .iter()
            .any(|c| c.lambda_function_arn() == function_arn),
        "{notification:?}"
    );
    assert!(aws
        .schedule_names()
        .await
        .contains(&"all-triggers-hourly".to_string()));
    work.assert_no_changes();

    work.destroy().ok();
    assert!(aws.statements("orders", None).await.is_empty());
    let after = aws
        .sns
        .list_subscriptions_by_topic()
        .topic_arn(&topic_arn)
        .send()
        .await
        .expect("list subscriptions");
    assert!(after.subscriptions().is_empty(), "{after:?}");
    let rules = aws.events.list_rules().send().await.expect("list rules");
    assert!(rules.rules().is_empty(), "{rules:?}");
    let notification = aws
        .s3
        .get_bucket_notification_configuration()
        .bucket("orders-uploads")
        .send()
        .await
        .expect("notification configuration");
    assert!(notification.lambda_function_configurations().is_empty());
    assert!(aws.schedule_names().await.is_empty());
}
