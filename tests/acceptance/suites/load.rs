//! Load (issue 9, suite 4): two large configurations, each applied, planned
//! and destroyed at `-parallelism=50` against moto, with no error and
//! nothing left behind (checked with the SDK):
//! - 300 invokers sharing 3 `lambdawire_scheduler_invoke_role`s (through
//!   `existing_role_arn`), plus 300 permissions over 5 functions;
//! - 50 permissions on one function, all contending for its policy.
//!
//! Each phase's wall time and the provider's peak memory (the largest
//! `VmHWM` of the provider processes terraform starts, polled from /proc
//! while it runs) are printed, never asserted: they depend on the machine.

use std::collections::{BTreeMap, BTreeSet};
use std::time::{Duration, Instant};

use crate::support::hcl::{self, Block};
use crate::support::{provider_peaks, Aws, Harness, Run, Workdir, ACCOUNT};

const PARALLELISM: &str = "-parallelism=50";

/// One terraform command, timed, with the provider's peak memory.
struct Measured {
    run: Run,
    wall: Duration,
    /// The largest VmHWM of any provider process of the command, in KiB.
    peak_kib: u64,
    /// The smallest: a process that only served the schema, the baseline.
    baseline_kib: u64,
    /// How many provider processes the command started.
    providers: usize,
}

/// Run terraform with `args`, polling its provider processes every 20 ms:
/// VmHWM only grows, so the last reading before a process exits is its
/// peak to within that interval.
fn measured(work: &Workdir, args: &[&str]) -> Measured {
    let started = Instant::now();
    let mut child = work.spawn(args, false);
    let mut peaks: BTreeMap<u32, u64> = BTreeMap::new();
    while !child.finished() {
        for (pid, peak) in provider_peaks(child.id()) {
            let seen = peaks.entry(pid).or_default();
            *seen = (*seen).max(peak);
        }
        std::thread::sleep(Duration::from_millis(20));
    }
    let wall = started.elapsed();
    Measured {
        run: child.wait(false),
        wall,
        peak_kib: peaks.values().copied().max().unwrap_or(0),
        baseline_kib: peaks.values().copied().min().unwrap_or(0),
        providers: peaks.len(),
    }
}

/// Apply, empty plan and destroy, each at `-parallelism=50` and printed
/// under `label`; between them, `after_apply` checks AWS.
async fn lifecycle<F, Fut>(label: &str, work: &Workdir, after_apply: F)
where
    F: FnOnce() -> Fut,
    Fut: std::future::Future<Output = ()>,
{
    let phases: [(&str, Vec<&str>); 3] = [
        (
            "apply",
            vec!["apply", "-auto-approve", "-input=false", "-no-color"],
        ),
        (
            "plan",
            vec!["plan", "-detailed-exitcode", "-input=false", "-no-color"],
        ),
        (
            "destroy",
            vec!["destroy", "-auto-approve", "-input=false", "-no-color"],
        ),
    ];
    let mut after_apply = Some(after_apply);
    for (name, mut args) in phases {
        args.push(PARALLELISM);
        let m = measured(work, &args);
        let mib = |kib: u64| kib as f64 / 1024.0;
        eprintln!(
            "load {label}: {name} in {:.1}s; provider peak {:.1} MiB (VmHWM, largest of {} \
             processes; smallest {:.1} MiB)",
            m.wall.as_secs_f64(),
            mib(m.peak_kib),
            m.providers,
            mib(m.baseline_kib)
        );
        assert_eq!(
            m.run.code,
            0,
            "{label}: {name} must succeed (and the plan be empty):\n{}",
            m.run.text()
        );
        assert!(m.providers > 0, "{label}: {name}: no provider process seen");
        if let Some(check) = after_apply.take() {
            check().await;
        }
    }
}

fn names(prefix: &str, n: usize) -> BTreeSet<String> {
    (0..n).map(|i| format!("{prefix}{i}")).collect()
}

