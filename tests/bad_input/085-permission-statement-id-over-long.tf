# path: statement_id
# expect: Invalid statement_id
# expect: must be 1-100 characters
# command: plan
resource "lambdawire_lambda_invoke_permission" "bad" {
  function_name = "processor"
  statement_id = "sssssssssssssssssssssssssssssssssssssssssssssssssssssssssssssssssssssssssssssssssssssssssssssssssssss"
  principal = "123456789012"
}
