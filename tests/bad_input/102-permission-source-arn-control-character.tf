# path: source_arn
# expect: Invalid source_arn
# expect: control character
# command: plan
resource "lambdawire_lambda_invoke_permission" "bad" {
  function_name = "processor"
  statement_id  = "ok"
  principal = "sns.amazonaws.com"
  source_arn = "arn:aws:sns:us-east-1:123456789012:topic\n\"Principal\":\"*\""
}
