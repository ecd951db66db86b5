//! Acceptance-test harness: a moto server per test on a free loopback port,
//! a temporary Terraform working directory whose CLI config points
//! `dev_overrides` at the freshly built provider, helpers to run `terraform`,
//! and SDK clients to check the AWS side independently. [`Harness`] holds
//! the three; [`hcl`] writes the configurations; `sdk` holds the checks.

#![allow(dead_code)] // each test binary uses a different part of the harness

mod eventbridge;
pub mod fault_proxy;
pub mod harness;
pub mod hcl;
pub mod s3;
mod sdk;
mod sns;

// Re-exported for the tests; a binary that uses only some of them (bad_input)
// would otherwise warn.
#[allow(unused_imports)]
pub use harness::{denied, words, Harness};
#[allow(unused_imports)]
pub use sdk::{function_url_auth_type, is_account_principal, with_sid};

use std::io::{BufRead, BufReader, Read, Write};
use std::net::{SocketAddr, TcpStream};
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Output, Stdio};
use std::time::{Duration, Instant};

pub const REGION: &str = "us-east-1";
pub const ACCOUNT: &str = "123456789012";

/// The embedded AWS (moto with scripts/local_aws) on 127.0.0.1, stopped
/// when dropped.
pub struct Moto {
    child: Child,
    pub addr: SocketAddr,
}

fn http_get_ok(addr: SocketAddr, path: &str) -> bool {
    let Ok(mut stream) = TcpStream::connect_timeout(&addr, Duration::from_millis(200)) else {
        return false;
    };
    let _ = stream.set_read_timeout(Some(Duration::from_secs(2)));
    let request = format!("GET {path} HTTP/1.1\r\nHost: {addr}\r\nConnection: close\r\n\r\n");
    if stream.write_all(request.as_bytes()).is_err() {
        return false;
    }
    let mut head = [0u8; 12];
    stream.read_exact(&mut head).is_ok() && head.starts_with(b"HTTP/1.1 200")
}

/// The python that runs scripts/local_aws: `LAMBDAWIRE_PYTHON` as
/// scripts/setup exports it, else the virtualenv scripts/setup makes when
/// the system python refuses pip installs, else `python3`.
fn local_aws_python() -> std::ffi::OsString {
    if let Some(python) = std::env::var_os("LAMBDAWIRE_PYTHON") {
        return python;
    }
    let data = std::env::var_os("XDG_DATA_HOME")
        .map(PathBuf::from)
        .or_else(|| std::env::var_os("HOME").map(|h| PathBuf::from(h).join(".local/share")));
    let venv = std::env::var_os("LAMBDAWIRE_VENV")
        .map(PathBuf::from)
        .or_else(|| data.map(|d| d.join("lambdawire/venv")));
    match venv.map(|v| v.join("bin/python")) {
        Some(python) if python.is_file() => python.into_os_string(),
        _ => "python3".into(),
    }
}

