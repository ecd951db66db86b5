//! The ownership rule (SPEC, invoker: "Ownership is proven, never inferred
//! from a name alone"): a create adopts only what it made itself (an answer
//! that was lost) or the leftover of an interrupted create of the same
//! resource; anything else of the same name is an "already exists" error
//! that names the import id. Two configurations that choose the same names
//! never share objects, and no failure leaves an object no state records.

use crate::support::fault_proxy::{Fault, Nth, Rule};
use crate::support::hcl::{self, invoker};
use crate::support::{words, Harness, Run, ACCOUNT};

/// The apply failed with the ownership error that names `import_id`.
fn assert_refused_with_import_id(run: &Run, import_id: &str) {
    assert_ne!(run.code, 0, "the apply must fail:\n{}", run.text());
    let text = words(&run.text());
    assert!(
        text.contains("already exists and no Terraform state records it"),
        "{text}"
    );
    assert!(
        text.contains(&format!("import it with the id {import_id}")),
        "the error names the import id {import_id}:\n{text}"
    );
}

#[tokio::test(flavor = "multi_thread")]
async fn a_second_configuration_with_the_same_invoker_name_is_refused_and_changes_nothing() {
    let h = Harness::new();
    let aws = &h.aws;
    let function = aws.create_function("hook").await;
    let first = h.workdir();
    first.write(invoker("nightly", &function).str("description", "first"));
    first.apply().ok();
    let role = aws.schedule_role_arn("nightly").await;
    let role_name = role.rsplit('/').next().expect("role name").to_string();
    let tags_before = aws.role_tags(&role_name).await;

    // Same names, same function: before the ownership rule this applied
    // cleanly and took the first configuration's schedule and role over.
    let second = h.workdir();
    second.write(invoker("nightly", &function).str("description", "second"));
    let run = second.apply();
    assert_refused_with_import_id(&run, "default/nightly");
    assert!(
        second.state_list().is_empty(),
        "the second state records nothing"
    );

    let schedule = aws.schedule("default", "nightly").await.expect("schedule");
    assert_eq!(schedule.description(), Some("first"), "schedule untouched");
    assert_eq!(aws.schedule_role_arn("nightly").await, role);
    assert_eq!(
        aws.role_tags(&role_name).await,
        tags_before,
        "role untouched"
    );
    first.assert_no_changes();

    first.destroy().ok();
    aws.assert_nothing_left().await;
}

#[tokio::test(flavor = "multi_thread")]
async fn a_schedule_of_the_same_name_on_a_shared_role_is_refused_not_updated() {
    let h = Harness::new();
    let aws = &h.aws;
    let function = aws.create_function("hook").await;
    let role = aws
        .create_user_role("team-scheduler", "invoke", &invoke_policy(&function))
        .await;
    let existing = invoker("hourly", &function).str("existing_role_arn", &role);
    let first = h.workdir();
    first.write(existing.clone().str("description", "first"));
    first.apply().ok();

    let second = h.workdir();
    second.write(existing.str("description", "second"));
    let run = second.apply();
    assert_refused_with_import_id(&run, "default/hourly");
    assert!(second.state_list().is_empty());
    let schedule = aws.schedule("default", "hourly").await.expect("schedule");
    assert_eq!(schedule.description(), Some("first"));
    first.assert_no_changes();
    first.destroy().ok();
    assert!(
        aws.role_exists("team-scheduler").await,
        "the user's role stays"
    );
}

fn invoke_policy(function: &str) -> String {
    format!(
        r#"{{"Version":"2012-10-17","Statement":[{{"Effect":"Allow","Action":"lambda:InvokeFunction","Resource":["{function}","{function}:*"]}}]}}"#
    )
}

