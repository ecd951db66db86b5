output "role_name" {
  description = "The IAM role EventBridge Scheduler assumes to invoke the function."
  value       = lambdawire_scheduled_lambda_invoker.every_five_minutes.role_name
}

output "policy_json" {
  description = "The role's inline policy, exactly as granted."
  value       = lambdawire_scheduled_lambda_invoker.every_five_minutes.policy_json
}

output "trust_policy_json" {
  description = "Who may assume the role, exactly as granted."
  value       = lambdawire_scheduled_lambda_invoker.every_five_minutes.trust_policy_json
}

output "statement_json" {
  description = "The statement added to the function's resource-based policy."
  value       = lambdawire_lambda_invoke_permission.nightly_rule.statement_json
}
