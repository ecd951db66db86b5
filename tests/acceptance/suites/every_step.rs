//! Failure at every mutating step, for every resource (issue 9, suite 1).
//!
//! Each scenario is run once without faults through the fault proxy, and
//! the mutating calls of its change (create, each kind of update, delete)
//! are read from that recorded run, so a new step is covered without
//! editing this file. Then, for each of those calls, a fresh moto replays
//! the scenario twice: once with that call refused (AccessDenied, which no
//! retry gets past) and once with its answer lost after AWS applied it.
//! After each run:
//! - every object in AWS is one the state records, or it is gone;
//! - a refused call's diagnostic names the operation, the code and the
//!   request id;
//! - the next apply converges, the plan after it is empty, and destroy
//!   leaves nothing.

use std::collections::BTreeSet;

use crate::support::fault_proxy::{Call, Fault, Nth, Rule};
use crate::support::hcl::{self, Block};
use crate::support::{denied, words, Aws, Harness, Run, Workdir, ACCOUNT};

/// What a scenario does: `before` is applied without faults, then `after`
/// (a configuration, or `None` for a destroy) is the change under test.
struct Scenario {
    name: &'static str,
    before: Option<String>,
    after: Option<String>,
}

const FUNCTION: &str = "arn:aws:lambda:us-east-1:123456789012:function:hook";

fn invoker() -> Block {
    hcl::invoker("stepwise", FUNCTION).label("job")
}

fn permission(source: &str) -> Block {
    hcl::permission("events", "hook", "stepwise").str(
        "source_arn",
        &format!("arn:aws:events:us-east-1:{ACCOUNT}:rule/{source}"),
    )
}

fn scheduler_role(functions: &[&str], team: &str) -> Block {
    hcl::scheduler_invoke_role(functions)
        .label("shared")
        .block("role", |role| {
            role.str("name", "stepwise-scheduler")
                .expr("tags", &format!("{{ team = \"{team}\" }}"))
        })
}

fn execution_role() -> Block {
    hcl::execution_role("hook")
        .label("exec")
        .role_name("stepwise-exec")
}

/// The topic every scenario's world holds, for the SNS trigger.
fn topic() -> String {
    format!("arn:aws:sns:us-east-1:{ACCOUNT}:stepwise")
}

fn sns_trigger() -> Block {
    hcl::sns_trigger("hook", &topic())
}

/// The bucket the S3 trigger scenarios write into.
const BUCKET: &str = "stepwise";

fn s3_trigger() -> Block {
    hcl::s3_trigger("bucket", BUCKET, "hook")
}

fn eventbridge_trigger() -> Block {
    hcl::eventbridge_trigger("stepwise", "hook").label("rule")
}

