//! `lambdawire_s3_trigger` through real terraform and the embedded AWS,
//! checked on the AWS side with the SDK: the entry in the bucket's
//! notification configuration, the grant in the function's policy, and
//! every other entry of the bucket left exactly as it was.
//!
//! The embedded AWS refuses a Lambda destination whose policy does not let
//! S3 invoke it for the bucket, as S3 does (bare moto 5.2 stores it;
//! EMBEDDED-AWS.md), so the grant-first order is really tested.

use crate::support::fault_proxy::{Fault, Nth, Rule};
use crate::support::hcl::{self, list, Block};
use crate::support::s3::{filter_rule, BucketNotifications};
use crate::support::{denied, json, plan_line, words, Aws, Harness, Workdir, ACCOUNT};

const ADDRESS: &str = "lambdawire_s3_trigger.uploads";
const FUNCTION_ARN: &str = "arn:aws:lambda:us-east-1:123456789012:function:processor";

fn config(bucket: &str) -> Block {
    hcl::s3_trigger("uploads", bucket, "processor")
}

fn text(state: &serde_json::Value, attribute: &str) -> String {
    state[attribute]
        .as_str()
        .unwrap_or_else(|| panic!("{attribute} in {state}"))
        .to_string()
}

/// A function `processor` and a bucket holding a queue entry, a topic
/// entry and EventBridge delivery another tool wrote: what it holds before
/// lambdawire comes.
async fn world(h: &Harness, bucket: &str) -> BucketNotifications {
    h.aws.create_function("processor").await;
    h.aws.create_bucket(bucket).await;
    let queue = h.moto.create_queue("bucket-events");
    h.aws.put_other_entries(bucket, &queue).await
}

/// Every entry that is not lambdawire's is exactly as before.
async fn assert_others_kept(aws: &Aws, bucket: &str, before: &BucketNotifications) {
    let now = aws.notifications(bucket).await;
    assert_eq!(
        now.queues, before.queues,
        "the queue entry is kept as it was"
    );
    assert_eq!(
        now.topics, before.topics,
        "the topic entry is kept as it was"
    );
    assert!(
        now.event_bridge.is_some(),
        "EventBridge delivery is kept on"
    );
}

/// The grant lets S3 invoke for exactly this bucket and its owner.
fn assert_grant(stored: &serde_json::Value, bucket: &str) {
    assert_eq!(
        stored["Principal"]["Service"], "s3.amazonaws.com",
        "{stored}"
    );
    assert_eq!(stored["Action"], "lambda:InvokeFunction", "{stored}");
    assert_eq!(
        stored["Condition"]["ArnLike"]["AWS:SourceArn"],
        format!("arn:aws:s3:::{bucket}"),
        "{stored}"
    );
    assert_eq!(
        stored["Condition"]["StringEquals"]["AWS:SourceAccount"], ACCOUNT,
        "{stored}"
    );
}

