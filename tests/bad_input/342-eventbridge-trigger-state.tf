# path: state
# expect: invalid state
# expect: use one of ENABLED, DISABLED
# command: validate
resource "lambdawire_eventbridge_trigger" "bad" {
  name          = "paid"
  function_name = "hook"
  event_pattern = jsonencode({ source = ["shop"] })
  state         = "enabled"
}
