# path: default_tags["team"]
# expect: invalid tag value
# expect: contains '\n'
# command: plan
provider "lambdawire" {
  region = "us-east-1"
  default_tags = {
    "team" = "ops\nowner=x"
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
