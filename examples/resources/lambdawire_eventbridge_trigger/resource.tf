# S3 object-created events of one bucket (delivered to EventBridge) invoke
# the function. The grant is written first: events.amazonaws.com may invoke
# the function for exactly this rule, shown in full in the plan.
resource "lambdawire_eventbridge_trigger" "uploads" {
  name          = "uploads-created"
  function_name = "upload-processor"
  event_pattern = jsonencode({
    source      = ["aws.s3"]
    detail-type = ["Object Created"]
    detail      = { bucket = { name = ["uploads"] } }
  })
}

# On a custom bus the rule's ARN is rule/<bus>/<name>, and the grant is
# scoped to exactly that. The function receives a template filled from the
# event; failed deliveries are retried for 10 minutes, then go to a queue.
resource "lambdawire_eventbridge_trigger" "paid" {
  name           = "orders-paid"
  event_bus_name = "orders"
  function_name  = "arn:aws:lambda:us-east-1:123456789012:function:billing"
  qualifier      = "live"
  description    = "paid orders to billing"
  event_pattern  = jsonencode({ detail-type = ["OrderPaid"] })

  input_transformer {
    input_paths    = { order = "$.detail.order_id" }
    input_template = "{\"order\": <order>}"
  }

  retry_policy {
    maximum_event_age_in_seconds = 600
    maximum_retry_attempts       = 5
  }

  dead_letter_arn = "arn:aws:sqs:us-east-1:123456789012:billing-dlq"
}
