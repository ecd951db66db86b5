# path: description
# expect: invalid description
# command: validate
resource "lambdawire_eventbridge_trigger" "bad" {
  name          = "paid"
  function_name = "hook"
  event_pattern = jsonencode({ source = ["shop"] })
  description   = join("", [for i in range(520) : "d"])
}
