# path: principal
# expect: Invalid principal
# expect: must be a service principal
# command: plan
resource "lambdawire_lambda_invoke_permission" "bad" {
  function_name = "processor"
  statement_id  = "ok"
  principal = "root"
}
