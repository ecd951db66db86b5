//! Interrupts during an apply of 20 invokers, every AWS call slowed to
//! 200 ms by the fault proxy so that operations are in flight when the
//! signal lands. The contract (SPEC, Lifecycle): Ctrl-C to terraform or to
//! the whole process group never gives "Plugin did not respond" and leaves
//! no object in AWS that state does not record; after a SIGKILL of the
//! provider, the next apply adopts what its own interrupted creates left or
//! names each leftover with its import id. Either way the next apply
//! converges, the plan after it is empty, and destroy leaves nothing.

use std::collections::BTreeSet;
use std::process::Command;
use std::time::{Duration, Instant};

use crate::support::fault_proxy::{Fault, FaultProxy, Rule};
use crate::support::{Aws, Moto, Run, Workdir};

const INVOKERS: usize = 20;

fn config(function_arn: &str) -> String {
    format!(
        r#"resource "lambdawire_scheduled_lambda_invoker" "job" {{
  count               = {INVOKERS}
  name                = "interrupted-${{count.index}}"
  function_arn        = "{function_arn}"
  schedule_expression = "rate(1 hour)"
}}
"#
    )
}

/// Role and schedule names that state records.
fn recorded(work: &Workdir) -> (BTreeSet<String>, BTreeSet<String>) {
    let run = work.terraform(&["show", "-json"]).ok();
    let state: serde_json::Value = serde_json::from_str(&run.stdout).unwrap_or_default();
    let mut roles = BTreeSet::new();
    let mut schedules = BTreeSet::new();
    for r in state["values"]["root_module"]["resources"]
        .as_array()
        .into_iter()
        .flatten()
    {
        if let Some(role) = r["values"]["role_name"].as_str() {
            roles.insert(role.to_string());
        }
        if let Some(name) = r["values"]["name"].as_str() {
            schedules.insert(name.to_string());
        }
    }
    (roles, schedules)
}

/// Every lambdawire role and every schedule in AWS is one state records.
async fn assert_no_orphan(aws: &Aws, work: &Workdir, when: &str) {
    let (roles, schedules) = recorded(work);
    let orphan_roles: Vec<String> = aws
        .roles_with_prefix("lambdawire-")
        .await
        .into_iter()
        .filter(|r| !roles.contains(r))
        .collect();
    let orphan_schedules: Vec<String> = aws
        .schedule_names()
        .await
        .into_iter()
        .filter(|s| !schedules.contains(s))
        .collect();
    assert!(
        orphan_roles.is_empty() && orphan_schedules.is_empty(),
        "{when}: roles {orphan_roles:?} and schedules {orphan_schedules:?} exist in AWS but not in state"
    );
}

fn signal(target: &str, sig: &str) {
    let status = Command::new("kill")
        .args([sig, "--", target])
        .status()
        .expect("kill");
    assert!(status.success(), "kill {sig} {target}");
}

/// The provider processes terraform has started (children named after us).
fn provider_pids(terraform: u32) -> Vec<u32> {
    let mut found = Vec::new();
    for entry in std::fs::read_dir("/proc").into_iter().flatten().flatten() {
        let Ok(pid) = entry.file_name().to_string_lossy().parse::<u32>() else {
            continue;
        };
        let Ok(stat) = std::fs::read_to_string(format!("/proc/{pid}/stat")) else {
            continue;
        };
        let (Some(open), Some(close)) = (stat.find('('), stat.rfind(')')) else {
            continue;
        };
        let comm = &stat[open + 1..close];
        let ppid = stat[close + 2..]
            .split_whitespace()
            .nth(1)
            .and_then(|p| p.parse::<u32>().ok());
        if comm.starts_with("terraform-provi") && ppid == Some(terraform) {
            found.push(pid);
        }
    }
    found
}

enum Interrupt {
    /// SIGINT to terraform alone.
    Terraform,
    /// SIGINT to terraform's whole process group, as a terminal's Ctrl-C.
    ProcessGroup,
    /// SIGKILL to the provider: cannot be answered.
    KillProvider,
}

