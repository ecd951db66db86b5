//! The provider: schema, configuration validation, and `configure`, which
//! builds the AWS clients once and shares them with every resource.

pub mod config;
pub mod schema;

use std::sync::Arc;

use async_trait::async_trait;

use crate::aws::AwsClients;
use crate::plugin::resource::{DynDataSource, DynFunction, DynResource};
use crate::plugin::schema::Schema;
use crate::plugin::{Diagnostics, Problem};
use crate::shared::Shared;
use config::ProviderConfig;

/// The types the provider serves, each built over the provider's [`Shared`]
/// handle. `lib.rs` names them, so that the provider floor knows no resource.
pub struct Catalog {
    /// Every resource type, built over the handle.
    pub resources: fn(&Arc<Shared>) -> Vec<Box<dyn DynResource>>,
    /// Every data source type, built over the handle.
    pub data_sources: fn(&Arc<Shared>) -> Vec<Box<dyn DynDataSource>>,
    /// Every provider function; they need no handle, calling no AWS.
    pub functions: fn() -> Vec<Box<dyn DynFunction>>,
}

/// The lambdawire provider: it configures the AWS clients once and shares
/// them, through [`Shared`], with every type of its [`Catalog`].
pub struct LambdawireProvider {
    shared: Arc<Shared>,
    catalog: Catalog,
}

impl LambdawireProvider {
    /// A provider not yet configured, serving `catalog`.
    pub fn new(catalog: Catalog) -> Self {
        LambdawireProvider {
            shared: Arc::default(),
            catalog,
        }
    }
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
        if !unknown.is_empty() {
            tracing::info!(arguments = ?unknown, "provider configuration not known yet");
            self.shared.set_unknown(unknown);
            return;
        }
        match AwsClients::build(&config::settings(&config)).await {
            Ok(clients) => self.shared.set_clients(clients),
            Err(why) => diags.root_error("configuring the AWS clients failed", why),
        }
    }

    fn resources(&self) -> Vec<Box<dyn DynResource>> {
        (self.catalog.resources)(&self.shared)
    }

    fn data_sources(&self) -> Vec<Box<dyn DynDataSource>> {
        (self.catalog.data_sources)(&self.shared)
    }

    fn functions(&self) -> Vec<Box<dyn DynFunction>> {
        (self.catalog.functions)()
    }
}
