# Who may invoke the function today: one object per policy statement, and
# an audit of who can invoke it that should not. Without a qualifier every
# policy is audited (the function's own, each alias's and each published
# version's), and each statement and finding names its qualifier (null for
# the function's own).
data "lambdawire_lambda_function_policy" "processor" {
  function_name = "processor"

  # Fail the plan on a high-severity finding (a public grant without a
  # condition, say). Terraform stops at a failed postcondition.
  lifecycle {
    postcondition {
      condition = length([for f in self.findings : f if f.severity == "high"]) == 0
      error_message = join("; ", [
        for f in self.findings : "${coalesce(f.sid, "policy")}${f.qualifier == null ? "" : " (${f.qualifier})"}: ${f.message}" if f.severity == "high"
      ])
    }
  }
}

# Report every finding on each plan and apply without stopping it: a check
# block's failed assertion is a warning in Terraform.
check "processor_invokers" {
  assert {
    condition     = length(data.lambdawire_lambda_function_policy.processor.findings) == 0
    error_message = join("; ", [for f in data.lambdawire_lambda_function_policy.processor.findings : "${f.severity} ${f.code}${f.qualifier == null ? "" : " in ${f.qualifier}"}: ${f.message}"])
  }
}

output "invokers" {
  value = [for s in data.lambdawire_lambda_function_policy.processor.statements : "${s.principal} via ${s.sid}${s.qualifier == null ? "" : " on ${s.qualifier}"}"]
}

output "policy_size" {
  value = "${data.lambdawire_lambda_function_policy.processor.size_bytes} of 20480 bytes"
}
