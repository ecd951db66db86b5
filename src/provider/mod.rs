//! The provider: schema, configuration validation, and `configure`, which
//! builds the AWS clients once and shares them with every resource.

pub mod config;
pub mod schema;

use std::sync::{Arc, OnceLock};

use async_trait::async_trait;

use crate::aws::AwsClients;
use crate::plugin::resource::{DynDataSource, DynFunction, DynResource};
use crate::plugin::schema::Schema;
use crate::plugin::{Diagnostics, Problem};
use config::ProviderConfig;

/// What `configure` found.
enum Configured {
    Clients(Arc<AwsClients>),
    /// Some provider arguments were unknown (their paths): no clients exist.
    Unknown(Vec<String>),
}

/// The provider as a plan sees it.
pub enum PlanProvider {
    Known(Arc<AwsClients>),
    /// The configuration is not known yet: account- and region-dependent
    /// values plan unknown.
    Unknown,
}

/// Shared between the provider and its resources. The resources are built
/// before `configure` runs, so they hold this handle and find the clients
/// in it once configured.
#[derive(Default)]
pub struct Shared {
    configured: OnceLock<Configured>,
}

impl Shared {
    /// The configured clients, or an error diagnostic: for reads, applies,
    /// imports and data sources, which must act with the configured identity.
    pub fn clients(&self, diags: &mut Diagnostics) -> Option<Arc<AwsClients>> {
        match self.configured.get() {
            Some(Configured::Clients(clients)) => Some(clients.clone()),
            Some(Configured::Unknown(arguments)) => {
                let (summary, detail) = unknown_configuration(arguments);
                diags.root_error(summary, detail);
                None
            }
            None => {
                not_configured(diags);
                None
            }
        }
    }

    /// For plans: the clients, or [`PlanProvider::Unknown`] while the
    /// configuration is not known yet.
    pub fn plan_provider(&self, diags: &mut Diagnostics) -> Option<PlanProvider> {
        match self.configured.get() {
            Some(Configured::Clients(clients)) => Some(PlanProvider::Known(clients.clone())),
            Some(Configured::Unknown(_)) => Some(PlanProvider::Unknown),
            None => {
                not_configured(diags);
                None
            }
        }
    }

    #[cfg(test)]
    pub fn unknown_for_tests(arguments: Vec<String>) -> Shared {
        let shared = Shared::default();
        let _ = shared.configured.set(Configured::Unknown(arguments));
        shared
    }
}

fn not_configured(diags: &mut Diagnostics) {
    diags.root_error(
        "provider lambdawire is not configured",
        "Terraform called the resource before configuring the provider; this is a bug in \
         lambdawire or in the calling tool.",
    );
}

/// The error for an operation that needs AWS while the provider
/// configuration is unknown.
pub fn unknown_configuration(arguments: &[String]) -> (String, String) {
    (
        "the lambdawire provider configuration is not known yet".to_string(),
        format!(
            "These provider arguments depend on values known only after apply: {}. Planning new \
             resources works (their account-dependent values are \"known after apply\"), but \
             reading, importing or changing existing ones needs the AWS identity now, and \
             lambdawire does not fall back to other credentials. Apply the resources those \
             values come from first (terraform apply -target=...), or configure the provider \
             from values known at plan time.",
            arguments.join(", ")
        ),
    )
}

#[derive(Default)]
pub struct LambdawireProvider {
    shared: Arc<Shared>,
}

#[async_trait]
impl crate::plugin::Provider for LambdawireProvider {
    type Config = ProviderConfig;

    fn schema(&self) -> Schema {
        schema::provider_schema()
    }

    fn validate(&self, config: &ProviderConfig) -> Vec<Problem> {
        config::validate(config)
    }

    async fn configure(
        &self,
        diags: &mut Diagnostics,
        terraform_version: &str,
        config: ProviderConfig,
    ) {
        tracing::info!(terraform_version = %terraform_version, "configuring provider");
        // Terraform configures a provider with unknown arguments when they
        // come from resources not yet applied (no deferral in protocol 6.5),
        // and plans anyway; during apply it configures a new instance with
        // the known values. Building clients from the known rest would act
        // as another identity (base credentials instead of the role to
        // assume, another region), so nothing is built: plans of new
        // resources show the account-dependent values unknown, everything
        // that must call AWS reports the unknown arguments.
        let unknown = config::unknown_arguments(&config);
        // A second configure of the same instance keeps the first result:
        // Terraform configures each instance once.
        if !unknown.is_empty() {
            tracing::info!(arguments = ?unknown, "provider configuration not known yet");
            let _ = self.shared.configured.set(Configured::Unknown(unknown));
            return;
        }
        match AwsClients::build(&config::settings(&config)).await {
            Ok(clients) => {
                let _ = self
                    .shared
                    .configured
                    .set(Configured::Clients(Arc::new(clients)));
            }
            Err(why) => diags.root_error("configuring the AWS clients failed", why),
        }
    }

    fn resources(&self) -> Vec<Box<dyn DynResource>> {
        crate::resources::all(&self.shared)
    }

    fn data_sources(&self) -> Vec<Box<dyn DynDataSource>> {
        crate::data_sources::all(&self.shared)
    }

    fn functions(&self) -> Vec<Box<dyn DynFunction>> {
        crate::functions::all()
    }
}
