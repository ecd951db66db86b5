# app/schedule_once.py reads the first three with `terraform output -json`.

output "function_arn" {
  description = "The target of every one-time schedule."
  value       = aws_lambda_function.callback.arn
}

output "scheduler_role_arn" {
  description = "The role the schedules' target assumes (Target.RoleArn)."
  value       = lambdawire_scheduler_invoke_role.callbacks.arn
}

output "schedule_group" {
  description = "The group the schedules must be created in (GroupName): the role's trust names it."
  value       = aws_scheduler_schedule_group.callbacks.name
}

output "app_role_arn" {
  description = "The role the application runs as: it may create schedules in the group, passing the scheduler role, and nothing else."
  value       = aws_iam_role.app.arn
}
