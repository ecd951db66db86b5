//! Drift in the settings of a managed role (permissions boundary, path,
//! tags and the provider's `default_tags`), import of roles whose names were
//! generated, and the state a failed role update records.

use std::collections::BTreeMap;

use crate::support::fault_proxy::{Fault, FaultProxy, Rule};
use crate::support::{plan_line, Aws, Moto, Run, Workdir, ACCOUNT, SCHEDULER_TRUST};

const BOUNDARY: &str = "arn:aws:iam::aws:policy/PowerUserAccess";

/// main.tf with `default_tags = { env = "test" }` in the provider block.
fn write_with_default_tags(work: &Workdir, body: &str) {
    let provider = work.provider_block().replace(
        "  max_retries = 4\n",
        "  max_retries = 4\n  default_tags = { env = \"test\" }\n",
    );
    std::fs::write(work.path().join("main.tf"), format!("{provider}\n{body}"))
        .expect("write main.tf");
}

/// The `role { ... }` block the drift tests configure.
const ROLE_BLOCK: &str = r#"  role {
    permissions_boundary = "arn:aws:iam::aws:policy/PowerUserAccess"
    tags                 = { team = "a" }
  }"#;

async fn get_role(aws: &Aws, name: &str) -> aws_sdk_iam::types::Role {
    aws.iam
        .get_role()
        .role_name(name)
        .send()
        .await
        .expect("get role")
        .role
        .expect("role")
}

fn tags_of(role: &aws_sdk_iam::types::Role) -> BTreeMap<String, String> {
    role.tags()
        .iter()
        .map(|t| (t.key().to_string(), t.value().to_string()))
        .collect()
}

fn boundary_of(role: &aws_sdk_iam::types::Role) -> Option<String> {
    role.permissions_boundary()
        .and_then(|b| b.permissions_boundary_arn())
        .map(str::to_string)
}

#[track_caller]
fn assert_shows(run: &Run, attribute: &str, detail: &str) {
    assert_eq!(run.code, 2, "drift must plan a change:\n{}", run.text());
    assert!(
        plan_line(&run.stdout, attribute).is_some(),
        "the plan names {attribute}:\n{}",
        run.text()
    );
    assert!(
        run.stdout.contains(detail),
        "the plan shows {detail}:\n{}",
        run.text()
    );
}

/// The resource at `address` manages the role named by its `name_attribute`,
/// configured with [`ROLE_BLOCK`] and the `env` default tag: out-of-band
/// changes to its boundary and tags show in the plan, and apply repairs them.
/// Returns the role's name.
async fn drift_is_shown_and_repaired(
    work: &Workdir,
    aws: &Aws,
    address: &str,
    name_attribute: &str,
) -> String {
    let create = work.plan();
    let tags_all = plan_line(&create.stdout, "tags_all").unwrap_or_default();
    assert!(
        !tags_all.contains("known after apply"),
        "tags_all is known at plan even when the role's name is not:\n{}",
        create.text()
    );
    work.apply().ok();
    let state = work.resource(address);
    assert_eq!(
        state["tags_all"],
        serde_json::json!({"env": "test", "team": "a"}),
        "tags_all holds the default tags and not the ownership tag"
    );
    let role = state[name_attribute]
        .as_str()
        .expect("role name")
        .to_string();
    let wanted = tags_of(&get_role(aws, &role).await);
    assert_eq!(wanted.get("env").map(String::as_str), Some("test"));
    assert_eq!(wanted.get("team").map(String::as_str), Some("a"));
    assert_eq!(
        boundary_of(&get_role(aws, &role).await).as_deref(),
        Some(BOUNDARY)
    );
    work.assert_no_changes();

    // 1. The boundary removed and a tag changed out of band.
    aws.iam
        .delete_role_permissions_boundary()
        .role_name(&role)
        .send()
        .await
        .expect("delete boundary");
    tag(aws, &role, "team", "b").await;
    let plan = work.plan();
    assert_shows(&plan, "permissions_boundary", BOUNDARY);
    assert_shows(&plan, "tags", "\"team\" = \"b\" -> \"a\"");
    work.apply().ok();
    let repaired = get_role(aws, &role).await;
    assert_eq!(boundary_of(&repaired).as_deref(), Some(BOUNDARY));
    assert_eq!(tags_of(&repaired), wanted);
    work.assert_no_changes();

    // 2. A tag added and a default tag removed out of band.
    tag(aws, &role, "extra", "x").await;
    aws.iam
        .untag_role()
        .role_name(&role)
        .tag_keys("env")
        .send()
        .await
        .expect("untag role");
    let plan = work.plan();
    assert_shows(&plan, "tags", "\"extra\" = \"x\" -> null");
    assert_shows(&plan, "tags_all", "+ \"env\"");
    work.apply().ok();
    assert_eq!(tags_of(&get_role(aws, &role).await), wanted);
    work.assert_no_changes();
    role
}

