//! `lambdawire_lambda_invoke_permission`: every principal kind, parallel
//! edits of one policy (with injected conflicts), out-of-band loss, import,
//! and plan-time refusals with no AWS call.

use crate::support::fault_proxy::{Fault, FaultProxy, Nth, Rule};
use crate::support::{json, Aws, Moto, Workdir, ACCOUNT};

async fn policy(aws: &Aws, function: &str) -> Vec<serde_json::Value> {
    match aws.lambda.get_policy().function_name(function).send().await {
        Ok(out) => json(out.policy().unwrap_or("{}"))["Statement"]
            .as_array()
            .cloned()
            .unwrap_or_default(),
        Err(_) => Vec::new(),
    }
}

async fn statement(aws: &Aws, function: &str, sid: &str) -> serde_json::Value {
    policy(aws, function)
        .await
        .into_iter()
        .find(|s| s["Sid"] == sid)
        .unwrap_or_else(|| panic!("statement {sid} missing"))
}

#[tokio::test(flavor = "multi_thread")]
async fn every_principal_kind_is_stored_as_lambda_expects() {
    let moto = Moto::start();
    let aws = Aws::new(&moto);
    aws.create_function("processor").await;
    let work = Workdir::new(&moto.url());
    work.write(&format!(
        r#"locals {{ fn = "processor" }}
resource "lambdawire_lambda_invoke_permission" "s3" {{
  function_name  = local.fn
  statement_id   = "s3"
  source_arn     = "arn:aws:s3:::uploads"
  source_account = "{ACCOUNT}"
}}
resource "lambdawire_lambda_invoke_permission" "api" {{
  function_name = local.fn
  statement_id  = "api"
  source_arn    = "arn:aws:execute-api:us-east-1:{ACCOUNT}:abc123/*/GET/items"
}}
resource "lambdawire_lambda_invoke_permission" "rule" {{
  function_name = local.fn
  statement_id  = "rule"
  source_arn    = "arn:aws:events:us-east-1:{ACCOUNT}:rule/nightly"
}}
resource "lambdawire_lambda_invoke_permission" "topic" {{
  function_name = local.fn
  statement_id  = "topic"
  source_arn    = "arn:aws:sns:us-east-1:{ACCOUNT}:alerts"
}}
resource "lambdawire_lambda_invoke_permission" "account" {{
  function_name = local.fn
  statement_id  = "account"
  principal     = "210987654321"
}}
resource "lambdawire_lambda_invoke_permission" "role" {{
  function_name = local.fn
  statement_id  = "role"
  principal     = "arn:aws:iam::210987654321:role/deployer"
}}
resource "lambdawire_lambda_invoke_permission" "org" {{
  function_name    = local.fn
  statement_id     = "org"
  principal        = "*"
  principal_org_id = "o-abcdefghij"
}}
resource "lambdawire_lambda_invoke_permission" "url" {{
  function_name          = local.fn
  statement_id           = "url"
  action                 = "lambda:InvokeFunctionUrl"
  principal              = "*"
  function_url_auth_type = "NONE"
}}
"#
    ));
    work.apply_args(&["-parallelism=8"]).ok();
    let services = [
        ("s3", "s3.amazonaws.com"),
        ("api", "apigateway.amazonaws.com"),
        ("rule", "events.amazonaws.com"),
        ("topic", "sns.amazonaws.com"),
    ];
    for (sid, service) in services {
        assert_eq!(
            statement(&aws, "processor", sid).await["Principal"]["Service"],
            service,
            "{sid}"
        );
        let state = work.resource(&format!("lambdawire_lambda_invoke_permission.{sid}"));
        assert_eq!(
            state["principal"], service,
            "inferred principal in state for {sid}"
        );
    }
    assert_eq!(
        statement(&aws, "processor", "s3").await["Condition"]["StringEquals"]["AWS:SourceAccount"],
        ACCOUNT
    );
    assert_eq!(
        statement(&aws, "processor", "api").await["Condition"]["ArnLike"]["AWS:SourceArn"],
        format!("arn:aws:execute-api:us-east-1:{ACCOUNT}:abc123/*/GET/items")
    );
    let account = statement(&aws, "processor", "account").await;
    assert!(
        account["Principal"].to_string().contains("210987654321"),
        "{account}"
    );
    let role = statement(&aws, "processor", "role").await;
    assert!(
        role["Principal"].to_string().contains("role/deployer"),
        "{role}"
    );
    assert_eq!(
        statement(&aws, "processor", "org").await["Condition"]["StringEquals"]
            ["aws:PrincipalOrgID"],
        "o-abcdefghij"
    );
    let url = statement(&aws, "processor", "url").await;
    assert_eq!(url["Action"], "lambda:InvokeFunctionUrl");
    assert!(url.to_string().contains("\"NONE\""), "{url}");
    work.assert_no_changes();
    work.destroy().ok();
    assert!(
        policy(&aws, "processor").await.is_empty(),
        "every statement removed"
    );
}

