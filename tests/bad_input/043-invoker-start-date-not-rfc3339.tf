# path: start_date
# expect: invalid start_date
# expect: not a valid RFC 3339 timestamp
# command: plan
resource "lambdawire_scheduled_lambda_invoker" "bad" {
  function_arn        = "arn:aws:lambda:us-east-1:123456789012:function:hook"
  schedule_expression = "rate(1 hour)"
  start_date = "tomorrow"
}
