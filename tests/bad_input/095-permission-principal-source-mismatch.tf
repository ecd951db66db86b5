# path: principal
# expect: principal does not match source_arn
# command: plan
resource "lambdawire_lambda_invoke_permission" "bad" {
  function_name = "processor"
  statement_id  = "ok"
  principal = "sns.amazonaws.com"
  source_arn = "arn:aws:events:us-east-1:123456789012:rule/nightly"
}
