# path: timeouts[0].create
# expect: invalid timeouts.create
# command: validate
resource "lambdawire_eventbridge_trigger" "bad" {
  name          = "paid"
  function_name = "hook"
  event_pattern = jsonencode({ source = ["shop"] })
  timeouts {
    create = "5 minutes"
  }
}
