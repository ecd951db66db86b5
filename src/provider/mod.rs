//! The provider: schema, configuration validation, and `configure`, which
//! builds the AWS clients once and shares them with every resource.

pub mod config;
pub mod schema;

use std::collections::HashMap;
use std::sync::{Arc, OnceLock};

use async_trait::async_trait;
use tf_provider::schema::Schema;
use tf_provider::value::ValueEmpty;
use tf_provider::{Diagnostics, DynamicDataSource, DynamicFunction, DynamicResource, Provider};

use crate::aws::AwsClients;
use config::ProviderConfig;

/// Shared between the provider and its resources. tf-provider asks for the
/// resources before `configure` runs, so they hold this handle and find the
/// clients in it once configured.
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
impl Provider for LambdawireProvider {
    type Config<'a> = ProviderConfig;
    type MetaState<'a> = ValueEmpty;

    fn schema(&self, _diags: &mut Diagnostics) -> Option<Schema> {
        Some(schema::provider_schema())
    }

    async fn validate<'a>(&self, diags: &mut Diagnostics, config: Self::Config<'a>) -> Option<()> {
        crate::tf::diag::report(diags, config::validate(&config));
        Some(())
    }

    async fn configure<'a>(
        &self,
        diags: &mut Diagnostics,
        terraform_version: String,
        config: Self::Config<'a>,
    ) -> Option<()> {
        if !crate::tf::diag::report(diags, config::validate(&config)) {
            return None;
        }
        tracing::info!(terraform_version = %terraform_version, "configuring provider");
        match AwsClients::build(&config::settings(&config)).await {
            Ok(clients) => {
                // A second configure of the same instance keeps the first
                // clients: Terraform configures each instance once.
                let _ = self.shared.clients.set(Arc::new(clients));
                Some(())
            }
            Err(why) => {
                diags.root_error("configuring the AWS clients failed", why);
                None
            }
        }
    }

    fn get_resources(
        &self,
        _diags: &mut Diagnostics,
    ) -> Option<HashMap<String, Box<dyn DynamicResource>>> {
        Some(crate::resources::all(&self.shared))
    }

    fn get_data_sources(
        &self,
        _diags: &mut Diagnostics,
    ) -> Option<HashMap<String, Box<dyn DynamicDataSource>>> {
        Some(crate::data_sources::all(&self.shared))
    }

    fn get_functions(
        &self,
        _diags: &mut Diagnostics,
    ) -> Option<HashMap<String, Box<dyn DynamicFunction>>> {
        Some(crate::functions::all())
    }
}
