# path: bucket
# expect: invalid bucket
# expect: not an IP address
# command: validate
resource "lambdawire_s3_trigger" "bad" {
  bucket        = "192.168.10.1"
  function_name = "hook"
  events        = ["s3:ObjectCreated:*"]
}
