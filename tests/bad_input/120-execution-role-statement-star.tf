# path: statement[0].resources[0]
# expect: wildcard resource is not allowed
# expect: allow_wildcard_resources = true
# command: plan
resource "lambdawire_lambda_execution_role" "bad" {
  function_name = "processor"
  statement {
    actions   = ["xray:PutTraceSegments"]
    resources = ["*"]
  }
}
