# path: filter_policy
# expect: invalid filter_policy
# expect: omit filter_policy instead
# command: validate
# note: SNS keeps no policy for {}, which would read back as null and diff for ever
resource "lambdawire_sns_trigger" "bad" {
  function_name = "hook"
  topic_arn     = "arn:aws:sns:us-east-1:123456789012:alerts"
  filter_policy = jsonencode({})
}
