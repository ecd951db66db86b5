# Who may call a function URL. Lambda has required two statements since
# October 2025: lambda:InvokeFunctionUrl (with the URL's auth type) and
# lambda:InvokeFunction (only for calls through the URL). One resource writes
# both, together; the function itself is never granted beyond its URL.

# A public URL (auth type NONE): anyone may call it. Unsigned calls carry
# no identity, so the principal is "*" (the default) and takes no scoping.
resource "lambdawire_function_url_access" "public" {
  function_name = "status-page"
  auth_type     = "NONE"
}

# A signed URL (AWS_IAM) on an alias, for one role of another account.
resource "lambdawire_function_url_access" "partner" {
  function_name       = "partner-webhook"
  qualifier           = "live"
  auth_type           = "AWS_IAM"
  principal           = "arn:aws:iam::210987654321:role/partner-caller"
  statement_id_prefix = "partner"
}

# CloudFront origin access control: only this distribution may call the URL
# (CloudFront signs its calls, so the URL's auth type is AWS_IAM).
resource "lambdawire_function_url_access" "cdn" {
  function_name  = "site-renderer"
  auth_type      = "AWS_IAM"
  principal      = "cloudfront.amazonaws.com"
  source_arn     = "arn:aws:cloudfront::123456789012:distribution/E2QWRUHEXAMPLE"
  source_account = "123456789012"
}
