# path: qualifier
# expect: Unsupported qualifier
# expect: $LATEST
# command: validate
resource "lambdawire_sns_trigger" "bad" {
  function_name = "hook"
  qualifier     = "$LATEST"
  topic_arn     = "arn:aws:sns:us-east-1:123456789012:alerts"
}
