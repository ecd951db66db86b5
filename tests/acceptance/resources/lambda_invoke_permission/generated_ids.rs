//! Generated statement ids derived from the statement's content: the plan
//! shows them, a create that meets its own earlier statement (a process
//! killed after AddPermission reached Lambda) takes it instead of adding a
//! second one, and a statement under that id with other content is not
//! adopted.

use crate::support::hcl::{self, Block};
use crate::support::{plan_line, with_sid, words, Harness, Workdir};

const TOPIC: &str = "arn:aws:sns:us-east-1:123456789012:alerts";

/// SNS's `alerts` topic may invoke `processor`, under a generated id.
fn generated(label: &str) -> Block {
    hcl::permission(label, "processor", "unused")
        .without("statement_id")
        .str("source_arn", TOPIC)
}

/// The statement id the plan shows for the permission being created.
#[track_caller]
fn planned_statement_id(work: &Workdir) -> String {
    let plan = work.plan_text().ok();
    let line = plan_line(&plan.stdout, "statement_id").expect("statement_id in the plan");
    let id = line
        .split('"')
        .nth(1)
        .unwrap_or_else(|| panic!("a known id, not {line:?}:\n{}", plan.stdout));
    assert!(
        id.starts_with("lw-") && id.len() == 3 + 16,
        "prefix and content digest: {id}"
    );
    let json = plan_line(&plan.stdout, "statement_json").expect("statement_json in the plan");
    assert!(
        !json.contains("known after apply")
            && plan_line(&plan.stdout, "Sid").is_some_and(|l| l.contains(id)),
        "the statement as it will be stored, in the plan:\n{}",
        plan.stdout
    );
    id.to_string()
}

#[tokio::test(flavor = "multi_thread")]
async fn a_generated_statement_id_is_planned_and_a_killed_create_is_resumed_without_a_second_grant()
{
    let h = Harness::new();
    let (aws, work) = (&h.aws, &h.work);
    aws.create_function("processor").await;
    work.write(generated("topic"));
    let sid = planned_statement_id(work);
    assert_eq!(
        planned_statement_id(work),
        sid,
        "the same content, the same id"
    );

    // What a create leaves when the provider is killed after AddPermission
    // reached Lambda and before the state was written.
    aws.add_permission("processor", None, &sid, "sns.amazonaws.com", Some(TOPIC))
        .await;
    work.apply().ok();
    let all = aws.statements("processor", None).await;
    assert_eq!(all.len(), 1, "taken as its own, no second grant: {all:?}");
    assert_eq!(with_sid(&all, &sid).len(), 1, "{all:?}");
    let state = work.resource("lambdawire_lambda_invoke_permission.topic");
    assert_eq!(state["id"], format!("processor/{sid}"));
    work.assert_no_changes();

    // A replacement that creates first meets the statement it replaces
    // (same content, same id): it keeps it, and the old object's delete
    // leaves it in place.
    work.write(generated("topic").block("lifecycle", |b| b.expr("create_before_destroy", "true")));
    work.apply().ok();
    work.apply_args(&["-replace=lambdawire_lambda_invoke_permission.topic"])
        .ok();
    let all = aws.statements("processor", None).await;
    assert_eq!(with_sid(&all, &sid).len(), 1, "still granted: {all:?}");
    work.assert_no_changes();

    work.destroy().ok();
    assert!(aws.statements("processor", None).await.is_empty());
}

#[tokio::test(flavor = "multi_thread")]
async fn a_statement_under_the_generated_id_with_other_content_is_not_adopted() {
    let h = Harness::new();
    let (aws, work) = (&h.aws, &h.work);
    aws.create_function("processor").await;
    work.write(generated("topic"));
    let sid = planned_statement_id(work);
    // Someone wrote a broader grant under the id this one would take.
    aws.add_permission("processor", None, &sid, "sns.amazonaws.com", None)
        .await;
    let run = work.apply();
    assert_eq!(run.code, 1, "{}", run.text());
    let said = words(&run.stderr);
    assert!(
        said.contains(&format!("statement id {sid} already exists"))
            && said.contains(&format!("import the statement with the id processor/{sid}")),
        "{said}"
    );
    assert!(
        work.resource("lambdawire_lambda_invoke_permission.topic")
            .is_null(),
        "nothing adopted"
    );
    let all = aws.statements("processor", None).await;
    assert_eq!(all.len(), 1, "{all:?}");
    assert!(all[0]["Condition"].is_null(), "left as it was: {all:?}");
}

#[tokio::test(flavor = "multi_thread")]
async fn two_resources_that_would_share_one_generated_statement_are_refused() {
    let h = Harness::new();
    let (aws, work) = (&h.aws, &h.work);
    aws.create_function("processor").await;
    work.write(format!("{}\n{}", generated("one"), generated("two")));
    let run = work.apply();
    assert_eq!(run.code, 1, "{}", run.text());
    let said = words(&run.stderr);
    assert!(
        said.contains("another resource of this configuration already wrote statement"),
        "{said}"
    );
    let all = aws.statements("processor", None).await;
    assert_eq!(all.len(), 1, "{all:?}");
    let recorded = ["one", "two"]
        .iter()
        .filter(|l| {
            !work
                .resource(&format!("lambdawire_lambda_invoke_permission.{l}"))
                .is_null()
        })
        .count();
    assert_eq!(recorded, 1, "one resource holds the statement");
    work.destroy().ok();
    assert!(aws.statements("processor", None).await.is_empty());
}
