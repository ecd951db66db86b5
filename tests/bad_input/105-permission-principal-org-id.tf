# path: principal_org_id
# expect: Invalid principal_org_id
# expect: "o-" followed by 10-32
# command: plan
resource "lambdawire_lambda_invoke_permission" "bad" {
  function_name = "processor"
  statement_id  = "ok"
  principal = "*"
  principal_org_id = "o-abc"
}
