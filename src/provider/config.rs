//! The provider block: its decoded form, pure validation with attribute paths,
//! and the conversion into plain client settings for [`crate::aws`].

use serde::{Deserialize, Serialize};

use crate::aws::clients::{AssumeRoleSettings, ClientSettings, EndpointSettings, RetryMode};
use crate::plugin::diag::{in_block, AttributePath};
use crate::plugin::{known, known_map, Block, Bool, Num, Problem, Str, StrMap};
use crate::resources::managed_role::tag_problems;
use crate::validate::arn;
use crate::validate::rules::{run, Row};

/// Default SDK retries per call, as hashicorp/aws does.
pub const DEFAULT_MAX_RETRIES: i64 = 25;

/// The provider block as Terraform sends it: every argument null, unknown or
/// known. No `Debug`: it holds secrets.
#[derive(Clone, Default, Serialize, Deserialize)]
#[serde(default)]
pub struct ProviderConfig {
    /// AWS region; null: the SDK's chain (`AWS_REGION`, the profile).
    pub region: Str,
    /// Named profile of the shared config and credentials files.
    pub profile: Str,
    /// Static access key id, with `secret_key`.
    pub access_key: Str,
    /// Static secret access key, with `access_key`.
    pub secret_key: Str,
    /// Session token of temporary static credentials.
    pub token: Str,
    /// At most one block: assume this role before any call.
    pub assume_role: Block<AssumeRole>,
    /// At most one block: endpoint URL overrides, for emulators.
    pub endpoints: Block<Endpoints>,
    /// SDK retries per call, 0-100; null: [`DEFAULT_MAX_RETRIES`].
    pub max_retries: Num,
    /// `standard` (the default) or `adaptive`.
    pub retry_mode: Str,
    /// Do not call STS; the account is then `account_id`, or unknown.
    pub skip_requesting_account_id: Bool,
    /// 12-digit account: the one STS must answer, or the one used without STS.
    pub account_id: Str,
    /// Tags every managed IAM role carries, under the resource's own.
    pub default_tags: StrMap,
    /// Address S3 buckets by path rather than by host name.
    pub s3_use_path_style: Bool,
}

/// The `assume_role` block.
#[derive(Clone, Default, Serialize, Deserialize)]
#[serde(default)]
pub struct AssumeRole {
    /// ARN of the role to assume; required in the block.
    pub role_arn: Str,
    /// 2-64 of letters, digits and `=,.@-_`; null: `lambdawire`.
    pub session_name: Str,
    /// What the role's trust policy requires as `sts:ExternalId`.
    pub external_id: Str,
}

/// The `endpoints` block: absolute http or https URLs.
#[derive(Clone, Default, Serialize, Deserialize)]
#[serde(default)]
pub struct Endpoints {
    /// IAM endpoint URL.
    pub iam: Str,
    /// Lambda endpoint URL.
    pub lambda: Str,
    /// EventBridge Scheduler endpoint URL.
    pub scheduler: Str,
    /// STS endpoint URL, for AssumeRole and GetCallerIdentity too.
    pub sts: Str,
    /// SNS endpoint URL.
    pub sns: Str,
    /// EventBridge endpoint URL.
    pub events: Str,
    /// S3 endpoint URL.
    pub s3: Str,
}

