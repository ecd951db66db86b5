//! One set of SDK clients per configured provider, shared by all resources,
//! with the account id looked up once per identity per process and cached.

use std::collections::{BTreeMap, HashMap};
use std::sync::{Arc, Mutex, OnceLock};
use std::time::Duration;

use aws_config::retry::RetryConfig;
use aws_config::timeout::TimeoutConfig;
use aws_config::{BehaviorVersion, Region, SdkConfig};
use aws_credential_types::provider::SharedCredentialsProvider;
use aws_credential_types::Credentials;
use sha2::{Digest, Sha256};
use tokio::sync::OnceCell;

use super::error::AwsError;
use super::lock::KeyedLock;
use crate::validate::arn::partition_of;

/// The SDK's retry strategy, from the provider's `retry_mode`.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum RetryMode {
    /// Exponential backoff with jitter on throttling and transient errors.
    Standard,
    /// `standard`, plus a client-side rate limit that slows down after throttling.
    Adaptive,
}

/// Endpoint URL overrides from the provider's `endpoints` block (for
/// emulators); `None` leaves the SDK's endpoint, `AWS_ENDPOINT_URL*` included.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct EndpointSettings {
    /// IAM endpoint URL override.
    pub iam: Option<String>,
    /// Lambda endpoint URL override.
    pub lambda: Option<String>,
    /// EventBridge Scheduler endpoint URL override.
    pub scheduler: Option<String>,
    /// STS endpoint URL override, also used for AssumeRole and GetCallerIdentity.
    pub sts: Option<String>,
    /// SNS endpoint URL override (topics and subscriptions).
    pub sns: Option<String>,
    /// EventBridge endpoint URL override (rules and targets).
    pub events: Option<String>,
    /// S3 endpoint URL override (bucket notification configurations).
    pub s3: Option<String>,
}

/// The provider's `assume_role` block: assume this role with the base
/// credentials before any call. `Debug` prints `external_id` redacted.
#[derive(Clone, PartialEq, Eq)]
pub struct AssumeRoleSettings {
    /// ARN of the IAM role to assume.
    pub role_arn: String,
    /// `None`: `lambdawire`.
    pub session_name: Option<String>,
    /// What the role's trust policy requires in `sts:ExternalId`; a shared secret.
    pub external_id: Option<String>,
}

crate::debug_redacting!(AssumeRoleSettings {
    role_arn, session_name
} secret {
    external_id
});

/// Everything needed to build the clients, already validated. Not `Debug`:
/// it holds secrets, and nothing may log them.
#[derive(Clone)]
pub struct ClientSettings {
    /// `None`: the SDK's chain (`AWS_REGION`, the profile); building fails when
    /// that has none either.
    pub region: Option<String>,
    /// Named profile of the shared config and credentials files; `None`: the default.
    pub profile: Option<String>,
    /// Static access key id, used only together with `secret_key`.
    pub access_key: Option<String>,
    /// Static secret access key.
    pub secret_key: Option<String>,
    /// Session token of temporary static credentials.
    pub token: Option<String>,
    /// `None`: act with the base credentials.
    pub assume_role: Option<AssumeRoleSettings>,
    /// URL overrides, per service.
    pub endpoints: EndpointSettings,
    /// SDK retries per call after the first attempt (0 to 100).
    pub max_retries: u32,
    /// How the SDK spaces its retries.
    pub retry_mode: RetryMode,
    /// Do not call STS GetCallerIdentity: the account is `account_id`, or unknown.
    pub skip_requesting_account_id: bool,
    /// The provider's `account_id` argument.
    pub account_id: Option<String>,
    /// Tags every IAM role the provider creates carries (the provider's `default_tags`).
    pub default_tags: BTreeMap<String, String>,
    /// Address S3 buckets as `<endpoint>/<bucket>` (for emulators).
    pub s3_use_path_style: bool,
}

/// Where the account id comes from, decided from the settings alone.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum AccountSource {
    /// `skip_requesting_account_id` with `account_id`: exactly that account.
    Configured(String),
    /// Ask STS once; when `account_id` is set, STS must answer it.
    Sts {
        /// The provider's `account_id`: STS must answer this account.
        expected: Option<String>,
    },
    /// `skip_requesting_account_id` without `account_id`: no account is known,
    /// and none is guessed (a function ARN may name another account).
    Missing,
}

