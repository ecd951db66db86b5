//! The embedded AWS as users run it (scripts/local-aws): the provider and
//! the checks talk to it straight, with no proxy in between, and it answers
//! as AWS does where bare moto does not (EMBEDDED-AWS.md). Each test checks
//! what AWS holds with the SDK.

use crate::support::{with_sid, Harness};

const ACCESS: &str = "lambdawire_function_url_access";
const PERMISSION: &str = "lambdawire_lambda_invoke_permission";
const OTHER_ACCOUNT: &str = "210987654321";

fn one<'a>(all: &'a [serde_json::Value], sid: &str) -> &'a serde_json::Value {
    let found = with_sid(all, sid);
    assert_eq!(found.len(), 1, "{sid}: {all:?}");
    found[0]
}

/// A function URL open to everyone and an InvokeFunction grant to another
/// account that holds only through the URL: the configuration bare moto
/// answered with "Provider produced inconsistent result".
const URL_CONFIGURATION: &str = r#"resource "lambdawire_function_url_access" "url" {
  function_name       = "hook"
  auth_type           = "NONE"
  statement_id_prefix = "hook"
}

resource "lambdawire_lambda_invoke_permission" "via" {
  function_name            = "hook"
  statement_id             = "via"
  principal                = "210987654321"
  invoked_via_function_url = true
}
"#;

#[tokio::test(flavor = "multi_thread")]
async fn function_url_grants_apply_replan_empty_and_destroy_without_a_proxy() {
    let h = Harness::new();
    let aws = &h.aws;
    let function_arn = aws.create_function("hook").await;
    let work = &h.work;
    work.write(URL_CONFIGURATION);
    work.apply().ok();

    let all = aws.statements("hook", None).await;
    assert_eq!(all.len(), 3, "{all:?}");
    let url = one(&all, "hook-url");
    assert_eq!(url["Action"], "lambda:InvokeFunctionUrl", "{url}");
    assert_eq!(url["Principal"], "*", "{url}");
    assert_eq!(url["Resource"], function_arn.as_str(), "{url}");
    assert_eq!(
        url["Condition"],
        serde_json::json!({"StringEquals": {"lambda:FunctionUrlAuthType": "NONE"}}),
        "the auth type as Lambda stores it: {url}"
    );
    assert!(
        url.get("FunctionUrlAuthType").is_none(),
        "no bare key: {url}"
    );
    for sid in ["hook-invoke", "via"] {
        let invoke = one(&all, sid);
        assert_eq!(invoke["Action"], "lambda:InvokeFunction", "{invoke}");
        assert_eq!(
            invoke["Condition"]["Bool"]["lambda:InvokedViaFunctionUrl"], "true",
            "the condition as Lambda stores it: {invoke}"
        );
        assert!(
            invoke.get("InvokedViaFunctionUrl").is_none(),
            "no bare key: {invoke}"
        );
    }
    assert_eq!(
        one(&all, "via")["Principal"],
        serde_json::json!({"AWS": format!("arn:aws:iam::{OTHER_ACCOUNT}:root")}),
        "an account as Lambda writes it"
    );
    let via = work.resource(&format!("{PERMISSION}.via"));
    assert_eq!(via["invoked_via_function_url"], true, "{via}");
    assert_eq!(
        via["principal"], OTHER_ACCOUNT,
        "the user's spelling: {via}"
    );
    let access = work.resource(&format!("{ACCESS}.url"));
    assert_eq!(access["auth_type"], "NONE", "{access}");
    work.assert_no_changes();

    work.destroy().ok();
    assert_eq!(aws.statement_count("hook").await, 0, "nothing left");
    let gone = aws.lambda.get_policy().function_name("hook").send().await;
    let code = gone
        .err()
        .and_then(|e| e.into_service_error().meta().code().map(str::to_string));
    assert_eq!(code.as_deref(), Some("ResourceNotFoundException"));
}

