# Who may invoke the function today: one object per policy statement.
data "lambdawire_lambda_function_policy" "processor" {
  function_name = "processor"
}

output "invokers" {
  value = [for s in data.lambdawire_lambda_function_policy.processor.statements : "${s.principal} via ${s.sid}"]
}
