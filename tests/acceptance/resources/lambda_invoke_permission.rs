//! `lambdawire_lambda_invoke_permission` through real terraform and moto.

mod generated_ids;
mod state;

use std::time::Instant;

use crate::support::fault_proxy::{Fault, Nth, Rule};
use crate::support::hcl::{self, Block};
use crate::support::{
    function_url_auth_type, is_account_principal, json, with_sid, Harness, ACCOUNT,
};

/// Create with the principal inferred from an S3 source, update in place,
/// destroy.
#[tokio::test(flavor = "multi_thread")]
async fn lambda_invoke_permission_basic() {
    let h = Harness::new();
    let (aws, work) = (&h.aws, &h.work);
    aws.create_function("processor").await;
    let config = |bucket: &str| {
        hcl::permission("uploads", "processor", "s3-uploads")
            .str("source_arn", &format!("arn:aws:s3:::{bucket}"))
            .str("source_account", ACCOUNT)
    };
    work.write(config("uploads"));
    work.apply().ok();
    let stored = aws
        .statement("processor", "s3-uploads")
        .await
        .expect("statement added");
    assert_eq!(stored["Principal"]["Service"], "s3.amazonaws.com");
    assert_eq!(
        stored["Condition"]["ArnLike"]["AWS:SourceArn"],
        "arn:aws:s3:::uploads"
    );
    assert_eq!(
        stored["Condition"]["StringEquals"]["AWS:SourceAccount"],
        ACCOUNT
    );
    let state = work.resource("lambdawire_lambda_invoke_permission.uploads");
    assert_eq!(state["principal"], "s3.amazonaws.com");
    assert_eq!(state["id"], "processor/s3-uploads");
    assert_eq!(state["allow_unscoped_source"], false, "its default");
    // Created from AddPermission's answer: the statement as GetPolicy shows it.
    assert_eq!(
        json(state["statement_json"].as_str().expect("statement_json")),
        stored
    );
    work.assert_no_changes();

    work.write(config("archive"));
    let plan = work.plan();
    assert_eq!(plan.code, 2, "{}", plan.text());
    assert!(
        plan.stdout.contains("1 to change, 0 to destroy"),
        "updates in place:\n{}",
        plan.stdout
    );
    work.apply().ok();
    let stored = aws
        .statement("processor", "s3-uploads")
        .await
        .expect("statement kept");
    assert_eq!(
        stored["Condition"]["ArnLike"]["AWS:SourceArn"],
        "arn:aws:s3:::archive"
    );
    let all = aws.statements("processor", None).await;
    assert_eq!(all.len(), 1, "temporary statement removed: {all:?}");
    work.assert_no_changes();

    work.destroy().ok();
    assert!(
        aws.statement("processor", "s3-uploads").await.is_none(),
        "statement removed"
    );
}

const PERMISSION: &str = "lambdawire_lambda_invoke_permission";

/// A permission on `processor` whose label is its statement id.
fn on_processor(sid: &str) -> Block {
    hcl::permission(sid, "processor", sid)
}

