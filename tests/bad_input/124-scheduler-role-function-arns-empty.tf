# path: function_arns
# expect: function_arns is empty
# command: plan
resource "lambdawire_scheduler_invoke_role" "bad" {
  function_arns = []
}
