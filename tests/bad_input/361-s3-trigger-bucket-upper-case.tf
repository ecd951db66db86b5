# path: bucket
# expect: invalid bucket
# expect: 3-63 lowercase letters
# command: validate
resource "lambdawire_s3_trigger" "bad" {
  bucket        = "Uploads"
  function_name = "hook"
  events        = ["s3:ObjectCreated:*"]
}
