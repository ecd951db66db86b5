# A scheduler invoke role is imported by its role name. A generated name
# (lambdawire-scheduler-...) imports with no role.name, so a configuration
# without one plans no change.
terraform import lambdawire_scheduler_invoke_role.reminders reminders-scheduler
