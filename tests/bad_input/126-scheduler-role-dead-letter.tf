# path: dead_letter_arns[0]
# expect: invalid dead_letter_arns element
# expect: is not a SQS queue ARN
# command: plan
resource "lambdawire_scheduler_invoke_role" "bad" {
  function_arns = ["arn:aws:lambda:us-east-1:123456789012:function:hook"]
  dead_letter_arns = ["arn:aws:sqs:us-east-1::dlq"]
}
