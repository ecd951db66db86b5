# path: s3_read_arns[0]
# expect: invalid s3_read_arns element
# expect: holds a wildcard
# command: plan
resource "lambdawire_lambda_execution_role" "bad" {
  function_name = "processor"
  s3_read_arns = ["arn:aws:s3:::*"]
}
