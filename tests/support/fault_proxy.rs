//! A fault-injecting HTTP proxy for acceptance tests.
//!
//! The provider talks to AWS through the aws-sdk-rust clients; in tests those
//! clients are pointed at this proxy, which forwards to a `moto_server`. Moto
//! never throttles, never drops connections and has no IAM propagation delay,
//! so the provider's retry and wait logic would otherwise go untested. The
//! proxy recognises each call (service from the SigV4 credential scope,
//! operation from the protocol) and, when a [`Rule`] matches, answers with a
//! fault shaped exactly as the real service would send it, so that the SDK's
//! own error parsing and retry classification are what get exercised.
//!
//! Without a matching rule a call is forwarded unchanged: method, path,
//! query, headers (Host included) and body go up, status, headers and body
//! come back. Only hop-by-hop headers are dropped, because they describe the
//! proxy's two connections rather than the call.
//!
//! The proxy injects faults and nothing else: where moto answers otherwise
//! than AWS (policy conditions, duplicate statement ids, ClientToken), the
//! embedded AWS behind it corrects that itself, in moto's own process
//! (scripts/local_aws, EMBEDDED-AWS.md), so a test through the proxy and a
//! user without one see the same AWS.

use std::io;
use std::net::SocketAddr;
use std::pin::Pin;
use std::sync::atomic::{AtomicBool, AtomicU64, Ordering};
use std::sync::{Arc, Mutex, MutexGuard, OnceLock};
use std::task::{Context, Poll};
use std::time::{Duration, Instant};

use bytes::Bytes;
use http_body_util::{BodyExt, Full};
use hyper::body::Incoming;
use hyper::header::{HeaderMap, HeaderName, HeaderValue};
use hyper::http::request::Parts;
use hyper::{Method, Request, Response, StatusCode};
use hyper_util::rt::TokioIo;
use tokio::io::{AsyncRead, AsyncWrite, ReadBuf};
use tokio::net::{TcpListener, TcpStream};
use tokio::task::{JoinHandle, JoinSet};

/// The message EventBridge Scheduler gives while a freshly created role is
/// not yet visible to it. Only its text tells it apart from a genuine
/// validation error, so it has to be exact.
const NOT_PROPAGATED_MESSAGE: &str =
    "The execution role you provide must allow AWS EventBridge Scheduler to assume the role.";

/// Which matching calls a rule fires on.
// `Nth::Nth` repeats the enum name, but the name is part of the agreed API
// that the acceptance tests are written against.
#[allow(clippy::enum_variant_names)]
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Nth {
    /// Every matching call.
    Every,
    /// Only the n-th matching call (1-based).
    Nth(usize),
    /// The first n matching calls.
    FirstN(usize),
}

impl Nth {
    /// `seen` is the 1-based position of the current call among the calls
    /// that matched the rule's filters.
    fn fires(self, seen: usize) -> bool {
        match self {
            Nth::Every => true,
            Nth::Nth(n) => seen == n,
            Nth::FirstN(n) => seen <= n,
        }
    }
}

/// What the proxy does instead of (or around) forwarding a call.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Fault {
    /// The service's own throttling error.
    Throttle,
    /// A bare 5xx with an empty body (an invalid code becomes 500).
    ServerError(u16),
    /// Close the connection without answering.
    ConnectionReset,
    /// Wait, then forward.
    Latency(Duration),
    /// Forward (so the change is applied upstream), then close the
    /// connection instead of answering.
    LoseResponse,
    /// Forward (so the change is applied upstream), then answer 200 with
    /// `{}`: a success that says nothing of what was stored (an AddPermission
    /// answer without its `Statement`, say).
    TerseAnswer,
    /// An arbitrary error in the service's wire shape.
    Error {
        status: u16,
        code: String,
        message: String,
    },
    /// For this long after each successful IAM `CreateRole`, Scheduler
    /// `CreateSchedule`/`UpdateSchedule` fail with the 400
    /// `ValidationException` the real service gives before the role has
    /// propagated. The rule's filters and `Nth` apply to those Scheduler
    /// calls, and only calls inside a window count towards `Nth`.
    IamNotPropagated(Duration),
}

/// One fault-injection rule. `None` filters match anything.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Rule {
    /// Signing name: "iam", "sts", "lambda", "scheduler".
    pub service: Option<String>,
    /// Operation name, e.g. "CreateRole", "CreateSchedule", "AddPermission".
    pub operation: Option<String>,
    pub nth: Nth,
    pub fault: Fault,
}

impl Rule {
    /// A rule that applies `fault` to every call; narrow it with the
    /// builder methods below.
    pub fn new(fault: Fault) -> Rule {
        Rule {
            service: None,
            operation: None,
            nth: Nth::Every,
            fault,
        }
    }

    pub fn for_service(mut self, service: &str) -> Rule {
        self.service = Some(service.to_string());
        self
    }

    pub fn for_operation(mut self, operation: &str) -> Rule {
        self.operation = Some(operation.to_string());
        self
    }

    pub fn when(mut self, nth: Nth) -> Rule {
        self.nth = nth;
        self
    }
}

/// One call the proxy saw.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Call {
    pub service: String,
    pub operation: String,
    /// Whether a rule fired on this call.
    pub injected: bool,
}

/// Random faults, one draw per call: the storms of issue 9.
///
/// Rates are percentages of calls; a call gets at most one fault, so they
/// must add up to 100 or less. A call on which a [`Rule`] fires is the
/// rule's, not the storm's. The draw is a function of the seed, the call's
/// content (method, path, query, body) and how many times that same content
/// was seen before, never of arrival order: a seed gives the same faults to
/// the same calls whatever the interleaving of `-parallelism`, and a resend
/// of a call gets a fresh draw.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Storm {
    pub seed: u64,
    /// The service's own throttling error ([`Fault::Throttle`]).
    pub throttle: u32,
    /// A bare 500, 502, 503 or 504 ([`Fault::ServerError`]).
    pub server_error: u32,
    /// The connection closed before forwarding ([`Fault::ConnectionReset`]).
    pub reset: u32,
    /// Forwarded, then the connection closed ([`Fault::LoseResponse`]).
    pub lose_response: u32,
}

impl Storm {
    /// The rates issue 9 gives: 30% throttling, 10% 5xx, 5% resets and 5%
    /// lost responses.
    pub fn issue_9(seed: u64) -> Storm {
        Storm {
            seed,
            throttle: 30,
            server_error: 10,
            reset: 5,
            lose_response: 5,
        }
    }

    /// The fault for the `occurrence`-th call (0-based) with this content
    /// hash, if any.
    fn draw(&self, content: u64, occurrence: u64) -> Option<Fault> {
        let roll = mix64(mix64(self.seed ^ content) ^ occurrence);
        let percent = u32::try_from(roll % 100).unwrap_or(0);
        let mut bound = self.throttle;
        if percent < bound {
            return Some(Fault::Throttle);
        }
        bound += self.server_error;
        if percent < bound {
            // The upper bits are independent of the percentage.
            let status = [500, 502, 503, 504][usize::try_from(roll >> 62).unwrap_or(0)];
            return Some(Fault::ServerError(status));
        }
        bound += self.reset;
        if percent < bound {
            return Some(Fault::ConnectionReset);
        }
        bound += self.lose_response;
        (percent < bound).then_some(Fault::LoseResponse)
    }
}

/// What a storm did so far: calls seen while it blew, and faults injected
/// by kind.
#[derive(Debug, Default, Clone, Copy, PartialEq, Eq)]
pub struct StormCount {
    pub calls: usize,
    pub throttle: usize,
    pub server_error: usize,
    pub reset: usize,
    pub lose_response: usize,
}

impl StormCount {
    pub fn injected(&self) -> usize {
        self.throttle + self.server_error + self.reset + self.lose_response
    }

    fn record(&mut self, fault: Option<&Fault>) {
        self.calls += 1;
        match fault {
            Some(Fault::Throttle) => self.throttle += 1,
            Some(Fault::ServerError(_)) => self.server_error += 1,
            Some(Fault::ConnectionReset) => self.reset += 1,
            Some(Fault::LoseResponse) => self.lose_response += 1,
            _ => {}
        }
    }
}

impl std::fmt::Display for StormCount {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(
            f,
            "{} faults in {} calls: {} throttled, {} 5xx, {} reset, {} lost responses",
            self.injected(),
            self.calls,
            self.throttle,
            self.server_error,
            self.reset,
            self.lose_response
        )
    }
}

/// One fault a storm injected.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Injected {
    pub service: String,
    pub operation: String,
    pub fault: Fault,
}

struct StormState {
    storm: Storm,
    /// How many calls of each content hash were seen.
    seen: std::collections::HashMap<u64, u64>,
    count: StormCount,
    injected: Vec<Injected>,
}

/// A running proxy. Dropping it stops accepting and aborts open connections.
pub struct FaultProxy {
    addr: SocketAddr,
    shared: Arc<Shared>,
    accept_task: JoinHandle<()>,
}

impl FaultProxy {
    /// Listen on 127.0.0.1:0 and forward every request to `upstream`.
    pub async fn start(upstream: SocketAddr) -> io::Result<FaultProxy> {
        let listener = TcpListener::bind(("127.0.0.1", 0)).await?;
        let addr = listener.local_addr()?;
        let shared = Arc::new(Shared {
            upstream,
            state: Mutex::new(State::default()),
        });
        let accept_task = tokio::spawn(accept_loop(listener, shared.clone()));
        Ok(FaultProxy {
            addr,
            shared,
            accept_task,
        })
    }

    pub fn addr(&self) -> SocketAddr {
        self.addr
    }

    /// Base URL to give the SDK as its endpoint.
    pub fn url(&self) -> String {
        format!("http://{}", self.addr)
    }