/// The account choice of the SPEC's "Provider configuration".
pub fn account_source(skip_requesting_account_id: bool, account_id: Option<&str>) -> AccountSource {
    match (skip_requesting_account_id, account_id) {
        (true, Some(account)) => AccountSource::Configured(account.to_string()),
        (true, None) => AccountSource::Missing,
        (false, expected) => AccountSource::Sts {
            expected: expected.map(str::to_string),
        },
    }
}

/// The shared clients and per-provider facts.
pub struct AwsClients {
    /// The IAM client, for the roles.
    pub iam: aws_sdk_iam::Client,
    /// The Lambda client, for permissions, resource policies and event source mappings.
    pub lambda: aws_sdk_lambda::Client,
    /// The EventBridge Scheduler client, for schedules.
    pub scheduler: aws_sdk_scheduler::Client,
    /// The STS client, for GetCallerIdentity.
    pub sts: aws_sdk_sts::Client,
    /// The SNS client, for topics and their subscriptions.
    pub sns: aws_sdk_sns::Client,
    /// The EventBridge client, for rules and their targets.
    pub events: aws_sdk_eventbridge::Client,
    /// The S3 client, for bucket notification configurations.
    pub s3: aws_sdk_s3::Client,
    /// The region every client calls, as resolved from the settings and the SDK's chain.
    pub region: String,
    /// The partition of `region` (`aws`, `aws-cn`, `aws-us-gov`), for ARNs.
    pub partition: &'static str,
    /// How [`AwsClients::account_id`] finds the account.
    pub account_source: AccountSource,
    /// The provider's `default_tags`, which every managed role carries.
    pub default_tags: BTreeMap<String, String>,
    /// Serialises edits of one Lambda function's resource policy.
    pub permission_locks: KeyedLock,
    /// Serialises the check and the write of one inline policy of one
    /// role (an SQS event source's grant): PutRolePolicy takes no
    /// condition, so two creates through one role would otherwise both
    /// find the name free and the second overwrite the first.
    pub role_policy_locks: KeyedLock,
    /// Serialises the read-modify-write of one bucket's notification
    /// configuration: S3 keeps one document per bucket and its write takes
    /// no condition, so two writers that both read first would each drop
    /// the other's entry.
    pub bucket_locks: KeyedLock,
    /// GetPolicy answers shared between the reads of one command.
    pub policy_reads: super::policy_reads::PolicyReads,
    /// The plan's existence checks, one read per object per process.
    pub plan_reads: super::plan_reads::PlanReads,
    /// Shared by every provider instance of this process with the same
    /// identity (see [`identity_key`]).
    account_id: AccountCell,
}

/// What decides the identity STS GetCallerIdentity answers for, as a
/// SHA-256 digest (so no secret is kept in it): the region (and so the
/// partition and the regional STS endpoint), the profile, the provider
/// block's static credentials, the role to assume and the STS endpoint.
/// Everything else the credential chain reads (environment variables, the
/// shared files) is the same for every instance in one process. Never
/// derived from an ARN, never written anywhere: a cache on disk could be
/// poisoned, and a process is short-lived.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub struct IdentityKey([u8; 32]);

/// The [`IdentityKey`] of these settings in `region` (the resolved one, which
/// the settings may leave to the SDK's chain).
pub fn identity_key(settings: &ClientSettings, region: &str) -> IdentityKey {
    let mut digest = Sha256::new();
    // Length-prefixed, with presence marked, so no two different field
    // lists encode to the same bytes.
    let mut field = |value: Option<&str>| match value {
        None => digest.update([0u8]),
        Some(text) => {
            digest.update([1u8]);
            digest.update((text.len() as u64).to_le_bytes());
            digest.update(text.as_bytes());
        }
    };
    field(Some(region));
    field(Some(partition_of(region)));
    field(settings.profile.as_deref());
    // `build` uses the block's credentials only as a pair (with the token).
    let static_credentials = settings.access_key.is_some() && settings.secret_key.is_some();
    for secret in [&settings.access_key, &settings.secret_key, &settings.token] {
        field(secret.as_deref().filter(|_| static_credentials));
    }
    let assume = settings.assume_role.as_ref();
    field(assume.map(|a| a.role_arn.as_str()));
    field(assume.map(session_name));
    field(assume.and_then(|a| a.external_id.as_deref()));
    field(settings.endpoints.sts.as_deref());
    IdentityKey(digest.finalize().into())
}