#[tokio::test(flavor = "multi_thread")]
async fn lambda_invoke_permission_service_principals_inferred_from_source_arn() {
    let h = Harness::new();
    let (aws, work) = (&h.aws, &h.work);
    let function_arn = aws.create_function("processor").await;
    work.write(format!(
        "{}{}{}{}",
        on_processor("s3")
            .str("source_arn", "arn:aws:s3:::uploads")
            .str("source_account", ACCOUNT),
        on_processor("api").str(
            "source_arn",
            &format!("arn:aws:execute-api:us-east-1:{ACCOUNT}:abc123/*/GET/items")
        ),
        on_processor("rule").str(
            "source_arn",
            &format!("arn:aws:events:us-east-1:{ACCOUNT}:rule/nightly")
        ),
        on_processor("topic").str(
            "source_arn",
            &format!("arn:aws:sns:us-east-1:{ACCOUNT}:alerts")
        ),
    ));
    work.apply().ok();

    let all = aws.statements("processor", None).await;
    assert_eq!(all.len(), 4, "{all:?}");
    for (sid, service, source) in [
        ("s3", "s3.amazonaws.com", "arn:aws:s3:::uploads".to_string()),
        (
            "api",
            "apigateway.amazonaws.com",
            format!("arn:aws:execute-api:us-east-1:{ACCOUNT}:abc123/*/GET/items"),
        ),
        (
            "rule",
            "events.amazonaws.com",
            format!("arn:aws:events:us-east-1:{ACCOUNT}:rule/nightly"),
        ),
        (
            "topic",
            "sns.amazonaws.com",
            format!("arn:aws:sns:us-east-1:{ACCOUNT}:alerts"),
        ),
    ] {
        let found = with_sid(&all, sid);
        assert_eq!(found.len(), 1, "{sid}: {all:?}");
        let stmt = found[0];
        assert_eq!(stmt["Effect"], "Allow", "{sid}");
        assert_eq!(stmt["Action"], "lambda:InvokeFunction", "{sid}");
        assert_eq!(stmt["Principal"]["Service"], service, "{sid}");
        assert_eq!(
            stmt["Condition"]["ArnLike"]["AWS:SourceArn"], source,
            "{sid}"
        );
        let account = &stmt["Condition"]["StringEquals"]["AWS:SourceAccount"];
        if sid == "s3" {
            assert_eq!(*account, ACCOUNT, "S3 is scoped to the bucket owner");
        } else {
            assert!(account.is_null(), "{sid}: {stmt}");
        }
        let state = work.resource(&format!("{PERMISSION}.{sid}"));
        assert_eq!(
            state["principal"], service,
            "{sid} inferred principal in state"
        );
        assert_eq!(state["id"], format!("processor/{sid}"));
        assert_eq!(state["function_arn"], function_arn.as_str());
        assert_eq!(
            json(state["statement_json"].as_str().unwrap_or("null"))["Sid"],
            sid,
            "statement_json is the stored statement"
        );
    }
    work.assert_no_changes();

    work.destroy().ok();
    assert!(aws.statements("processor", None).await.is_empty());
}

#[tokio::test(flavor = "multi_thread")]
async fn lambda_invoke_permission_account_role_organisation_and_function_url_principals() {
    let h = Harness::new();
    let (aws, work) = (&h.aws, &h.work);
    aws.create_function("processor").await;
    work.write(format!(
        "{}{}{}{}",
        on_processor("account").str("principal", "210987654321"),
        on_processor("role").str("principal", "arn:aws:iam::210987654321:role/deployer"),
        on_processor("org")
            .str("principal", "*")
            .str("principal_org_id", "o-abcdefghij"),
        on_processor("url")
            .str("action", "lambda:InvokeFunctionUrl")
            .str("principal", "*")
            .str("function_url_auth_type", "NONE"),
    ));
    work.apply().ok();

    let all = aws.statements("processor", None).await;
    assert_eq!(all.len(), 4, "{all:?}");
    let one = |sid: &str| {
        let found = with_sid(&all, sid);
        assert_eq!(found.len(), 1, "{sid}: {all:?}");
        found[0].clone()
    };
    let account = one("account");
    assert!(
        is_account_principal(&account["Principal"], "210987654321"),
        "{account}"
    );
    assert_eq!(account["Action"], "lambda:InvokeFunction");
    assert!(account["Condition"].is_null(), "{account}");

    let role = one("role");
    let principal = &role["Principal"];
    assert!(
        *principal == "arn:aws:iam::210987654321:role/deployer"
            || principal["AWS"] == "arn:aws:iam::210987654321:role/deployer",
        "{role}"
    );

    let org = one("org");
    assert!(
        org["Principal"] == "*" || org["Principal"]["AWS"] == "*",
        "{org}"
    );
    assert_eq!(
        org["Condition"]["StringEquals"]["aws:PrincipalOrgID"],
        "o-abcdefghij"
    );

    let url = one("url");
    assert!(
        url["Principal"] == "*" || url["Principal"]["AWS"] == "*",
        "{url}"
    );
    assert_eq!(url["Action"], "lambda:InvokeFunctionUrl");
    assert_eq!(*function_url_auth_type(&url), "NONE", "{url}");

    // Read keeps the user's spelling of every argument.
    let state = work.resource(&format!("{PERMISSION}.account"));
    assert_eq!(state["principal"], "210987654321");
    let state = work.resource(&format!("{PERMISSION}.url"));
    assert_eq!(state["function_url_auth_type"], "NONE");
    assert_eq!(state["action"], "lambda:InvokeFunctionUrl");
    let state = work.resource(&format!("{PERMISSION}.org"));
    assert_eq!(state["principal_org_id"], "o-abcdefghij");
    work.assert_no_changes();

    work.destroy().ok();
    assert!(aws.statements("processor", None).await.is_empty());
}

