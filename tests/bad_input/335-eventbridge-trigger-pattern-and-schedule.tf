# path: schedule_expression
# expect: conflicting event_pattern and schedule_expression
# command: validate
resource "lambdawire_eventbridge_trigger" "bad" {
  name                = "paid"
  function_name       = "hook"
  event_pattern       = jsonencode({ source = ["shop"] })
  schedule_expression = "rate(5 minutes)"
}
