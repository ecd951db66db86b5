# path: schedule_expression
# expect: invalid schedule_expression
# expect: must be a whole number
# command: plan
# note: fullwidth digit 5 (U+FF15)
resource "lambdawire_scheduled_lambda_invoker" "bad" {
  function_arn        = "arn:aws:lambda:us-east-1:123456789012:function:hook"
  schedule_expression = "rate(５ minutes)"
}
