# path: source_arn
# expect: Service principal without source_arn
# expect: confused-deputy
# command: plan
# line: resource "lambdawire_lambda_invoke_permission" "bad"
resource "lambdawire_lambda_invoke_permission" "bad" {
  function_name = "processor"
  statement_id  = "ok"
  principal = "sns.amazonaws.com"
}
