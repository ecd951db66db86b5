//! lambdawire: a Terraform / OpenTofu provider that turns the secure wiring of
//! AWS Lambda invocations into a few high-level resources.
//!
//! # Layout
//! - [`provider`]: provider schema, configuration validation, and `configure`,
//!   which builds one set of AWS clients shared by every resource.
//! - [`resources`], [`data_sources`], [`functions`]: one module per Terraform
//!   type. Each decodes Terraform values, calls pure functions (validate, plan,
//!   expand, flatten), calls [`aws`], and encodes the result.
//! - [`aws`]: the only code that sends SDK calls: clients, error
//!   classification and diagnostics, named bounded retries, the keyed lock,
//!   and finders that own "not found".
//! - [`policy`]: typed IAM policy documents, the builders of every policy this
//!   provider writes, and semantic equivalence.
//! - [`validate`]: schedule expressions, time zones, names: pure checks.
//! - [`tf`]: our helpers over `tf-provider` (values, blocks, schema, diagnostics).
//! - [`logging`]: `tracing` to stderr in the line format Terraform reads.

// A panic is "plugin crashed" to the user: failures must become diagnostics.
#![deny(clippy::unwrap_used, clippy::expect_used)]
#![cfg_attr(test, allow(clippy::unwrap_used, clippy::expect_used))]

pub mod aws;
pub mod data_sources;
pub mod functions;
pub mod logging;
pub mod policy;
pub mod provider;
pub mod resources;
pub mod tf;
pub mod validate;

/// The provider's short name: Terraform prefixes every type with it.
pub const PROVIDER_NAME: &str = "lambdawire";

/// Serve the provider until Terraform closes the connection.
pub async fn serve() -> anyhow::Result<()> {
    // The AWS SDK brings rustls with aws-lc-rs and tonic brings it with ring;
    // with both compiled in, rustls cannot choose and the TLS handshake with
    // Terraform would panic. Pick ring, the one tonic and tf-provider are built and tested with.
    let _ = rustls::crypto::ring::default_provider().install_default();
    tf_provider::serve(PROVIDER_NAME, provider::LambdawireProvider::default()).await
}
