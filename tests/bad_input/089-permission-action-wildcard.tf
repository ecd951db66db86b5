# path: action
# expect: Invalid action
# command: plan
resource "lambdawire_lambda_invoke_permission" "bad" {
  function_name = "processor"
  statement_id  = "ok"
  action = "lambda:*"
  principal = "123456789012"
}
