# path: filter_policy_scope
# expect: filter_policy_scope without filter_policy
# command: validate
resource "lambdawire_sns_trigger" "bad" {
  function_name       = "hook"
  topic_arn           = "arn:aws:sns:us-east-1:123456789012:alerts"
  filter_policy_scope = "MessageBody"
}
