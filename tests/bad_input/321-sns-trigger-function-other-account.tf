# path: function_name
# expect: function of another account
# expect: 210987654321
# command: plan
# note: checked at plan against the provider's account, before any read
resource "lambdawire_sns_trigger" "bad" {
  function_name = "arn:aws:lambda:us-east-1:210987654321:function:hook"
  topic_arn     = "arn:aws:sns:us-east-1:123456789012:alerts"
}
