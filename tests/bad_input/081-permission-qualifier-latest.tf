# path: qualifier
# expect: Unsupported qualifier
# expect: names $LATEST
# command: plan
resource "lambdawire_lambda_invoke_permission" "bad" {
  function_name = "processor"
  statement_id  = "ok"
  qualifier = "$LATEST"
  principal = "123456789012"
}
