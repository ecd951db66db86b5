# path: target_id
# expect: invalid target_id
# expect: contains '/'
# command: validate
resource "lambdawire_eventbridge_trigger" "bad" {
  name          = "paid"
  function_name = "hook"
  event_pattern = jsonencode({ source = ["shop"] })
  target_id     = "billing/live"
}
