# path: dynamodb_actions[0]
# expect: invalid dynamodb_actions element
# command: plan
resource "lambdawire_lambda_execution_role" "bad" {
  function_name = "processor"
  dynamodb_table_arns = ["arn:aws:dynamodb:us-east-1:123456789012:table/orders"]
  dynamodb_actions    = ["GetItems"]
}
