# path: start_date
# expect: start_date does not apply to at() schedules
# command: plan
resource "lambdawire_scheduled_lambda_invoker" "bad" {
  function_arn        = "arn:aws:lambda:us-east-1:123456789012:function:hook"
  schedule_expression = "at(2031-01-01T09:00:00)"
  start_date = "2030-06-01T00:00:00Z"
}
