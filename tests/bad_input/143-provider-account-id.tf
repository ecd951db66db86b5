# path: account_id
# expect: invalid account_id
# expect: exactly 12 digits
# command: plan
provider "lambdawire" {
  region = "us-east-1"
  account_id = "1234-5678-9012"
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
