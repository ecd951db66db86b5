# path: input_transformer[0].input_paths["order"]
# expect: invalid input_paths element
# expect: is not a JSONPath
# command: validate
# line: input_paths
resource "lambdawire_eventbridge_trigger" "bad" {
  name          = "paid"
  function_name = "hook"
  event_pattern = jsonencode({ source = ["shop"] })
  input_transformer {
    input_paths    = { order = "detail.order_id" }
    input_template = "{\"order\": <order>}"
  }
}