/// Create with the other entries kept, read back both halves, destroy
/// both and keep the others byte for byte.
#[tokio::test(flavor = "multi_thread")]
async fn s3_trigger_basic() {
    let h = Harness::new();
    let (aws, work) = (&h.aws, &h.work);
    let before = world(&h, "uploads").await;
    work.write(config("uploads"));

    // The plan shows the entry id, the statement id and the statement.
    let plan = work.plan_text().ok();
    let id_line = plan_line(&plan.stdout, "id").expect("id planned");
    assert!(id_line.contains("\"lw-"), "{id_line}");
    let sid_line = plan_line(&plan.stdout, "statement_id").expect("statement_id planned");
    assert!(sid_line.contains("\"lw-s3-"), "{sid_line}");
    assert!(
        plan.stdout.contains("s3.amazonaws.com") && plan.stdout.contains("arn:aws:s3:::uploads"),
        "statement_json planned:\n{}",
        plan.stdout
    );

    work.apply().ok();
    let state = work.resource(ADDRESS);
    let (id, sid) = (text(&state, "id"), text(&state, "statement_id"));
    assert!(
        id_line.contains(&id) && sid_line.contains(&sid),
        "planned = applied"
    );
    let now = aws.notifications("uploads").await;
    let entry = now.function(&id).expect("the entry");
    assert_eq!(entry.lambda_function_arn(), FUNCTION_ARN);
    assert_eq!(
        entry
            .events()
            .iter()
            .map(|e| e.as_str())
            .collect::<Vec<_>>(),
        ["s3:ObjectCreated:*"]
    );
    assert_eq!(now.functions.len(), 1);
    assert_others_kept(aws, "uploads", &before).await;
    let stored = aws.statement("processor", &sid).await.expect("the grant");
    assert_grant(&stored, "uploads");
    assert_eq!(json(&text(&state, "statement_json")), stored);
    assert_eq!(text(&state, "function_arn"), FUNCTION_ARN);
    assert_eq!(text(&state, "bucket_owner"), ACCOUNT);
    work.assert_no_changes();

    work.destroy().ok();
    assert!(
        aws.notifications("uploads").await.functions.is_empty(),
        "entry removed"
    );
    assert!(
        aws.statement("processor", &sid).await.is_none(),
        "grant removed"
    );
    assert_others_kept(aws, "uploads", &before).await;
}

/// Events and filters change in place: the entry is rewritten, the grant
/// and the other entries stay.
#[tokio::test(flavor = "multi_thread")]
async fn s3_trigger_update() {
    let h = Harness::new();
    let (aws, work) = (&h.aws, &h.work);
    let before = world(&h, "uploads").await;
    work.write(config("uploads"));
    work.apply().ok();
    let state = work.resource(ADDRESS);
    let (id, sid) = (text(&state, "id"), text(&state, "statement_id"));

    work.write(
        config("uploads")
            .expr(
                "events",
                &list(&["s3:ObjectCreated:Put", "s3:ObjectRemoved:Delete"]),
            )
            .str("filter_prefix", "images/")
            .str("filter_suffix", ".jpg"),
    );
    let plan = work.plan();
    assert_eq!(plan.code, 2, "{}", plan.text());
    assert!(
        plan.stdout.contains("0 to add, 1 to change, 0 to destroy"),
        "updates in place:\n{}",
        plan.stdout
    );
    work.apply().ok();
    let state = work.resource(ADDRESS);
    assert_eq!(
        (text(&state, "id"), text(&state, "statement_id")),
        (id.clone(), sid.clone())
    );
    let now = aws.notifications("uploads").await;
    let entry = now.function(&id).expect("the entry");
    let mut events: Vec<&str> = entry.events().iter().map(|e| e.as_str()).collect();
    events.sort_unstable();
    assert_eq!(events, ["s3:ObjectCreated:Put", "s3:ObjectRemoved:Delete"]);
    assert_eq!(
        filter_rule(entry.filter(), "prefix").as_deref(),
        Some("images/")
    );
    assert_eq!(
        filter_rule(entry.filter(), "suffix").as_deref(),
        Some(".jpg")
    );
    assert_others_kept(aws, "uploads", &before).await;
    assert!(
        aws.statement("processor", &sid).await.is_some(),
        "grant kept"
    );
    work.assert_no_changes();

    // Back to no filter.
    work.write(config("uploads"));
    work.apply().ok();
    let now = aws.notifications("uploads").await;
    assert_eq!(now.function(&id).expect("the entry").filter(), None);
    assert_others_kept(aws, "uploads", &before).await;
    work.assert_no_changes();
    work.destroy().ok();
    assert_others_kept(aws, "uploads", &before).await;
}

