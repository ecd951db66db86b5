//! What the plan can see in AWS is said at plan, on the attribute, with no
//! AWS write (SPEC, "Plan-time checks against AWS"): a function of another
//! region or account, a function or schedule group that does not exist, a
//! one-time time already past, a statement id already taken. The fault
//! proxy counts every call, so "no write" is checked, not assumed.

use crate::support::hcl;
use crate::support::{words, Harness, Run, ACCOUNT};

const WRITES: [(&str, &str); 4] = [
    ("lambda", "AddPermission"),
    ("iam", "CreateRole"),
    ("scheduler", "CreateSchedule"),
    ("iam", "PutRolePolicy"),
];

#[track_caller]
fn assert_refused_at(run: &Run, attribute: &str, said: &str) {
    assert_eq!(run.code, 1, "{}", run.text());
    let text = words(&run.stderr);
    assert!(text.contains(said), "{said:?} in:\n{text}");
    assert!(
        text.contains(&format!("{attribute} =")) || text.contains(&format!("{attribute}:")),
        "on the attribute {attribute}:\n{}",
        run.stderr
    );
}

fn function_arn(region: &str, account: &str, name: &str) -> String {
    format!("arn:aws:lambda:{region}:{account}:function:{name}")
}

#[tokio::test(flavor = "multi_thread")]
async fn a_permission_for_a_missing_or_foreign_function_or_a_taken_id_fails_at_plan() {
    let h = Harness::with_proxy().await;
    let (aws, proxy, work) = (&h.aws, h.proxy(), &h.work);
    aws.create_function("processor").await;
    let topic = format!("arn:aws:sns:us-east-1:{ACCOUNT}:alerts");
    let permission = |function: &str, sid: &str| {
        hcl::permission("topic", function, sid).str("source_arn", &topic)
    };

    work.write(permission("procesor", "alerts"));
    let run = work.plan();
    assert_refused_at(
        &run,
        "function_name",
        "Lambda has no function procesor in us-east-1",
    );

    work.write(permission(
        &function_arn("us-west-2", ACCOUNT, "processor"),
        "alerts",
    ));
    let run = work.plan();
    assert_refused_at(
        &run,
        "function_name",
        "the function is in region us-west-2, not the provider's us-east-1",
    );

    // Another tool's statement under the id: said at plan, with the import id.
    aws.add_permission("processor", None, "alerts", "events.amazonaws.com", None)
        .await;
    work.write(permission("processor", "alerts"));
    let run = work.plan();
    assert_refused_at(
        &run,
        "statement_id",
        "statement id alerts already exists in the policy of processor with other content",
    );
    assert!(words(&run.stderr).contains("import the statement with the id processor/alerts"));

    for (service, operation) in WRITES {
        assert_eq!(proxy.count(service, operation), 0, "{operation}");
    }
    assert_eq!(
        proxy.count("lambda", "GetPolicy"),
        1,
        "one policy read for the one function that exists"
    );
}

#[tokio::test(flavor = "multi_thread")]
async fn an_invoker_with_a_missing_group_a_past_time_or_a_foreign_function_fails_at_plan() {
    let h = Harness::with_proxy().await;
    let (aws, proxy, work) = (&h.aws, h.proxy(), &h.work);
    let function = aws.create_function("hook").await;

    work.write(hcl::invoker("nightly", &function).str("group_name", "nightly-jobs"));
    let run = work.plan();
    assert_refused_at(
        &run,
        "group_name",
        "EventBridge Scheduler has no schedule group nightly-jobs in us-east-1",
    );

    work.write(
        hcl::invoker("nightly", &function).str("schedule_expression", "at(2020-01-01T00:00:00)"),
    );
    let run = work.plan();
    assert_refused_at(
        &run,
        "schedule_expression",
        "the one-time schedule's time has passed",
    );

    let other_account = function_arn("us-east-1", "210987654321", "hook");
    work.write(hcl::invoker("nightly", &other_account));
    let run = work.plan();
    assert_refused_at(
        &run,
        "function_arn",
        "the function is in account 210987654321, not the provider's 123456789012",
    );

    // A function that does not exist: the schedule would be created and
    // never work, so the plan warns and goes on.
    let missing = function_arn("us-east-1", ACCOUNT, "gone");
    work.write(hcl::invoker("nightly", &missing));
    let run = work.plan();
    assert_eq!(run.code, 2, "{}", run.text());
    let text = words(&run.stdout) + &words(&run.stderr);
    assert!(
        text.contains("Warning") && text.contains(&format!("Lambda has no function {missing}")),
        "{text}"
    );
    for (service, operation) in WRITES {
        assert_eq!(proxy.count(service, operation), 0, "{operation}");
    }
}