type AccountCell = Arc<OnceCell<String>>;

/// The process-wide account cell of one identity: Terraform may configure
/// several instances of this provider in one process, and all with the same
/// identity share one GetCallerIdentity (concurrent lookups wait for it).
fn account_cell(key: IdentityKey) -> AccountCell {
    static CELLS: OnceLock<Mutex<HashMap<IdentityKey, AccountCell>>> = OnceLock::new();
    let mut cells = CELLS
        .get_or_init(Default::default)
        .lock()
        .unwrap_or_else(|e| e.into_inner());
    cells.entry(key).or_default().clone()
}

/// Per-attempt and per-call bounds: a hung connection must not hang
/// `terraform apply`, and retries stay inside the operation timeout.
fn timeouts() -> TimeoutConfig {
    TimeoutConfig::builder()
        .connect_timeout(Duration::from_secs(10))
        .read_timeout(Duration::from_secs(60))
        .operation_attempt_timeout(Duration::from_secs(60))
        .operation_timeout(Duration::from_secs(300))
        .build()
}

fn retry_config(settings: &ClientSettings) -> RetryConfig {
    let base = match settings.retry_mode {
        RetryMode::Standard => RetryConfig::standard(),
        RetryMode::Adaptive => RetryConfig::adaptive(),
    };
    base.with_max_attempts(settings.max_retries + 1)
        .with_max_backoff(Duration::from_secs(20))
}

/// The SDK configuration every client starts from: retries, timeouts, and
/// the provider block's region, profile and static credentials over the
/// standard chain.
async fn shared_config(settings: &ClientSettings) -> aws_config::SdkConfig {
    let mut loader = aws_config::defaults(BehaviorVersion::latest())
        .retry_config(retry_config(settings))
        .timeout_config(timeouts());
    if let Some(region) = &settings.region {
        loader = loader.region(Region::new(region.clone()));
    }
    if let Some(profile) = &settings.profile {
        loader = loader.profile_name(profile);
    }
    if let (Some(access_key), Some(secret_key)) = (&settings.access_key, &settings.secret_key) {
        loader = loader.credentials_provider(Credentials::new(
            access_key,
            secret_key,
            settings.token.clone(),
            None,
            "lambdawire-provider-block",
        ));
    }
    loader.load().await
}

impl AwsClients {
    /// Build the clients. `AWS_ENDPOINT_URL` / `AWS_ENDPOINT_URL_<SERVICE>`
    /// are read by aws-config; an `endpoints` entry overrides them.
    pub async fn build(settings: &ClientSettings) -> Result<AwsClients, String> {
        let mut base = shared_config(settings).await;
        let region = base
            .region()
            .map(|r| r.to_string())
            .ok_or("no AWS region: set `region` in the provider block, or AWS_REGION, or a region in the AWS profile")?;
        if let Some(assume) = &settings.assume_role {
            base = assume_role(base, assume, settings.endpoints.sts.as_deref()).await;
        }

        // One client per service, each with the request log and the
        // `endpoints` entry for it when there is one.
        macro_rules! client {
            ($sdk:ident, $endpoint:expr) => {{
                let mut builder =
                    $sdk::config::Builder::from(&base).interceptor(super::log::RequestLog);
                if let Some(url) = $endpoint {
                    builder = builder.endpoint_url(url);
                }
                builder
            }};
        }
        let e = &settings.endpoints;
        let s3 = client!(aws_sdk_s3, &e.s3).force_path_style(settings.s3_use_path_style);
        tracing::debug!(region = %region, "AWS clients configured");
        let account_id = account_cell(identity_key(settings, &region));
        Ok(AwsClients {
            iam: aws_sdk_iam::Client::from_conf(client!(aws_sdk_iam, &e.iam).build()),
            lambda: aws_sdk_lambda::Client::from_conf(client!(aws_sdk_lambda, &e.lambda).build()),
            scheduler: aws_sdk_scheduler::Client::from_conf(
                client!(aws_sdk_scheduler, &e.scheduler).build(),
            ),
            sts: aws_sdk_sts::Client::from_conf(client!(aws_sdk_sts, &e.sts).build()),
            sns: aws_sdk_sns::Client::from_conf(client!(aws_sdk_sns, &e.sns).build()),
            events: aws_sdk_eventbridge::Client::from_conf(
                client!(aws_sdk_eventbridge, &e.events).build(),
            ),
            s3: aws_sdk_s3::Client::from_conf(s3.build()),
            partition: partition_of(&region),
            region,
            account_source: account_source(
                settings.skip_requesting_account_id,
                settings.account_id.as_deref(),
            ),
            default_tags: settings.default_tags.clone(),
            permission_locks: KeyedLock::default(),
            role_policy_locks: KeyedLock::default(),
            bucket_locks: KeyedLock::default(),
            policy_reads: Default::default(),
            plan_reads: Default::default(),
            account_id,
        })
    }

