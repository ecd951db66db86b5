# path: name
# expect: invalid name
# expect: only letters, digits
# command: validate
resource "lambdawire_eventbridge_trigger" "bad" {
  name          = "orders paid"
  function_name = "hook"
  event_pattern = jsonencode({ source = ["shop"] })
}
