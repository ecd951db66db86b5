# path: function_arn
# expect: invalid function_arn
# expect: account
# command: plan
# note: fullwidth digit 2 (U+FF12) in the account
resource "lambdawire_scheduled_lambda_invoker" "bad" {
  schedule_expression = "rate(1 hour)"
  function_arn = "arn:aws:lambda:us-east-1:12345678901２:function:hook"
}
