//! The gRPC services Terraform talks to: tfplugin6's `Provider`, and
//! go-plugin's controller (Shutdown), broker and stdio, and gRPC health.
//! Each RPC decodes its request, hands it to the provider or to one
//! resource through the contract in [`super::resource`], and encodes the
//! answer. An RPC that Terraform 1.11 does not need answers with a clear
//! "unsupported" diagnostic, never a crash.

use std::borrow::Cow;
use std::collections::HashMap;
use std::pin::Pin;
use std::sync::{Arc, OnceLock};

use futures::{Stream, StreamExt as _};
use tokio::sync::watch;
use tonic::{Request, Response, Status};

use super::diag::Diagnostics;
use super::proto::health::{self, health_check_response::ServingStatus};
use super::proto::plugin as gp;
use super::proto::tfplugin6 as pb;
use super::resource::{DynDataSource, DynFunction, DynResource, MoveSource};
use super::stop::{InFlight, Stop};
use super::wire;
use super::DynProvider;

type Reply<T> = Result<Response<T>, Status>;

/// Everything the provider serves, by full type name.
pub struct Registry {
    /// The provider block's schema, validation and configure.
    pub provider: Box<dyn DynProvider>,
    /// By full type name (`lambdawire_<type>`).
    pub resources: HashMap<String, Box<dyn DynResource>>,
    /// By full type name.
    pub data_sources: HashMap<String, Box<dyn DynDataSource>>,
    /// By function name, which has no prefix (`provider::lambdawire::<name>`).
    pub functions: HashMap<String, Box<dyn DynFunction>>,
}

/// The tfplugin6 `Provider` gRPC service: decodes each RPC, refuses it once a
/// stop was requested if it could call AWS, and hands it to the [`Registry`].
pub struct ProviderService {
    registry: Arc<Registry>,
    schema: OnceLock<pb::get_provider_schema::Response>,
    stop: Stop,
    in_flight: Arc<InFlight>,
}

impl ProviderService {
    /// `stop` is what StopProvider requests and what refuses new
    /// operations; `in_flight` counts the RPCs that may call AWS.
    pub fn new(registry: Arc<Registry>, stop: Stop, in_flight: Arc<InFlight>) -> Self {
        ProviderService {
            registry,
            schema: OnceLock::new(),
            stop,
            in_flight,
        }
    }

    /// After a stop, an operation that would call AWS is refused before it
    /// starts, with nothing done. Terraform sends none after its own
    /// StopProvider, but it knows nothing of a SIGTERM (or SIGINT) sent to
    /// the provider alone: it would go on applying, every wait cut short,
    /// and the process would never end. Refused, each change leaves AWS and
    /// its state as they were, and the run ends at once.
    fn refused(&self) -> Option<Vec<pb::Diagnostic>> {
        if !self.stop.requested() {
            return None;
        }
        let why = self.stop.reason().unwrap_or("a stop request");
        let mut diags = Diagnostics::default();
        diags.root_error(
            format!("lambdawire is stopping ({why}): this operation was not started"),
            "The provider was asked to stop before this operation reached it, so it made no AWS \
             call for it and its state is unchanged. Operations already under way finished and \
             Terraform recorded what they did. Run the command again to finish.",
        );
        Some(wire::diagnostics(&diags))
    }

    fn resource(&self, type_name: &str) -> Result<&dyn DynResource, Vec<pb::Diagnostic>> {
        self.registry
            .resources
            .get(type_name)
            .map(|r| r.as_ref())
            .ok_or_else(|| unknown_type("resource", type_name))
    }
}

fn unknown_type(kind: &str, type_name: &str) -> Vec<pb::Diagnostic> {
    let mut diags = Diagnostics::default();
    diags.root_error(
        format!("lambdawire has no {kind} type {type_name:?}"),
        "The configuration names a type this provider does not serve; `terraform providers schema -json` lists the types it does.",
    );
    wire::diagnostics(&diags)
}