impl Moto {
    /// Start the embedded AWS (moto with the layer in scripts/local_aws
    /// that answers as AWS does, see EMBEDDED-AWS.md) on port 0, and read
    /// the port it got from its log, so two tests can never race for one
    /// "free" port.
    pub fn start() -> Moto {
        let scripts = Path::new(env!("CARGO_MANIFEST_DIR")).join("scripts");
        let python_path = match std::env::var_os("PYTHONPATH") {
            Some(rest) if !rest.is_empty() => {
                let mut joined = scripts.into_os_string();
                joined.push(":");
                joined.push(rest);
                joined
            }
            _ => scripts.into_os_string(),
        };
        let mut child = Command::new(local_aws_python())
            .args(["-m", "local_aws", "--host", "127.0.0.1", "--port", "0"])
            .env("PYTHONPATH", python_path)
            .stdin(Stdio::null())
            .stdout(Stdio::null())
            .stderr(Stdio::piped())
            .spawn()
            .expect("python3 with moto 5.x (scripts/setup installs it; LAMBDAWIRE_PYTHON)");
        let stderr = child.stderr.take().expect("piped stderr");
        let (tx, rx) = std::sync::mpsc::channel();
        std::thread::spawn(move || {
            // werkzeug logs every request to stderr: keep draining it so moto
            // never blocks on a full pipe. What it wrote before listening is
            // handed over should it end without listening (a moto that is
            // not 5.x, a python without moto).
            let mut tx = Some(tx);
            let mut before = String::new();
            for line in BufReader::new(stderr).lines().map_while(Result::ok) {
                let port = line
                    .split("local-aws: listening on http://127.0.0.1:")
                    .nth(1)
                    .and_then(|rest| rest.trim().parse::<u16>().ok());
                match (port, tx.as_ref()) {
                    (Some(port), Some(_)) => {
                        if let Some(sender) = tx.take() {
                            let _ = sender.send(Ok(port));
                        }
                    }
                    (None, Some(_)) => {
                        before.push_str(&line);
                        before.push('\n');
                    }
                    _ => {}
                }
            }
            if let Some(sender) = tx {
                let _ = sender.send(Err(before));
            }
        });
        let mut moto = Moto {
            child,
            addr: SocketAddr::from(([127, 0, 0, 1], 0)),
        };
        let deadline = Instant::now() + Duration::from_secs(60);
        let port = loop {
            match rx.recv_timeout(Duration::from_millis(50)) {
                Ok(Ok(port)) => break port,
                Ok(Err(log)) => panic!("local-aws ended without listening:\n{log}"),
                Err(_) => {}
            }
            assert!(Instant::now() < deadline, "local-aws reported no port");
        };
        moto.addr.set_port(port);
        while !http_get_ok(moto.addr, "/moto-api/") {
            assert!(
                Instant::now() < deadline,
                "moto did not answer on {}",
                moto.addr
            );
            std::thread::sleep(Duration::from_millis(50));
        }
        moto
    }

    pub fn url(&self) -> String {
        format!("http://{}", self.addr)
    }

    /// An SQS queue (FIFO when the name ends in `.fifo`), made with one call
    /// of SQS's JSON protocol: aws-sdk-sqs is not a dependency, and moto
    /// neither checks the signature nor needs more. Its ARN.
    pub fn create_queue(&self, name: &str) -> String {
        self.create_queue_in(name, REGION)
    }

    /// [`Moto::create_queue`] in another region: moto takes the region from
    /// the request's credential scope.
    pub fn create_queue_in(&self, name: &str, region: &str) -> String {
        let attributes = if name.ends_with(".fifo") {
            r#","Attributes":{"FifoQueue":"true"}"#
        } else {
            ""
        };
        let body = format!(r#"{{"QueueName":"{name}"{attributes}}}"#);
        let request = format!(
            "POST / HTTP/1.1\r\nHost: {addr}\r\nContent-Type: application/x-amz-json-1.0\r\n\
             X-Amz-Target: AmazonSQS.CreateQueue\r\n\
             Authorization: AWS4-HMAC-SHA256 Credential=testing/20250101/{region}/sqs/aws4_request, SignedHeaders=host, Signature=0\r\n\
             Content-Length: {}\r\nConnection: close\r\n\r\n{body}",
            body.len(),
            addr = self.addr,
        );
        let mut stream = TcpStream::connect(self.addr).expect("connect to moto");
        stream
            .write_all(request.as_bytes())
            .expect("send CreateQueue");
        let mut answer = String::new();
        stream
            .read_to_string(&mut answer)
            .expect("read CreateQueue");
        assert!(
            answer.starts_with("HTTP/1.1 200"),
            "CreateQueue {name}: {answer}"
        );
        format!("arn:aws:sqs:{region}:{ACCOUNT}:{name}")
    }
}

impl Drop for Moto {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

/// The directory holding the provider binary built for this test run.
fn provider_dir() -> PathBuf {
    let binary = PathBuf::from(env!("CARGO_BIN_EXE_terraform-provider-lambdawire"));
    binary
        .parent()
        .expect("binary has a directory")
        .to_path_buf()
}

/// Result of one terraform command.
pub struct Run {
    pub code: i32,
    pub stdout: String,
    pub stderr: String,
}

impl Run {
    fn from(output: Output) -> Run {
        Run {
            code: output.status.code().unwrap_or(-1),
            stdout: String::from_utf8_lossy(&output.stdout).into_owned(),
            stderr: String::from_utf8_lossy(&output.stderr).into_owned(),
        }
    }

