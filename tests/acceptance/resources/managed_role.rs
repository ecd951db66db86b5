//! Drift in the settings of a managed role (permissions boundary, path,
//! tags and the provider's `default_tags`), import of roles whose names were
//! generated, and the state a failed role update records.

use std::collections::BTreeMap;

use crate::support::fault_proxy::Rule;
use crate::support::hcl::{self, Block};
use crate::support::{denied, plan_line, Aws, Harness, Run, Workdir, ACCOUNT, SCHEDULER_TRUST};

const BOUNDARY: &str = "arn:aws:iam::aws:policy/PowerUserAccess";

/// main.tf with `default_tags = { env = "test" }` in the provider block.
fn write_with_default_tags(work: &Workdir, body: &str) {
    work.write_with_provider_lines("  default_tags = { env = \"test\" }\n", body);
}

/// The `role { ... }` block the drift tests configure.
fn with_role_block(resource: Block) -> Block {
    resource.block("role", |role| {
        role.str("permissions_boundary", BOUNDARY)
            .expr("tags", r#"{ team = "a" }"#)
    })
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
/// configured with [`with_role_block`] and the `env` default tag: out-of-band
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
    let wanted = tags_of(&aws.role(&role).await);
    assert_eq!(wanted.get("env").map(String::as_str), Some("test"));
    assert_eq!(wanted.get("team").map(String::as_str), Some("a"));
    assert_eq!(
        boundary_of(&aws.role(&role).await).as_deref(),
        Some(BOUNDARY)
    );
    work.assert_no_changes();

    // 1. The boundary removed and a tag changed out of band.
    aws.delete_role_boundary(&role).await;
    aws.tag_role(&role, "team", "b").await;
    let plan = work.plan();
    assert_shows(&plan, "permissions_boundary", BOUNDARY);
    assert_shows(&plan, "tags", "\"team\" = \"b\" -> \"a\"");
    work.apply().ok();
    let repaired = aws.role(&role).await;
    assert_eq!(boundary_of(&repaired).as_deref(), Some(BOUNDARY));
    assert_eq!(tags_of(&repaired), wanted);
    work.assert_no_changes();

    // 2. A tag added and a default tag removed out of band.
    aws.tag_role(&role, "extra", "x").await;
    aws.untag_role(&role, "env").await;
    let plan = work.plan();
    assert_shows(&plan, "tags", "\"extra\" = \"x\" -> null");
    assert_shows(&plan, "tags_all", "+ \"env\"");
    work.apply().ok();
    assert_eq!(tags_of(&aws.role(&role).await), wanted);
    work.assert_no_changes();
    role
}

#[tokio::test(flavor = "multi_thread")]
async fn scheduled_lambda_invoker_role_drift_in_boundary_and_tags_is_shown_and_repaired() {
    let h = Harness::new();
    let (aws, work) = (&h.aws, &h.work);
    let function = aws.create_function("hook").await;
    write_with_default_tags(
        work,
        &with_role_block(hcl::invoker("drifty", &function)).render(),
    );
    let address = "lambdawire_scheduled_lambda_invoker.this";
    drift_is_shown_and_repaired(work, aws, address, "role_name").await;
    work.destroy().ok();
    aws.assert_nothing_left().await;
}

#[tokio::test(flavor = "multi_thread")]
async fn scheduler_invoke_role_drift_in_boundary_and_tags_is_shown_and_repaired() {
    let h = Harness::new();
    let (aws, work) = (&h.aws, &h.work);
    let function = aws.create_function("hook").await;
    write_with_default_tags(
        work,
        &with_role_block(hcl::scheduler_invoke_role(&[&function])).render(),
    );
    let address = "lambdawire_scheduler_invoke_role.this";
    drift_is_shown_and_repaired(work, aws, address, "name").await;
    work.destroy().ok();
    aws.assert_nothing_left().await;
}

#[tokio::test(flavor = "multi_thread")]
async fn lambda_execution_role_drift_in_boundary_tags_and_path_is_shown_and_repaired() {
    let h = Harness::new();
    let (aws, work) = (&h.aws, &h.work);
    write_with_default_tags(
        work,
        &with_role_block(hcl::execution_role("processor")).render(),
    );
    let address = "lambdawire_lambda_execution_role.this";
    let role = drift_is_shown_and_repaired(work, aws, address, "name").await;

    // 3. The role recreated out of band under another path: IAM cannot move
    // a role, so the plan replaces it.
    aws.delete_role_with_policies(&role).await;
    aws.create_role(&role, "/moved/", SCHEDULER_TRUST).await;
    // With its owner tag, as a tool that recreates roles copies tags: a
    // role without it would be released at the replacement, not deleted
    // (suites/ownership.rs).
    let owner = format!("lambdawire_lambda_execution_role/{role}");
    aws.tag_role(&role, "lambdawire:role", &owner).await;
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
    let replaced = aws.role(&name).await;
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
async fn managed_role_generated_names_import_with_no_change() {
    let h = Harness::new();
    let (aws, work) = (&h.aws, &h.work);
    let function = aws.create_function("hook").await;
    // No role names anywhere: one role without a block, one with tags only.
    write_with_default_tags(
        work,
        &format!(
            "{}\n{}",
            hcl::execution_role("processor").label("gen"),
            hcl::scheduler_invoke_role(&[&function])
                .label("gen")
                .block("role", |role| role.expr("tags", r#"{ team = "a" }"#)),
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

fn scheduler_role(function: &str, group: &str, dead_letter: bool, team: &str) -> Block {
    let role = hcl::scheduler_invoke_role(&[function]).str("schedule_group", group);
    let role = if dead_letter {
        role.expr(
            "dead_letter_arns",
            &hcl::list(&[&format!("arn:aws:sqs:us-east-1:{ACCOUNT}:dlq")]),
        )
    } else {
        role
    };
    role.block("role", |role| {
        role.str("name", "faulty")
            .expr("tags", &format!("{{ team = \"{team}\" }}"))
    })
}

#[tokio::test(flavor = "multi_thread")]
async fn scheduler_invoke_role_failed_update_records_what_iam_holds() {
    let h = Harness::with_proxy().await;
    let (aws, proxy, work) = (&h.aws, h.proxy(), &h.work);
    let function = aws.create_function("hook").await;
    let address = "lambdawire_scheduler_invoke_role.this";
    work.write(scheduler_role(&function, "a", false, "a"));
    work.apply().ok();
    let old_policy = work.resource(address)["policy_json"].clone();

    // 1. The trust policy is updated, then PutRolePolicy fails.
    work.write(scheduler_role(&function, "b", true, "a"));
    proxy.add(
        Rule::new(denied("iam"))
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
    work.write(scheduler_role(&function, "c", true, "b"));
    proxy.add(
        Rule::new(denied("iam"))
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
    let role = aws.role("faulty").await;
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
