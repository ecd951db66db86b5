# path: assume_role.role_arn
# expect: assume_role needs role_arn
# command: plan
# line: assume_role {
provider "lambdawire" {
  region = "us-east-1"
  assume_role {
    session_name = "ci"
  }
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