async fn tag(aws: &Aws, role: &str, key: &str, value: &str) {
    aws.iam
        .tag_role()
        .role_name(role)
        .tags(
            aws_sdk_iam::types::Tag::builder()
                .key(key)
                .value(value)
                .build()
                .expect("tag"),
        )
        .send()
        .await
        .expect("tag role");
}

#[tokio::test(flavor = "multi_thread")]
async fn invoker_role_drift_in_boundary_and_tags_is_shown_and_repaired() {
    let moto = Moto::start();
    let aws = Aws::new(&moto);
    let function = aws.create_function("hook").await;
    let work = Workdir::new(&moto.url());
    write_with_default_tags(
        &work,
        &format!(
            r#"resource "lambdawire_scheduled_lambda_invoker" "this" {{
  name                = "drifty"
  function_arn        = "{function}"
  schedule_expression = "rate(1 hour)"
{ROLE_BLOCK}
}}
"#
        ),
    );
    let address = "lambdawire_scheduled_lambda_invoker.this";
    drift_is_shown_and_repaired(&work, &aws, address, "role_name").await;
    work.destroy().ok();
    aws.assert_nothing_left().await;
}

#[tokio::test(flavor = "multi_thread")]
async fn scheduler_role_drift_in_boundary_and_tags_is_shown_and_repaired() {
    let moto = Moto::start();
    let aws = Aws::new(&moto);
    let function = aws.create_function("hook").await;
    let work = Workdir::new(&moto.url());
    write_with_default_tags(
        &work,
        &format!(
            r#"resource "lambdawire_scheduler_invoke_role" "this" {{
  function_arns = ["{function}"]
{ROLE_BLOCK}
}}
"#
        ),
    );
    let address = "lambdawire_scheduler_invoke_role.this";
    drift_is_shown_and_repaired(&work, &aws, address, "name").await;
    work.destroy().ok();
    aws.assert_nothing_left().await;
}

#[tokio::test(flavor = "multi_thread")]
async fn execution_role_drift_in_boundary_tags_and_path_is_shown_and_repaired() {
    let moto = Moto::start();
    let aws = Aws::new(&moto);
    let work = Workdir::new(&moto.url());
    write_with_default_tags(
        &work,
        &format!(
            r#"resource "lambdawire_lambda_execution_role" "this" {{
  function_name = "processor"
{ROLE_BLOCK}
}}
"#
        ),
    );
    let address = "lambdawire_lambda_execution_role.this";
    let role = drift_is_shown_and_repaired(&work, &aws, address, "name").await;

    // 3. The role recreated out of band under another path: IAM cannot move
    // a role, so the plan replaces it.
    aws.delete_role_with_policies(&role).await;
    aws.iam
        .create_role()
        .role_name(&role)
        .path("/moved/")
        .assume_role_policy_document(SCHEDULER_TRUST)
        .send()
        .await
        .expect("recreate role");
    let plan = work.plan();
    assert_shows(&plan, "path", "\"/moved/\"");
    assert!(
        plan.stdout.contains("must be replaced"),
        "a path drift replaces the role:\n{}",
        plan.text()
    );
    work.apply().ok();
    // A generated name is generated anew for the new role.
    let name = work.resource(address)["name"]
        .as_str()
        .expect("name")
        .to_string();
    assert!(!aws.role_exists(&role).await, "the moved role was replaced");
    let replaced = get_role(&aws, &name).await;
    assert_eq!(replaced.path(), "/");
    assert_eq!(
        replaced.arn(),
        format!("arn:aws:iam::{ACCOUNT}:role/{name}")
    );
    assert_eq!(boundary_of(&replaced).as_deref(), Some(BOUNDARY));
    work.assert_no_changes();
    work.destroy().ok();
    aws.assert_nothing_left().await;
}

