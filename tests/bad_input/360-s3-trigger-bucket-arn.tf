# path: bucket
# expect: invalid bucket
# expect: Give the bucket's name, not its ARN
# command: validate
resource "lambdawire_s3_trigger" "bad" {
  bucket        = "arn:aws:s3:::uploads"
  function_name = "hook"
  events        = ["s3:ObjectCreated:*"]
}
