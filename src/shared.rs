//! The handle the provider fills at `configure` and every resource and data
//! source reads: the configured AWS clients, or the provider arguments that
//! were still unknown. Terraform asks for the resource list before it
//! configures the provider, so each type holds an `Arc` of this and finds
//! the clients in it later. Only the resource adapter
//! ([`crate::resources::adapter`]) reads it.

use std::sync::{Arc, OnceLock};

use crate::aws::AwsClients;
use crate::plugin::Diagnostics;

/// What `configure` found.
enum Configured {
    Clients(Arc<AwsClients>),
    /// Some provider arguments were unknown (their paths): no clients exist.
    Unknown(Vec<String>),
}

/// The provider as a plan sees it.
pub enum PlanProvider {
    /// Configured: the clients, from which the plan's facts are read.
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

    /// Record the clients `configure` built. A second configure of the same
    /// instance keeps the first result: Terraform configures each instance
    /// once.
    pub fn set_clients(&self, clients: AwsClients) {
        let _ = self.configured.set(Configured::Clients(Arc::new(clients)));
    }

    /// Record that these provider arguments (their paths) were unknown.
    pub fn set_unknown(&self, arguments: Vec<String>) {
        let _ = self.configured.set(Configured::Unknown(arguments));
    }

    /// A handle as `configure` leaves it when these arguments were unknown.
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
