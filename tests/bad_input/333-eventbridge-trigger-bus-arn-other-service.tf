# path: event_bus_name
# expect: invalid event_bus_name
# expect: is not an event bus ARN
# command: validate
resource "lambdawire_eventbridge_trigger" "bad" {
  name           = "paid"
  event_bus_name = "arn:aws:sns:us-east-1:123456789012:orders"
  function_name  = "hook"
  event_pattern  = jsonencode({ source = ["shop"] })
}
