# path: schedule_expression
# expect: invalid schedule_expression
# command: validate
resource "lambdawire_eventbridge_trigger" "bad" {
  name                = "nightly"
  function_name       = "hook"
  schedule_expression = "cron(0 12 * * ?)"
}
