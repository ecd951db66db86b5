# path: dynamodb_table_arns[0]
# expect: invalid dynamodb_table_arns element
# expect: invalid table
# command: plan
resource "lambdawire_lambda_execution_role" "bad" {
  function_name = "processor"
  dynamodb_table_arns = ["arn:aws:dynamodb:us-east-1:123456789012:table/x"]
}
