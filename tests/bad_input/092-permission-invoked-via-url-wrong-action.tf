# path: invoked_via_function_url
# expect: invoked_via_function_url needs action lambda:InvokeFunction
# command: plan
resource "lambdawire_lambda_invoke_permission" "bad" {
  function_name = "processor"
  statement_id  = "ok"
  action = "lambda:InvokeFunctionUrl"
  function_url_auth_type = "AWS_IAM"
  invoked_via_function_url = true
  principal = "123456789012"
}
