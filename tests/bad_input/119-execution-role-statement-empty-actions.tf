# path: statement[0].actions
# expect: empty actions
# command: plan
resource "lambdawire_lambda_execution_role" "bad" {
  function_name = "processor"
  statement {
    actions   = []
    resources = ["arn:aws:s3:::uploads"]
  }
}
