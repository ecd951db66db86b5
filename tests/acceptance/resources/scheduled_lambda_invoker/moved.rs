//! `moved` from hashicorp/aws's `aws_scheduler_schedule` to
//! `lambdawire_scheduled_lambda_invoker`, with the real hashicorp/aws: the
//! move writes nothing to AWS and the next plan is empty.

use crate::support::{words, Aws, Harness};

const ROLE: &str = "moved-scheduler-role";

/// The role and policy both configurations keep, made with hashicorp/aws.
fn role(function: &str) -> String {
    format!(
        r#"resource "aws_iam_role" "x" {{
  name = "{ROLE}"
  assume_role_policy = jsonencode({{
    Version   = "2012-10-17"
    Statement = [{{ Effect = "Allow", Principal = {{ Service = "scheduler.amazonaws.com" }}, Action = "sts:AssumeRole" }}]
  }})
}}

resource "aws_iam_role_policy" "x" {{
  role = aws_iam_role.x.id
  name = "invoke"
  policy = jsonencode({{
    Version   = "2012-10-17"
    Statement = [{{ Effect = "Allow", Action = "lambda:InvokeFunction", Resource = ["{function}", "{function}:*"] }}]
  }})
}}
"#
    )
}

fn aws_schedule(function: &str) -> String {
    format!(
        r#"resource "aws_scheduler_schedule" "x" {{
  name                         = "moved"
  schedule_expression          = "cron(0 3 * * ? *)"
  schedule_expression_timezone = "Europe/Paris"
  description                  = "moved from hashicorp/aws"

  flexible_time_window {{
    mode                      = "FLEXIBLE"
    maximum_window_in_minutes = 15
  }}

  target {{
    arn      = "{function}"
    role_arn = aws_iam_role.x.arn
    input    = jsonencode({{ job = "nightly" }})
    retry_policy {{
      maximum_event_age_in_seconds = 3600
      maximum_retry_attempts       = 3
    }}
  }}
}}
"#
    )
}

fn invoker(function: &str) -> String {
    format!(
        r#"moved {{
  from = aws_scheduler_schedule.x
  to   = lambdawire_scheduled_lambda_invoker.x
}}

resource "lambdawire_scheduled_lambda_invoker" "x" {{
  name                         = "moved"
  function_arn                 = "{function}"
  schedule_expression          = "cron(0 3 * * ? *)"
  schedule_expression_timezone = "Europe/Paris"
  description                  = "moved from hashicorp/aws"
  flexible_window_minutes      = 15
  input                        = jsonencode({{ job = "nightly" }})
  existing_role_arn            = aws_iam_role.x.arn

  retry_policy {{
    maximum_event_age_in_seconds = 3600
    maximum_retry_attempts       = 3
  }}
}}
"#
    )
}

/// What the schedule is, as Scheduler reports it (request id left out).
async fn snapshot(aws: &Aws) -> String {
    let s = aws.schedule("default", "moved").await.expect("schedule");
    format!(
        "{:?} {:?} {:?} {:?} {:?} {:?} {:?}",
        s.schedule_expression(),
        s.schedule_expression_timezone(),
        s.description(),
        s.flexible_time_window(),
        s.target(),
        s.state(),
        s.last_modification_date()
    )
}

/// An operation that changes something.
fn mutating(operation: &str) -> bool {
    [
        "Create", "Update", "Delete", "Put", "Tag", "Untag", "Attach", "Detach", "Add", "Remove",
    ]
    .iter()
    .any(|verb| operation.starts_with(verb))
}

#[tokio::test(flavor = "multi_thread")]
async fn scheduled_lambda_invoker_moved_from_aws_scheduler_schedule_writes_nothing_and_plans_no_change(
) {
    // lambdawire goes through the proxy, which counts its calls;
    // hashicorp/aws goes straight to moto.
    let h = Harness::with_proxy_and_hashicorp_aws_at_moto().await;
    let (aws, proxy, work) = (&h.aws, h.proxy(), &h.work);
    let function = aws.create_function("hook").await;
    work.write_with_aws(&format!("{}\n{}", role(&function), aws_schedule(&function)));
    work.apply().ok();
    let before = snapshot(aws).await;

    work.write_with_aws(&format!("{}\n{}", role(&function), invoker(&function)));
    let counted = proxy.calls().len();
    let run = work.apply().ok();
    assert!(
        run.stdout.contains("0 added, 0 changed, 0 destroyed"),
        "the move changes nothing:\n{}",
        run.text()
    );
    let writes: Vec<_> = proxy.calls()[counted..]
        .iter()
        .filter(|c| (c.service == "scheduler" || c.service == "iam") && mutating(&c.operation))
        .map(|c| format!("{}:{}", c.service, c.operation))
        .collect();
    assert!(writes.is_empty(), "lambdawire wrote to AWS: {writes:?}");
    assert_eq!(snapshot(aws).await, before, "the schedule is unchanged");

    let state = work.resource("lambdawire_scheduled_lambda_invoker.x");
    assert_eq!(
        state["existing_role_arn"],
        format!("arn:aws:iam::{}:role/{ROLE}", crate::support::ACCOUNT)
    );
    assert_eq!(state["role_managed"], false);
    assert_eq!(state["id"], "default/moved");
    assert!(work.resource("aws_scheduler_schedule.x").is_null());
    work.assert_no_changes();

    work.destroy().ok();
    assert!(aws.schedule_names().await.is_empty());
    assert!(
        !aws.role_exists(ROLE).await,
        "hashicorp/aws deleted its role"
    );
}

#[tokio::test(flavor = "multi_thread")]
async fn scheduled_lambda_invoker_moved_from_an_unsupported_type_is_a_clear_error() {
    let h = Harness::with_hashicorp_aws();
    let (aws, work) = (&h.aws, &h.work);
    let function = aws.create_function("hook").await;
    work.write_with_aws(&role(&function));
    work.apply().ok();

    work.write_with_aws(&format!(
        r#"moved {{
  from = aws_iam_role_policy.x
  to   = lambdawire_scheduled_lambda_invoker.x
}}

resource "aws_iam_role" "x" {{
  name               = "{ROLE}"
  assume_role_policy = aws_iam_role.x.assume_role_policy
}}

resource "lambdawire_scheduled_lambda_invoker" "x" {{
  name                = "moved"
  function_arn        = "{function}"
  schedule_expression = "rate(1 hour)"
  existing_role_arn   = aws_iam_role.x.arn
}}
"#
    ));
    let run = work.plan();
    assert_eq!(run.code, 1, "the move is refused:\n{}", run.text());
    // Terraform wraps diagnostic text at 78 columns.
    let stderr = words(&run.stderr);
    assert!(
        stderr.contains("cannot move aws_iam_role_policy to lambdawire_scheduled_lambda_invoker")
            && stderr.contains("only from aws_scheduler_schedule of hashicorp/aws"),
        "the error says what is accepted:\n{}",
        run.stderr
    );
    assert!(aws.schedule_names().await.is_empty(), "nothing was created");
}
