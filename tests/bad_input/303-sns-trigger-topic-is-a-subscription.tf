# path: topic_arn
# expect: invalid topic_arn
# expect: names a subscription
# command: validate
resource "lambdawire_sns_trigger" "bad" {
  function_name = "hook"
  topic_arn     = "arn:aws:sns:us-east-1:123456789012:alerts:6f1c3a52-9b0e-4c1e-8f59-2d3c1b0a9e77"
}
