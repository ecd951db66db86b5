# path: retry_policy.maximum_event_age_in_seconds
# expect: maximum_event_age_in_seconds out of range
# expect: use 60-86400
# command: plan
resource "lambdawire_scheduled_lambda_invoker" "bad" {
  function_arn        = "arn:aws:lambda:us-east-1:123456789012:function:hook"
  schedule_expression = "rate(1 hour)"
  retry_policy {
    maximum_event_age_in_seconds = 59
    maximum_retry_attempts       = 3
  }
}
