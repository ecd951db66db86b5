# A permission is imported by function/statement_id, or
# function:qualifier/statement_id for a statement on a version or alias.
# The function may be given by name or by ARN.
terraform import lambdawire_lambda_invoke_permission.uploads thumbnailer/AllowS3Uploads
terraform import lambdawire_lambda_invoke_permission.nightly_rule report:live/AllowNightlyRule
# An imported event-source token is never written to state: supply it with
# event_source_token_wo (and a version); the first apply after the import
# sends it once.
