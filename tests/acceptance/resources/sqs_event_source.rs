//! `lambdawire_sqs_event_source` through real terraform and moto, checked
//! on the AWS side with the SDK.
//!
//! The embedded AWS refuses a second mapping for one function and queue, as
//! Lambda does (bare moto 5.2 never does: its check looks up the literal key
//! "func.function_arn"; EMBEDDED-AWS.md). moto never checks the execution
//! role's permissions, and a conflict with another creator needs a race:
//! those refusals are injected at the fault proxy, in the shape Lambda sends
//! them.

use aws_sdk_lambda::types::FunctionResponseType;

use crate::support::fault_proxy::{Fault, Nth, Rule};
use crate::support::hcl::{self, Block};
use crate::support::{json, plan_line, sqs_grant_name, words, Aws, Harness, Workdir, ACCOUNT};

const ADDRESS: &str = "lambdawire_sqs_event_source.orders";
const ROLE: &str = "processor-exec";
const KEY: &str = "arn:aws:kms:us-east-1:123456789012:key/1234abcd-12ab-34cd-56ef-1234567890ab";

fn config(function: &str, queue: &str) -> Block {
    hcl::sqs_event_source(function, queue)
}

fn text(state: &serde_json::Value, attribute: &str) -> String {
    state[attribute]
        .as_str()
        .unwrap_or_else(|| panic!("{attribute} in {state}"))
        .to_string()
}

/// The grant `policy` allows exactly the three consumer actions on `queue`
/// (and `kms:Decrypt` on `key`, only through SQS of the queue's region).
fn assert_grant(policy: &str, queue: &str, key: Option<&str>) {
    let doc = json(policy);
    let statements = doc["Statement"].as_array().expect("statements");
    assert_eq!(statements.len(), 1 + usize::from(key.is_some()), "{doc}");
    assert_eq!(
        statements[0]["Action"],
        serde_json::json!([
            "sqs:ReceiveMessage",
            "sqs:DeleteMessage",
            "sqs:GetQueueAttributes"
        ])
    );
    assert_eq!(statements[0]["Resource"], queue);
    if let Some(key) = key {
        assert_eq!(statements[1]["Action"], "kms:Decrypt");
        assert_eq!(statements[1]["Resource"], key);
        let region = queue.split(':').nth(3).expect("the queue ARN's region");
        assert_eq!(
            statements[1]["Condition"],
            serde_json::json!({"StringEquals": {"kms:ViaService": format!("sqs.{region}.amazonaws.com")}}),
            "{doc}"
        );
    }
}

/// Every optional argument away from its default.
fn updated(config: Block) -> Block {
    config
        .expr("batch_size", "100")
        .expr("maximum_batching_window_in_seconds", "5")
        .expr("enabled", "false")
        .expr("report_batch_item_failures", "true")
        .expr("maximum_concurrency", "5")
        .expr(
            "filter_patterns",
            r#"[jsonencode({ body = { kind = ["order"] } })]"#,
        )
        .str("kms_key_arn", KEY)
}

/// Create, update every setting in place, back to the defaults, destroy.
#[tokio::test(flavor = "multi_thread")]
async fn sqs_event_source_basic() {
    let h = Harness::new();
    let (aws, work) = (&h.aws, &h.work);
    aws.create_function("processor").await;
    let queue = h.moto.create_queue("orders");
    work.write(config("processor", &queue));

    // The plan shows the exact grant before anything is written.
    let plan = work.plan_text().ok();
    for piece in [
        "\"sqs:ReceiveMessage\"",
        "\"sqs:DeleteMessage\"",
        "\"sqs:GetQueueAttributes\"",
    ] {
        assert!(plan.stdout.contains(piece), "{piece}:\n{}", plan.stdout);
    }
    let name_line = plan_line(&plan.stdout, "policy_name").expect("policy_name planned");
    assert!(
        name_line.contains(&format!("\"{}\"", sqs_grant_name(&queue))),
        "{name_line}"
    );

    work.apply().ok();
    let state = work.resource(ADDRESS);
    let uuid = text(&state, "uuid");
    assert_eq!(text(&state, "id"), uuid);
    assert_eq!(text(&state, "role_name"), ROLE, "the function's own role");
    assert_eq!(text(&state, "state"), "Enabled");
    let found = aws.mappings(&queue).await;
    assert_eq!(found.len(), 1);
    assert_eq!(found[0].uuid(), Some(uuid.as_str()));
    assert_eq!(found[0].batch_size(), Some(10));
    assert!(found[0]
        .function_arn()
        .is_some_and(|a| a.ends_with(":function:processor")));
    let policy_name = text(&state, "policy_name");
    let granted = aws.role_policy(ROLE, &policy_name).await.expect("grant");
    assert_grant(&granted, &queue, None);
    assert_eq!(json(&granted), json(&text(&state, "policy_json")));
    work.assert_no_changes();

    work.write(updated(config("processor", &queue)));
    let plan = work.plan();
    assert_eq!(plan.code, 2, "{}", plan.text());
    assert!(
        plan.stdout.contains("0 to add, 1 to change, 0 to destroy"),
        "updates in place:\n{}",
        plan.stdout
    );
    work.apply().ok();
    let got = aws.mapping(&uuid).await;
    assert_eq!(got.batch_size(), Some(100));
    assert_eq!(got.maximum_batching_window_in_seconds(), Some(5));
    assert_eq!(got.state(), Some("Disabled"));
    assert_eq!(
        got.function_response_types(),
        [FunctionResponseType::ReportBatchItemFailures]
    );
    assert_eq!(
        got.scaling_config().and_then(|s| s.maximum_concurrency()),
        Some(5)
    );
    let filters = got
        .filter_criteria()
        .map(|f| f.filters().to_vec())
        .unwrap_or_default();
    assert_eq!(filters.len(), 1);
    assert_eq!(
        json(filters[0].pattern().expect("pattern")),
        serde_json::json!({"body": {"kind": ["order"]}})
    );
    let granted = aws.role_policy(ROLE, &policy_name).await.expect("grant");
    assert_grant(&granted, &queue, Some(KEY));
    assert_eq!(
        aws.role_policy_names(ROLE).await,
        std::slice::from_ref(&policy_name)
    );
    work.assert_no_changes();

    // Back to the defaults: every removal reaches Lambda.
    work.write(config("processor", &queue));
    work.apply().ok();
    let got = aws.mapping(&uuid).await;
    assert_eq!(got.batch_size(), Some(10));
    assert_eq!(got.maximum_batching_window_in_seconds().unwrap_or(0), 0);
    assert_eq!(got.state(), Some("Enabled"));
    assert!(got.function_response_types().is_empty());
    assert_eq!(
        got.scaling_config().and_then(|s| s.maximum_concurrency()),
        None
    );
    assert!(got.filter_criteria().is_none_or(|f| f.filters().is_empty()));
    assert_grant(
        &aws.role_policy(ROLE, &policy_name).await.expect("grant"),
        &queue,
        None,
    );
    work.assert_no_changes();

    work.destroy().ok();
    assert!(aws.mappings(&queue).await.is_empty(), "mapping deleted");
    assert!(
        aws.role_policy_names(ROLE).await.is_empty(),
        "grant removed"
    );
}