/// The entry removed, the entry changed, then the grant removed out of
/// band: each shows in the next plan and the apply writes it again.
#[tokio::test(flavor = "multi_thread")]
async fn s3_trigger_disappears() {
    let h = Harness::new();
    let (aws, work) = (&h.aws, &h.work);
    let before = world(&h, "uploads").await;
    work.write(config("uploads"));
    work.apply().ok();
    let state = work.resource(ADDRESS);
    let (id, sid) = (text(&state, "id"), text(&state, "statement_id"));

    aws.remove_function_entry("uploads", &id).await;
    let plan = work.plan();
    assert_eq!(plan.code, 2, "the missing entry shows:\n{}", plan.text());
    work.apply().ok();
    assert!(
        aws.notifications("uploads").await.function(&id).is_some(),
        "written again"
    );
    work.assert_no_changes();

    aws.change_function_entry_events("uploads", &id, &["s3:ObjectRestore:Completed"])
        .await;
    let plan = work.plan();
    assert_eq!(plan.code, 2, "the changed entry shows:\n{}", plan.text());
    assert!(
        plan.stdout.contains("s3:ObjectRestore:Completed"),
        "{}",
        plan.stdout
    );
    work.apply().ok();
    let now = aws.notifications("uploads").await;
    let events: Vec<&str> = now
        .function(&id)
        .expect("entry")
        .events()
        .iter()
        .map(|e| e.as_str())
        .collect();
    assert_eq!(events, ["s3:ObjectCreated:*"], "written back");
    work.assert_no_changes();

    aws.remove_permission("processor", &sid).await;
    let plan = work.plan();
    assert_eq!(plan.code, 2, "the missing grant shows:\n{}", plan.text());
    work.apply().ok();
    assert!(
        aws.statement("processor", &sid).await.is_some(),
        "granted again"
    );
    assert_others_kept(aws, "uploads", &before).await;
    work.assert_no_changes();

    // Both gone: planned anew.
    aws.remove_function_entry("uploads", &id).await;
    aws.remove_permission("processor", &sid).await;
    let plan = work.plan();
    assert_eq!(plan.code, 2, "{}", plan.text());
    assert!(plan.stdout.contains("1 to add"), "{}", plan.stdout);
    work.apply().ok();
    work.assert_no_changes();
    work.destroy().ok();
    assert!(aws.statement("processor", &sid).await.is_none());
}

/// Another bucket, or another function, replaces the trigger: the old
/// entry and grant go, the new ones come.
#[tokio::test(flavor = "multi_thread")]
async fn s3_trigger_replace() {
    let h = Harness::new();
    let (aws, work) = (&h.aws, &h.work);
    let before = world(&h, "uploads").await;
    aws.create_bucket("archive").await;
    aws.create_function("other").await;
    work.write(config("uploads"));
    work.apply().ok();
    let old_sid = text(&work.resource(ADDRESS), "statement_id");

    work.write(config("archive"));
    let plan = work.plan();
    assert!(
        plan.stdout.contains("1 to add, 0 to change, 1 to destroy"),
        "{}",
        plan.text()
    );
    work.apply().ok();
    assert!(aws.notifications("uploads").await.functions.is_empty());
    assert_others_kept(aws, "uploads", &before).await;
    let state = work.resource(ADDRESS);
    let id = text(&state, "id");
    assert!(aws.notifications("archive").await.function(&id).is_some());
    assert!(
        aws.statement("processor", &old_sid).await.is_none(),
        "old grant removed"
    );
    assert_grant(
        &aws.statement("processor", &text(&state, "statement_id"))
            .await
            .expect("grant"),
        "archive",
    );
    work.assert_no_changes();

    // Another function, same events: the new entry does not count as
    // overlapping the one it replaces.
    work.write(hcl::s3_trigger("uploads", "archive", "other"));
    let plan = work.plan();
    assert!(
        plan.stdout.contains("1 to add, 0 to change, 1 to destroy"),
        "{}",
        plan.text()
    );
    work.apply().ok();
    let now = aws.notifications("archive").await;
    assert_eq!(now.functions.len(), 1, "{now:?}");
    assert!(now.functions[0]
        .lambda_function_arn()
        .ends_with(":function:other"));
    assert!(aws.statements("processor", None).await.is_empty());
    work.assert_no_changes();
    work.destroy().ok();
    assert!(aws.statements("other", None).await.is_empty());
}

