# path: statement_id
# expect: Conflicting statement id arguments
# command: plan
resource "lambdawire_lambda_invoke_permission" "bad" {
  function_name = "processor"
  statement_id  = "ok"
  statement_id_prefix = "p-"
  principal = "123456789012"
}
