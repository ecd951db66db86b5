# path: name
# expect: invalid name
# expect: contains '"'
# command: plan
resource "lambdawire_scheduled_lambda_invoker" "bad" {
  function_arn        = "arn:aws:lambda:us-east-1:123456789012:function:hook"
  schedule_expression = "rate(1 hour)"
  name = "a\"; rm -rf /\n"
}
