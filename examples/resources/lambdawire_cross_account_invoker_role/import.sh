# A cross-account invoker role is imported by its role name. Its external id
# is read from the trust policy into the sensitive external_id, so a
# configuration with the same id plans no change. Principals of the form
# arn:<partition>:iam::<id>:root are imported as account ids.
terraform import lambdawire_cross_account_invoker_role.partner partner-auth-invoker
