# path: topic_arn
# expect: invalid topic_arn
# expect: wildcard
# command: validate
resource "lambdawire_sns_trigger" "bad" {
  function_name = "hook"
  topic_arn     = "arn:aws:sns:*:*:alerts"
}
