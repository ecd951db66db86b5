# path: flexible_window_minutes
# expect: flexible_window_minutes out of range
# expect: use 1-1440 minutes
# command: plan
resource "lambdawire_scheduled_lambda_invoker" "bad" {
  function_arn        = "arn:aws:lambda:us-east-1:123456789012:function:hook"
  schedule_expression = "rate(1 hour)"
  flexible_window_minutes = 0
}
