# A topic invokes a function. The function's resource policy first gets one
# statement letting sns.amazonaws.com invoke it for exactly this topic
# (shown in full in the plan), then the topic subscribes the function.
resource "lambdawire_sns_trigger" "alerts" {
  function_name = "alert-handler"
  topic_arn     = "arn:aws:sns:us-east-1:123456789012:alerts"
}

# Only large orders reach the live alias; the filter reads the message body.
# Messages SNS cannot deliver go to a dead-letter queue (whose queue policy
# must let sns.amazonaws.com send to it). A topic of another account adds
# AWS:SourceAccount to the statement.
resource "lambdawire_sns_trigger" "orders" {
  function_name       = "arn:aws:lambda:us-east-1:123456789012:function:order-processor"
  qualifier           = "live"
  topic_arn           = "arn:aws:sns:us-east-1:210987654321:orders"
  filter_policy       = jsonencode({ order = { total = [{ numeric = [">=", 1000] }] } })
  filter_policy_scope = "MessageBody"

  redrive_dead_letter_arn = "arn:aws:sqs:us-east-1:123456789012:orders-undelivered"
}