#[tokio::test(flavor = "multi_thread")]
async fn sqs_event_source_drift_in_the_mapping_and_the_grant_is_shown_and_repaired() {
    let h = Harness::new();
    let (aws, work) = (&h.aws, &h.work);
    aws.create_function("processor").await;
    let queue = h.moto.create_queue("orders");
    work.write(config("processor", &queue));
    work.apply().ok();
    let state = work.resource(ADDRESS);
    let (uuid, policy_name) = (text(&state, "uuid"), text(&state, "policy_name"));

    aws.update_mapping(&uuid, 3, false).await;
    let widened = format!(
        r#"{{"Version":"2012-10-17","Statement":[{{"Effect":"Allow","Action":"sqs:*","Resource":"{queue}"}}]}}"#
    );
    aws.put_role_policy(ROLE, &policy_name, &widened).await;
    let plan = work.plan_text().ok();
    for (attribute, change) in [("batch_size", "3 -> 10"), ("enabled", "false -> true")] {
        let line = plan_line(&plan.stdout, attribute)
            .unwrap_or_else(|| panic!("{attribute}:\n{}", plan.stdout));
        assert!(line.ends_with(change), "{line}");
    }
    assert!(
        plan.stdout.contains("\"sqs:*\""),
        "grant drift shown:\n{}",
        plan.stdout
    );
    work.apply().ok();
    let got = aws.mapping(&uuid).await;
    assert_eq!((got.batch_size(), got.state()), (Some(10), Some("Enabled")));
    assert_grant(
        &aws.role_policy(ROLE, &policy_name).await.expect("grant"),
        &queue,
        None,
    );
    work.assert_no_changes();

    // A grant removed out of band is drift too, and put back.
    aws.delete_role_policy(ROLE, &policy_name).await;
    let plan = work.plan();
    assert_eq!(plan.code, 2, "{}", plan.text());
    assert!(plan.stdout.contains("1 to change"), "{}", plan.stdout);
    work.apply().ok();
    assert!(
        aws.role_policy(ROLE, &policy_name).await.is_some(),
        "put back"
    );
    work.assert_no_changes();
    work.destroy().ok();
    assert!(aws.role_policy_names(ROLE).await.is_empty());
}

/// A mapping deleted out of band is planned anew.
#[tokio::test(flavor = "multi_thread")]
async fn sqs_event_source_disappears() {
    let h = Harness::new();
    let (aws, work) = (&h.aws, &h.work);
    aws.create_function("processor").await;
    let queue = h.moto.create_queue("orders");
    work.write(config("processor", &queue));
    work.apply().ok();
    let state = work.resource(ADDRESS);
    let (first, policy_name) = (text(&state, "uuid"), text(&state, "policy_name"));

    // The mapping goes, its grant stays: the resource stays in state (so the
    // grant is never forgotten) and the mapping is created again in place.
    aws.delete_mapping(&first).await;
    let plan = work.plan();
    assert_eq!(plan.code, 2, "{}", plan.text());
    assert!(
        plan.stdout.contains("0 to add, 1 to change, 0 to destroy"),
        "{}",
        plan.stdout
    );
    work.apply().ok();
    let second = text(&work.resource(ADDRESS), "uuid");
    assert_ne!(second, first);
    let found = aws.mappings(&queue).await;
    assert_eq!(found.len(), 1);
    assert_eq!(found[0].uuid(), Some(second.as_str()));
    work.assert_no_changes();

    // Both gone: nothing is left to manage, the resource leaves the state
    // and is planned anew.
    aws.delete_mapping(&second).await;
    aws.delete_role_policy(ROLE, &policy_name).await;
    let plan = work.plan();
    assert_eq!(plan.code, 2, "{}", plan.text());
    assert!(
        plan.stdout.contains("1 to add, 0 to change, 0 to destroy"),
        "{}",
        plan.stdout
    );
    work.apply().ok();
    assert_eq!(aws.mappings(&queue).await.len(), 1);
    assert!(aws.role_policy(ROLE, &policy_name).await.is_some());
    work.assert_no_changes();
    work.destroy().ok();
    assert!(aws.mappings(&queue).await.is_empty());
    assert!(aws.role_policy_names(ROLE).await.is_empty());
}

