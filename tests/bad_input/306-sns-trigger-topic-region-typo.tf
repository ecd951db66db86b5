# path: topic_arn
# expect: invalid topic_arn
# expect: region "us-est-1" is not allowed
# command: validate
resource "lambdawire_sns_trigger" "bad" {
  function_name = "hook"
  topic_arn     = "arn:aws:sns:us-est-1:123456789012:alerts"
}