impl Endpoints {
    /// Every entry with its attribute name, in the schema's order.
    fn entries(&self) -> [(&'static str, &Str); 7] {
        [
            ("iam", &self.iam),
            ("lambda", &self.lambda),
            ("scheduler", &self.scheduler),
            ("sts", &self.sts),
            ("sns", &self.sns),
            ("events", &self.events),
            ("s3", &self.s3),
        ]
    }
}

/// The provider block's checks, in the order their problems are reported.
const RULES: &[Row<ProviderConfig>] = &[
    Row::One(|c| {
        invalid("region", &c.region, arn::is_region, "A region name is lowercase words and a number joined by dashes, such as us-east-1 or eu-west-3.")
    }),
    Row::One(static_credentials),
    Row::One(max_retries),
    Row::One(|c| {
        invalid(
            "retry_mode",
            &c.retry_mode,
            |m| m == "standard" || m == "adaptive",
            "retry_mode is \"standard\" (the default) or \"adaptive\".",
        )
    }),
    Row::One(|c| {
        invalid(
            "account_id",
            &c.account_id,
            arn::is_account,
            "An AWS account id is exactly 12 digits, such as 123456789012.",
        )
    }),
    Row::Many(assume_role),
    Row::Many(|c| tag_problems(&AttributePath::new("default_tags"), &c.default_tags)),
    Row::Many(endpoints),
];

/// Validate every known value; unknown values are skipped, never guessed.
pub fn validate(config: &ProviderConfig) -> Vec<Problem> {
    run(config, RULES)
}

/// `invalid <attribute> "<text>"` when the attribute's known text is not
/// `valid`; `detail` says what a valid one looks like.
fn invalid(
    attribute: &'static str,
    value: &Str,
    valid: fn(&str) -> bool,
    detail: &str,
) -> Option<Problem> {
    let text = known(value).filter(|text| !valid(text))?;
    Some(Problem::at(
        attribute,
        format!("invalid {attribute} {text:?}"),
        detail,
    ))
}

/// Static credentials come as a pair.
fn static_credentials(c: &ProviderConfig) -> Option<Problem> {
    const PAIR: &str = "Static credentials need both access_key and secret_key (and token for temporary credentials).";
    match (known(&c.access_key), known(&c.secret_key)) {
        (Some(_), None) if c.secret_key.is_null() => Some(Problem::at(
            "secret_key",
            "secret_key is required with access_key",
            PAIR,
        )),
        (None, Some(_)) if c.access_key.is_null() => Some(Problem::at(
            "access_key",
            "access_key is required with secret_key",
            PAIR,
        )),
        _ => None,
    }
}

fn max_retries(c: &ProviderConfig) -> Option<Problem> {
    match c.max_retries.as_ref_option() {
        Some(retries) if !(0..=100).contains(retries) => Some(Problem::at(
            "max_retries",
            format!("max_retries {retries} is out of range"),
            "max_retries is the number of SDK retries per AWS call, from 0 to 100 (default 25).",
        )),
        _ => None,
    }
}

fn assume_role(c: &ProviderConfig) -> Vec<Problem> {
    let Some(assume) = c.assume_role.single() else {
        return Vec::new();
    };
    role_arn(assume)
        .into_iter()
        .chain(session_name(assume))
        .collect()
}

fn role_arn(assume: &AssumeRole) -> Option<Problem> {
    let path = in_block("assume_role", "role_arn");
    if assume.role_arn.is_null() {
        return Some(Problem::new(
            path,
            "assume_role needs role_arn",
            "Set role_arn to the ARN of the IAM role to assume, such as arn:aws:iam::123456789012:role/deployer.",
        ));
    }
    let role_arn = known(&assume.role_arn)?;
    let why = arn::iam_role(role_arn).err()?;
    Some(Problem::new(
        path,
        format!("invalid role ARN {role_arn:?}"),
        why,
    ))
}

fn session_name(assume: &AssumeRole) -> Option<Problem> {
    let name = known(&assume.session_name)?;
    let ok = (2..=64).contains(&name.len())
        && name
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || "=,.@-_".contains(c));
    (!ok).then(|| {
        Problem::new(
            in_block("assume_role", "session_name"),
            format!("invalid session_name {name:?}"),
            "A session name is 2-64 characters of letters, digits and =,.@-_",
        )
    })
}

fn endpoints(c: &ProviderConfig) -> Vec<Problem> {
    let Some(endpoints) = c.endpoints.single() else {
        return Vec::new();
    };
    let mut problems = Vec::new();
    for (name, value) in endpoints.entries() {
        if let Some(text) = known(value) {
            if let Err(why) = check_endpoint_url(text) {
                problems.push(Problem::new(
                    in_block("endpoints", name),
                    format!("endpoints.{name} is not a URL: {text:?}"),
                    format!("{why}. Expected an absolute http or https URL, such as http://127.0.0.1:5000 or https://iam.amazonaws.com."),
                ));
            }
        }
    }
    problems
}

