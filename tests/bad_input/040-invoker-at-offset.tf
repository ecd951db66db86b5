# path: schedule_expression
# expect: invalid schedule_expression
# expect: no time zone offset
# command: plan
resource "lambdawire_scheduled_lambda_invoker" "bad" {
  function_arn        = "arn:aws:lambda:us-east-1:123456789012:function:hook"
  schedule_expression = "at(2030-01-01T09:00:00Z)"
}
