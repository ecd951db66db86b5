# path: local.principal
# expect: Invalid value for "arn" parameter
# expect: cannot infer a principal
# command: plan
locals {
  principal = provider::lambdawire::principal_for_arn("arn:aws:ec2:us-east-1:123456789012:instance/i-1")
}
