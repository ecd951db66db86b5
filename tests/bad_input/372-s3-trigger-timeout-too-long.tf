# path: timeouts.create
# expect: invalid timeouts.create
# expect: longer than the 24h allowed
# command: plan
resource "lambdawire_s3_trigger" "bad" {
  bucket        = "uploads"
  function_name = "hook"
  events        = ["s3:ObjectCreated:*"]
  timeouts {
    create = "25h"
  }
}