/// Import by UUID plans no change, and another spelling writes nothing.
#[tokio::test(flavor = "multi_thread")]
async fn sqs_event_source_import() {
    let h = Harness::with_proxy().await;
    let (aws, proxy, work) = (&h.aws, h.proxy(), &h.work);
    let function_arn = aws.create_function("processor").await;
    let queue = h.moto.create_queue("orders");
    let settings = |config: Block| {
        config
            .expr("batch_size", "20")
            .expr("maximum_batching_window_in_seconds", "1")
            .expr(
                "filter_patterns",
                r#"[jsonencode({ body = { kind = ["order"] } })]"#,
            )
            .str("kms_key_arn", KEY)
    };
    work.write(settings(config("processor", &queue)));
    work.apply().ok();
    let uuid = text(&work.resource(ADDRESS), "uuid");
    work.state_rm(ADDRESS).ok();

    let missing = work.import(ADDRESS, "00000000-0000-0000-0000-000000000000");
    assert_ne!(missing.code, 0);
    assert!(
        missing.text().contains("no event source mapping"),
        "{}",
        missing.text()
    );

    work.import(ADDRESS, &uuid).ok();
    let state = work.resource(ADDRESS);
    assert_eq!(text(&state, "function_name"), "processor");
    assert_eq!(text(&state, "kms_key_arn"), KEY, "found in the grant");
    assert_eq!(text(&state, "role_name"), ROLE);
    work.assert_no_changes();

    // The same function by ARN: shown, never a replacement, and no write.
    work.write(settings(config(&function_arn, &queue)));
    let plan = work.plan();
    assert_eq!(plan.code, 2, "{}", plan.text());
    assert!(
        !plan.stdout.contains("must be replaced")
            && plan.stdout.contains("0 to add, 1 to change, 0 to destroy"),
        "{}",
        plan.stdout
    );
    work.apply().ok();
    assert_eq!(
        proxy.count("lambda", "CreateEventSourceMapping"),
        1,
        "only the first create"
    );
    assert_eq!(proxy.count("lambda", "UpdateEventSourceMapping"), 0);
    assert_eq!(text(&work.resource(ADDRESS), "uuid"), uuid);
    work.assert_no_changes();
    work.destroy().ok();
    assert!(aws.mappings(&queue).await.is_empty());
    assert!(aws.role_policy_names(ROLE).await.is_empty());
}

#[tokio::test(flavor = "multi_thread")]
async fn sqs_event_source_a_mapping_no_state_records_is_refused_with_its_import_id() {
    let h = Harness::new();
    let (aws, work) = (&h.aws, &h.work);
    aws.create_function("processor").await;
    let queue = h.moto.create_queue("orders");
    // A mapping made elsewhere.
    let theirs = aws.create_mapping("processor", &queue).await;
    work.write(config("processor", &queue));
    let run = work.apply();
    assert_eq!(run.code, 1, "{}", run.text());
    let output = words(&run.text());
    assert!(
        output.contains("already exists and no Terraform state records it")
            && output.contains(&format!(
                "terraform import <this resource's address> {theirs}"
            )),
        "{output}"
    );
    assert!(
        aws.role_policy_names(ROLE).await.is_empty(),
        "nothing written"
    );
    assert_eq!(aws.mappings(&queue).await.len(), 1, "theirs untouched");

    // Importing it as the error says converges: the grant is added.
    work.import(ADDRESS, &theirs).ok();
    let plan = work.plan();
    assert_eq!(plan.code, 2, "the grant is missing:\n{}", plan.text());
    work.apply().ok();
    let state = work.resource(ADDRESS);
    assert!(aws
        .role_policy(ROLE, &text(&state, "policy_name"))
        .await
        .is_some());
    work.assert_no_changes();
    work.destroy().ok();
    assert!(aws.mappings(&queue).await.is_empty());
    assert!(aws.role_policy_names(ROLE).await.is_empty());
}

