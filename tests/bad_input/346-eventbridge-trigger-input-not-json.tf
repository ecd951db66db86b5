# path: input
# expect: invalid input
# expect: input is not JSON
# command: validate
resource "lambdawire_eventbridge_trigger" "bad" {
  name          = "paid"
  function_name = "hook"
  event_pattern = jsonencode({ source = ["shop"] })
  input         = "{kind: paid}"
}
