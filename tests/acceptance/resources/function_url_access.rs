//! `lambdawire_function_url_access` through real terraform and the embedded
//! AWS, which stores `FunctionUrlAuthType` and `InvokedViaFunctionUrl` as
//! the conditions real Lambda writes (EMBEDDED-AWS.md). The provider talks
//! to it through a [`FaultProxy`], for the tests that inject faults or count
//! calls; every check reads the policy back through the same proxy with the
//! SDK.

use crate::support::fault_proxy::{Fault, Nth, Rule};
use crate::support::hcl::{self, Block};
use crate::support::{
    function_url_auth_type, is_account_principal, with_sid, Aws, Harness, ACCOUNT,
};

const ACCESS: &str = "lambdawire_function_url_access";
const DISTRIBUTION: &str = "arn:aws:cloudfront::123456789012:distribution/E2QWRUHEXAMPLE";

/// moto, a function `hook`, and the proxy the provider uses; the checks
/// use the returned clients, through the same proxy.
async fn setup() -> (Harness, Aws) {
    let h = Harness::with_proxy().await;
    h.aws.create_function("hook").await;
    let lambda = h.aws_through_proxy();
    (h, lambda)
}

fn access() -> Block {
    hcl::function_url_access("hook")
}

/// An unsigned URL for anyone, its statements named `hook-*`.
fn public_access() -> Block {
    access()
        .str("auth_type", "NONE")
        .str("statement_id_prefix", "hook")
}

fn one<'a>(all: &'a [serde_json::Value], sid: &str) -> &'a serde_json::Value {
    let found = with_sid(all, sid);
    assert_eq!(found.len(), 1, "{sid}: {all:?}");
    found[0]
}

/// The two statements the resource stands for, checked field by field: the
/// URL one with its auth type, the InvokeFunction one never without its
/// condition, both for `principal` (as `want_principal` matches it).
#[track_caller]
fn assert_pair(
    all: &[serde_json::Value],
    prefix: &str,
    auth_type: &str,
    want_principal: impl Fn(&serde_json::Value) -> bool,
) {
    let url = one(all, &format!("{prefix}-url"));
    assert_eq!(url["Action"], "lambda:InvokeFunctionUrl", "{url}");
    assert_eq!(*function_url_auth_type(url), auth_type, "{url}");
    assert!(
        url["Condition"]["Bool"]["lambda:InvokedViaFunctionUrl"].is_null(),
        "{url}"
    );
    let invoke = one(all, &format!("{prefix}-invoke"));
    assert_eq!(invoke["Action"], "lambda:InvokeFunction", "{invoke}");
    assert_eq!(
        invoke["Condition"]["Bool"]["lambda:InvokedViaFunctionUrl"], "true",
        "{invoke}"
    );
    for stmt in [url, invoke] {
        assert!(want_principal(&stmt["Principal"]), "{stmt}");
    }
    assert_eq!(all.len(), 2, "nothing else, no temporary: {all:?}");
}

fn public(p: &serde_json::Value) -> bool {
    *p == "*" || p["AWS"] == "*"
}

/// A public URL, then an account in place, and destroy.
#[tokio::test(flavor = "multi_thread")]
async fn function_url_access_basic() {
    let (h, lambda) = setup().await;
    let (proxy, work) = (h.proxy(), &h.work);
    work.write(public_access());
    work.apply().ok();
    assert_pair(
        &lambda.statements("hook", None).await,
        "hook",
        "NONE",
        public,
    );
    let state = work.resource(&format!("{ACCESS}.url"));
    assert_eq!(state["id"], "hook/url-access/hook");
    assert_eq!(state["principal"], "*");
    assert_eq!(
        state["statement_ids"],
        serde_json::json!(["hook-url", "hook-invoke"])
    );
    let shown = crate::support::json(state["statements_json"].as_str().unwrap_or("null"));
    assert_eq!(shown.as_array().map(Vec::len), Some(2), "{shown}");
    work.assert_no_changes();

    let account = "210987654321";
    work.write(
        access()
            .str("auth_type", "AWS_IAM")
            .str("principal", account)
            .str("statement_id_prefix", "hook"),
    );
    let plan = work.plan();
    assert_eq!(plan.code, 2, "{}", plan.text());
    assert!(
        plan.stdout.contains("0 to add, 1 to change, 0 to destroy"),
        "in place:\n{}",
        plan.stdout
    );
    let adds = proxy.count("lambda", "AddPermission");
    work.apply().ok();
    assert_eq!(
        proxy.count("lambda", "AddPermission"),
        adds + 4,
        "each statement through a temporary one: never absent"
    );
    assert_pair(
        &lambda.statements("hook", None).await,
        "hook",
        "AWS_IAM",
        |p| is_account_principal(p, account),
    );
    assert_eq!(
        work.resource(&format!("{ACCESS}.url"))["principal"],
        account
    );
    work.assert_no_changes();

    work.destroy().ok();
    assert!(lambda.statements("hook", None).await.is_empty());
}

