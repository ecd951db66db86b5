# path: schedule_expression
# expect: invalid schedule_expression
# expect: not a real calendar date
# command: plan
resource "lambdawire_scheduled_lambda_invoker" "bad" {
  function_arn        = "arn:aws:lambda:us-east-1:123456789012:function:hook"
  schedule_expression = "at(2030-02-30T09:00:00)"
}
