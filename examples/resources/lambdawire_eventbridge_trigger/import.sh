# A trigger is imported by <event_bus_name>/<rule name>, or by the rule name
# alone for a rule of the default bus. The rule must have exactly one Lambda
# function target; its function becomes function_name as the target's ARN
# (with a version or alias as qualifier), so write function_name as that ARN
# (aws_lambda_function.<name>.arn) for an empty plan after the import. The
# grant is found by the id its content derives; when another grant serves the
# rule (an aws_lambda_permission's), the next apply adds this resource's.
terraform import lambdawire_eventbridge_trigger.paid orders/orders-paid
terraform import lambdawire_eventbridge_trigger.uploads uploads-created
