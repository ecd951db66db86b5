# A schedule is imported by group/name, or by name alone for the "default"
# group. A role whose inline policy matches the generated one is adopted as
# managed; any other role is imported as existing_role_arn.
terraform import lambdawire_scheduled_lambda_invoker.reminder default/send-reminder-42
