# path: secret_arns[0]
# expect: invalid secret_arns element
# expect: 6-character suffix
# command: plan
resource "lambdawire_lambda_execution_role" "bad" {
  function_name = "processor"
  secret_arns = ["arn:aws:secretsmanager:us-east-1:123456789012:secret:db"]
}
