# path: input
# expect: invalid input
# expect: <aws.scheduler.scheduled-tim>, which Scheduler does not know
# command: plan
resource "lambdawire_scheduled_lambda_invoker" "bad" {
  function_arn        = "arn:aws:lambda:us-east-1:123456789012:function:hook"
  schedule_expression = "rate(1 hour)"
  input = jsonencode({ at = "<aws.scheduler.scheduled-tim>" })
}
