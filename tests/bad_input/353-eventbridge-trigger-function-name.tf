# path: function_name
# expect: Invalid function_name
# command: validate
resource "lambdawire_eventbridge_trigger" "bad" {
  name          = "paid"
  function_name = "arn:aws:lambda:us-east-1:123456789012:function:"
  event_pattern = jsonencode({ source = ["shop"] })
}
