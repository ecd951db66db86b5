# path: secret_key
# expect: secret_key is required with access_key
# command: plan
# line: provider "lambdawire"
provider "lambdawire" {
  region = "us-east-1"
  access_key = "AKIAEXAMPLE"
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
