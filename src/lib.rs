//! lambdawire: a Terraform / OpenTofu provider that turns the secure wiring of
//! AWS Lambda invocations into a few high-level resources.
//!
//! # Layout
//! - [`provider`]: provider schema, configuration validation, and `configure`,
//!   which builds one set of AWS clients shared by every resource.
//! - [`resources`], [`data_sources`], [`functions`]: one module per Terraform
//!   type. A resource is one folder of one shape: `schema`, `model`,
//!   `validate`, `plan` and `flex` (pure), `apply` (its steps over
//!   [`aws`]), `moved` and `upgrade` where they apply, and a `mod.rs` whose
//!   one `impl ManagedResource` the adapter serves. The role resources
//!   share that shape in `role_resource/`, one file per kind, over the
//!   managed-role engine (`managed_role/`: settings and proof pure, apply
//!   async).
//! - [`aws`]: the only code that sends SDK calls: clients, error
//!   classification and diagnostics, named bounded retries, the keyed lock,
//!   and finders that own "not found".
//! - [`lambda`]: Lambda's vocabulary (function references, principals and
//!   their inference, policy statements), pure.
//! - [`policy`]: typed IAM policy documents, the builders of every policy this
//!   provider writes, and semantic equivalence.
//! - [`validate`]: schedule expressions, time zones, durations, names: pure
//!   checks.
//! - [`plugin`]: the protocol layer (tfplugin6 over go-plugin's gRPC, with
//!   AutoMTLS), the value codec, schemas, diagnostics, graceful stop, and
//!   the one resource contract every type implements. It knows no AWS.
//! - [`logging`]: `tracing` to stderr in the line format Terraform reads.

// A panic is "plugin crashed" to the user: failures must become diagnostics.
#![deny(clippy::unwrap_used, clippy::expect_used)]
#![cfg_attr(test, allow(clippy::unwrap_used, clippy::expect_used))]
// Every public item says what it is; `src/plugin/proto.rs` (generated) is
// the one exemption.
#![warn(missing_docs)]

pub mod aws;
pub mod data_sources;
pub mod functions;
pub mod lambda;
pub mod logging;
pub mod plugin;
pub mod policy;
pub mod provider;
pub mod resources;
pub mod shared;
pub mod validate;

/// The provider's short name: Terraform prefixes every type with it.
pub const PROVIDER_NAME: &str = "lambdawire";

/// Serve the provider until Terraform closes the connection.
pub async fn serve() -> anyhow::Result<()> {
    // rustls picks no process-wide crypto provider when more than one is
    // compiled in; name the one the AWS SDK and our handshake use.
    let _ = rustls::crypto::aws_lc_rs::default_provider().install_default();
    plugin::serve(PROVIDER_NAME, provider::LambdawireProvider::new(catalog())).await
}

/// Every type the provider serves.
pub fn catalog() -> provider::Catalog {
    provider::Catalog {
        resources: resources::all,
        data_sources: data_sources::all,
        functions: functions::all,
    }
}
