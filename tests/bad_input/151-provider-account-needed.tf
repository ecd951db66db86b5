# path: account_id
# expect: the AWS account id is not known: set account_id
# command: plan
# line: resource "lambdawire_scheduler_invoke_role" "bad"
# note: no account known: a role resource fails at plan, naming account_id
provider "lambdawire" {
  region = "us-east-1"
  skip_requesting_account_id = true
  endpoints {
    iam       = "__ENDPOINT__"
    lambda    = "__ENDPOINT__"
    scheduler = "__ENDPOINT__"
    sts       = "__ENDPOINT__"
  }
}

data "lambdawire_lambda_function_policy" "uses_provider" {
  function_name = "processor"
}
resource "lambdawire_scheduler_invoke_role" "bad" {
  function_arns = ["arn:aws:lambda:us-east-1:123456789012:function:hook"]
}
