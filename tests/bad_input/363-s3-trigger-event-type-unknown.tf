# path: events[1]
# expect: invalid events element
# expect: is not an S3 event type
# command: validate
# note: the family without its wildcard, a common slip
resource "lambdawire_s3_trigger" "bad" {
  bucket        = "uploads"
  function_name = "hook"
  events        = ["s3:ObjectRemoved:*", "s3:ObjectCreated"]
}
