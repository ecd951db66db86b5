# path: end_date
# expect: end_date is not after start_date
# expect: must be later than start_date
# command: plan
resource "lambdawire_scheduled_lambda_invoker" "bad" {
  function_arn        = "arn:aws:lambda:us-east-1:123456789012:function:hook"
  schedule_expression = "rate(1 hour)"
  start_date = "2030-06-01T00:00:00Z"
  end_date   = "2030-05-01T00:00:00Z"
}
