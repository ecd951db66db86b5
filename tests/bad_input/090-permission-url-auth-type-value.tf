# path: function_url_auth_type
# expect: Invalid function_url_auth_type
# expect: must be AWS_IAM or NONE
# command: plan
resource "lambdawire_lambda_invoke_permission" "bad" {
  function_name = "processor"
  statement_id  = "ok"
  action = "lambda:InvokeFunctionUrl"
  function_url_auth_type = "PUBLIC"
  principal = "*"
}
