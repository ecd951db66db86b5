//! The protocol layer: lambdawire's own implementation of the Terraform
//! plugin protocol (tfplugin6) over go-plugin's gRPC transport. It knows no
//! AWS. Resources plug into it through one contract ([`resource`]).
//!
//! - [`handshake`]: the magic cookie, AutoMTLS and the handshake line.
//! - [`server`]: the gRPC services; [`wire`]: our types to and from theirs.
//! - [`value`], [`block`]: the value codec (MessagePack with unknowns,
//!   JSON for stored state) and the model vocabulary.
//! - [`schema`], [`diag`]: schemas and diagnostics with attribute paths.
//! - [`resource`]: the contract and the lifecycle rules written once.
//! - [`stop`]: graceful stop (StopProvider, SIGINT, SIGTERM).
//!
//! What it guarantees: Ctrl-C (to Terraform or to the whole process group),
//! StopProvider and SIGTERM never end an RPC in flight; after any of them no
//! new operation starts (each is refused with nothing done), and the server
//! serves until Terraform's Shutdown, or, after a SIGTERM, until every
//! operation in flight has answered. Every RPC answers; a request that does
//! not decode is a diagnostic, never a panic.

pub mod block;
pub mod diag;
pub mod handshake;
pub mod proto;
pub mod resource;
pub mod schema;
pub mod server;
pub mod stop;
pub mod value;
pub mod wire;

use std::collections::HashMap;
use std::sync::Arc;
use std::time::Duration;

use async_trait::async_trait;

pub use block::Block;
pub use diag::{AttributePath, Diagnostics, Problem};
pub use value::{
    json_equal, known, known_list, known_map, opt, prior_if_equivalent, str_list, str_value, text,
    Bool, Num, Str, StrList, StrMap, Value,
};

use resource::{DynDataSource, DynFunction, DynResource, Model};
use schema::Schema;

/// The provider itself: its configuration and what it serves.
#[async_trait]
pub trait Provider: Send + Sync + 'static {
    /// The provider block's model: field names are its argument names.
    type Config: Model;
    /// The provider block's schema.
    fn schema(&self) -> Schema;
    /// Problems in the provider block, with their paths; unknown values are skipped.
    fn validate(&self, config: &Self::Config) -> Vec<Problem>;
    /// ConfigureProvider: make ready what the types will share. Called once per
    /// provider instance, possibly with unknown arguments during plan; a
    /// failure goes into `diags`.
    async fn configure(
        &self,
        diags: &mut Diagnostics,
        terraform_version: &str,
        config: Self::Config,
    );
    /// Every resource type, each with its type name without the prefix.
    fn resources(&self) -> Vec<Box<dyn DynResource>>;
    /// Every data source type.
    fn data_sources(&self) -> Vec<Box<dyn DynDataSource>>;
    /// Every provider function.
    fn functions(&self) -> Vec<Box<dyn DynFunction>>;
}

/// [`Provider`] with its configuration type erased.
#[async_trait]
pub trait DynProvider: Send + Sync {
    /// The provider block's schema.
    fn schema(&self) -> Schema;
    /// ValidateProviderConfig: a diagnostic per problem in the MessagePack configuration.
    fn validate(&self, config: &[u8]) -> Diagnostics;
    /// ConfigureProvider: validate, decode and configure; the diagnostics of all three.
    async fn configure(&self, terraform_version: &str, config: &[u8]) -> Diagnostics;
}

struct ErasedProvider<P>(Arc<P>);

#[async_trait]
impl<P: Provider> DynProvider for ErasedProvider<P> {
    fn schema(&self) -> Schema {
        self.0.schema()
    }

    fn validate(&self, config: &[u8]) -> Diagnostics {
        resource::validate_bytes(config, |c: &P::Config| self.0.validate(c))
    }

    async fn configure(&self, terraform_version: &str, config: &[u8]) -> Diagnostics {
        let mut diags = self.validate(config);
        if diags.has_errors() {
            return diags;
        }
        match value::from_msgpack::<P::Config>(config) {
            Ok(config) => {
                self.0
                    .configure(&mut diags, terraform_version, config)
                    .await
            }
            Err(why) => diags.root_error(
                "Terraform sent a provider configuration lambdawire cannot read",
                why,
            ),
        }
        diags
    }
}

