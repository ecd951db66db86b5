# path: trusted_principals[0]
# expect: invalid trusted_principals element
# command: validate
resource "lambdawire_cross_account_invoker_role" "bad" {
  function_arns      = ["arn:aws:lambda:us-east-1:123456789012:function:hook"]
  trusted_principals = ["*"]
}
