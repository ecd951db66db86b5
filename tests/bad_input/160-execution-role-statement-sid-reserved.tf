# path: statement[0].sid
# expect: reserved sid
# command: plan
resource "lambdawire_lambda_execution_role" "bad" {
  function_name = "processor"
  statement {
    sid       = "PassSchedulerRole"
    actions   = ["iam:PassRole"]
    resources = ["arn:aws:iam::123456789012:role/anything"]
  }
}
