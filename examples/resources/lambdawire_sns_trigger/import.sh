# A trigger is imported by its subscription's ARN (aws sns
# list-subscriptions-by-topic --topic-arn <topic ARN>). The topic, the
# function and the attributes are read from the subscription; the statement
# is found under the id its content gives, and written again by the next
# apply if it is missing.
terraform import lambdawire_sns_trigger.alerts arn:aws:sns:us-east-1:123456789012:alerts:6f1c3a52-9b0e-4c1e-8f59-2d3c1b0a9e77
