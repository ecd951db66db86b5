# path: function_name
# expect: Unsupported function qualifier
# expect: names $LATEST
# command: plan
resource "lambdawire_lambda_invoke_permission" "bad" {
  statement_id  = "ok"
  function_name = "arn:aws:lambda:us-east-1:123456789012:function:processor:$LATEST"
  principal = "123456789012"
}
