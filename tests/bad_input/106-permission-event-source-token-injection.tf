# path: event_source_token
# expect: Invalid event_source_token
# expect: 1-256 characters
# command: plan
resource "lambdawire_lambda_invoke_permission" "bad" {
  function_name = "processor"
  statement_id  = "ok"
  principal = "alexa-appkit.amazon.com"
  event_source_token = "amzn1.ask\" OR 1=1"
}
