# path: function_name
# expect: the function is in region us-west-2, not the provider's us-east-1
# command: plan
# note: checked at plan against the provider's region, before any read
resource "lambdawire_s3_trigger" "bad" {
  bucket        = "uploads"
  function_name = "arn:aws:lambda:us-west-2:123456789012:function:hook"
  events        = ["s3:ObjectCreated:*"]
}
