//! No secret reaches a log line, the plan text or a non-sensitive state
//! attribute: a full apply, plan and destroy at `TF_LOG=TRACE` with static
//! credentials, a session token, an assume-role external id and a
//! write-only event-source token, every output searched for each value.

use crate::support::{Aws, Moto, Run, Workdir, REGION};

const SECRETS: [&str; 5] = [
    "AKIALWSECRETTEST0001",
    "lambdawire-secret-key-do-not-log",
    "lambdawire-session-token-do-not-log",
    "lambdawire-external-id-do-not-log",
    "lambdawire-event-token-do-not-log",
];

fn config(endpoint: &str) -> String {
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

resource "lambdawire_lambda_invoke_permission" "alexa" {{
  function_name                 = "skill"
  statement_id                  = "alexa"
  principal                     = "alexa-appkit.amazon.com"
  event_source_token_wo         = "{}"
  event_source_token_wo_version = 1
}}

resource "lambdawire_scheduled_lambda_invoker" "job" {{
  name                = "secretive"
  function_arn        = "arn:aws:lambda:{REGION}:123456789012:function:skill"
  schedule_expression = "rate(1 hour)"
}}
"#,
        SECRETS[0], SECRETS[1], SECRETS[2], SECRETS[3], SECRETS[4]
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
    let moto = Moto::start();
    let aws = Aws::new(&moto);
    aws.create_function("skill").await;
    let mut work = Workdir::new(&moto.url());
    work.set_env("TF_LOG", "TRACE");
    // The environment's credentials are not the provider block's: the block
    // wins, and only its values are secret here.
    std::fs::write(work.path().join("main.tf"), config(&moto.url())).expect("write main.tf");

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
    let plan = work.plan();
    assert_clean("plan", &plan);
    let shown = work.terraform(&["show", "-json"]);
    assert_clean("show -json", &shown);
    let state = std::fs::read_to_string(work.path().join("terraform.tfstate")).expect("state");
    for secret in SECRETS {
        assert!(!state.contains(secret), "{secret} is in the state file");
    }
    assert_clean("destroy", &work.destroy());
}
