//! The ownership rule (SPEC, invoker: "Ownership is proven, never inferred
//! from a name alone"): a create adopts only what it made itself (an answer
//! that was lost) or the leftover of an interrupted create of the same
//! resource; anything else of the same name is an "already exists" error
//! that names the import id. Two configurations that choose the same names
//! never share objects, and no failure leaves an object no state records.

use crate::support::fault_proxy::{Fault, FaultProxy, Nth, Rule};
use crate::support::{Aws, Moto, Run, Workdir, ACCOUNT};

fn invoker(name: &str, function: &str, extra: &str) -> String {
    format!(
        r#"resource "lambdawire_scheduled_lambda_invoker" "this" {{
  name                = "{name}"
  function_arn        = "{function}"
  schedule_expression = "rate(1 hour)"
  {extra}
}}
"#
    )
}

fn state_list(work: &Workdir) -> Vec<String> {
    work.terraform(&["state", "list"])
        .stdout
        .lines()
        .map(str::to_string)
        .collect()
}

/// The apply failed with the ownership error that names `import_id`.
fn assert_refused_with_import_id(run: &Run, import_id: &str) {
    assert_ne!(run.code, 0, "the apply must fail:\n{}", run.text());
    let text = run.text().split_whitespace().collect::<Vec<_>>().join(" ");
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
    let moto = Moto::start();
    let aws = Aws::new(&moto);
    let function = aws.create_function("hook").await;
    let first = Workdir::new(&moto.url());
    first.write(&invoker("nightly", &function, r#"description = "first""#));
    first.apply().ok();
    let role = aws.schedule_role_arn("nightly").await;
    let role_name = role.rsplit('/').next().expect("role name").to_string();
    let tags_before = aws.role_tags(&role_name).await;

    // Same names, same function: before the ownership rule this applied
    // cleanly and took the first configuration's schedule and role over.
    let second = Workdir::new(&moto.url());
    second.write(&invoker("nightly", &function, r#"description = "second""#));
    let run = second.apply();
    assert_refused_with_import_id(&run, "default/nightly");
    assert!(
        state_list(&second).is_empty(),
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
    let moto = Moto::start();
    let aws = Aws::new(&moto);
    let function = aws.create_function("hook").await;
    let role = aws
        .create_user_role("team-scheduler", "invoke", &invoke_policy(&function))
        .await;
    let existing = format!(r#"existing_role_arn = "{role}""#);
    let first = Workdir::new(&moto.url());
    first.write(&invoker(
        "hourly",
        &function,
        &format!("{existing}\n  description = \"first\""),
    ));
    first.apply().ok();

    let second = Workdir::new(&moto.url());
    second.write(&invoker(
        "hourly",
        &function,
        &format!("{existing}\n  description = \"second\""),
    ));
    let run = second.apply();
    assert_refused_with_import_id(&run, "default/hourly");
    assert!(state_list(&second).is_empty());
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
    let moto = Moto::start();
    let aws = Aws::new(&moto);
    let function = aws.create_function("hook").await;
    let owner = Workdir::new(&moto.url());
    let role_config = format!(
        r#"resource "lambdawire_scheduler_invoke_role" "shared" {{
  function_arns = ["{function}"]
  role {{
    name = "shared-scheduler"
  }}
}}
"#
    );
    owner.write(&format!(
        "{role_config}\n{}",
        invoker(
            "daily",
            &function,
            "existing_role_arn = lambdawire_scheduler_invoke_role.shared.arn"
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
    let importer = Workdir::new(&moto.url());
    importer.write(&invoker(
        "daily",
        &function,
        &format!(r#"existing_role_arn = "{role_arn}""#),
    ));
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
        Rule::new(Fault::Error {
            status: 403,
            code: "AccessDeniedException".into(),
            message: "injected: not authorized to perform iam:PassRole".into(),
        })
        .for_service("scheduler")
        .for_operation("CreateSchedule"),
    );
    let work = Workdir::new(&proxy.url());
    work.write(&invoker("lossy", &function, ""));
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
    assert!(state_list(&work).is_empty());

    proxy.clear();
    work.apply().ok();
    work.assert_no_changes();
    work.destroy().ok();
    aws.assert_nothing_left().await;
}

#[tokio::test(flavor = "multi_thread")]
async fn create_schedule_with_every_answer_lost_is_settled_by_its_token() {
    let moto = Moto::start();
    let aws = Aws::new(&moto);
    let function = aws.create_function("hook").await;
    let proxy = FaultProxy::start(moto.addr).await.expect("proxy");
    // max_retries = 4 in the harness: all five attempts of the SDK lose
    // their answer, so only the resend with the same ClientToken can tell
    // that the schedule is this call's.
    proxy.add(
        Rule::new(Fault::LoseResponse)
            .for_service("scheduler")
            .for_operation("CreateSchedule")
            .when(Nth::FirstN(5)),
    );
    let work = Workdir::new(&proxy.url());
    work.write(&invoker("unanswered", &function, ""));
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
    let moto = Moto::start();
    let aws = Aws::new(&moto);
    let function = aws.create_function("hook").await;
    let proxy = FaultProxy::start(moto.addr).await.expect("proxy");
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
    let work = Workdir::new(&proxy.url());
    work.write(&invoker("leftover", &function, ""));
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
    let moto = Moto::start();
    let aws = Aws::new(&moto);
    let function = aws.create_function("hook").await;
    let config = |function_arn: &str| {
        format!(
            r#"resource "lambdawire_scheduler_invoke_role" "shared" {{
  function_arns = ["{function_arn}"]
  role {{
    name = "team-invoke"
  }}
}}
"#
        )
    };
    let first = Workdir::new(&moto.url());
    first.write(&config(&function));
    first.apply().ok();
    let other = aws.create_function("other").await;
    let second = Workdir::new(&moto.url());
    second.write(&config(&other));
    let run = second.apply();
    assert_refused_with_import_id(&run, "team-invoke");
    assert!(state_list(&second).is_empty());
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
    let moto = Moto::start();
    let aws = Aws::new(&moto);
    aws.create_function("processor").await;
    let config = r#"resource "lambdawire_lambda_invoke_permission" "events" {
  function_name = "processor"
  statement_id  = "nightly-rule"
  source_arn    = "arn:aws:events:us-east-1:123456789012:rule/nightly"
}
"#;
    // Through the proxy, which answers a taken statement id as Lambda does
    // (moto would append a second statement with the same id).
    let proxy = FaultProxy::start(moto.addr).await.expect("proxy");
    let first = Workdir::new(&proxy.url());
    first.write(config);
    first.apply().ok();
    // The identical statement: before, "id exists with the same content"
    // counted as success, and both states recorded one statement.
    let second = Workdir::new(&proxy.url());
    second.write(config);
    let run = second.apply();
    assert_refused_with_import_id(&run, "processor/nightly-rule");
    assert!(state_list(&second).is_empty());
    first.assert_no_changes();
    first.destroy().ok();
    assert_eq!(aws.statement_count("processor").await, 0);
}

#[tokio::test(flavor = "multi_thread")]
async fn a_permission_whose_read_back_misses_is_kept_in_state_not_orphaned() {
    let moto = Moto::start();
    let aws = Aws::new(&moto);
    aws.create_function("processor").await;
    let proxy = FaultProxy::start(moto.addr).await.expect("proxy");
    // AddPermission applies but its answer holds no statement, so the create
    // reads the policy back; that read, the first GetPolicy of the apply,
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
        .when(Nth::Nth(1)),
    );
    let work = Workdir::new(&proxy.url());
    // A generated statement id: forgetting it would leave a grant that no
    // configuration could ever name again.
    work.write(
        r#"resource "lambdawire_lambda_invoke_permission" "events" {
  function_name = "processor"
  source_arn    = "arn:aws:events:us-east-1:123456789012:rule/nightly"
}
"#,
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
        state_list(&work),
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
