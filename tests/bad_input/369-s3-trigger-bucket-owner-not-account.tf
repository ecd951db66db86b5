# path: bucket_owner
# expect: Invalid bucket_owner
# expect: must be a 12-digit AWS account id
# command: validate
resource "lambdawire_s3_trigger" "bad" {
  bucket        = "uploads"
  function_name = "hook"
  events        = ["s3:ObjectCreated:*"]
  bucket_owner  = "arn:aws:iam::123456789012:root"
}
