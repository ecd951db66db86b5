//! Provider-level behaviour through real terraform: configuration validation,
//! logging, functions.

use crate::support::hcl::{self, Block};
use crate::support::{plan_line, words, Harness, Workdir};

#[test]
fn provider_endpoint_that_is_not_a_url_fails_validate_naming_the_attribute() {
    let work = Workdir::new("http://127.0.0.1:9");
    let body = r#"terraform {
  required_providers {
    lambdawire = { source = "lambdawire/lambdawire" }
  }
}
provider "lambdawire" {
  region = "us-east-1"
  endpoints { iam = "not a url" }
}
resource "lambdawire_scheduled_lambda_invoker" "x" {
  function_arn        = "arn:aws:lambda:us-east-1:123456789012:function:hook"
  schedule_expression = "rate(5 minutes)"
}
"#;
    std::fs::write(work.path().join("main.tf"), body).unwrap();
    let run = work.terraform(&["validate", "-no-color"]);
    assert_eq!(run.code, 1, "{}", run.text());
    assert!(
        run.stderr.contains("endpoints.iam is not a URL"),
        "{}",
        run.text()
    );
    assert!(
        run.stderr.contains("iam = \"not a url\""),
        "points at the attribute:\n{}",
        run.text()
    );
    assert!(
        !run.stderr.contains("stack backtrace"),
        "no Rust backtrace reaches users"
    );
}

#[tokio::test(flavor = "multi_thread")]
async fn provider_log_lines_show_under_tf_log_provider() {
    let mut h = Harness::new();
    h.work.set_env("TF_LOG_PROVIDER", "DEBUG");
    let work = &h.work;
    work.write(invoker("logged"));
    let run = work.terraform(&["plan", "-no-color"]);
    assert_eq!(run.code, 0, "{}", run.text());
    assert!(
        run.stderr.lines().any(
            |l| l.contains("[DEBUG] provider.terraform-provider-lambdawire")
                && l.contains("AWS clients configured")
        ),
        "our own debug line, at its level:\n{}",
        run.stderr
    );
    // Planning asks STS for the account: that call is logged with its id.
    assert!(
        run.stderr.lines().any(|l| l.contains("AWS call answered")
            && l.contains("operation=GetCallerIdentity")
            && l.contains("request_id=")
            && !l.contains("request_id=none")),
        "every answered call is logged with its request id:\n{}",
        run.stderr
    );
    assert!(
        !run.stderr.contains("testing"),
        "credentials never appear in logs"
    );
}

