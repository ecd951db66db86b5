# path: function_arn
# expect: invalid function_arn
# expect: it is a sqs ARN
# command: plan
resource "lambdawire_scheduled_lambda_invoker" "bad" {
  schedule_expression = "rate(1 hour)"
  function_arn = "arn:aws:sqs:us-east-1:123456789012:hook"
}
