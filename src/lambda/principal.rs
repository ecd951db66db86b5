//! Layer: pure (no I/O). Infers which AWS service principal invokes a Lambda
//! function on behalf of a given source ARN, and checks that an explicitly
//! configured service principal agrees with that source.

use crate::validate::arn::{self, Arn};

/// The parts of a source ARN, or `None` when `text` is not one (the one ARN
/// parser of the provider, `crate::validate::arn`, decides). A source ARN is a
/// condition value, so its region and account may be patterns; whether it
/// still scopes anything is `Arn::unscoped_because`'s question.
pub fn split_arn(text: &str) -> Option<Arn<'_>> {
    arn::parse_pattern(text).ok()
}

/// The service segment of an ARN, or `None` when `arn` is not ARN-shaped.
pub fn arn_service(arn: &str) -> Option<&str> {
    split_arn(arn).map(|p| p.service)
}

/// Service principals are domain-style names; the `.cn` form is what some
/// services use in the China partition.
pub fn is_service_principal(principal: &str) -> bool {
    principal.ends_with(".amazonaws.com")
        || principal.ends_with(".amazon.com")
        || principal.ends_with(".amazonaws.com.cn")
}

/// Services whose principal is simply `<name>.amazonaws.com`-style and does
/// not depend on the resource type or region. Services that Lambda documents
/// as invoking through resource-based policies, plus the event sources users
/// commonly wire by hand.
const FIXED_PRINCIPALS: &[(&str, &str)] = &[
    ("s3", "s3.amazonaws.com"),
    ("execute-api", "apigateway.amazonaws.com"),
    ("events", "events.amazonaws.com"),
    ("sns", "sns.amazonaws.com"),
    ("logs", "logs.amazonaws.com"),
    ("iot", "iot.amazonaws.com"),
    ("cognito-idp", "cognito-idp.amazonaws.com"),
    ("sqs", "sqs.amazonaws.com"),
    ("elasticloadbalancing", "elasticloadbalancing.amazonaws.com"),
    ("kafka", "kafka.amazonaws.com"),
    ("secretsmanager", "secretsmanager.amazonaws.com"),
    ("config", "config.amazonaws.com"),
    ("ses", "ses.amazonaws.com"),
    ("scheduler", "scheduler.amazonaws.com"),
    ("connect", "connect.amazonaws.com"),
    ("bedrock", "bedrock.amazonaws.com"),
    ("codecommit", "codecommit.amazonaws.com"),
    ("states", "states.amazonaws.com"),
    ("dynamodb", "dynamodb.amazonaws.com"),
    ("kinesis", "kinesis.amazonaws.com"),
    ("pipes", "pipes.amazonaws.com"),
    ("cloudfront", "cloudfront.amazonaws.com"),
];

/// Every principal that may legitimately invoke for this source; the first is
/// the one inferred. More than one exists where AWS has renamed or
/// regionalised a principal and both forms are still honoured.
fn accepted_principals(parts: &Arn<'_>) -> Result<Vec<String>, String> {
    let service = parts.service;
    if let Some((_, principal)) = FIXED_PRINCIPALS.iter().find(|(s, _)| *s == service) {
        let mut accepted = vec![(*principal).to_string()];
        // CloudWatch Logs subscriptions historically used a regional principal.
        if service == "logs" && !parts.region.is_empty() {
            accepted.push(format!("logs.{}.amazonaws.com", parts.region));
        }
        return Ok(accepted);
    }
    match service {
        // Lex V2 resources are `bot/...` or `bot-alias/...` and are invoked by a
        // separate principal from the V1 `bot:`/`intent:` resources.
        "lex" => {
            let v2 = parts.resource.starts_with("bot-alias/") || parts.resource.starts_with("bot/");
            let (first, second) = if v2 {
                ("lexv2.amazonaws.com", "lex.amazonaws.com")
            } else {
                ("lex.amazonaws.com", "lexv2.amazonaws.com")
            };
            Ok(vec![first.to_string(), second.to_string()])
        }
        // Only alarms can act on a function; other CloudWatch resources never invoke.
        "cloudwatch" => {
            if parts.resource.starts_with("alarm:") {
                Ok(vec!["lambda.alarms.cloudwatch.amazonaws.com".to_string()])
            } else {
                Err(format!(
                    "only CloudWatch alarm ARNs (arn:...:cloudwatch:<region>:<account>:alarm:<name>) \
                     can invoke a function, got resource \"{}\": set principal explicitly",
                    parts.resource
                ))
            }
        }
        // WorkMail's principal is per region, so it must be built from the ARN.
        "workmail" if !parts.region.is_empty() => {
            Ok(vec![format!("workmail.{}.amazonaws.com", parts.region)])
        }
        // A common mistake: management ARNs never appear as the caller's SourceArn,
        // so a statement scoped to one would never match an invocation.
        "apigateway" => Err("API Gateway invokes with an execute-api ARN \
             (arn:<partition>:execute-api:<region>:<account>:<api-id>/<stage>/<method>/<path>), \
             not an apigateway management ARN: use the execute-api form as source_arn"
            .to_string()),
        _ => Err(format!(
            "cannot infer a principal from ARN service \"{service}\": set principal explicitly"
        )),
    }
}

