# lambdawire next to hashicorp/aws: the AWS provider owns the function, and
# one lambdawire block replaces the aws_iam_role, aws_iam_role_policy and
# aws_scheduler_schedule that would invoke it.
#
# Not run by scripts/demo or scripts/test (hashicorp/aws is a large download);
# `terraform fmt` checks it. To use it: terraform init && terraform apply.

terraform {
  required_providers {
    aws = {
      source  = "hashicorp/aws"
      version = ">= 5.0"
    }
    archive = {
      source  = "hashicorp/archive"
      version = ">= 2.0"
    }
    lambdawire = {
      source  = "lambdawire/lambdawire"
      version = ">= 0.1.0"
    }
  }
}

variable "region" {
  type    = string
  default = "us-east-1"
}

provider "aws" {
  region = var.region
}

provider "lambdawire" {
  region = var.region
}

data "archive_file" "hook" {
  type        = "zip"
  output_path = "${path.module}/hook.zip"

  source {
    filename = "index.py"
    content  = <<-PY
      import json

      def handler(event, context):
          print(json.dumps(event))
          return {"ok": True}
    PY
  }
}

# The function's own execution role, written the long way with hashicorp/aws.
resource "aws_iam_role" "hook" {
  name = "hook-execution"
  assume_role_policy = jsonencode({
    Version = "2012-10-17"
    Statement = [{
      Effect    = "Allow"
      Principal = { Service = "lambda.amazonaws.com" }
      Action    = "sts:AssumeRole"
    }]
  })
}

resource "aws_iam_role_policy_attachment" "hook_logs" {
  role       = aws_iam_role.hook.name
  policy_arn = "arn:aws:iam::aws:policy/service-role/AWSLambdaBasicExecutionRole"
}

resource "aws_lambda_function" "hook" {
  function_name    = "hook"
  role             = aws_iam_role.hook.arn
  runtime          = "python3.12"
  handler          = "index.handler"
  filename         = data.archive_file.hook.output_path
  source_code_hash = data.archive_file.hook.output_base64sha256
}

# The scheduler's role (may invoke this function only, assumable only by this
# account's default schedule group), its policy and the schedule: one block.
resource "lambdawire_scheduled_lambda_invoker" "reminder" {
  name                = "send-reminder-42"
  function_arn        = aws_lambda_function.hook.arn
  schedule_expression = "at(2030-01-01T09:00:00)"
  input               = jsonencode({ url = "https://example.com/hooks/42" })
}

output "scheduler_policy_json" {
  value = lambdawire_scheduled_lambda_invoker.reminder.policy_json
}