    /// The account id: the configured one, or one STS GetCallerIdentity per
    /// identity per process (cached in memory, see [`identity_key`]; a
    /// failed lookup is not kept; [`AccountSource::Sts`]'s `expected` is
    /// checked by the caller); `None` when `skip_requesting_account_id`
    /// is set without `account_id`. Never taken from an ARN.
    pub async fn account_id(&self) -> Result<Option<String>, AwsError> {
        match &self.account_source {
            AccountSource::Configured(account) => return Ok(Some(account.clone())),
            AccountSource::Missing => return Ok(None),
            AccountSource::Sts { .. } => {}
        }
        let account = self
            .account_id
            .get_or_try_init(|| async {
                let out = self
                    .sts
                    .get_caller_identity()
                    .send()
                    .await
                    .map_err(|e| AwsError::from_sdk("GetCallerIdentity", e))?;
                let account = out.account().unwrap_or_default().to_string();
                tracing::debug!(account = %account, "caller identity resolved");
                Ok(account)
            })
            .await?;
        Ok(Some(account.clone()))
    }
}

/// The session name sent with AssumeRole.
fn session_name(assume: &AssumeRoleSettings) -> &str {
    assume.session_name.as_deref().unwrap_or("lambdawire")
}

/// Swap the base credentials for those of the assumed role; the STS call goes
/// to the `endpoints.sts` override when there is one.
async fn assume_role(
    base: SdkConfig,
    assume: &AssumeRoleSettings,
    sts_endpoint: Option<&str>,
) -> SdkConfig {
    let sts_config = match sts_endpoint {
        Some(url) => base.to_builder().endpoint_url(url).build(),
        None => base.clone(),
    };
    let mut builder = aws_config::sts::AssumeRoleProvider::builder(assume.role_arn.clone())
        .session_name(session_name(assume))
        .configure(&sts_config);
    if let Some(id) = &assume.external_id {
        builder = builder.external_id(id.clone());
    }
    let provider = builder.build().await;
    base.to_builder()
        .credentials_provider(SharedCredentialsProvider::new(provider))
        .build()
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::sync::atomic::{AtomicUsize, Ordering};

    fn settings() -> ClientSettings {
        ClientSettings {
            region: Some("us-east-1".into()),
            profile: None,
            access_key: Some("AKIDEXAMPLE".into()),
            secret_key: Some("secret".into()),
            token: None,
            assume_role: None,
            endpoints: EndpointSettings::default(),
            max_retries: 0,
            retry_mode: RetryMode::Standard,
            skip_requesting_account_id: false,
            account_id: None,
            default_tags: BTreeMap::new(),
            s3_use_path_style: false,
        }
    }

    fn assume(role: &str) -> Option<AssumeRoleSettings> {
        Some(AssumeRoleSettings {
            role_arn: role.into(),
            session_name: None,
            external_id: None,
        })
    }

    #[test]
    fn identity_key_ignores_what_does_not_change_the_identity() {
        let base = identity_key(&settings(), "us-east-1");
        let others = [
            ClientSettings {
                max_retries: 7,
                retry_mode: RetryMode::Adaptive,
                ..settings()
            },
            ClientSettings {
                default_tags: BTreeMap::from([("team".into(), "x".into())]),
                ..settings()
            },
            ClientSettings {
                endpoints: EndpointSettings {
                    iam: Some("http://iam.local".into()),
                    lambda: Some("http://lambda.local".into()),
                    scheduler: Some("http://scheduler.local".into()),
                    ..EndpointSettings::default()
                },
                ..settings()
            },
            // The account STS must answer is checked after the lookup.
            ClientSettings {
                account_id: Some("111122223333".into()),
                ..settings()
            },
            // A token without the pair is not used by `build`.
            ClientSettings {
                access_key: None,
                secret_key: None,
                token: Some("t".into()),
                ..settings()
            },
        ];
        assert_eq!(identity_key(&others[0], "us-east-1"), base);
        assert_eq!(identity_key(&others[1], "us-east-1"), base);
        assert_eq!(identity_key(&others[2], "us-east-1"), base);
        assert_eq!(identity_key(&others[3], "us-east-1"), base);
        let chain = ClientSettings {
            access_key: None,
            secret_key: None,
            ..settings()
        };
        assert_eq!(
            identity_key(&others[4], "us-east-1"),
            identity_key(&chain, "us-east-1")
        );
        // The default session name is the one sent.
        let named = |name: Option<&str>| ClientSettings {
            assume_role: Some(AssumeRoleSettings {
                role_arn: "arn:aws:iam::111122223333:role/deploy".into(),
                session_name: name.map(str::to_string),
                external_id: None,
            }),
            ..settings()
        };
        assert_eq!(
            identity_key(&named(None), "us-east-1"),
            identity_key(&named(Some("lambdawire")), "us-east-1")
        );
    }

    #[test]
    fn identity_key_changes_with_each_identity_input() {
        let variants = [
            ("base", settings(), "us-east-1"),
            ("region", settings(), "eu-west-1"),
            ("partition", settings(), "cn-north-1"),
            (
                "profile",
                ClientSettings {
                    profile: Some("dev".into()),
                    ..settings()
                },
                "us-east-1",
            ),
            (
                "access key",
                ClientSettings {
                    access_key: Some("AKIDOTHER".into()),
                    ..settings()
                },
                "us-east-1",
            ),
            (
                "secret key",
                ClientSettings {
                    secret_key: Some("other".into()),
                    ..settings()
                },
                "us-east-1",
            ),
            (
                "token",
                ClientSettings {
                    token: Some("session".into()),
                    ..settings()
                },
                "us-east-1",
            ),
            (
                "no static credentials",
                ClientSettings {
                    access_key: None,
                    secret_key: None,
                    ..settings()
                },
                "us-east-1",
            ),
            (
                "assume role",
                ClientSettings {
                    assume_role: assume("arn:aws:iam::111122223333:role/a"),
                    ..settings()
                },
                "us-east-1",
            ),
            (
                "another role",
                ClientSettings {
                    assume_role: assume("arn:aws:iam::111122223333:role/b"),
                    ..settings()
                },
                "us-east-1",
            ),
            (
                "session name",
                ClientSettings {
                    assume_role: Some(AssumeRoleSettings {
                        session_name: Some("ci".into()),
                        ..assume("arn:aws:iam::111122223333:role/a").unwrap()
                    }),
                    ..settings()
                },
                "us-east-1",
            ),
            (
                "external id",
                ClientSettings {
                    assume_role: Some(AssumeRoleSettings {
                        external_id: Some("x".into()),
                        ..assume("arn:aws:iam::111122223333:role/a").unwrap()
                    }),
                    ..settings()
                },
                "us-east-1",
            ),
            (
                "sts endpoint",
                ClientSettings {
                    endpoints: EndpointSettings {
                        sts: Some("http://127.0.0.1:4566".into()),
                        ..Default::default()
                    },
                    ..settings()
                },
                "us-east-1",
            ),
            // Field boundaries count: "AKIDEXAMPLEs" + "ecret" is not
            // "AKIDEXAMPLE" + "secret".
            (
                "shifted boundary",
                ClientSettings {
                    access_key: Some("AKIDEXAMPLEs".into()),
                    secret_key: Some("ecret".into()),
                    ..settings()
                },
                "us-east-1",
            ),
        ];
        for (i, (a, settings_a, region_a)) in variants.iter().enumerate() {
            for (b, settings_b, region_b) in &variants[i + 1..] {
                assert_ne!(
                    identity_key(settings_a, region_a),
                    identity_key(settings_b, region_b),
                    "{a} and {b} must not share an account lookup"
                );
            }
        }
    }

    #[test]
    fn one_account_cell_per_identity() {
        let one = identity_key(&settings(), "us-east-1");
        let other = identity_key(&settings(), "us-west-2");
        assert!(Arc::ptr_eq(&account_cell(one), &account_cell(one)));
        assert!(!Arc::ptr_eq(&account_cell(one), &account_cell(other)));
    }

    const CALLER_IDENTITY: &str = r#"<GetCallerIdentityResponse xmlns="https://sts.amazonaws.com/doc/2011-06-15/">
  <GetCallerIdentityResult>
    <Arn>arn:aws:iam::111122223333:user/bench</Arn>
    <UserId>AIDAEXAMPLE</UserId>
    <Account>111122223333</Account>
  </GetCallerIdentityResult>
  <ResponseMetadata><RequestId>r-1</RequestId></ResponseMetadata>
</GetCallerIdentityResponse>"#;

    /// An STS stand-in on a free loopback port that answers every request
    /// with a caller identity and counts them. Its URL is unique, so the
    /// process-wide cache is not shared with other tests.
    async fn counting_sts() -> (String, Arc<AtomicUsize>) {
        use hyper_util::rt::TokioIo;
        let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
        let url = format!("http://{}", listener.local_addr().unwrap());
        let calls = Arc::new(AtomicUsize::new(0));
        let counter = calls.clone();
        tokio::spawn(async move {
            while let Ok((stream, _)) = listener.accept().await {
                let counter = counter.clone();
                tokio::spawn(async move {
                    let service = hyper::service::service_fn(move |_request| {
                        counter.fetch_add(1, Ordering::SeqCst);
                        async {
                            let body = http_body_util::Full::new(bytes::Bytes::from_static(
                                CALLER_IDENTITY.as_bytes(),
                            ));
                            hyper::Response::builder()
                                .header("content-type", "text/xml")
                                .body(body)
                        }
                    });
                    let _ = hyper::server::conn::http1::Builder::new()
                        .serve_connection(TokioIo::new(stream), service)
                        .await;
                });
            }
        });
        (url, calls)
    }

    #[tokio::test]
    async fn provider_instances_of_one_identity_share_one_lookup() {
        let (url, calls) = counting_sts().await;
        let at = |s: ClientSettings| ClientSettings {
            endpoints: EndpointSettings {
                sts: Some(url.clone()),
                ..Default::default()
            },
            ..s
        };
        let first = AwsClients::build(&at(settings())).await.unwrap();
        // Another instance of the same identity, with other settings that
        // do not change who is calling.
        let second = AwsClients::build(&at(ClientSettings {
            default_tags: BTreeMap::from([("team".into(), "x".into())]),
            max_retries: 3,
            ..settings()
        }))
        .await
        .unwrap();
        let (a, b, c) = tokio::join!(first.account_id(), second.account_id(), first.account_id());
        for account in [a, b, c] {
            assert_eq!(account.unwrap().as_deref(), Some("111122223333"));
        }
        assert_eq!(
            second.account_id().await.unwrap().as_deref(),
            Some("111122223333")
        );
        assert_eq!(calls.load(Ordering::SeqCst), 1);

        // Other credentials are another identity: asked for separately.
        let third = AwsClients::build(&at(ClientSettings {
            access_key: Some("AKIDOTHER".into()),
            ..settings()
        }))
        .await
        .unwrap();
        third.account_id().await.unwrap();
        assert_eq!(calls.load(Ordering::SeqCst), 2);
    }

    #[test]
    fn account_choice() {
        assert_eq!(
            account_source(true, Some("111122223333")),
            AccountSource::Configured("111122223333".into())
        );
        assert_eq!(account_source(true, None), AccountSource::Missing);
        assert_eq!(
            account_source(false, None),
            AccountSource::Sts { expected: None }
        );
        assert_eq!(
            account_source(false, Some("111122223333")),
            AccountSource::Sts {
                expected: Some("111122223333".into())
            }
        );
    }
}
