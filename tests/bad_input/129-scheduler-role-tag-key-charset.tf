# path: role.tags["team;drop"]
# expect: invalid tag key
# expect: contains ';'
# command: plan
resource "lambdawire_scheduler_invoke_role" "bad" {
  function_arns = ["arn:aws:lambda:us-east-1:123456789012:function:hook"]
  role {
    tags = {
      "team;drop" = "x"
    }
  }
}