/// A new statement id, which hashicorp/aws replaces for, updates in place.
#[tokio::test(flavor = "multi_thread")]
async fn lambda_invoke_permission_update() {
    let h = Harness::new();
    let (aws, work) = (&h.aws, &h.work);
    aws.create_function("processor").await;
    let config = |sid: &str| topic_permission("topic", "processor", sid);
    work.write(config("alerts-v1"));
    work.apply().ok();
    assert!(aws.statement("processor", "alerts-v1").await.is_some());

    work.write(config("alerts-v2"));
    let plan = work.plan();
    assert_eq!(plan.code, 2, "{}", plan.text());
    assert!(
        plan.stdout.contains("0 to add, 1 to change, 0 to destroy"),
        "a new statement id updates in place:\n{}",
        plan.stdout
    );
    work.apply().ok();
    let all = aws.statements("processor", None).await;
    assert!(with_sid(&all, "alerts-v1").is_empty(), "old gone: {all:?}");
    let new = with_sid(&all, "alerts-v2");
    assert_eq!(new.len(), 1, "{all:?}");
    assert_eq!(new[0]["Principal"]["Service"], "sns.amazonaws.com");
    assert_eq!(all.len(), 1, "nothing else left behind: {all:?}");
    let state = work.resource(&format!("{PERMISSION}.topic"));
    assert_eq!(state["id"], "processor/alerts-v2");
    work.assert_no_changes();

    work.destroy().ok();
    assert!(aws.statements("processor", None).await.is_empty());
}

fn forty_topics() -> Block {
    hcl::permission("many", "processor", "topic-${count.index}")
        .expr("count", "40")
        .str(
            "source_arn",
            &format!("arn:aws:sns:us-east-1:{ACCOUNT}:topic-${{count.index}}"),
        )
}

#[track_caller]
fn assert_forty(all: &[serde_json::Value]) {
    assert_eq!(all.len(), 40, "{all:?}");
    for i in 0..40 {
        let found = with_sid(all, &format!("topic-{i}"));
        assert_eq!(found.len(), 1, "topic-{i}: {all:?}");
        assert_eq!(
            found[0]["Condition"]["ArnLike"]["AWS:SourceArn"],
            format!("arn:aws:sns:us-east-1:{ACCOUNT}:topic-{i}")
        );
    }
}

#[tokio::test(flavor = "multi_thread")]
async fn lambda_invoke_permission_forty_on_one_function_in_parallel() {
    let h = Harness::new();
    let (aws, work) = (&h.aws, &h.work);
    aws.create_function("processor").await;
    work.write(forty_topics());
    let started = Instant::now();
    work.apply_args(&["-parallelism=40"]).ok();
    eprintln!("40 permissions applied in {:?}", started.elapsed());
    assert_forty(&aws.statements("processor", None).await);
    work.assert_no_changes();

    let started = Instant::now();
    work.destroy_args(&["-parallelism=40"]).ok();
    eprintln!("40 permissions destroyed in {:?}", started.elapsed());
    assert!(aws.statements("processor", None).await.is_empty());
}

