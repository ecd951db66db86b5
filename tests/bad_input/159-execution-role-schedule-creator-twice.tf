# path: schedule_creator[1].scheduler_role_arn
# expect: duplicate schedule_creator
# command: plan
resource "lambdawire_lambda_execution_role" "bad" {
  function_name = "processor"
  schedule_creator {
    scheduler_role_arn = "arn:aws:iam::123456789012:role/reminders"
    schedule_group     = "reminders"
  }
  schedule_creator {
    scheduler_role_arn = "arn:aws:iam::123456789012:role/reminders"
    schedule_group     = "reminders"
  }
}
