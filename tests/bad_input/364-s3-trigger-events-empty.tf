# path: events
# expect: no events
# expect: at least one event type
# command: validate
resource "lambdawire_s3_trigger" "bad" {
  bucket        = "uploads"
  function_name = "hook"
  events        = []
}