    /// Rules are tried in the order added; every rule whose filters match a
    /// call counts it, and the first one that fires decides the fault.
    pub fn add(&self, rule: Rule) {
        self.shared.lock().rules.push(RuleState {
            rule,
            seen: 0,
            window_until: None,
        });
    }

    /// Remove all rules (and so any open IAM-propagation window). The call
    /// log is kept: it records traffic, not configuration.
    pub fn clear(&self) {
        self.shared.lock().rules.clear();
    }

    /// Calls seen so far, in arrival order.
    pub fn calls(&self) -> Vec<Call> {
        self.shared.lock().calls.clone()
    }

    /// How many calls of this operation were seen, faulted or not.
    pub fn count(&self, service: &str, operation: &str) -> usize {
        self.shared
            .lock()
            .calls
            .iter()
            .filter(|c| c.service == service && c.operation == operation)
            .count()
    }

    /// Start a storm (replacing any running one and its counts). Rules keep
    /// precedence over it.
    pub fn storm(&self, storm: Storm) {
        self.shared.lock().storm = Some(StormState {
            storm,
            seen: Default::default(),
            count: StormCount::default(),
            injected: Vec::new(),
        });
    }

    /// Every fault the running storm injected so far, in order.
    pub fn storm_faults(&self) -> Vec<Injected> {
        self.shared
            .lock()
            .storm
            .as_ref()
            .map(|s| s.injected.clone())
            .unwrap_or_default()
    }

    /// End the storm; what it did.
    pub fn calm(&self) -> StormCount {
        self.shared
            .lock()
            .storm
            .take()
            .map(|s| s.count)
            .unwrap_or_default()
    }

    /// What the running storm did so far.
    pub fn storm_count(&self) -> StormCount {
        self.shared
            .lock()
            .storm
            .as_ref()
            .map(|s| s.count)
            .unwrap_or_default()
    }
}

impl Drop for FaultProxy {
    fn drop(&mut self) {
        // The accept task owns the JoinSet of connection tasks, so aborting
        // it tears those down too; nothing outlives the test that made it.
        self.accept_task.abort();
    }
}

struct Shared {
    upstream: SocketAddr,
    state: Mutex<State>,
}

#[derive(Default)]
struct State {
    rules: Vec<RuleState>,
    calls: Vec<Call>,
    /// Set by [`FaultProxy::storm`].
    storm: Option<StormState>,
}

struct RuleState {
    rule: Rule,
    seen: usize,
    /// Only used by `IamNotPropagated`: when the current window closes.
    window_until: Option<Instant>,
}

impl RuleState {
    fn matches(&self, service: &str, operation: &str, now: Instant) -> bool {
        let filters_pass = self.rule.service.as_deref().is_none_or(|s| s == service)
            && self
                .rule
                .operation
                .as_deref()
                .is_none_or(|o| o == operation);
        if !filters_pass {
            return false;
        }
        match self.rule.fault {
            // Outside its window, or for any other call, this rule simply
            // does not apply, so such calls must not use up its Nth count.
            Fault::IamNotPropagated(_) => {
                service == "scheduler"
                    && (operation == "CreateSchedule" || operation == "UpdateSchedule")
                    && self.window_until.is_some_and(|until| now < until)
            }
            _ => true,
        }
    }
}

impl Shared {
    fn lock(&self) -> MutexGuard<'_, State> {
        // A panicking test thread must not make every later call panic too.
        self.state.lock().unwrap_or_else(|e| e.into_inner())
    }

    /// Log the call and pick the fault for it, if any: a rule's, else the
    /// storm's draw for this `content` hash.
    fn decide(&self, service: &str, operation: &str, content: u64) -> Option<Fault> {
        let now = Instant::now();
        let mut state = self.lock();
        let mut chosen = None;
        for rs in state.rules.iter_mut() {
            if !rs.matches(service, operation, now) {
                continue;
            }
            rs.seen += 1;
            if chosen.is_none() && rs.rule.nth.fires(rs.seen) {
                chosen = Some(rs.rule.fault.clone());
            }
        }
        if let Some(storm) = state.storm.as_mut() {
            let seen = storm.seen.entry(content).or_insert(0);
            let drawn = storm.storm.draw(content, *seen);
            *seen += 1;
            if chosen.is_none() {
                chosen = drawn;
                storm.count.record(chosen.as_ref());
                if let Some(fault) = &chosen {
                    storm.injected.push(Injected {
                        service: service.to_string(),
                        operation: operation.to_string(),
                        fault: fault.clone(),
                    });
                }
            } else {
                storm.count.record(None);
            }
        }
        state.calls.push(Call {
            service: service.to_string(),
            operation: operation.to_string(),
            injected: chosen.is_some(),
        });
        chosen
    }

    /// A role now exists upstream: (re)open every propagation window.
    fn role_created(&self) {
        let now = Instant::now();
        for rs in self.lock().rules.iter_mut() {
            if let Fault::IamNotPropagated(window) = rs.rule.fault {
                rs.window_until = Some(now + window);
            }
        }
    }
}

async fn accept_loop(listener: TcpListener, shared: Arc<Shared>) {
    let mut connections = JoinSet::new();
    loop {
        let stream = match listener.accept().await {
            Ok((stream, _)) => stream,
            // Running out of file descriptors under -parallelism=40 is
            // transient; back off briefly rather than killing the proxy.
            Err(_) => {
                tokio::time::sleep(Duration::from_millis(10)).await;
                continue;
            }
        };
        // Reap finished connections so the set does not grow for ever.
        while connections.try_join_next().is_some() {}
        let abort = Arc::new(AtomicBool::new(false));
        let io = TokioIo::new(AbortableStream {
            stream,
            abort: abort.clone(),
        });
        let shared = shared.clone();
        connections.spawn(async move {
            let service =
                hyper::service::service_fn(move |req| handle(shared.clone(), abort.clone(), req));
            // Idle SDK connections must stay usable however long terraform
            // pauses between calls, so no header-read timeout.
            let _ = hyper::server::conn::http1::Builder::new()
                .keep_alive(true)
                .header_read_timeout(None)
                .serve_connection(io, service)
                .await;
        });
    }
}

/// A TCP stream that can be told to close with RST instead of FIN.
///
/// hyper owns the stream while serving, so the only point at which the
/// proxy can still act on the socket is when hyper drops it after the
/// service reports an error; the flag says whether to make that close
/// abortive, which is what a real reset looks like to the client.
struct AbortableStream {
    stream: TcpStream,
    abort: Arc<AtomicBool>,
}

impl Drop for AbortableStream {
    fn drop(&mut self) {
        if self.abort.load(Ordering::SeqCst) {
            // Zero linger never blocks, unlike other linger values.
            let _ = self.stream.set_zero_linger();
        }
    }
}

impl AsyncRead for AbortableStream {
    fn poll_read(
        self: Pin<&mut Self>,
        cx: &mut Context<'_>,
        buf: &mut ReadBuf<'_>,
    ) -> Poll<io::Result<()>> {
        Pin::new(&mut self.get_mut().stream).poll_read(cx, buf)
    }
}

impl AsyncWrite for AbortableStream {
    fn poll_write(
        self: Pin<&mut Self>,
        cx: &mut Context<'_>,
        buf: &[u8],
    ) -> Poll<io::Result<usize>> {
        Pin::new(&mut self.get_mut().stream).poll_write(cx, buf)
    }

