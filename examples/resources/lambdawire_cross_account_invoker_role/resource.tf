# The function's account (123456789012) owns the role; a partner's account
# (987654321098) assumes it to invoke the function, and nothing else.
provider "lambdawire" {
  alias   = "functions"
  region  = "us-east-1"
  profile = "functions-account"
}

# The secret shared with the partner. Keep it in a sensitive variable: the
# resource stores it as a sensitive value and shows "(sensitive)" in place of
# it in trust_policy_json.
variable "partner_external_id" {
  type      = string
  sensitive = true
}

resource "lambdawire_cross_account_invoker_role" "partner" {
  provider = lambdawire.functions

  function_arns = ["arn:aws:lambda:us-east-1:123456789012:function:auth"]
  # A role of the partner's account; an account id ("987654321098") would
  # trust every principal of that account that may call sts:AssumeRole.
  trusted_principals   = ["arn:aws:iam::987654321098:role/CallerRole"]
  external_id          = var.partner_external_id
  principal_org_id     = "o-a1b2c3d4e5"
  max_session_duration = 3600

  role {
    name = "partner-auth-invoker"
  }
}

# The caller's side, in the partner's account: a provider (this one, or
# hashicorp/aws with the same assume_role block) that acts as the role. The
# partner's CallerRole credentials assume it with the external id; the
# session may then only invoke the function. (The partner normally writes
# the role's ARN here as a literal, in a configuration of its own.)
provider "lambdawire" {
  alias   = "as_partner"
  region  = "us-east-1"
  profile = "partner-account"

  assume_role {
    role_arn     = lambdawire_cross_account_invoker_role.partner.arn
    session_name = "partner-invoke"
    external_id  = var.partner_external_id
  }
}
