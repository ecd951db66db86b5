# path: name
# expect: invalid name
# expect: contains 'о'
# command: plan
# note: Cyrillic o (U+043E) looks like ASCII o
resource "lambdawire_scheduled_lambda_invoker" "bad" {
  function_arn        = "arn:aws:lambda:us-east-1:123456789012:function:hook"
  schedule_expression = "rate(1 hour)"
  name = "hооk"
}
