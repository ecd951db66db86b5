# path: local.principal
# expect: Invalid value for "arn" parameter
# expect: is not an ARN
# command: plan
locals {
  principal = provider::lambdawire::principal_for_arn("uploads")
}
