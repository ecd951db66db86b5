//! `examples/dynamic-one-time-schedules` as a user runs it, against moto:
//! build the zip, apply the example (hashicorp/aws and lambdawire), let the
//! application script create a one-time schedule from the outputs, and check
//! the schedule Scheduler holds. Its Python unit tests run here too.

use std::path::{Path, PathBuf};
use std::process::Command;

use crate::support::{json, Harness, ACCOUNT, REGION};

fn example() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("examples/dynamic-one-time-schedules")
}

/// `LAMBDAWIRE_PYTHON` (scripts/setup's python with boto3), else `python3`.
fn python() -> Command {
    Command::new(std::env::var("LAMBDAWIRE_PYTHON").unwrap_or_else(|_| "python3".into()))
}

#[track_caller]
fn succeeded(what: &str, output: std::process::Output) -> String {
    let stdout = String::from_utf8_lossy(&output.stdout).into_owned();
    assert!(
        output.status.success(),
        "{what} failed ({}):\n--- stdout\n{stdout}\n--- stderr\n{}",
        output.status,
        String::from_utf8_lossy(&output.stderr)
    );
    stdout
}

/// Copy the example's files (not a local build/, state or .terraform).
fn copy_example(to: &Path) {
    for file in ["main.tf", "variables.tf", "outputs.tf", "build.sh"] {
        std::fs::copy(example().join(file), to.join(file)).expect("copy example file");
    }
    for dir in ["function", "app"] {
        std::fs::create_dir_all(to.join(dir)).expect("mkdir");
        for entry in std::fs::read_dir(example().join(dir)).expect("read example dir") {
            let path = entry.expect("entry").path();
            if path.extension().is_some_and(|e| e == "py") {
                std::fs::copy(&path, to.join(dir).join(path.file_name().expect("name")))
                    .expect("copy example file");
            }
        }
    }
}

/// Both providers pointed at moto, as an override file: the example's own
/// provider blocks stay what a user applies against AWS.
fn moto_override(endpoint: &str) -> String {
    format!(
        r#"provider "lambdawire" {{
  max_retries = 4
  endpoints {{
    iam       = "{endpoint}"
    lambda    = "{endpoint}"
    scheduler = "{endpoint}"
    sts       = "{endpoint}"
  }}
}}

provider "aws" {{
  access_key                  = "testing"
  secret_key                  = "testing"
  skip_credentials_validation = true
  skip_requesting_account_id  = true
  skip_metadata_api_check     = true
  endpoints {{
    iam       = "{endpoint}"
    lambda    = "{endpoint}"
    scheduler = "{endpoint}"
    sts       = "{endpoint}"
  }}
}}
"#
    )
}

