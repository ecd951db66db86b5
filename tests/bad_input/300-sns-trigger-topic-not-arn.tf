# path: topic_arn
# expect: invalid topic_arn
# expect: is not an ARN
# command: validate
resource "lambdawire_sns_trigger" "bad" {
  function_name = "hook"
  topic_arn     = "alerts"
}