/// Index what `provider` serves by full type name (`<prefix>_<type>`).
pub fn registry<P: Provider>(prefix: &str, provider: P) -> server::Registry {
    let full = |name: &str| format!("{prefix}_{name}");
    server::Registry {
        resources: provider
            .resources()
            .into_iter()
            .map(|r| (full(r.type_name()), r))
            .collect(),
        data_sources: provider
            .data_sources()
            .into_iter()
            .map(|d| (full(d.type_name()), d))
            .collect(),
        functions: provider
            .functions()
            .into_iter()
            .map(|f| (f.name().to_string(), f))
            .collect::<HashMap<_, _>>(),
        provider: Box::new(ErasedProvider(Arc::new(provider))),
    }
}

/// After a SIGTERM, how long the provider waits with nothing in flight
/// before it exits: time for the last answers to reach Terraform, whose
/// further calls are refused at once (see `server`), and for its Shutdown.
const EXIT_QUIET: Duration = Duration::from_secs(3);

/// Serve `provider` to Terraform until it calls Shutdown (or a SIGTERM's
/// exit): bind, print the handshake line, serve gRPC over AutoMTLS.
pub async fn serve<P: Provider>(prefix: &str, provider: P) -> anyhow::Result<()> {
    stop::watch_signals()?;
    stop::exit_when_orphaned(Duration::from_secs(10));
    let stop = stop::global().clone();
    let in_flight = Arc::new(stop::InFlight::default());
    let listener = handshake::Listener::bind().await?;
    let line = listener.handshake_line()?;
    let (shutdown_tx, shutdown_rx) = tokio::sync::watch::channel(false);
    let registry = Arc::new(registry(prefix, provider));
    let router = services(registry, &stop, &in_flight, shutdown_tx, &shutdown_rx);
    {
        use std::io::Write as _;
        let mut stdout = std::io::stdout().lock();
        writeln!(stdout, "{line}")?;
        stdout.flush()?;
    }
    tracing::info!(address = %listener.local_addr()?, tls = listener.tls.is_some(), "serving tfplugin6");
    let mut done = shutdown_rx.clone();
    let serve = router.serve_with_incoming_shutdown(handshake::incoming(listener), async move {
        let _ = done.wait_for(|d| *d).await;
    });
    tokio::pin!(serve);
    let mut after = shutdown_rx;
    tokio::select! {
        result = &mut serve => {
            result?;
            tracing::info!("shut down by Terraform");
        }
        _ = async {
            let _ = after.wait_for(|d| *d).await;
            // Terraform closes the connection right after Shutdown and kills
            // a plugin that has not exited two seconds later: do not wait
            // for a client that keeps a stream open.
            tokio::time::sleep(Duration::from_secs(1)).await;
        } => tracing::info!("shut down by Terraform"),
        _ = async {
            stop.exit_requested().await;
            in_flight.quiet_for(EXIT_QUIET).await;
        } => tracing::warn!("exiting as SIGTERM asked: every operation in flight has answered"),
    }
    Ok(())
}

/// The gRPC services go-plugin and Terraform expect: the provider, the
/// controller (Shutdown), the broker and stdio streams, and health.
fn services(
    registry: Arc<server::Registry>,
    stop: &stop::Stop,
    in_flight: &Arc<stop::InFlight>,
    shutdown_tx: tokio::sync::watch::Sender<bool>,
    shutdown_rx: &tokio::sync::watch::Receiver<bool>,
) -> tonic::transport::server::Router {
    use proto::health::health_server::HealthServer;
    use proto::plugin::grpc_broker_server::GrpcBrokerServer;
    use proto::plugin::grpc_controller_server::GrpcControllerServer;
    use proto::plugin::grpc_stdio_server::GrpcStdioServer;
    use proto::tfplugin6::provider_server::ProviderServer;

    // Terraform sends whole schemas and states; the default 4 MiB limit
    // could refuse a large configuration.
    let limit = 256 * 1024 * 1024;
    tonic::transport::Server::builder()
        .add_service(
            ProviderServer::new(server::ProviderService::new(
                registry,
                stop.clone(),
                in_flight.clone(),
            ))
            .max_decoding_message_size(limit)
            .max_encoding_message_size(limit),
        )
        .add_service(GrpcControllerServer::new(server::Controller {
            shutdown: shutdown_tx,
        }))
        .add_service(GrpcBrokerServer::new(server::Broker {
            shutdown: shutdown_rx.clone(),
        }))
        .add_service(GrpcStdioServer::new(server::Stdio {
            shutdown: shutdown_rx.clone(),
        }))
        .add_service(HealthServer::new(server::Health))
}
