# path: id
# expect: invalid id
# expect: to have one generated
# command: validate
resource "lambdawire_s3_trigger" "bad" {
  id            = ""
  bucket        = "uploads"
  function_name = "hook"
  events        = ["s3:ObjectCreated:*"]
}