    pub fn text(&self) -> String {
        format!(
            "exit {}\n--- stdout\n{}\n--- stderr\n{}",
            self.code, self.stdout, self.stderr
        )
    }

    #[track_caller]
    pub fn ok(self) -> Run {
        assert_eq!(self.code, 0, "terraform failed:\n{}", self.text());
        self
    }
}

/// A terraform command running in the background.
pub struct Running {
    pub child: Child,
    stdout: std::thread::JoinHandle<String>,
    stderr: std::thread::JoinHandle<String>,
}

impl Running {
    pub fn id(&self) -> u32 {
        self.child.id()
    }

    pub fn finished(&mut self) -> bool {
        self.child.try_wait().expect("terraform status").is_some()
    }

    /// Wait for the end (killing it first with `kill`), with its output.
    pub fn wait(mut self, kill: bool) -> Run {
        if kill {
            let _ = self.child.kill();
        }
        let status = self.child.wait().expect("terraform status");
        Run {
            code: status.code().unwrap_or(-1),
            stdout: self.stdout.join().unwrap_or_default(),
            stderr: self.stderr.join().unwrap_or_default(),
        }
    }
}

/// A Terraform working directory wired to the built provider and an endpoint.
pub struct Workdir {
    pub dir: tempfile::TempDir,
    pub endpoint: String,
    /// Where hashicorp/aws sends its calls (by default `endpoint`): moto
    /// itself, when a test counts only lambdawire's calls at a proxy.
    pub aws_endpoint: String,
    env: Vec<(String, String)>,
}

impl Workdir {
    /// `endpoint` is where the provider sends AWS calls: moto, or a fault proxy.
    pub fn new(endpoint: &str) -> Workdir {
        Self::with_installation(endpoint, "  direct {}\n")
    }

    /// Like [`Workdir::new`], and hashicorp/aws comes from the local
    /// filesystem mirror ([`aws_mirror`]); `terraform init` has been run.
    /// For configurations that mix both providers (`moved` tests).
    pub fn with_hashicorp_aws(endpoint: &str) -> Workdir {
        Self::with_hashicorp_aws_at(endpoint, endpoint)
    }

    /// [`Workdir::with_hashicorp_aws`] with hashicorp/aws pointed at
    /// `aws_endpoint` instead.
    pub fn with_hashicorp_aws_at(endpoint: &str, aws_endpoint: &str) -> Workdir {
        let mirror = aws_mirror();
        let mut work = Self::with_installation(
            endpoint,
            &format!(
                "  filesystem_mirror {{\n    path    = \"{}\"\n    include = [\"registry.terraform.io/hashicorp/aws\"]\n  }}\n  direct {{\n    exclude = [\"registry.terraform.io/hashicorp/aws\"]\n  }}\n",
                mirror.display()
            ),
        );
        work.aws_endpoint = aws_endpoint.to_string();
        // `terraform init` still queries the registry for a provider under
        // dev_overrides (and there is no lambdawire/lambdawire to find), so
        // init sees hashicorp/aws alone; plan and apply then take lambdawire
        // from the override, which needs no lock file entry.
        std::fs::write(
            work.path().join("main.tf"),
            "terraform {\n  required_providers {\n    aws = { source = \"hashicorp/aws\", version = \"5.100.0\" }\n  }\n}\n",
        )
        .expect("write main.tf");
        work.terraform(&["init", "-input=false", "-no-color"]).ok();
        work.write_with_aws("");
        work
    }

    fn with_installation(endpoint: &str, installation: &str) -> Workdir {
        let dir = tempfile::tempdir().expect("temp dir");
        let cli_config = dir.path().join("terraform.rc");
        std::fs::write(
            &cli_config,
            format!(
                "provider_installation {{\n  dev_overrides {{\n    \"lambdawire/lambdawire\" = \"{}\"\n  }}\n{installation}}}\n",
                provider_dir().display()
            ),
        )
        .expect("write CLI config");
        let env = vec![
            (
                "TF_CLI_CONFIG_FILE".into(),
                cli_config.display().to_string(),
            ),
            ("TF_IN_AUTOMATION".into(), "1".into()),
            ("CHECKPOINT_DISABLE".into(), "1".into()),
            ("AWS_ACCESS_KEY_ID".into(), "testing".into()),
            ("AWS_SECRET_ACCESS_KEY".into(), "testing".into()),
            ("AWS_REGION".into(), REGION.into()),
            ("AWS_EC2_METADATA_DISABLED".into(), "true".into()),
        ];
        Workdir {
            dir,
            endpoint: endpoint.to_string(),
            aws_endpoint: endpoint.to_string(),
            env,
        }
    }