#[tokio::test(flavor = "multi_thread")]
async fn importing_an_invoker_on_a_shared_scheduler_role_never_manages_that_role() {
    let h = Harness::new();
    let aws = &h.aws;
    let function = aws.create_function("hook").await;
    let owner = h.workdir();
    let role_config = hcl::scheduler_invoke_role(&[&function])
        .label("shared")
        .role_name("shared-scheduler");
    owner.write(format!(
        "{role_config}\n{}",
        invoker("daily", &function).expr(
            "existing_role_arn",
            "lambdawire_scheduler_invoke_role.shared.arn"
        )
    ));
    owner.apply().ok();
    owner
        .state_rm("lambdawire_scheduled_lambda_invoker.this")
        .ok();
    owner.write(&role_config);

    // A second configuration takes the schedule over by import, naming the
    // shared role as its existing role: the shared role's inline policy has
    // the invoker's own policy name and the very same content, but it is not
    // this schedule's, so it must never be managed (rewritten or deleted).
    let role_arn = format!("arn:aws:iam::{ACCOUNT}:role/shared-scheduler");
    let importer = h.workdir();
    importer.write(invoker("daily", &function).str("existing_role_arn", &role_arn));
    importer
        .import("lambdawire_scheduled_lambda_invoker.this", "default/daily")
        .ok();
    let state = importer.resource("lambdawire_scheduled_lambda_invoker.this");
    assert_eq!(state["role_managed"], false, "{state}");
    assert_eq!(state["existing_role_arn"], role_arn.as_str());
    importer.assert_no_changes();
    importer.destroy().ok();
    assert!(aws.schedule("default", "daily").await.is_none());
    assert!(
        aws.role_exists("shared-scheduler").await,
        "the shared role stays"
    );
    assert!(aws
        .role_policy("shared-scheduler", "lambdawire-invoke")
        .await
        .is_some());
    owner.assert_no_changes();
    owner.destroy().ok();
}

#[tokio::test(flavor = "multi_thread")]
async fn a_role_created_with_a_lost_answer_is_still_rolled_back() {
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
        Rule::new(Fault::Error {
            status: 403,
            code: "AccessDeniedException".into(),
            message: "injected: not authorized to perform iam:PassRole".into(),
        })
        .for_service("scheduler")
        .for_operation("CreateSchedule"),
    );
    work.write(invoker("lossy", &function));
    let run = work.apply();
    assert_ne!(run.code, 0, "{}", run.text());
    assert!(
        proxy.count("iam", "CreateRole") >= 2,
        "the SDK resent CreateRole"
    );
    // The role this very apply created (its first answer lost) is rolled
    // back like any other: before, the resend's "already exists" made it
    // look adopted, and the failure left it behind.
    assert!(
        aws.roles_with_prefix("lambdawire-").await.is_empty(),
        "no orphaned role"
    );
    assert!(work.state_list().is_empty());

    proxy.clear();
    work.apply().ok();
    work.assert_no_changes();
    work.destroy().ok();
    aws.assert_nothing_left().await;
}

#[tokio::test(flavor = "multi_thread")]
async fn create_schedule_with_every_answer_lost_is_settled_by_its_token() {
    let h = Harness::with_proxy().await;
    let (aws, proxy, work) = (&h.aws, h.proxy(), &h.work);
    let function = aws.create_function("hook").await;
    // max_retries = 4 in the harness: all five attempts of the SDK lose
    // their answer, so only the resend with the same ClientToken can tell
    // that the schedule is this call's.
    proxy.add(
        Rule::new(Fault::LoseResponse)
            .for_service("scheduler")
            .for_operation("CreateSchedule")
            .when(Nth::FirstN(5)),
    );
    work.write(invoker("unanswered", &function));
    work.apply().ok();
    assert_eq!(proxy.count("scheduler", "CreateSchedule"), 6);
    assert_eq!(aws.schedule_names().await, ["unanswered"]);
    assert_eq!(aws.roles_with_prefix("lambdawire-").await.len(), 1);
    work.assert_no_changes();
    work.destroy().ok();
    aws.assert_nothing_left().await;
}

#[tokio::test(flavor = "multi_thread")]
async fn the_leftover_role_of_a_lost_create_is_adopted_by_the_next_apply() {
    let h = Harness::with_proxy().await;
    let (aws, proxy, work) = (&h.aws, h.proxy(), &h.work);
    let function = aws.create_function("hook").await;
    proxy.add(
        Rule::new(Fault::Error {
            status: 500,
            code: "InternalServerException".into(),
            message: "injected".into(),
        })
        .for_service("scheduler")
        .for_operation("CreateSchedule"),
    );
    proxy.add(
        Rule::new(Fault::Error {
            status: 403,
            code: "AccessDenied".into(),
            message: "injected: not authorized to perform iam:DeleteRole".into(),
        })
        .for_service("iam")
        .for_operation("DeleteRole"),
    );
    work.write(invoker("leftover", &function));
    assert_ne!(work.apply().code, 0);
    // The state of that failed apply is lost (as after a crash): the role
    // is left with this invoker's owner tag and no schedule uses it.
    work.state_rm("lambdawire_scheduled_lambda_invoker.this")
        .ok();
    let left = aws.roles_with_prefix("lambdawire-").await;
    assert_eq!(left.len(), 1, "{left:?}");

    proxy.clear();
    work.apply().ok();
    assert_eq!(
        aws.roles_with_prefix("lambdawire-").await,
        left,
        "adopted, not a second role"
    );
    assert!(aws.schedule_role_arn("leftover").await.ends_with(&left[0]));
    work.assert_no_changes();
    work.destroy().ok();
    aws.assert_nothing_left().await;
}