/// The provider arguments that Terraform sent unknown, by path (`region`,
/// `assume_role.role_arn`, `endpoints`). Clients are built only when this is
/// empty: building them from the known rest would, for an unknown
/// `assume_role.role_arn`, silently act with the base credentials (another
/// identity, possibly another account).
pub fn unknown_arguments(config: &ProviderConfig) -> Vec<String> {
    let mut unknown = Vec::new();
    let mut check = |name: &str, is_unknown: bool| {
        if is_unknown {
            unknown.push(name.to_string());
        }
    };
    check("region", config.region.is_unknown());
    check("profile", config.profile.is_unknown());
    check("access_key", config.access_key.is_unknown());
    check("secret_key", config.secret_key.is_unknown());
    check("token", config.token.is_unknown());
    check("max_retries", config.max_retries.is_unknown());
    check("retry_mode", config.retry_mode.is_unknown());
    check(
        "skip_requesting_account_id",
        config.skip_requesting_account_id.is_unknown(),
    );
    check("account_id", config.account_id.is_unknown());
    check("s3_use_path_style", config.s3_use_path_style.is_unknown());
    check("default_tags", known_map(&config.default_tags).is_none());
    check("assume_role", config.assume_role.is_unknown());
    if let Some(a) = config.assume_role.single() {
        check("assume_role.role_arn", a.role_arn.is_unknown());
        check("assume_role.session_name", a.session_name.is_unknown());
        check("assume_role.external_id", a.external_id.is_unknown());
    }
    check("endpoints", config.endpoints.is_unknown());
    if let Some(e) = config.endpoints.single() {
        for (name, value) in e.entries() {
            check(&format!("endpoints.{name}"), value.is_unknown());
        }
    }
    unknown
}

/// Turn the decoded block into plain settings. Only called with a wholly
/// known configuration (see [`unknown_arguments`]); null means unset, and the
/// SDK then uses its own chain.
pub fn settings(config: &ProviderConfig) -> ClientSettings {
    let owned = |v: &Str| known(v).map(str::to_string);
    let endpoints = config.endpoints.single();
    let endpoint = |pick: fn(&Endpoints) -> &Str| endpoints.and_then(|e| owned(pick(e)));
    ClientSettings {
        region: owned(&config.region),
        profile: owned(&config.profile),
        access_key: owned(&config.access_key),
        secret_key: owned(&config.secret_key),
        token: owned(&config.token),
        assume_role: config.assume_role.single().and_then(|a| {
            Some(AssumeRoleSettings {
                role_arn: owned(&a.role_arn)?,
                session_name: owned(&a.session_name),
                external_id: owned(&a.external_id),
            })
        }),
        endpoints: EndpointSettings {
            iam: endpoint(|e| &e.iam),
            lambda: endpoint(|e| &e.lambda),
            scheduler: endpoint(|e| &e.scheduler),
            sts: endpoint(|e| &e.sts),
            sns: endpoint(|e| &e.sns),
            events: endpoint(|e| &e.events),
            s3: endpoint(|e| &e.s3),
        },
        max_retries: config
            .max_retries
            .as_ref_option()
            .copied()
            .unwrap_or(DEFAULT_MAX_RETRIES)
            .clamp(0, 100) as u32,
        retry_mode: if known(&config.retry_mode) == Some("adaptive") {
            RetryMode::Adaptive
        } else {
            RetryMode::Standard
        },
        skip_requesting_account_id: config
            .skip_requesting_account_id
            .as_ref_option()
            .copied()
            .unwrap_or(false),
        account_id: owned(&config.account_id),
        default_tags: known_map(&config.default_tags).unwrap_or_default(),
        s3_use_path_style: config.s3_use_path_style == crate::plugin::Value::Value(true),
    }
}

