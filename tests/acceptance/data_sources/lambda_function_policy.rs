//! The data source's audit (SPEC, `lambdawire_lambda_function_policy`):
//! `findings` and `size_bytes` of a real function policy in moto, and the
//! documented example that fails a plan on a high-severity finding.

use crate::support::hcl;
use crate::support::{words, Harness, Workdir, ACCOUNT};

fn outputs(work: &Workdir) -> serde_json::Value {
    let out = work.terraform(&["output", "-json"]).ok();
    serde_json::from_str(&out.stdout).expect("outputs")
}

#[tokio::test(flavor = "multi_thread")]
async fn lambda_function_policy_findings_name_each_risky_statement_and_the_example_fails_the_plan()
{
    let h = Harness::new();
    let (aws, work) = (&h.aws, &h.work);
    aws.create_function("processor").await;
    let add = |sid, principal, source_arn| {
        aws.add_permission("processor", None, sid, principal, source_arn)
    };
    add("everyone", "*", None).await;
    add("uploads", "s3.amazonaws.com", Some("arn:aws:s3:::uploads")).await;
    let rule = format!("arn:aws:events:us-east-1:{ACCOUNT}:rule/nightly");
    add("nightly", "events.amazonaws.com", Some(&rule)).await;

    work.write(format!(
        "{}{}",
        hcl::function_policy("p", "processor"),
        r#"output "findings" { value = data.lambdawire_lambda_function_policy.p.findings }
output "size" { value = data.lambdawire_lambda_function_policy.p.size_bytes }
output "policy" { value = data.lambdawire_lambda_function_policy.p.policy_json }
output "role" { value = data.lambdawire_lambda_function_policy.p.role_arn }
"#
    ));
    work.apply().ok();
    let out = outputs(work);
    // The function's execution role, as Lambda holds it.
    let role = aws.function_role_arn("processor").await;
    assert!(role.ends_with(":role/processor-exec"), "{role}");
    assert_eq!(out["role"]["value"], role.as_str());
    let found: Vec<(String, String, String)> = out["findings"]["value"]
        .as_array()
        .expect("findings")
        .iter()
        .map(|f| {
            (
                f["sid"].as_str().unwrap_or("").to_string(),
                f["severity"].as_str().unwrap_or("").to_string(),
                f["code"].as_str().unwrap_or("").to_string(),
            )
        })
        .collect();
    let expect = |sid: &str, severity: &str, code: &str| (sid.into(), severity.into(), code.into());
    assert_eq!(
        found,
        vec![
            expect("everyone", "high", "public-unscoped"),
            expect("everyone", "high", "public-invoke-without-url-condition"),
            expect("uploads", "medium", "bucket-without-source-account"),
        ],
        "the scoped events statement has none"
    );
    let policy = out["policy"]["value"].as_str().expect("policy");
    assert_eq!(out["size"]["value"], policy.len());

    // The registry example, pointed at this function: its postcondition
    // stops the plan on the high findings, naming the statement.
    let example = std::fs::read_to_string(
        std::path::Path::new(env!("CARGO_MANIFEST_DIR"))
            .join("examples/data-sources/lambdawire_lambda_function_policy/data-source.tf"),
    )
    .expect("example");
    work.write(&example);
    let run = work.plan_text();
    assert_eq!(run.code, 1, "the plan fails:\n{}", run.text());
    let text = words(&run.text());
    assert!(text.contains("Resource postcondition failed"), "{text}");
    assert!(
        text.contains("everyone: anyone may call lambda:InvokeFunction"),
        "{text}"
    );

    // Once the public grant is gone, the plan passes; the check block still
    // warns about the S3 statement without a source account.
    aws.remove_permission("processor", "everyone").await;
    let run = work.plan_text();
    assert_eq!(run.code, 0, "{}", run.text());
    let text = words(&run.text());
    assert!(text.contains("Check block assertion failed"), "{text}");
    assert!(
        text.contains("medium bucket-without-source-account"),
        "{text}"
    );
}

#[tokio::test(flavor = "multi_thread")]
async fn lambda_function_policy_a_function_without_a_policy_has_no_findings_and_size_zero() {
    let h = Harness::new();
    let (aws, work) = (&h.aws, &h.work);
    aws.create_function("bare").await;
    work.write(format!(
        "{}{}",
        hcl::function_policy("p", "bare"),
        r#"output "findings" { value = data.lambdawire_lambda_function_policy.p.findings }
output "size" { value = data.lambdawire_lambda_function_policy.p.size_bytes }
"#
    ));
    work.apply().ok();
    let out = outputs(work);
    assert_eq!(out["findings"]["value"], serde_json::json!([]));
    assert_eq!(out["size"]["value"], 0);
}

/// `(qualifier, sid)` of each statement, or `(qualifier, sid, code)` of
/// each finding, the qualifier "-" for the function's own policy.
fn named(list: &serde_json::Value, fields: &[&str]) -> Vec<Vec<String>> {
    list.as_array()
        .expect("a list")
        .iter()
        .map(|item| {
            fields
                .iter()
                .map(|f| item[*f].as_str().unwrap_or("-").to_string())
                .collect()
        })
        .collect()
}

fn row(parts: &[&str]) -> Vec<String> {
    parts.iter().map(|p| p.to_string()).collect()
}

