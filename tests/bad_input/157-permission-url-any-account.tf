# path: principal
# expect: function URL open to every AWS account
# command: plan
resource "lambdawire_lambda_invoke_permission" "bad" {
  function_name          = "processor"
  statement_id           = "url"
  action                 = "lambda:InvokeFunctionUrl"
  principal              = "*"
  function_url_auth_type = "AWS_IAM"
}
