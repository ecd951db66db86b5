# path: event_pattern
# expect: invalid event_pattern
# expect: empty object
# command: validate
resource "lambdawire_eventbridge_trigger" "bad" {
  name          = "paid"
  function_name = "hook"
  event_pattern = jsonencode({})
}
