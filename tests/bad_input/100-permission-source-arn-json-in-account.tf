# path: source_arn
# expect: Invalid source_arn
# expect: account
# command: plan
# note: JSON in the account field
resource "lambdawire_lambda_invoke_permission" "bad" {
  function_name = "processor"
  statement_id  = "ok"
  principal = "sns.amazonaws.com"
  source_arn = "arn:aws:sns:us-east-1:{\"Fn::Sub\":1}:topic"
}
