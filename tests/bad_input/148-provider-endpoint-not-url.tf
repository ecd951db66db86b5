# path: endpoints.sts
# expect: endpoints.sts is not a URL
# expect: does not parse
# command: plan
provider "lambdawire" {
  region = "us-east-1"
  endpoints {
    iam       = "__ENDPOINT__"
    lambda    = "__ENDPOINT__"
    scheduler = "__ENDPOINT__"
    sts       = "localhost sts"
  }
}

data "lambdawire_lambda_function_policy" "uses_provider" {
  function_name = "processor"
}