fn unsupported(what: &str) -> Vec<pb::Diagnostic> {
    let mut diags = Diagnostics::default();
    diags.root_error(
        format!("lambdawire does not support {what}"),
        "No type of this provider offers it.",
    );
    wire::diagnostics(&diags)
}

fn dv(bytes: Vec<u8>) -> Option<pb::DynamicValue> {
    Some(pb::DynamicValue {
        msgpack: bytes,
        json: Vec::new(),
    })
}

/// The MessagePack of a DynamicValue; an absent value is null. Terraform
/// always sends MessagePack; a value sent as JSON only is converted, and one
/// that does not convert becomes bytes that fail to decode, never a null
/// (which would read as "destroy" in a plan or an apply).
fn bytes(value: &Option<pb::DynamicValue>) -> Cow<'_, [u8]> {
    match value {
        Some(v) if !v.msgpack.is_empty() => Cow::Borrowed(&v.msgpack),
        Some(v) if !v.json.is_empty() => Cow::Owned(
            serde_json::from_slice::<serde_json::Value>(&v.json)
                .ok()
                .and_then(|j| super::value::to_msgpack(&j).ok())
                .unwrap_or_else(|| vec![0xc1]),
        ),
        _ => Cow::Borrowed(super::value::MSGPACK_NULL),
    }
}

/// A write-only attribute set in a configuration that a Terraform older
/// than 1.11 sends (it announces no write-only support): it would treat the
/// attribute as an ordinary one and then reject the null plan we return for
/// it, blaming the provider. Say what is wrong instead, at the attribute.
fn write_only_needs_newer_terraform(schema: &super::schema::Schema, config: &[u8]) -> Diagnostics {
    let mut diags = Diagnostics::default();
    let Ok(rmpv::Value::Map(entries)) = rmpv::decode::read_value(&mut &config[..]) else {
        return diags;
    };
    for (name, attribute) in &schema.block.attributes {
        let set = entries
            .iter()
            .any(|(k, v)| k.as_str() == Some(name.as_str()) && !v.is_nil());
        if attribute.write_only && set {
            diags.error(
                format!("{name} needs Terraform 1.11 or later"),
                "Write-only attributes are never stored in plan or state; this Terraform (or \
                 OpenTofu) does not support them. Upgrade, or use the attribute's sensitive \
                 counterpart.",
                super::diag::AttributePath::new(name.clone()),
            );
        }
    }
    diags
}

fn capabilities() -> pb::ServerCapabilities {
    pb::ServerCapabilities {
        // Destroy plans come to us too, so private state reaches delete.
        plan_destroy: true,
        get_provider_schema_optional: false,
        move_resource_state: true,
    }
}

#[tonic::async_trait]
impl pb::provider_server::Provider for ProviderService {
    async fn get_metadata(
        &self,
        _: Request<pb::get_metadata::Request>,
    ) -> Reply<pb::get_metadata::Response> {
        let r = &self.registry;
        Ok(Response::new(pb::get_metadata::Response {
            server_capabilities: Some(capabilities()),
            diagnostics: vec![],
            data_sources: r
                .data_sources
                .keys()
                .map(|t| pb::get_metadata::DataSourceMetadata {
                    type_name: t.clone(),
                })
                .collect(),
            resources: r
                .resources
                .keys()
                .map(|t| pb::get_metadata::ResourceMetadata {
                    type_name: t.clone(),
                })
                .collect(),
            functions: r
                .functions
                .keys()
                .map(|n| pb::get_metadata::FunctionMetadata { name: n.clone() })
                .collect(),
            ephemeral_resources: vec![],
        }))
    }