#[tokio::test(flavor = "multi_thread")]
async fn the_application_creates_a_one_time_schedule_on_the_deployed_role() {
    let h = Harness::with_hashicorp_aws();
    let (aws, work, moto) = (&h.aws, &h.work, &h.moto);
    copy_example(work.path());
    std::fs::write(
        work.path().join("moto_override.tf"),
        moto_override(&moto.url()),
    )
    .expect("write override");
    succeeded(
        "build.sh",
        Command::new("bash")
            .arg(work.path().join("build.sh"))
            .output()
            .expect("bash"),
    );
    work.apply().ok();

    let outputs = json(
        &work
            .terraform(&["output", "-json", "-no-color"])
            .ok()
            .stdout,
    );
    let function_arn = outputs["function_arn"]["value"]
        .as_str()
        .expect("function_arn");
    let role_arn = outputs["scheduler_role_arn"]["value"]
        .as_str()
        .expect("role arn");
    let group = outputs["schedule_group"]["value"].as_str().expect("group");
    assert_eq!(
        function_arn,
        format!("arn:aws:lambda:{REGION}:{ACCOUNT}:function:one-time-callback")
    );
    assert_eq!(group, "one-time-callbacks");

    // The script finds the deployment with `terraform output -json` in the
    // example's directory (its default) and calls Scheduler through boto3.
    let created = succeeded(
        "schedule_once.py",
        python()
            .arg(work.path().join("app/schedule_once.py"))
            .args(["--name", "order-42-reminder"])
            .args(["--at", "2035-06-01T09:30:00+02:00"])
            .args(["--timezone", "Europe/Paris"])
            .args(["--url", "https://example.com/hooks/42?src=scheduler"])
            .args(["--payload", r#"{"order": 42, "note": "<ready>"}"#])
            .env("AWS_ENDPOINT_URL", moto.url())
            .env("AWS_ACCESS_KEY_ID", "testing")
            .env("AWS_SECRET_ACCESS_KEY", "testing")
            .env("AWS_DEFAULT_REGION", REGION)
            .env("CHECKPOINT_DISABLE", "1")
            .env_remove("FUNCTION_ARN")
            .env_remove("SCHEDULER_ROLE_ARN")
            .env_remove("SCHEDULE_GROUP")
            .output()
            .expect("python3"),
    );
    assert_eq!(
        created.trim(),
        format!("arn:aws:scheduler:{REGION}:{ACCOUNT}:schedule/{group}/order-42-reminder")
    );

    let schedule = aws
        .schedule(group, "order-42-reminder")
        .await
        .expect("the schedule is in the example's group");
    assert_eq!(
        schedule.schedule_expression(),
        Some("at(2035-06-01T09:30:00)")
    );
    assert_eq!(
        schedule.schedule_expression_timezone(),
        Some("Europe/Paris")
    );
    assert_eq!(
        schedule.action_after_completion().map(|a| a.as_str()),
        Some("DELETE")
    );
    assert_eq!(
        schedule.flexible_time_window().map(|w| w.mode().as_str()),
        Some("OFF")
    );
    let target = schedule.target().expect("target");
    assert_eq!(target.arn(), function_arn);
    assert_eq!(target.role_arn(), role_arn);
    let input = target.input().expect("input");
    assert_eq!(
        json(input),
        serde_json::json!({
            "url": "https://example.com/hooks/42?src=scheduler",
            "payload": { "order": 42, "note": "<ready>" },
            "scheduled_time": "<aws.scheduler.scheduled-time>",
        })
    );
    assert!(
        input.contains(r#""<aws.scheduler.scheduled-time>""#),
        "the placeholder is sent literally: {input}"
    );

    // Only schedules of the example's group may assume the role.
    let role_name = role_arn.rsplit('/').next().expect("role name");
    let trust = json(&aws.trust_policy(role_name).await.expect("trust policy"));
    assert_eq!(
        trust["Statement"][0]["Condition"]["ArnEquals"]["aws:SourceArn"],
        format!("arn:aws:scheduler:{REGION}:{ACCOUNT}:schedule-group/{group}")
    );

    // The application's role holds exactly the scheduler role's creator
    // policy, which allows the call the script made and nothing wider.
    let app_role = outputs["app_role_arn"]["value"].as_str().expect("app role");
    let app_role = app_role.rsplit('/').next().expect("app role name");
    let creator = work.resource("lambdawire_scheduler_invoke_role.callbacks")
        ["creator_policy_json"]
        .as_str()
        .expect("creator policy")
        .to_string();
    let held = aws
        .role_policy(app_role, "create-one-time-schedules")
        .await
        .expect("the app role's policy");
    assert_eq!(json(&held), json(&creator), "exactly the creator policy");
    let creator = json(&creator);
    assert_eq!(
        creator["Statement"][0]["Resource"],
        format!("arn:aws:scheduler:{REGION}:{ACCOUNT}:schedule/{group}/*"),
        "the group's schedules, where the script created order-42-reminder"
    );
    assert_eq!(
        creator["Statement"][1]["Resource"], role_arn,
        "PassRole of this role"
    );
    assert_eq!(
        creator["Statement"][1]["Condition"]["StringEquals"]["iam:PassedToService"],
        "scheduler.amazonaws.com"
    );

    // The application's schedule is not Terraform's: remove it as the
    // application would (or as Scheduler does after it ran), then destroy.
    aws.delete_schedule(group, "order-42-reminder").await;
    work.destroy().ok();
    aws.assert_nothing_left().await;
    assert!(
        !aws.function_exists("one-time-callback").await,
        "the function is gone"
    );
    let names = aws.schedule_group_names().await;
    assert!(
        !names.iter().any(|name| name == group),
        "the group is gone: {names:?}"
    );
}

/// The example's Python unit tests: the function against a loopback HTTP
/// server, the script's input checks. `-B`: no __pycache__ in the repository.
#[test]
fn the_example_s_python_unit_tests_pass() {
    for dir in ["function", "app"] {
        succeeded(
            &format!("python3 -m unittest in {dir}/"),
            python()
                .args(["-B", "-m", "unittest", "-v"])
                .current_dir(example().join(dir))
                .output()
                .expect("python3"),
        );
    }
}