fn forty(function: &str) -> String {
    format!(
        r#"resource "lambdawire_lambda_invoke_permission" "many" {{
  count         = 40
  function_name = "{function}"
  statement_id  = "rule-${{count.index}}"
  source_arn    = "arn:aws:events:us-east-1:{ACCOUNT}:rule/r${{count.index}}"
}}
"#
    )
}

#[tokio::test(flavor = "multi_thread")]
async fn forty_permissions_on_one_function_in_parallel_even_with_conflicts() {
    let moto = Moto::start();
    let aws = Aws::new(&moto);
    aws.create_function("busy").await;
    let proxy = FaultProxy::start(moto.addr).await.expect("proxy");
    let in_progress = Fault::Error {
        status: 409,
        code: "ResourceConflictException".into(),
        message: "The operation cannot be performed at this time. An update is in progress for resource: busy".into(),
    };
    for n in [2, 5, 9, 14, 20, 27, 33] {
        proxy.add(
            Rule::new(in_progress.clone())
                .for_service("lambda")
                .for_operation("AddPermission")
                .when(Nth::Nth(n)),
        );
    }
    let precondition = Fault::Error {
        status: 412,
        code: "PreconditionFailedException".into(),
        message:
            "The RevisionId provided does not match the latest RevisionId for the Lambda function"
                .into(),
    };
    for n in [7, 18] {
        proxy.add(
            Rule::new(precondition.clone())
                .for_service("lambda")
                .for_operation("AddPermission")
                .when(Nth::Nth(n)),
        );
    }
    let work = Workdir::new(&proxy.url());
    work.write(&forty("busy"));
    work.apply_args(&["-parallelism=40"]).ok();
    let sids: std::collections::BTreeSet<String> = policy(&aws, "busy")
        .await
        .iter()
        .filter_map(|s| s["Sid"].as_str().map(str::to_string))
        .collect();
    assert_eq!(sids.len(), 40, "{sids:?}");
    assert!(
        proxy.count("lambda", "AddPermission") >= 49,
        "conflicts were injected and retried"
    );
    work.assert_no_changes();
    work.terraform(&["destroy", "-auto-approve", "-no-color", "-parallelism=40"])
        .ok();
    assert!(policy(&aws, "busy").await.is_empty());
}

#[tokio::test(flavor = "multi_thread")]
async fn lost_statement_and_replaced_function_are_planned_anew() {
    let moto = Moto::start();
    let aws = Aws::new(&moto);
    aws.create_function("fragile").await;
    let work = Workdir::new(&moto.url());
    work.write(&format!(
        r#"resource "lambdawire_lambda_invoke_permission" "rule" {{
  function_name = "fragile"
  statement_id  = "rule"
  source_arn    = "arn:aws:events:us-east-1:{ACCOUNT}:rule/nightly"
}}
"#
    ));
    work.apply().ok();
    aws.lambda
        .remove_permission()
        .function_name("fragile")
        .statement_id("rule")
        .send()
        .await
        .unwrap();
    let plan = work.plan();
    assert_eq!(plan.code, 2);
    assert!(plan.stdout.contains("1 to add"), "{}", plan.stdout);
    work.apply().ok();
    statement(&aws, "fragile", "rule").await;
    work.assert_no_changes();

    aws.lambda
        .delete_function()
        .function_name("fragile")
        .send()
        .await
        .unwrap();
    aws.create_function("fragile").await;
    let plan = work.plan();
    assert!(
        plan.stdout.contains("1 to add"),
        "a replaced function loses its policy:\n{}",
        plan.stdout
    );
    work.apply().ok();
    statement(&aws, "fragile", "rule").await;
    work.assert_no_changes();
}

#[tokio::test(flavor = "multi_thread")]
async fn import_by_name_and_by_arn_form_plans_no_replacement() {
    let moto = Moto::start();
    let aws = Aws::new(&moto);
    let arn = aws.create_function("target").await;
    aws.lambda
        .add_permission()
        .function_name("target")
        .statement_id("sns")
        .action("lambda:InvokeFunction")
        .principal("sns.amazonaws.com")
        .source_arn(format!("arn:aws:sns:us-east-1:{ACCOUNT}:alerts"))
        .send()
        .await
        .unwrap();
    let work = Workdir::new(&moto.url());
    let body = |function: &str| {
        format!(
            r#"resource "lambdawire_lambda_invoke_permission" "sns" {{
  function_name = "{function}"
  statement_id  = "sns"
  source_arn    = "arn:aws:sns:us-east-1:{ACCOUNT}:alerts"
}}
"#
        )
    };
    work.write(&body("target"));
    work.import("lambdawire_lambda_invoke_permission.sns", "target/sns")
        .ok();
    work.assert_no_changes();

    work.terraform(&["state", "rm", "lambdawire_lambda_invoke_permission.sns"])
        .ok();
    work.write(&body(&arn));
    work.import("lambdawire_lambda_invoke_permission.sns", "target/sns")
        .ok();
    let plan = work.plan();
    assert!(
        !plan.stdout.contains("must be replaced"),
        "another form of the same function is no replacement:\n{}",
        plan.stdout
    );
    work.apply().ok();
    work.assert_no_changes();
    assert_eq!(
        policy(&aws, "target").await.len(),
        1,
        "no duplicate statement"
    );
}

