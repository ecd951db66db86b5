//! The go-plugin handshake and AutoMTLS.
//!
//! Terraform starts the provider with a magic cookie and, for AutoMTLS, its
//! own client certificate in `PLUGIN_CLIENT_CERT`. The provider makes a
//! throw-away self-signed server certificate, listens on a loopback port,
//! and prints one line on stdout:
//! `1|6|tcp|127.0.0.1:PORT|grpc|<server certificate, base64 DER, unpadded>`
//! (core protocol 1, provider protocol 6). Terraform then dials with TLS,
//! trusting exactly that certificate, under the name `localhost`; we accept
//! exactly its certificate in return. gRPC over TLS needs ALPN `h2`.

use std::io;
use std::net::SocketAddr;
use std::pin::Pin;
use std::sync::Arc;
use std::task::{Context, Poll};

use base64::Engine as _;
use rustls::client::danger::HandshakeSignatureValid;
use rustls::crypto::{verify_tls12_signature, verify_tls13_signature, CryptoProvider};
use rustls::pki_types::{CertificateDer, PrivateKeyDer, PrivatePkcs8KeyDer, UnixTime};
use rustls::server::danger::{ClientCertVerified, ClientCertVerifier};
use rustls::{DigitallySignedStruct, DistinguishedName, ServerConfig, SignatureScheme};
use tokio::io::{AsyncRead, AsyncWrite, ReadBuf};
use tokio::net::{TcpListener, TcpStream};
use tokio_rustls::server::TlsStream;
use tokio_rustls::TlsAcceptor;

/// go-plugin's handshake cookie for Terraform providers.
pub const MAGIC_COOKIE_KEY: &str = "TF_PLUGIN_MAGIC_COOKIE";
/// The value Terraform sets `TF_PLUGIN_MAGIC_COOKIE` to, the same for every
/// provider (Terraform's `plugin.Handshake`): not a secret, only a sign that
/// Terraform started the process.
pub const MAGIC_COOKIE_VALUE: &str =
    "d602bf8f470bc67ca7faa0386276bbdd4330efaf76d1a219cb4d6991ca9872b2";
const CLIENT_CERT_ENV: &str = "PLUGIN_CLIENT_CERT";
const CORE_PROTOCOL_VERSION: u32 = 1;
const PROVIDER_PROTOCOL_VERSION: u32 = 6;

/// The listening side of the plugin: a loopback port and, with AutoMTLS,
/// the TLS acceptor.
pub struct Listener {
    /// The loopback port gRPC is served on.
    pub tcp: TcpListener,
    /// `None` when Terraform sent no client certificate (AutoMTLS off): plain TCP.
    pub tls: Option<TlsAcceptor>,
    /// Base64 DER of our certificate, for the handshake line.
    certificate: Option<String>,
}

impl Listener {
    /// Bind to a free loopback port (inside `PLUGIN_MIN_PORT`..`MAX` when
    /// Terraform sets them) and set up TLS when it sent a client certificate.
    pub async fn bind() -> io::Result<Listener> {
        let tcp = bind_loopback().await?;
        let (tls, certificate) = match std::env::var(CLIENT_CERT_ENV) {
            Ok(pem) if !pem.trim().is_empty() => {
                let (acceptor, cert) = auto_mtls(pem.as_bytes())?;
                (Some(acceptor), Some(cert))
            }
            _ => (None, None),
        };
        Ok(Listener {
            tcp,
            tls,
            certificate,
        })
    }

    /// The bound loopback address, as the handshake line names it.
    pub fn local_addr(&self) -> io::Result<SocketAddr> {
        self.tcp.local_addr()
    }

    /// The line Terraform reads on stdout.
    pub fn handshake_line(&self) -> io::Result<String> {
        Ok(format!(
            "{CORE_PROTOCOL_VERSION}|{PROVIDER_PROTOCOL_VERSION}|tcp|{}|grpc|{}",
            self.local_addr()?,
            self.certificate.as_deref().unwrap_or("")
        ))
    }
}

async fn bind_loopback() -> io::Result<TcpListener> {
    let port = |name| std::env::var(name).ok().and_then(|v| v.parse::<u16>().ok());
    match (port("PLUGIN_MIN_PORT"), port("PLUGIN_MAX_PORT")) {
        (Some(min), Some(max)) if min <= max && min > 0 => {
            for p in min..=max {
                if let Ok(listener) = TcpListener::bind(("127.0.0.1", p)).await {
                    return Ok(listener);
                }
            }
            Err(io::Error::new(
                io::ErrorKind::AddrInUse,
                format!("no free port in PLUGIN_MIN_PORT..PLUGIN_MAX_PORT ({min}..{max})"),
            ))
        }
        _ => TcpListener::bind(("127.0.0.1", 0)).await,
    }
}

