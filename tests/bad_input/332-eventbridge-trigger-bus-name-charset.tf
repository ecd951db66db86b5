# path: event_bus_name
# expect: invalid event_bus_name
# expect: contains '!'
# command: validate
resource "lambdawire_eventbridge_trigger" "bad" {
  name           = "paid"
  event_bus_name = "orders!"
  function_name  = "hook"
  event_pattern  = jsonencode({ source = ["shop"] })
}
