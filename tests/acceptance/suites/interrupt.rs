//! Interrupts during an apply (and a destroy) of 20 invokers and 20
//! permissions, every AWS call slowed to 200 ms by the fault proxy so that
//! operations are in flight when the signal lands. The contract (SPEC,
//! Lifecycle): SIGINT to terraform or to its whole process group, and a
//! SIGTERM to the provider, never give "Plugin did not respond" and leave no
//! object in AWS that state does not record; after a SIGKILL of the
//! provider, the next apply adopts what its own interrupted creates left or
//! names each leftover with its import id. Either way the next apply
//! converges, the plan after it is empty, and destroy leaves nothing.
//!
//! The cases are one table, [`cases!`]: an interrupt and a moment, where a
//! moment is progress seen in AWS (roles, schedules, statements counted),
//! never a clock that a loaded machine stretches.

use std::collections::BTreeSet;
use std::process::Command;
use std::time::{Duration, Instant};

use crate::support::fault_proxy::{Fault, Rule};
use crate::support::hcl;
use crate::support::{Aws, Harness, Run, Workdir, ACCOUNT};

const INVOKERS: usize = 20;
const PERMISSIONS: usize = 20;
/// The permissions' functions. The provider edits one function's policy at
/// a time, so two functions keep permissions in flight late in the apply.
const FUNCTIONS: [&str; 2] = ["hook-a", "hook-b"];
/// A role and a schedule per invoker, a statement per permission.
const OBJECTS: usize = 2 * INVOKERS + PERMISSIONS;
/// How many operations terraform runs at once (its `-parallelism`).
const PARALLELISM: usize = 10;
/// Operations that may finish between the look at AWS and the signal.
const MARGIN: usize = 3;

fn config(function_arn: &str) -> String {
    format!(
        "{}\n{}",
        hcl::invoker("interrupted-${count.index}", function_arn)
            .label("job")
            .expr("count", &INVOKERS.to_string()),
        hcl::permission("rule", "", "rule-${count.index}")
            .expr("count", &PERMISSIONS.to_string())
            .expr(
                "function_name",
                &format!("element({}, count.index)", hcl::list(&FUNCTIONS))
            )
            .str(
                "source_arn",
                &format!("arn:aws:events:us-east-1:{ACCOUNT}:rule/rule-${{count.index}}")
            ),
    )
}

/// The objects this configuration makes: managed roles, schedules, and
/// statements as `function/statement id` (the permission's import id).
#[derive(Debug, Default, PartialEq, Eq)]
struct Objects {
    roles: BTreeSet<String>,
    schedules: BTreeSet<String>,
    statements: BTreeSet<String>,
}

impl Objects {
    /// What AWS holds.
    async fn in_aws(aws: &Aws) -> Objects {
        let mut statements = BTreeSet::new();
        for function in FUNCTIONS {
            for sid in aws.statement_ids(function).await {
                statements.insert(format!("{function}/{sid}"));
            }
        }
        Objects {
            roles: aws
                .roles_with_prefix("lambdawire-")
                .await
                .into_iter()
                .collect(),
            schedules: aws.schedule_names().await.into_iter().collect(),
            statements,
        }
    }

    /// What state records.
    fn in_state(work: &Workdir) -> Objects {
        let run = work.terraform(&["show", "-json"]).ok();
        let state: serde_json::Value = serde_json::from_str(&run.stdout).unwrap_or_default();
        let mut recorded = Objects::default();
        for r in state["values"]["root_module"]["resources"]
            .as_array()
            .into_iter()
            .flatten()
        {
            let v = &r["values"];
            let text = |key: &str| v[key].as_str().map(str::to_string);
            match r["type"].as_str() {
                Some("lambdawire_scheduled_lambda_invoker") => {
                    recorded.roles.extend(text("role_name"));
                    recorded.schedules.extend(text("name"));
                }
                Some("lambdawire_lambda_invoke_permission") => {
                    if let (Some(f), Some(sid)) = (text("function_name"), text("statement_id")) {
                        recorded.statements.insert(format!("{f}/{sid}"));
                    }
                }
                _ => {}
            }
        }
        recorded
    }

