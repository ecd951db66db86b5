# path: source_arn
# expect: region "us-est-1" is not allowed
# command: plan
resource "lambdawire_lambda_invoke_permission" "bad" {
  function_name         = "processor"
  statement_id          = "ok"
  source_arn            = "arn:aws:events:us-est-1:123456789012:rule/nightly"
  allow_unscoped_source = true
}
