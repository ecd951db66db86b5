# path: event_pattern
# expect: missing event_pattern or schedule_expression
# command: validate
# line: resource "lambdawire_eventbridge_trigger" "bad"
resource "lambdawire_eventbridge_trigger" "bad" {
  name          = "paid"
  function_name = "hook"
}
