# lambdawire quickstart: run a Lambda function every five minutes, and let an
# EventBridge rule named "nightly" invoke it too.
#
# `scripts/demo` applies a copy of this directory against a local moto server
# (it sets AWS_ENDPOINT_URL). Without AWS_ENDPOINT_URL, the same files target
# the AWS account of your credentials; see README.md.

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

locals {
  # arn:aws:lambda:<region>:<account>:function:<name>
  account_id = split(":", var.function_arn)[4]
}

# Replaces aws_iam_role + aws_iam_role_policy + aws_scheduler_schedule: the
# scheduler's role may invoke this one function and nothing else, and only
# schedules of this account's "default" group may assume it.
resource "lambdawire_scheduled_lambda_invoker" "every_five_minutes" {
  name                = "quickstart"
  function_arn        = var.function_arn
  schedule_expression = "rate(5 minutes)"
  description         = "lambdawire quickstart"

  input = jsonencode({
    source  = "lambdawire-quickstart"
    message = "hello from EventBridge Scheduler"
  })
}

# Replaces aws_lambda_permission: the principal (events.amazonaws.com) is
# inferred from the rule's ARN, and the statement is scoped to that rule.
resource "lambdawire_lambda_invoke_permission" "nightly_rule" {
  function_name = var.function_name
  statement_id  = "AllowEventBridgeRuleNightly"
  source_arn    = "arn:aws:events:${var.region}:${local.account_id}:rule/nightly"
}
