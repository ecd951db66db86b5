//! No secret reaches a log line, the plan text or a non-sensitive state
//! attribute: a full apply, plan and destroy at `TF_LOG=TRACE` with static
//! credentials, a session token, an assume-role external id, a
//! cross-account role's external id and a write-only event-source token,
//! every output searched for each value.

use crate::support::hcl;
use crate::support::{Harness, Run, REGION};

const SECRETS: [&str; 6] = [
    "AKIALWSECRETTEST0001",
    "lambdawire-secret-key-do-not-log",
    "lambdawire-session-token-do-not-log",
    "lambdawire-external-id-do-not-log",
    "lambdawire-event-token-do-not-log",
    "lambdawire-partner-external-id-do-not-log",
];

fn config(endpoint: &str) -> String {
    let skill = format!("arn:aws:lambda:{REGION}:123456789012:function:skill");
    format!(
        r#"terraform {{
  required_providers {{
    lambdawire = {{ source = "lambdawire/lambdawire" }}
  }}
}}

provider "lambdawire" {{
  region      = "{REGION}"
  access_key  = "{}"
  secret_key  = "{}"
  token       = "{}"
  max_retries = 4
  assume_role {{
    role_arn    = "arn:aws:iam::123456789012:role/deployer"
    external_id = "{}"
  }}
  endpoints {{
    iam       = "{endpoint}"
    lambda    = "{endpoint}"
    scheduler = "{endpoint}"
    sts       = "{endpoint}"
  }}
}}

{}
{}
{}"#,
        SECRETS[0],
        SECRETS[1],
        SECRETS[2],
        SECRETS[3],
        hcl::permission("alexa", "skill", "alexa")
            .str("principal", "alexa-appkit.amazon.com")
            .str("event_source_token_wo", SECRETS[4])
            .expr("event_source_token_wo_version", "1"),
        hcl::cross_account_role(&[&skill])
            .expr("trusted_principals", &hcl::list(&["987654321098"]))
            .str("external_id", SECRETS[5]),
        hcl::invoker("secretive", &skill).label("job"),
    )
}

#[track_caller]
fn assert_clean(what: &str, run: &Run) {
    assert_eq!(run.code, 0, "{what} failed:\n{}", run.text());
    for secret in SECRETS {
        let leaks: Vec<&str> = run
            .stdout
            .lines()
            .chain(run.stderr.lines())
            .filter(|l| l.contains(secret))
            .collect();
        assert!(
            leaks.is_empty(),
            "{what}: {secret} appears in terraform's output or the TRACE log:\n{}",
            leaks.join("\n")
        );
    }
}

#[tokio::test(flavor = "multi_thread")]
async fn no_secret_in_logs_plan_or_state_at_trace() {
    let mut h = Harness::new();
    h.work.set_env("TF_LOG", "TRACE");
    let (aws, work) = (&h.aws, &h.work);
    aws.create_function("skill").await;
    // The environment's credentials are not the provider block's: the block
    // wins, and only its values are secret here.
    std::fs::write(work.path().join("main.tf"), config(&h.moto.url())).expect("write main.tf");

    let apply = work.apply();
    assert_clean("apply", &apply);
    assert!(
        apply.stderr.contains("AWS call answered"),
        "the provider's TRACE log was captured (else this test proves nothing)"
    );
    assert!(
        aws.statement("skill", "alexa").await.is_some(),
        "the grant exists"
    );
    let mut external_id_in_iam = false;
    for role in aws.roles_with_prefix("").await {
        let trust = aws.trust_policy(&role).await.unwrap_or_default();
        external_id_in_iam |= trust.contains(SECRETS[5]);
    }
    assert!(
        external_id_in_iam,
        "the cross-account role's external id reached IAM (else its absence proves nothing)"
    );
    let plan = work.plan();
    assert_clean("plan", &plan);
    // `show -json` prints sensitive values in full, by design: a secret may
    // stand only where `sensitive_values` marks the attribute.
    let shown = work.terraform(&["show", "-json"]);
    assert_eq!(shown.code, 0, "show -json:\n{}", shown.text());
    let state: serde_json::Value = serde_json::from_str(&shown.stdout).expect("state JSON");
    let mut sensitive_secrets = 0;
    for r in state["values"]["root_module"]["resources"]
        .as_array()
        .expect("resources")
    {
        let mut found = Vec::new();
        secret_leaves(&r["values"], &r["sensitive_values"], "", &mut found);
        for (path, sensitive) in found {
            assert!(
                sensitive,
                "a secret is in {}{path}, which is not sensitive",
                r["address"]
            );
            sensitive_secrets += 1;
        }
    }
    assert_eq!(
        sensitive_secrets, 1,
        "only the cross-account role's external_id (sensitive) holds a secret in state"
    );
    let raw = std::fs::read_to_string(work.path().join("terraform.tfstate")).expect("state");
    for secret in SECRETS.iter().filter(|s| **s != SECRETS[5]) {
        assert!(!raw.contains(secret), "{secret} is in the state file");
    }
    assert_clean("destroy", &work.destroy());
}

