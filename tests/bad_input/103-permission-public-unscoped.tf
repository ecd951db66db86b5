# path: principal
# expect: Unscoped wildcard principal
# expect: lets any AWS account invoke this function
# command: plan
resource "lambdawire_lambda_invoke_permission" "bad" {
  function_name = "processor"
  statement_id  = "ok"
  principal = "*"
}
