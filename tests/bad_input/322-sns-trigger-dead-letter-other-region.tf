# path: redrive_dead_letter_arn
# expect: dead-letter queue outside the subscription's account and region
# expect: region eu-west-1, not the provider's us-east-1
# command: plan
resource "lambdawire_sns_trigger" "bad" {
  function_name           = "hook"
  topic_arn               = "arn:aws:sns:us-east-1:123456789012:alerts"
  redrive_dead_letter_arn = "arn:aws:sqs:eu-west-1:123456789012:alerts-dlq"
}
