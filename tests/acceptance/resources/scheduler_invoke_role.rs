//! `lambdawire_scheduler_invoke_role` through real terraform and moto.

use crate::support::hcl;
use crate::support::{json, Harness, ACCOUNT};

/// A shared role serves an invoker, and imports by its name.
#[tokio::test(flavor = "multi_thread")]
async fn scheduler_invoke_role_basic() {
    let h = Harness::new();
    let (aws, work) = (&h.aws, &h.work);
    let function = aws.create_function("hook").await;
    work.write(format!(
        "{}\n{}",
        hcl::scheduler_invoke_role(&[&function])
            .label("shared")
            .str("schedule_group", "default")
            .expr(
                "dead_letter_arns",
                &hcl::list(&[&format!("arn:aws:sqs:us-east-1:{ACCOUNT}:dlq")])
            )
            .role_name("shared-scheduler"),
        hcl::invoker("a", &function).label("a").expr(
            "existing_role_arn",
            "lambdawire_scheduler_invoke_role.shared.arn"
        ),
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
    let target = aws.schedule("default", "a").await.unwrap();
    assert!(target
        .target()
        .unwrap()
        .role_arn()
        .ends_with("role/shared-scheduler"));
    assert!(
        aws.roles_with_prefix("lambdawire-").await.is_empty(),
        "the invoker made no role of its own"
    );
    // The application's policy: the group's schedules, and PassRole of this
    // role to Scheduler only.
    let state = work.resource("lambdawire_scheduler_invoke_role.shared");
    let role_arn = state["arn"].as_str().expect("arn").to_string();
    let creator = json(
        state["creator_policy_json"]
            .as_str()
            .expect("creator policy"),
    );
    assert_eq!(
        creator["Statement"][0]["Resource"],
        format!("arn:aws:scheduler:us-east-1:{ACCOUNT}:schedule/default/*"),
        "{creator}"
    );
    assert!(creator["Statement"][0]["Action"]
        .to_string()
        .contains("scheduler:CreateSchedule"));
    assert_eq!(creator["Statement"][1]["Action"], "iam:PassRole");
    assert_eq!(creator["Statement"][1]["Resource"], role_arn.as_str());
    assert_eq!(
        creator["Statement"][1]["Condition"]["StringEquals"]["iam:PassedToService"],
        "scheduler.amazonaws.com"
    );
    work.assert_no_changes();

    work.state_rm("lambdawire_scheduler_invoke_role.shared")
        .ok();
    work.import(
        "lambdawire_scheduler_invoke_role.shared",
        "shared-scheduler",
    )
    .ok();
    let imported = work.resource("lambdawire_scheduler_invoke_role.shared");
    assert_eq!(
        imported["creator_policy_json"],
        state["creator_policy_json"]
    );
    work.assert_no_changes();
    work.destroy().ok();
    assert!(!aws.role_exists("shared-scheduler").await);
}