/// CloudFront origin access control on an alias, imported with no change.
#[tokio::test(flavor = "multi_thread")]
async fn function_url_access_import() {
    let (h, lambda) = setup().await;
    let work = &h.work;
    h.aws.create_alias("hook", "live").await;
    work.write(
        access()
            .str("qualifier", "live")
            .str("auth_type", "AWS_IAM")
            .str("principal", "cloudfront.amazonaws.com")
            .str("source_arn", DISTRIBUTION)
            .str("source_account", ACCOUNT),
    );
    work.apply().ok();
    let state = work.resource(&format!("{ACCESS}.url"));
    let prefix = state["statement_id_prefix"]
        .as_str()
        .unwrap_or_default()
        .to_string();
    assert!(
        prefix.starts_with("lw-url-"),
        "generated from the content: {state}"
    );
    assert_eq!(state["id"], format!("hook:live/url-access/{prefix}"));
    let all = lambda.statements("hook", Some("live")).await;
    assert_pair(&all, &prefix, "AWS_IAM", |p| {
        p["Service"] == "cloudfront.amazonaws.com"
    });
    for kind in ["url", "invoke"] {
        let stmt = one(&all, &format!("{prefix}-{kind}"));
        let source = &stmt["Condition"]["ArnLike"]["AWS:SourceArn"];
        assert_eq!(*source, DISTRIBUTION, "{stmt}");
        assert_eq!(
            stmt["Condition"]["StringEquals"]["AWS:SourceAccount"],
            ACCOUNT
        );
    }
    work.assert_no_changes();

    work.state_rm(&format!("{ACCESS}.url")).ok();
    work.import(
        &format!("{ACCESS}.url"),
        &format!("hook:live/url-access/{prefix}"),
    )
    .ok();
    assert_eq!(
        work.resource(&format!("{ACCESS}.url")),
        state,
        "the same state"
    );
    work.assert_no_changes();

    work.destroy().ok();
    assert!(lambda.statements("hook", Some("live")).await.is_empty());
}

#[tokio::test(flavor = "multi_thread")]
async fn function_url_access_drift_in_either_statement_is_written_again_and_both_gone_is_planned_anew(
) {
    let (h, lambda) = setup().await;
    let work = &h.work;
    work.write(public_access());
    work.apply().ok();
    let remove = |sid: &'static str| lambda.remove_permission("hook", sid);
    let in_place = |why: &str| {
        let plan = work.plan();
        assert_eq!(plan.code, 2, "{why}: {}", plan.text());
        assert!(
            plan.stdout.contains("0 to add, 1 to change, 0 to destroy"),
            "{why}:\n{}",
            plan.stdout
        );
        work.apply().ok();
        work.assert_no_changes();
    };

    // One statement deleted out of band: re-added.
    remove("hook-invoke").await;
    in_place("a missing InvokeFunction statement");
    assert_pair(
        &lambda.statements("hook", None).await,
        "hook",
        "NONE",
        public,
    );

    // The URL statement replaced by one of another auth type.
    remove("hook-url").await;
    lambda
        .add_url_permission(
            "hook",
            "hook-url",
            "*",
            aws_sdk_lambda::types::FunctionUrlAuthType::AwsIam,
        )
        .await;
    let plan = work.plan_text().ok();
    assert!(
        plan.stdout.contains("\"AWS_IAM\" -> \"NONE\""),
        "the drift is shown:\n{}",
        plan.stdout
    );
    in_place("a changed auth type");
    assert_pair(
        &lambda.statements("hook", None).await,
        "hook",
        "NONE",
        public,
    );

    // The InvokeFunction statement made public, without its condition.
    remove("hook-invoke").await;
    lambda
        .add_permission("hook", None, "hook-invoke", "*", None)
        .await;
    in_place("an InvokeFunction without its condition");
    assert_pair(
        &lambda.statements("hook", None).await,
        "hook",
        "NONE",
        public,
    );

    // Both gone (disappears): planned anew.
    remove("hook-url").await;
    remove("hook-invoke").await;
    let plan = work.plan();
    assert_eq!(plan.code, 2, "{}", plan.text());
    assert!(
        plan.stdout.contains("will be created")
            && plan.stdout.contains("1 to add, 0 to change, 0 to destroy"),
        "{}",
        plan.stdout
    );
    work.apply().ok();
    assert_pair(
        &lambda.statements("hook", None).await,
        "hook",
        "NONE",
        public,
    );
    work.assert_no_changes();

    work.destroy().ok();
    assert!(lambda.statements("hook", None).await.is_empty());
}

