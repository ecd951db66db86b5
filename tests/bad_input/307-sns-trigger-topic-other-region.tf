# path: topic_arn
# expect: topic outside the provider's region
# expect: eu-west-1
# command: plan
resource "lambdawire_sns_trigger" "bad" {
  function_name = "hook"
  topic_arn     = "arn:aws:sns:eu-west-1:123456789012:alerts"
}
