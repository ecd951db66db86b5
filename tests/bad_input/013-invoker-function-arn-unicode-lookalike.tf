# path: function_arn
# expect: invalid function_arn
# expect: is not an ARN
# command: plan
# note: Cyrillic a (U+0430) in arn:
resource "lambdawire_scheduled_lambda_invoker" "bad" {
  schedule_expression = "rate(1 hour)"
  function_arn = "аrn:aws:lambda:us-east-1:123456789012:function:hook"
}
