# path: events[0]
# expect: invalid events element
# expect: is not an event a notification can subscribe to
# command: validate
# note: S3 sends s3:TestEvent itself when the configuration is written; it is no configurable event
resource "lambdawire_s3_trigger" "bad" {
  bucket        = "uploads"
  function_name = "hook"
  events        = ["s3:TestEvent"]
}