    fn len(&self) -> usize {
        self.roles.len() + self.schedules.len() + self.statements.len()
    }

    /// What `self` holds that `other` does not.
    fn without(&self, other: &Objects) -> Objects {
        let minus = |a: &BTreeSet<String>, b: &BTreeSet<String>| a - b;
        Objects {
            roles: minus(&self.roles, &other.roles),
            schedules: minus(&self.schedules, &other.schedules),
            statements: minus(&self.statements, &other.statements),
        }
    }

    /// `roles/schedules/statements`.
    fn counts(&self) -> String {
        format!(
            "{}/{}/{}",
            self.roles.len(),
            self.schedules.len(),
            self.statements.len()
        )
    }
}

/// Every object in AWS is one state records.
async fn assert_no_orphan(aws: &Aws, work: &Workdir, when: &str) {
    let orphans = Objects::in_aws(aws).await.without(&Objects::in_state(work));
    assert_eq!(
        orphans,
        Objects::default(),
        "{when}: objects exist in AWS that state does not record"
    );
}

/// The provider processes terraform has started (children named after us).
fn provider_pids(terraform: u32) -> Vec<u32> {
    crate::support::provider_peaks(terraform)
        .into_iter()
        .map(|(pid, _)| pid)
        .collect()
}

#[derive(Clone, Copy, Debug)]
enum Interrupt {
    /// SIGINT to terraform alone.
    SigintTerraform,
    /// SIGINT to terraform's whole process group, as a terminal's Ctrl-C.
    SigintGroup,
    /// SIGTERM to the provider, as a supervisor sends it.
    SigtermProvider,
    /// SIGKILL to the provider: cannot be answered.
    SigkillProvider,
}

impl Interrupt {
    fn describe(self) -> &'static str {
        match self {
            Interrupt::SigintTerraform => "SIGINT to terraform",
            Interrupt::SigintGroup => "SIGINT to the process group",
            Interrupt::SigtermProvider => "SIGTERM to the provider",
            Interrupt::SigkillProvider => "SIGKILL to the provider",
        }
    }

    /// Send the signal to terraform `pid`, its group or its provider.
    fn send(self, terraform: u32) {
        let provider = |sig: &str| {
            let pids = provider_pids(terraform);
            assert!(
                !pids.is_empty(),
                "no provider process of terraform {terraform}"
            );
            for p in pids {
                signal(&p.to_string(), sig);
            }
        };
        match self {
            Interrupt::SigintTerraform => signal(&terraform.to_string(), "-INT"),
            Interrupt::SigintGroup => signal(&format!("-{terraform}"), "-INT"),
            Interrupt::SigtermProvider => provider("-TERM"),
            Interrupt::SigkillProvider => provider("-KILL"),
        }
    }
}

/// When the signal lands: progress seen in AWS. With 200 ms per call an
/// uninterrupted apply takes about 7 s; the order in which terraform starts
/// invokers and permissions varies from run to run, and the permissions of
/// one function are applied one at a time, so they are usually the tail.
#[derive(Clone, Copy, Debug)]
enum Moment {
    /// The first roles exist.
    Early,
    /// Half the schedules exist.
    Middle,
    /// Most invokers are done (4 of 5 schedules), permissions in flight.
    Late,
    /// During `destroy`, once half the objects are gone.
    Destroying,
}

