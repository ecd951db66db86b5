# path: source_account
# expect: Invalid source_account
# expect: must be a 12-digit AWS account id
# command: plan
resource "lambdawire_lambda_invoke_permission" "bad" {
  function_name = "processor"
  statement_id  = "ok"
  source_arn = "arn:aws:s3:::uploads"
  source_account = "12345678901"
}
