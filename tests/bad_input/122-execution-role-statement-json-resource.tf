# path: statement[0].resources[0]
# expect: invalid resource
# expect: is not an ARN
# command: plan
resource "lambdawire_lambda_execution_role" "bad" {
  function_name = "processor"
  statement {
    actions   = ["s3:GetObject"]
    resources = ["{\"Fn::GetAtt\":[\"Bucket\",\"Arn\"]}"]
  }
}
