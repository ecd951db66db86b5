# path: schedule_expression
# expect: invalid schedule_expression
# expect: unit "seconds" is not allowed
# command: plan
resource "lambdawire_scheduled_lambda_invoker" "bad" {
  function_arn        = "arn:aws:lambda:us-east-1:123456789012:function:hook"
  schedule_expression = "rate(30 seconds)"
}
