# path: schedule_creator[0].scheduler_role_arn
# expect: invalid scheduler_role_arn
# command: plan
resource "lambdawire_lambda_execution_role" "bad" {
  function_name = "processor"
  schedule_creator {
    scheduler_role_arn = "arn:aws:iam::123456789012:role/*"
    schedule_group     = "reminders"
  }
}