#[tokio::test(flavor = "multi_thread")]
async fn function_url_access_a_failed_second_statement_records_the_first_and_the_next_apply_completes(
) {
    let (h, lambda) = setup().await;
    let (proxy, work) = (h.proxy(), &h.work);
    proxy.add(
        Rule::new(Fault::Error {
            status: 403,
            code: "AccessDeniedException".into(),
            message: "not authorized to perform: lambda:AddPermission".into(),
        })
        .for_operation("AddPermission")
        .when(Nth::Nth(2)),
    );
    work.write(public_access());
    let failed = work.apply();
    assert_ne!(failed.code, 0, "{}", failed.text());
    assert!(failed.stderr.contains("AccessDenied"), "{}", failed.stderr);
    let all = lambda.statements("hook", None).await;
    assert_eq!(all.len(), 1, "{all:?}");
    assert_eq!(
        one(&all, "hook-invoke")["Condition"]["Bool"]["lambda:InvokedViaFunctionUrl"],
        "true",
        "what was written first is the half that grants nothing alone"
    );
    let state = work.resource(&format!("{ACCESS}.url"));
    assert_eq!(state["id"], "hook/url-access/hook", "recorded: {state}");

    let plan = work.plan();
    assert_eq!(plan.code, 2, "{}", plan.text());
    work.apply().ok();
    assert_pair(
        &lambda.statements("hook", None).await,
        "hook",
        "NONE",
        public,
    );
    work.assert_no_changes();
    work.destroy().ok();
    assert!(lambda.statements("hook", None).await.is_empty());
}

/// `"*"` through a signed URL held to one organisation: the one meaning of
/// a grant sees that organisation, not every AWS account, so it is taken
/// (as the permission takes it), written with the condition on both
/// statements, and gone with destroy.
#[tokio::test(flavor = "multi_thread")]
async fn function_url_access_a_signed_url_for_one_organisation() {
    let (h, lambda) = setup().await;
    let work = &h.work;
    work.write(
        access()
            .str("auth_type", "AWS_IAM")
            .str("principal", "*")
            .str("principal_org_id", "o-abcdefghij")
            .str("statement_id_prefix", "org"),
    );
    work.apply().ok();
    let all = lambda.statements("hook", None).await;
    assert_pair(&all, "org", "AWS_IAM", public);
    for sid in ["org-url", "org-invoke"] {
        let stmt = one(&all, sid);
        assert_eq!(
            stmt["Condition"]["StringEquals"]["aws:PrincipalOrgID"], "o-abcdefghij",
            "{stmt}"
        );
    }
    work.assert_no_changes();
    work.destroy().ok();
    assert!(lambda.statements("hook", None).await.is_empty());
}

#[tokio::test(flavor = "multi_thread")]
async fn function_url_access_bad_inputs_fail_at_plan_without_calling_lambda() {
    let (h, lambda) = setup().await;
    let (proxy, work) = (h.proxy(), &h.work);
    let cases = [
        (
            "auth_type = \"NONE\"\n  principal = \"210987654321\"",
            "principal",
            "auth_type NONE takes only principal \"*\"",
        ),
        (
            "auth_type = \"AWS_IAM\"\n  principal = \"*\"",
            "principal",
            "Public principal with auth_type AWS_IAM",
        ),
        (
            "auth_type = \"AWS_IAM\"",
            "principal",
            "Missing principal",
        ),
        (
            "auth_type = \"AWS_IAM\"\n  principal = \"cloudfront.amazonaws.com\"",
            "source_arn",
            "CloudFront without source_arn",
        ),
        (
            "auth_type = \"AWS_IAM\"\n  principal = \"cloudfront.amazonaws.com\"\n  source_arn = \"arn:aws:cloudfront::123456789012:distribution/*\"",
            "source_arn",
            "Invalid source_arn",
        ),
        (
            "auth_type = \"NONE\"\n  qualifier = \"$LATEST\"",
            "qualifier",
            "Unsupported qualifier",
        ),
        (
            "auth_type = \"NONE\"\n  principal_org_id = \"o-abcdefghij\"",
            "principal_org_id",
            "Scoping an unsigned function URL",
        ),
        (
            "auth_type = \"AWS_IAM\"\n  principal = \"210987654321\"\n  statement_id_prefix = \"has space\"",
            "statement_id_prefix",
            "Invalid statement_id_prefix",
        ),
        (
            "auth_type = \"PUBLIC\"",
            "auth_type",
            "Invalid auth_type",
        ),
    ];
    for (arguments, attribute, summary) in cases {
        work.write(format!(
            "resource \"{ACCESS}\" \"url\" {{\n  function_name = \"hook\"\n  {arguments}\n}}\n"
        ));
        let plan = work.plan();
        assert_eq!(plan.code, 1, "{arguments}: {}", plan.text());
        assert!(
            plan.stderr.contains(&format!("Error: {summary}")),
            "{arguments}: {summary:?} expected:\n{}",
            plan.stderr
        );
        assert!(
            plan.stderr.contains(&format!("{attribute} =")) || plan.stderr.contains(attribute),
            "{arguments}: names {attribute}:\n{}",
            plan.stderr
        );
    }
    let lambda_calls: Vec<_> = proxy
        .calls()
        .into_iter()
        .filter(|c| c.service == "lambda")
        .collect();
    assert!(lambda_calls.is_empty(), "no Lambda call: {lambda_calls:?}");
    assert!(lambda.statements("hook", None).await.is_empty());
}
