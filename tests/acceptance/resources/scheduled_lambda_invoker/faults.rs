//! `lambdawire_scheduled_lambda_invoker` under injected faults: each failure
//! leaves nothing in AWS that state does not know about, and the next apply
//! converges.

use std::time::Duration;

use crate::support::fault_proxy::{Fault, FaultProxy, Nth, Rule};
use crate::support::hcl::invoker;
use crate::support::{denied, Aws, Harness, Workdir};

#[tokio::test(flavor = "multi_thread")]
async fn scheduled_lambda_invoker_failure_at_each_create_step_leaves_nothing_and_the_next_apply_converges(
) {
    let h = Harness::with_proxy().await;
    let (aws, proxy) = (&h.aws, h.proxy());
    let function = aws.create_function("hook").await;
    for (service, operation) in [
        ("iam", "CreateRole"),
        ("iam", "PutRolePolicy"),
        ("scheduler", "CreateSchedule"),
    ] {
        proxy.clear();
        let name = format!("fail-{}", operation.to_lowercase());
        let role = format!("lambdawire-us-east-1-default-{name}");
        let work = h.workdir();
        work.write(invoker(&name, &function));
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
            work.state_list().is_empty(),
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
async fn scheduled_lambda_invoker_failed_rollback_keeps_partial_state_so_nothing_is_orphaned() {
    let h = Harness::with_proxy().await;
    let (aws, proxy, work) = (&h.aws, h.proxy(), &h.work);
    let function = aws.create_function("hook").await;
    work.write(invoker("stuck", &function));
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
        work.state_list(),
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
async fn scheduled_lambda_invoker_iam_propagation_window_of_several_seconds_is_survived() {
    let h = Harness::with_proxy().await;
    let (aws, proxy, work) = (&h.aws, h.proxy(), &h.work);
    let function = aws.create_function("hook").await;
    proxy.add(Rule::new(Fault::IamNotPropagated(Duration::from_secs(4))).for_service("scheduler"));
    work.write(invoker("propagating", &function));
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
async fn scheduled_lambda_invoker_lost_create_responses_are_adopted_not_duplicated() {
    let h = Harness::with_proxy().await;
    let (aws, proxy, work) = (&h.aws, h.proxy(), &h.work);
    let function = aws.create_function("hook").await;
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
    work.write(invoker("lossy", &function));
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
async fn scheduled_lambda_invoker_throttling_on_every_write_is_retried() {
    let h = Harness::with_proxy().await;
    let (aws, proxy, work) = (&h.aws, h.proxy(), &h.work);
    let function = aws.create_function("hook").await;
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
    work.write(invoker("throttled", &function));
    work.apply().ok();
    assert!(aws
        .schedule_names()
        .await
        .contains(&"throttled".to_string()));
    work.assert_no_changes();
    work.destroy().ok();
}

#[tokio::test(flavor = "multi_thread")]
async fn scheduled_lambda_invoker_a_hundred_apply_in_parallel_and_destroy_cleanly() {
    let h = Harness::new();
    let (aws, work) = (&h.aws, &h.work);
    let function = aws.create_function("hook").await;
    work.write(
        invoker("job-${count.index}", &function)
            .label("many")
            .expr("count", "100")
            .expr("input", "jsonencode({ job = count.index })"),
    );
    work.apply_args(&["-parallelism=20"]).ok();
    assert_eq!(aws.schedule_names().await.len(), 100);
    assert_eq!(aws.roles_with_prefix("lambdawire-").await.len(), 100);
    work.assert_no_changes();
    work.destroy_args(&["-parallelism=20"]).ok();
    assert!(aws.schedule_names().await.is_empty());
    assert!(aws.roles_with_prefix("lambdawire-").await.is_empty());
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
    work.write(invoker("renamed", function));
    work.apply().ok();
    assert!(aws.role_exists(&old).await);

    work.write(invoker("renamed", function).role_name(&new));
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
async fn scheduled_lambda_invoker_old_role_that_cannot_be_deleted_is_deleted_by_the_next_apply() {
    let h = Harness::with_proxy().await;
    let (aws, proxy, work) = (&h.aws, h.proxy(), &h.work);
    let function = aws.create_function("hook").await;
    let (old, new) = rename_with_failing_delete(proxy, aws, work, &function, denied("iam")).await;

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
async fn scheduled_lambda_invoker_destroy_deletes_a_pending_role_and_one_deleted_by_hand_is_no_longer_pending(
) {
    let h = Harness::with_proxy().await;
    let (aws, proxy, work) = (&h.aws, h.proxy(), &h.work);
    let function = aws.create_function("hook").await;
    let conflict = Fault::Error {
        status: 409,
        code: "DeleteConflict".into(),
        message: "injected: cannot delete entity, must remove dependent entities first".into(),
    };
    let (old, new) = rename_with_failing_delete(proxy, aws, work, &function, conflict).await;
    work.destroy().ok();
    assert!(
        !aws.role_exists(&old).await,
        "destroy deleted the pending role"
    );
    assert!(!aws.role_exists(&new).await);
    aws.assert_nothing_left().await;

    // Deleted by hand instead: Read sees it gone and the plan is empty.
    let work = h.workdir();
    let (old, _) = rename_with_failing_delete(proxy, aws, &work, &function, denied("iam")).await;
    aws.delete_role_with_policies(&old).await;
    work.assert_no_changes();
    work.destroy().ok();
    aws.assert_nothing_left().await;
}
