# path: source_arn
# expect: Invalid source_arn
# expect: service
# command: plan
# note: Cyrillic dze (U+0455) looks like s
resource "lambdawire_lambda_invoke_permission" "bad" {
  function_name = "processor"
  statement_id  = "ok"
  principal = "sns.amazonaws.com"
  source_arn = "arn:aws:ѕns:us-east-1:123456789012:topic"
}
