# path: qualifier
# expect: Conflicting qualifiers
# command: validate
resource "lambdawire_sns_trigger" "bad" {
  function_name = "hook:live"
  qualifier     = "blue"
  topic_arn     = "arn:aws:sns:us-east-1:123456789012:alerts"
}
