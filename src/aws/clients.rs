//! One set of SDK clients per configured provider, shared by all resources,
//! with the account id looked up once and cached.

use std::collections::BTreeMap;
use std::time::Duration;

use aws_config::retry::RetryConfig;
use aws_config::timeout::TimeoutConfig;
use aws_config::{BehaviorVersion, Region, SdkConfig};
use aws_credential_types::provider::SharedCredentialsProvider;
use aws_credential_types::Credentials;
use tokio::sync::OnceCell;

use super::error::AwsError;
use super::lock::KeyedLock;
use crate::aws::arn::partition_of;

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum RetryMode {
    Standard,
    Adaptive,
}

#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct EndpointSettings {
    pub iam: Option<String>,
    pub lambda: Option<String>,
    pub scheduler: Option<String>,
    pub sts: Option<String>,
}

#[derive(Clone, PartialEq, Eq)]
pub struct AssumeRoleSettings {
    pub role_arn: String,
    pub session_name: Option<String>,
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
    pub region: Option<String>,
    pub profile: Option<String>,
    pub access_key: Option<String>,
    pub secret_key: Option<String>,
    pub token: Option<String>,
    pub assume_role: Option<AssumeRoleSettings>,
    pub endpoints: EndpointSettings,
    pub max_retries: u32,
    pub retry_mode: RetryMode,
    pub skip_requesting_account_id: bool,
    /// The provider's `account_id` argument.
    pub account_id: Option<String>,
    pub default_tags: BTreeMap<String, String>,
}

/// Where the account id comes from, decided from the settings alone.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum AccountSource {
    /// `skip_requesting_account_id` with `account_id`: exactly that account.
    Configured(String),
    /// Ask STS once; when `account_id` is set, STS must answer it.
    Sts { expected: Option<String> },
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
    pub iam: aws_sdk_iam::Client,
    pub lambda: aws_sdk_lambda::Client,
    pub scheduler: aws_sdk_scheduler::Client,
    pub sts: aws_sdk_sts::Client,
    pub region: String,
    pub partition: &'static str,
    pub account_source: AccountSource,
    pub default_tags: BTreeMap<String, String>,
    /// Serialises edits of one Lambda function's resource policy.
    pub permission_locks: KeyedLock,
    /// GetPolicy answers shared between the reads of one command.
    pub policy_reads: super::policy_reads::PolicyReads,
    account_id: OnceCell<String>,
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

impl AwsClients {
    /// Build the clients. `AWS_ENDPOINT_URL` / `AWS_ENDPOINT_URL_<SERVICE>`
    /// are read by aws-config; an `endpoints` entry overrides them.
    pub async fn build(settings: &ClientSettings) -> Result<AwsClients, String> {
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
        let mut base = loader.load().await;
        let region = base
            .region()
            .map(|r| r.to_string())
            .ok_or("no AWS region: set `region` in the provider block, or AWS_REGION, or a region in the AWS profile")?;
        if let Some(assume) = &settings.assume_role {
            base = assume_role(base, assume, settings.endpoints.sts.as_deref()).await;
        }

        let mut iam = aws_sdk_iam::config::Builder::from(&base).interceptor(super::log::RequestLog);
        if let Some(url) = &settings.endpoints.iam {
            iam = iam.endpoint_url(url);
        }
        let mut lambda =
            aws_sdk_lambda::config::Builder::from(&base).interceptor(super::log::RequestLog);
        if let Some(url) = &settings.endpoints.lambda {
            lambda = lambda.endpoint_url(url);
        }
        let mut scheduler =
            aws_sdk_scheduler::config::Builder::from(&base).interceptor(super::log::RequestLog);
        if let Some(url) = &settings.endpoints.scheduler {
            scheduler = scheduler.endpoint_url(url);
        }
        let mut sts = aws_sdk_sts::config::Builder::from(&base).interceptor(super::log::RequestLog);
        if let Some(url) = &settings.endpoints.sts {
            sts = sts.endpoint_url(url);
        }
        tracing::debug!(region = %region, "AWS clients configured");
        Ok(AwsClients {
            iam: aws_sdk_iam::Client::from_conf(iam.build()),
            lambda: aws_sdk_lambda::Client::from_conf(lambda.build()),
            scheduler: aws_sdk_scheduler::Client::from_conf(scheduler.build()),
            sts: aws_sdk_sts::Client::from_conf(sts.build()),
            partition: partition_of(&region),
            region,
            account_source: account_source(
                settings.skip_requesting_account_id,
                settings.account_id.as_deref(),
            ),
            default_tags: settings.default_tags.clone(),
            permission_locks: KeyedLock::default(),
            policy_reads: Default::default(),
            account_id: OnceCell::new(),
        })
    }

    /// The account id: the configured one, or one STS GetCallerIdentity per
    /// provider instance (cached; [`AccountSource::Sts`]'s `expected` is
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
        .session_name(
            assume
                .session_name
                .clone()
                .unwrap_or_else(|| "lambdawire".into()),
        )
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