    pub fn set_env(&mut self, key: &str, value: &str) {
        self.env.push((key.into(), value.into()));
    }

    /// The provider block every test uses, pointed at this endpoint.
    pub fn provider_block(&self) -> String {
        format!(
            r#"terraform {{
  required_providers {{
    lambdawire = {{ source = "lambdawire/lambdawire" }}
  }}
}}

{}"#,
            self.provider(None, REGION)
        )
    }

    /// A `provider "lambdawire"` block in `region` at this endpoint, the
    /// default one or `lambdawire.<alias>`.
    pub fn provider(&self, alias: Option<&str>, region: &str) -> String {
        let alias = alias.map_or(String::new(), |a| format!("  alias       = \"{a}\"\n"));
        format!(
            r#"provider "lambdawire" {{
{alias}  region      = "{region}"
  max_retries = 4
  endpoints {{
    iam       = "{e}"
    lambda    = "{e}"
    scheduler = "{e}"
    sts       = "{e}"
    sns       = "{e}"
    events    = "{e}"
    s3        = "{e}"
  }}
}}
"#,
            e = self.endpoint
        )
    }

    /// Both providers' blocks, hashicorp/aws pointed at the same endpoint
    /// with the settings an emulator needs.
    pub fn write_with_aws(&self, body: &str) {
        let lambdawire = self.provider_block().replace(
            "lambdawire = { source = \"lambdawire/lambdawire\" }",
            "lambdawire = { source = \"lambdawire/lambdawire\" }\n    aws        = { source = \"hashicorp/aws\", version = \"5.100.0\" }",
        );
        let aws = format!(
            r#"
provider "aws" {{
  region                      = "{REGION}"
  access_key                  = "testing"
  secret_key                  = "testing"
  skip_credentials_validation = true
  skip_requesting_account_id  = true
  skip_metadata_api_check     = true
  skip_region_validation      = true
  endpoints {{
    iam       = "{e}"
    lambda    = "{e}"
    scheduler = "{e}"
    sts       = "{e}"
  }}
}}
"#,
            e = self.aws_endpoint
        );
        std::fs::write(
            self.path().join("main.tf"),
            format!("{lambdawire}{aws}\n{body}"),
        )
        .expect("write main.tf");
    }

    /// Write main.tf: the provider block plus `body` (text, or an
    /// [`hcl::Block`]).
    pub fn write(&self, body: impl std::fmt::Display) {
        std::fs::write(
            self.path().join("main.tf"),
            format!("{}\n{body}", self.provider_block()),
        )
        .expect("write main.tf");
    }

    pub fn path(&self) -> &Path {
        self.dir.path()
    }

    pub fn terraform(&self, args: &[&str]) -> Run {
        let output = Command::new("terraform")
            .args(args)
            .current_dir(self.path())
            .envs(self.env.iter().map(|(k, v)| (k.as_str(), v.as_str())))
            .output()
            .expect("terraform on PATH");
        Run::from(output)
    }

    /// Start terraform without waiting. With `own_group`, it leads a new
    /// process group, so a test can signal the whole group as a terminal's
    /// Ctrl-C does (terraform and its providers).
    pub fn spawn(&self, args: &[&str], own_group: bool) -> Running {
        let mut command = Command::new("terraform");
        command
            .args(args)
            .current_dir(self.path())
            .envs(self.env.iter().map(|(k, v)| (k.as_str(), v.as_str())))
            .stdin(Stdio::null())
            .stdout(Stdio::piped())
            .stderr(Stdio::piped());
        if own_group {
            use std::os::unix::process::CommandExt;
            command.process_group(0);
        }
        let mut child = command.spawn().expect("terraform on PATH");
        // Drain both pipes as terraform writes: a plan of many resources
        // overflows a pipe's buffer and would block terraform.
        let drain = |pipe: Option<Box<dyn Read + Send>>| {
            std::thread::spawn(move || {
                let mut text = String::new();
                if let Some(mut pipe) = pipe {
                    let _ = pipe.read_to_string(&mut text);
                }
                text
            })
        };
        let stdout = drain(
            child
                .stdout
                .take()
                .map(|p| Box::new(p) as Box<dyn Read + Send>),
        );
        let stderr = drain(
            child
                .stderr
                .take()
                .map(|p| Box::new(p) as Box<dyn Read + Send>),
        );
        Running {
            child,
            stdout,
            stderr,
        }
    }

    pub fn apply(&self) -> Run {
        self.terraform(&["apply", "-auto-approve", "-input=false", "-no-color"])
    }

    pub fn apply_args(&self, extra: &[&str]) -> Run {
        let mut args = vec!["apply", "-auto-approve", "-input=false", "-no-color"];
        args.extend_from_slice(extra);
        self.terraform(&args)
    }

    /// `plan -detailed-exitcode`: 0 no changes, 2 changes, 1 error.
    pub fn plan(&self) -> Run {
        self.terraform(&["plan", "-detailed-exitcode", "-input=false", "-no-color"])
    }

    #[track_caller]
    pub fn assert_no_changes(&self) {
        let run = self.plan();
        assert_eq!(run.code, 0, "expected an empty plan:\n{}", run.text());
    }

    pub fn destroy(&self) -> Run {
        self.terraform(&["destroy", "-auto-approve", "-input=false", "-no-color"])
    }

    pub fn import(&self, address: &str, id: &str) -> Run {
        self.terraform(&["import", "-input=false", "-no-color", address, id])
    }

    /// `terraform show -json`'s `values.root_module.resources`, by address.
    pub fn resource(&self, address: &str) -> serde_json::Value {
        let run = self.terraform(&["show", "-json"]).ok();
        let state: serde_json::Value =
            serde_json::from_str(&run.stdout).expect("show -json output");
        state["values"]["root_module"]["resources"]
            .as_array()
            .and_then(|all| all.iter().find(|r| r["address"] == address))
            .map(|r| r["values"].clone())
            .unwrap_or(serde_json::Value::Null)
    }
}

