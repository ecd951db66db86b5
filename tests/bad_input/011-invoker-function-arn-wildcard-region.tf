# path: function_arn
# expect: invalid function_arn
# expect: wildcard in its region
# command: plan
resource "lambdawire_scheduled_lambda_invoker" "bad" {
  schedule_expression = "rate(1 hour)"
  function_arn = "arn:aws:lambda:*:123456789012:function:hook"
}
