# path: function_arn
# expect: invalid function_arn
# expect: invalid function name
# command: plan
# note: JSON in an ARN that becomes a granted Resource
resource "lambdawire_scheduled_lambda_invoker" "bad" {
  schedule_expression = "rate(1 hour)"
  function_arn = "arn:aws:lambda:us-east-1:123456789012:function:f\"},{\"Effect\":\"Allow"
}