#[tokio::test(flavor = "multi_thread")]
async fn sqs_event_source_lambdas_conflict_is_refused_and_the_grant_rolled_back() {
    let h = Harness::with_proxy().await;
    let (aws, proxy, work) = (&h.aws, h.proxy(), &h.work);
    aws.create_function("processor").await;
    let queue = h.moto.create_queue("orders");
    // Another creator got there between our look and our create.
    proxy.add(
        Rule::new(Fault::Error {
            status: 409,
            code: "ResourceConflictException".into(),
            message: format!(
                "An event source mapping with SQS arn (\" {queue} \") and function (\" processor \") already exists. Please update or delete the existing mapping with UUID 6f2f2d38-1b2c-4f0e-9d6a-0a1b2c3d4e5f"
            ),
        })
        .for_service("lambda")
        .for_operation("CreateEventSourceMapping"),
    );
    work.write(config("processor", &queue));
    let run = work.apply();
    assert_eq!(run.code, 1, "{}", run.text());
    assert!(
        run.text().contains("ResourceConflictException"),
        "{}",
        run.text()
    );
    assert_eq!(
        proxy.count("lambda", "CreateEventSourceMapping"),
        1,
        "never retried"
    );
    assert!(
        aws.role_policy_names(ROLE).await.is_empty(),
        "grant rolled back"
    );
    assert!(aws.mappings(&queue).await.is_empty());
    assert_eq!(
        work.resource(ADDRESS),
        serde_json::Value::Null,
        "nothing recorded"
    );
}

const NOT_PROPAGATED: &str =
    "The provided execution role does not have permissions to call ReceiveMessage on SQS";

fn not_propagated() -> Rule {
    Rule::new(Fault::Error {
        status: 400,
        code: "InvalidParameterValueException".into(),
        message: NOT_PROPAGATED.into(),
    })
    .for_service("lambda")
    .for_operation("CreateEventSourceMapping")
}

#[tokio::test(flavor = "multi_thread")]
async fn sqs_event_source_the_mapping_is_retried_while_iam_propagates_the_grant() {
    let h = Harness::with_proxy().await;
    let (aws, proxy, work) = (&h.aws, h.proxy(), &h.work);
    aws.create_function("processor").await;
    let queue = h.moto.create_queue("orders");
    proxy.add(not_propagated().when(Nth::FirstN(2)));
    work.write(config("processor", &queue));
    work.apply().ok();
    assert_eq!(proxy.count("lambda", "CreateEventSourceMapping"), 3);
    let found = aws.mappings(&queue).await;
    assert_eq!(found.len(), 1);
    assert_eq!(
        found[0].uuid(),
        Some(text(&work.resource(ADDRESS), "uuid").as_str())
    );
    work.assert_no_changes();
    work.destroy().ok();
    assert!(aws.role_policy_names(ROLE).await.is_empty());
}

#[tokio::test(flavor = "multi_thread")]
async fn sqs_event_source_a_grant_that_never_propagates_fails_at_the_timeout_and_leaves_nothing() {
    let h = Harness::with_proxy().await;
    let (aws, proxy, work) = (&h.aws, h.proxy(), &h.work);
    aws.create_function("processor").await;
    let queue = h.moto.create_queue("orders");
    proxy.add(not_propagated());
    work.write(
        config("processor", &queue).block("timeouts", |timeouts| timeouts.str("create", "4s")),
    );
    let started = std::time::Instant::now();
    let run = work.apply();
    assert_eq!(run.code, 1, "{}", run.text());
    let output = words(&run.text());
    assert!(output.contains(NOT_PROPAGATED), "{output}");
    assert!(
        output.contains("role_name"),
        "the hint names what to check:\n{output}"
    );
    assert!(
        proxy.count("lambda", "CreateEventSourceMapping") >= 2,
        "retried"
    );
    assert!(
        started.elapsed() < std::time::Duration::from_secs(60),
        "bounded by the timeout"
    );
    assert!(
        aws.role_policy_names(ROLE).await.is_empty(),
        "grant rolled back"
    );
    assert!(aws.mappings(&queue).await.is_empty());
    assert_eq!(work.resource(ADDRESS), serde_json::Value::Null);
}

#[tokio::test(flavor = "multi_thread")]
async fn sqs_event_source_a_create_whose_answer_was_lost_adopts_its_own_mapping() {
    let h = Harness::with_proxy().await;
    let (aws, proxy, work) = (&h.aws, h.proxy(), &h.work);
    aws.create_function("processor").await;
    let queue = h.moto.create_queue("orders");
    proxy.add(
        Rule::new(Fault::LoseResponse)
            .for_service("lambda")
            .for_operation("CreateEventSourceMapping")
            .when(Nth::Nth(1)),
    );
    work.write(config("processor", &queue));
    work.apply().ok();
    assert_eq!(
        proxy.count("lambda", "CreateEventSourceMapping"),
        1,
        "found, not sent again"
    );
    let found = aws.mappings(&queue).await;
    assert_eq!(found.len(), 1, "exactly one mapping");
    assert_eq!(
        found[0].uuid(),
        Some(text(&work.resource(ADDRESS), "uuid").as_str())
    );
    work.assert_no_changes();
    work.destroy().ok();
    assert!(aws.mappings(&queue).await.is_empty());
}

