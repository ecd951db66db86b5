# Credentials come from the standard AWS chain: environment variables, shared
# config and credentials files, SSO, web identity, container and instance
# metadata. Every argument is optional.
provider "lambdawire" {
  region = "us-east-1"

  # Tags on every IAM role this provider creates.
  default_tags = {
    team       = "payments"
    managed-by = "terraform"
  }
}

# Another account, through a role; a second configuration with an alias.
provider "lambdawire" {
  alias  = "prod"
  region = "eu-west-1"

  assume_role {
    role_arn     = "arn:aws:iam::210987654321:role/terraform-deployer"
    session_name = "lambdawire"
  }
}

# An emulator such as moto or LocalStack: every service on one local URL.
# (Setting AWS_ENDPOINT_URL=http://127.0.0.1:5000 does the same, and keeps the
# configuration identical to the one used against AWS.)
provider "lambdawire" {
  alias                      = "local"
  region                     = "us-east-1"
  skip_requesting_account_id = false

  endpoints {
    iam       = "http://127.0.0.1:5000"
    lambda    = "http://127.0.0.1:5000"
    scheduler = "http://127.0.0.1:5000"
    sts       = "http://127.0.0.1:5000"
    sns       = "http://127.0.0.1:5000"
    events    = "http://127.0.0.1:5000"
    s3        = "http://127.0.0.1:5000"
  }
}

# No STS call for the account: it is then exactly account_id (12 digits), used
# in role ARNs and trust policies. It is never taken from a function ARN, which
# may name another account; without account_id, resources fail at plan.
provider "lambdawire" {
  alias                      = "no-sts"
  region                     = "us-east-1"
  skip_requesting_account_id = true
  account_id                 = "123456789012"
}
