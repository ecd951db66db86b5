# path: source_arn
# expect: source_arn scopes nothing
# expect: is not one region
# command: plan
resource "lambdawire_lambda_invoke_permission" "bad" {
  function_name = "processor"
  statement_id  = "ok"
  source_arn = "arn:aws:sns:*:*:topic"
}
