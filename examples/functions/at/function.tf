variable "function_arn" {
  type = string
}

# A one-time schedule at 09:00 Paris time on 1 January 2030, from a UTC
# timestamp: the expression is rendered in the schedule's own time zone.
resource "lambdawire_scheduled_lambda_invoker" "new_year" {
  name                         = "new-year-greeting"
  function_arn                 = var.function_arn
  schedule_expression          = provider::lambdawire::at("2030-01-01T08:00:00Z", "Europe/Paris")
  schedule_expression_timezone = "Europe/Paris"
}
