# path: qualifier
# expect: $LATEST has no resource policy
# command: plan
data "lambdawire_lambda_function_policy" "bad" {
  function_name = "processor"
  qualifier     = "$LATEST"
}
