# path: event_source_token_wo_version
# expect: event_source_token_wo_version without event_source_token_wo
# command: plan
resource "lambdawire_lambda_invoke_permission" "bad" {
  function_name = "processor"
  statement_id  = "ok"
  principal = "123456789012"
  event_source_token_wo_version = 1
}
