# path: dead_letter_arn
# expect: invalid dead_letter_arn
# command: validate
resource "lambdawire_eventbridge_trigger" "bad" {
  name            = "paid"
  function_name   = "hook"
  event_pattern   = jsonencode({ source = ["shop"] })
  dead_letter_arn = "arn:aws:sns:us-east-1:123456789012:failed"
}
