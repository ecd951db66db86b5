//! The protocol layer over a real connection: the built provider binary is
//! started as Terraform starts it (magic cookie, AutoMTLS client certificate
//! of the kind go-plugin makes: self-signed ECDSA P-521), its handshake line
//! is read, and a tonic client speaks tfplugin6 to it over mutual TLS.
//! These tests need no AWS: they stop before ConfigureProvider.

use std::io::{BufRead, BufReader};
use std::process::{Child, Command, Stdio};
use std::sync::Arc;
use std::time::{Duration, Instant};

use base64::Engine as _;
use hyper_util::rt::TokioIo;
use lambdawire::plugin::handshake::{MAGIC_COOKIE_KEY, MAGIC_COOKIE_VALUE};
use lambdawire::plugin::proto::plugin::grpc_controller_client::GrpcControllerClient;
use lambdawire::plugin::proto::tfplugin6 as pb;
use pb::provider_client::ProviderClient;
use rustls::client::danger::{HandshakeSignatureValid, ServerCertVerified, ServerCertVerifier};
use rustls::pki_types::{CertificateDer, PrivateKeyDer, PrivatePkcs8KeyDer, ServerName, UnixTime};
use rustls::{DigitallySignedStruct, SignatureScheme};
use tonic::transport::{Channel, Endpoint};

/// A client certificate like go-plugin's: self-signed P-521 for localhost.
fn client_identity() -> (String, CertificateDer<'static>, PrivateKeyDer<'static>) {
    let key = rcgen::KeyPair::generate_for(&rcgen::PKCS_ECDSA_P521_SHA512).unwrap();
    let mut params = rcgen::CertificateParams::new(vec!["localhost".into()]).unwrap();
    params.is_ca = rcgen::IsCa::Ca(rcgen::BasicConstraints::Unconstrained);
    let cert = params.self_signed(&key).unwrap();
    let der = PrivateKeyDer::Pkcs8(PrivatePkcs8KeyDer::from(key.serialize_der()));
    (cert.pem(), cert.der().clone(), der)
}

struct Plugin {
    child: Child,
    address: String,
    server_cert: Vec<u8>,
}

