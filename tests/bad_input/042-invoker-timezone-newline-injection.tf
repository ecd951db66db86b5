# path: schedule_expression_timezone
# expect: invalid schedule_expression_timezone
# expect: is not recognised
# command: plan
resource "lambdawire_scheduled_lambda_invoker" "bad" {
  function_arn        = "arn:aws:lambda:us-east-1:123456789012:function:hook"
  schedule_expression = "rate(1 hour)"
  schedule_expression_timezone = "UTC\nEurope/Paris"
}
