# path: dead_letter_arn
# expect: invalid dead_letter_arn
# expect: it is a sns ARN
# command: plan
resource "lambdawire_scheduled_lambda_invoker" "bad" {
  function_arn        = "arn:aws:lambda:us-east-1:123456789012:function:hook"
  schedule_expression = "rate(1 hour)"
  dead_letter_arn = "arn:aws:sns:us-east-1:123456789012:dlq"
}
