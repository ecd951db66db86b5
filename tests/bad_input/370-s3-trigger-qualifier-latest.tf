# path: qualifier
# expect: Unsupported qualifier
# expect: does not support resource-based policy statements on $LATEST
# command: validate
resource "lambdawire_s3_trigger" "bad" {
  bucket        = "uploads"
  function_name = "hook"
  qualifier     = "$LATEST"
  events        = ["s3:ObjectCreated:*"]
}
