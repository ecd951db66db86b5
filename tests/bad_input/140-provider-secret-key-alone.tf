# path: access_key
# expect: access_key is required with secret_key
# command: plan
# line: provider "lambdawire"
provider "lambdawire" {
  region = "us-east-1"
  secret_key = "secret"
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
