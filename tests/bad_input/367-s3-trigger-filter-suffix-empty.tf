# path: filter_suffix
# expect: invalid filter_suffix
# expect: a key filter is 1-1024 characters
# command: validate
resource "lambdawire_s3_trigger" "bad" {
  bucket        = "uploads"
  function_name = "hook"
  events        = ["s3:ObjectCreated:*"]
  filter_suffix = ""
}
