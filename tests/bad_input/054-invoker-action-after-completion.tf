# path: action_after_completion
# expect: invalid action_after_completion
# expect: use one of NONE, DELETE
# command: plan
resource "lambdawire_scheduled_lambda_invoker" "bad" {
  function_arn        = "arn:aws:lambda:us-east-1:123456789012:function:hook"
  schedule_expression = "rate(1 hour)"
  action_after_completion = "KEEP"
}
