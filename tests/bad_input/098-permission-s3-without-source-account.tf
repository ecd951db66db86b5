# path: source_account
# expect: S3 grant without source_account
# command: plan
# line: resource "lambdawire_lambda_invoke_permission" "bad"
resource "lambdawire_lambda_invoke_permission" "bad" {
  function_name = "processor"
  statement_id  = "ok"
  source_arn = "arn:aws:s3:::uploads"
}
