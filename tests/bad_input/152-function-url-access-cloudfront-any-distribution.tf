# path: source_arn
# expect: is not a CloudFront distribution ARN
# expect: no wildcard
# command: validate
resource "lambdawire_function_url_access" "bad" {
  function_name = "hook"
  auth_type     = "AWS_IAM"
  principal     = "cloudfront.amazonaws.com"
  source_arn    = "arn:aws:cloudfront::123456789012:distribution/*"
}