#[tokio::test(flavor = "multi_thread")]
async fn sqs_event_source_the_grant_follows_the_execution_role() {
    let h = Harness::new();
    let (aws, work) = (&h.aws, &h.work);
    aws.create_function("processor").await;
    let queue = h.moto.create_queue("orders");
    let next = aws
        .create_user_role("processor-next", "unrelated", r#"{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"logs:CreateLogGroup","Resource":"*"}]}"#)
        .await;
    work.write(config("processor", &queue));
    work.apply().ok();
    let policy_name = text(&work.resource(ADDRESS), "policy_name");

    // The function moves to another role: the next plan moves the grant.
    aws.set_function_role("processor", &next).await;
    let plan = work.plan();
    assert_eq!(plan.code, 2, "{}", plan.text());
    work.apply().ok();
    assert_eq!(text(&work.resource(ADDRESS), "role_name"), "processor-next");
    assert!(aws
        .role_policy("processor-next", &policy_name)
        .await
        .is_some());
    assert!(
        aws.role_policy_names(ROLE).await.is_empty(),
        "left the old role"
    );
    work.assert_no_changes();

    // A configured role: the grant moves there, new role first.
    work.write(config("processor", &queue).str("role_name", ROLE));
    work.apply().ok();
    assert_eq!(
        aws.role_policy_names(ROLE).await,
        std::slice::from_ref(&policy_name)
    );
    assert_eq!(aws.role_policy_names("processor-next").await, ["unrelated"]);
    work.assert_no_changes();
    work.destroy().ok();
    assert!(aws.role_policy_names(ROLE).await.is_empty());
    assert_eq!(aws.role_policy_names("processor-next").await, ["unrelated"]);
}

#[tokio::test(flavor = "multi_thread")]
async fn sqs_event_source_bad_inputs_fail_at_plan_without_an_aws_call() {
    let h = Harness::with_proxy().await;
    let (aws, proxy, work) = (&h.aws, h.proxy(), &h.work);
    aws.create_function("processor").await;
    let queue = h.moto.create_queue("orders");
    let body = format!(
        r#"resource "lambdawire_sqs_event_source" "orders" {{
  function_name                      = "processor"
  queue_arn                          = "arn:aws:sqs:*:{ACCOUNT}:orders"
  role_name                          = "not a role"
  batch_size                         = 20
  maximum_concurrency                = 1
  filter_patterns                    = ["{{"]
  kms_key_arn                        = "arn:aws:kms:us-east-1:{ACCOUNT}:alias/orders"
  timeouts {{
    create = "2 minutes"
  }}
}}

resource "lambdawire_sqs_event_source" "fifo" {{
  function_name                      = "processor"
  queue_arn                          = "{queue}.fifo"
  batch_size                         = 11
  maximum_batching_window_in_seconds = 301
}}
"#
    );
    work.write(&body);
    let plan = work.plan();
    assert_eq!(plan.code, 1, "{}", plan.text());
    let output = plan.text();
    for (summary, line) in [
        (
            "invalid queue_arn",
            r#"queue_arn                          = "arn:aws:sqs:*:"#,
        ),
        (
            "invalid role_name",
            r#"role_name                          = "not a role""#,
        ),
        (
            "a batch of more than 10 messages needs a batching window",
            "batch_size",
        ),
        (
            "maximum_concurrency out of range",
            "maximum_concurrency                = 1",
        ),
        ("invalid filter pattern", "filter_patterns"),
        ("invalid kms_key_arn", "alias/orders"),
        ("invalid timeouts.create", r#"create = "2 minutes""#),
        (
            "batch_size too large for a FIFO queue",
            "batch_size                         = 11",
        ),
        ("maximum_batching_window_in_seconds out of range", "= 301"),
    ] {
        assert!(output.contains(summary), "{summary} missing:\n{output}");
        assert!(output.contains(line), "{line} missing:\n{output}");
    }
    let calls: Vec<_> = proxy
        .calls()
        .into_iter()
        .filter(|c| c.service == "lambda" || c.service == "iam")
        .collect();
    assert!(calls.is_empty(), "no AWS call: {calls:?}");

    // A queue of another region is known bad once the provider's region is.
    work.write(config(
        "processor",
        &format!("arn:aws:sqs:eu-west-1:{ACCOUNT}:orders"),
    ));
    let plan = work.plan();
    assert_eq!(plan.code, 1, "{}", plan.text());
    assert!(
        plan.text().contains("queue outside the provider's region"),
        "{}",
        plan.text()
    );
    assert!(aws.mappings(&queue).await.is_empty());
    assert!(aws.role_policy_names(ROLE).await.is_empty());
}

/// Two functions with one execution role, both reading one queue: the grant
/// (named after the queue) serves both mappings, so destroying one keeps it
/// for the other, and destroying the last removes it.
#[tokio::test(flavor = "multi_thread")]
async fn sqs_event_source_a_grant_two_mappings_share_stays_until_the_last_goes() {
    let h = Harness::new();
    let (aws, work) = (&h.aws, &h.work);
    aws.create_function_with_role("processor", ROLE).await;
    aws.create_function_with_role("auditor", ROLE).await;
    let queue = h.moto.create_queue("orders");
    work.write(format!(
        "{}{}",
        config("processor", &queue),
        config("auditor", &queue).label("audit")
    ));
    work.apply().ok();
    assert_eq!(aws.mappings(&queue).await.len(), 2);
    let grant_name = sqs_grant_name(&queue);
    assert_eq!(
        aws.role_policy_names(ROLE).await,
        std::slice::from_ref(&grant_name)
    );

    work.write(config("processor", &queue));
    work.apply().ok();
    let left = aws.mappings(&queue).await;
    assert_eq!(left.len(), 1, "the auditor's mapping is gone");
    assert!(
        left[0]
            .function_arn()
            .unwrap_or_default()
            .ends_with(":processor"),
        "{left:?}"
    );
    let grant = aws
        .role_policy(ROLE, &grant_name)
        .await
        .expect("the processor's mapping still has its grant");
    assert_grant(&grant, &queue, None);
    work.assert_no_changes();

    work.destroy().ok();
    assert!(aws.mappings(&queue).await.is_empty());
    assert!(
        aws.role_policy_names(ROLE).await.is_empty(),
        "the last one took the grant"
    );
}

