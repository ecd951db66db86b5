output "subscription_arn" {
  description = "The topic's subscription of the function."
  value       = lambdawire_sns_trigger.orders.subscription_arn
}

output "rule_arn" {
  description = "The EventBridge rule that invokes the function."
  value       = lambdawire_eventbridge_trigger.uploads_seen.arn
}

output "schedule_arn" {
  description = "The hourly schedule."
  value       = lambdawire_scheduled_lambda_invoker.hourly.arn
}
