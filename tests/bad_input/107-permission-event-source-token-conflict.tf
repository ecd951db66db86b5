# path: event_source_token_wo
# expect: Conflicting event-source tokens
# command: plan
resource "lambdawire_lambda_invoke_permission" "bad" {
  function_name = "processor"
  statement_id  = "ok"
  principal = "alexa-appkit.amazon.com"
  event_source_token = "amzn1.ask.skill.a"
  event_source_token_wo = "amzn1.ask.skill.b"
}