#[tokio::test(flavor = "multi_thread")]
async fn lambda_invoke_permission_forty_survive_policy_conflicts() {
    let h = Harness::with_proxy().await;
    let (aws, proxy, work) = (&h.aws, h.proxy(), &h.work);
    aws.create_function("processor").await;
    // Every third AddPermission meets a concurrent edit, as Lambda answers
    // while another change of the function is in progress; a few more meet a
    // stale revision. Rules count every AddPermission, retries included.
    for n in (3..=90).step_by(3) {
        proxy.add(
            Rule::new(Fault::Error {
                status: 409,
                code: "ResourceConflictException".into(),
                message: "The operation cannot be performed at this time. An update is in \
                          progress for resource: arn:aws:lambda:us-east-1:123456789012:function:processor"
                    .into(),
            })
            .for_service("lambda")
            .for_operation("AddPermission")
            .when(Nth::Nth(n)),
        );
    }
    for n in [1, 8, 20, 35] {
        proxy.add(
            Rule::new(Fault::Error {
                status: 412,
                code: "PreconditionFailedException".into(),
                message: "The RevisionId provided does not match the latest RevisionId for the \
                          Lambda function or alias."
                    .into(),
            })
            .for_service("lambda")
            .for_operation("AddPermission")
            .when(Nth::Nth(n)),
        );
    }
    work.write(forty_topics());
    let started = Instant::now();
    work.apply_args(&["-parallelism=40"]).ok();
    eprintln!(
        "40 permissions through conflicts applied in {:?}",
        started.elapsed()
    );
    let injected = proxy
        .calls()
        .iter()
        .filter(|c| c.operation == "AddPermission" && c.injected)
        .count();
    assert!(injected >= 15, "the faults were exercised: {injected}");
    assert_eq!(
        proxy.count("lambda", "AddPermission"),
        40 + injected,
        "each conflict retried exactly once more"
    );
    assert_forty(&aws.statements("processor", None).await);
    work.assert_no_changes();

    work.destroy_args(&["-parallelism=40"]).ok();
    assert!(aws.statements("processor", None).await.is_empty());
}

/// SNS's `alerts` topic may invoke `function`.
fn topic_permission(label: &str, function: &str, sid: &str) -> Block {
    hcl::permission(label, function, sid).str(
        "source_arn",
        &format!("arn:aws:sns:us-east-1:{ACCOUNT}:alerts"),
    )
}

#[tokio::test(flavor = "multi_thread")]
async fn lambda_invoke_permission_disappears() {
    let h = Harness::new();
    let (aws, work) = (&h.aws, &h.work);
    aws.create_function("processor").await;
    work.write(topic_permission("topic", "processor", "alerts"));
    work.apply().ok();
    assert!(aws.statement("processor", "alerts").await.is_some());

    aws.remove_permission("processor", "alerts").await;
    let plan = work.plan();
    assert_eq!(plan.code, 2, "{}", plan.text());
    assert!(
        plan.stdout.contains("will be created")
            && plan.stdout.contains("1 to add, 0 to change, 0 to destroy"),
        "the lost statement is created again:\n{}",
        plan.stdout
    );
    work.apply().ok();
    let all = aws.statements("processor", None).await;
    let restored = with_sid(&all, "alerts");
    assert_eq!(restored.len(), 1, "{all:?}");
    assert_eq!(restored[0]["Principal"]["Service"], "sns.amazonaws.com");
    work.assert_no_changes();

    work.destroy().ok();
    assert!(aws.statements("processor", None).await.is_empty());
}

#[tokio::test(flavor = "multi_thread")]
async fn lambda_invoke_permission_lost_with_a_replaced_function_is_restored() {
    let h = Harness::new();
    let (aws, work) = (&h.aws, &h.work);
    aws.create_function("processor").await;
    work.write(topic_permission("topic", "processor", "alerts"));
    work.apply().ok();
    assert!(aws.statement("processor", "alerts").await.is_some());

    // Replacing a function (delete, create under the same name) drops its
    // resource policy with it.
    aws.delete_function("processor").await;
    aws.create_function("processor").await;
    assert!(aws.statements("processor", None).await.is_empty());

    let plan = work.plan();
    assert_eq!(plan.code, 2, "{}", plan.text());
    assert!(
        plan.stdout.contains("will be created")
            && plan.stdout.contains("1 to add, 0 to change, 0 to destroy"),
        "the permission is planned for the new function:\n{}",
        plan.stdout
    );
    work.apply().ok();
    let all = aws.statements("processor", None).await;
    assert_eq!(with_sid(&all, "alerts").len(), 1, "{all:?}");
    work.assert_no_changes();

    work.destroy().ok();
    assert!(aws.statements("processor", None).await.is_empty());
}