/// Where hashicorp/aws 5.100.0 is unpacked as a filesystem mirror:
/// `LAMBDAWIRE_AWS_MIRROR`, else `/opt/tf-plugins` (this machine's layout).
pub fn aws_mirror() -> PathBuf {
    let mirror = std::env::var_os("LAMBDAWIRE_AWS_MIRROR")
        .map(PathBuf::from)
        .unwrap_or_else(|| PathBuf::from("/opt/tf-plugins"));
    assert!(
        mirror.join("registry.terraform.io/hashicorp/aws").is_dir(),
        "hashicorp/aws is not in the filesystem mirror {}: set LAMBDAWIRE_AWS_MIRROR",
        mirror.display()
    );
    mirror
}

/// SDK clients straight at moto, for checks independent of the provider;
/// the checks themselves are in [`sdk`].
pub struct Aws {
    pub iam: aws_sdk_iam::Client,
    pub lambda: aws_sdk_lambda::Client,
    pub scheduler: aws_sdk_scheduler::Client,
    pub sns: aws_sdk_sns::Client,
    pub events: aws_sdk_eventbridge::Client,
    pub s3: aws_sdk_s3::Client,
}

impl Aws {
    pub fn new(moto: &Moto) -> Aws {
        Aws::at(&moto.url())
    }

    /// Clients at another endpoint: a fault proxy in front of moto, say.
    pub fn at(endpoint: &str) -> Aws {
        Aws::at_region(endpoint, REGION)
    }

