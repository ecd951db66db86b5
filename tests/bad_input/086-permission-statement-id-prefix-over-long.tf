# path: statement_id_prefix
# expect: Invalid statement_id_prefix
# expect: at most 84
# command: plan
resource "lambdawire_lambda_invoke_permission" "bad" {
  function_name = "processor"
  statement_id_prefix = "sssssssssssssssssssssssssssssssssssssssssssssssssssssssssssssssssssssssssssssssssssss"
  principal = "123456789012"
}
