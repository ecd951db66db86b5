# path: schedule_group
# expect: invalid schedule_group
# expect: contains '*'
# command: plan
# note: a wildcard group would widen aws:SourceArn
resource "lambdawire_scheduler_invoke_role" "bad" {
  function_arns = ["arn:aws:lambda:us-east-1:123456789012:function:hook"]
  schedule_group = "*"
}