    fn poll_write_vectored(
        self: Pin<&mut Self>,
        cx: &mut Context<'_>,
        bufs: &[io::IoSlice<'_>],
    ) -> Poll<io::Result<usize>> {
        Pin::new(&mut self.get_mut().stream).poll_write_vectored(cx, bufs)
    }

    fn is_write_vectored(&self) -> bool {
        self.stream.is_write_vectored()
    }

    fn poll_flush(self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<io::Result<()>> {
        Pin::new(&mut self.get_mut().stream).poll_flush(cx)
    }

    fn poll_shutdown(self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<io::Result<()>> {
        Pin::new(&mut self.get_mut().stream).poll_shutdown(cx)
    }
}

type ProxyResponse = Response<Full<Bytes>>;

/// Returning `Err` makes hyper drop the connection without writing a
/// response, which is how both connection faults are produced.
async fn handle(
    shared: Arc<Shared>,
    abort: Arc<AtomicBool>,
    req: Request<Incoming>,
) -> io::Result<ProxyResponse> {
    let (parts, body) = req.into_parts();
    let body = body
        .collect()
        .await
        .map_err(|e| io::Error::other(format!("reading request body: {e}")))?
        .to_bytes();
    let service = detect_service(&parts.headers, parts.uri.path());
    let operation = detect_operation(&service, &parts, &body);
    let Some(fault) = shared.decide(&service, &operation, content_hash(&parts, &body)) else {
        return Ok(forward(&shared, &service, &operation, &parts, body).await);
    };
    match fault {
        Fault::Throttle => Ok(throttle_response(&service)),
        Fault::ServerError(status) => Ok(bare_response(status)),
        Fault::ConnectionReset => Err(reset(&abort)),
        Fault::Latency(delay) => {
            tokio::time::sleep(delay).await;
            Ok(forward(&shared, &service, &operation, &parts, body).await)
        }
        Fault::LoseResponse => {
            // Wait for moto's answer so the change is certainly applied
            // before the connection is dropped.
            let _ = forward(&shared, &service, &operation, &parts, body).await;
            Err(reset(&abort))
        }
        Fault::TerseAnswer => {
            let _ = forward(&shared, &service, &operation, &parts, body).await;
            Ok(json_ok(Bytes::from_static(b"{}")))
        }
        Fault::Error {
            status,
            code,
            message,
        } => Ok(error_response(&service, status, &code, &message)),
        Fault::IamNotPropagated(_) => Ok(error_response(
            &service,
            400,
            "ValidationException",
            NOT_PROPAGATED_MESSAGE,
        )),
    }
}

fn reset(abort: &AtomicBool) -> io::Error {
    abort.store(true, Ordering::SeqCst);
    io::Error::new(
        io::ErrorKind::ConnectionReset,
        "fault proxy: injected reset",
    )
}

/// Forward the call unchanged and note successful role creations.
async fn forward(
    shared: &Shared,
    service: &str,
    operation: &str,
    parts: &Parts,
    body: Bytes,
) -> ProxyResponse {
    match send_upstream(shared.upstream, parts, body).await {
        Ok(resp) => {
            if service == "iam" && operation == "CreateRole" && resp.status().is_success() {
                shared.role_created();
            }
            resp
        }
        // A 502 is what a real load balancer gives when its backend fails,
        // and the SDK treats it as retryable, so the failure stays visible.
        Err(e) => {
            let mut resp = Response::new(Full::new(Bytes::from(format!(
                "fault proxy: upstream failed: {e}"
            ))));
            *resp.status_mut() = StatusCode::BAD_GATEWAY;
            resp
        }
    }
}

fn json_ok(body: Bytes) -> ProxyResponse {
    let mut resp = with_request_id(200, String::from_utf8_lossy(&body).into_owned());
    resp.headers_mut().insert(
        hyper::header::CONTENT_TYPE,
        HeaderValue::from_static("application/json"),
    );
    resp
}

/// A fresh connection per call costs nothing on loopback and rules out a
/// pooled connection that moto already closed turning into a spurious
/// failure.
async fn send_upstream(
    upstream: SocketAddr,
    parts: &Parts,
    body: Bytes,
) -> Result<ProxyResponse, Box<dyn std::error::Error + Send + Sync>> {
    let stream = TcpStream::connect(upstream).await?;
    let (mut sender, conn) = hyper::client::conn::http1::handshake(TokioIo::new(stream)).await?;
    tokio::spawn(conn);

    let path = parts
        .uri
        .path_and_query()
        .map(|pq| pq.as_str())
        .unwrap_or("/");
    let mut req = Request::new(Full::new(body.clone()));
    *req.method_mut() = parts.method.clone();
    *req.uri_mut() = path.parse()?;
    let mut headers = parts.headers.clone();
    strip_hop_by_hop(&mut headers, body.len());
    // The body is already complete in hand, so there is nothing to wait
    // for a 100 Continue about.
    headers.remove(hyper::header::EXPECT);
    *req.headers_mut() = headers;

    let resp = sender.send_request(req).await?;
    let (mut resp_parts, resp_body) = resp.into_parts();
    let resp_body = resp_body.collect().await?.to_bytes();
    strip_hop_by_hop(&mut resp_parts.headers, resp_body.len());
    // The version belongs to the proxy's own connection with the client;
    // hyper would otherwise copy a 1.0 upstream into the client's reply.
    resp_parts.version = hyper::Version::HTTP_11;
    Ok(Response::from_parts(resp_parts, Full::new(resp_body)))
}

/// Drop headers that belong to one connection rather than to the message;
/// in particular moto's `Connection: close` must not end the SDK's
/// keep-alive connection to the proxy.
fn strip_hop_by_hop(headers: &mut HeaderMap, body_len: usize) {
    let listed: Vec<HeaderName> = headers
        .get_all(hyper::header::CONNECTION)
        .iter()
        .filter_map(|v| v.to_str().ok())
        .flat_map(|v| v.split(','))
        .filter_map(|name| HeaderName::from_bytes(name.trim().as_bytes()).ok())
        .collect();
    for name in listed {
        headers.remove(name);
    }
    let chunked = headers.remove(hyper::header::TRANSFER_ENCODING).is_some();
    for name in [
        "connection",
        "keep-alive",
        "proxy-connection",
        "te",
        "trailer",
        "upgrade",
    ] {
        headers.remove(name);
    }
    // A chunked message was re-buffered whole; give its real length
    // instead, so the next hop does not have to guess.
    if chunked {
        headers.insert(hyper::header::CONTENT_LENGTH, HeaderValue::from(body_len));
    }
}

/// The signing name from `Credential=AKID/date/region/service/aws4_request`
/// in a SigV4 Authorization header. Without one (unsigned or presigned
/// calls) fall back to the URL shapes the REST services use.
fn detect_service(headers: &HeaderMap, path: &str) -> String {
    if let Some(service) = headers
        .get(hyper::header::AUTHORIZATION)
        .and_then(|v| v.to_str().ok())
        .and_then(service_from_authorization)
    {
        return service;
    }
    if path.starts_with("/2015-03-31/") {
        "lambda".to_string()
    } else if path.starts_with("/schedules") || path.starts_with("/schedule-groups") {
        "scheduler".to_string()
    } else {
        "unknown".to_string()
    }
}

fn service_from_authorization(value: &str) -> Option<String> {
    const KEY: &str = "Credential=";
    let start = value.find(KEY)? + KEY.len();
    let rest = &value[start..];
    let end = rest
        .find(|c: char| c == ',' || c.is_whitespace())
        .unwrap_or(rest.len());
    let scope: Vec<&str> = rest[..end].split('/').collect();
    // The access key id cannot contain '/', so the scope is always exactly
    // five parts when well formed.
    match scope.as_slice() {
        [_, _, _, service, "aws4_request"] if !service.is_empty() => {
            Some(service.to_ascii_lowercase())
        }
        _ => None,
    }
}

fn detect_operation(service: &str, parts: &Parts, body: &[u8]) -> String {
    // JSON-protocol services name the operation outright.
    if let Some(target) = parts
        .headers
        .get("x-amz-target")
        .and_then(|v| v.to_str().ok())
    {
        let op = target.rsplit('.').next().unwrap_or(target);
        if !op.is_empty() {
            return op.to_string();
        }
    }
    // Query protocol: the SDK puts Action in the form body, but a GET form
    // of the same call carries it in the query string.
    if let Some(action) = parts.uri.query().and_then(action_param) {
        return action;
    }
    let is_form = parts
        .headers
        .get(hyper::header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .is_some_and(|ct| ct.contains("x-www-form-urlencoded"));
    if is_form || service == "iam" || service == "sts" {
        if let Some(action) = std::str::from_utf8(body).ok().and_then(action_param) {
            return action;
        }
    }
    let segments: Vec<&str> = parts
        .uri
        .path()
        .split('/')
        .filter(|s| !s.is_empty())
        .collect();
    let method = &parts.method;
    let op = match service {
        "lambda" => lambda_operation(method, &segments),
        "scheduler" => scheduler_operation(method, &segments),
        "s3" => s3_operation(method, &segments, parts.uri.query()),
        _ => lambda_operation(method, &segments).or_else(|| scheduler_operation(method, &segments)),
    };
    op.unwrap_or("Unknown").to_string()
}

fn action_param(form: &str) -> Option<String> {
    form.split('&')
        .filter_map(|pair| pair.split_once('='))
        .find(|(key, _)| *key == "Action")
        .map(|(_, value)| value.to_string())
        .filter(|value| !value.is_empty())
}

fn lambda_operation(method: &Method, segments: &[&str]) -> Option<&'static str> {
    if let ["2015-03-31", "event-source-mappings", rest @ ..] = segments {
        return Some(match (method.as_str(), rest) {
            ("GET", []) => "ListEventSourceMappings",
            ("POST", []) => "CreateEventSourceMapping",
            ("GET", [_]) => "GetEventSourceMapping",
            ("PUT", [_]) => "UpdateEventSourceMapping",
            ("DELETE", [_]) => "DeleteEventSourceMapping",
            _ => "Unknown",
        });
    }
    let ["2015-03-31", "functions", rest @ ..] = segments else {
        return None;
    };
    let op = match (method.as_str(), rest) {
        ("GET", []) => "ListFunctions",
        ("POST", []) => "CreateFunction",
        ("GET", [_]) => "GetFunction",
        ("DELETE", [_]) => "DeleteFunction",
        ("GET", [_, "policy"]) => "GetPolicy",
        ("GET", [_, "aliases"]) => "ListAliases",
        ("GET", [_, "versions"]) => "ListVersionsByFunction",
        ("POST", [_, "policy"]) => "AddPermission",
        ("DELETE", [_, "policy", _]) => "RemovePermission",
        ("GET", [_, "configuration"]) => "GetFunctionConfiguration",
        ("PUT", [_, "configuration"]) => "UpdateFunctionConfiguration",
        ("PUT", [_, "code"]) => "UpdateFunctionCode",
        ("POST", [_, "invocations"]) => "Invoke",
        _ => "Unknown",
    };
    Some(op)
}

fn scheduler_operation(method: &Method, segments: &[&str]) -> Option<&'static str> {
    let op = match (method.as_str(), segments) {
        ("GET", ["schedules"]) => "ListSchedules",
        ("POST", ["schedules", _]) => "CreateSchedule",
        ("PUT", ["schedules", _]) => "UpdateSchedule",
        ("GET", ["schedules", _]) => "GetSchedule",
        ("DELETE", ["schedules", _]) => "DeleteSchedule",
        ("GET", ["schedule-groups"]) => "ListScheduleGroups",
        ("POST", ["schedule-groups", _]) => "CreateScheduleGroup",
        ("GET", ["schedule-groups", _]) => "GetScheduleGroup",
        ("DELETE", ["schedule-groups", _]) => "DeleteScheduleGroup",
        (_, ["schedules", ..]) | (_, ["schedule-groups", ..]) => "Unknown",
        _ => return None,
    };
    Some(op)
}

/// S3's REST calls lambdawire makes, on a path-style bucket URL
/// (`/<bucket>?notification`): the operation is in the method and the
/// sub-resource query key.
fn s3_operation(method: &Method, segments: &[&str], query: Option<&str>) -> Option<&'static str> {
    let notification = query.is_some_and(|q| {
        q.split('&')
            .any(|pair| pair.split('=').next() == Some("notification"))
    });
    let op = match (method.as_str(), segments, notification) {
        ("GET", [_], true) => "GetBucketNotificationConfiguration",
        ("PUT", [_], true) => "PutBucketNotificationConfiguration",
        ("HEAD", [_], false) => "HeadBucket",
        _ => "Unknown",
    };
    Some(op)
}

fn throttle_response(service: &str) -> ProxyResponse {
    match service {
        "iam" | "sts" | "sns" => query_error(service, 400, "Throttling", "Rate exceeded"),
        // Lambda's throttle body is unlike its other errors: lower-case
        // "message" plus a Reason, and status 429.
        // S3 slows callers down with 503 SlowDown in its XML shape.
        "s3" => s3_error(503, "SlowDown", "Please reduce your request rate."),
        "lambda" => json_response(
            429,
            "TooManyRequestsException",
            r#"{"Type":"User","message":"Rate exceeded","Reason":"CallerRateLimitExceeded"}"#
                .to_string(),
        ),
        _ => json_response(
            429,
            "ThrottlingException",
            r#"{"Message":"Rate exceeded"}"#.to_string(),
        ),
    }
}

fn error_response(service: &str, status: u16, code: &str, message: &str) -> ProxyResponse {
    match service {
        "iam" | "sts" | "sns" => query_error(service, status, code, message),
        "s3" => s3_error(status, code, message),
        "lambda" => {
            let kind = if status >= 500 { "Service" } else { "User" };
            json_response(
                status,
                code,
                format!(
                    r#"{{"Type":"{kind}","Message":"{}"}}"#,
                    json_escape(message)
                ),
            )
        }
        _ => json_response(
            status,
            code,
            format!(r#"{{"Message":"{}"}}"#, json_escape(message)),
        ),
    }
}

fn status_or_500(status: u16) -> StatusCode {
    StatusCode::from_u16(status).unwrap_or(StatusCode::INTERNAL_SERVER_ERROR)
}

fn with_request_id(status: u16, body: String) -> ProxyResponse {
    let mut resp = Response::new(Full::new(Bytes::from(body)));
    *resp.status_mut() = status_or_500(status);
    if let Ok(id) = HeaderValue::from_str(&request_id()) {
        resp.headers_mut().insert("x-amzn-RequestId", id);
    }
    resp
}

fn bare_response(status: u16) -> ProxyResponse {
    with_request_id(status, String::new())
}

/// AWS query protocol error document, as IAM, STS and SNS send it.
fn query_error(service: &str, status: u16, code: &str, message: &str) -> ProxyResponse {
    let namespace = match service {
        "sts" => "https://sts.amazonaws.com/doc/2011-06-15/",
        "sns" => "http://sns.amazonaws.com/doc/2010-03-31/",
        _ => "https://iam.amazonaws.com/doc/2010-05-08/",
    };
    let kind = if status >= 500 { "Receiver" } else { "Sender" };
    let id = request_id();
    let body = format!(
        "<ErrorResponse xmlns=\"{namespace}\"><Error><Type>{kind}</Type><Code>{}</Code>\
         <Message>{}</Message></Error><RequestId>{id}</RequestId></ErrorResponse>",
        xml_escape(code),
        xml_escape(message),
    );
    let mut resp = Response::new(Full::new(Bytes::from(body)));
    *resp.status_mut() = status_or_500(status);
    let headers = resp.headers_mut();
    headers.insert(
        hyper::header::CONTENT_TYPE,
        HeaderValue::from_static("text/xml"),
    );
    // Same id in header and body, as the real services do.
    if let Ok(id) = HeaderValue::from_str(&id) {
        headers.insert("x-amzn-RequestId", id);
    }
    resp
}

/// S3's REST-XML error document; S3 names the request in `x-amz-request-id`.
fn s3_error(status: u16, code: &str, message: &str) -> ProxyResponse {
    let id = request_id();
    let body = format!(
        "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<Error><Code>{}</Code><Message>{}</Message>\
         <RequestId>{id}</RequestId></Error>",
        xml_escape(code),
        xml_escape(message),
    );
    let mut resp = Response::new(Full::new(Bytes::from(body)));
    *resp.status_mut() = status_or_500(status);
    let headers = resp.headers_mut();
    headers.insert(
        hyper::header::CONTENT_TYPE,
        HeaderValue::from_static("application/xml"),
    );
    if let Ok(id) = HeaderValue::from_str(&id) {
        headers.insert("x-amz-request-id", id);
    }
    resp
}

/// REST-JSON error: the SDK reads the code from `x-amzn-ErrorType`.
fn json_response(status: u16, code: &str, body: String) -> ProxyResponse {
    let mut resp = with_request_id(status, body);
    let headers = resp.headers_mut();
    headers.insert(
        hyper::header::CONTENT_TYPE,
        HeaderValue::from_static("application/json"),
    );
    if let Ok(code) = HeaderValue::from_str(code) {
        headers.insert("x-amzn-ErrorType", code);
    }
    resp
}

fn json_escape(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for c in s.chars() {
        match c {
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            '\n' => out.push_str("\\n"),
            '\r' => out.push_str("\\r"),
            '\t' => out.push_str("\\t"),
            c if (c as u32) < 0x20 => out.push_str(&format!("\\u{:04x}", c as u32)),
            c => out.push(c),
        }
    }
    out
}

fn xml_escape(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for c in s.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&apos;"),
            c => out.push(c),
        }
    }
    out
}