#[tokio::test(flavor = "multi_thread")]
async fn a_taken_statement_id_is_refused_with_409_and_the_first_statement_kept() {
    let h = Harness::new();
    let aws = &h.aws;
    aws.create_function("processor").await;
    let add = |principal: &'static str| {
        aws.lambda
            .add_permission()
            .function_name("processor")
            .statement_id("nightly")
            .action("lambda:InvokeFunction")
            .principal(principal)
            .send()
    };
    add("events.amazonaws.com").await.expect("first statement");
    let refused = add("sns.amazonaws.com").await.expect_err("a taken id");
    let status = refused.raw_response().map(|r| r.status().as_u16());
    assert_eq!(status, Some(409));
    let error = refused.into_service_error();
    assert!(
        error.is_resource_conflict_exception(),
        "ResourceConflictException: {error:?}"
    );
    assert_eq!(
        error.meta().message(),
        Some(
            "The statement id (nightly) provided already exists. Please provide a new \
             statement id, or remove the existing statement."
        )
    );
    let all = aws.statements("processor", None).await;
    assert_eq!(all.len(), 1, "one statement, not two: {all:?}");
    assert_eq!(
        all[0]["Principal"]["Service"], "events.amazonaws.com",
        "the first one, untouched"
    );
}

#[tokio::test(flavor = "multi_thread")]
async fn create_schedule_honours_its_client_token() {
    let h = Harness::new();
    let aws = &h.aws;
    let function_arn = aws.create_function("hook").await;
    let role_arn = format!("arn:aws:iam::{}:role/scheduler", crate::support::ACCOUNT);
    let create = |token: &'static str| {
        aws.scheduler
            .create_schedule()
            .name("nightly")
            .schedule_expression("cron(0 3 * * ? *)")
            .flexible_time_window(
                aws_sdk_scheduler::types::FlexibleTimeWindow::builder()
                    .mode(aws_sdk_scheduler::types::FlexibleTimeWindowMode::Off)
                    .build()
                    .expect("window"),
            )
            .target(
                aws_sdk_scheduler::types::Target::builder()
                    .arn(&function_arn)
                    .role_arn(&role_arn)
                    .build()
                    .expect("target"),
            )
            .client_token(token)
            .send()
    };
    let first = create("lambdawire-token-1").await.expect("created");
    // The SDK's resend of a request whose answer was lost: the same token.
    let again = create("lambdawire-token-1").await.expect("the same answer");
    assert_eq!(again.schedule_arn(), first.schedule_arn());
    let other = create("lambdawire-token-2")
        .await
        .expect_err("another token is another request");
    assert_eq!(other.raw_response().map(|r| r.status().as_u16()), Some(409));
    assert!(
        other.into_service_error().is_conflict_exception(),
        "the name is taken"
    );
    assert_eq!(aws.schedule_names().await, ["nightly"], "one schedule");
    aws.scheduler
        .delete_schedule()
        .name("nightly")
        .send()
        .await
        .expect("delete");
    assert!(aws.schedule_names().await.is_empty());
}

#[tokio::test(flavor = "multi_thread")]
async fn the_function_and_its_alias_each_have_their_own_policy() {
    let h = Harness::new();
    let aws = &h.aws;
    let function_arn = aws.create_function("processor").await;
    let version = aws
        .lambda
        .publish_version()
        .function_name("processor")
        .send()
        .await
        .expect("publish version");
    aws.lambda
        .create_alias()
        .function_name("processor")
        .name("live")
        .function_version(version.version().expect("version number"))
        .send()
        .await
        .expect("create alias");
    let permission = |name: &str, qualifier: &str| {
        format!(
            r#"resource "{PERMISSION}" "{name}" {{
  function_name = "processor"
  statement_id  = "events"
  source_arn    = "arn:aws:events:us-east-1:123456789012:rule/nightly"
{qualifier}}}
"#
        )
    };
    let work = &h.work;
    work.write(format!(
        "{}\n{}",
        permission("function", ""),
        permission("live", "  qualifier     = \"live\"\n")
    ));
    work.apply().ok();

    // One statement id in two policies, as Lambda keeps them.
    let plain = aws.statements("processor", None).await;
    assert_eq!(plain.len(), 1, "{plain:?}");
    assert_eq!(plain[0]["Resource"], function_arn.as_str());
    let live = aws.statements("processor", Some("live")).await;
    assert_eq!(live.len(), 1, "{live:?}");
    assert_eq!(live[0]["Resource"], format!("{function_arn}:live"));
    work.assert_no_changes();

    work.destroy().ok();
    assert!(aws.statements("processor", None).await.is_empty());
    assert!(aws.statements("processor", Some("live")).await.is_empty());
}