#[tokio::test(flavor = "multi_thread")]
async fn a_role_resource_of_the_same_name_in_another_configuration_is_refused() {
    let h = Harness::new();
    let aws = &h.aws;
    let function = aws.create_function("hook").await;
    let config = |function_arn: &str| {
        hcl::scheduler_invoke_role(&[function_arn])
            .label("shared")
            .role_name("team-invoke")
    };
    let first = h.workdir();
    first.write(config(&function));
    first.apply().ok();
    let other = aws.create_function("other").await;
    let second = h.workdir();
    second.write(config(&other));
    let run = second.apply();
    assert_refused_with_import_id(&run, "team-invoke");
    assert!(second.state_list().is_empty());
    let policy = aws
        .role_policy("team-invoke", "lambdawire-invoke")
        .await
        .expect("policy");
    assert!(
        policy.contains(":function:hook") && !policy.contains(":function:other"),
        "the first configuration's policy is untouched: {policy}"
    );
    first.assert_no_changes();
    first.destroy().ok();
    assert!(!aws.role_exists("team-invoke").await);
}

#[tokio::test(flavor = "multi_thread")]
async fn a_permission_with_the_same_statement_id_in_another_configuration_is_refused() {
    // The embedded AWS answers a taken statement id as Lambda does (bare
    // moto would append a second statement with the same id).
    let h = Harness::with_proxy().await;
    let aws = &h.aws;
    aws.create_function("processor").await;
    let config = hcl::permission("events", "processor", "nightly-rule").str(
        "source_arn",
        "arn:aws:events:us-east-1:123456789012:rule/nightly",
    );
    let first = h.workdir();
    first.write(&config);
    first.apply().ok();
    // The identical statement: before, "id exists with the same content"
    // counted as success, and both states recorded one statement.
    let second = h.workdir();
    second.write(&config);
    let run = second.apply();
    assert_refused_with_import_id(&run, "processor/nightly-rule");
    assert!(second.state_list().is_empty());
    first.assert_no_changes();
    first.destroy().ok();
    assert_eq!(aws.statement_count("processor").await, 0);
}

#[tokio::test(flavor = "multi_thread")]
async fn a_permission_whose_read_back_misses_is_kept_in_state_not_orphaned() {
    let h = Harness::with_proxy().await;
    let (aws, proxy, work) = (&h.aws, h.proxy(), &h.work);
    aws.create_function("processor").await;
    // AddPermission applies but its answer holds no statement, so the create
    // reads the policy back; that read, the third GetPolicy of the apply
    // (after the plan's look for a taken id in each of its two walks),
    // answers as if the function had no policy (a lagging replica).
    proxy.add(
        Rule::new(Fault::TerseAnswer)
            .for_service("lambda")
            .for_operation("AddPermission")
            .when(Nth::Nth(1)),
    );
    proxy.add(
        Rule::new(Fault::Error {
            status: 404,
            code: "ResourceNotFoundException".into(),
            message: "The resource you requested does not exist.".into(),
        })
        .for_service("lambda")
        .for_operation("GetPolicy")
        .when(Nth::Nth(3)),
    );
    // A generated statement id: forgetting it would leave a grant that no
    // configuration could ever name again.
    work.write(
        hcl::permission("events", "processor", "")
            .without("statement_id")
            .str(
                "source_arn",
                "arn:aws:events:us-east-1:123456789012:rule/nightly",
            ),
    );
    let run = work.apply();
    assert_ne!(run.code, 0, "{}", run.text());
    assert_eq!(
        aws.statement_count("processor").await,
        1,
        "the grant exists:\n{}",
        run.text()
    );
    assert_eq!(
        work.state_list(),
        ["lambdawire_lambda_invoke_permission.events"],
        "and state records it"
    );
    proxy.clear();
    work.apply().ok();
    assert_eq!(
        aws.statement_count("processor").await,
        1,
        "replaced, not doubled"
    );
    work.assert_no_changes();
    work.destroy().ok();
    assert_eq!(aws.statement_count("processor").await, 0, "nothing left");
}

