# path: principal
# expect: Invalid principal
# command: plan
# note: fullwidth digits in an account id
resource "lambdawire_lambda_invoke_permission" "bad" {
  function_name = "processor"
  statement_id  = "ok"
  principal = "1234567890１２"
}