    async fn get_provider_schema(
        &self,
        _: Request<pb::get_provider_schema::Request>,
    ) -> Reply<pb::get_provider_schema::Response> {
        let r = &self.registry;
        let response = self
            .schema
            .get_or_init(|| pb::get_provider_schema::Response {
                provider: Some(wire::schema(&r.provider.schema())),
                resource_schemas: r
                    .resources
                    .iter()
                    .map(|(t, x)| (t.clone(), wire::schema(&x.schema())))
                    .collect(),
                data_source_schemas: r
                    .data_sources
                    .iter()
                    .map(|(t, x)| (t.clone(), wire::schema(&x.schema())))
                    .collect(),
                functions: r
                    .functions
                    .iter()
                    .map(|(n, f)| (n.clone(), wire::function(&f.schema())))
                    .collect(),
                ephemeral_resource_schemas: HashMap::new(),
                diagnostics: vec![],
                provider_meta: None,
                server_capabilities: Some(capabilities()),
            });
        Ok(Response::new(response.clone()))
    }

    async fn validate_provider_config(
        &self,
        request: Request<pb::validate_provider_config::Request>,
    ) -> Reply<pb::validate_provider_config::Response> {
        let diags = self
            .registry
            .provider
            .validate(&bytes(&request.get_ref().config));
        Ok(Response::new(pb::validate_provider_config::Response {
            diagnostics: wire::diagnostics(&diags),
        }))
    }

    async fn validate_resource_config(
        &self,
        request: Request<pb::validate_resource_config::Request>,
    ) -> Reply<pb::validate_resource_config::Response> {
        let r = request.into_inner();
        let write_only_allowed = r
            .client_capabilities
            .as_ref()
            .is_some_and(|c| c.write_only_attributes_allowed);
        let diagnostics = match self.resource(&r.type_name) {
            Ok(resource) => {
                let config = bytes(&r.config);
                let mut diags = resource.validate(&config);
                if !write_only_allowed {
                    diags.extend(write_only_needs_newer_terraform(
                        &resource.schema(),
                        &config,
                    ));
                }
                wire::diagnostics(&diags)
            }
            Err(d) => d,
        };
        Ok(Response::new(pb::validate_resource_config::Response {
            diagnostics,
        }))
    }

    async fn validate_data_resource_config(
        &self,
        request: Request<pb::validate_data_resource_config::Request>,
    ) -> Reply<pb::validate_data_resource_config::Response> {
        let r = request.into_inner();
        let diagnostics = match self.registry.data_sources.get(&r.type_name) {
            Some(ds) => wire::diagnostics(&ds.validate(&bytes(&r.config))),
            None => unknown_type("data source", &r.type_name),
        };
        Ok(Response::new(pb::validate_data_resource_config::Response {
            diagnostics,
        }))
    }

    async fn upgrade_resource_state(
        &self,
        request: Request<pb::upgrade_resource_state::Request>,
    ) -> Reply<pb::upgrade_resource_state::Response> {
        let r = request.into_inner();
        let resource = match self.resource(&r.type_name) {
            Ok(resource) => resource,
            Err(diagnostics) => {
                return Ok(Response::new(pb::upgrade_resource_state::Response {
                    upgraded_state: None,
                    diagnostics,
                }))
            }
        };
        let json = r.raw_state.map(|s| s.json).unwrap_or_default();
        if json.is_empty() {
            // Flatmap state comes from Terraform 0.11 and earlier, which
            // never ran this provider.
            return Ok(Response::new(pb::upgrade_resource_state::Response {
                upgraded_state: None,
                diagnostics: unsupported("state in the pre-0.12 flatmap format"),
            }));
        }
        let answer = resource.upgrade(r.version, &json);
        Ok(Response::new(pb::upgrade_resource_state::Response {
            upgraded_state: dv(answer.value),
            diagnostics: wire::diagnostics(&answer.diags),
        }))
    }

    async fn get_resource_identity_schemas(
        &self,
        _: Request<pb::get_resource_identity_schemas::Request>,
    ) -> Reply<pb::get_resource_identity_schemas::Response> {
        // Resource identity (Terraform >= 1.12): no type declares one yet.
        Ok(Response::new(
            pb::get_resource_identity_schemas::Response::default(),
        ))
    }