#[tokio::test(flavor = "multi_thread")]
async fn lambda_invoke_permission_import() {
    let h = Harness::new();
    let (aws, work) = (&h.aws, &h.work);
    let function_arn = aws.create_function("processor").await;
    aws.create_alias("processor", "live").await;
    let alerts = format!("arn:aws:sns:us-east-1:{ACCOUNT}:alerts");
    let alerts = alerts.as_str();
    let add = move |sid: &'static str, qualifier: Option<&'static str>| {
        aws.add_permission(
            "processor",
            qualifier,
            sid,
            "sns.amazonaws.com",
            Some(alerts),
        )
    };
    add("plain", None).await;
    add("aliased", Some("live")).await;
    add("by-arn", None).await;

    work.write(format!(
        "{}\n{}\n{}",
        topic_permission("plain", "processor", "plain"),
        topic_permission("aliased", "processor", "aliased").str("qualifier", "live"),
        topic_permission("by_arn", &function_arn, "by-arn"),
    ));
    work.import(&format!("{PERMISSION}.plain"), "processor/plain")
        .ok();
    work.import(&format!("{PERMISSION}.aliased"), "processor:live/aliased")
        .ok();
    work.import(&format!("{PERMISSION}.by_arn"), "processor/by-arn")
        .ok();

    let state = work.resource(&format!("{PERMISSION}.aliased"));
    assert_eq!(state["allow_unscoped_source"], false, "its default");
    assert_eq!(state["function_name"], "processor");
    assert_eq!(state["qualifier"], "live");
    assert_eq!(state["principal"], "sns.amazonaws.com");
    assert_eq!(state["id"], "processor:live/aliased");

    // The names given at import match the configuration: nothing to do.
    // The ARN spelling of the same function cannot be hidden by the plan
    // (a required attribute's planned value must equal the configuration),
    // so it shows as an in-place update of function_name (and the id built
    // from it), never as a replacement; apply then makes no AWS call.
    let plan = work.plan();
    assert_eq!(plan.code, 2, "{}", plan.text());
    assert!(
        plan.stdout.contains("0 to add, 1 to change, 0 to destroy")
            && plan
                .stdout
                .contains(&format!("{PERMISSION}.by_arn will be updated in-place"))
            && !plan.stdout.contains("must be replaced"),
        "another spelling of the same function is never a replacement:\n{}",
        plan.stdout
    );
    work.apply().ok();
    work.assert_no_changes();
    let all = aws.statements("processor", None).await;
    assert_eq!(with_sid(&all, "plain").len(), 1, "{all:?}");
    assert_eq!(with_sid(&all, "by-arn").len(), 1, "{all:?}");
    let live = aws.statements("processor", Some("live")).await;
    assert_eq!(with_sid(&live, "aliased").len(), 1, "{live:?}");

    work.destroy().ok();
    assert!(aws.statements("processor", None).await.is_empty());
    assert!(aws.statements("processor", Some("live")).await.is_empty());
}

#[tokio::test(flavor = "multi_thread")]
async fn lambda_invoke_permission_unsafe_configurations_fail_at_plan_without_calling_lambda() {
    let h = Harness::with_proxy().await;
    let (aws, proxy, work) = (&h.aws, h.proxy(), &h.work);
    aws.create_function("processor").await;
    let cases = [
        (
            r#"principal      = "s3.amazonaws.com"
  source_account = "123456789012""#,
            "source_arn",
            "Service principal without source_arn",
        ),
        (
            r#"source_arn = "arn:aws:s3:::uploads""#,
            "source_account",
            "S3 grant without source_account",
        ),
        (
            r#"qualifier  = "$LATEST"
  source_arn = "arn:aws:sns:us-east-1:123456789012:alerts""#,
            "qualifier",
            "Unsupported qualifier",
        ),
        (
            r#"principal = "*""#,
            "principal",
            "Unscoped wildcard principal",
        ),
        (
            r#"principal      = "sns.amazonaws.com"
  source_arn     = "arn:aws:s3:::uploads"
  source_account = "123456789012""#,
            "principal",
            "principal does not match source_arn",
        ),
    ];
    for (arguments, attribute, summary) in cases {
        work.write(format!(
            r#"resource "{PERMISSION}" "bad" {{
  function_name = "processor"
  statement_id  = "bad"
  {arguments}
}}
"#
        ));
        let plan = work.plan();
        assert_eq!(plan.code, 1, "{arguments}: {}", plan.text());
        assert!(
            plan.stderr.contains(&format!("Error: {summary}")),
            "{arguments}: summary {summary:?} expected:\n{}",
            plan.stderr
        );
        assert!(
            plan.stderr.contains(attribute),
            "{arguments}: the error names {attribute}:\n{}",
            plan.stderr
        );
        assert!(!plan.stderr.contains("panic"), "{}", plan.stderr);
    }
    assert_eq!(proxy.count("lambda", "AddPermission"), 0);
    let lambda_calls: Vec<_> = proxy
        .calls()
        .into_iter()
        .filter(|c| c.service == "lambda")
        .collect();
    assert!(
        lambda_calls.is_empty(),
        "no Lambda call at all: {lambda_calls:?}"
    );

    // A corrected configuration goes through the same proxy.
    work.write(topic_permission("good", "processor", "good"));
    work.apply().ok();
    assert_eq!(proxy.count("lambda", "AddPermission"), 1);
    assert!(aws.statement("processor", "good").await.is_some());
    work.assert_no_changes();
    work.destroy().ok();
    assert!(aws.statements("processor", None).await.is_empty());
}