/// Import by `bucket/id`, then no change.
#[tokio::test(flavor = "multi_thread")]
async fn s3_trigger_import() {
    let h = Harness::new();
    let (aws, work) = (&h.aws, &h.work);
    let before = world(&h, "uploads").await;
    let configured = config("uploads").str("filter_suffix", ".csv");
    work.write(&configured);
    work.apply().ok();
    let id = text(&work.resource(ADDRESS), "id");
    work.state_rm(ADDRESS).ok();

    let bad = work.import(ADDRESS, "uploads");
    assert_ne!(bad.code, 0);
    assert!(
        words(&bad.text()).contains("<bucket>/<notification entry id>"),
        "{}",
        bad.text()
    );
    work.import(ADDRESS, &format!("uploads/{id}")).ok();
    let state = work.resource(ADDRESS);
    assert_eq!(text(&state, "function_name"), "processor");
    assert_eq!(text(&state, "filter_suffix"), ".csv");
    work.assert_no_changes();

    work.destroy().ok();
    assert!(aws.notifications("uploads").await.functions.is_empty());
    assert_others_kept(aws, "uploads", &before).await;
}

/// Two triggers of one bucket applied in parallel both land, and do not
/// count as overlapping each other when their filters keep them apart.
#[tokio::test(flavor = "multi_thread")]
async fn s3_trigger_parallel_triggers_of_one_bucket() {
    let h = Harness::new();
    let (aws, work) = (&h.aws, &h.work);
    let before = world(&h, "uploads").await;
    let triggers: Vec<Block> = ["jpg", "png", "gif", "csv"]
        .iter()
        .map(|kind| {
            hcl::s3_trigger(kind, "uploads", "processor").str("filter_suffix", &format!(".{kind}"))
        })
        .collect();
    work.write(triggers.iter().map(Block::render).collect::<String>());
    work.apply_args(&["-parallelism=10"]).ok();
    let now = aws.notifications("uploads").await;
    assert_eq!(now.functions.len(), 4, "every entry landed: {now:?}");
    assert_others_kept(aws, "uploads", &before).await;
    assert_eq!(
        aws.statements("processor", None).await.len(),
        4,
        "one grant each"
    );
    work.assert_no_changes();
    work.destroy_args(&["-parallelism=10"]).ok();
    assert!(aws.notifications("uploads").await.functions.is_empty());
    assert!(aws.statements("processor", None).await.is_empty());
    assert_others_kept(aws, "uploads", &before).await;
}

/// An entry that overlaps another of the bucket is refused at plan,
/// naming the other entry, and so is an id another entry holds and a
/// bucket that does not exist; nothing is written.
#[tokio::test(flavor = "multi_thread")]
async fn s3_trigger_refused_at_plan() {
    let h = Harness::with_proxy().await;
    let (aws, work) = (&h.aws, &h.work);
    let before = world(&h, "uploads").await;
    let cases = [
        (
            config("uploads").expr("events", &list(&["s3:ObjectRemoved:Delete"])),
            "the events overlap notification entry queue of uploads",
        ),
        (
            config("uploads").str("id", "topic"),
            "import it with the id uploads/topic",
        ),
        (config("missing"), "S3 has no bucket missing"),
    ];
    for (configuration, expected) in cases {
        work.write(&configuration);
        let plan = work.plan();
        assert_eq!(plan.code, 1, "{}", plan.text());
        assert!(
            words(&plan.text()).contains(expected),
            "{expected}:\n{}",
            plan.text()
        );
    }
    let mutating: Vec<_> = h
        .proxy()
        .calls()
        .into_iter()
        .filter(|c| {
            !["Get", "List", "Head"]
                .iter()
                .any(|r| c.operation.starts_with(r))
        })
        .collect();
    assert!(mutating.is_empty(), "mutating AWS calls: {mutating:?}");

    // Two new triggers of the bucket that overlap each other: neither is in
    // AWS yet, and one of them is refused, naming the other.
    let both = [
        hcl::s3_trigger("first", "uploads", "processor").str("id", "first"),
        hcl::s3_trigger("second", "uploads", "processor").str("id", "second"),
    ];
    work.write(both.iter().map(Block::render).collect::<String>());
    let plan = work.plan();
    assert_eq!(plan.code, 1, "{}", plan.text());
    let said = words(&plan.text());
    assert!(
        said.contains("the events overlap notification entry first of uploads")
            || said.contains("the events overlap notification entry second of uploads"),
        "{said}"
    );
    assert_eq!(
        said.matches("the events overlap").count(),
        1,
        "one of the two: {said}"
    );

    // Apart from the queue's removals under logs/: accepted.
    work.write(
        config("uploads")
            .expr("events", &list(&["s3:ObjectRemoved:Delete"]))
            .str("filter_prefix", "images/"),
    );
    work.apply().ok();
    work.assert_no_changes();
    work.destroy().ok();
    assert_others_kept(aws, "uploads", &before).await;
}

