//! [`Harness`]: what nearly every acceptance test starts with, in one value:
//! moto, SDK clients straight at it, and a Terraform working directory
//! whose provider calls go to moto or, for the tests that inject faults or
//! count calls, to a [`FaultProxy`] in front of it. Also the few terraform
//! and text helpers that several suites had each written for themselves.

use super::fault_proxy::{Fault, FaultProxy};
use super::{Aws, Moto, Run, Workdir};

/// One test's world. Dropping it stops the proxy and moto.
pub struct Harness {
    /// SDK clients straight at moto: what AWS holds, not what the proxy says.
    pub aws: Aws,
    /// The working directory; its provider block points at [`Harness::endpoint`].
    pub work: Workdir,
    proxy: Option<FaultProxy>,
    // Last, so it stops after the proxy that forwards to it.
    pub moto: Moto,
}

impl Default for Harness {
    fn default() -> Harness {
        Harness::new()
    }
}

impl Harness {
    /// moto, and lambdawire pointed straight at it.
    pub fn new() -> Harness {
        Harness::direct(Workdir::new)
    }

    /// lambdawire's calls go through a fault proxy in front of moto (no rule
    /// set yet: every call is forwarded, and counted).
    pub async fn with_proxy() -> Harness {
        Harness::proxied(|lambdawire, _| Workdir::new(lambdawire)).await
    }

    /// Both providers straight at moto, hashicorp/aws from the filesystem
    /// mirror ([`Workdir::with_hashicorp_aws`]).
    pub fn with_hashicorp_aws() -> Harness {
        Harness::direct(Workdir::with_hashicorp_aws)
    }

    /// Both providers through the proxy, so its counts include hashicorp/aws's.
    pub async fn with_proxy_and_hashicorp_aws() -> Harness {
        Harness::proxied(|lambdawire, _| Workdir::with_hashicorp_aws(lambdawire)).await
    }

    /// lambdawire through the proxy, hashicorp/aws straight at moto: the
    /// proxy counts lambdawire's calls alone.
    pub async fn with_proxy_and_hashicorp_aws_at_moto() -> Harness {
        Harness::proxied(Workdir::with_hashicorp_aws_at).await
    }

    /// `work` made with moto's URL.
    fn direct(work: impl FnOnce(&str) -> Workdir) -> Harness {
        let moto = Moto::start();
        Harness {
            aws: Aws::new(&moto),
            work: work(&moto.url()),
            proxy: None,
            moto,
        }
    }

    /// `work` made with the proxy's URL and moto's.
    async fn proxied(work: impl FnOnce(&str, &str) -> Workdir) -> Harness {
        let moto = Moto::start();
        let proxy = FaultProxy::start(moto.addr).await.expect("fault proxy");
        Harness {
            aws: Aws::new(&moto),
            work: work(&proxy.url(), &moto.url()),
            proxy: Some(proxy),
            moto,
        }
    }

    /// The fault proxy; only a harness made `with_proxy...` has one.
    #[track_caller]
    pub fn proxy(&self) -> &FaultProxy {
        self.proxy
            .as_ref()
            .expect("a harness made with a fault proxy")
    }

    /// Where lambdawire sends its calls: the proxy if there is one, else moto.
    pub fn endpoint(&self) -> String {
        self.proxy
            .as_ref()
            .map_or_else(|| self.moto.url(), FaultProxy::url)
    }

    /// Another working directory with the same endpoint: a second
    /// configuration, or a fresh state.
    pub fn workdir(&self) -> Workdir {
        Workdir::new(&self.endpoint())
    }

    /// SDK clients through the proxy: the policy as the provider sees it,
    /// with the proxy's corrections of moto.
    pub fn aws_through_proxy(&self) -> Aws {
        Aws::at(&self.proxy().url())
    }

    /// `terraform destroy`, then nothing lambdawire creates is left.
    pub async fn destroy_all(&self) {
        self.work.destroy().ok();
        self.aws.assert_nothing_left().await;
    }
}

impl Workdir {
    /// `terraform state list`: the addresses state records.
    pub fn state_list(&self) -> Vec<String> {
        self.terraform(&["state", "list"])
            .stdout
            .lines()
            .map(str::to_string)
            .collect()
    }

    pub fn destroy_args(&self, extra: &[&str]) -> Run {
        let mut args = vec!["destroy", "-auto-approve", "-input=false", "-no-color"];
        args.extend_from_slice(extra);
        self.terraform(&args)
    }

    /// main.tf with `lines` added to the provider block (after its
    /// `max_retries`), and `body` after it.
    pub fn write_with_provider_lines(&self, lines: &str, body: &str) {
        let block = self.provider_block().replace(
            "  max_retries = 4\n",
            &format!("  max_retries = 4\n{lines}"),
        );
        std::fs::write(self.path().join("main.tf"), format!("{block}\n{body}"))
            .expect("write main.tf");
    }
}

/// `text` with each run of whitespace as one space: Terraform wraps
/// diagnostics at 78 columns.
pub fn words(text: &str) -> String {
    text.split_whitespace().collect::<Vec<_>>().join(" ")
}

/// A refusal no retry gets past, in the service's own error code.
pub fn denied(service: &str) -> Fault {
    let code = if service == "iam" {
        "AccessDenied"
    } else {
        "AccessDeniedException"
    };
    Fault::Error {
        status: 403,
        code: code.into(),
        message: "injected: not authorized".into(),
    }
}
