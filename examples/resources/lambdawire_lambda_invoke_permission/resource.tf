# One statement of a function's resource-based policy per resource. The
# principal is inferred from source_arn when a service calls the function, and
# a service principal without a source is refused unless
# allow_unscoped_source = true.

# S3 bucket notifications. Bucket ARNs carry no account, so S3 sources also
# need source_account: otherwise a bucket of the same name in another account,
# after yours is deleted, could invoke the function.
resource "lambdawire_lambda_invoke_permission" "uploads" {
  function_name  = "thumbnailer"
  source_arn     = "arn:aws:s3:::example-uploads"
  source_account = "123456789012"
}

# API Gateway: one API, any stage, method and path (principal
# apigateway.amazonaws.com).
resource "lambdawire_lambda_invoke_permission" "api" {
  function_name = "orders-api"
  source_arn    = "arn:aws:execute-api:us-east-1:123456789012:a1b2c3d4e5/*/*/*"
}

# An EventBridge rule (principal events.amazonaws.com), on an alias.
resource "lambdawire_lambda_invoke_permission" "nightly_rule" {
  function_name = "arn:aws:lambda:us-east-1:123456789012:function:report"
  qualifier     = "live"
  statement_id  = "AllowNightlyRule"
  source_arn    = "arn:aws:events:us-east-1:123456789012:rule/nightly"
}

# An SNS topic subscription (principal sns.amazonaws.com).
resource "lambdawire_lambda_invoke_permission" "alerts" {
  function_name = "alert-router"
  source_arn    = "arn:aws:sns:us-east-1:123456789012:alerts"
}

# Another AWS account, by account id: any identity there that its own IAM
# policies allow to call lambda:InvokeFunction.
resource "lambdawire_lambda_invoke_permission" "partner_account" {
  function_name = "partner-webhook"
  principal     = "210987654321"
}

# Another account, one role only.
resource "lambdawire_lambda_invoke_permission" "partner_role" {
  function_name = "partner-webhook"
  principal     = "arn:aws:iam::210987654321:role/partner-caller"
}

# Every account of an AWS Organization: "*" is only accepted together with
# principal_org_id (or a function URL auth type).
resource "lambdawire_lambda_invoke_permission" "organization" {
  function_name    = "shared-lookup"
  principal        = "*"
  principal_org_id = "o-a1b2c3d4e5"
}

# A public function URL (auth type NONE): anyone may call the URL, and only
# the URL; the function itself stays private.
resource "lambdawire_lambda_invoke_permission" "public_url" {
  function_name          = "status-page"
  action                 = "lambda:InvokeFunctionUrl"
  principal              = "*"
  function_url_auth_type = "NONE"
}

# An Alexa skill (principal alexa-appkit.amazon.com), scoped by the skill's
# event-source token. The write-only argument (Terraform >= 1.11) is sent to
# Lambda and never stored in plan or state; statement_json shows the token
# as "(sensitive)". Terraform cannot see a new write-only value, so change
# event_source_token_wo_version to send one.
variable "alexa_skill_id" {
  type      = string
  sensitive = true
  ephemeral = true
}

resource "lambdawire_lambda_invoke_permission" "alexa" {
  function_name                 = "skill-handler"
  principal                     = "alexa-appkit.amazon.com"
  event_source_token_wo         = var.alexa_skill_id
  event_source_token_wo_version = 1
}
