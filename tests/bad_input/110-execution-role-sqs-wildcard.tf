# path: sqs_queue_arns[0]
# expect: invalid sqs_queue_arns element
# expect: wildcard
# command: plan
resource "lambdawire_lambda_execution_role" "bad" {
  function_name = "processor"
  sqs_queue_arns = ["arn:aws:sqs:us-east-1:123456789012:*"]
}