#[tokio::test(flavor = "multi_thread")]
async fn lambda_invoke_permission_statement_id_taken_by_another_statement_fails_clearly() {
    let h = Harness::with_proxy().await;
    let (aws, proxy, work) = (&h.aws, h.proxy(), &h.work);
    aws.create_function("processor").await;
    // Someone else's statement already uses the id.
    aws.add_permission(
        "processor",
        None,
        "uploads",
        "events.amazonaws.com",
        Some(&format!("arn:aws:events:us-east-1:{ACCOUNT}:rule/other")),
    )
    .await;
    // The embedded AWS refuses the duplicate statement id as real Lambda
    // does (bare moto would store it a second time).
    work.write(topic_permission("topic", "processor", "uploads"));
    let run = work.apply();
    assert_eq!(run.code, 1, "{}", run.text());
    assert!(
        run.stderr.contains("statement id uploads already exists")
            && run.stderr.contains("statement_id")
            && !run.stderr.contains("request id: none"),
        "the error names the statement id, what to do, and Lambda's request id:\n{}",
        run.stderr
    );
    let all = aws.statements("processor", None).await;
    let kept = with_sid(&all, "uploads");
    assert_eq!(kept.len(), 1, "{all:?}");
    assert_eq!(
        kept[0]["Principal"]["Service"], "events.amazonaws.com",
        "the other statement is left alone"
    );
    assert!(
        work.resource(&format!("{PERMISSION}.topic")).is_null(),
        "nothing adopted into state"
    );

    // With another id it applies, and destroying it leaves the other one.
    proxy.clear();
    work.write(topic_permission("topic", "processor", "uploads-2"));
    work.apply().ok();
    work.assert_no_changes();
    work.destroy().ok();
    let all = aws.statements("processor", None).await;
    assert!(with_sid(&all, "uploads-2").is_empty(), "{all:?}");
    assert_eq!(with_sid(&all, "uploads").len(), 1, "{all:?}");
}

#[tokio::test(flavor = "multi_thread")]
async fn lambda_invoke_permission_lost_add_permission_response_is_not_a_duplicate() {
    let h = Harness::with_proxy().await;
    let (aws, proxy, work) = (&h.aws, h.proxy(), &h.work);
    aws.create_function("processor").await;
    // moto applies the first call, then the answer never arrives.
    proxy.add(
        Rule::new(Fault::LoseResponse)
            .for_service("lambda")
            .for_operation("AddPermission")
            .when(Nth::Nth(1)),
    );
    work.write(topic_permission("topic", "processor", "alerts"));
    work.apply().ok();
    let all = aws.statements("processor", None).await;
    assert_eq!(
        with_sid(&all, "alerts").len(),
        1,
        "exactly one statement with the id: {all:?}"
    );
    assert_eq!(all.len(), 1, "{all:?}");
    assert_eq!(
        proxy.count("lambda", "AddPermission"),
        1,
        "the policy showed the first call applied, so it was not sent again"
    );
    work.assert_no_changes();

    // A call reset before it reached Lambda is looked for, not found, and
    // sent again.
    proxy.add(
        Rule::new(Fault::ConnectionReset)
            .for_service("lambda")
            .for_operation("AddPermission")
            .when(Nth::Nth(1)),
    );
    work.write(format!(
        "{}\n{}",
        topic_permission("topic", "processor", "alerts"),
        topic_permission("again", "processor", "again")
    ));
    work.apply().ok();
    let all = aws.statements("processor", None).await;
    assert_eq!(with_sid(&all, "again").len(), 1, "{all:?}");
    assert_eq!(all.len(), 2, "{all:?}");
    assert_eq!(proxy.count("lambda", "AddPermission"), 3, "one resend");
    work.assert_no_changes();

    work.destroy().ok();
    assert!(aws.statements("processor", None).await.is_empty());
}

