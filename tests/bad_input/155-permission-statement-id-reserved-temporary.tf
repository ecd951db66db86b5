# path: statement_id
# expect: Reserved statement_id
# expect: ends with -lwtmp or -lwtmq
# command: plan
resource "lambdawire_lambda_invoke_permission" "bad" {
  function_name = "processor"
  statement_id  = "nightly-rule-lwtmp"
  principal     = "123456789012"
}
