# path: qualifier
# expect: Conflicting qualifiers
# expect: already names qualifier
# command: plan
resource "lambdawire_lambda_invoke_permission" "bad" {
  statement_id  = "ok"
  function_name = "processor:live"
  qualifier = "prod"
  principal = "123456789012"
}