#[tokio::test(flavor = "multi_thread")]
async fn roles_with_generated_names_import_with_no_change() {
    let moto = Moto::start();
    let aws = Aws::new(&moto);
    let function = aws.create_function("hook").await;
    let work = Workdir::new(&moto.url());
    // No role names anywhere: one role without a block, one with tags only.
    write_with_default_tags(
        &work,
        &format!(
            r#"resource "lambdawire_lambda_execution_role" "gen" {{
  function_name = "processor"
}}

resource "lambdawire_scheduler_invoke_role" "gen" {{
  function_arns = ["{function}"]
  role {{
    tags = {{ team = "a" }}
  }}
}}
"#
        ),
    );
    work.apply().ok();
    work.assert_no_changes();
    for (address, prefix) in [
        ("lambdawire_lambda_execution_role.gen", "lambdawire-exec-"),
        (
            "lambdawire_scheduler_invoke_role.gen",
            "lambdawire-scheduler-",
        ),
    ] {
        let name = work.resource(address)["name"]
            .as_str()
            .expect("name")
            .to_string();
        assert!(name.starts_with(prefix), "{name} was generated");
        work.state_rm(address).ok();
        work.import(address, &name).ok();
        assert_eq!(work.resource(address)["name"], name.as_str());
        let run = work.plan();
        assert_eq!(
            run.code,
            0,
            "importing {address} plans no change:\n{}",
            run.text()
        );
    }
    work.destroy().ok();
    aws.assert_nothing_left().await;
}

fn denied() -> Fault {
    Fault::Error {
        status: 403,
        code: "AccessDenied".into(),
        message: "injected: not authorized".into(),
    }
}

fn scheduler_role(function: &str, group: &str, dead_letter: bool, team: &str) -> String {
    let dlq = if dead_letter {
        format!("dead_letter_arns = [\"arn:aws:sqs:us-east-1:{ACCOUNT}:dlq\"]")
    } else {
        String::new()
    };
    format!(
        r#"resource "lambdawire_scheduler_invoke_role" "this" {{
  function_arns  = ["{function}"]
  schedule_group = "{group}"
  {dlq}
  role {{
    name = "faulty"
    tags = {{ team = "{team}" }}
  }}
}}
"#
    )
}

#[tokio::test(flavor = "multi_thread")]
async fn failed_role_update_records_what_iam_holds() {
    let moto = Moto::start();
    let aws = Aws::new(&moto);
    let function = aws.create_function("hook").await;
    let proxy = FaultProxy::start(moto.addr).await.expect("proxy");
    let work = Workdir::new(&proxy.url());
    let address = "lambdawire_scheduler_invoke_role.this";
    work.write(&scheduler_role(&function, "a", false, "a"));
    work.apply().ok();
    let old_policy = work.resource(address)["policy_json"].clone();

    // 1. The trust policy is updated, then PutRolePolicy fails.
    work.write(&scheduler_role(&function, "b", true, "a"));
    proxy.add(
        Rule::new(denied())
            .for_service("iam")
            .for_operation("PutRolePolicy"),
    );
    let run = work.apply();
    assert_ne!(run.code, 0, "the update fails:\n{}", run.text());
    let trust = aws.trust_policy("faulty").await.expect("trust");
    assert!(
        trust.contains("schedule-group/b"),
        "trust was updated: {trust}"
    );
    let state = work.resource(address);
    assert!(
        state["trust_policy_json"]
            .as_str()
            .is_some_and(|t| t.contains("schedule-group/b")),
        "state records the trust policy that was written: {state}"
    );
    assert_eq!(
        state["policy_json"], old_policy,
        "state records the inline policy IAM still holds, not the planned one"
    );
    proxy.clear();
    let plan = work.plan();
    assert_eq!(
        plan.code,
        2,
        "the policy is still to write:\n{}",
        plan.text()
    );
    assert!(
        plan_line(&plan.stdout, "policy_json").is_some(),
        "{}",
        plan.text()
    );

    // 2. The trust policy is updated, then TagRole fails.
    work.write(&scheduler_role(&function, "c", true, "b"));
    proxy.add(
        Rule::new(denied())
            .for_service("iam")
            .for_operation("TagRole"),
    );
    let run = work.apply();
    assert_ne!(run.code, 0, "the update fails:\n{}", run.text());
    let state = work.resource(address);
    assert!(
        state["trust_policy_json"]
            .as_str()
            .is_some_and(|t| t.contains("schedule-group/c")),
        "state records the trust policy that was written: {state}"
    );
    assert_eq!(state["role"][0]["tags"], serde_json::json!({"team": "a"}));
    assert_eq!(state["tags_all"], serde_json::json!({"team": "a"}));
    proxy.clear();
    let plan = work.plan();
    assert_shows(&plan, "tags", "\"team\" = \"a\" -> \"b\"");

    work.apply().ok();
    let role = get_role(&aws, "faulty").await;
    assert_eq!(tags_of(&role).get("team").map(String::as_str), Some("b"));
    let policy = aws
        .role_policy("faulty", "lambdawire-invoke")
        .await
        .expect("policy");
    assert!(policy.contains("sqs:SendMessage"), "{policy}");
    work.assert_no_changes();
    work.destroy().ok();
    assert!(!aws.role_exists("faulty").await);
}
