# path: max_retries
# expect: max_retries 101 is out of range
# command: plan
provider "lambdawire" {
  region = "us-east-1"
  max_retries = 101
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