/// The attack of the second hostile review, on a role resource: the role
/// the plan names is pre-created with the owner tag anyone can write, a
/// permissions boundary of the attacker's, an attached AdministratorAccess
/// and a 12-hour session. The apply refuses it and changes nothing on it:
/// no boundary removed, no trust rewritten, no inline policy added.
#[tokio::test(flavor = "multi_thread")]
async fn a_forged_leftover_role_is_refused_and_left_exactly_as_it_was() {
    let h = Harness::new();
    let aws = &h.aws;
    let function = aws.create_function("hook").await;
    let name = "team-invoke";
    aws.create_role(name, "/", crate::support::SCHEDULER_TRUST)
        .await;
    aws.tag_role(
        name,
        "lambdawire:role",
        "lambdawire_scheduler_invoke_role/team-invoke",
    )
    .await;
    let everything =
        r#"{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"*","Resource":"*"}]}"#;
    let boundary = aws.create_policy("AttackerBoundary", everything).await;
    let admin = aws.create_policy("AdministratorAccess", everything).await;
    aws.set_role_boundary(name, &boundary).await;
    aws.attach_role_policy(name, &admin).await;
    aws.set_max_session_duration(name, 43_200).await;
    let trust_before = aws.trust_policy(name).await;

    h.work
        .write(hcl::scheduler_invoke_role(&[&function]).role_name(name));
    let run = h.work.apply();
    assert_refused_with_import_id(&run, name);
    let text = words(&run.text());
    assert!(
        text.contains("AdministratorAccess"),
        "names the attachment: {text}"
    );
    assert!(h.work.state_list().is_empty());

    let role = aws.role(name).await;
    assert_eq!(
        role.permissions_boundary()
            .and_then(|b| b.permissions_boundary_arn()),
        Some(boundary.as_str()),
        "the boundary is never removed from an unrecorded role"
    );
    assert_eq!(role.max_session_duration(), Some(43_200));
    assert_eq!(aws.attached_policies(name).await, [admin]);
    assert_eq!(aws.trust_policy(name).await, trust_before);
    assert!(
        aws.role_policy_names(name).await.is_empty(),
        "no policy added"
    );

    // Importing it is refused on the same proof: the state would show a
    // least-privilege role that holds AdministratorAccess.
    let run = h.work.import("lambdawire_scheduler_invoke_role.this", name);
    assert_ne!(run.code, 0, "{}", run.text());
    assert!(words(&run.text()).contains("not provably this resource's"));
    assert!(h.work.state_list().is_empty());
}

/// An exact leftover of an interrupted create (the role with its owner tag
/// and nothing else) is adopted, and the policy that adoption writes denies
/// every session issued before it; the plan does not show that statement
/// as drift, and destroy leaves nothing.
#[tokio::test(flavor = "multi_thread")]
async fn an_exact_leftover_is_adopted_and_sessions_issued_before_get_nothing() {
    let h = Harness::new();
    let (aws, work) = (&h.aws, &h.work);
    let function = aws.create_function("hook").await;
    let name = "team-invoke";
    work.write(hcl::scheduler_invoke_role(&[&function]).role_name(name));
    work.apply().ok();
    // What an interrupted create leaves: the role, before its policy, and
    // no state.
    aws.delete_role_policy(name, "lambdawire-invoke").await;
    work.state_rm("lambdawire_scheduler_invoke_role.this").ok();

    work.apply().ok();
    let policy = aws
        .role_policy(name, "lambdawire-invoke")
        .await
        .expect("policy");
    let doc: serde_json::Value = serde_json::from_str(&policy).expect("json");
    let statements = doc["Statement"].as_array().expect("statements");
    let cutoff = statements
        .iter()
        .find(|s| s["Effect"] == "Deny")
        .unwrap_or_else(|| panic!("a session cut-off: {policy}"));
    assert_eq!(cutoff["Action"], "*");
    assert_eq!(cutoff["Resource"], "*");
    assert!(
        cutoff["Condition"]["DateLessThan"]["aws:TokenIssueTime"].is_string(),
        "{cutoff}"
    );
    assert!(policy.contains(":function:hook"), "{policy}");
    work.assert_no_changes();
    work.destroy().ok();
    assert!(!aws.role_exists(name).await);
}

/// State, private state included, is editable: a role that no longer
/// carries this resource's owner tag is released with a warning on
/// destroy, never deleted.
#[tokio::test(flavor = "multi_thread")]
async fn a_role_without_its_owner_tag_is_released_not_deleted() {
    let h = Harness::new();
    let (aws, work) = (&h.aws, &h.work);
    let function = aws.create_function("hook").await;
    let name = "team-invoke";
    work.write(hcl::scheduler_invoke_role(&[&function]).role_name(name));
    work.apply().ok();
    aws.untag_role(name, "lambdawire:role").await;
    let run = work.destroy().ok();
    let text = words(&run.text());
    assert!(text.contains("released, not deleted"), "{text}");
    assert!(aws.role_exists(name).await, "the role is left alone");
    assert!(work.state_list().is_empty());
    aws.delete_role_with_policies(name).await;
}
