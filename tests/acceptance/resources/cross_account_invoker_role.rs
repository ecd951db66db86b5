//! `lambdawire_cross_account_invoker_role`: create, update in place, drift,
//! disappears, import, destroy and bad inputs, each checked in IAM; the
//! external id reaches IAM and nothing Terraform shows or logs.

use crate::support::hcl::{self, Block};
use crate::support::{json, Harness, Run, Workdir, ACCOUNT};

const ADDRESS: &str = "lambdawire_cross_account_invoker_role.partner";
const ROLE: &str = "partner-invoker";
const SECRET: &str = "xacct-s3cret-4f9a";
const PARTNER_ROLE: &str = "arn:aws:iam::987654321098:role/CallerRole";
const PARTNER_ACCOUNT: &str = "555555555555";

fn body(functions: &[&str], external_id: &str) -> Block {
    hcl::cross_account_role(functions)
        .expr(
            "trusted_principals",
            &hcl::list(&[PARTNER_ROLE, PARTNER_ACCOUNT]),
        )
        .str("external_id", external_id)
        .str("principal_org_id", "o-a1b2c3d4e5")
        .role_name(ROLE)
}

/// Nothing terraform printed (plan, apply, the provider's TRACE log) holds
/// the external id.
#[track_caller]
fn shows_no_secret(run: Run) -> Run {
    assert!(
        !run.stdout.contains(SECRET) && !run.stderr.contains(SECRET),
        "the external id was shown:\n{}",
        run.text()
    );
    run
}