/// The paths of the string leaves of `values` that hold one of [`SECRETS`],
/// each with whether `sensitive` (the `sensitive_values` mirror of
/// `values`) marks it or one of its parents.
fn secret_leaves(
    values: &serde_json::Value,
    sensitive: &serde_json::Value,
    path: &str,
    found: &mut Vec<(String, bool)>,
) {
    if sensitive == &serde_json::Value::Bool(true) {
        if SECRETS.iter().any(|s| values.to_string().contains(s)) {
            found.push((path.to_string(), true));
        }
        return;
    }
    match values {
        serde_json::Value::String(text) if SECRETS.iter().any(|s| text.contains(s)) => {
            found.push((path.to_string(), false));
        }
        serde_json::Value::Array(items) => {
            for (i, item) in items.iter().enumerate() {
                secret_leaves(item, &sensitive[i], &format!("{path}[{i}]"), found);
            }
        }
        serde_json::Value::Object(fields) => {
            for (key, value) in fields {
                secret_leaves(value, &sensitive[key], &format!("{path}.{key}"), found);
            }
        }
        _ => {}
    }
}

/// An imported event-source token never reaches state: the statement holds
/// it, import reads the statement, and the state file has no trace of it.
/// The configuration then supplies it, write-only, with one update.
#[tokio::test(flavor = "multi_thread")]
async fn an_imported_event_source_token_is_never_written_to_state() {
    let h = Harness::new();
    let (aws, work) = (&h.aws, &h.work);
    aws.create_function("skill").await;
    let token = SECRETS[4];
    work.write(
        hcl::permission("alexa", "skill", "alexa")
            .str("principal", "alexa-appkit.amazon.com")
            .str("event_source_token_wo", token)
            .expr("event_source_token_wo_version", "1"),
    );
    work.apply().ok();
    let stored = aws.statement("skill", "alexa").await.expect("statement");
    assert!(
        stored.to_string().contains(token),
        "Lambda holds the token (else its absence from state proves nothing): {stored}"
    );
    work.state_rm("lambdawire_lambda_invoke_permission.alexa")
        .ok();
    let run = work.import("lambdawire_lambda_invoke_permission.alexa", "skill/alexa");
    assert_clean("import", &run);
    let state = std::fs::read_to_string(work.path().join("terraform.tfstate")).expect("state");
    assert!(!state.contains(token), "the token is in the state file");
    let plan = work.plan();
    assert_eq!(
        plan.code,
        2,
        "one update: the version is not in state\n{}",
        plan.text()
    );
    assert!(!plan.text().contains(token));
    let apply = work.apply();
    assert_clean("apply", &apply);
    let state = std::fs::read_to_string(work.path().join("terraform.tfstate")).expect("state");
    assert!(!state.contains(token), "the token is in the state file");
    work.assert_no_changes();
    work.destroy().ok();
}