impl Moment {
    fn describe(self) -> &'static str {
        match self {
            Moment::Early => "early in the apply (2 roles)",
            Moment::Middle => "mid-apply (half the schedules)",
            Moment::Late => "late in the apply (4 of 5 schedules)",
            Moment::Destroying => "mid-destroy (half the objects gone)",
        }
    }

    fn reached(self, aws: &Objects) -> bool {
        match self {
            Moment::Early => aws.roles.len() >= 2,
            Moment::Middle => aws.schedules.len() >= INVOKERS / 2,
            Moment::Late => aws.schedules.len() >= INVOKERS * 4 / 5,
            Moment::Destroying => aws.len() <= OBJECTS / 2,
        }
    }

    /// Resources certainly not done: invokers without their schedule and
    /// permissions without their statement (apply); invokers with their
    /// role and permissions with their statement (destroy).
    fn unfinished(self, aws: &Objects) -> usize {
        match self {
            Moment::Destroying => aws.roles.len() + aws.statements.len(),
            _ => (INVOKERS - aws.schedules.len()) + (PERMISSIONS - aws.statements.len()),
        }
    }

    /// Whether the command did all its work.
    fn finished(self, aws: &Objects) -> bool {
        match self {
            Moment::Destroying => aws.len() == 0,
            _ => aws.len() == OBJECTS,
        }
    }

    fn command(self) -> &'static str {
        match self {
            Moment::Destroying => "destroy",
            _ => "apply",
        }
    }
}

fn signal(target: &str, sig: &str) {
    let status = Command::new("kill")
        .args([sig, "--", target])
        .status()
        .expect("kill");
    assert!(status.success(), "kill {sig} {target}");
}

/// Run the moment's command at 200 ms per call, send the signal once the
/// moment is reached, and return the run with what AWS held at the signal.
async fn interrupted(work: &Workdir, aws: &Aws, how: Interrupt, when: Moment) -> (Run, Objects) {
    let mut child = work.spawn(
        &[when.command(), "-auto-approve", "-input=false", "-no-color"],
        matches!(how, Interrupt::SigintGroup),
    );
    let deadline = Instant::now() + Duration::from_secs(120);
    let at_signal = loop {
        let now = Objects::in_aws(aws).await;
        if when.reached(&now) {
            break now;
        }
        if child.finished() {
            panic!(
                "{} ended before the moment {when:?}, with {} in AWS:\n{}",
                when.command(),
                now.counts(),
                child.wait(false).text()
            );
        }
        if Instant::now() > deadline {
            panic!(
                "{when:?} not reached in 2 minutes ({} in AWS):\n{}",
                now.counts(),
                child.wait(true).text()
            );
        }
        tokio::time::sleep(Duration::from_millis(50)).await;
    };
    how.send(child.id());
    let run = tokio::task::spawn_blocking(move || child.wait(false))
        .await
        .expect("join");
    (run, at_signal)
}

/// Import every resource the apply refused with its import id, as a user
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
        // default/interrupted-3 is job[3]; hook-b/rule-7 is rule[7].
        let (kind, name) = match id.split_once('/') {
            Some(("default", name)) => ("lambdawire_scheduled_lambda_invoker.job", name),
            Some((f, name)) if FUNCTIONS.contains(&f) => {
                ("lambdawire_lambda_invoke_permission.rule", name)
            }
            _ => panic!("an import id this configuration does not make: {id}"),
        };
        let index = name
            .rsplit_once('-')
            .map(|(_, n)| n)
            .unwrap_or_else(|| panic!("no index in the import id {id}"));
        work.import(&format!("{kind}[{index}]"), id).ok();
    }
    ids.len()
}

