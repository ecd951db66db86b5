# path: function_name
# expect: Invalid function_name
# command: validate
resource "lambdawire_sns_trigger" "bad" {
  function_name = "hook/../admin"
  topic_arn     = "arn:aws:sns:us-east-1:123456789012:alerts"
}
