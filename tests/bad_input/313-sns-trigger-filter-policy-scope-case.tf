# path: filter_policy_scope
# expect: invalid filter_policy_scope
# expect: use one of MessageAttributes, MessageBody
# command: validate
resource "lambdawire_sns_trigger" "bad" {
  function_name       = "hook"
  topic_arn           = "arn:aws:sns:us-east-1:123456789012:alerts"
  filter_policy       = jsonencode({ kind = ["order"] })
  filter_policy_scope = "messagebody"
}
