# path: role.tags["lambdawire:schedule"]
# expect: reserved tag key
# expect: are the provider's own
# command: plan
# note: forging the ownership tag
resource "lambdawire_scheduled_lambda_invoker" "bad" {
  function_arn        = "arn:aws:lambda:us-east-1:123456789012:function:hook"
  schedule_expression = "rate(1 hour)"
  role {
    tags = {
      "lambdawire:schedule" = "default/other"
    }
  }
}
