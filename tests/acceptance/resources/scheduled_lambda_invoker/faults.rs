//! `lambdawire_scheduled_lambda_invoker` under injected faults: each failure
//! leaves nothing in AWS that state does not know about, and the next apply
//! converges.

use std::time::Duration;

use crate::support::fault_proxy::{Fault, FaultProxy, Nth, Rule};
use crate::support::{Aws, Moto, Workdir};

fn invoker(name: &str, function_arn: &str) -> String {
    format!(
        r#"resource "lambdawire_scheduled_lambda_invoker" "this" {{
  name                = "{name}"
  function_arn        = "{function_arn}"
  schedule_expression = "rate(1 hour)"
}}
"#
    )
}

fn denied(service: &str) -> Fault {
    let code = if service == "iam" {
        "AccessDenied"
    } else {
        "AccessDeniedException"
    };
    Fault::Error {
        status: 403,
        code: code.into(),
        message: "injected: not authorized".into(),
    }
}

async fn state_list(work: &Workdir) -> Vec<String> {
    let run = work.terraform(&["state", "list"]);
    run.stdout.lines().map(str::to_string).collect()
}

#[tokio::test(flavor = "multi_thread")]
async fn failure_at_each_create_step_leaves_nothing_and_the_next_apply_converges() {
    let moto = Moto::start();
    let aws = Aws::new(&moto);
    let function = aws.create_function("hook").await;
    let proxy = FaultProxy::start(moto.addr).await.expect("proxy");
    for (service, operation) in [
        ("iam", "CreateRole"),
        ("iam", "PutRolePolicy"),
        ("scheduler", "CreateSchedule"),
    ] {
        proxy.clear();
        let name = format!("fail-{}", operation.to_lowercase());
        let role = format!("lambdawire-us-east-1-default-{name}");
        let work = Workdir::new(&proxy.url());
        work.write(&invoker(&name, &function));
        proxy.add(
            Rule::new(denied(service))
                .for_service(service)
                .for_operation(operation),
        );
        let run = work.apply();
        assert_ne!(run.code, 0, "{operation} failure must fail the apply");
        assert!(
            run.stderr.contains(operation),
            "diagnostic names the operation:\n{}",
            run.stderr
        );
        assert!(
            run.stderr.contains("request id"),
            "diagnostic carries the request id:\n{}",
            run.stderr
        );
        assert!(
            !aws.role_exists(&role).await,
            "{operation}: role rolled back"
        );
        assert!(
            !aws.schedule_names().await.contains(&name),
            "{operation}: no schedule"
        );
        assert!(
            state_list(&work).await.is_empty(),
            "{operation}: nothing recorded"
        );

        proxy.clear();
        work.apply().ok();
        assert!(aws.role_exists(&role).await);
        assert!(aws.schedule_names().await.contains(&name));
        work.assert_no_changes();
        work.destroy().ok();
        assert!(!aws.role_exists(&role).await);
    }
    assert!(
        aws.roles_with_prefix("lambdawire-").await.is_empty(),
        "no orphaned role"
    );
    assert!(
        aws.schedule_names().await.is_empty(),
        "no orphaned schedule"
    );
}

#[tokio::test(flavor = "multi_thread")]
async fn failed_rollback_keeps_partial_state_so_nothing_is_orphaned() {
    let moto = Moto::start();
    let aws = Aws::new(&moto);
    let function = aws.create_function("hook").await;
    let proxy = FaultProxy::start(moto.addr).await.expect("proxy");
    let work = Workdir::new(&proxy.url());
    work.write(&invoker("stuck", &function));
    let role = "lambdawire-us-east-1-default-stuck";
    proxy.add(
        Rule::new(denied("scheduler"))
            .for_service("scheduler")
            .for_operation("CreateSchedule"),
    );
    proxy.add(
        Rule::new(denied("iam"))
            .for_service("iam")
            .for_operation("DeleteRole"),
    );
    let run = work.apply();
    assert_ne!(run.code, 0);
    assert!(
        aws.role_exists(role).await,
        "the role could not be rolled back"
    );
    assert_eq!(
        state_list(&work).await,
        ["lambdawire_scheduled_lambda_invoker.this"],
        "state knows the role"
    );
    let state = work.resource("lambdawire_scheduled_lambda_invoker.this");
    assert_eq!(state["role_name"], role);

    proxy.clear();
    work.apply().ok();
    assert!(aws.schedule_names().await.contains(&"stuck".to_string()));
    work.assert_no_changes();
    work.destroy().ok();
    assert!(
        aws.roles_with_prefix("lambdawire-").await.is_empty(),
        "no orphaned role"
    );
    assert!(aws.schedule_names().await.is_empty());
}

