//! ARNs that grant more than they name (issue 8 point 4), through real
//! terraform: each fails `terraform plan` with its diagnostic on the
//! attribute that holds it, and no AWS call is made for any of them.

use crate::support::{json, Harness, ACCOUNT};

/// One bad configuration: the resource block, the diagnostic's summary, and
/// the source line Terraform prints under it (which shows that the
/// diagnostic carries the attribute's path).
struct Case {
    body: String,
    summary: &'static str,
    line: String,
}

fn invoker(line: &str) -> String {
    format!(
        r#"resource "lambdawire_scheduled_lambda_invoker" "bad" {{
  name = "bad"
  schedule_expression = "rate(1 hour)"
  {line}
}}
"#
    )
}

fn execution_role(line: &str) -> String {
    format!(
        r#"resource "lambdawire_lambda_execution_role" "bad" {{
  function_name = "processor"
  {line}
}}
"#
    )
}

fn cases() -> Vec<Case> {
    let function = format!("arn:aws:lambda:us-east-1:{ACCOUNT}:function:hook");
    let case = |body: String, summary, line: String| Case {
        body,
        summary,
        line,
    };
    let every_region = format!(r#"function_arn = "arn:aws:lambda:*:{ACCOUNT}:function:f""#);
    let any_queue = format!(r#"dead_letter_arn = "arn:aws:sqs:*:{ACCOUNT}:dlq""#);
    let any_topic = r#"source_arn = "arn:aws:sns:*:*:topic""#.to_string();
    let any_bucket = r#"s3_read_arns = ["arn:aws:s3:::*"]"#.to_string();
    let any_queues = r#"sqs_queue_arns = ["arn:aws:sqs:*:*:*"]"#.to_string();
    let secrets =
        format!(r#"secret_arns = ["arn:aws:secretsmanager:us-east-1:{ACCOUNT}:secret:db-*"]"#);
    let every_action = r#"dynamodb_actions = ["*"]"#.to_string();
    let spaced_star = r#"resources = [" * "]"#.to_string();
    vec![
        case(
            invoker(&every_region),
            "invalid function_arn",
            every_region.clone(),
        ),
        case(
            invoker(&format!("function_arn = \"{function}\"\n  {any_queue}")),
            "invalid dead_letter_arn",
            any_queue.clone(),
        ),
        case(
            format!(
                r#"resource "lambdawire_lambda_invoke_permission" "bad" {{
  function_name = "processor"
  statement_id = "bad"
  {any_topic}
}}
"#
            ),
            "source_arn scopes nothing",
            any_topic.clone(),
        ),
        case(
            execution_role(&any_bucket),
            "invalid s3_read_arns element",
            any_bucket.clone(),
        ),
        case(
            execution_role(&any_queues),
            "invalid sqs_queue_arns element",
            any_queues.clone(),
        ),
        case(
            execution_role(&secrets),
            "invalid secret_arns element",
            secrets.clone(),
        ),
        case(
            execution_role(&format!(
                "dynamodb_table_arns = [\"arn:aws:dynamodb:us-east-1:{ACCOUNT}:table/orders\"]\n  {every_action}"
            )),
            "invalid dynamodb_actions element",
            every_action.clone(),
        ),
        case(
            execution_role(&format!(
                "statement {{\n    actions = [\"xray:PutTraceSegments\"]\n    {spaced_star}\n  }}"
            )),
            "invalid resource",
            spaced_star.clone(),
        ),
    ]
}

#[tokio::test(flavor = "multi_thread")]
async fn wildcard_arns_fail_at_plan_on_their_attribute_without_aws_calls() {
    let h = Harness::with_proxy().await;
    let (aws, proxy, work) = (&h.aws, h.proxy(), &h.work);
    aws.create_function("processor").await;
    for Case {
        body,
        summary,
        line,
    } in cases()
    {
        work.write(&body);
        let plan = work.plan();
        assert_eq!(plan.code, 1, "{line}: {}", plan.text());
        assert!(
            plan.stderr.contains(&format!("Error: {summary}")),
            "{line}: summary {summary:?} expected:\n{}",
            plan.stderr
        );
        assert!(
            plan.stderr.contains(&line),
            "{line}: the diagnostic points at the attribute:\n{}",
            plan.stderr
        );
        assert!(!plan.stderr.contains("panic"), "{}", plan.stderr);
        assert_eq!(proxy.calls(), vec![], "{line}: no AWS call at all");
    }

    // What stays within the named objects plans and applies through the
    // same proxy: the 6-character secret suffix as ??????, one table's
    // indexes, one bucket's keys, and, opted in, a wildcard region.
    work.write(execution_role(&format!(
        r#"secret_arns = ["arn:aws:secretsmanager:us-east-1:{ACCOUNT}:secret:db-??????"]
  dynamodb_table_arns = ["arn:aws:dynamodb:us-east-1:{ACCOUNT}:table/orders/index/*"]
  dynamodb_actions = ["Query"]
  s3_read_arns = ["arn:aws:s3:::uploads/incoming/*"]
  allow_wildcard_resources = true
  statement {{
    actions = ["ec2:DescribeInstances"]
    resources = ["arn:aws:ec2:*:{ACCOUNT}:instance/*"]
  }}
  role {{
    name = "processor-reader"
  }}"#
    )));
    work.apply().ok();
    assert!(!proxy.calls().is_empty());
    let policy = json(
        &aws.role_policy("processor-reader", "lambdawire-execution")
            .await
            .expect("policy"),
    );
    let text = policy.to_string();
    assert!(text.contains(":secret:db-??????"), "{text}");
    assert!(text.contains(r#""Action":"dynamodb:Query""#), "{text}");
    work.assert_no_changes();
    work.destroy().ok();
    assert!(!aws.role_exists("processor-reader").await);
}