impl Drop for Plugin {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

fn start(client_pem: &str) -> Plugin {
    let mut child = Command::new(env!("CARGO_BIN_EXE_terraform-provider-lambdawire"))
        .env(MAGIC_COOKIE_KEY, MAGIC_COOKIE_VALUE)
        .env("PLUGIN_CLIENT_CERT", client_pem)
        .env("PLUGIN_PROTOCOL_VERSIONS", "6")
        .stdin(Stdio::null())
        .stdout(Stdio::piped())
        .stderr(Stdio::null())
        .spawn()
        .expect("start the provider");
    let mut line = String::new();
    BufReader::new(child.stdout.take().unwrap())
        .read_line(&mut line)
        .unwrap();
    let parts: Vec<&str> = line.trim().split('|').collect();
    assert_eq!(parts.len(), 6, "handshake line: {line:?}");
    assert_eq!(&parts[..3], ["1", "6", "tcp"]);
    assert_eq!(parts[4], "grpc");
    assert!(
        parts[3].starts_with("127.0.0.1:"),
        "loopback only: {}",
        parts[3]
    );
    let server_cert = base64::engine::general_purpose::STANDARD_NO_PAD
        .decode(parts[5])
        .expect("certificate is unpadded base64, as go-plugin decodes it");
    Plugin {
        child,
        address: parts[3].to_string(),
        server_cert,
    }
}

/// Trusts exactly the certificate of the handshake line, as go-plugin does.
#[derive(Debug)]
struct Pinned(Vec<u8>);

impl ServerCertVerifier for Pinned {
    fn verify_server_cert(
        &self,
        end_entity: &CertificateDer<'_>,
        _: &[CertificateDer<'_>],
        name: &ServerName<'_>,
        _: &[u8],
        _: UnixTime,
    ) -> Result<ServerCertVerified, rustls::Error> {
        assert_eq!(name.to_str(), "localhost");
        if end_entity.as_ref() == self.0.as_slice() {
            Ok(ServerCertVerified::assertion())
        } else {
            Err(rustls::Error::General(
                "not the handshake certificate".into(),
            ))
        }
    }
    fn verify_tls12_signature(
        &self,
        m: &[u8],
        c: &CertificateDer<'_>,
        d: &DigitallySignedStruct,
    ) -> Result<HandshakeSignatureValid, rustls::Error> {
        let p = rustls::crypto::aws_lc_rs::default_provider();
        rustls::crypto::verify_tls12_signature(m, c, d, &p.signature_verification_algorithms)
    }
    fn verify_tls13_signature(
        &self,
        m: &[u8],
        c: &CertificateDer<'_>,
        d: &DigitallySignedStruct,
    ) -> Result<HandshakeSignatureValid, rustls::Error> {
        let p = rustls::crypto::aws_lc_rs::default_provider();
        rustls::crypto::verify_tls13_signature(m, c, d, &p.signature_verification_algorithms)
    }
    fn supported_verify_schemes(&self) -> Vec<SignatureScheme> {
        rustls::crypto::aws_lc_rs::default_provider()
            .signature_verification_algorithms
            .supported_schemes()
    }
}

async fn connect(
    plugin: &Plugin,
    cert: CertificateDer<'static>,
    key: PrivateKeyDer<'static>,
) -> Result<Channel, tonic::transport::Error> {
    let provider = Arc::new(rustls::crypto::aws_lc_rs::default_provider());
    let mut config = rustls::ClientConfig::builder_with_provider(provider)
        .with_safe_default_protocol_versions()
        .unwrap()
        .dangerous()
        .with_custom_certificate_verifier(Arc::new(Pinned(plugin.server_cert.clone())))
        .with_client_auth_cert(vec![cert], key)
        .unwrap();
    config.alpn_protocols = vec![b"h2".to_vec()];
    let connector = tokio_rustls::TlsConnector::from(Arc::new(config));
    let address = plugin.address.clone();
    Endpoint::from_static("http://localhost")
        .connect_with_connector(tower::service_fn(move |_| {
            let (connector, address) = (connector.clone(), address.clone());
            async move {
                let tcp = tokio::net::TcpStream::connect(address).await?;
                let tls = connector
                    .connect(ServerName::try_from("localhost").unwrap(), tcp)
                    .await?;
                Ok::<_, std::io::Error>(TokioIo::new(tls))
            }
        }))
        .await
}

async fn started() -> (Plugin, ProviderClient<Channel>, Channel) {
    let (pem, cert, key) = client_identity();
    let plugin = start(&pem);
    let channel = connect(&plugin, cert, key).await.expect("mTLS connection");
    (plugin, ProviderClient::new(channel.clone()), channel)
}

fn msgpack(value: &serde_json::Value) -> Option<pb::DynamicValue> {
    Some(pb::DynamicValue {
        msgpack: rmp_serde::to_vec_named(value).unwrap(),
        json: vec![],
    })
}

fn attribute_paths(diags: &[pb::Diagnostic]) -> Vec<String> {
    use pb::attribute_path::step::Selector;
    diags
        .iter()
        .filter_map(|d| d.attribute.as_ref())
        .map(|p| {
            p.steps
                .iter()
                .map(|s| match &s.selector {
                    Some(Selector::AttributeName(n)) => n.clone(),
                    Some(Selector::ElementKeyInt(i)) => format!("[{i}]"),
                    Some(Selector::ElementKeyString(k)) => format!("[{k:?}]"),
                    None => "?".into(),
                })
                .collect::<Vec<_>>()
                .join(".")
        })
        .collect()
}

#[tokio::test]
async fn schema_over_mutual_tls_lists_every_type_and_the_capabilities() {
    let (_plugin, mut client, _) = started().await;
    let schema = client
        .get_provider_schema(pb::get_provider_schema::Request {})
        .await
        .unwrap()
        .into_inner();
    let mut resources: Vec<&str> = schema.resource_schemas.keys().map(String::as_str).collect();
    resources.sort();
    assert!(
        resources.contains(&"lambdawire_scheduled_lambda_invoker"),
        "{resources:?}"
    );
    assert!(
        resources.contains(&"lambdawire_lambda_invoke_permission"),
        "{resources:?}"
    );
    assert!(schema
        .data_source_schemas
        .contains_key("lambdawire_lambda_function_policy"));
    assert!(schema.functions.contains_key("at"));
    let caps = schema.server_capabilities.unwrap();
    assert!(caps.plan_destroy && caps.move_resource_state);
    let invoker = &schema.resource_schemas["lambdawire_scheduled_lambda_invoker"];
    let block = invoker.block.as_ref().unwrap();
    let name = block.attributes.iter().find(|a| a.name == "name").unwrap();
    assert!(name.optional && name.computed && !name.required);
    assert_eq!(name.r#type, b"\"string\"");
    let role = block
        .block_types
        .iter()
        .find(|b| b.type_name == "role")
        .unwrap();
    assert_eq!(role.max_items, 1);
}

#[tokio::test]
async fn a_certificate_other_than_the_one_terraform_passed_is_refused() {
    let (pem, _, _) = client_identity();
    let plugin = start(&pem);
    let (_, stranger, stranger_key) = client_identity();
    let refused = match connect(&plugin, stranger, stranger_key).await {
        Err(_) => true,
        Ok(channel) => ProviderClient::new(channel)
            .get_provider_schema(pb::get_provider_schema::Request {})
            .await
            .is_err(),
    };
    assert!(refused, "a stranger's certificate must not get an answer");
}

#[tokio::test]
async fn validation_errors_carry_attribute_paths_and_bad_values_never_crash() {
    let (mut plugin, mut client, _) = started().await;
    let config = serde_json::json!({
        "name": "has spaces", "function_arn": "not-an-arn", "schedule_expression": "rate(0 minutes)",
    });
    let answer = client
        .validate_resource_config(pb::validate_resource_config::Request {
            type_name: "lambdawire_scheduled_lambda_invoker".into(),
            config: msgpack(&config),
            client_capabilities: None,
        })
        .await
        .unwrap()
        .into_inner();
    let paths = attribute_paths(&answer.diagnostics);
    for expected in ["name", "function_arn", "schedule_expression"] {
        assert!(
            paths.iter().any(|p| p == expected),
            "{expected} in {paths:?}"
        );
    }
    // Not MessagePack at all, an unknown type, a wrong value type: each a
    // diagnostic, and the server still answers afterwards.
    for (type_name, bytes) in [
        (
            "lambdawire_scheduled_lambda_invoker",
            vec![0xc1, 0xff, 0x00],
        ),
        (
            "lambdawire_nope",
            rmp_serde::to_vec_named(&serde_json::json!({})).unwrap(),
        ),
        (
            "lambdawire_lambda_invoke_permission",
            rmp_serde::to_vec_named(&serde_json::json!({"function_name": 42})).unwrap(),
        ),
    ] {
        let value = Some(pb::DynamicValue {
            msgpack: bytes,
            json: vec![],
        });
        let answer = client
            .plan_resource_change(pb::plan_resource_change::Request {
                type_name: type_name.into(),
                prior_state: None,
                proposed_new_state: value.clone(),
                config: value,
                ..Default::default()
            })
            .await
            .expect("an answer, not a dropped connection")
            .into_inner();
        assert!(
            answer
                .diagnostics
                .iter()
                .any(|d| d.severity == pb::diagnostic::Severity::Error as i32),
            "{type_name}: {answer:?}"
        );
    }
    assert!(plugin.child.try_wait().unwrap().is_none(), "still running");
}

#[tokio::test]
async fn functions_answer_and_name_the_argument_at_fault() {
    let (_plugin, mut client, _) = started().await;
    let call = |zone: &str| pb::call_function::Request {
        name: "at".into(),
        arguments: vec![
            msgpack(&serde_json::json!("2030-01-01T09:00:00Z")).unwrap(),
            msgpack(&serde_json::json!(zone)).unwrap(),
        ],
    };
    let ok = client
        .call_function(call("Europe/Paris"))
        .await
        .unwrap()
        .into_inner();
    assert!(ok.error.is_none(), "{ok:?}");
    let result: String = rmp_serde::from_slice(&ok.result.unwrap().msgpack).unwrap();
    assert_eq!(result, "at(2030-01-01T10:00:00)");
    let bad = client
        .call_function(call("Mars/Olympus"))
        .await
        .unwrap()
        .into_inner();
    assert_eq!(bad.error.unwrap().function_argument, Some(1));
}

/// A create of nothing in particular: refused after a stop before the
/// provider looks at it, so no configuration (and no AWS) is needed.
fn create_request() -> pb::apply_resource_change::Request {
    pb::apply_resource_change::Request {
        type_name: "lambdawire_scheduled_lambda_invoker".into(),
        prior_state: msgpack(&serde_json::Value::Null),
        planned_state: msgpack(&serde_json::json!({"name": "job"})),
        ..Default::default()
    }
}

async fn refused_create(client: &mut ProviderClient<Channel>, why: &str) {
    let answer = client
        .apply_resource_change(create_request())
        .await
        .unwrap()
        .into_inner();
    let summaries: Vec<&str> = answer
        .diagnostics
        .iter()
        .map(|d| d.summary.as_str())
        .collect();
    assert_eq!(
        summaries,
        [format!(
            "lambdawire is stopping ({why}): this operation was not started"
        )]
    );
    assert_eq!(
        answer.new_state,
        msgpack(&serde_json::Value::Null),
        "nothing created, nothing to record"
    );
}

#[cfg(unix)]
#[tokio::test]
async fn stop_provider_and_sigint_never_end_the_server_and_shutdown_does() {
    let (mut plugin, mut client, channel) = started().await;
    client
        .stop_provider(pb::stop_provider::Request {})
        .await
        .unwrap();
    let pid = plugin.child.id().to_string();
    for signal in ["-INT", "-INT"] {
        let status = Command::new("kill").args([signal, &pid]).status().unwrap();
        assert!(status.success());
    }
    tokio::time::sleep(Duration::from_millis(300)).await;
    assert!(
        plugin.child.try_wait().unwrap().is_none(),
        "signals must not end the provider"
    );
    let schema = client
        .get_provider_schema(pb::get_provider_schema::Request {})
        .await;
    assert!(
        schema.is_ok(),
        "still serving after StopProvider and SIGINT"
    );
    refused_create(&mut client, "StopProvider").await;
    // Terraform's goodbye: Shutdown, then the process exits by itself.
    GrpcControllerClient::new(channel)
        .shutdown(lambdawire::plugin::proto::plugin::Empty {})
        .await
        .unwrap();
    let deadline = Instant::now() + Duration::from_secs(3);
    let status = loop {
        if let Some(status) = plugin.child.try_wait().unwrap() {
            break status;
        }
        assert!(
            Instant::now() < deadline,
            "no exit within 3 s of Shutdown (Terraform kills at 2 s)"
        );
        std::thread::sleep(Duration::from_millis(20));
    };
    assert!(status.success(), "{status:?}");
}

/// SIGTERM asks the process to end: it answers (refusing new operations)
/// while Terraform still talks to it, and exits by itself once idle.
#[cfg(unix)]
#[tokio::test]
async fn sigterm_refuses_new_operations_and_ends_the_provider_once_idle() {
    let (mut plugin, mut client, _channel) = started().await;
    let pid = plugin.child.id().to_string();
    let status = Command::new("kill").args(["-TERM", &pid]).status().unwrap();
    assert!(status.success());
    tokio::time::sleep(Duration::from_millis(300)).await;
    assert!(
        plugin.child.try_wait().unwrap().is_none(),
        "SIGTERM does not end the provider at once"
    );
    refused_create(&mut client, "SIGTERM").await;
    let signalled = Instant::now();
    let status = loop {
        if let Some(status) = plugin.child.try_wait().unwrap() {
            break status;
        }
        assert!(
            signalled.elapsed() < Duration::from_secs(30),
            "still running 30 s after SIGTERM with nothing in flight"
        );
        tokio::time::sleep(Duration::from_millis(50)).await;
    };
    assert!(status.success(), "{status:?}");
}

#[test]
fn run_by_hand_it_explains_itself_instead_of_serving() {
    let out = Command::new(env!("CARGO_BIN_EXE_terraform-provider-lambdawire"))
        .env_remove(MAGIC_COOKIE_KEY)
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(1));
    assert!(out.stdout.is_empty(), "stdout is the handshake's alone");
    assert!(String::from_utf8_lossy(&out.stderr).contains("Terraform provider plugin"));
}
