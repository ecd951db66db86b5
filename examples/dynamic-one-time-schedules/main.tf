# The part of a run-time scheduling flow that is deployed once: the target
# function, its execution role, and the role EventBridge Scheduler assumes for
# the one-time schedules an application creates later (app/schedule_once.py).
#
# Build the function's zip first (no archive provider): ./build.sh
# Then: terraform init && terraform apply. See README.md.

terraform {
  required_providers {
    aws = {
      source  = "hashicorp/aws"
      version = ">= 5.0"
    }
    lambdawire = {
      source  = "lambdawire/lambdawire"
      version = ">= 0.1.0"
    }
  }
}

provider "aws" {
  region = var.region
}

provider "lambdawire" {
  region = var.region
}

# The function's own role: trust for lambda.amazonaws.com and CloudWatch Logs
# writes to its own log group only. It calls URLs on the internet, so it needs
# no other AWS permission.
resource "lambdawire_lambda_execution_role" "callback" {
  function_name = var.function_name
}

resource "aws_lambda_function" "callback" {
  function_name    = var.function_name
  role             = lambdawire_lambda_execution_role.callback.arn
  runtime          = "python3.12"
  handler          = "handler.handler"
  filename         = "${path.module}/build/function.zip"
  source_code_hash = filebase64sha256("${path.module}/build/function.zip")
  timeout          = 15
}

# The schedules live in a group of their own, so the scheduler role's trust
# can name that group: a schedule in any other group cannot assume it.
resource "aws_scheduler_schedule_group" "callbacks" {
  name = var.schedule_group
}

# Replaces aws_iam_role + aws_iam_role_policy: Scheduler of this account may
# assume it only for schedules of that group, and it may invoke this function
# (and its versions and aliases) and nothing else.
resource "lambdawire_scheduler_invoke_role" "callbacks" {
  function_arns  = [aws_lambda_function.callback.arn]
  schedule_group = aws_scheduler_schedule_group.callbacks.name
}

# The application that creates the schedules (app/schedule_once.py) runs as
# this role. Its trust names the principal that runs the application: this
# account here; on your compute, the service that runs it (ecs-tasks,
# lambda, ...). Its policy is exactly what the application calls: the
# schedule actions on this group's schedules, and iam:PassRole of the
# scheduler role to EventBridge Scheduler only (a PassRole without that
# condition could hand the role to any service).
data "aws_caller_identity" "current" {}

resource "aws_iam_role" "app" {
  name = var.app_role_name
  assume_role_policy = jsonencode({
    Version = "2012-10-17"
    Statement = [{
      Effect    = "Allow"
      Principal = { AWS = "arn:aws:iam::${data.aws_caller_identity.current.account_id}:root" }
      Action    = "sts:AssumeRole"
    }]
  })
}

resource "aws_iam_role_policy" "app_creates_schedules" {
  name   = "create-one-time-schedules"
  role   = aws_iam_role.app.id
  policy = lambdawire_scheduler_invoke_role.callbacks.creator_policy_json
}
