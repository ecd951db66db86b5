# path: kms_key_arn
# expect: invalid kms_key_arn
# expect: an alias ARN grants nothing
# command: plan
resource "lambdawire_scheduled_lambda_invoker" "bad" {
  function_arn        = "arn:aws:lambda:us-east-1:123456789012:function:hook"
  schedule_expression = "rate(1 hour)"
  kms_key_arn = "arn:aws:kms:us-east-1:123456789012:alias/schedules"
}