/// Two functions with one execution role read one queue, with other keys:
/// one grant would overwrite the other (and each apply of either would
/// take the other's key away). Created in one apply, the first to write
/// the grant gets it and the other's create is refused naming its mapping;
/// the grant is untouched. The same key is one grant, shared.
#[tokio::test(flavor = "multi_thread")]
async fn sqs_event_source_a_grant_of_its_name_with_other_content_is_refused() {
    let h = Harness::new();
    let (aws, work) = (&h.aws, &h.work);
    aws.create_function_with_role("processor", ROLE).await;
    aws.create_function_with_role("auditor", ROLE).await;
    let queue = h.moto.create_queue("orders");
    let other_key = format!("arn:aws:kms:us-east-1:{ACCOUNT}:key/other");
    let both = |processor_key: &str, audit_key: &str| {
        format!(
            "{}{}",
            config("processor", &queue).str("kms_key_arn", processor_key),
            config("auditor", &queue)
                .label("audit")
                .str("kms_key_arn", audit_key)
        )
    };
    work.write(both(KEY, &other_key));
    let run = work.apply();
    assert_eq!(run.code, 1, "{}", run.text());
    let (kept, key) = match work.resource(ADDRESS) {
        serde_json::Value::Null => ("lambdawire_sqs_event_source.audit", other_key.as_str()),
        _ => (ADDRESS, KEY),
    };
    let state = work.resource(kept);
    let (uuid, policy_name) = (text(&state, "uuid"), text(&state, "policy_name"));
    let output = words(&run.text());
    assert!(
        output.contains(&format!("Inline policy {policy_name} of IAM Role ({ROLE})"))
            && output.contains("already exists and no Terraform state records it")
            && output.contains(&format!(
                "terraform import <this resource's address> {uuid}"
            )),
        "{output}"
    );
    let found = aws.mappings(&queue).await;
    assert_eq!(found.len(), 1, "one mapping: {found:?}");
    assert_eq!(found[0].uuid(), Some(uuid.as_str()));
    let granted = aws.role_policy(ROLE, &policy_name).await.expect("grant");
    assert_grant(&granted, &queue, Some(key));
    assert_eq!(
        aws.role_policy_names(ROLE).await,
        std::slice::from_ref(&policy_name)
    );

    // The refused one takes the key of the one that got the grant.
    work.write(both(key, key));
    work.apply().ok();
    assert_eq!(aws.mappings(&queue).await.len(), 2);
    assert_eq!(
        aws.role_policy_names(ROLE).await,
        std::slice::from_ref(&policy_name),
        "one grant, shared"
    );
    assert_grant(
        &aws.role_policy(ROLE, &policy_name).await.expect("grant"),
        &queue,
        Some(key),
    );
    work.assert_no_changes();
    work.destroy().ok();
    assert!(aws.mappings(&queue).await.is_empty());
    assert!(aws.role_policy_names(ROLE).await.is_empty());
}

/// A policy of the grant's name that no mapping relies on (written by hand,
/// or left by an interrupted apply with other settings) is not overwritten:
/// the error says how to remove it.
#[tokio::test(flavor = "multi_thread")]
async fn sqs_event_source_a_hand_written_policy_of_its_name_is_never_overwritten() {
    let h = Harness::new();
    let (aws, work) = (&h.aws, &h.work);
    aws.create_function("processor").await;
    let queue = h.moto.create_queue("orders");
    let block = config("processor", &queue);
    work.write(&block);
    let plan = work.plan_text().ok();
    let planned = plan_line(&plan.stdout, "policy_name").expect("policy_name planned");
    let policy_name = planned
        .split('"')
        .nth(1)
        .unwrap_or_else(|| panic!("{planned}"))
        .to_string();
    let theirs = format!(
        r#"{{"Version":"2012-10-17","Statement":[{{"Effect":"Allow","Action":"sqs:SendMessage","Resource":"{queue}"}}]}}"#
    );
    aws.put_role_policy(ROLE, &policy_name, &theirs).await;

    let run = work.apply();
    assert_eq!(run.code, 1, "{}", run.text());
    let output = words(&run.text());
    assert!(
        output.contains(
            "already exists and no mapping from the queue through this role relies on it"
        ) && output.contains(&format!(
            "aws iam delete-role-policy --role-name {ROLE} --policy-name {policy_name}"
        )),
        "{output}"
    );
    let kept = aws.role_policy(ROLE, &policy_name).await.expect("kept");
    assert_eq!(json(&kept), json(&theirs), "not overwritten");
    assert!(aws.mappings(&queue).await.is_empty());
    assert_eq!(work.resource(ADDRESS), serde_json::Value::Null);
}

