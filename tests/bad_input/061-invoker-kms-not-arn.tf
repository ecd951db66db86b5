# path: kms_key_arn
# expect: invalid kms_key_arn
# expect: is not an ARN
# command: plan
resource "lambdawire_scheduled_lambda_invoker" "bad" {
  function_arn        = "arn:aws:lambda:us-east-1:123456789012:function:hook"
  schedule_expression = "rate(1 hour)"
  kms_key_arn = "1234abcd-12ab-34cd-56ef-1234567890ab"
}
