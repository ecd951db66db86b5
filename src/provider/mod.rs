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

/// Shared between the provider and its resources. The resources are built
/// before `configure` runs, so they hold this handle and find the clients
/// in it once configured.
#[derive(Default)]
pub struct Shared {
    clients: OnceLock<Arc<AwsClients>>,
}

impl Shared {
    /// The configured clients, or an error diagnostic.
    pub fn clients(&self, diags: &mut Diagnostics) -> Option<Arc<AwsClients>> {
        let clients = self.clients.get().cloned();
        if clients.is_none() {
            diags.root_error(
                "provider lambdawire is not configured",
                "Terraform called the resource before configuring the provider; this is a bug in \
                 lambdawire or in the calling tool.",
            );
        }
        clients
    }
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
        match AwsClients::build(&config::settings(&config)).await {
            Ok(clients) => {
                // A second configure of the same instance keeps the first
                // clients: Terraform configures each instance once.
                let _ = self.shared.clients.set(Arc::new(clients));
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
