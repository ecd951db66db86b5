# path: qualifier
# expect: Invalid qualifier
# expect: must be a version number or alias name
# command: plan
resource "lambdawire_lambda_invoke_permission" "bad" {
  function_name = "processor"
  statement_id  = "ok"
  qualifier = "v 1"
  principal = "123456789012"
}
