# path: role.name
# expect: invalid role.name
# expect: contains ' '
# command: plan
resource "lambdawire_lambda_execution_role" "bad" {
  function_name = "processor"
  role {
    name = "processor role"
  }
}
