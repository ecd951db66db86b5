# path: schedule_expression
# expect: schedule_expression on a custom event bus
# expect: default bus only
# command: validate
resource "lambdawire_eventbridge_trigger" "bad" {
  name                = "nightly"
  event_bus_name      = "orders"
  function_name       = "hook"
  schedule_expression = "rate(1 hour)"
}
