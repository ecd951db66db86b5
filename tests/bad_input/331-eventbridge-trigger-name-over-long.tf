# path: name
# expect: invalid name
# expect: 1-64 characters
# command: validate
resource "lambdawire_eventbridge_trigger" "bad" {
  name          = "a-rule-name-that-is-far-longer-than-the-sixty-four-characters-eventbridge-allows"
  function_name = "hook"
  event_pattern = jsonencode({ source = ["shop"] })
}