    async fn upgrade_resource_identity(
        &self,
        _: Request<pb::upgrade_resource_identity::Request>,
    ) -> Reply<pb::upgrade_resource_identity::Response> {
        Ok(Response::new(pb::upgrade_resource_identity::Response {
            upgraded_identity: None,
            diagnostics: unsupported("resource identity"),
        }))
    }

    async fn configure_provider(
        &self,
        request: Request<pb::configure_provider::Request>,
    ) -> Reply<pb::configure_provider::Response> {
        let _running = self.in_flight.start();
        let r = request.into_inner();
        let diags = self
            .registry
            .provider
            .configure(&r.terraform_version, &bytes(&r.config))
            .await;
        Ok(Response::new(pb::configure_provider::Response {
            diagnostics: wire::diagnostics(&diags),
        }))
    }

    async fn read_resource(
        &self,
        request: Request<pb::read_resource::Request>,
    ) -> Reply<pb::read_resource::Response> {
        let _running = self.in_flight.start();
        let r = request.into_inner();
        if let Some(diagnostics) = self.refused() {
            return Ok(Response::new(pb::read_resource::Response {
                new_state: r.current_state,
                diagnostics,
                private: r.private,
                ..Default::default()
            }));
        }
        let resource = match self.resource(&r.type_name) {
            Ok(resource) => resource,
            Err(diagnostics) => {
                return Ok(Response::new(pb::read_resource::Response {
                    new_state: r.current_state,
                    diagnostics,
                    private: r.private,
                    ..Default::default()
                }))
            }
        };
        let answer = resource.read(&bytes(&r.current_state), &r.private).await;
        Ok(Response::new(pb::read_resource::Response {
            new_state: dv(answer.value.0),
            diagnostics: wire::diagnostics(&answer.diags),
            private: answer.value.1,
            deferred: None,
            new_identity: None,
        }))
    }

    async fn plan_resource_change(
        &self,
        request: Request<pb::plan_resource_change::Request>,
    ) -> Reply<pb::plan_resource_change::Response> {
        let _running = self.in_flight.start();
        let r = request.into_inner();
        let resource = match self.resource(&r.type_name) {
            Ok(resource) => resource,
            Err(diagnostics) => {
                return Ok(Response::new(pb::plan_resource_change::Response {
                    diagnostics,
                    ..Default::default()
                }))
            }
        };
        let answer = resource
            .plan(
                &bytes(&r.prior_state),
                &bytes(&r.proposed_new_state),
                &bytes(&r.config),
                &r.prior_private,
            )
            .await;
        let planned = answer.value;
        Ok(Response::new(pb::plan_resource_change::Response {
            planned_state: dv(planned.state),
            requires_replace: planned.requires_replace.iter().map(wire::path).collect(),
            planned_private: planned.private,
            diagnostics: wire::diagnostics(&answer.diags),
            legacy_type_system: false,
            deferred: None,
            planned_identity: None,
        }))
    }

    async fn apply_resource_change(
        &self,
        request: Request<pb::apply_resource_change::Request>,
    ) -> Reply<pb::apply_resource_change::Response> {
        let _running = self.in_flight.start();
        let r = request.into_inner();
        if let Some(diagnostics) = self.refused() {
            // As any failed change: the prior state stands (none for a
            // create, so Terraform records nothing).
            return Ok(Response::new(pb::apply_resource_change::Response {
                new_state: r.prior_state,
                private: r.planned_private,
                diagnostics,
                ..Default::default()
            }));
        }
        let resource = match self.resource(&r.type_name) {
            Ok(resource) => resource,
            Err(diagnostics) => {
                return Ok(Response::new(pb::apply_resource_change::Response {
                    new_state: r.prior_state,
                    diagnostics,
                    ..Default::default()
                }))
            }
        };
        let answer = resource
            .apply(
                &bytes(&r.prior_state),
                &bytes(&r.planned_state),
                &bytes(&r.config),
                &r.planned_private,
            )
            .await;
        Ok(Response::new(pb::apply_resource_change::Response {
            new_state: dv(answer.value.0),
            private: answer.value.1,
            diagnostics: wire::diagnostics(&answer.diags),
            legacy_type_system: false,
            new_identity: None,
        }))
    }

