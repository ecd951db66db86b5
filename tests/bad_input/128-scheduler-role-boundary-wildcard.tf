# path: role.permissions_boundary
# expect: invalid role.permissions_boundary
# expect: wildcard
# command: plan
resource "lambdawire_scheduler_invoke_role" "bad" {
  function_arns = ["arn:aws:lambda:us-east-1:123456789012:function:hook"]
  role {
    permissions_boundary = "arn:aws:iam::*:policy/boundary"
  }
}
