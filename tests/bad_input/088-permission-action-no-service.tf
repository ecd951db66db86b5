# path: action
# expect: Invalid action
# expect: lambda:<Name>
# command: plan
resource "lambdawire_lambda_invoke_permission" "bad" {
  function_name = "processor"
  statement_id  = "ok"
  action = "InvokeFunction"
  principal = "123456789012"
}
