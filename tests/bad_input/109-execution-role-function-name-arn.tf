# path: function_name
# expect: invalid function_name
# expect: the name, not an ARN
# command: validate
resource "lambdawire_lambda_execution_role" "bad" {
  function_name = "arn:aws:lambda:us-east-1:123456789012:function:processor"
}