async fn survive(how: Interrupt, when: Moment) {
    let h = Harness::with_proxy().await;
    let (aws, proxy, work) = (&h.aws, h.proxy(), &h.work);
    let function = aws.create_function(FUNCTIONS[0]).await;
    for f in &FUNCTIONS[1..] {
        aws.create_function(f).await;
    }
    work.write(config(&function));
    if matches!(when, Moment::Destroying) {
        work.apply().ok();
    }
    proxy.add(Rule::new(Fault::Latency(Duration::from_millis(200))));

    let (run, at_signal) = interrupted(work, aws, how, when).await;
    let text = run.text();
    assert!(!text.contains("panic"), "{text}");
    let after = Objects::in_aws(aws).await;
    let recorded = Objects::in_state(work);
    // With more operations unfinished than terraform runs at once, some had
    // not started when the signal landed: the run must end without them.
    let cut_short = when.unfinished(&at_signal) > PARALLELISM + MARGIN;
    if cut_short {
        assert!(
            !when.finished(&after),
            "the {} went on to the end after the signal ({} in AWS at the signal, {} after):\n{text}",
            when.command(),
            at_signal.counts(),
            after.counts()
        );
    }
    match how {
        Interrupt::SigkillProvider => {
            assert_ne!(
                run.code,
                0,
                "a killed provider fails the {}:\n{text}",
                when.command()
            );
        }
        Interrupt::SigintTerraform | Interrupt::SigintGroup | Interrupt::SigtermProvider => {
            assert!(
                !text.contains("Plugin did not respond"),
                "an interrupt must not cut the provider off:\n{text}"
            );
            if matches!(how, Interrupt::SigtermProvider) {
                // Terraform knows nothing of the signal and goes on; the
                // provider refuses what it has not started.
                if cut_short {
                    assert!(
                        text.contains(
                            "lambdawire is stopping (SIGTERM): this operation was not started"
                        ),
                        "the provider refuses new operations after SIGTERM:\n{text}"
                    );
                }
            } else {
                assert!(
                    text.contains("Interrupt received"),
                    "terraform saw the interrupt:\n{text}"
                );
            }
            assert_eq!(
                after.without(&recorded),
                Objects::default(),
                "right after the interrupt: objects exist in AWS that state does not record"
            );
        }
    }

    proxy.clear();
    let next = work.apply();
    let mut imported = 0;
    if next.code != 0 {
        // Only a leftover that cannot be proven ours may stop the apply,
        // and then with its import id.
        imported = import_named(work, &next);
        assert!(
            imported > 0,
            "the apply after the interrupt failed without naming an import:\n{}",
            next.text()
        );
        work.apply().ok();
    }
    assert_no_orphan(aws, work, "after converging").await;
    let converged = Objects::in_aws(aws).await;
    assert_eq!(
        converged.counts(),
        format!("{INVOKERS}/{INVOKERS}/{PERMISSIONS}"),
        "every object after converging"
    );
    work.assert_no_changes();
    work.destroy().ok();
    assert_eq!(
        Objects::in_aws(aws).await,
        Objects::default(),
        "nothing left"
    );
    eprintln!(
        "interrupt survived: {}, {}: roles/schedules/statements {} in AWS at the signal, {} after \
         ({}; state {}, exit {}), {imported} imported, converged, plan empty, destroy left nothing",
        how.describe(),
        when.describe(),
        at_signal.counts(),
        after.counts(),
        if cut_short {
            "cut short"
        } else {
            "the rest may all have been under way"
        },
        recorded.counts(),
        run.code,
    );
}

/// One test per line: `name: interrupt, moment;`.
macro_rules! cases {
    ($($name:ident: $how:ident, $when:ident;)*) => {$(
        #[tokio::test(flavor = "multi_thread")]
        async fn $name() {
            survive(Interrupt::$how, Moment::$when).await;
        }
    )*};
}

cases! {
    sigint_to_terraform_early: SigintTerraform, Early;
    sigint_to_terraform_mid_apply: SigintTerraform, Middle;
    sigint_to_terraform_late: SigintTerraform, Late;
    sigint_to_terraform_mid_destroy: SigintTerraform, Destroying;
    sigint_to_the_group_early: SigintGroup, Early;
    sigint_to_the_group_mid_apply: SigintGroup, Middle;
    sigint_to_the_group_late: SigintGroup, Late;
    sigint_to_the_group_mid_destroy: SigintGroup, Destroying;
    sigterm_to_the_provider_early: SigtermProvider, Early;
    sigterm_to_the_provider_mid_apply: SigtermProvider, Middle;
    sigterm_to_the_provider_late: SigtermProvider, Late;
    sigterm_to_the_provider_mid_destroy: SigtermProvider, Destroying;
    sigkill_of_the_provider_early: SigkillProvider, Early;
    sigkill_of_the_provider_mid_apply: SigkillProvider, Middle;
    sigkill_of_the_provider_late: SigkillProvider, Late;
    sigkill_of_the_provider_mid_destroy: SigkillProvider, Destroying;
}
