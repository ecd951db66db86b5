# path: existing_role_arn
# expect: invalid existing_role_arn
# expect: does not start with role/
# command: plan
resource "lambdawire_scheduled_lambda_invoker" "bad" {
  function_arn        = "arn:aws:lambda:us-east-1:123456789012:function:hook"
  schedule_expression = "rate(1 hour)"
  existing_role_arn = "arn:aws:iam::123456789012:user/deployer"
}
