# path: function_name
# expect: Invalid function_name
# expect: invalid function name
# command: validate
resource "lambdawire_s3_trigger" "bad" {
  bucket        = "uploads"
  function_name = "hook.py"
  events        = ["s3:ObjectCreated:*"]
}
