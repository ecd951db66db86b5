# path: topic_arn
# expect: invalid topic_arn
# expect: invalid topic name
# command: validate
resource "lambdawire_sns_trigger" "bad" {
  function_name = "hook"
  topic_arn     = "arn:aws:sns:us-east-1:123456789012:alerts.v2"
}