fn scenarios() -> Vec<Scenario> {
    let other = format!("arn:aws:lambda:us-east-1:{ACCOUNT}:function:other");
    let s = |name, before: Option<Block>, after: Option<Block>| Scenario {
        name,
        before: before.as_ref().map(Block::render),
        after: after.as_ref().map(Block::render),
    };
    vec![
        s("invoker create", None, Some(invoker())),
        s(
            "invoker in-place schedule change",
            Some(invoker()),
            Some(invoker().str("description", "changed")),
        ),
        s(
            "invoker role switch",
            Some(invoker()),
            Some(invoker().role_name("stepwise-switched")),
        ),
        s(
            "invoker policy rewrite",
            Some(invoker()),
            Some(invoker().str(
                "dead_letter_arn",
                &format!("arn:aws:sqs:us-east-1:{ACCOUNT}:dlq"),
            )),
        ),
        s("invoker delete", Some(invoker()), None),
        s("permission create", None, Some(permission("nightly"))),
        s(
            "permission zero-window swap",
            Some(permission("nightly")),
            Some(permission("hourly")),
        ),
        s("permission delete", Some(permission("nightly")), None),
        s(
            "scheduler role create",
            None,
            Some(scheduler_role(&[FUNCTION], "a")),
        ),
        s(
            "scheduler role policy rewrite",
            Some(scheduler_role(&[FUNCTION], "a")),
            Some(scheduler_role(&[FUNCTION, &other], "b")),
        ),
        s(
            "scheduler role delete",
            Some(scheduler_role(&[FUNCTION], "a")),
            None,
        ),
        s("execution role create", None, Some(execution_role())),
        s(
            "execution role policy rewrite",
            Some(execution_role()),
            Some(execution_role().expr(
                "sqs_queue_arns",
                &hcl::list(&[&format!("arn:aws:sqs:us-east-1:{ACCOUNT}:jobs")]),
            )),
        ),
        s("execution role delete", Some(execution_role()), None),
        s("sns trigger create", None, Some(sns_trigger())),
        s(
            "sns trigger attributes update",
            Some(sns_trigger()),
            Some(
                sns_trigger()
                    .expr("filter_policy", r#"jsonencode({ kind = ["order"] })"#)
                    .str(
                        "redrive_dead_letter_arn",
                        &format!("arn:aws:sqs:us-east-1:{ACCOUNT}:dlq"),
                    ),
            ),
        ),
        s("sns trigger delete", Some(sns_trigger()), None),
        s("s3 trigger create", None, Some(s3_trigger())),
        s(
            "s3 trigger entry rewrite",
            Some(s3_trigger()),
            Some(s3_trigger().str("filter_suffix", ".jpg")),
        ),
        s("s3 trigger delete", Some(s3_trigger()), None),
        s(
            "eventbridge trigger create",
            None,
            Some(eventbridge_trigger()),
        ),
        s(
            "eventbridge trigger rule and target update",
            Some(eventbridge_trigger()),
            Some(
                eventbridge_trigger()
                    .str("state", "DISABLED")
                    .expr("input", r#"jsonencode({ kind = "changed" })"#),
            ),
        ),
        s(
            "eventbridge trigger delete",
            Some(eventbridge_trigger()),
            None,
        ),
    ]
}

/// A call that changes something in AWS.
fn mutating(call: &Call) -> bool {
    !["Get", "List", "Describe"]
        .iter()
        .any(|read| call.operation.starts_with(read))
}

/// A scenario's world: moto with the function, the proxy in front, a
/// working directory with `before` applied.
struct World {
    h: Harness,
    /// Roles that exist before the scenario (the function's own).
    roles_before: BTreeSet<String>,
}

async fn world(scenario: &Scenario) -> World {
    let h = Harness::with_proxy().await;
    h.aws.create_function("hook").await;
    h.aws.create_topic("stepwise").await;
    h.aws.create_bucket(BUCKET).await;
    let roles_before = all_roles(&h.aws).await;
    if let Some(before) = &scenario.before {
        h.work.write(before);
        h.work.apply().ok();
    }
    World { h, roles_before }
}

fn change(w: &World, scenario: &Scenario) -> Run {
    match &scenario.after {
        Some(after) => {
            w.h.work.write(after);
            w.h.work.apply()
        }
        None => w.h.work.destroy(),
    }
}

async fn all_roles(aws: &Aws) -> BTreeSet<String> {
    aws.roles_with_prefix("").await.into_iter().collect()
}

async fn statement_ids(aws: &Aws) -> BTreeSet<String> {
    aws.statement_ids("hook").await.into_iter().collect()
}

/// Names the state records: roles (managed, pending deletion, role
/// resources), schedules and statement ids.
fn recorded(work: &Workdir) -> BTreeSet<String> {
    let run = work.terraform(&["show", "-json"]);
    let state: serde_json::Value = serde_json::from_str(&run.stdout).unwrap_or_default();
    let mut names = BTreeSet::new();
    for r in state["values"]["root_module"]["resources"]
        .as_array()
        .into_iter()
        .flatten()
    {
        let v = &r["values"];
        for key in ["role_name", "name", "statement_id", "subscription_arn"] {
            if let Some(name) = v[key].as_str() {
                names.insert(name.to_string());
            }
        }
        // An S3 trigger's notification entry, by its id.
        if r["type"] == "lambdawire_s3_trigger" {
            if let Some(id) = v["id"].as_str() {
                names.insert(id.to_string());
            }
        }
        for pending in v["roles_pending_deletion"].as_array().into_iter().flatten() {
            if let Some(name) = pending.as_str() {
                names.insert(name.to_string());
            }
        }
    }
    names
}

/// Every object in AWS is one the state records (or existed before).
async fn orphans(w: &World) -> Vec<String> {
    let known = recorded(&w.h.work);
    let mut found: Vec<String> = all_roles(&w.h.aws)
        .await
        .into_iter()
        .filter(|r| !w.roles_before.contains(r))
        .map(|r| format!("role {r}"))
        .chain(
            w.h.aws
                .schedule_names()
                .await
                .into_iter()
                .map(|s| format!("schedule {s}")),
        )
        .chain(
            statement_ids(&w.h.aws)
                .await
                .into_iter()
                .map(|s| format!("statement {s}")),
        )
        .chain(
            w.h.aws
                .subscriptions(&topic())
                .await
                .into_iter()
                .map(|(arn, _, _)| format!("subscription {arn}")),
        )
        .chain(
            w.h.aws
                .notifications(BUCKET)
                .await
                .functions
                .iter()
                .map(|f| format!("entry {}", f.id().unwrap_or_default())),
        )
        .chain(
            w.h.aws
                .rule_names("default")
                .await
                .into_iter()
                .map(|r| format!("rule {r}")),
        )
        .collect();
    // A permission's temporary statement (`<id>-lwtmp`, derived from its
    // id) belongs to it: its next update, a Read that finds only it, and
    // its delete all handle it.
    found.retain(|object| {
        let name = object.split_once(' ').map_or("", |(_, n)| n);
        let owner = name
            .strip_suffix("-lwtmp")
            .or_else(|| name.strip_suffix("-lwtmq"))
            .unwrap_or(name);
        !known.contains(name) && !known.contains(owner)
    });
    found
}

/// One fault at one call: the guarantees after it.
async fn one_case(scenario: &Scenario, target: &Call, nth: usize, lose: bool) {
    let case = format!(
        "{}: {} {}#{nth}",
        scenario.name,
        if lose { "lost answer of" } else { "refused" },
        target.operation
    );
    let w = world(scenario).await;
    let fault = if lose {
        Fault::LoseResponse
    } else {
        denied(&target.service)
    };
    w.h.proxy().add(
        Rule::new(fault)
            .for_service(&target.service)
            .for_operation(&target.operation)
            .when(Nth::Nth(nth)),
    );
    let run = change(&w, scenario);
    assert!(
        !run.text().contains("panic"),
        "{case}: the provider panicked:\n{}",
        run.text()
    );
    if !lose {
        assert_ne!(run.code, 0, "{case}: a refused call fails the command");
        let text = words(&run.text());
        let code = if target.service == "iam" {
            "AccessDenied"
        } else {
            "AccessDeniedException"
        };
        assert!(
            text.contains(&format!("{}: {code}", target.operation)),
            "{case}: the diagnostic names the operation and the code:\n{text}"
        );
        assert!(
            text.contains("(request id: ") && !text.contains("(request id: none)"),
            "{case}: the diagnostic names the request id:\n{text}"
        );
    }
    let left = orphans(&w).await;
    assert!(
        left.is_empty(),
        "{case}: objects no state records: {left:?}"
    );

    w.h.proxy().clear();
    let again = change(&w, scenario);
    assert_eq!(
        again.code,
        0,
        "{case}: the next run converges:\n{}",
        again.text()
    );
    if scenario.after.is_some() {
        w.h.work.assert_no_changes();
    }
    w.h.work.destroy().ok();
    let left = orphans(&w).await;
    assert!(left.is_empty(), "{case}: left after destroy: {left:?}");
    assert!(w.h.aws.schedule_names().await.is_empty(), "{case}");
    assert!(statement_ids(&w.h.aws).await.is_empty(), "{case}");
    assert!(w.h.aws.subscriptions(&topic()).await.is_empty(), "{case}");
    assert!(w.h.aws.rule_names("default").await.is_empty(), "{case}");
    assert_eq!(
        all_roles(&w.h.aws).await,
        w.roles_before,
        "{case}: roles after destroy"
    );
}

/// The mutating calls of a scenario's change, each with its occurrence
/// number among calls of the same operation.
async fn recorded_steps(scenario: &Scenario) -> Vec<(Call, usize)> {
    let w = world(scenario).await;
    let start = w.h.proxy().calls().len();
    let run = change(&w, scenario);
    assert_eq!(
        run.code,
        0,
        "{}: the recorded run:\n{}",
        scenario.name,
        run.text()
    );
    let mut seen: Vec<(Call, usize)> = Vec::new();
    for call in w.h.proxy().calls().into_iter().skip(start).filter(mutating) {
        let nth = 1 + seen
            .iter()
            .filter(|(c, _)| c.service == call.service && c.operation == call.operation)
            .count();
        seen.push((call, nth));
    }
    assert!(
        !seen.is_empty(),
        "{}: the change made no call",
        scenario.name
    );
    seen
}

async fn every_step(names: &[&str]) -> usize {
    let mut cases = 0;
    for scenario in scenarios().iter().filter(|s| names.contains(&s.name)) {
        let steps = recorded_steps(scenario).await;
        eprintln!(
            "{}: {:?}",
            scenario.name,
            steps
                .iter()
                .map(|(c, n)| format!("{}#{n}", c.operation))
                .collect::<Vec<_>>()
        );
        for (call, nth) in &steps {
            for lose in [false, true] {
                one_case(scenario, call, *nth, lose).await;
                cases += 1;
            }
        }
    }
    eprintln!("{cases} steps x faults failed and recovered");
    cases
}

/// The scenarios by test, so that they run two at a time.
const GROUPS: [&[&str]; 6] = [
    &[
        "invoker create",
        "invoker in-place schedule change",
        "invoker role switch",
        "invoker policy rewrite",
        "invoker delete",
    ],
    &[
        "permission create",
        "permission zero-window swap",
        "permission delete",
    ],
    &[
        "scheduler role create",
        "scheduler role policy rewrite",
        "scheduler role delete",
        "execution role create",
        "execution role policy rewrite",
        "execution role delete",
    ],
    &[
        "sns trigger create",
        "sns trigger attributes update",
        "sns trigger delete",
    ],
    &[
        "s3 trigger create",
        "s3 trigger entry rewrite",
        "s3 trigger delete",
    ],
    &[
        "eventbridge trigger create",
        "eventbridge trigger rule and target update",
        "eventbridge trigger delete",
    ],
];

#[tokio::test(flavor = "multi_thread")]
async fn every_invoker_step_failed_or_lost_leaves_nothing_unrecorded() {
    let cases = every_step(GROUPS[0]).await;
    assert!(cases >= 20, "{cases}");
}

#[tokio::test(flavor = "multi_thread")]
async fn every_permission_step_failed_or_lost_leaves_nothing_unrecorded() {
    let cases = every_step(GROUPS[1]).await;
    assert!(cases >= 8, "{cases}");
}

#[tokio::test(flavor = "multi_thread")]
async fn every_role_resource_step_failed_or_lost_leaves_nothing_unrecorded() {
    let cases = every_step(GROUPS[2]).await;
    assert!(cases >= 12, "{cases}");
}

#[tokio::test(flavor = "multi_thread")]
async fn every_sns_trigger_step_failed_or_lost_leaves_nothing_unrecorded() {
    let cases = every_step(GROUPS[3]).await;
    assert!(cases >= 8, "{cases}");
}

#[tokio::test(flavor = "multi_thread")]
async fn every_s3_trigger_step_failed_or_lost_leaves_nothing_unrecorded() {
    let cases = every_step(GROUPS[4]).await;
    assert!(cases >= 10, "{cases}");
}

#[tokio::test(flavor = "multi_thread")]
async fn every_eventbridge_trigger_step_failed_or_lost_leaves_nothing_unrecorded() {
    let cases = every_step(GROUPS[5]).await;
    assert!(cases >= 14, "{cases}");
}

#[test]
fn every_scenario_is_run_by_one_test() {
    let grouped: Vec<&str> = GROUPS.iter().flat_map(|g| g.iter().copied()).collect();
    let all: Vec<&str> = scenarios().iter().map(|s| s.name).collect();
    assert_eq!(all, grouped);
}
