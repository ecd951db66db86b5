# path: queue_arn
# expect: invalid queue_arn
# command: validate
resource "lambdawire_sqs_event_source" "bad" {
  function_name = "hook"
  queue_arn     = "arn:aws:sqs:*:123456789012:orders"
}
