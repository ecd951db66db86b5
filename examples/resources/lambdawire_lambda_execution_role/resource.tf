# The execution role of one function: logs of that function only, plus
# scoped shorthands for what it reads and writes.
resource "lambdawire_lambda_execution_role" "orders" {
  function_name       = "orders-processor"
  sqs_queue_arns      = ["arn:aws:sqs:us-east-1:123456789012:orders"]
  dynamodb_table_arns = ["arn:aws:dynamodb:us-east-1:123456789012:table/orders"]
  dynamodb_actions    = ["GetItem", "PutItem", "UpdateItem"]
  secret_arns         = ["arn:aws:secretsmanager:us-east-1:123456789012:secret:orders-db-AbCdEf"]
  s3_read_arns        = ["arn:aws:s3:::orders-attachments"]

  # Anything else, as a free Allow statement on named resources.
  statement {
    sid       = "PublishOrderEvents"
    actions   = ["events:PutEvents"]
    resources = ["arn:aws:events:us-east-1:123456789012:event-bus/orders"]
  }

  # The function creates one-time schedules at run time (reminders): the
  # schedule actions on that group's schedules, and iam:PassRole of exactly
  # the scheduler role, to Scheduler only.
  schedule_creator {
    scheduler_role_arn = "arn:aws:iam::123456789012:role/orders-reminders" # lambdawire_scheduler_invoke_role.<name>.arn
    schedule_group     = "orders-reminders"
  }

  role {
    name_prefix = "orders-exec-"
  }
}