#[test]
fn provider_functions_render_at_and_infer_principals() {
    let work = Workdir::new("http://127.0.0.1:9");
    let body = r#"terraform {
  required_providers {
    lambdawire = { source = "lambdawire/lambdawire" }
  }
}
output "at" { value = provider::lambdawire::at("2030-01-01T09:00:00Z", "Europe/Paris") }
output "principal" { value = provider::lambdawire::principal_for_arn("arn:aws:s3:::uploads") }
"#;
    std::fs::write(work.path().join("main.tf"), body).unwrap();
    let run = work.terraform(&["plan", "-no-color"]).ok();
    assert!(
        run.stdout
            .contains(r#"at        = "at(2030-01-01T10:00:00)""#),
        "{}",
        run.stdout
    );
    assert!(
        run.stdout.contains(r#"principal = "s3.amazonaws.com""#),
        "{}",
        run.stdout
    );

    std::fs::write(
        work.path().join("main.tf"),
        body.replace("Europe/Paris", "Mars/Base"),
    )
    .unwrap();
    let run = work.terraform(&["plan", "-no-color"]);
    assert_eq!(run.code, 1);
    assert!(run.stderr.contains("IANA time zone"), "{}", run.text());
}

/// An invoker of `hook` every five minutes, which planning alone can show.
fn invoker(name: &str) -> Block {
    hcl::invoker(name, "arn:aws:lambda:us-east-1:123456789012:function:hook")
        .label("x")
        .str("schedule_expression", "rate(5 minutes)")
}

/// With `skip_requesting_account_id`, the account is `account_id`, not the
/// one the function ARN names, and STS is never asked. A schedule invokes
/// functions of its own account only, so a function ARN of another account
/// is refused at plan, naming both accounts, with no AWS call.
#[tokio::test(flavor = "multi_thread")]
async fn provider_skip_requesting_account_id_uses_account_id_not_the_function_arn() {
    let h = Harness::with_proxy().await;
    let (proxy, work) = (h.proxy(), &h.work);
    let lines =
        "  skip_requesting_account_id = true\n  account_id                 = \"111122223333\"\n";
    work.write_with_provider_lines(lines, &invoker("other-account").render());
    let run = work.plan_text();
    assert_eq!(run.code, 1, "{}", run.text());
    assert!(
        words(&run.stderr)
            .contains("the function is in account 123456789012, not the provider's 111122223333"),
        "{}",
        run.stderr
    );
    assert_eq!(proxy.calls(), Vec::new(), "refused before any call");

    let own = hcl::invoker(
        "own-account",
        "arn:aws:lambda:us-east-1:111122223333:function:hook",
    )
    .label("x")
    .str("schedule_expression", "rate(5 minutes)");
    work.write_with_provider_lines(lines, &own.render());
    let run = work.plan_text();
    assert_eq!(run.code, 0, "{}", run.text());
    assert_eq!(
        plan_line(&run.stdout, "role_arn"),
        Some(
            r#"+ role_arn                     = "arn:aws:iam::111122223333:role/lambdawire-us-east-1-default-own-account""#
        ),
        "{}",
        run.stdout
    );
    assert!(
        run.stdout
            .contains(r#""aws:SourceAccount" = "111122223333""#),
        "the trust policy names account_id:\n{}",
        run.stdout
    );
    assert!(
        run.stdout
            .contains("arn:aws:scheduler:us-east-1:111122223333:schedule/default/own-account"),
        "{}",
        run.stdout
    );
    assert_eq!(proxy.count("sts", "GetCallerIdentity"), 0);
    let calls: Vec<String> = proxy.calls().iter().map(|c| c.operation.clone()).collect();
    assert_eq!(
        calls,
        ["GetFunctionConfiguration"],
        "planning a new invoker reads only whether its function exists"
    );
}

/// `skip_requesting_account_id` without `account_id`: the plan fails naming
/// `account_id`, before any AWS call.
#[tokio::test(flavor = "multi_thread")]
async fn provider_skip_requesting_account_id_without_account_id_fails_plan() {
    let h = Harness::with_proxy().await;
    let (proxy, work) = (h.proxy(), &h.work);
    let invoker = invoker("other-account").render();
    work.write_with_provider_lines("  skip_requesting_account_id = true\n", &invoker);
    let run = work.plan_text();
    assert_eq!(run.code, 1, "{}", run.text());
    assert!(
        run.stderr.contains("set account_id in the provider block"),
        "{}",
        run.text()
    );
    assert_eq!(proxy.calls(), Vec::new(), "no AWS call at all");

    // An account id that is not 12 digits is a validate error at its path.
    work.write_with_provider_lines(
        "  skip_requesting_account_id = true\n  account_id = \"1234\"\n",
        &invoker,
    );
    let run = work.terraform(&["validate", "-no-color"]);
    assert_eq!(run.code, 1, "{}", run.text());
    assert!(run.stderr.contains("invalid account_id"), "{}", run.text());
    assert!(
        run.stderr.contains("account_id = \"1234\""),
        "{}",
        run.text()
    );
}

/// An `assume_role.role_arn` known only after apply: the plan shows the
/// account-dependent values as known after apply and makes no AWS call (in
/// particular none with the base credentials); apply configures with the
/// known role and assumes it. Once the resource exists, an unknown
/// configuration again fails the plan's refresh, naming the argument,
/// instead of reading with other credentials.
#[tokio::test(flavor = "multi_thread")]
async fn provider_unknown_assume_role_plans_unknown_and_never_uses_base_credentials() {
    let h = Harness::with_proxy().await;
    let (proxy, work) = (h.proxy(), &h.work);
    let invoker = invoker("other-account").render();
    let body = |input: &str| {
        format!("resource \"terraform_data\" \"r\" {{\n  input = \"{input}\"\n}}\n{invoker}")
    };
    let assume = "  assume_role {\n    role_arn = terraform_data.r.output\n  }\n";
    work.write_with_provider_lines(assume, &body("arn:aws:iam::123456789012:role/x"));

    let run = work.plan_text();
    assert_eq!(run.code, 0, "{}", run.text());
    for attribute in ["role_arn", "trust_policy_json", "arn"] {
        let line = plan_line(&run.stdout, attribute);
        assert!(
            line.is_some_and(|l| l.ends_with("(known after apply)")),
            "{attribute}: {line:?}\n{}",
            run.stdout
        );
    }
    assert_eq!(
        proxy.calls(),
        Vec::new(),
        "no call with the base credentials (no GetCallerIdentity, no AssumeRole)"
    );

    work.apply().ok();
    assert!(
        proxy.count("sts", "AssumeRole") >= 1,
        "apply assumed the role: {:?}",
        proxy.calls()
    );
    let state = work.resource("lambdawire_scheduled_lambda_invoker.x");
    assert_eq!(
        state["role_arn"],
        "arn:aws:iam::123456789012:role/lambdawire-us-east-1-default-other-account"
    );
    work.assert_no_changes();

    // A new role ARN (terraform_data is replaced, its output unknown again).
    work.write_with_provider_lines(assume, &body("arn:aws:iam::123456789012:role/y"));
    let before = proxy.calls().len();
    let run = work.plan();
    assert_eq!(run.code, 1, "{}", run.text());
    assert!(
        run.stderr
            .contains("provider configuration is not known yet")
            && run.stderr.contains("assume_role.role_arn"),
        "{}",
        run.text()
    );
    assert_eq!(
        proxy.calls().len(),
        before,
        "{:?}",
        &proxy.calls()[before..]
    );

    work.write_with_provider_lines(assume, &body("arn:aws:iam::123456789012:role/x"));
    work.assert_no_changes();
    work.destroy().ok();
    h.aws.assert_nothing_left().await;
}
