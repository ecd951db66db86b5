# A one-time reminder: at 09:00 Paris time on 1 January 2030 the scheduler
# invokes the function once with this input, then deletes the schedule
# (action_after_completion defaults to DELETE for at() expressions). The IAM
# role and its inline policy are created and removed with it.
resource "lambdawire_scheduled_lambda_invoker" "reminder" {
  name                         = "send-reminder-42"
  function_arn                 = "arn:aws:lambda:us-east-1:123456789012:function:send-reminder"
  schedule_expression          = "at(2030-01-01T09:00:00)"
  schedule_expression_timezone = "Europe/Paris"
  input                        = jsonencode({ url = "https://example.com/hooks/42" })
}

# A recurring job on a function alias, with retries, a dead-letter queue (the
# generated policy then also allows sqs:SendMessage on it) and a role name of
# your choosing.
resource "lambdawire_scheduled_lambda_invoker" "nightly_report" {
  name                    = "nightly-report"
  function_arn            = "arn:aws:lambda:us-east-1:123456789012:function:report:live"
  schedule_expression     = "cron(0 3 * * ? *)"
  flexible_window_minutes = 15
  description             = "Builds yesterday's report"
  dead_letter_arn         = "arn:aws:sqs:us-east-1:123456789012:report-dlq"

  retry_policy {
    maximum_event_age_in_seconds = 3600
    maximum_retry_attempts       = 3
  }

  role {
    name = "nightly-report-scheduler"
    tags = { cost-center = "analytics" }
  }
}

# Bring your own role: no role or policy is created.
resource "lambdawire_scheduled_lambda_invoker" "heartbeat" {
  name_prefix         = "heartbeat-"
  function_arn        = "arn:aws:lambda:us-east-1:123456789012:function:heartbeat"
  schedule_expression = "rate(5 minutes)"
  existing_role_arn   = "arn:aws:iam::123456789012:role/shared-scheduler-invoke"
}