#[tokio::test(flavor = "multi_thread")]
async fn insecure_or_invalid_permissions_fail_at_plan_without_any_call() {
    let moto = Moto::start();
    let proxy = FaultProxy::start(moto.addr).await.expect("proxy");
    let work = Workdir::new(&proxy.url());
    let cases = [
        ("source_arn", r#"principal = "s3.amazonaws.com""#),
        ("source_account", r#"source_arn = "arn:aws:s3:::uploads""#),
        ("qualifier", "source_arn = \"arn:aws:events:us-east-1:123456789012:rule/r\"\n  qualifier = \"$LATEST\""),
        ("principal", r#"principal = "*""#),
        ("principal", "principal = \"sns.amazonaws.com\"\n  source_arn = \"arn:aws:s3:::uploads\"\n  source_account = \"123456789012\""),
    ];
    for (attribute, body) in cases {
        work.write(&format!(
            "resource \"lambdawire_lambda_invoke_permission\" \"bad\" {{\n  function_name = \"processor\"\n  {body}\n}}\n"
        ));
        let run = work.plan();
        assert_eq!(run.code, 1, "{attribute}: {}", run.text());
        assert!(
            run.stderr.contains(attribute),
            "names {attribute}:\n{}",
            run.stderr
        );
    }
    assert_eq!(proxy.count("lambda", "AddPermission"), 0);
    assert_eq!(proxy.count("lambda", "GetPolicy"), 0);
}

#[tokio::test(flavor = "multi_thread")]
async fn statement_id_clashes_and_oversized_policies_explain_themselves() {
    let moto = Moto::start();
    let aws = Aws::new(&moto);
    aws.create_function("clash").await;
    aws.lambda
        .add_permission()
        .function_name("clash")
        .statement_id("taken")
        .action("lambda:InvokeFunction")
        .principal("events.amazonaws.com")
        .source_arn(format!("arn:aws:events:us-east-1:{ACCOUNT}:rule/other"))
        .send()
        .await
        .unwrap();
    let proxy = FaultProxy::start(moto.addr).await.expect("proxy");
    // moto accepts duplicate ids; real Lambda refuses them like this.
    proxy.add(
        Rule::new(Fault::Error {
            status: 409,
            code: "ResourceConflictException".into(),
            message: "The statement id (taken) provided already exists. Please provide a new statement id, or remove the existing statement.".into(),
        })
        .for_service("lambda")
        .for_operation("AddPermission"),
    );
    let work = Workdir::new(&proxy.url());
    let body = |sid: &str| {
        format!(
            r#"resource "lambdawire_lambda_invoke_permission" "p" {{
  function_name = "clash"
  statement_id  = "{sid}"
  source_arn    = "arn:aws:events:us-east-1:{ACCOUNT}:rule/mine"
}}
"#
        )
    };
    work.write(&body("taken"));
    let run = work.apply();
    assert_ne!(run.code, 0);
    assert!(
        run.stderr.contains("taken") && run.stderr.contains("already exists"),
        "{}",
        run.stderr
    );

    proxy.clear();
    proxy.add(
        Rule::new(Fault::Error {
            status: 400,
            code: "PolicyLengthExceededException".into(),
            message: "The final policy size (20589) is bigger than the limit (20480).".into(),
        })
        .for_service("lambda")
        .for_operation("AddPermission"),
    );
    work.write(&body("fresh"));
    let run = work.apply();
    assert_ne!(run.code, 0);
    assert!(
        run.stderr.contains("source_account") && run.stderr.contains("principal_org_id"),
        "hint:\n{}",
        run.stderr
    );

    // The first AddPermission is applied but its answer lost; the SDK's retry
    // then meets "already exists", as it would on real Lambda (moto would
    // store a duplicate instead).
    proxy.clear();
    proxy.add(
        Rule::new(Fault::LoseResponse)
            .for_service("lambda")
            .for_operation("AddPermission")
            .when(Nth::Nth(1)),
    );
    proxy.add(
        Rule::new(Fault::Error {
            status: 409,
            code: "ResourceConflictException".into(),
            message: "The statement id (fresh) provided already exists. Please provide a new statement id, or remove the existing statement.".into(),
        })
        .for_service("lambda")
        .for_operation("AddPermission")
        .when(Nth::Nth(2)),
    );
    work.apply().ok();
    let fresh = policy(&aws, "clash")
        .await
        .into_iter()
        .filter(|s| s["Sid"] == "fresh")
        .count();
    assert_eq!(fresh, 1, "a lost response is not a second statement");
    work.assert_no_changes();
}
