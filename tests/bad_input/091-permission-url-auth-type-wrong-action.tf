# path: function_url_auth_type
# expect: function_url_auth_type needs the function URL action
# command: plan
resource "lambdawire_lambda_invoke_permission" "bad" {
  function_name = "processor"
  statement_id  = "ok"
  function_url_auth_type = "NONE"
  principal = "*"
}