/// Every policy of the function is audited when no qualifier is given: an
/// alias's public grant is a finding that names the alias, and each
/// statement names its alias or version; `policy_json` stays the
/// function's own. With `qualifier = "live"` only the alias's policy is
/// read.
#[tokio::test(flavor = "multi_thread")]
async fn lambda_function_policy_audits_every_alias_and_version() {
    let h = Harness::new();
    let (aws, work) = (&h.aws, &h.work);
    aws.create_function("aliased").await;
    let rule = format!("arn:aws:events:us-east-1:{ACCOUNT}:rule/nightly");
    aws.add_permission(
        "aliased",
        None,
        "nightly",
        "events.amazonaws.com",
        Some(&rule),
    )
    .await;
    // Version 1, and the alias live on it.
    aws.create_alias("aliased", "live").await;
    aws.add_permission("aliased", Some("live"), "everyone", "*", None)
        .await;
    let topic = format!("arn:aws:sns:us-east-1:{ACCOUNT}:alerts");
    aws.add_permission(
        "aliased",
        Some("1"),
        "alerts",
        "sns.amazonaws.com",
        Some(&topic),
    )
    .await;

    work.write(format!(
        "{}{}{}",
        hcl::function_policy("all", "aliased"),
        hcl::function_policy("live", "aliased").str("qualifier", "live"),
        r#"output "all" { value = data.lambdawire_lambda_function_policy.all }
output "live" { value = data.lambdawire_lambda_function_policy.live }
"#
    ));
    work.apply().ok();
    let out = outputs(work);
    let all = &out["all"]["value"];
    assert_eq!(
        named(&all["statements"], &["qualifier", "sid"]),
        [
            row(&["-", "nightly"]),
            row(&["live", "everyone"]),
            row(&["1", "alerts"])
        ]
    );
    let live_findings = [
        row(&["live", "everyone", "public-unscoped"]),
        row(&["live", "everyone", "public-invoke-without-url-condition"]),
    ];
    assert_eq!(
        named(&all["findings"], &["qualifier", "sid", "code"]),
        live_findings,
        "the function's own and version 1's statements are scoped"
    );
    let own = all["policy_json"].as_str().expect("the function's policy");
    assert!(
        own.contains("nightly") && !own.contains("everyone"),
        "{own}"
    );
    assert_eq!(all["size_bytes"], own.len());

    let live = &out["live"]["value"];
    assert_eq!(
        named(&live["statements"], &["qualifier", "sid"]),
        [row(&["live", "everyone"])]
    );
    assert_eq!(
        named(&live["findings"], &["qualifier", "sid", "code"]),
        live_findings
    );
    let shown = live["policy_json"].as_str().expect("the alias's policy");
    assert!(shown.contains(":function:aliased:live"), "{shown}");
    work.assert_no_changes();
}

/// A version past the first page of ListVersionsByFunction (50 an answer,
/// `$LATEST` first) is audited too.
#[tokio::test(flavor = "multi_thread")]
async fn lambda_function_policy_audits_versions_past_the_first_page() {
    let h = Harness::new();
    let (aws, work) = (&h.aws, &h.work);
    aws.create_function("versioned").await;
    let versions = aws.publish_versions("versioned", 51).await;
    let last = versions.last().expect("versions");
    assert_eq!(last, "51");
    aws.add_permission("versioned", Some(last), "late", "sns.amazonaws.com", None)
        .await;
    work.write(format!(
        "{}{}",
        hcl::function_policy("p", "versioned"),
        r#"output "findings" { value = data.lambdawire_lambda_function_policy.p.findings }
"#
    ));
    work.apply().ok();
    assert_eq!(
        named(
            &outputs(work)["findings"]["value"],
            &["qualifier", "sid", "code"]
        ),
        [row(&["51", "late", "service-without-source-arn"])]
    );
}

/// The statements of a policy, and of none.
#[tokio::test(flavor = "multi_thread")]
async fn lambda_function_policy_basic() {
    let h = Harness::new();
    let (aws, work) = (&h.aws, &h.work);
    aws.create_function("bare").await;
    aws.create_function("granted").await;
    aws.add_permission(
        "granted",
        None,
        "events-nightly",
        "events.amazonaws.com",
        Some("arn:aws:events:us-east-1:123456789012:rule/nightly"),
    )
    .await;
    work.write(format!(
        "{}{}{}",
        hcl::function_policy("bare", "bare"),
        hcl::function_policy("granted", "granted"),
        r#"output "bare_count" { value = length(data.lambdawire_lambda_function_policy.bare.statements) }
output "granted" { value = data.lambdawire_lambda_function_policy.granted.statements[0] }
"#
    ));
    work.apply().ok();
    let out = work.terraform(&["output", "-json"]).ok();
    let outputs: serde_json::Value = serde_json::from_str(&out.stdout).unwrap();
    assert_eq!(outputs["bare_count"]["value"], 0);
    let statement = &outputs["granted"]["value"];
    assert_eq!(statement["sid"], "events-nightly");
    assert_eq!(statement["effect"], "Allow");
    assert_eq!(statement["principal"], "events.amazonaws.com");
    assert_eq!(
        statement["source_arn"],
        "arn:aws:events:us-east-1:123456789012:rule/nightly"
    );
}