/// Same-named queues of two regions, read by functions of one execution
/// role (roles are global): each mapping has its own grant, on its own
/// queue, and destroying one leaves the other's.
#[tokio::test(flavor = "multi_thread")]
async fn sqs_event_source_same_named_queues_of_two_regions_never_share_a_grant() {
    const EU: &str = "eu-west-1";
    let h = Harness::new();
    let (aws, work) = (&h.aws, &h.work);
    let eu = Aws::at_region(&h.moto.url(), EU);
    aws.create_function_with_role("processor", ROLE).await;
    eu.create_function_with_role("processor", ROLE).await;
    let us_queue = h.moto.create_queue("orders");
    let eu_queue = h.moto.create_queue_in("orders", EU);
    let eu_provider = work.provider(Some("eu"), EU);
    let both = format!(
        "{eu_provider}{}{}",
        config("processor", &us_queue),
        config("processor", &eu_queue)
            .label("eu")
            .expr("provider", "lambdawire.eu")
    );
    work.write(&both);
    work.apply().ok();
    let (us_grant, eu_grant) = (sqs_grant_name(&us_queue), sqs_grant_name(&eu_queue));
    assert_ne!(us_grant, eu_grant);
    let mut names = aws.role_policy_names(ROLE).await;
    names.sort();
    let mut expected = vec![us_grant.clone(), eu_grant.clone()];
    expected.sort();
    assert_eq!(names, expected, "one grant per queue");
    for (grant, queue) in [(&us_grant, &us_queue), (&eu_grant, &eu_queue)] {
        let policy = aws.role_policy(ROLE, grant).await.expect("grant");
        assert_grant(&policy, queue, None);
    }
    assert_eq!(aws.mappings(&us_queue).await.len(), 1);
    assert_eq!(eu.mappings(&eu_queue).await.len(), 1);
    assert_eq!(
        text(
            &work.resource("lambdawire_sqs_event_source.eu"),
            "policy_name"
        ),
        eu_grant
    );
    work.assert_no_changes();

    // The region's mapping goes; the other region's keeps its grant.
    work.write(format!("{eu_provider}{}", config("processor", &us_queue)));
    work.apply().ok();
    assert!(eu.mappings(&eu_queue).await.is_empty());
    assert_eq!(
        aws.role_policy_names(ROLE).await,
        std::slice::from_ref(&us_grant)
    );
    assert_grant(
        &aws.role_policy(ROLE, &us_grant).await.expect("kept"),
        &us_queue,
        None,
    );
    work.assert_no_changes();
    work.destroy().ok();
    assert!(aws.mappings(&us_queue).await.is_empty());
    assert!(aws.role_policy_names(ROLE).await.is_empty());
}

