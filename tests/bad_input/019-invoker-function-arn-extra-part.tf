# path: function_arn
# expect: invalid function_arn
# expect: more parts than a name and a qualifier
# command: plan
resource "lambdawire_scheduled_lambda_invoker" "bad" {
  schedule_expression = "rate(1 hour)"
  function_arn = "arn:aws:lambda:us-east-1:123456789012:function:hook:live:extra"
}
