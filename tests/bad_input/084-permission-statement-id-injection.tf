# path: statement_id
# expect: Invalid statement_id
# expect: letters, digits, hyphens and underscores
# command: plan
resource "lambdawire_lambda_invoke_permission" "bad" {
  function_name = "processor"
  statement_id = "a\",\"Effect\":\"Allow\n"
  principal = "123456789012"
}