/// The grant as releases before the digest wrote it: no `kms:ViaService`.
fn version_0_grant(queue: &str, key: Option<&str>) -> String {
    let decrypt = key.map_or(String::new(), |key| {
        format!(r#",{{"Sid":"DecryptQueueMessages","Effect":"Allow","Action":"kms:Decrypt","Resource":"{key}"}}"#)
    });
    format!(
        r#"{{"Version":"2012-10-17","Statement":[{{"Sid":"ConsumeSqsQueue","Effect":"Allow","Action":["sqs:ReceiveMessage","sqs:DeleteMessage","sqs:GetQueueAttributes"],"Resource":"{queue}"}}{decrypt}]}}"#
    )
}

/// Take every inline policy off the role, whatever this build named them.
async fn clear_role_policies(aws: &Aws) {
    for name in aws.role_policy_names(ROLE).await {
        aws.delete_role_policy(ROLE, &name).await;
    }
}

/// The name releases before the digest gave the grant of a queue `orders`.
const VERSION_0_NAME: &str = "lambdawire-sqs-orders";

/// Make the state of `lambdawire_sqs_event_source.<label>` look as a
/// release before the digest wrote it: schema version 0, naming the grant
/// `policy_name` with `policy_json`.
fn rewrite_as_version_0(work: &Workdir, label: &str, policy_name: &str, policy_json: &str) {
    let path = work.path().join("terraform.tfstate");
    let mut state = json(&std::fs::read_to_string(&path).expect("state file"));
    let instance = state["resources"]
        .as_array_mut()
        .and_then(|all| {
            all.iter_mut()
                .find(|r| r["type"] == "lambdawire_sqs_event_source" && r["name"] == label)
        })
        .map(|r| &mut r["instances"][0])
        .expect("the mapping in state");
    instance["schema_version"] = serde_json::json!(0);
    instance["attributes"]["policy_name"] = serde_json::json!(policy_name);
    instance["attributes"]["policy_json"] = serde_json::json!(policy_json);
    std::fs::write(&path, serde_json::to_string_pretty(&state).expect("JSON"))
        .expect("write state");
}

/// A mapping made before the digest: its state (schema version 0) and its
/// role name the grant `lambdawire-sqs-<queue name>`. The plan shows the
/// rename, and the `kms:ViaService` condition, as an update in place; the
/// apply writes the new name before it removes the old one, so the role is
/// never without the grant, and the mapping is the same one.
#[tokio::test(flavor = "multi_thread")]
async fn sqs_event_source_version_0_state_is_renamed_in_place_new_grant_first() {
    let h = Harness::with_proxy().await;
    let (aws, proxy, work) = (&h.aws, h.proxy(), &h.work);
    aws.create_function("processor").await;
    let queue = h.moto.create_queue("orders");
    work.write(config("processor", &queue).str("kms_key_arn", KEY));
    work.apply().ok();
    let uuid = text(&work.resource(ADDRESS), "uuid");
    let (old_name, new_name) = (VERSION_0_NAME, sqs_grant_name(&queue));
    let old_grant = version_0_grant(&queue, Some(KEY));
    clear_role_policies(aws).await;
    aws.put_role_policy(ROLE, old_name, &old_grant).await;
    rewrite_as_version_0(work, "orders", old_name, &old_grant);

    let plan = work.plan_text().ok();
    assert!(
        plan.stdout.contains("0 to add, 1 to change, 0 to destroy"),
        "an update in place:\n{}",
        plan.stdout
    );
    let line = plan_line(&plan.stdout, "policy_name").expect("policy_name changes");
    assert!(
        line.contains(&format!("\"{old_name}\" -> \"{new_name}\"")),
        "{line}"
    );
    assert!(
        plan.stdout.contains("kms:ViaService"),
        "the condition shown:\n{}",
        plan.stdout
    );

    let before = proxy.calls().len();
    work.apply().ok();
    let writes: Vec<String> = proxy.calls()[before..]
        .iter()
        .filter(|c| c.service == "iam" && c.operation.ends_with("RolePolicy"))
        .filter(|c| c.operation != "GetRolePolicy")
        .map(|c| c.operation.clone())
        .collect();
    assert_eq!(
        writes,
        ["PutRolePolicy", "DeleteRolePolicy"],
        "the new name first, then the old one goes"
    );
    assert_eq!(
        aws.role_policy_names(ROLE).await,
        std::slice::from_ref(&new_name)
    );
    assert_grant(
        &aws.role_policy(ROLE, &new_name).await.expect("renamed"),
        &queue,
        Some(KEY),
    );
    let state = work.resource(ADDRESS);
    assert_eq!(text(&state, "uuid"), uuid, "the same mapping");
    assert_eq!(text(&state, "policy_name"), new_name);
    assert_eq!(aws.mapping(&uuid).await.state(), Some("Enabled"));
    let file =
        json(&std::fs::read_to_string(work.path().join("terraform.tfstate")).expect("state"));
    assert_eq!(
        file["resources"][0]["instances"][0]["schema_version"], 1,
        "{file}"
    );
    work.assert_no_changes();

    work.destroy().ok();
    assert!(aws.mappings(&queue).await.is_empty());
    assert!(aws.role_policy_names(ROLE).await.is_empty());
}

/// Before the digest, same-named queues of two regions read through one
/// role shared one policy, holding whichever queue was written last. The
/// rename of the other region's mapping leaves that policy to the mapping
/// whose queue it grants; that mapping's own rename then removes it.
#[tokio::test(flavor = "multi_thread")]
async fn sqs_event_source_a_version_0_grant_of_another_regions_queue_stays_for_its_rename() {
    const EU: &str = "eu-west-1";
    let h = Harness::new();
    let (aws, work) = (&h.aws, &h.work);
    let eu = Aws::at_region(&h.moto.url(), EU);
    aws.create_function_with_role("processor", ROLE).await;
    eu.create_function_with_role("processor", ROLE).await;
    let us_queue = h.moto.create_queue("orders");
    let eu_queue = h.moto.create_queue_in("orders", EU);
    work.write(format!(
        "{}{}{}",
        work.provider(Some("eu"), EU),
        config("processor", &us_queue),
        config("processor", &eu_queue)
            .label("eu")
            .expr("provider", "lambdawire.eu")
    ));
    // One at a time: a release before the digest could not create both at
    // once (each read back the other's queue).
    work.apply_args(&["-parallelism=1"]).ok();
    let (us_grant, eu_grant) = (sqs_grant_name(&us_queue), sqs_grant_name(&eu_queue));
    // What a release before the digest left: one policy, the EU queue's
    // (written last), which both states name.
    let shared = version_0_grant(&eu_queue, None);
    clear_role_policies(aws).await;
    aws.put_role_policy(ROLE, VERSION_0_NAME, &shared).await;
    rewrite_as_version_0(
        work,
        "orders",
        VERSION_0_NAME,
        &version_0_grant(&us_queue, None),
    );
    rewrite_as_version_0(work, "eu", VERSION_0_NAME, &shared);

    work.apply_args(&["-target=lambdawire_sqs_event_source.orders"])
        .ok();
    let mut names = aws.role_policy_names(ROLE).await;
    names.sort();
    let mut expected = vec![us_grant.clone(), VERSION_0_NAME.to_string()];
    expected.sort();
    assert_eq!(names, expected, "the EU queue's grant stays");
    assert_eq!(
        json(&aws.role_policy(ROLE, VERSION_0_NAME).await.expect("kept")),
        json(&shared)
    );
    assert_grant(
        &aws.role_policy(ROLE, &us_grant).await.expect("renamed"),
        &us_queue,
        None,
    );

    work.apply().ok();
    let mut names = aws.role_policy_names(ROLE).await;
    names.sort();
    let mut expected = vec![us_grant.clone(), eu_grant.clone()];
    expected.sort();
    assert_eq!(
        names, expected,
        "each queue its own grant, the old one gone"
    );
    assert_grant(
        &aws.role_policy(ROLE, &eu_grant).await.expect("renamed"),
        &eu_queue,
        None,
    );
    assert_eq!(eu.mappings(&eu_queue).await.len(), 1);
    assert_eq!(aws.mappings(&us_queue).await.len(), 1);
    work.assert_no_changes();
    work.destroy().ok();
    assert!(aws.role_policy_names(ROLE).await.is_empty());
}
