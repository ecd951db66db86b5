# path: schedule_expression
# expect: invalid schedule_expression
# expect: rate() or cron() expressions only
# command: validate
resource "lambdawire_eventbridge_trigger" "bad" {
  name                = "once"
  function_name       = "hook"
  schedule_expression = "at(2030-01-01T09:00:00)"
}
