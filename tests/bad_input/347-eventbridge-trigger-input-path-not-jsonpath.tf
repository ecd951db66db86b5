# path: input_path
# expect: invalid input_path
# expect: is not a JSONPath
# command: validate
resource "lambdawire_eventbridge_trigger" "bad" {
  name          = "paid"
  function_name = "hook"
  event_pattern = jsonencode({ source = ["shop"] })
  input_path    = "detail"
}
