# path: schedule_expression
# expect: invalid schedule_expression
# expect: "#" is only allowed in day-of-week
# command: plan
resource "lambdawire_scheduled_lambda_invoker" "bad" {
  function_arn        = "arn:aws:lambda:us-east-1:123456789012:function:hook"
  schedule_expression = "cron(0 12 3#1 * ? *)"
}
