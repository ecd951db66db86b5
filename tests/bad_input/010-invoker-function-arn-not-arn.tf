# path: function_arn
# expect: invalid function_arn
# expect: is not an ARN
# command: plan
resource "lambdawire_scheduled_lambda_invoker" "bad" {
  schedule_expression = "rate(1 hour)"
  function_arn = "hook"
}
