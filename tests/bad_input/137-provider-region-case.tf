# path: region
# expect: invalid region "US-EAST-1"
# command: validate
provider "lambdawire" {
  region = "US-EAST-1"
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