/// A version-4-shaped UUID. Uniqueness within a test run is all that is
/// needed, so a seeded counter pushed through a mixing function will do.
fn request_id() -> String {
    static SEED: OnceLock<u64> = OnceLock::new();
    static COUNTER: AtomicU64 = AtomicU64::new(0);
    let seed = *SEED.get_or_init(|| {
        let nanos = std::time::SystemTime::now()
            .duration_since(std::time::UNIX_EPOCH)
            .map(|d| d.as_nanos() as u64)
            .unwrap_or(0);
        nanos ^ (u64::from(std::process::id()) << 32)
    });
    let n = COUNTER.fetch_add(1, Ordering::Relaxed);
    let hi = mix64(seed ^ n.wrapping_mul(2));
    let lo = mix64(seed ^ n.wrapping_mul(2).wrapping_add(1));
    // Version nibble 4 and RFC 4122 variant bits, so strict parsers accept it.
    let hi = (hi & !0xf000) | 0x4000;
    let lo = (lo & !(0b11 << 62)) | (0b10 << 62);
    format!(
        "{:08x}-{:04x}-{:04x}-{:04x}-{:012x}",
        hi >> 32,
        (hi >> 16) & 0xffff,
        hi & 0xffff,
        lo >> 48,
        lo & 0xffff_ffff_ffff,
    )
}

/// FNV-1a over what identifies a call's content (not its headers, which
/// carry the signing time and the SDK's attempt number).
fn content_hash(parts: &Parts, body: &[u8]) -> u64 {
    let target = parts.uri.path_and_query().map_or("", |pq| pq.as_str());
    [
        parts.method.as_str().as_bytes(),
        b" ",
        target.as_bytes(),
        b"\n",
        body,
    ]
    .into_iter()
    .flatten()
    .fold(0xcbf2_9ce4_8422_2325, |h, b| {
        (h ^ u64::from(*b)).wrapping_mul(0x0100_0000_01b3)
    })
}

/// SplitMix64's finaliser: a bijection, so distinct inputs give distinct ids.
fn mix64(mut x: u64) -> u64 {
    x = x.wrapping_add(0x9e37_79b9_7f4a_7c15);
    x = (x ^ (x >> 30)).wrapping_mul(0xbf58_476d_1ce4_e5b9);
    x = (x ^ (x >> 27)).wrapping_mul(0x94d0_49bb_1331_11eb);
    x ^ (x >> 31)
}

#[cfg(test)]
mod tests {
    use super::*;

    use tokio::io::{AsyncReadExt, AsyncWriteExt};

    type BoxError = Box<dyn std::error::Error + Send + Sync>;

    use crate::support::Moto;

    #[derive(Debug)]
    struct Reply {
        status: StatusCode,
        headers: HeaderMap,
        body: Bytes,
    }

    impl Reply {
        fn text(&self) -> String {
            String::from_utf8_lossy(&self.body).into_owned()
        }

        fn header(&self, name: &str) -> &str {
            self.headers
                .get(name)
                .map(|v| v.to_str().unwrap())
                .unwrap_or_else(|| panic!("no {name} header in {self:?}"))
        }
    }

    /// One request on a fresh connection, so a connection fault injected
    /// into one call cannot leak into the next.
    async fn send(addr: SocketAddr, mut req: Request<Full<Bytes>>) -> Result<Reply, BoxError> {
        let stream = TcpStream::connect(addr).await?;
        let (mut sender, conn) =
            hyper::client::conn::http1::handshake(TokioIo::new(stream)).await?;
        tokio::spawn(conn);
        if !req.headers().contains_key(hyper::header::HOST) {
            let host = HeaderValue::from_str(&addr.to_string())?;
            req.headers_mut().insert(hyper::header::HOST, host);
        }
        let resp = sender.send_request(req).await?;
        let (parts, body) = resp.into_parts();
        let body = body.collect().await?.to_bytes();
        Ok(Reply {
            status: parts.status,
            headers: parts.headers,
            body,
        })
    }

