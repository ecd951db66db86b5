# A mapping is imported by its UUID (aws lambda list-event-source-mappings
# --event-source-arn <queue ARN>). The grant on the function's execution role
# is the one this resource writes; the key it allows kms:Decrypt on, if any,
# becomes kms_key_arn.
terraform import lambdawire_sqs_event_source.orders 6f2f2d38-1b2c-4f0e-9d6a-0a1b2c3d4e5f