#[tokio::test(flavor = "multi_thread")]
async fn iam_propagation_window_of_several_seconds_is_survived() {
    let moto = Moto::start();
    let aws = Aws::new(&moto);
    let function = aws.create_function("hook").await;
    let proxy = FaultProxy::start(moto.addr).await.expect("proxy");
    proxy.add(Rule::new(Fault::IamNotPropagated(Duration::from_secs(4))).for_service("scheduler"));
    let work = Workdir::new(&proxy.url());
    work.write(&invoker("propagating", &function));
    work.apply().ok();
    assert!(
        proxy.count("scheduler", "CreateSchedule") > 1,
        "CreateSchedule was retried"
    );
    assert!(aws
        .schedule_names()
        .await
        .contains(&"propagating".to_string()));
    work.assert_no_changes();
    work.destroy().ok();
}

#[tokio::test(flavor = "multi_thread")]
async fn lost_create_responses_are_adopted_not_duplicated() {
    let moto = Moto::start();
    let aws = Aws::new(&moto);
    let function = aws.create_function("hook").await;
    let proxy = FaultProxy::start(moto.addr).await.expect("proxy");
    proxy.add(
        Rule::new(Fault::LoseResponse)
            .for_service("iam")
            .for_operation("CreateRole")
            .when(Nth::Nth(1)),
    );
    proxy.add(
        Rule::new(Fault::LoseResponse)
            .for_service("scheduler")
            .for_operation("CreateSchedule")
            .when(Nth::Nth(1)),
    );
    let work = Workdir::new(&proxy.url());
    work.write(&invoker("lossy", &function));
    work.apply().ok();
    assert!(
        proxy.count("iam", "CreateRole") >= 2,
        "the SDK retried CreateRole"
    );
    assert_eq!(aws.roles_with_prefix("lambdawire-").await.len(), 1);
    assert_eq!(aws.schedule_names().await, ["lossy"]);
    work.assert_no_changes();
    work.destroy().ok();
    assert!(aws.roles_with_prefix("lambdawire-").await.is_empty());
}

#[tokio::test(flavor = "multi_thread")]
async fn throttling_on_every_write_is_retried() {
    let moto = Moto::start();
    let aws = Aws::new(&moto);
    let function = aws.create_function("hook").await;
    let proxy = FaultProxy::start(moto.addr).await.expect("proxy");
    for (service, operation) in [
        ("iam", "CreateRole"),
        ("iam", "PutRolePolicy"),
        ("scheduler", "CreateSchedule"),
        ("sts", "GetCallerIdentity"),
    ] {
        proxy.add(
            Rule::new(Fault::Throttle)
                .for_service(service)
                .for_operation(operation)
                .when(Nth::FirstN(2)),
        );
    }
    let work = Workdir::new(&proxy.url());
    work.write(&invoker("throttled", &function));
    work.apply().ok();
    assert!(aws
        .schedule_names()
        .await
        .contains(&"throttled".to_string()));
    work.assert_no_changes();
    work.destroy().ok();
}

#[tokio::test(flavor = "multi_thread")]
async fn a_hundred_invokers_apply_in_parallel_and_destroy_cleanly() {
    let moto = Moto::start();
    let aws = Aws::new(&moto);
    let function = aws.create_function("hook").await;
    let work = Workdir::new(&moto.url());
    work.write(&format!(
        r#"resource "lambdawire_scheduled_lambda_invoker" "many" {{
  count               = 100
  name                = "job-${{count.index}}"
  function_arn        = "{function}"
  schedule_expression = "rate(1 hour)"
  input               = jsonencode({{ job = count.index }})
}}
"#
    ));
    work.apply_args(&["-parallelism=20"]).ok();
    assert_eq!(aws.schedule_names().await.len(), 100);
    assert_eq!(aws.roles_with_prefix("lambdawire-").await.len(), 100);
    work.assert_no_changes();
    work.terraform(&[
        "destroy",
        "-auto-approve",
        "-input=false",
        "-no-color",
        "-parallelism=20",
    ])
    .ok();
    assert!(aws.schedule_names().await.is_empty());
    assert!(aws.roles_with_prefix("lambdawire-").await.is_empty());
}

fn invoker_with_role(name: &str, function_arn: &str, role: &str) -> String {
    format!(
        r#"resource "lambdawire_scheduled_lambda_invoker" "this" {{
  name                = "{name}"
  function_arn        = "{function_arn}"
  schedule_expression = "rate(1 hour)"
  role {{
    name = "{role}"
  }}
}}
"#
    )
}