    fn authorization(service: &str) -> String {
        format!(
            "AWS4-HMAC-SHA256 Credential=AKIDEXAMPLE/20260101/us-east-1/{service}/aws4_request, \
             SignedHeaders=host;x-amz-date, Signature=0123456789abcdef"
        )
    }

    /// An IAM/STS call as the SDK sends it: form-encoded POST to `/`.
    fn query(service: &str, params: &str) -> Request<Full<Bytes>> {
        let version = if service == "sts" {
            "2011-06-15"
        } else {
            "2010-05-08"
        };
        Request::post("/")
            .header("authorization", authorization(service))
            .header("x-amz-date", "20260101T000000Z")
            .header(
                "content-type",
                "application/x-www-form-urlencoded; charset=utf-8",
            )
            .body(Full::new(Bytes::from(format!(
                "{params}&Version={version}"
            ))))
            .unwrap()
    }

    fn rest(service: &str, method: &str, path: &str, json: &str) -> Request<Full<Bytes>> {
        Request::builder()
            .method(method)
            .uri(path)
            .header("authorization", authorization(service))
            .header("x-amz-date", "20260101T000000Z")
            .header("content-type", "application/json")
            .body(Full::new(Bytes::from(json.to_string())))
            .unwrap()
    }

    const TRUST: &str = "%7B%22Version%22%3A%222012-10-17%22%2C%22Statement%22%3A%5B%5D%7D";

    fn create_role(name: &str) -> Request<Full<Bytes>> {
        query(
            "iam",
            &format!("Action=CreateRole&RoleName={name}&AssumeRolePolicyDocument={TRUST}"),
        )
    }

    fn get_role(name: &str) -> Request<Full<Bytes>> {
        query("iam", &format!("Action=GetRole&RoleName={name}"))
    }

    fn caller_identity() -> Request<Full<Bytes>> {
        query("sts", "Action=GetCallerIdentity")
    }

    fn list_functions() -> Request<Full<Bytes>> {
        rest("lambda", "GET", "/2015-03-31/functions/", "")
    }

    fn list_schedules() -> Request<Full<Bytes>> {
        rest("scheduler", "GET", "/schedules", "")
    }