    async fn import_resource_state(
        &self,
        request: Request<pb::import_resource_state::Request>,
    ) -> Reply<pb::import_resource_state::Response> {
        let _running = self.in_flight.start();
        let r = request.into_inner();
        if let Some(diagnostics) = self.refused() {
            return Ok(Response::new(pb::import_resource_state::Response {
                diagnostics,
                ..Default::default()
            }));
        }
        let resource = match self.resource(&r.type_name) {
            Ok(resource) => resource,
            Err(diagnostics) => {
                return Ok(Response::new(pb::import_resource_state::Response {
                    diagnostics,
                    ..Default::default()
                }))
            }
        };
        let answer = resource.import(&r.id).await;
        let imported_resources = answer
            .value
            .into_iter()
            .map(
                |(state, private)| pb::import_resource_state::ImportedResource {
                    type_name: r.type_name.clone(),
                    state: dv(state),
                    private,
                    identity: None,
                },
            )
            .collect();
        Ok(Response::new(pb::import_resource_state::Response {
            imported_resources,
            diagnostics: wire::diagnostics(&answer.diags),
            deferred: None,
        }))
    }

    async fn move_resource_state(
        &self,
        request: Request<pb::move_resource_state::Request>,
    ) -> Reply<pb::move_resource_state::Response> {
        let r = request.into_inner();
        let resource = match self.resource(&r.target_type_name) {
            Ok(resource) => resource,
            Err(diagnostics) => {
                return Ok(Response::new(pb::move_resource_state::Response {
                    diagnostics,
                    ..Default::default()
                }))
            }
        };
        let json = r.source_state.map(|s| s.json).unwrap_or_default();
        let state = match serde_json::from_slice(&json) {
            Ok(state) => state,
            Err(e) => {
                let mut diags = Diagnostics::default();
                diags.root_error("the moved resource's state is not JSON", e.to_string());
                return Ok(Response::new(pb::move_resource_state::Response {
                    diagnostics: wire::diagnostics(&diags),
                    ..Default::default()
                }));
            }
        };
        let source = MoveSource {
            provider_address: &r.source_provider_address,
            type_name: &r.source_type_name,
            schema_version: r.source_schema_version,
            state,
        };
        let answer = resource.move_from(&source);
        let mut diags = answer.diags;
        if answer.value.is_none() && !diags.has_errors() {
            diags.root_error(
                format!("{} cannot be moved to {}", r.source_type_name, r.target_type_name),
                format!(
                    "lambdawire accepts `moved` into {} only from the types its documentation lists.",
                    r.target_type_name
                ),
            );
        }
        Ok(Response::new(pb::move_resource_state::Response {
            target_state: answer.value.and_then(dv),
            diagnostics: wire::diagnostics(&diags),
            // The source's private state belongs to another provider.
            target_private: Vec::new(),
            target_identity: None,
        }))
    }

    async fn read_data_source(
        &self,
        request: Request<pb::read_data_source::Request>,
    ) -> Reply<pb::read_data_source::Response> {
        let _running = self.in_flight.start();
        let r = request.into_inner();
        if let Some(diagnostics) = self.refused() {
            return Ok(Response::new(pb::read_data_source::Response {
                diagnostics,
                ..Default::default()
            }));
        }
        let Some(ds) = self.registry.data_sources.get(&r.type_name) else {
            return Ok(Response::new(pb::read_data_source::Response {
                diagnostics: unknown_type("data source", &r.type_name),
                ..Default::default()
            }));
        };
        let answer = ds.read(&bytes(&r.config)).await;
        Ok(Response::new(pb::read_data_source::Response {
            state: dv(answer.value),
            diagnostics: wire::diagnostics(&answer.diags),
            deferred: None,
        }))
    }