#[tokio::test(flavor = "multi_thread")]
async fn lambda_invoke_permission_policy_over_the_size_limit_hints_at_scoping() {
    let h = Harness::with_proxy().await;
    let (aws, proxy, work) = (&h.aws, h.proxy(), &h.work);
    aws.create_function("processor").await;
    proxy.add(
        Rule::new(Fault::Error {
            status: 400,
            code: "PolicyLengthExceededException".into(),
            message: "The final policy size (20539) is bigger than the limit (20480).".into(),
        })
        .for_service("lambda")
        .for_operation("AddPermission"),
    );
    work.write(topic_permission("topic", "processor", "alerts"));
    let run = work.apply();
    assert_eq!(run.code, 1, "{}", run.text());
    assert!(
        run.stderr.contains("PolicyLengthExceededException")
            && (run.stderr.contains("source_account") || run.stderr.contains("principal_org_id")),
        "the error says how to stay under the limit:\n{}",
        run.stderr
    );
    assert_eq!(
        proxy.count("lambda", "AddPermission"),
        1,
        "a size error is not retried"
    );
    assert!(aws.statements("processor", None).await.is_empty());

    proxy.clear();
    work.apply().ok();
    assert!(aws.statement("processor", "alerts").await.is_some());
    work.assert_no_changes();
    work.destroy().ok();
    assert!(aws.statements("processor", None).await.is_empty());
}

#[tokio::test(flavor = "multi_thread")]
async fn lambda_invoke_permission_other_spellings_after_import_change_nothing_in_aws() {
    let h = Harness::with_proxy().await;
    let (aws, proxy, work) = (&h.aws, h.proxy(), &h.work);
    aws.create_function("processor").await;
    aws.create_alias("processor", "live").await;
    // Stored in the form real Lambda uses for an account principal.
    aws.add_permission(
        "processor",
        None,
        "account",
        "arn:aws:iam::210987654321:root",
        None,
    )
    .await;
    aws.add_permission(
        "processor",
        Some("live"),
        "aliased",
        "sns.amazonaws.com",
        Some(&format!("arn:aws:sns:us-east-1:{ACCOUNT}:alerts")),
    )
    .await;
    work.write(format!(
        "{}\n{}",
        on_processor("account").str("principal", "210987654321"),
        // The alias named inside function_name instead of by qualifier.
        topic_permission("aliased", "processor:live", "aliased"),
    ));
    work.import(&format!("{PERMISSION}.account"), "processor/account")
        .ok();
    work.import(&format!("{PERMISSION}.aliased"), "processor:live/aliased")
        .ok();

    // Both differ from the imported state only in spelling: the plan must
    // show them (the configured value wins), but never as a replacement,
    // and applying them must not touch the policy.
    let plan = work.plan();
    assert_eq!(plan.code, 2, "{}", plan.text());
    assert!(
        !plan.stdout.contains("must be replaced")
            && plan.stdout.contains("0 to add, 2 to change, 0 to destroy"),
        "another spelling is never a replacement:\n{}",
        plan.stdout
    );
    assert!(
        !plan.stdout.contains("statement_json"),
        "the stored statement is known not to change:\n{}",
        plan.stdout
    );
    work.apply().ok();
    assert_eq!(proxy.count("lambda", "AddPermission"), 0);
    assert_eq!(proxy.count("lambda", "RemovePermission"), 0);
    work.assert_no_changes();
    let state = work.resource(&format!("{PERMISSION}.account"));
    assert_eq!(state["principal"], "210987654321");
    let state = work.resource(&format!("{PERMISSION}.aliased"));
    assert_eq!(state["function_name"], "processor:live");
    let live = aws.statements("processor", Some("live")).await;
    assert_eq!(with_sid(&live, "aliased").len(), 1, "{live:?}");

    work.destroy().ok();
    assert!(aws.statements("processor", None).await.is_empty());
    assert!(aws.statements("processor", Some("live")).await.is_empty());
}