fn check_endpoint_url(text: &str) -> Result<(), String> {
    let url = url::Url::parse(text).map_err(|e| format!("it does not parse ({e})"))?;
    if url.scheme() != "http" && url.scheme() != "https" {
        return Err(format!("its scheme is {:?}", url.scheme()));
    }
    if url.host_str().is_none_or(str::is_empty) {
        return Err("it has no host".into());
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::plugin::Value;

    fn with_endpoints(iam: &str) -> ProviderConfig {
        ProviderConfig {
            endpoints: Block::Items(vec![Endpoints {
                iam: Value::Value(iam.into()),
                ..Default::default()
            }]),
            ..Default::default()
        }
    }

    #[test]
    fn endpoint_that_is_not_a_url_names_the_attribute() {
        let problems = validate(&with_endpoints("not a url"));
        assert_eq!(problems.len(), 1);
        assert_eq!(problems[0].path_text(), "endpoints[0].iam");
        assert!(problems[0].summary.contains("not a URL"));
    }

    #[test]
    fn loopback_endpoint_is_fine() {
        assert!(validate(&with_endpoints("http://127.0.0.1:5000")).is_empty());
        assert!(!validate(&with_endpoints("ftp://x")).is_empty());
    }

    #[test]
    fn region_and_role_arn_go_through_the_arn_parser() {
        for (region, role_arn, paths) in [
            (
                "us-east-1",
                "arn:aws:iam::123456789012:role/deployer",
                vec![],
            ),
            (
                "US-EAST-1",
                "arn:aws:iam::123456789012:role/deployer",
                vec!["region"],
            ),
            (
                "us-east-1",
                "arn:aws:iam::*:role/deployer",
                vec!["assume_role[0].role_arn"],
            ),
            (
                "us-east-1",
                "arn:aws:iam::123456789012:user/x",
                vec!["assume_role[0].role_arn"],
            ),
        ] {
            let config = ProviderConfig {
                region: Value::Value(region.into()),
                assume_role: Block::Items(vec![AssumeRole {
                    role_arn: Value::Value(role_arn.into()),
                    ..Default::default()
                }]),
                ..Default::default()
            };
            let got: Vec<String> = validate(&config).iter().map(Problem::path_text).collect();
            assert_eq!(got, paths, "{region} {role_arn}");
        }
    }

    #[test]
    fn default_tags_follow_the_role_tag_rules() {
        let config = ProviderConfig {
            default_tags: Value::Value(
                [
                    ("team", "ops\nowner=x"),
                    ("lambdawire:role", "forged"),
                    ("ok", "v"),
                ]
                .into_iter()
                .map(|(k, v)| (k.to_string(), Value::Value(v.to_string())))
                .collect(),
            ),
            ..Default::default()
        };
        let problems: Vec<String> = validate(&config).iter().map(|p| p.path_text()).collect();
        assert_eq!(
            problems,
            [
                "default_tags[\"lambdawire:role\"]",
                "default_tags[\"team\"]"
            ]
        );
    }

    #[test]
    fn assume_role_without_role_arn() {
        let config = ProviderConfig {
            assume_role: Block::Items(vec![AssumeRole::default()]),
            ..Default::default()
        };
        let problems = validate(&config);
        assert_eq!(problems.len(), 1);
        assert_eq!(problems[0].path_text(), "assume_role[0].role_arn");
    }

    #[test]
    fn unknown_values_are_skipped() {
        let config = ProviderConfig {
            region: Value::Unknown,
            retry_mode: Value::Unknown,
            assume_role: Block::Items(vec![AssumeRole {
                role_arn: Value::Unknown,
                ..Default::default()
            }]),
            ..with_endpoints("http://127.0.0.1:1")
        };
        assert!(validate(&config).is_empty());
    }

    #[test]
    fn ranges_and_enums() {
        let config = ProviderConfig {
            max_retries: Value::Value(-1),
            retry_mode: Value::Value("legacy".into()),
            access_key: Value::Value("AKID".into()),
            ..Default::default()
        };
        let paths: Vec<String> = validate(&config).iter().map(Problem::path_text).collect();
        assert_eq!(paths, ["secret_key", "max_retries", "retry_mode"]);
    }

    #[test]
    fn settings_apply_defaults() {
        let s = settings(&ProviderConfig::default());
        assert_eq!(s.max_retries, 25);
        assert_eq!(s.retry_mode, RetryMode::Standard);
        assert!(!s.skip_requesting_account_id);
        assert!(s.endpoints.iam.is_none());
    }

    #[test]
    fn account_id_is_twelve_digits() {
        for bad in ["12345678901", "1234567890123", "12345678901a", ""] {
            let config = ProviderConfig {
                account_id: Value::Value(bad.into()),
                ..Default::default()
            };
            let problems = validate(&config);
            assert_eq!(problems.len(), 1, "{bad:?}");
            assert_eq!(problems[0].path_text(), "account_id");
        }
        let config = ProviderConfig {
            account_id: Value::Value("111122223333".into()),
            skip_requesting_account_id: Value::Value(true),
            ..Default::default()
        };
        assert!(validate(&config).is_empty());
        let s = settings(&config);
        assert!(s.skip_requesting_account_id);
        assert_eq!(s.account_id.as_deref(), Some("111122223333"));
    }

    #[test]
    fn unknown_arguments_are_named_by_path() {
        assert!(unknown_arguments(&with_endpoints("http://127.0.0.1:1")).is_empty());
        let config = ProviderConfig {
            region: Value::Unknown,
            account_id: Value::Unknown,
            assume_role: Block::Items(vec![AssumeRole {
                role_arn: Value::Unknown,
                ..Default::default()
            }]),
            endpoints: Block::Unknown,
            default_tags: Value::Value(
                [("team".to_string(), Value::Unknown)].into_iter().collect(),
            ),
            ..Default::default()
        };
        assert_eq!(
            unknown_arguments(&config),
            [
                "region",
                "account_id",
                "default_tags",
                "assume_role.role_arn",
                "endpoints"
            ]
        );
    }
}
