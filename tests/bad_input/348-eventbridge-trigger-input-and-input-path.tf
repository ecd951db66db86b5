# path: input_path
# expect: conflicting input and input_path
# command: validate
resource "lambdawire_eventbridge_trigger" "bad" {
  name          = "paid"
  function_name = "hook"
  event_pattern = jsonencode({ source = ["shop"] })
  input         = jsonencode({ kind = "paid" })
  input_path    = "$.detail"
}
