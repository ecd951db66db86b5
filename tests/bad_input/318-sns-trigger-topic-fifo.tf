# path: topic_arn
# expect: invalid topic_arn
# expect: is a FIFO topic
# command: validate
# note: FIFO topics deliver to SQS queues only
resource "lambdawire_sns_trigger" "bad" {
  function_name = "hook"
  topic_arn     = "arn:aws:sns:us-east-1:123456789012:orders.fifo"
}
