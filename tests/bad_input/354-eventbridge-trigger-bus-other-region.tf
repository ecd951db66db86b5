# path: event_bus_name
# expect: the event bus is in region eu-west-1, not the provider's us-east-1
# command: plan
# note: checked at plan against the provider's region, before any read
resource "lambdawire_eventbridge_trigger" "bad" {
  name           = "orders"
  event_bus_name = "arn:aws:events:eu-west-1:123456789012:event-bus/orders"
  function_name  = "hook"
  event_pattern  = jsonencode({ source = ["shop"] })
}
