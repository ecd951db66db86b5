# path: endpoints.iam
# expect: endpoints.iam is not a URL
# expect: its scheme is "ftp"
# command: plan
provider "lambdawire" {
  region = "us-east-1"
  endpoints {
    iam       = "ftp://127.0.0.1:21"
    lambda    = "__ENDPOINT__"
    scheduler = "__ENDPOINT__"
    sts       = "__ENDPOINT__"
  }
}

data "lambdawire_lambda_function_policy" "uses_provider" {
  function_name = "processor"
}