async fn sids(aws: &Aws, function: &str) -> BTreeSet<String> {
    aws.statement_ids(function).await.into_iter().collect()
}

fn permissions(count: usize, functions: usize) -> Block {
    hcl::permission(
        "p",
        &format!("load-fn-${{count.index % {functions}}}"),
        "load-${count.index}",
    )
    .expr("count", &count.to_string())
    .str(
        "source_arn",
        &format!("arn:aws:events:us-east-1:{ACCOUNT}:rule/load-${{count.index}}"),
    )
}

const INVOKERS: usize = 300;
const SHARED_ROLES: usize = 3;
const PERMISSIONS: usize = 300;
const FUNCTIONS: usize = 5;

#[tokio::test(flavor = "multi_thread")]
async fn three_hundred_invokers_on_three_shared_roles_and_three_hundred_permissions() {
    let h = Harness::new();
    let (aws, work) = (&h.aws, &h.work);
    let mut arns = Vec::new();
    for f in 0..FUNCTIONS {
        arns.push(format!(
            "{:?}",
            aws.create_function(&format!("load-fn-{f}")).await
        ));
    }
    let roles_before: BTreeSet<String> = aws.roles_with_prefix("").await.into_iter().collect();
    work.write(format!(
        "locals {{\n  functions = [{arns}]\n}}\n\n{}\n{}\n{}",
        hcl::scheduler_invoke_role(&[])
            .label("shared")
            .expr("count", &SHARED_ROLES.to_string())
            .expr("function_arns", "local.functions")
            .role_name("load-shared-${count.index}"),
        hcl::invoker("load-${count.index}", "")
            .label("job")
            .expr("count", &INVOKERS.to_string())
            .expr(
                "function_arn",
                &format!("local.functions[count.index % {FUNCTIONS}]")
            )
            .expr(
                "existing_role_arn",
                &format!(
                    "lambdawire_scheduler_invoke_role.shared[count.index % {SHARED_ROLES}].arn"
                )
            ),
        permissions(PERMISSIONS, FUNCTIONS),
        arns = arns.join(", "),
    ));

    lifecycle("300 invokers + 300 permissions", work, || async {
        let schedules: BTreeSet<String> = aws.schedule_names().await.into_iter().collect();
        assert_eq!(schedules, names("load-", INVOKERS), "exactly the schedules");
        let mut roles = roles_before.clone();
        roles.extend(names("load-shared-", SHARED_ROLES));
        let now: BTreeSet<String> = aws.roles_with_prefix("").await.into_iter().collect();
        assert_eq!(now, roles, "the three shared roles and no other");
        for f in 0..FUNCTIONS {
            let want: BTreeSet<String> = (0..PERMISSIONS)
                .filter(|i| i % FUNCTIONS == f)
                .map(|i| format!("load-{i}"))
                .collect();
            assert_eq!(sids(aws, &format!("load-fn-{f}")).await, want);
        }
    })
    .await;

    assert!(aws.schedule_names().await.is_empty(), "no schedule left");
    let now: BTreeSet<String> = aws.roles_with_prefix("").await.into_iter().collect();
    assert_eq!(now, roles_before, "no role left");
    for f in 0..FUNCTIONS {
        assert_eq!(
            sids(aws, &format!("load-fn-{f}")).await,
            BTreeSet::new(),
            "no statement left on load-fn-{f}"
        );
    }
}

#[tokio::test(flavor = "multi_thread")]
async fn fifty_permissions_on_one_function() {
    const COUNT: usize = 50;
    let h = Harness::new();
    let (aws, work) = (&h.aws, &h.work);
    aws.create_function("load-fn-0").await;
    work.write(permissions(COUNT, 1));

    lifecycle("50 permissions on one function", work, || async {
        assert_eq!(sids(aws, "load-fn-0").await, names("load-", COUNT));
    })
    .await;

    assert_eq!(
        sids(aws, "load-fn-0").await,
        BTreeSet::new(),
        "no statement left"
    );
}
