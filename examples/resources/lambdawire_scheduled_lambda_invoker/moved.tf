# An aws_scheduler_schedule of hashicorp/aws becomes an invoker without any
# AWS call: replace its block by this one and add the moved block. The
# schedule's role becomes existing_role_arn (it stays the aws_iam_role's:
# aws_iam_role.scheduler.arn in a real configuration),
# and the next plan shows no change when the arguments match. The target
# must be a Lambda function.
moved {
  from = aws_scheduler_schedule.nightly
  to   = lambdawire_scheduled_lambda_invoker.nightly
}

resource "lambdawire_scheduled_lambda_invoker" "nightly" {
  name                = "nightly"
  function_arn        = "arn:aws:lambda:us-east-1:123456789012:function:report"
  schedule_expression = "cron(0 3 * * ? *)"
  existing_role_arn   = "arn:aws:iam::123456789012:role/report-scheduler"

  # Was flexible_time_window { mode = "FLEXIBLE", maximum_window_in_minutes = 15 }.
  flexible_window_minutes = 15
  # Was target { input = ... }.
  input = jsonencode({ report = "daily" })
}