    async fn validate_ephemeral_resource_config(
        &self,
        _: Request<pb::validate_ephemeral_resource_config::Request>,
    ) -> Reply<pb::validate_ephemeral_resource_config::Response> {
        Ok(Response::new(
            pb::validate_ephemeral_resource_config::Response {
                diagnostics: unsupported("ephemeral resources"),
            },
        ))
    }

    async fn open_ephemeral_resource(
        &self,
        _: Request<pb::open_ephemeral_resource::Request>,
    ) -> Reply<pb::open_ephemeral_resource::Response> {
        Ok(Response::new(pb::open_ephemeral_resource::Response {
            diagnostics: unsupported("ephemeral resources"),
            ..Default::default()
        }))
    }

    async fn renew_ephemeral_resource(
        &self,
        _: Request<pb::renew_ephemeral_resource::Request>,
    ) -> Reply<pb::renew_ephemeral_resource::Response> {
        Ok(Response::new(pb::renew_ephemeral_resource::Response {
            diagnostics: unsupported("ephemeral resources"),
            ..Default::default()
        }))
    }

    async fn close_ephemeral_resource(
        &self,
        _: Request<pb::close_ephemeral_resource::Request>,
    ) -> Reply<pb::close_ephemeral_resource::Response> {
        Ok(Response::new(pb::close_ephemeral_resource::Response {
            diagnostics: unsupported("ephemeral resources"),
        }))
    }

    async fn get_functions(
        &self,
        _: Request<pb::get_functions::Request>,
    ) -> Reply<pb::get_functions::Response> {
        Ok(Response::new(pb::get_functions::Response {
            functions: self
                .registry
                .functions
                .iter()
                .map(|(n, f)| (n.clone(), wire::function(&f.schema())))
                .collect(),
            diagnostics: vec![],
        }))
    }

    async fn call_function(
        &self,
        request: Request<pb::call_function::Request>,
    ) -> Reply<pb::call_function::Response> {
        let r = request.into_inner();
        let Some(f) = self.registry.functions.get(&r.name) else {
            return Ok(Response::new(pb::call_function::Response {
                result: None,
                error: Some(pb::FunctionError {
                    text: format!("lambdawire has no function {:?}", r.name),
                    function_argument: None,
                }),
            }));
        };
        let arguments: Vec<Vec<u8>> = r
            .arguments
            .iter()
            .map(|a| bytes(&Some(a.clone())).into_owned())
            .collect();
        let answer = f.call(&arguments);
        Ok(Response::new(pb::call_function::Response {
            result: answer.value.and_then(dv),
            error: wire::function_error(&answer.diags),
        }))
    }

    async fn stop_provider(
        &self,
        _: Request<pb::stop_provider::Request>,
    ) -> Reply<pb::stop_provider::Response> {
        self.stop.request("StopProvider");
        Ok(Response::new(pb::stop_provider::Response {
            error: String::new(),
        }))
    }
}

/// go-plugin's controller: Shutdown ends the server (Terraform calls it
/// when it is done with the provider, then closes the connection).
pub struct Controller {
    /// Set to `true` by Shutdown; the server and the idle streams wait for it.
    pub shutdown: watch::Sender<bool>,
}

#[tonic::async_trait]
impl gp::grpc_controller_server::GrpcController for Controller {
    async fn shutdown(&self, _: Request<gp::Empty>) -> Reply<gp::Empty> {
        let _ = self.shutdown.send(true);
        Ok(Response::new(gp::Empty {}))
    }
}

type BoxStream<T> = Pin<Box<dyn Stream<Item = Result<T, Status>> + Send + 'static>>;

