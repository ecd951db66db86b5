# Lambda polls a queue. The function's execution role gets exactly
# sqs:ReceiveMessage, sqs:DeleteMessage and sqs:GetQueueAttributes on that
# queue (an inline policy, shown in full in the plan) before the mapping is
# created; the mapping is retried while IAM propagates the grant.
resource "lambdawire_sqs_event_source" "orders" {
  function_name = "order-processor"
  queue_arn     = "arn:aws:sqs:us-east-1:123456789012:orders"
}

# Larger batches need a batching window; report_batch_item_failures lets the
# function return only the failed messages to the queue. A queue encrypted
# with a customer managed key needs kms:Decrypt on it: give its ARN (the grant
# allows it through SQS of the queue's region only).
resource "lambdawire_sqs_event_source" "invoices" {
  function_name                      = "arn:aws:lambda:us-east-1:123456789012:function:invoicer:live"
  queue_arn                          = "arn:aws:sqs:us-east-1:123456789012:invoices"
  batch_size                         = 100
  maximum_batching_window_in_seconds = 10
  report_batch_item_failures         = true
  maximum_concurrency                = 20
  kms_key_arn                        = "arn:aws:kms:us-east-1:123456789012:key/1234abcd-12ab-34cd-56ef-1234567890ab"

  # Only invoice events reach the function; other messages are deleted.
  filter_patterns = [jsonencode({ body = { kind = ["invoice"] } })]

  timeouts {
    create = "5m"
  }
}
