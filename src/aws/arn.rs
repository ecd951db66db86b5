//! ARN parsing: pure, no I/O. Shapes are checked per service so a typo is a
//! plan-time error on the attribute instead of an AWS ValidationException.

/// The six parts of an ARN.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Arn<'a> {
    pub partition: &'a str,
    pub service: &'a str,
    pub region: &'a str,
    pub account: &'a str,
    pub resource: &'a str,
}

pub fn parse(text: &str) -> Result<Arn<'_>, String> {
    let parts: Vec<&str> = text.splitn(6, ':').collect();
    if parts.len() != 6 || parts[0] != "arn" {
        return Err(format!("{text:?} is not an ARN (expected arn:<partition>:<service>:<region>:<account>:<resource>)"));
    }
    if !parts[1].starts_with("aws") || parts[2].is_empty() || parts[5].is_empty() {
        return Err(format!(
            "{text:?} is not an ARN: partition, service and resource must be set"
        ));
    }
    Ok(Arn {
        partition: parts[1],
        service: parts[2],
        region: parts[3],
        account: parts[4],
        resource: parts[5],
    })
}

/// A 12-digit AWS account id.
pub fn is_account(account: &str) -> bool {
    account.len() == 12 && account.bytes().all(|b| b.is_ascii_digit())
}

fn expect_service<'a>(text: &'a str, service: &str, what: &str) -> Result<Arn<'a>, String> {
    let arn = parse(text)?;
    if arn.service != service {
        return Err(format!(
            "{text:?} is a {} ARN, not a {what} ARN",
            arn.service
        ));
    }
    Ok(arn)
}

/// `arn:<p>:lambda:<region>:<account>:function:<name>[:<version or alias>]`
pub fn lambda_function(text: &str) -> Result<Arn<'_>, String> {
    let arn = expect_service(text, "lambda", "Lambda function")?;
    let shape =
        "arn:<partition>:lambda:<region>:<12-digit account>:function:<name>[:<version or alias>]";
    let mut segments = arn.resource.split(':');
    let ok = segments.next() == Some("function")
        && segments.next().is_some_and(|n| {
            (1..=64).contains(&n.len())
                && n.bytes()
                    .all(|b| b.is_ascii_alphanumeric() || b == b'-' || b == b'_')
        })
        && segments.next().is_none_or(|q| {
            (1..=128).contains(&q.len())
                && q.bytes()
                    .all(|b| b.is_ascii_alphanumeric() || b == b'-' || b == b'_' || b == b'$')
        })
        && segments.next().is_none()
        && !arn.region.is_empty()
        && is_account(arn.account);
    if ok {
        Ok(arn)
    } else {
        Err(format!(
            "{text:?} is not a Lambda function ARN: expected {shape}"
        ))
    }
}

/// `arn:<p>:sqs:<region>:<account>:<queue name>`
pub fn sqs_queue(text: &str) -> Result<Arn<'_>, String> {
    let arn = expect_service(text, "sqs", "SQS queue")?;
    let ok = !arn.region.is_empty()
        && is_account(arn.account)
        && arn.resource.len() <= 80
        && arn
            .resource
            .bytes()
            .all(|b| b.is_ascii_alphanumeric() || b == b'-' || b == b'_' || b == b'.');
    if ok {
        Ok(arn)
    } else {
        Err(format!("{text:?} is not an SQS queue ARN: expected arn:<partition>:sqs:<region>:<12-digit account>:<queue name>"))
    }
}

/// `arn:<p>:kms:<region>:<account>:key/<id>` or `...:alias/<name>`
pub fn kms_key(text: &str) -> Result<Arn<'_>, String> {
    let arn = expect_service(text, "kms", "KMS key")?;
    let ok = !arn.region.is_empty()
        && is_account(arn.account)
        && (arn
            .resource
            .strip_prefix("key/")
            .is_some_and(|k| !k.is_empty())
            || arn
                .resource
                .strip_prefix("alias/")
                .is_some_and(|k| !k.is_empty()));
    if ok {
        Ok(arn)
    } else {
        Err(format!("{text:?} is not a KMS key ARN: expected arn:<partition>:kms:<region>:<12-digit account>:key/<key id>"))
    }
}

