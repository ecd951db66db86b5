# path: default_tags["lambdawire:role"]
# expect: reserved tag key
# command: plan
provider "lambdawire" {
  region = "us-east-1"
  default_tags = {
    "lambdawire:role" = "x"
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
