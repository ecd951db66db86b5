# path: function_arns[0]
# expect: invalid function_arns element
# expect: holds a wildcard
# command: plan
resource "lambdawire_scheduler_invoke_role" "bad" {
  function_arns = ["arn:aws:lambda:us-east-1:123456789012:function:*"]
}
