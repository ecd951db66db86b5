# path: principal
# expect: Cannot infer principal
# expect: not an apigateway management ARN
# command: plan
# line: resource "lambdawire_lambda_invoke_permission" "bad"
# note: principal is left out (inferred from source_arn), so Terraform shows the resource block
resource "lambdawire_lambda_invoke_permission" "bad" {
  function_name = "processor"
  statement_id  = "ok"
  source_arn = "arn:aws:apigateway:us-east-1::/restapis/a1b2c3"
}