/// A stream that sends nothing and ends at shutdown.
fn until_shutdown<T: Send + 'static>(mut shutdown: watch::Receiver<bool>) -> BoxStream<T> {
    Box::pin(
        futures::stream::once(async move {
            let _ = shutdown.wait_for(|done| *done).await;
            None
        })
        .filter_map(futures::future::ready),
    )
}

/// go-plugin's broker: providers open no extra connections, so the stream
/// only stays open for as long as Terraform keeps it.
pub struct Broker {
    /// Ends the broker stream at Shutdown.
    pub shutdown: watch::Receiver<bool>,
}

#[tonic::async_trait]
impl gp::grpc_broker_server::GrpcBroker for Broker {
    type StartStreamStream = BoxStream<gp::ConnInfo>;

    async fn start_stream(
        &self,
        _: Request<tonic::Streaming<gp::ConnInfo>>,
    ) -> Reply<Self::StartStreamStream> {
        Ok(Response::new(until_shutdown(self.shutdown.clone())))
    }
}

/// go-plugin's stdio forwarding: our output goes to stderr directly (hclog
/// JSON lines), so the stream carries nothing.
pub struct Stdio {
    /// Ends the stdio stream at Shutdown.
    pub shutdown: watch::Receiver<bool>,
}

#[tonic::async_trait]
impl gp::grpc_stdio_server::GrpcStdio for Stdio {
    type StreamStdioStream = BoxStream<gp::StdioData>;

    async fn stream_stdio(&self, _: Request<()>) -> Reply<Self::StreamStdioStream> {
        Ok(Response::new(until_shutdown(self.shutdown.clone())))
    }
}

/// gRPC health: go-plugin pings the service named "plugin".
pub struct Health;

#[tonic::async_trait]
impl health::health_server::Health for Health {
    async fn check(
        &self,
        _: Request<health::HealthCheckRequest>,
    ) -> Reply<health::HealthCheckResponse> {
        Ok(Response::new(health::HealthCheckResponse {
            status: ServingStatus::Serving as i32,
        }))
    }

    type WatchStream = BoxStream<health::HealthCheckResponse>;