/// In `terraform show -json`, the external id is only in the sensitive
/// `external_id`; `trust_policy_json` shows it redacted.
fn state_holds_the_secret_only_where_sensitive(work: &Workdir) {
    let run = work.terraform(&["show", "-json"]).ok();
    let state = json(&run.stdout);
    let resource = state["values"]["root_module"]["resources"]
        .as_array()
        .and_then(|all| all.iter().find(|r| r["address"] == ADDRESS))
        .expect("resource in state")
        .clone();
    assert_eq!(resource["sensitive_values"]["external_id"], true);
    let mut values = resource["values"].clone();
    let shown = values["trust_policy_json"].as_str().unwrap_or_default();
    assert!(
        shown.contains(r#""sts:ExternalId":"(sensitive)""#),
        "{shown}"
    );
    values
        .as_object_mut()
        .expect("values")
        .remove("external_id");
    assert!(
        !values.to_string().contains(SECRET),
        "a non-sensitive attribute holds the external id: {values}"
    );
}

#[tokio::test(flavor = "multi_thread")]
async fn cross_account_invoker_role_lifecycle_keeps_the_external_id_in_iam_only() {
    let mut h = Harness::new();
    h.work.set_env("TF_LOG_PROVIDER", "TRACE");
    let (aws, work) = (&h.aws, &h.work);
    let auth = aws.create_function("auth").await;
    let report = aws.create_function("report").await;

    // Create.
    work.write(body(&[&auth], SECRET).expr("max_session_duration", "7200"));
    let plan = shows_no_secret(work.plan_text().ok());
    assert!(plan.stdout.contains("(sensitive value)"), "{}", plan.stdout);
    shows_no_secret(work.apply().ok());
    let role = aws.role(ROLE).await;
    assert_eq!(role.max_session_duration(), Some(7200));
    let trust = json(&aws.trust_policy(ROLE).await.expect("trust"));
    let statement = &trust["Statement"][0];
    assert_eq!(statement["Action"], "sts:AssumeRole");
    assert_eq!(
        statement["Principal"]["AWS"],
        serde_json::json!([PARTNER_ROLE, format!("arn:aws:iam::{PARTNER_ACCOUNT}:root")])
    );
    assert_eq!(
        statement["Condition"]["StringEquals"],
        serde_json::json!({"sts:ExternalId": SECRET, "aws:PrincipalOrgID": "o-a1b2c3d4e5"}),
        "IAM holds the external id itself"
    );
    let policy = json(
        &aws.role_policy(ROLE, "lambdawire-invoke")
            .await
            .expect("policy"),
    );
    assert_eq!(
        policy["Statement"],
        serde_json::json!([{
            "Sid": "InvokeTargetFunction",
            "Effect": "Allow",
            "Action": "lambda:InvokeFunction",
            "Resource": [auth.clone(), format!("{auth}:*")],
        }])
    );
    state_holds_the_secret_only_where_sensitive(work);
    shows_no_secret(work.plan()).ok();
    work.assert_no_changes();

    // Update in place: another function, a new external id, the default
    // session duration.
    const ROTATED: &str = "xacct-rotated-77c1";
    let role_id = role.role_id().to_string();
    work.write(body(&[&auth, &report], ROTATED));
    let plan = work.plan_text().ok();
    assert!(
        plan.stdout.contains("0 to add, 1 to change, 0 to destroy"),
        "{}",
        plan.stdout
    );
    assert!(!plan.stdout.contains(ROTATED), "{}", plan.stdout);
    work.apply().ok();
    let role = aws.role(ROLE).await;
    assert_eq!(role.role_id(), role_id, "updated, not replaced");
    assert_eq!(role.max_session_duration(), Some(3600));
    let trust = aws.trust_policy(ROLE).await.expect("trust");
    assert!(
        trust.contains(ROTATED) && !trust.contains(SECRET),
        "{trust}"
    );
    let policy = aws.role_policy(ROLE, "lambdawire-invoke").await.unwrap();
    assert!(policy.contains(&report), "{policy}");
    work.assert_no_changes();

    // Drift: the external id and the session duration changed out of band.
    work.write(body(&[&auth, &report], SECRET));
    work.apply().ok();
    let drifted = aws
        .trust_policy(ROLE)
        .await
        .expect("trust")
        .replace(SECRET, "other-id");
    aws.update_trust_policy(ROLE, &drifted).await;
    assert_eq!(
        shows_no_secret(work.plan()).code,
        2,
        "a changed external id is drift"
    );
    work.apply().ok();
    let trust = aws.trust_policy(ROLE).await.expect("trust");
    assert!(
        trust.contains(SECRET) && !trust.contains("other-id"),
        "{trust}"
    );
    work.assert_no_changes();
    aws.set_max_session_duration(ROLE, 10800).await;
    let plan = work.plan();
    assert_eq!(
        plan.code,
        2,
        "a changed duration is drift:\n{}",
        plan.text()
    );
    work.apply().ok();
    assert_eq!(aws.role(ROLE).await.max_session_duration(), Some(3600));
    work.assert_no_changes();

    // Disappears: deleted out of band, planned anew and created again.
    aws.delete_role_with_policies(ROLE).await;
    let plan = work.plan_text().ok();
    assert!(
        plan.stdout.contains("1 to add, 0 to change, 0 to destroy"),
        "{}",
        plan.stdout
    );
    work.apply().ok();
    assert!(aws.role_exists(ROLE).await);
    work.assert_no_changes();

    // Import by role name: no change, although the configuration's
    // external id is sensitive and IAM's trust holds it in clear.
    work.state_rm(ADDRESS).ok();
    shows_no_secret(work.import(ADDRESS, ROLE).ok());
    state_holds_the_secret_only_where_sensitive(work);
    work.assert_no_changes();

    // Destroy: nothing left.
    shows_no_secret(work.destroy().ok());
    assert!(!aws.role_exists(ROLE).await);
    aws.assert_nothing_left().await;
}

#[tokio::test(flavor = "multi_thread")]
async fn cross_account_invoker_role_refuses_bad_inputs_before_any_aws_call() {
    let h = Harness::new();
    let (aws, work) = (&h.aws, &h.work);
    let function = format!("arn:aws:lambda:us-east-1:{ACCOUNT}:function:auth");
    let cases = [
        (
            r#"trusted_principals = ["*"]"#.to_string(),
            "invalid trusted_principals element",
        ),
        (
            format!(r#"trusted_principals = ["{ACCOUNT}"]"#),
            "own account",
        ),
        (
            format!(r#"trusted_principals = ["arn:aws:iam::{ACCOUNT}:role/Local"]"#),
            "own account",
        ),
        (
            "trusted_principals = []".to_string(),
            "trusted_principals is empty",
        ),
        (
            // From a sensitive variable, as a user keeps it: Terraform then
            // quotes no value in the diagnostic's source snippet.
            format!(
                r#"trusted_principals = ["{PARTNER_ROLE}"]
  external_id = var.partner_external_id
}}

variable "partner_external_id" {{
  type      = string
  sensitive = true
  default   = "no spaces {SECRET}""#
            ),
            "invalid external_id",
        ),
        (
            format!(
                r#"trusted_principals = ["{PARTNER_ROLE}"]
  max_session_duration = 60"#
            ),
            "invalid max_session_duration",
        ),
    ];
    for (arguments, expected) in cases {
        work.write(format!(
            r#"resource "lambdawire_cross_account_invoker_role" "bad" {{
  function_arns = ["{function}"]
  {arguments}
}}
"#
        ));
        let run = shows_no_secret(work.plan());
        assert_eq!(run.code, 1, "{arguments}:\n{}", run.text());
        assert!(
            run.stderr.contains(expected),
            "{arguments}:\n{}",
            run.text()
        );
    }
    assert!(aws.roles_with_prefix("").await.is_empty(), "no role made");
}