/// Apply at 200 ms per call; interrupt once `roles` managed roles exist
/// (a moment defined by progress, not by a clock that a loaded machine
/// stretches); return the run.
async fn interrupted_apply(work: &Workdir, aws: &Aws, how: &Interrupt, roles: usize) -> Run {
    let own_group = matches!(how, Interrupt::ProcessGroup);
    let mut child = work.spawn(
        &["apply", "-auto-approve", "-input=false", "-no-color"],
        own_group,
    );
    let pid = child.id();
    let deadline = Instant::now() + Duration::from_secs(120);
    while aws.roles_with_prefix("lambdawire-").await.len() < roles {
        if child.finished() {
            panic!(
                "the apply ended before {roles} roles existed:\n{}",
                child.wait(false).text()
            );
        }
        if Instant::now() > deadline {
            panic!(
                "fewer than {roles} roles after 2 minutes:\n{}",
                child.wait(true).text()
            );
        }
        tokio::time::sleep(Duration::from_millis(25)).await;
    }
    match how {
        Interrupt::Terraform => signal(&pid.to_string(), "-INT"),
        Interrupt::ProcessGroup => signal(&format!("-{pid}"), "-INT"),
        Interrupt::KillProvider => {
            let pids = provider_pids(pid);
            assert!(!pids.is_empty(), "no provider process of terraform {pid}");
            for p in pids {
                signal(&p.to_string(), "-KILL");
            }
        }
    }
    tokio::task::spawn_blocking(move || child.wait(false))
        .await
        .expect("join")
}

/// Import every invoker the apply refused with its import id, as a user
/// would after reading the error ("... import it with the id
/// default/interrupted-3: ..."). Returns how many were imported.
fn import_named(work: &Workdir, run: &Run) -> usize {
    let text = format!("{}\n{}", run.stdout, run.stderr);
    let words: Vec<&str> = text.split_whitespace().collect();
    let mut ids = BTreeSet::new();
    for window in words.windows(6) {
        if window[..5] == ["import", "it", "with", "the", "id"] {
            ids.insert(window[5].trim_end_matches(':').to_string());
        }
    }
    for id in &ids {
        let index = id
            .strip_prefix("default/interrupted-")
            .unwrap_or_else(|| panic!("an import id this configuration does not make: {id}"));
        work.import(
            &format!("lambdawire_scheduled_lambda_invoker.job[{index}]"),
            id,
        )
        .ok();
    }
    ids.len()
}

async fn survive(how: Interrupt, roles: usize) {
    let moto = Moto::start();
    let aws = Aws::new(&moto);
    let function = aws.create_function("hook").await;
    let proxy = FaultProxy::start(moto.addr).await.expect("proxy");
    let work = Workdir::new(&proxy.url());
    work.write(&config(&function));
    proxy.add(Rule::new(Fault::Latency(Duration::from_millis(200))));

    let run = interrupted_apply(&work, &aws, &how, roles).await;
    let created_before = aws.roles_with_prefix("lambdawire-").await.len();
    match how {
        Interrupt::Terraform | Interrupt::ProcessGroup => {
            assert!(
                !run.text().contains("Plugin did not respond"),
                "an interrupt must not cut the provider off:\n{}",
                run.text()
            );
            assert!(!run.text().contains("panic"), "{}", run.text());
            assert!(
                run.text().contains("Interrupt received"),
                "terraform saw the interrupt:\n{}",
                run.text()
            );
            assert_no_orphan(&aws, &work, "after the interrupt").await;
        }
        Interrupt::KillProvider => {
            assert_ne!(
                run.code,
                0,
                "a killed provider fails the apply:\n{}",
                run.text()
            );
        }
    }
    eprintln!(
        "interrupted with {created_before} of {INVOKERS} roles created; state records {:?}",
        recorded(&work).0.len()
    );
    assert!(
        created_before > 0,
        "the interrupt came after some creates:\n{}",
        run.text()
    );
    assert!(
        created_before < INVOKERS,
        "the interrupt came before the last create:\n{}",
        run.text()
    );

    proxy.clear();
    let next = work.apply();
    if next.code != 0 {
        // Only a leftover that cannot be proven ours may stop the apply,
        // and then with its import id.
        let imported = import_named(&work, &next);
        assert!(
            imported > 0,
            "the apply after the interrupt failed without naming an import:\n{}",
            next.text()
        );
        work.apply().ok();
    }
    assert_no_orphan(&aws, &work, "after converging").await;
    assert_eq!(aws.schedule_names().await.len(), INVOKERS);
    work.assert_no_changes();
    work.destroy().ok();
    assert!(
        aws.roles_with_prefix("lambdawire-").await.is_empty(),
        "no role left"
    );
    assert!(aws.schedule_names().await.is_empty(), "no schedule left");
}

#[tokio::test(flavor = "multi_thread")]
async fn sigint_to_terraform_early_in_the_apply() {
    survive(Interrupt::Terraform, 2).await;
}

#[tokio::test(flavor = "multi_thread")]
async fn sigint_to_terraform_late_in_the_apply() {
    survive(Interrupt::Terraform, 9).await;
}

#[tokio::test(flavor = "multi_thread")]
async fn sigint_to_the_process_group() {
    survive(Interrupt::ProcessGroup, 5).await;
}

#[tokio::test(flavor = "multi_thread")]
async fn sigkill_of_the_provider_is_adopted_or_named_on_the_next_apply() {
    survive(Interrupt::KillProvider, 5).await;
}
