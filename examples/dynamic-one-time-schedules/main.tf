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
