# One function and every way lambdawire lets something invoke it: a topic,
# an EventBridge rule, a bucket's notifications, a schedule and another
# account. Each block writes the source side and its grant, scoped to
# exactly that source, in the order AWS needs; destroy removes both.
#
# The function, the topic and the bucket already exist (this configuration
# names them); tests/acceptance/all_triggers_example.rs applies it against
# the embedded AWS and checks each source side and grant with the SDK.

terraform {
  required_providers {
    lambdawire = {
      source  = "lambdawire/lambdawire"
      version = ">= 0.1.0"
    }
  }
}

provider "lambdawire" {
  region = var.region
}

# Replaces aws_sns_topic_subscription + aws_lambda_permission.
resource "lambdawire_sns_trigger" "orders" {
  topic_arn     = var.topic_arn
  function_name = var.function_name
  filter_policy = jsonencode({ kind = ["order"] })
}

# Replaces aws_cloudwatch_event_rule + aws_cloudwatch_event_target +
# aws_lambda_permission: the grant is scoped to this rule's ARN.
resource "lambdawire_eventbridge_trigger" "uploads_seen" {
  name          = "${var.name_prefix}-uploads-seen"
  function_name = var.function_name
  event_pattern = jsonencode({
    source      = ["aws.s3"]
    detail-type = ["Object Created"]
  })
}

# Replaces one entry of aws_s3_bucket_notification + aws_lambda_permission:
# every other entry of the bucket's notification configuration stays.
resource "lambdawire_s3_trigger" "incoming" {
  bucket        = var.bucket
  function_name = var.function_name
  events        = ["s3:ObjectCreated:*"]
  filter_prefix = "incoming/"
}

# Replaces aws_iam_role + aws_iam_role_policy + aws_scheduler_schedule.
resource "lambdawire_scheduled_lambda_invoker" "hourly" {
  name                = "${var.name_prefix}-hourly"
  function_arn        = var.function_arn
  schedule_expression = "rate(1 hour)"
}

# Replaces aws_lambda_permission: another account may invoke the function.
resource "lambdawire_lambda_invoke_permission" "partner" {
  function_name = var.function_name
  principal     = var.partner_account_id
}