fn other(e: impl std::fmt::Display) -> io::Error {
    io::Error::other(e.to_string())
}

/// Our certificate, and a TLS acceptor that requires Terraform's.
pub fn auto_mtls(client_pem: &[u8]) -> io::Result<(TlsAcceptor, String)> {
    let client = rustls_pemfile::certs(&mut &client_pem[..])
        .next()
        .ok_or_else(|| other(format!("{CLIENT_CERT_ENV} holds no PEM certificate")))??;
    let (cert, key) = server_certificate()?;
    let encoded = base64::engine::general_purpose::STANDARD_NO_PAD.encode(cert.as_ref());
    // aws-lc-rs, not ring: go-plugin's client certificate is ECDSA P-521,
    // which ring cannot verify, and Go then sends no certificate at all.
    let provider = Arc::new(rustls::crypto::aws_lc_rs::default_provider());
    let verifier = Arc::new(ExactClientCert {
        expected: client.into_owned(),
        provider: provider.clone(),
    });
    let mut config = ServerConfig::builder_with_provider(provider)
        .with_safe_default_protocol_versions()
        .map_err(other)?
        .with_client_cert_verifier(verifier)
        .with_single_cert(vec![cert], key)
        .map_err(other)?;
    // grpc-go refuses a TLS connection that did not negotiate HTTP/2.
    config.alpn_protocols = vec![b"h2".to_vec()];
    Ok((TlsAcceptor::from(Arc::new(config)), encoded))
}

/// A self-signed certificate for `localhost`, valid as its own CA (the
/// client trusts it directly), for server and client authentication.
fn server_certificate() -> io::Result<(CertificateDer<'static>, PrivateKeyDer<'static>)> {
    use rcgen::{
        BasicConstraints, CertificateParams, DnType, ExtendedKeyUsagePurpose, IsCa, KeyPair,
        KeyUsagePurpose,
    };
    let key = KeyPair::generate().map_err(other)?;
    let mut params = CertificateParams::new(vec!["localhost".to_string()]).map_err(other)?;
    params
        .distinguished_name
        .push(DnType::CommonName, "localhost");
    params
        .distinguished_name
        .push(DnType::OrganizationName, "lambdawire");
    params.is_ca = IsCa::Ca(BasicConstraints::Unconstrained);
    params.key_usages = vec![
        KeyUsagePurpose::DigitalSignature,
        KeyUsagePurpose::KeyEncipherment,
        KeyUsagePurpose::KeyCertSign,
    ];
    params.extended_key_usages = vec![
        ExtendedKeyUsagePurpose::ServerAuth,
        ExtendedKeyUsagePurpose::ClientAuth,
    ];
    let cert = params.self_signed(&key).map_err(other)?;
    let key = PrivateKeyDer::Pkcs8(PrivatePkcs8KeyDer::from(key.serialize_der()));
    Ok((cert.der().clone(), key))
}

/// Accepts one client certificate, byte for byte: the one Terraform made
/// for this process. A chain check would add nothing (it is self-signed and
/// a CA), and webpki refuses a CA certificate as an end entity anyway.
#[derive(Debug)]
struct ExactClientCert {
    expected: CertificateDer<'static>,
    provider: Arc<CryptoProvider>,
}

impl ClientCertVerifier for ExactClientCert {
    fn root_hint_subjects(&self) -> &[DistinguishedName] {
        &[]
    }