#[tokio::test(flavor = "multi_thread")]
async fn an_sqs_event_source_for_a_missing_function_fails_at_plan() {
    let h = Harness::with_proxy().await;
    let (proxy, work) = (h.proxy(), &h.work);
    let queue = h.moto.create_queue("orders");
    work.write(hcl::sqs_event_source("procesor", &queue));
    let run = work.plan();
    assert_refused_at(
        &run,
        "function_name",
        "Lambda has no function procesor in us-east-1",
    );
    for (service, operation) in WRITES {
        assert_eq!(proxy.count(service, operation), 0, "{operation}");
    }
    assert_eq!(proxy.count("lambda", "CreateEventSourceMapping"), 0);
}

#[tokio::test(flavor = "multi_thread")]
async fn a_role_for_a_missing_function_or_group_is_planned_with_a_warning() {
    let h = Harness::with_proxy().await;
    let (proxy, work) = (h.proxy(), &h.work);
    let missing = function_arn("us-east-1", ACCOUNT, "gone");
    work.write(hcl::scheduler_invoke_role(&[&missing]).str("schedule_group", "nightly-jobs"));
    let run = work.plan();
    assert_eq!(run.code, 2, "planned: {}", run.text());
    let text = words(&run.stdout) + &words(&run.stderr);
    for said in [
        format!("Lambda has no function {missing}"),
        "EventBridge Scheduler has no schedule group nightly-jobs".to_string(),
    ] {
        assert!(
            text.contains("Warning") && text.contains(&said),
            "{said}: {text}"
        );
    }
    for (service, operation) in WRITES {
        assert_eq!(proxy.count(service, operation), 0, "{operation}");
    }
}

/// Destroying a role that is still in use is allowed, and its plan says so
/// (SPEC): an execution role the function still runs as, and a scheduler
/// role whose group still holds schedules made at run time. Once the
/// function has another role and the schedule is gone, the plan is quiet.
#[tokio::test(flavor = "multi_thread")]
async fn destroying_a_role_still_in_use_warns_at_plan() {
    let h = Harness::new();
    let (aws, work) = (&h.aws, &h.work);
    let worker = function_arn("us-east-1", ACCOUNT, "worker");
    work.write(format!(
        "{}\n{}",
        hcl::execution_role("worker")
            .label("worker")
            .role_name("worker-exec"),
        hcl::scheduler_invoke_role(&[&worker])
            .label("callbacks")
            .str("schedule_group", "default")
            .role_name("callbacks-scheduler"),
    ));
    work.apply().ok();
    // The function runs as the role, and the application has made a
    // schedule with the scheduler role: both unknown to Terraform.
    aws.create_function_with_role("worker", "worker-exec").await;
    let scheduler_role = format!("arn:aws:iam::{ACCOUNT}:role/callbacks-scheduler");
    aws.create_schedule(
        "order-42-reminder",
        "at(2035-01-01T00:00:00)",
        &worker,
        &scheduler_role,
    )
    .await;

    let plan = work.terraform(&["plan", "-destroy", "-input=false", "-no-color"]);
    assert_eq!(plan.code, 0, "{}", plan.text());
    let text = words(&plan.stdout) + &words(&plan.stderr);
    assert!(
        text.contains("Lambda function worker still runs as this role"),
        "{text}"
    );
    assert!(
        text.contains("schedule group default still holds 1 schedule(s)")
            && text.contains("default/order-42-reminder"),
        "{text}"
    );

    aws.delete_schedule("default", "order-42-reminder").await;
    aws.lambda
        .delete_function()
        .function_name("worker")
        .send()
        .await
        .expect("delete function");
    let plan = work.terraform(&["plan", "-destroy", "-input=false", "-no-color"]);
    assert_eq!(plan.code, 0, "{}", plan.text());
    let text = words(&plan.stdout) + &words(&plan.stderr);
    assert!(
        !text.contains("still runs as") && !text.contains("still holds"),
        "{text}"
    );
    work.destroy().ok();
    assert!(!aws.role_exists("worker-exec").await);
    assert!(!aws.role_exists("callbacks-scheduler").await);
}
