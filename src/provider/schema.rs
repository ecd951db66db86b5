//! The provider block's schema.

use crate::plugin::schema::Schema;

use crate::plugin::schema::*;

/// The provider block's schema; docs/index.md is rendered from it.
pub fn provider_schema() -> Schema {
    schema(block(
        "lambdawire wires AWS Lambda invocations securely: EventBridge Scheduler schedules with \
         least-privilege roles, and scoped Lambda invoke permissions.",
        vec![
            ("region", attr(string(), Optional, "AWS region, such as `us-east-1`. Defaults to `AWS_REGION` / `AWS_DEFAULT_REGION` or the profile's region.")),
            ("profile", attr(string(), Optional, "Named profile of the standard shared config and credentials files.")),
            ("access_key", sensitive(string(), Optional, "Static access key id. Prefer the standard credential chain.")),
            ("secret_key", sensitive(string(), Optional, "Static secret access key, with `access_key`.")),
            ("token", sensitive(string(), Optional, "Session token for temporary static credentials.")),
            ("max_retries", attr(number(), Optional, "SDK retries per AWS call on throttling and transient errors. Default `25`.")),
            ("retry_mode", attr(string(), Optional, "`standard` (default) or `adaptive` (client-side rate limiting).")),
            ("skip_requesting_account_id", attr(boolean(), Optional, "Do not call STS GetCallerIdentity; the account id is then `account_id`. Never guessed from an ARN, which may name another account.")),
            ("account_id", attr(string(), Optional, "12-digit AWS account id used with `skip_requesting_account_id = true` (in role ARNs and trust policies). Without it, a resource that needs the account fails at plan. Without `skip_requesting_account_id`, STS is asked and must answer this account.")),
            ("default_tags", attr(string_map(), Optional, "Tags added to every IAM role this provider creates. A resource's own tags win on conflict.")),
            ("s3_use_path_style", attr(boolean(), Optional, "Address S3 buckets as `<endpoint>/<bucket>` rather than `<bucket>.<endpoint>`, as hashicorp/aws's argument of the same name does: for S3 emulators reached by a host name. Default false.")),
        ],
        vec![
            ("assume_role", optional_block(block(
                "Assume this IAM role (via STS) with the base credentials before any call.",
                vec![
                    ("role_arn", attr(string(), Optional, "ARN of the role to assume. Required in this block.")),
                    ("session_name", attr(string(), Optional, "Session name; default `lambdawire`.")),
                    ("external_id", sensitive(string(), Optional, "External id the role's trust policy requires. Sensitive: a secret shared with the role's owner, never shown in a plan or log.")),
                ],
                vec![],
            ))),
            ("endpoints", optional_block(block(
                "Custom endpoint URLs, for emulators such as moto or LocalStack. These win over `AWS_ENDPOINT_URL*`.",
                vec![
                    ("iam", attr(string(), Optional, "IAM endpoint URL.")),
                    ("lambda", attr(string(), Optional, "Lambda endpoint URL.")),
                    ("scheduler", attr(string(), Optional, "EventBridge Scheduler endpoint URL.")),
                    ("sts", attr(string(), Optional, "STS endpoint URL.")),
                    ("sns", attr(string(), Optional, "SNS endpoint URL (`lambdawire_sns_trigger`).")),
                    ("events", attr(string(), Optional, "EventBridge endpoint URL (`lambdawire_eventbridge_trigger`).")),
                    ("s3", attr(string(), Optional, "S3 endpoint URL (`lambdawire_s3_trigger`). With a host name that is not an IP address, an emulator usually needs `s3_use_path_style` too.")),
                        ],
                vec![],
            ))),
        ],
    ))
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Every secret of the provider block is sensitive, so Terraform never
    /// shows it in a plan: the external id is shared with the role's owner
    /// as a secret.
    #[test]
    fn every_secret_is_sensitive() {
        let schema = provider_schema();
        for name in ["access_key", "secret_key", "token"] {
            assert!(schema.block.attribute(name).unwrap().sensitive, "{name}");
        }
        let assume_role = &schema
            .block
            .blocks
            .iter()
            .find(|(n, _)| n == "assume_role")
            .expect("assume_role")
            .1;
        assert!(assume_role.body.attribute("external_id").unwrap().sensitive);
        assert!(!assume_role.body.attribute("role_arn").unwrap().sensitive);
    }
}
