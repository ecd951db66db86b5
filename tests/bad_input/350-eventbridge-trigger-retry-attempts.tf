# path: retry_policy[0].maximum_retry_attempts
# expect: maximum_retry_attempts out of range
# expect: use 0-185
# command: validate
resource "lambdawire_eventbridge_trigger" "bad" {
  name          = "paid"
  function_name = "hook"
  event_pattern = jsonencode({ source = ["shop"] })
  retry_policy {
    maximum_retry_attempts = 200
  }
}
