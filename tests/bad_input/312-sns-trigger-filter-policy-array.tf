# path: filter_policy
# expect: invalid filter_policy
# expect: a filter policy is a JSON object
# command: validate
resource "lambdawire_sns_trigger" "bad" {
  function_name = "hook"
  topic_arn     = "arn:aws:sns:us-east-1:123456789012:alerts"
  filter_policy = jsonencode(["order"])
}