    fn verify_client_cert(
        &self,
        end_entity: &CertificateDer<'_>,
        _intermediates: &[CertificateDer<'_>],
        _now: UnixTime,
    ) -> Result<ClientCertVerified, rustls::Error> {
        if end_entity.as_ref() == self.expected.as_ref() {
            Ok(ClientCertVerified::assertion())
        } else {
            Err(rustls::Error::InvalidCertificate(
                rustls::CertificateError::ApplicationVerificationFailure,
            ))
        }
    }

    fn verify_tls12_signature(
        &self,
        message: &[u8],
        cert: &CertificateDer<'_>,
        dss: &DigitallySignedStruct,
    ) -> Result<HandshakeSignatureValid, rustls::Error> {
        verify_tls12_signature(
            message,
            cert,
            dss,
            &self.provider.signature_verification_algorithms,
        )
    }

    fn verify_tls13_signature(
        &self,
        message: &[u8],
        cert: &CertificateDer<'_>,
        dss: &DigitallySignedStruct,
    ) -> Result<HandshakeSignatureValid, rustls::Error> {
        verify_tls13_signature(
            message,
            cert,
            dss,
            &self.provider.signature_verification_algorithms,
        )
    }

    fn supported_verify_schemes(&self) -> Vec<SignatureScheme> {
        self.provider
            .signature_verification_algorithms
            .supported_schemes()
    }
}

/// One accepted connection, plain or TLS, as tonic serves it.
pub enum Connection {
    /// AutoMTLS off: plain TCP on loopback.
    Plain(TcpStream),
    /// AutoMTLS on: TLS that accepts only Terraform's certificate (boxed, being large).
    Tls(Box<TlsStream<TcpStream>>),
}

impl tonic::transport::server::Connected for Connection {
    type ConnectInfo = ();
    fn connect_info(&self) -> Self::ConnectInfo {}
}

impl AsyncRead for Connection {
    fn poll_read(
        self: Pin<&mut Self>,
        cx: &mut Context<'_>,
        buf: &mut ReadBuf<'_>,
    ) -> Poll<io::Result<()>> {
        match self.get_mut() {
            Connection::Plain(s) => Pin::new(s).poll_read(cx, buf),
            Connection::Tls(s) => Pin::new(s.as_mut()).poll_read(cx, buf),
        }
    }
}

impl AsyncWrite for Connection {
    fn poll_write(
        self: Pin<&mut Self>,
        cx: &mut Context<'_>,
        buf: &[u8],
    ) -> Poll<io::Result<usize>> {
        match self.get_mut() {
            Connection::Plain(s) => Pin::new(s).poll_write(cx, buf),
            Connection::Tls(s) => Pin::new(s.as_mut()).poll_write(cx, buf),
        }
    }

    fn poll_flush(self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<io::Result<()>> {
        match self.get_mut() {
            Connection::Plain(s) => Pin::new(s).poll_flush(cx),
            Connection::Tls(s) => Pin::new(s.as_mut()).poll_flush(cx),
        }
    }

    fn poll_shutdown(self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<io::Result<()>> {
        match self.get_mut() {
            Connection::Plain(s) => Pin::new(s).poll_shutdown(cx),
            Connection::Tls(s) => Pin::new(s.as_mut()).poll_shutdown(cx),
        }
    }
}

/// Accept connections until the process ends, doing each TLS handshake in
/// its own task so that one slow or hostile client cannot block the others.
pub fn incoming(listener: Listener) -> impl futures::Stream<Item = io::Result<Connection>> {
    let (tx, rx) = tokio::sync::mpsc::channel::<io::Result<Connection>>(16);
    tokio::spawn(async move {
        loop {
            let (stream, _) = match listener.tcp.accept().await {
                Ok(accepted) => accepted,
                Err(e) => {
                    // Out of file descriptors, say: back off instead of
                    // spinning on an error that repeats at once.
                    tracing::warn!(error = %e, "accepting a connection failed");
                    tokio::time::sleep(std::time::Duration::from_millis(100)).await;
                    continue;
                }
            };
            let _ = stream.set_nodelay(true);
            let tx = tx.clone();
            match &listener.tls {
                None => {
                    if tx.send(Ok(Connection::Plain(stream))).await.is_err() {
                        return;
                    }
                }
                Some(acceptor) => {
                    let acceptor = acceptor.clone();
                    tokio::spawn(async move {
                        // A client that never finishes its handshake must not
                        // hold a task and a socket for ever.
                        let handshake = tokio::time::timeout(
                            std::time::Duration::from_secs(10),
                            acceptor.accept(stream),
                        );
                        match handshake.await {
                            Ok(Ok(tls)) => {
                                let _ = tx.send(Ok(Connection::Tls(Box::new(tls)))).await;
                            }
                            // A refused certificate is not ours to serve.
                            Ok(Err(e)) => tracing::warn!(error = %e, "TLS handshake refused"),
                            Err(_) => tracing::warn!("TLS handshake timed out"),
                        }
                    });
                }
            }
        }
    });
    futures::stream::unfold(rx, |mut rx| async move { rx.recv().await.map(|c| (c, rx)) })
}
