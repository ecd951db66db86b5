# path: timeouts.create
# expect: invalid timeouts.create
# expect: longer than the 24h allowed
# command: plan
resource "lambdawire_scheduled_lambda_invoker" "bad" {
  function_arn        = "arn:aws:lambda:us-east-1:123456789012:function:hook"
  schedule_expression = "rate(1 hour)"
  timeouts {
    create = "25h"
  }
}
