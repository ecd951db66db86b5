# path: statement[0].resources[0]
# expect: wildcard resource is not allowed
# command: plan
resource "lambdawire_lambda_execution_role" "bad" {
  function_name = "processor"
  statement {
    actions   = ["sns:Publish"]
    resources = ["arn:aws:sns:us-east-1:*:alerts"]
  }
}
