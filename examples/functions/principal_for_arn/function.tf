# The service principal that calls Lambda for a source ARN.
output "uploads_principal" {
  value = provider::lambdawire::principal_for_arn("arn:aws:s3:::uploads") # "s3.amazonaws.com"
}
