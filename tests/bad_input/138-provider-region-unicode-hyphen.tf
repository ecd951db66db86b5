# path: region
# expect: invalid region
# command: plan
# note: U+2010 hyphens
provider "lambdawire" {
  region = "us‐east‐1"
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