/// `arn:<p>:iam::<account>:role/<path/>name`; returns the role's name.
pub fn iam_role(text: &str) -> Result<&str, String> {
    let arn = expect_service(text, "iam", "IAM role")?;
    let name = arn
        .resource
        .strip_prefix("role/")
        .and_then(|rest| rest.rsplit('/').next())
        .filter(|n| !n.is_empty() && n.len() <= 64);
    match name {
        Some(name) if arn.region.is_empty() && is_account(arn.account) => Ok(name),
        _ => Err(format!("{text:?} is not an IAM role ARN: expected arn:<partition>:iam::<12-digit account>:role/<path/>name")),
    }
}

/// The path of a role ARN (`/` when it has none).
pub fn iam_role_path(text: &str) -> String {
    let resource = parse(text).map(|a| a.resource).unwrap_or_default();
    let rest = resource.strip_prefix("role").unwrap_or("/");
    match rest.rfind('/') {
        Some(end) if end > 0 => rest[..=end].to_string(),
        _ => "/".to_string(),
    }
}

/// `arn:<p>:iam::<account or aws>:policy/<path/>name`
pub fn iam_policy(text: &str) -> Result<Arn<'_>, String> {
    let arn = expect_service(text, "iam", "IAM policy")?;
    let ok = arn.region.is_empty()
        && (is_account(arn.account) || arn.account == "aws")
        && arn
            .resource
            .strip_prefix("policy/")
            .is_some_and(|p| !p.is_empty());
    if ok {
        Ok(arn)
    } else {
        Err(format!("{text:?} is not an IAM policy ARN: expected arn:<partition>:iam::<12-digit account>:policy/<name>"))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn function_arns() {
        for good in [
            "arn:aws:lambda:us-east-1:123456789012:function:hook",
            "arn:aws:lambda:us-east-1:123456789012:function:hook:live",
            "arn:aws:lambda:us-east-1:123456789012:function:hook:7",
            "arn:aws-cn:lambda:cn-north-1:123456789012:function:my_fn-2",
        ] {
            assert!(lambda_function(good).is_ok(), "{good}");
        }
        for bad in [
            "hook",
            "arn:aws:lambda:us-east-1:123456789012:layer:x",
            "arn:aws:lambda:us-east-1:12345:function:hook",
            "arn:aws:lambda::123456789012:function:hook",
            "arn:aws:lambda:us-east-1:123456789012:function:",
            "arn:aws:lambda:us-east-1:123456789012:function:a:b:c",
            "arn:aws:sqs:us-east-1:123456789012:q",
        ] {
            assert!(lambda_function(bad).is_err(), "{bad}");
        }
    }

    #[test]
    fn wrong_service_names_both() {
        let err = lambda_function("arn:aws:sqs:us-east-1:123456789012:q").unwrap_err();
        assert!(err.contains("sqs ARN, not a Lambda function ARN"), "{err}");
    }

    #[test]
    fn queue_key_role_policy_arns() {
        assert!(sqs_queue("arn:aws:sqs:us-east-1:123456789012:dlq.fifo").is_ok());
        assert!(sqs_queue("arn:aws:sqs:us-east-1:123456789012:").is_err());
        assert!(kms_key("arn:aws:kms:us-east-1:123456789012:key/1234abcd").is_ok());
        assert!(kms_key("arn:aws:kms:us-east-1:123456789012:alias/app").is_ok());
        assert!(kms_key("arn:aws:kms:us-east-1:123456789012:1234").is_err());
        assert_eq!(
            iam_role("arn:aws:iam::123456789012:role/ops/scheduler-x"),
            Ok("scheduler-x")
        );
        assert!(iam_role("arn:aws:iam::123456789012:user/x").is_err());
        assert!(iam_policy("arn:aws:iam::aws:policy/PowerUserAccess").is_ok());
        assert!(iam_policy("arn:aws:iam::123456789012:role/x").is_err());
    }

    #[test]
    fn role_paths() {
        assert_eq!(iam_role_path("arn:aws:iam::123456789012:role/x"), "/");
        assert_eq!(
            iam_role_path("arn:aws:iam::123456789012:role/ops/team/x"),
            "/ops/team/"
        );
    }
}