/// The grant comes first: with AddPermission refused, the bucket's
/// configuration is never written.
#[tokio::test(flavor = "multi_thread")]
async fn s3_trigger_grant_before_entry() {
    let h = Harness::with_proxy().await;
    let (aws, work) = (&h.aws, &h.work);
    let before = world(&h, "uploads").await;
    h.proxy()
        .add(Rule::new(denied("lambda")).for_operation("AddPermission"));
    work.write(config("uploads"));
    let run = work.apply();
    assert_ne!(run.code, 0);
    assert!(
        words(&run.text()).contains("AddPermission: AccessDeniedException"),
        "{}",
        run.text()
    );
    assert_eq!(
        h.proxy().count("s3", "PutBucketNotificationConfiguration"),
        0
    );
    assert_others_kept(aws, "uploads", &before).await;

    // The first write's answer is lost after S3 applied it: the read
    // after it settles the write, and the entry lands once.
    h.proxy().clear();
    h.proxy().add(
        Rule::new(Fault::LoseResponse)
            .for_service("s3")
            .for_operation("PutBucketNotificationConfiguration")
            .when(Nth::Nth(1)),
    );
    work.apply().ok();
    h.proxy().clear();
    assert_eq!(aws.notifications("uploads").await.functions.len(), 1);
    assert_others_kept(aws, "uploads", &before).await;
    work.assert_no_changes();
    work.destroy().ok();
    assert!(aws.statements("processor", None).await.is_empty());
}

/// Write `id` as the trigger `label`'s entry id in the state file, as a
/// hand edit would.
fn edit_entry_id(work: &Workdir, label: &str, id: &str) {
    let path = work.path().join("terraform.tfstate");
    let mut state = json(&std::fs::read_to_string(&path).expect("state file"));
    let resources = state["resources"].as_array_mut().expect("resources");
    let trigger = resources
        .iter_mut()
        .find(|r| r["type"] == "lambdawire_s3_trigger" && r["name"] == label)
        .expect("the trigger in state");
    trigger["instances"][0]["attributes"]["id"] = serde_json::json!(id);
    state["serial"] = serde_json::json!(state["serial"].as_i64().unwrap_or(0) + 1);
    std::fs::write(&path, serde_json::to_string_pretty(&state).expect("JSON"))
        .expect("write state");
}

