# path: role.permissions_boundary
# expect: invalid role.permissions_boundary
# expect: is not a IAM policy ARN
# command: plan
resource "lambdawire_scheduled_lambda_invoker" "bad" {
  function_arn        = "arn:aws:lambda:us-east-1:123456789012:function:hook"
  schedule_expression = "rate(1 hour)"
  role {
    permissions_boundary = "arn:aws:iam::123456789012:role/boundary"
  }
}
