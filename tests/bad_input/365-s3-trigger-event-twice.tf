# path: events[1]
# expect: duplicate event type
# expect: is listed twice
# command: validate
resource "lambdawire_s3_trigger" "bad" {
  bucket        = "uploads"
  function_name = "hook"
  events        = ["s3:ObjectCreated:Put", "s3:ObjectCreated:Put"]
}
