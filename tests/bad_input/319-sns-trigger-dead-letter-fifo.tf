# path: redrive_dead_letter_arn
# expect: invalid redrive_dead_letter_arn
# expect: must be a standard queue
# command: validate
resource "lambdawire_sns_trigger" "bad" {
  function_name           = "hook"
  topic_arn               = "arn:aws:sns:us-east-1:123456789012:alerts"
  redrive_dead_letter_arn = "arn:aws:sqs:us-east-1:123456789012:alerts-dlq.fifo"
}