    fn schedule(method: &str, name: &str) -> Request<Full<Bytes>> {
        rest(
            "scheduler",
            method,
            &format!("/schedules/{name}"),
            r#"{"ScheduleExpression":"rate(1 minute)","FlexibleTimeWindow":{"Mode":"OFF"},
               "Target":{"Arn":"arn:aws:lambda:us-east-1:123456789012:function:f",
                         "RoleArn":"arn:aws:iam::123456789012:role/r"}}"#,
        )
    }

    /// Moto makes up a request id per response; everything else must match.
    fn mask_request_id(text: &str) -> String {
        match (text.find("<RequestId>"), text.find("</RequestId>")) {
            (Some(start), Some(end)) if start < end => {
                format!("{}<RequestId/>{}", &text[..start], &text[end + 12..])
            }
            _ => text.to_string(),
        }
    }

    /// Headers that legitimately differ between two calls or two hops.
    fn stable_headers(headers: &HeaderMap) -> Vec<(String, String)> {
        let mut out: Vec<(String, String)> = headers
            .iter()
            .filter(|(name, _)| {
                !matches!(name.as_str(), "date" | "x-amzn-requestid" | "connection")
            })
            .map(|(name, value)| {
                (
                    name.as_str().to_string(),
                    value.to_str().unwrap().to_string(),
                )
            })
            .collect();
        out.sort();
        out
    }

    fn assert_same(direct: &Reply, proxied: &Reply) {
        assert_eq!(direct.status, proxied.status);
        assert_eq!(
            mask_request_id(&direct.text()),
            mask_request_id(&proxied.text())
        );
        assert_eq!(
            stable_headers(&direct.headers),
            stable_headers(&proxied.headers)
        );
    }

    fn is_uuid(s: &str) -> bool {
        s.len() == 36
            && s.char_indices().all(|(i, c)| match i {
                8 | 13 | 18 | 23 => c == '-',
                _ => c.is_ascii_hexdigit(),
            })
    }

    fn call(service: &str, operation: &str, injected: bool) -> Call {
        Call {
            service: service.to_string(),
            operation: operation.to_string(),
            injected,
        }
    }

    #[tokio::test]
    async fn passthrough_is_transparent() {
        let moto = Moto::start();
        let proxy = FaultProxy::start(moto.addr).await.unwrap();
        assert_eq!(proxy.url(), format!("http://{}", proxy.addr()));

        let created = send(proxy.addr(), create_role("pass")).await.unwrap();
        assert_eq!(created.status, StatusCode::OK, "{}", created.text());
        assert!(created.text().contains("<RoleName>pass</RoleName>"));

        let direct = send(moto.addr, get_role("pass")).await.unwrap();
        let proxied = send(proxy.addr(), get_role("pass")).await.unwrap();
        assert_eq!(proxied.status, StatusCode::OK);
        assert_same(&direct, &proxied);

        // moto's own errors pass through untouched as well.
        let direct = send(moto.addr, get_role("absent")).await.unwrap();
        let proxied = send(proxy.addr(), get_role("absent")).await.unwrap();
        assert_eq!(proxied.status, StatusCode::NOT_FOUND);
        assert_same(&direct, &proxied);

        for make in [list_functions, list_schedules, caller_identity] {
            let direct = send(moto.addr, make()).await.unwrap();
            let proxied = send(proxy.addr(), make()).await.unwrap();
            assert_eq!(proxied.status, StatusCode::OK);
            assert_same(&direct, &proxied);
        }

        assert_eq!(
            proxy.calls(),
            vec![
                call("iam", "CreateRole", false),
                call("iam", "GetRole", false),
                call("iam", "GetRole", false),
                call("lambda", "ListFunctions", false),
                call("scheduler", "ListSchedules", false),
                call("sts", "GetCallerIdentity", false),
            ]
        );
        assert_eq!(proxy.count("iam", "GetRole"), 2);
        assert_eq!(proxy.count("iam", "DeleteRole"), 0);
    }

    #[tokio::test]
    async fn keep_alive_connection_serves_many_calls() {
        let moto = Moto::start();
        let proxy = FaultProxy::start(moto.addr).await.unwrap();
        let stream = TcpStream::connect(proxy.addr()).await.unwrap();
        let (mut sender, conn) = hyper::client::conn::http1::handshake(TokioIo::new(stream))
            .await
            .unwrap();
        tokio::spawn(conn);
        for _ in 0..3 {
            sender.ready().await.unwrap();
            let mut req = caller_identity();
            req.headers_mut().insert(
                "host",
                HeaderValue::from_str(&proxy.addr().to_string()).unwrap(),
            );
            let resp = sender.send_request(req).await.unwrap();
            assert_eq!(resp.status(), StatusCode::OK);
            // moto closes every connection; that must stay on moto's side.
            assert!(resp.headers().get("connection").is_none());
            resp.into_body().collect().await.unwrap();
        }
        assert_eq!(proxy.count("sts", "GetCallerIdentity"), 3);
    }

    #[tokio::test]
    async fn throttle_iam_and_sts_in_query_shape_on_nth_call() {
        let moto = Moto::start();
        let proxy = FaultProxy::start(moto.addr).await.unwrap();
        proxy.add(
            Rule::new(Fault::Throttle)
                .for_service("iam")
                .for_operation("CreateRole")
                .when(Nth::Nth(2)),
        );
        proxy.add(Rule::new(Fault::Throttle).for_service("sts"));

        assert_eq!(
            send(proxy.addr(), create_role("a")).await.unwrap().status,
            StatusCode::OK
        );
        let throttled = send(proxy.addr(), create_role("b")).await.unwrap();
        assert_eq!(
            send(proxy.addr(), create_role("c")).await.unwrap().status,
            StatusCode::OK
        );
        // Other IAM operations do not match the rule.
        assert_eq!(
            send(proxy.addr(), get_role("a")).await.unwrap().status,
            StatusCode::OK
        );

        assert_eq!(throttled.status, StatusCode::BAD_REQUEST);
        assert_eq!(throttled.header("content-type"), "text/xml");
        let id = throttled.header("x-amzn-requestid").to_string();
        assert!(is_uuid(&id), "{id}");
        assert_eq!(
            throttled.text(),
            format!(
                "<ErrorResponse xmlns=\"https://iam.amazonaws.com/doc/2010-05-08/\"><Error>\
                 <Type>Sender</Type><Code>Throttling</Code><Message>Rate exceeded</Message>\
                 </Error><RequestId>{id}</RequestId></ErrorResponse>"
            )
        );
        // The throttled call never reached moto.
        assert_eq!(
            send(moto.addr, get_role("b")).await.unwrap().status,
            StatusCode::NOT_FOUND
        );

        let sts = send(proxy.addr(), caller_identity()).await.unwrap();
        assert_eq!(sts.status, StatusCode::BAD_REQUEST);
        assert!(sts.text().starts_with(
            "<ErrorResponse xmlns=\"https://sts.amazonaws.com/doc/2011-06-15/\"><Error>\
             <Type>Sender</Type><Code>Throttling</Code>"
        ));
        assert_ne!(
            sts.header("x-amzn-requestid"),
            id,
            "ids are fresh per error"
        );

        assert_eq!(
            proxy.calls(),
            vec![
                call("iam", "CreateRole", false),
                call("iam", "CreateRole", true),
                call("iam", "CreateRole", false),
                call("iam", "GetRole", false),
                call("sts", "GetCallerIdentity", true),
            ]
        );
    }

    #[tokio::test]
    async fn throttle_lambda_first_n_calls_only() {
        let moto = Moto::start();
        let proxy = FaultProxy::start(moto.addr).await.unwrap();
        proxy.add(
            Rule::new(Fault::Throttle)
                .for_service("lambda")
                .when(Nth::FirstN(2)),
        );

        for _ in 0..2 {
            let reply = send(proxy.addr(), list_functions()).await.unwrap();
            assert_eq!(reply.status, StatusCode::TOO_MANY_REQUESTS);
            assert_eq!(reply.header("x-amzn-errortype"), "TooManyRequestsException");
            assert_eq!(reply.header("content-type"), "application/json");
            assert!(is_uuid(reply.header("x-amzn-requestid")));
            assert_eq!(
                reply.text(),
                r#"{"Type":"User","message":"Rate exceeded","Reason":"CallerRateLimitExceeded"}"#
            );
        }
        // Other services are not covered by a lambda rule.
        assert_eq!(
            send(proxy.addr(), list_schedules()).await.unwrap().status,
            StatusCode::OK
        );
        let direct = send(moto.addr, list_functions()).await.unwrap();
        let third = send(proxy.addr(), list_functions()).await.unwrap();
        assert_same(&direct, &third);

        let injected: Vec<bool> = proxy.calls().iter().map(|c| c.injected).collect();
        assert_eq!(injected, [true, true, false, false]);
        assert_eq!(proxy.count("lambda", "ListFunctions"), 3);
    }

    #[tokio::test]
    async fn throttle_scheduler_and_clear() {
        let moto = Moto::start();
        let proxy = FaultProxy::start(moto.addr).await.unwrap();
        proxy.add(
            Rule::new(Fault::Throttle)
                .for_service("scheduler")
                .for_operation("CreateSchedule"),
        );

        let reply = send(proxy.addr(), schedule("POST", "s1")).await.unwrap();
        assert_eq!(reply.status, StatusCode::TOO_MANY_REQUESTS);
        assert_eq!(reply.header("x-amzn-errortype"), "ThrottlingException");
        assert_eq!(reply.header("content-type"), "application/json");
        assert!(is_uuid(reply.header("x-amzn-requestid")));
        assert_eq!(reply.text(), r#"{"Message":"Rate exceeded"}"#);
        // Not forwarded, and other operations are untouched.
        let get = send(proxy.addr(), schedule("GET", "s1")).await.unwrap();
        assert_eq!(get.status, StatusCode::NOT_FOUND);

        proxy.clear();
        let created = send(proxy.addr(), schedule("POST", "s1")).await.unwrap();
        assert_eq!(created.status, StatusCode::OK, "{}", created.text());
        assert!(created.text().contains("schedule/default/s1"));
        assert_eq!(
            proxy.calls(),
            vec![
                call("scheduler", "CreateSchedule", true),
                call("scheduler", "GetSchedule", false),
                call("scheduler", "CreateSchedule", false),
            ]
        );
    }

    #[tokio::test]
    async fn server_errors_and_custom_errors_in_each_shape() {
        let moto = Moto::start();
        let proxy = FaultProxy::start(moto.addr).await.unwrap();
        proxy.add(
            Rule::new(Fault::ServerError(503))
                .for_service("iam")
                .for_operation("GetRole")
                .when(Nth::Nth(1)),
        );
        proxy.add(
            Rule::new(Fault::Error {
                status: 409,
                code: "EntityAlreadyExists".to_string(),
                message: "Role <x> & \"y\" exists".to_string(),
            })
            .for_operation("CreateRole"),
        );
        proxy.add(
            Rule::new(Fault::Error {
                status: 409,
                code: "ResourceConflictException".to_string(),
                message: "The statement id (\"s\") provided already exists.".to_string(),
            })
            .for_service("lambda")
            .for_operation("AddPermission"),
        );
        proxy.add(
            Rule::new(Fault::Error {
                status: 500,
                code: "ServiceException".to_string(),
                message: "boom".to_string(),
            })
            .for_service("lambda")
            .for_operation("GetPolicy"),
        );
        proxy.add(
            Rule::new(Fault::Error {
                status: 404,
                code: "ResourceNotFoundException".to_string(),
                message: "Schedule s does not exist.".to_string(),
            })
            .for_operation("DeleteSchedule"),
        );

        let reply = send(proxy.addr(), get_role("x")).await.unwrap();
        assert_eq!(reply.status, StatusCode::SERVICE_UNAVAILABLE);
        assert!(reply.body.is_empty());
        assert!(is_uuid(reply.header("x-amzn-requestid")));
        // Nth(1): the retry reaches moto.
        let reply = send(proxy.addr(), get_role("x")).await.unwrap();
        assert_eq!(reply.status, StatusCode::NOT_FOUND);

        let reply = send(proxy.addr(), create_role("x")).await.unwrap();
        assert_eq!(reply.status, StatusCode::CONFLICT);
        assert_eq!(reply.header("content-type"), "text/xml");
        let id = reply.header("x-amzn-requestid");
        assert_eq!(
            reply.text(),
            format!(
                "<ErrorResponse xmlns=\"https://iam.amazonaws.com/doc/2010-05-08/\"><Error>\
                 <Type>Sender</Type><Code>EntityAlreadyExists</Code>\
                 <Message>Role &lt;x&gt; &amp; &quot;y&quot; exists</Message></Error>\
                 <RequestId>{id}</RequestId></ErrorResponse>"
            )
        );

        let add = rest(
            "lambda",
            "POST",
            "/2015-03-31/functions/f/policy",
            r#"{"StatementId":"s","Action":"lambda:InvokeFunction","Principal":"scheduler.amazonaws.com"}"#,
        );
        let reply = send(proxy.addr(), add).await.unwrap();
        assert_eq!(reply.status, StatusCode::CONFLICT);
        assert_eq!(
            reply.header("x-amzn-errortype"),
            "ResourceConflictException"
        );
        assert_eq!(
            reply.text(),
            r#"{"Type":"User","Message":"The statement id (\"s\") provided already exists."}"#
        );

        let policy = rest("lambda", "GET", "/2015-03-31/functions/f/policy", "");
        let reply = send(proxy.addr(), policy).await.unwrap();
        assert_eq!(reply.status, StatusCode::INTERNAL_SERVER_ERROR);
        assert_eq!(reply.text(), r#"{"Type":"Service","Message":"boom"}"#);

        let reply = send(proxy.addr(), schedule("DELETE", "s")).await.unwrap();
        assert_eq!(reply.status, StatusCode::NOT_FOUND);
        assert_eq!(
            reply.header("x-amzn-errortype"),
            "ResourceNotFoundException"
        );
        assert_eq!(reply.text(), r#"{"Message":"Schedule s does not exist."}"#);

        assert_eq!(
            proxy.calls(),
            vec![
                call("iam", "GetRole", true),
                call("iam", "GetRole", false),
                call("iam", "CreateRole", true),
                call("lambda", "AddPermission", true),
                call("lambda", "GetPolicy", true),
                call("scheduler", "DeleteSchedule", true),
            ]
        );
    }

    #[tokio::test]
    async fn connection_reset_closes_without_answering() {
        let moto = Moto::start();
        let proxy = FaultProxy::start(moto.addr).await.unwrap();
        proxy.add(
            Rule::new(Fault::ConnectionReset)
                .for_service("sts")
                .when(Nth::FirstN(2)),
        );

        // On the wire: not a single byte of response comes back.
        let body = "Action=GetCallerIdentity&Version=2011-06-15";
        let raw = format!(
            "POST / HTTP/1.1\r\nhost: {}\r\nauthorization: {}\r\n\
             content-type: application/x-www-form-urlencoded\r\ncontent-length: {}\r\n\r\n{body}",
            proxy.addr(),
            authorization("sts"),
            body.len()
        );
        let mut stream = TcpStream::connect(proxy.addr()).await.unwrap();
        stream.write_all(raw.as_bytes()).await.unwrap();
        let mut received = Vec::new();
        let read = tokio::time::timeout(Duration::from_secs(5), stream.read_to_end(&mut received))
            .await
            .expect("the proxy must close the connection");
        // Zero linger turns the close into a real RST, as a dropped
        // connection in the field would look.
        let err = read.expect_err("no response, not even an orderly close");
        assert_eq!(err.kind(), io::ErrorKind::ConnectionReset);
        assert!(
            received.is_empty(),
            "{}",
            String::from_utf8_lossy(&received)
        );

        // Through an HTTP client: a connection error, not a response.
        let err = send(proxy.addr(), caller_identity()).await.unwrap_err();
        assert!(err.downcast_ref::<hyper::Error>().is_some(), "{err:?}");

        // The proxy itself survives and the third call goes through.
        let reply = send(proxy.addr(), caller_identity()).await.unwrap();
        assert_eq!(reply.status, StatusCode::OK);
        let injected: Vec<bool> = proxy.calls().iter().map(|c| c.injected).collect();
        assert_eq!(injected, [true, true, false]);
    }

    #[tokio::test]
    async fn latency_delays_then_forwards() {
        let moto = Moto::start();
        let proxy = FaultProxy::start(moto.addr).await.unwrap();
        let delay = Duration::from_millis(400);
        proxy.add(Rule::new(Fault::Latency(delay)).for_operation("ListSchedules"));

        let started = Instant::now();
        let proxied = send(proxy.addr(), list_schedules()).await.unwrap();
        assert!(started.elapsed() >= delay, "{:?}", started.elapsed());
        let direct = send(moto.addr, list_schedules()).await.unwrap();
        assert_same(&direct, &proxied);
        assert_eq!(
            proxy.calls(),
            vec![call("scheduler", "ListSchedules", true)]
        );
    }

    #[tokio::test]
    async fn lose_response_applies_the_change() {
        let moto = Moto::start();
        let proxy = FaultProxy::start(moto.addr).await.unwrap();
        proxy.add(
            Rule::new(Fault::LoseResponse)
                .for_service("iam")
                .for_operation("CreateRole"),
        );

        assert!(send(proxy.addr(), create_role("lost")).await.is_err());
        let direct = send(moto.addr, get_role("lost")).await.unwrap();
        assert_eq!(direct.status, StatusCode::OK);
        assert!(direct.text().contains("<RoleName>lost</RoleName>"));
        assert_eq!(proxy.calls(), vec![call("iam", "CreateRole", true)]);
    }

    fn schedule_with_token(name: &str, token: &str) -> Request<Full<Bytes>> {
        rest(
            "scheduler",
            "POST",
            &format!("/schedules/{name}"),
            &format!(
                r#"{{"ScheduleExpression":"rate(1 minute)","FlexibleTimeWindow":{{"Mode":"OFF"}},
                   "ClientToken":"{token}",
                   "Target":{{"Arn":"arn:aws:lambda:us-east-1:123456789012:function:f",
                             "RoleArn":"arn:aws:iam::123456789012:role/r"}}}}"#
            ),
        )
    }

    /// The embedded AWS honours ClientToken (scripts/local_aws/scheduler.py)
    /// and the proxy passes its answers through untouched.
    #[tokio::test]
    async fn create_schedule_is_idempotent_by_client_token_as_in_scheduler() {
        let moto = Moto::start();
        let proxy = FaultProxy::start(moto.addr).await.unwrap();
        let first = send(proxy.addr(), schedule_with_token("once", "t1"))
            .await
            .unwrap();
        assert_eq!(first.status, StatusCode::OK, "{}", first.text());
        let again = send(proxy.addr(), schedule_with_token("once", "t1"))
            .await
            .unwrap();
        assert_eq!(again.status, StatusCode::OK, "{}", again.text());
        assert_eq!(again.text(), first.text(), "the same answer");
        let other = send(proxy.addr(), schedule_with_token("once", "t2"))
            .await
            .unwrap();
        assert!(
            other.text().contains("ConflictException"),
            "{}",
            other.text()
        );
    }

    fn add_permission(sid: &str) -> Request<Full<Bytes>> {
        rest(
            "lambda",
            "POST",
            "/2015-03-31/functions/f/policy",
            &format!(
                r#"{{"StatementId":"{sid}","Action":"lambda:InvokeFunction","Principal":"events.amazonaws.com"}}"#
            ),
        )
    }

    /// The embedded AWS refuses a taken statement id
    /// (scripts/local_aws/lambda_policy.py) and the proxy passes the refusal
    /// through untouched.
    #[tokio::test]
    async fn a_taken_statement_id_is_a_conflict_as_in_lambda() {
        let moto = Moto::start();
        let aws = crate::support::Aws::new(&moto);
        aws.create_function("f").await;
        let proxy = FaultProxy::start(moto.addr).await.unwrap();
        let first = send(proxy.addr(), add_permission("s1")).await.unwrap();
        assert!(first.status.is_success(), "{}", first.text());
        let again = send(proxy.addr(), add_permission("s1")).await.unwrap();
        assert_eq!(again.status, StatusCode::CONFLICT, "{}", again.text());
        assert_eq!(
            again.header("x-amzn-ErrorType"),
            "ResourceConflictException"
        );
        assert_eq!(aws.statement_count("f").await, 1, "moto got one statement");
        let other = send(proxy.addr(), add_permission("s2")).await.unwrap();
        assert!(other.status.is_success(), "{}", other.text());
    }

    #[tokio::test]
    async fn iam_not_propagated_window_after_create_role() {
        let moto = Moto::start();
        let proxy = FaultProxy::start(moto.addr).await.unwrap();
        let window = Duration::from_secs(6);
        proxy.add(Rule::new(Fault::IamNotPropagated(window)));

        // No window is open until a role is created through the proxy.
        let ok = send(proxy.addr(), schedule("POST", "before"))
            .await
            .unwrap();
        assert_eq!(ok.status, StatusCode::OK, "{}", ok.text());
        assert_eq!(
            send(moto.addr, create_role("direct")).await.unwrap().status,
            StatusCode::OK
        );
        let ok = send(proxy.addr(), schedule("POST", "still")).await.unwrap();
        assert_eq!(ok.status, StatusCode::OK);

        let created_at = Instant::now();
        assert_eq!(
            send(proxy.addr(), create_role("fresh"))
                .await
                .unwrap()
                .status,
            StatusCode::OK
        );
        for (method, name) in [("POST", "during"), ("PUT", "before")] {
            let reply = send(proxy.addr(), schedule(method, name)).await.unwrap();
            assert!(created_at.elapsed() < window, "test machine too slow");
            assert_eq!(reply.status, StatusCode::BAD_REQUEST);
            assert_eq!(reply.header("x-amzn-errortype"), "ValidationException");
            assert_eq!(reply.header("content-type"), "application/json");
            assert_eq!(
                reply.text(),
                "{\"Message\":\"The execution role you provide must allow AWS EventBridge \
                 Scheduler to assume the role.\"}"
            );
        }
        // Reads are not affected by the window.
        let get = send(proxy.addr(), schedule("GET", "before")).await.unwrap();
        assert_eq!(get.status, StatusCode::OK);
        // Nothing was forwarded for the rejected create.
        assert_eq!(
            send(moto.addr, schedule("GET", "during"))
                .await
                .unwrap()
                .status,
            StatusCode::NOT_FOUND
        );

        tokio::time::sleep(
            window.saturating_sub(created_at.elapsed()) + Duration::from_millis(100),
        )
        .await;
        let ok = send(proxy.addr(), schedule("POST", "after")).await.unwrap();
        assert_eq!(ok.status, StatusCode::OK, "{}", ok.text());

        // A CreateRole that fails upstream opens no window.
        let dup = send(proxy.addr(), create_role("fresh")).await.unwrap();
        assert_eq!(dup.status, StatusCode::CONFLICT);
        let ok = send(proxy.addr(), schedule("PUT", "after")).await.unwrap();
        assert_eq!(ok.status, StatusCode::OK, "{}", ok.text());

        assert_eq!(proxy.count("scheduler", "CreateSchedule"), 4);
        assert_eq!(proxy.count("scheduler", "UpdateSchedule"), 2);
        let injected: Vec<&str> = proxy
            .calls()
            .into_iter()
            .filter(|c| c.injected)
            .map(|c| {
                if c.operation == "CreateSchedule" {
                    "create"
                } else {
                    "update"
                }
            })
            .collect();
        assert_eq!(injected, ["create", "update"]);
    }

    #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
    async fn parallel_calls_are_counted_exactly() {
        let moto = Moto::start();
        let proxy = FaultProxy::start(moto.addr).await.unwrap();
        proxy.add(
            Rule::new(Fault::Throttle)
                .for_service("lambda")
                .when(Nth::FirstN(10)),
        );
        let addr = proxy.addr();
        let mut tasks = JoinSet::new();
        for i in 0..40 {
            tasks.spawn(async move {
                let req = if i % 2 == 0 {
                    list_functions()
                } else {
                    caller_identity()
                };
                send(addr, req).await.unwrap().status
            });
        }
        let mut statuses = Vec::new();
        while let Some(status) = tasks.join_next().await {
            statuses.push(status.unwrap());
        }
        let throttled = statuses
            .iter()
            .filter(|s| **s == StatusCode::TOO_MANY_REQUESTS)
            .count();
        let ok = statuses.iter().filter(|s| **s == StatusCode::OK).count();
        assert_eq!((throttled, ok), (10, 30));
        assert_eq!(proxy.count("lambda", "ListFunctions"), 20);
        assert_eq!(proxy.count("sts", "GetCallerIdentity"), 20);
        assert_eq!(proxy.calls().iter().filter(|c| c.injected).count(), 10);
    }

    #[test]
    fn storm_draws_follow_the_rates_and_the_seed() {
        let storm = Storm::issue_9(7);
        let draws: Vec<Option<Fault>> = (0..20_000u64).map(|c| storm.draw(mix64(c), 0)).collect();
        let share = |want: fn(&Fault) -> bool| {
            draws.iter().flatten().filter(|f| want(f)).count() as f64 / draws.len() as f64
        };
        let shares = [
            share(|f| *f == Fault::Throttle),
            share(|f| matches!(f, Fault::ServerError(_))),
            share(|f| *f == Fault::ConnectionReset),
            share(|f| *f == Fault::LoseResponse),
        ];
        for (got, want) in shares.iter().zip([0.30, 0.10, 0.05, 0.05]) {
            assert!((got - want).abs() < 0.015, "{shares:?}");
        }
        let statuses: std::collections::BTreeSet<u16> = draws
            .iter()
            .flatten()
            .filter_map(|f| match f {
                Fault::ServerError(status) => Some(*status),
                _ => None,
            })
            .collect();
        assert_eq!(
            statuses.into_iter().collect::<Vec<_>>(),
            [500, 502, 503, 504]
        );

        // Same seed, content and occurrence: same fault; a resend or another
        // seed draws anew.
        let again: Vec<Option<Fault>> = (0..20_000u64).map(|c| storm.draw(mix64(c), 0)).collect();
        assert_eq!(draws, again);
        let resent: Vec<Option<Fault>> = (0..20_000u64).map(|c| storm.draw(mix64(c), 1)).collect();
        assert_ne!(draws, resent);
        let other: Vec<Option<Fault>> = (0..20_000u64)
            .map(|c| Storm::issue_9(8).draw(mix64(c), 0))
            .collect();
        assert_ne!(draws, other);
    }

    #[test]
    fn content_hash_ignores_headers_but_not_content() {
        let a = parts("POST", "/?x=1", &[("x-amz-date", "20260101T000000Z")]);
        let b = parts("POST", "/?x=1", &[("x-amz-date", "20260101T000001Z")]);
        assert_eq!(content_hash(&a, b"body"), content_hash(&b, b"body"));
        assert_ne!(content_hash(&a, b"body"), content_hash(&a, b"bodz"));
        let c = parts("POST", "/?x=2", &[]);
        assert_ne!(content_hash(&a, b"body"), content_hash(&c, b"body"));
        let d = parts("PUT", "/?x=1", &[]);
        assert_ne!(content_hash(&a, b"body"), content_hash(&d, b"body"));
    }

    #[tokio::test]
    async fn a_storm_injects_and_counts_by_kind_and_rules_come_first() {
        let moto = Moto::start();
        let proxy = FaultProxy::start(moto.addr).await.unwrap();
        let every = |kind: &str| {
            let mut storm = Storm {
                seed: 1,
                throttle: 0,
                server_error: 0,
                reset: 0,
                lose_response: 0,
            };
            match kind {
                "throttle" => storm.throttle = 100,
                "5xx" => storm.server_error = 100,
                "reset" => storm.reset = 100,
                "lose" => storm.lose_response = 100,
                _ => {}
            }
            storm
        };

        proxy.storm(every("throttle"));
        let reply = send(proxy.addr(), list_schedules()).await.unwrap();
        assert_eq!(reply.header("x-amzn-errortype"), "ThrottlingException");
        let reply = send(proxy.addr(), caller_identity()).await.unwrap();
        assert!(reply.text().contains("<Code>Throttling</Code>"));
        proxy.add(Rule::new(Fault::ServerError(503)).for_service("sts"));
        let reply = send(proxy.addr(), caller_identity()).await.unwrap();
        assert_eq!(reply.status, StatusCode::SERVICE_UNAVAILABLE, "the rule's");
        proxy.clear();
        assert_eq!(
            proxy.storm_count(),
            StormCount {
                calls: 3,
                throttle: 2,
                ..StormCount::default()
            }
        );

        proxy.storm(every("5xx"));
        let reply = send(proxy.addr(), list_functions()).await.unwrap();
        assert!(reply.status.is_server_error(), "{reply:?}");
        assert!(reply.body.is_empty());
        assert_eq!(proxy.storm_count().server_error, 1);

        proxy.storm(every("reset"));
        assert!(send(proxy.addr(), create_role("reset")).await.is_err());
        assert_eq!(
            send(moto.addr, get_role("reset")).await.unwrap().status,
            StatusCode::NOT_FOUND,
            "not forwarded"
        );

        proxy.storm(every("lose"));
        assert!(send(proxy.addr(), create_role("lost")).await.is_err());
        assert_eq!(
            send(moto.addr, get_role("lost")).await.unwrap().status,
            StatusCode::OK,
            "forwarded, then the answer lost"
        );
        assert_eq!(proxy.storm_count().lose_response, 1);
        assert_eq!(
            proxy.storm_faults(),
            [Injected {
                service: "iam".into(),
                operation: "CreateRole".into(),
                fault: Fault::LoseResponse,
            }]
        );

        proxy.storm(every("none"));
        let reply = send(proxy.addr(), list_schedules()).await.unwrap();
        assert_eq!(reply.status, StatusCode::OK);
        let count = proxy.calm();
        assert_eq!((count.calls, count.injected()), (1, 0));
        assert_eq!(
            count.to_string(),
            "0 faults in 1 calls: 0 throttled, 0 5xx, 0 reset, 0 lost responses"
        );
        assert_eq!(proxy.storm_count(), StormCount::default());
        let reply = send(proxy.addr(), list_schedules()).await.unwrap();
        assert_eq!(reply.status, StatusCode::OK);
    }

    fn parts(method: &str, uri: &str, headers: &[(&str, &str)]) -> Parts {
        let mut builder = Request::builder().method(method).uri(uri);
        for (name, value) in headers {
            builder = builder.header(*name, *value);
        }
        builder.body(()).unwrap().into_parts().0
    }

    #[test]
    fn detects_service_and_operation() {
        let signed = |service: &str| authorization(service);
        let cases: Vec<(Parts, &str, &str, &str)> = vec![
            (
                parts("POST", "/", &[("authorization", &signed("iam"))]),
                "Action=CreateRole&Version=2010-05-08",
                "iam",
                "CreateRole",
            ),
            (
                parts(
                    "GET",
                    "/?Action=GetCallerIdentity&Version=2011-06-15",
                    &[("authorization", &signed("sts"))],
                ),
                "",
                "sts",
                "GetCallerIdentity",
            ),
            (
                parts(
                    "POST",
                    "/",
                    &[
                        ("authorization", &signed("scheduler")),
                        ("x-amz-target", "AWSScheduler.ListTagsForResource"),
                    ],
                ),
                "{}",
                "scheduler",
                "ListTagsForResource",
            ),
            (
                parts(
                    "POST",
                    "/2015-03-31/functions",
                    &[("authorization", &signed("lambda"))],
                ),
                "{}",
                "lambda",
                "CreateFunction",
            ),
            (
                parts(
                    "GET",
                    "/uploads?notification",
                    &[("authorization", &signed("s3"))],
                ),
                "",
                "s3",
                "GetBucketNotificationConfiguration",
            ),
            (
                parts(
                    "PUT",
                    "/uploads?notification",
                    &[("authorization", &signed("s3"))],
                ),
                "<NotificationConfiguration/>",
                "s3",
                "PutBucketNotificationConfiguration",
            ),
            (
                parts("HEAD", "/uploads", &[("authorization", &signed("s3"))]),
                "",
                "s3",
                "HeadBucket",
            ),
            (
                parts("GET", "/2015-03-31/functions/arn%3Aaws%3Alambda%3Af", &[]),
                "",
                "lambda",
                "GetFunction",
            ),
            (
                parts("DELETE", "/2015-03-31/functions/f", &[]),
                "",
                "lambda",
                "DeleteFunction",
            ),
            (
                parts("GET", "/2015-03-31/functions/f/policy?Qualifier=1", &[]),
                "",
                "lambda",
                "GetPolicy",
            ),
            (
                parts("GET", "/2015-03-31/functions/f/aliases?MaxItems=50", &[]),
                "",
                "lambda",
                "ListAliases",
            ),
            (
                parts("GET", "/2015-03-31/functions/f/versions?Marker=50", &[]),
                "",
                "lambda",
                "ListVersionsByFunction",
            ),
            (
                parts("DELETE", "/2015-03-31/functions/f/policy/sid", &[]),
                "",
                "lambda",
                "RemovePermission",
            ),
            (
                parts(
                    "POST",
                    "/2015-03-31/event-source-mappings/",
                    &[("authorization", &signed("lambda"))],
                ),
                "{}",
                "lambda",
                "CreateEventSourceMapping",
            ),
            (
                parts(
                    "GET",
                    "/2015-03-31/event-source-mappings/?EventSourceArn=arn%3Aaws%3Asqs%3Aq",
                    &[],
                ),
                "",
                "lambda",
                "ListEventSourceMappings",
            ),
            (
                parts("GET", "/2015-03-31/event-source-mappings/u-1", &[]),
                "",
                "lambda",
                "GetEventSourceMapping",
            ),
            (
                parts("PUT", "/2015-03-31/event-source-mappings/u-1", &[]),
                "{}",
                "lambda",
                "UpdateEventSourceMapping",
            ),
            (
                parts("DELETE", "/2015-03-31/event-source-mappings/u-1", &[]),
                "",
                "lambda",
                "DeleteEventSourceMapping",
            ),
            (
                parts(
                    "GET",
                    "/2018-10-31/layers",
                    &[("authorization", &signed("lambda"))],
                ),
                "",
                "lambda",
                "Unknown",
            ),
            (
                parts("GET", "/schedules?GroupName=g", &[]),
                "",
                "scheduler",
                "ListSchedules",
            ),
            (
                parts("PUT", "/schedules/s", &[]),
                "",
                "scheduler",
                "UpdateSchedule",
            ),
            (
                parts("DELETE", "/schedules/s?groupName=g", &[]),
                "",
                "scheduler",
                "DeleteSchedule",
            ),
            (
                parts("POST", "/schedule-groups/g", &[]),
                "",
                "scheduler",
                "CreateScheduleGroup",
            ),
            (
                parts("GET", "/schedule-groups/g", &[]),
                "",
                "scheduler",
                "GetScheduleGroup",
            ),
            (
                parts("DELETE", "/schedule-groups/g", &[]),
                "",
                "scheduler",
                "DeleteScheduleGroup",
            ),
            (parts("GET", "/elsewhere", &[]), "", "unknown", "Unknown"),
        ];
        for (p, body, service, operation) in cases {
            let detected = detect_service(&p.headers, p.uri.path());
            assert_eq!(detected, service, "{} {}", p.method, p.uri);
            let op = detect_operation(&detected, &p, body.as_bytes());
            assert_eq!(op, operation, "{} {}", p.method, p.uri);
        }
        assert_eq!(
            service_from_authorization("AWS4-HMAC-SHA256 Credential=bad"),
            None
        );
    }

    #[test]
    fn request_ids_are_fresh_uuids() {
        let ids: Vec<String> = (0..1000).map(|_| request_id()).collect();
        for id in &ids {
            assert!(is_uuid(id), "{id}");
            assert_eq!(&id[14..15], "4", "{id}");
            assert!("89ab".contains(&id[19..20]), "{id}");
        }
        let mut unique = ids.clone();
        unique.sort();
        unique.dedup();
        assert_eq!(unique.len(), ids.len());
    }

    #[test]
    fn escapes_messages() {
        assert_eq!(json_escape("a\"b\\c\nd\u{1}"), "a\\\"b\\\\c\\nd\\u0001");
        assert_eq!(xml_escape("<a & 'b'>"), "&lt;a &amp; &apos;b&apos;&gt;");
    }
}
