# path: qualifier
# expect: Unsupported qualifier
# expect: $LATEST
# command: validate
resource "lambdawire_eventbridge_trigger" "bad" {
  name          = "paid"
  function_name = "hook"
  qualifier     = "$LATEST"
  event_pattern = jsonencode({ source = ["shop"] })
}