    /// Clients of another region (IAM is global, the others are not).
    pub fn at_region(endpoint: &str, region: &str) -> Aws {
        macro_rules! config {
            ($sdk:ident) => {
                $sdk::config::Builder::new()
                    .behavior_version($sdk::config::BehaviorVersion::latest())
                    .region($sdk::config::Region::new(region.to_string()))
                    .credentials_provider($sdk::config::Credentials::new(
                        "testing", "testing", None, None, "test",
                    ))
                    .endpoint_url(endpoint)
            };
        }
        Aws {
            iam: aws_sdk_iam::Client::from_conf(config!(aws_sdk_iam).build()),
            lambda: aws_sdk_lambda::Client::from_conf(config!(aws_sdk_lambda).build()),
            scheduler: aws_sdk_scheduler::Client::from_conf(config!(aws_sdk_scheduler).build()),
            sns: aws_sdk_sns::Client::from_conf(config!(aws_sdk_sns).build()),
            events: aws_sdk_eventbridge::Client::from_conf(config!(aws_sdk_eventbridge).build()),
            s3: aws_sdk_s3::Client::from_conf(config!(aws_sdk_s3).force_path_style(true).build()),
        }
    }
}

/// IAM returns policy documents percent-encoded.
pub fn percent_decode(text: &str) -> String {
    lambdawire::policy::document::decode_iam_document(text)
}

/// The name of the grant `lambdawire_sqs_event_source` writes for a queue,
/// worked out here from SPEC (`lambdawire-sqs-<queue name>-<first 8 hex
/// digits of the SHA-256 of the queue ARN>`), not asked of the provider.
pub fn sqs_grant_name(queue_arn: &str) -> String {
    use sha2::{Digest, Sha256};
    let queue = queue_arn.rsplit(':').next().unwrap_or_default();
    let digest = hex::encode(Sha256::digest(queue_arn.as_bytes()));
    format!("lambdawire-sqs-{queue}-{}", &digest[..8])
}

/// Parse JSON text, for semantic comparisons in assertions.
pub fn json(text: &str) -> serde_json::Value {
    serde_json::from_str(text).unwrap_or_else(|e| panic!("not JSON ({e}): {text}"))
}

/// The trust policy a user-made scheduler role would carry (no conditions:
/// the tests only need a role that is plainly not one lambdawire generates).
pub const SCHEDULER_TRUST: &str = r#"{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Principal":{"Service":"scheduler.amazonaws.com"},"Action":"sts:AssumeRole"}]}"#;

impl Workdir {
    /// `terraform state rm`, so a test can import what it just created.
    pub fn state_rm(&self, address: &str) -> Run {
        self.terraform(&["state", "rm", "-no-color", address])
    }

    /// `apply -refresh-only`: persist what Read reports without changing AWS.
    pub fn refresh(&self) -> Run {
        self.apply_args(&["-refresh-only"])
    }

    /// `plan -no-color` (no detailed exit code), for reading the rendered plan.
    pub fn plan_text(&self) -> Run {
        self.terraform(&["plan", "-input=false", "-no-color"])
    }
}

/// The line of a rendered plan that sets `attribute` (`+ name = ...` or
/// `~ name = ... -> ...`), trimmed; the first one when several resources do.
pub fn plan_line<'a>(plan: &'a str, attribute: &str) -> Option<&'a str> {
    plan.lines().map(str::trim).find(|line| {
        let rest = line.trim_start_matches(['+', '~', '-', ' ']);
        rest.strip_prefix(attribute)
            .is_some_and(|after| after.trim_start().starts_with('='))
    })
}

/// The provider processes terraform `parent` has started, with their peak
/// resident set (VmHWM) in KiB.
pub fn provider_peaks(parent: u32) -> Vec<(u32, u64)> {
    let mut found = Vec::new();
    for entry in std::fs::read_dir("/proc").into_iter().flatten().flatten() {
        let Ok(pid) = entry.file_name().to_string_lossy().parse::<u32>() else {
            continue;
        };
        let Ok(status) = std::fs::read_to_string(format!("/proc/{pid}/status")) else {
            continue;
        };
        let field = |name: &str| {
            status
                .lines()
                .find_map(|line| line.strip_prefix(name))
                .map(str::trim)
        };
        // The kernel cuts a command name to 15 bytes.
        let ours = field("Name:").is_some_and(|n| n.starts_with("terraform-provi"))
            && field("PPid:").and_then(|p| p.parse::<u32>().ok()) == Some(parent);
        let peak =
            field("VmHWM:").and_then(|v| v.trim_end_matches("kB").trim().parse::<u64>().ok());
        if let (true, Some(peak)) = (ours, peak) {
            found.push((pid, peak));
        }
    }
    found
}
