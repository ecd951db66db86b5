# path: function_name
# expect: invalid function_name
# command: validate
data "lambdawire_lambda_function_policy" "bad" {
  function_name = "processor\"}"
}
