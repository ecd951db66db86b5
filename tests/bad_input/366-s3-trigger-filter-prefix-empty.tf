# path: filter_prefix
# expect: invalid filter_prefix
# expect: leave it out (null) to match every key
# command: validate
resource "lambdawire_s3_trigger" "bad" {
  bucket        = "uploads"
  function_name = "hook"
  events        = ["s3:ObjectCreated:*"]
  filter_prefix = ""
}