/// Rename the managed role of a fresh invoker while IAM refuses `fault` on
/// DeleteRole: the schedule is on the new role, the old one is kept.
async fn rename_with_failing_delete(
    proxy: &FaultProxy,
    aws: &Aws,
    work: &Workdir,
    function: &str,
    fault: Fault,
) -> (String, String) {
    let old = "lambdawire-us-east-1-default-renamed".to_string();
    let new = "renamed-new-role".to_string();
    work.write(&invoker("renamed", function));
    work.apply().ok();
    assert!(aws.role_exists(&old).await);

    work.write(&invoker_with_role("renamed", function, &new));
    proxy.add(
        Rule::new(fault)
            .for_service("iam")
            .for_operation("DeleteRole"),
    );
    let run = work.apply();
    proxy.clear();
    assert_ne!(
        run.code,
        0,
        "a role left behind is an error:\n{}",
        run.text()
    );
    assert!(
        run.stderr
            .contains(&format!("deleting the previous IAM Role ({old})"))
            && run.stderr.contains("DeleteRole"),
        "the diagnostic names the role and the operation:\n{}",
        run.stderr
    );
    assert!(
        run.stderr.contains("next `terraform apply` deletes it"),
        "and says what happens next:\n{}",
        run.stderr
    );
    assert!(
        aws.role_exists(&old).await,
        "IAM refused: the old role is still there"
    );
    assert_eq!(
        aws.schedule_role_arn("renamed").await,
        format!("arn:aws:iam::{}:role/{new}", crate::support::ACCOUNT),
        "the schedule is on the new role"
    );
    let state = work.resource("lambdawire_scheduled_lambda_invoker.this");
    assert_eq!(state["role_name"], new.as_str(), "state is the new one");
    assert_eq!(state["roles_pending_deletion"], serde_json::json!([old]));
    (old, new)
}

#[tokio::test(flavor = "multi_thread")]
async fn old_role_that_cannot_be_deleted_is_deleted_by_the_next_apply() {
    let moto = Moto::start();
    let aws = Aws::new(&moto);
    let function = aws.create_function("hook").await;
    let proxy = FaultProxy::start(moto.addr).await.expect("proxy");
    let work = Workdir::new(&proxy.url());
    let (old, new) =
        rename_with_failing_delete(&proxy, &aws, &work, &function, denied("iam")).await;

    // The next plan shows the clean-up as an in-place update...
    let plan = work.plan();
    assert_eq!(
        plan.code,
        2,
        "the pending role plans a change:\n{}",
        plan.text()
    );
    assert!(
        plan.stdout.contains("1 to change") && plan.stdout.contains("roles_pending_deletion"),
        "{}",
        plan.text()
    );
    // ...which the next apply carries out, without touching the new role.
    work.apply().ok();
    assert!(!aws.role_exists(&old).await, "the old role is deleted");
    assert!(aws.role_exists(&new).await);
    assert_eq!(
        work.resource("lambdawire_scheduled_lambda_invoker.this")["roles_pending_deletion"],
        serde_json::Value::Null
    );
    work.assert_no_changes();
    work.destroy().ok();
    aws.assert_nothing_left().await;
    assert!(!aws.role_exists(&new).await);
}

#[tokio::test(flavor = "multi_thread")]
async fn destroy_deletes_a_pending_role_and_one_deleted_by_hand_is_no_longer_pending() {
    let moto = Moto::start();
    let aws = Aws::new(&moto);
    let function = aws.create_function("hook").await;
    let proxy = FaultProxy::start(moto.addr).await.expect("proxy");
    let work = Workdir::new(&proxy.url());
    let conflict = Fault::Error {
        status: 409,
        code: "DeleteConflict".into(),
        message: "injected: cannot delete entity, must remove dependent entities first".into(),
    };
    let (old, new) = rename_with_failing_delete(&proxy, &aws, &work, &function, conflict).await;
    work.destroy().ok();
    assert!(
        !aws.role_exists(&old).await,
        "destroy deleted the pending role"
    );
    assert!(!aws.role_exists(&new).await);
    aws.assert_nothing_left().await;

    // Deleted by hand instead: Read sees it gone and the plan is empty.
    let work = Workdir::new(&proxy.url());
    let (old, _) = rename_with_failing_delete(&proxy, &aws, &work, &function, denied("iam")).await;
    aws.delete_role_with_policies(&old).await;
    work.assert_no_changes();
    work.destroy().ok();
    aws.assert_nothing_left().await;
}
