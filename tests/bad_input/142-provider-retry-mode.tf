# path: retry_mode
# expect: invalid retry_mode "fast"
# command: plan
provider "lambdawire" {
  region = "us-east-1"
  retry_mode = "fast"
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
