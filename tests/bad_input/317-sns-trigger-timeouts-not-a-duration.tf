# path: timeouts.create
# expect: invalid timeouts.create
# expect: invalid duration
# command: validate
resource "lambdawire_sns_trigger" "bad" {
  function_name = "hook"
  topic_arn     = "arn:aws:sns:us-east-1:123456789012:alerts"
  timeouts {
    create = "forever"
  }
}
