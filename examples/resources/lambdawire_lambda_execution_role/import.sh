# An execution role is imported by its role name. A name generated with a
# prefix imports as role.name_prefix, so the configuration above plans no
# change.
terraform import lambdawire_lambda_execution_role.orders orders-exec-202501011200000000a1b2c3d4