    async fn watch(&self, _: Request<health::HealthCheckRequest>) -> Reply<Self::WatchStream> {
        Ok(Response::new(Box::pin(futures::stream::once(async {
            Ok(health::HealthCheckResponse {
                status: ServingStatus::Serving as i32,
            })
        }))))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::plugin::value::{from_msgpack, msgpack_is_null};

    fn value(msgpack: Vec<u8>, json: &[u8]) -> Option<pb::DynamicValue> {
        Some(pb::DynamicValue {
            msgpack,
            json: json.to_vec(),
        })
    }

    #[test]
    fn a_write_only_value_from_an_old_terraform_is_refused_at_its_attribute() {
        use crate::plugin::schema::{attr, block, schema, string, write_only, Optional};
        let s = schema(block(
            "t",
            vec![
                ("name", attr(string(), Optional, "")),
                ("token_wo", write_only(string(), Optional, "")),
            ],
            vec![],
        ));
        let set =
            crate::plugin::value::to_msgpack(&serde_json::json!({"name": "n", "token_wo": "x"}))
                .unwrap();
        let diags = write_only_needs_newer_terraform(&s, &set);
        assert_eq!(diags.errors.len(), 1);
        assert_eq!(
            diags.errors[0].path.as_ref().unwrap().to_string(),
            "token_wo"
        );
        let unset =
            crate::plugin::value::to_msgpack(&serde_json::json!({"name": "n", "token_wo": null}))
                .unwrap();
        assert!(write_only_needs_newer_terraform(&s, &unset)
            .errors
            .is_empty());
    }

    #[test]
    fn a_value_sent_as_json_is_read_never_taken_for_null() {
        let json = bytes(&value(vec![], br#"{"name":"x"}"#)).into_owned();
        let decoded: serde_json::Value = from_msgpack(&json).unwrap();
        assert_eq!(decoded["name"], "x");
        let broken = bytes(&value(vec![], b"{not json")).into_owned();
        assert!(!msgpack_is_null(&broken));
        assert!(from_msgpack::<serde_json::Value>(&broken).is_err());
        assert!(msgpack_is_null(&bytes(&None)));
        assert!(msgpack_is_null(&bytes(&value(vec![], b""))));
    }

    /// A provider with no types: what a stopped service answers never
    /// reaches a resource.
    struct Bare;

    #[async_trait::async_trait]
    impl DynProvider for Bare {
        fn schema(&self) -> super::super::schema::Schema {
            Default::default()
        }
        fn validate(&self, _: &[u8]) -> Diagnostics {
            Diagnostics::default()
        }
        async fn configure(&self, _: &str, _: &[u8]) -> Diagnostics {
            Diagnostics::default()
        }
    }

    fn service(stop: &Stop) -> ProviderService {
        let registry = Registry {
            provider: Box::new(Bare),
            resources: HashMap::new(),
            data_sources: HashMap::new(),
            functions: HashMap::new(),
        };
        ProviderService::new(Arc::new(registry), stop.clone(), Default::default())
    }

    fn summaries(diags: &[pb::Diagnostic]) -> Vec<&str> {
        diags.iter().map(|d| d.summary.as_str()).collect()
    }

    #[tokio::test]
    async fn after_a_stop_no_operation_starts_and_each_keeps_its_state() {
        use pb::provider_server::Provider as _;
        let stop = Stop::default();
        let service = service(&stop);
        let prior = value(b"\x81\xa2id\xa1x".to_vec(), b"");
        let apply = || pb::apply_resource_change::Request {
            type_name: "lambdawire_thing".into(),
            prior_state: prior.clone(),
            planned_private: b"{\"pending\":[]}".to_vec(),
            ..Default::default()
        };
        let before = service
            .apply_resource_change(Request::new(apply()))
            .await
            .unwrap()
            .into_inner();
        assert_eq!(
            summaries(&before.diagnostics),
            ["lambdawire has no resource type \"lambdawire_thing\""],
            "not stopped: the request goes on to the resource"
        );

        service
            .stop_provider(Request::new(pb::stop_provider::Request {}))
            .await
            .unwrap();
        stop.request_exit("SIGTERM");
        let refused = "lambdawire is stopping (StopProvider): this operation was not started";
        let applied = service
            .apply_resource_change(Request::new(apply()))
            .await
            .unwrap()
            .into_inner();
        assert_eq!(summaries(&applied.diagnostics), [refused]);
        assert_eq!(applied.new_state, prior, "the prior state stands");
        assert_eq!(applied.private, b"{\"pending\":[]}");
        let read = service
            .read_resource(Request::new(pb::read_resource::Request {
                type_name: "lambdawire_thing".into(),
                current_state: prior.clone(),
                private: b"p".to_vec(),
                ..Default::default()
            }))
            .await
            .unwrap()
            .into_inner();
        assert_eq!(summaries(&read.diagnostics), [refused]);
        assert_eq!((read.new_state, read.private), (prior, b"p".to_vec()));
        let import = service
            .import_resource_state(Request::new(pb::import_resource_state::Request {
                type_name: "lambdawire_thing".into(),
                id: "x".into(),
                ..Default::default()
            }))
            .await
            .unwrap()
            .into_inner();
        assert_eq!(summaries(&import.diagnostics), [refused]);
        assert!(import.imported_resources.is_empty());
        let data = service
            .read_data_source(Request::new(pb::read_data_source::Request {
                type_name: "lambdawire_thing".into(),
                ..Default::default()
            }))
            .await
            .unwrap()
            .into_inner();
        assert_eq!(summaries(&data.diagnostics), [refused]);
    }
}
