# path: assume_role.role_arn
# expect: invalid role ARN
# expect: does not start with role/
# command: plan
provider "lambdawire" {
  region = "us-east-1"
  assume_role {
    role_arn = "arn:aws:iam::123456789012:user/deployer"
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
