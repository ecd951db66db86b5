# One role for the schedules an application creates at run time (one-time
# schedules with ActionAfterCompletion = DELETE, say): Scheduler of this
# account may assume it only for schedules of the "reminders" group, and it
# may invoke only these functions (and their versions and aliases).
resource "lambdawire_scheduler_invoke_role" "reminders" {
  function_arns    = ["arn:aws:lambda:us-east-1:123456789012:function:send-reminder"]
  schedule_group   = "reminders"
  dead_letter_arns = ["arn:aws:sqs:us-east-1:123456789012:reminders-dlq"]

  role {
    name = "reminders-scheduler"
    tags = { app = "reminders" }
  }
}

# Many invokers can share it instead of each making a role of its own.
resource "lambdawire_scheduled_lambda_invoker" "weekly_digest" {
  name                = "weekly-digest"
  group_name          = "reminders"
  function_arn        = "arn:aws:lambda:us-east-1:123456789012:function:send-reminder"
  schedule_expression = "cron(0 8 ? * MON *)"
  existing_role_arn   = lambdawire_scheduler_invoke_role.reminders.arn
}