/// A state whose `id` was edited to name another function's entry, or the
/// queue entry: its destroy removes neither, and warns that the entry was
/// released, not deleted.
#[tokio::test(flavor = "multi_thread")]
async fn s3_trigger_an_edited_id_never_deletes_a_foreign_entry() {
    let h = Harness::new();
    let (aws, work) = (&h.aws, &h.work);
    let before = world(&h, "uploads").await;
    aws.create_function("other").await;
    let theirs = hcl::s3_trigger("theirs", "uploads", "other")
        .expr("events", &list(&["s3:ObjectRestore:Completed"]));
    work.write(format!("{}{}", config("uploads").render(), theirs.render()));
    work.apply().ok();
    let their_id = text(&work.resource("lambdawire_s3_trigger.theirs"), "id");
    let their_entry = aws
        .notifications("uploads")
        .await
        .function(&their_id)
        .cloned()
        .expect("their entry");
    let our_id = text(&work.resource(ADDRESS), "id");

    edit_entry_id(work, "uploads", &their_id);
    let destroyed = work.destroy_args(&["-target", ADDRESS]);
    assert_eq!(destroyed.code, 0, "{}", destroyed.text());
    assert!(
        destroyed.text().contains("released, not deleted") && destroyed.text().contains(&their_id),
        "{}",
        destroyed.text()
    );
    let now = aws.notifications("uploads").await;
    assert_eq!(
        now.function(&their_id),
        Some(&their_entry),
        "their entry kept"
    );
    assert_others_kept(aws, "uploads", &before).await;

    // The queue entry's id: no Lambda entry of that id, nothing removed.
    // (Our own entry, which the edited state no longer named, goes first.)
    aws.remove_function_entry("uploads", &our_id).await;
    work.apply().ok();
    edit_entry_id(work, "uploads", "queue");
    let destroyed = work.destroy_args(&["-target", ADDRESS]);
    assert_eq!(destroyed.code, 0, "{}", destroyed.text());
    assert_eq!(
        aws.notifications("uploads").await.function(&their_id),
        Some(&their_entry),
        "their entry kept"
    );
    assert_others_kept(aws, "uploads", &before).await;
}

/// The grant replaced out of band by one without `AWS:SourceAccount`
/// (any account's bucket of that name could invoke): the plan shows the
/// statement, and the apply swaps the right one back.
#[tokio::test(flavor = "multi_thread")]
async fn s3_trigger_a_drifted_grant_is_planned_back() {
    let h = Harness::new();
    let (aws, work) = (&h.aws, &h.work);
    world(&h, "uploads").await;
    work.write(config("uploads"));
    work.apply().ok();
    let sid = text(&work.resource(ADDRESS), "statement_id");

    aws.remove_permission("processor", &sid).await;
    aws.add_permission(
        "processor",
        None,
        &sid,
        "s3.amazonaws.com",
        Some("arn:aws:s3:::uploads"),
    )
    .await;
    let drifted = aws.statement("processor", &sid).await.expect("drifted");
    assert!(drifted["Condition"]["StringEquals"].is_null(), "{drifted}");

    let plan = work.plan();
    assert_eq!(plan.code, 2, "the drifted grant shows:\n{}", plan.text());
    assert!(plan.stdout.contains("statement_json"), "{}", plan.stdout);
    work.apply().ok();
    let stored = aws.statement("processor", &sid).await.expect("the grant");
    assert_grant(&stored, "uploads");
    assert_eq!(aws.statement_count("processor").await, 1, "no twin left");
    work.assert_no_changes();
}

/// Another writer's entry names a destination S3 cannot validate (its
/// grant is gone): removing our entry, which adds nothing to validate, is
/// not blocked by it, and it is kept.
#[tokio::test(flavor = "multi_thread")]
async fn s3_trigger_destroy_is_not_blocked_by_a_foreign_broken_destination() {
    let h = Harness::new();
    let (aws, work) = (&h.aws, &h.work);
    let before = world(&h, "uploads").await;
    let broken = aws.create_function("broken").await;
    work.write(config("uploads"));
    work.apply().ok();
    aws.add_unchecked_function_entry(
        "uploads",
        "broken",
        &broken,
        &["s3:ObjectRestore:Completed"],
    )
    .await;

    let destroyed = work.destroy();
    assert_eq!(destroyed.code, 0, "{}", destroyed.text());
    let now = aws.notifications("uploads").await;
    assert_eq!(now.functions.len(), 1, "only theirs is left: {now:?}");
    assert!(now.function("broken").is_some(), "their entry kept");
    assert_others_kept(aws, "uploads", &before).await;
}
