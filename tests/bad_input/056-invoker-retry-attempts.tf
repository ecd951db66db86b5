# path: retry_policy.maximum_retry_attempts
# expect: maximum_retry_attempts out of range
# expect: use 0-185
# command: plan
resource "lambdawire_scheduled_lambda_invoker" "bad" {
  function_arn        = "arn:aws:lambda:us-east-1:123456789012:function:hook"
  schedule_expression = "rate(1 hour)"
  retry_policy {
    maximum_event_age_in_seconds = 3600
    maximum_retry_attempts       = 186
  }
}