/// The service principal that calls Lambda when `arn` is the source resource.
pub fn principal_for_arn(arn: &str) -> Result<String, String> {
    let parts = arn::parse_pattern(arn)?;
    accepted_principals(&parts)?
        .into_iter()
        .next()
        .ok_or_else(|| {
            format!(
                "cannot infer a principal from ARN service \"{}\": set principal explicitly",
                parts.service
            )
        })
}

/// China-partition principals may carry a `.cn` suffix yet name the same service.
fn normalise_service_principal(p: &str) -> &str {
    p.strip_suffix(".cn").unwrap_or(p)
}

/// Checks that an explicit service principal is the one that actually invokes
/// for `source_arn`. Account principals and `*` are scoped by other rules, and a
/// source whose service is unknown cannot be contradicted, so both pass.
pub fn principal_agrees_with_source(principal: &str, source_arn: &str) -> Result<(), String> {
    if !is_service_principal(principal) {
        return Ok(());
    }
    let parts = arn::parse_pattern(source_arn)?;
    let Ok(accepted) = accepted_principals(&parts) else {
        return Ok(());
    };
    let wanted = normalise_service_principal(principal);
    if accepted.iter().any(|a| a == wanted) {
        return Ok(());
    }
    let expected = accepted.first().map(String::as_str).unwrap_or_default();
    Err(format!(
        "principal \"{principal}\" does not match source_arn service \"{}\": \
         resources of that service invoke as \"{expected}\", so a statement for \
         \"{principal}\" scoped to this ARN would never match a real invocation",
        parts.service
    ))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_mapping_infers_its_principal() {
        let cases: &[(&str, &str)] = &[
            ("arn:aws:s3:::my-bucket", "s3.amazonaws.com"),
            (
                "arn:aws:execute-api:us-east-1:123456789012:abc123/prod/GET/items",
                "apigateway.amazonaws.com",
            ),
            (
                "arn:aws:events:us-east-1:123456789012:rule/nightly",
                "events.amazonaws.com",
            ),
            (
                "arn:aws:sns:us-east-1:123456789012:alerts",
                "sns.amazonaws.com",
            ),
            (
                "arn:aws:logs:us-east-1:123456789012:log-group:/app/x:*",
                "logs.amazonaws.com",
            ),
            (
                "arn:aws:iot:us-east-1:123456789012:rule/my_rule",
                "iot.amazonaws.com",
            ),
            (
                "arn:aws:cognito-idp:us-east-1:123456789012:userpool/us-east-1_abc",
                "cognito-idp.amazonaws.com",
            ),
            (
                "arn:aws:sqs:us-east-1:123456789012:queue",
                "sqs.amazonaws.com",
            ),
            (
                "arn:aws:elasticloadbalancing:us-east-1:123456789012:targetgroup/tg/0123456789abcdef",
                "elasticloadbalancing.amazonaws.com",
            ),
            (
                "arn:aws:kafka:us-east-1:123456789012:cluster/c/uuid",
                "kafka.amazonaws.com",
            ),
            (
                "arn:aws:secretsmanager:us-east-1:123456789012:secret:db-AbCdEf",
                "secretsmanager.amazonaws.com",
            ),
            (
                "arn:aws:config:us-east-1:123456789012:config-rule/config-rule-abc",
                "config.amazonaws.com",
            ),
            (
                "arn:aws:ses:us-east-1:123456789012:receipt-rule-set/set:receipt-rule/r",
                "ses.amazonaws.com",
            ),
            (
                "arn:aws:scheduler:us-east-1:123456789012:schedule/default/s",
                "scheduler.amazonaws.com",
            ),
            (
                "arn:aws:lex:us-east-1:123456789012:intent:OrderFlowers:*",
                "lex.amazonaws.com",
            ),
            (
                "arn:aws:lex:us-east-1:123456789012:bot-alias/BOTID/ALIASID",
                "lexv2.amazonaws.com",
            ),
            (
                "arn:aws:lex:us-east-1:123456789012:bot/BOTID",
                "lexv2.amazonaws.com",
            ),
            (
                "arn:aws:connect:us-east-1:123456789012:instance/uuid",
                "connect.amazonaws.com",
            ),
            (
                "arn:aws:bedrock:us-east-1:123456789012:agent/AGENTID",
                "bedrock.amazonaws.com",
            ),
            (
                "arn:aws:codecommit:us-east-1:123456789012:repo",
                "codecommit.amazonaws.com",
            ),
            (
                "arn:aws:states:us-east-1:123456789012:stateMachine:sm",
                "states.amazonaws.com",
            ),
            (
                "arn:aws:dynamodb:us-east-1:123456789012:table/t/stream/2024-01-01T00:00:00.000",
                "dynamodb.amazonaws.com",
            ),
            (
                "arn:aws:kinesis:us-east-1:123456789012:stream/s",
                "kinesis.amazonaws.com",
            ),
            (
                "arn:aws:cloudwatch:us-east-1:123456789012:alarm:high-cpu",
                "lambda.alarms.cloudwatch.amazonaws.com",
            ),
            (
                "arn:aws:pipes:us-east-1:123456789012:pipe/p",
                "pipes.amazonaws.com",
            ),
            (
                "arn:aws:cloudfront::123456789012:distribution/E2ABCDEF",
                "cloudfront.amazonaws.com",
            ),
            (
                "arn:aws:workmail:eu-west-1:123456789012:organization/m-abc",
                "workmail.eu-west-1.amazonaws.com",
            ),
            ("arn:aws-cn:s3:::cn-bucket", "s3.amazonaws.com"),
        ];
        for (arn, want) in cases {
            assert_eq!(principal_for_arn(arn).as_deref(), Ok(*want), "{arn}");
        }
    }

    #[test]
    fn every_fixed_service_is_covered_by_a_test_case() {
        // Guards against a table entry being added without a realistic ARN above.
        for (service, principal) in FIXED_PRINCIPALS {
            let arn = format!("arn:aws:{service}:us-east-1:123456789012:thing");
            assert_eq!(principal_for_arn(&arn).as_deref(), Ok(*principal));
        }
    }

    #[test]
    fn unknown_services_and_non_arns_are_errors() {
        let cases: &[(&str, &str)] = &[
            (
                "arn:aws:ec2:us-east-1:123456789012:instance/i-1",
                "cannot infer a principal from ARN service \"ec2\": set principal explicitly",
            ),
            ("not-an-arn", "is not an ARN"),
            ("arn:aws:s3::", "is not an ARN"),
            ("arn::s3:::bucket", "partition is empty"),
            ("arn:aws::::x", "service is empty"),
            ("arn:aws:S3:::bucket", "service \"S3\""),
            ("arn:*:s3:::bucket", "wildcard in its partition"),
            ("arn:aws:s3:::", "is not an ARN"),
            ("aws:s3:::bucket:x", "is not an ARN"),
            ("arn:aws:apigateway:us-east-1::/restapis/abc", "execute-api"),
            (
                "arn:aws:cloudwatch:us-east-1:123456789012:dashboard/d",
                "only CloudWatch alarm ARNs",
            ),
        ];
        for (arn, fragment) in cases {
            let err = principal_for_arn(arn).expect_err(arn);
            assert!(err.contains(fragment), "{arn}: {err}");
        }
    }

    #[test]
    fn arn_service_extracts_the_service_segment() {
        assert_eq!(arn_service("arn:aws:s3:::b"), Some("s3"));
        assert_eq!(
            arn_service("arn:aws-us-gov:sns:us-gov-west-1:123456789012:t"),
            Some("sns")
        );
        assert_eq!(arn_service("s3.amazonaws.com"), None);
        assert_eq!(arn_service("arn:aws:s3"), None);
    }

    #[test]
    fn agreement_checks_only_service_principals() {
        let ok: &[(&str, &str)] = &[
            ("s3.amazonaws.com", "arn:aws:s3:::b"),
            ("s3.amazonaws.com.cn", "arn:aws-cn:s3:::b"),
            (
                "logs.us-east-1.amazonaws.com",
                "arn:aws:logs:us-east-1:123456789012:log-group:g:*",
            ),
            (
                "lex.amazonaws.com",
                "arn:aws:lex:us-east-1:123456789012:bot-alias/B/A",
            ),
            ("123456789012", "arn:aws:s3:::b"),
            (
                "arn:aws:iam::123456789012:root",
                "arn:aws:sns:us-east-1:123456789012:t",
            ),
            ("*", "arn:aws:s3:::b"),
            // Unknown source service: nothing to contradict.
            (
                "ec2.amazonaws.com",
                "arn:aws:ec2:us-east-1:123456789012:instance/i-1",
            ),
        ];
        for (principal, arn) in ok {
            assert_eq!(
                principal_agrees_with_source(principal, arn),
                Ok(()),
                "{principal} {arn}"
            );
        }
        let bad: &[(&str, &str)] = &[
            ("sns.amazonaws.com", "arn:aws:s3:::b"),
            (
                "apigateway.amazonaws.com",
                "arn:aws:events:us-east-1:123456789012:rule/r",
            ),
            ("alexa-appkit.amazon.com", "arn:aws:s3:::b"),
            ("s3.amazonaws.com", "not-an-arn"),
        ];
        for (principal, arn) in bad {
            assert!(
                principal_agrees_with_source(principal, arn).is_err(),
                "{principal} {arn}"
            );
        }
    }

    #[test]
    fn service_principal_shapes() {
        assert!(is_service_principal("s3.amazonaws.com"));
        assert!(is_service_principal("alexa-appkit.amazon.com"));
        assert!(is_service_principal("states.amazonaws.com.cn"));
        assert!(!is_service_principal("123456789012"));
        assert!(!is_service_principal("*"));
    }
}
