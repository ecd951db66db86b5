# path: timeouts.update
# expect: invalid timeouts.update
# expect: invalid duration
# command: plan
resource "lambdawire_scheduled_lambda_invoker" "bad" {
  function_arn        = "arn:aws:lambda:us-east-1:123456789012:function:hook"
  schedule_expression = "rate(1 hour)"
  timeouts {
    update = "-1s"
  }
}
