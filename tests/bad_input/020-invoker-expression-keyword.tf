# path: schedule_expression
# expect: invalid schedule_expression
# expect: expected at(yyyy-mm-ddThh:mm:ss)
# command: validate
resource "lambdawire_scheduled_lambda_invoker" "bad" {
  function_arn        = "arn:aws:lambda:us-east-1:123456789012:function:hook"
  schedule_expression = "every 5 minutes"
}
