# path: function_name
# expect: Invalid function_name
# command: validate
resource "lambdawire_lambda_invoke_permission" "bad" {
  statement_id  = "ok"
  function_name = "my function"
  principal = "123456789012"
}
