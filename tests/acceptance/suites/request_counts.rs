//! How many AWS calls each resource makes per phase: every call is counted
//! at the fault proxy (no rule is set, so each is forwarded to moto), and
//! the provider's own log line per answered call (`TF_LOG_PROVIDER=DEBUG`)
//! gives each answer's status. The budgets are issue 11's: an invoker
//! refresh makes at most 3 reads (1 with `existing_role_arn`), a create its
//! 3 writes and at most 2 reads with no answer in the 4xx range, a delete 3
//! writes; a permission 1 write and at most 1 read (a create needs none).
//! The account lookup (STS GetCallerIdentity) is the provider's, at most
//! once per provider process that Terraform configures.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use crate::support::hcl;
use crate::support::{Harness, Run};

/// One terraform command: its calls by `service:Operation`, the calls
/// answered 4xx, and how many provider processes it configured.
struct Phase {
    run: Run,
    calls: BTreeMap<String, usize>,
    answered: usize,
    refused: Vec<String>,
    configured: usize,
}

impl Phase {
    /// The calls of one service, or of every service but STS.
    fn of(&self, service: &str) -> BTreeMap<String, usize> {
        self.calls
            .iter()
            .filter(|(op, _)| op.split(':').next() == Some(service))
            .map(|(op, n)| (op.clone(), *n))
            .collect()
    }

    fn total(&self) -> usize {
        self.calls.values().sum()
    }

    #[track_caller]
    fn assert_account_lookups_bounded(&self) {
        let lookups = self
            .calls
            .get("sts:GetCallerIdentity")
            .copied()
            .unwrap_or(0);
        assert!(
            self.configured >= 1 && lookups <= self.configured,
            "{lookups} GetCallerIdentity for {} configured provider processes",
            self.configured
        );
    }

    /// Refusals only of the kinds `expected` names (such as `GetPolicy 404`,
    /// the plan's look at a function that has no policy yet).
    #[track_caller]
    fn assert_refused_only(&self, expected: &[&str]) {
        assert!(
            self.refused.iter().all(|r| expected.contains(&r.as_str())),
            "calls answered 4xx: {:?}",
            self.refused
        );
        assert_eq!(self.answered, self.total(), "calls: {:?}", self.calls);
    }

    #[track_caller]
    fn assert_nothing_refused(&self) {
        assert!(
            self.refused.is_empty(),
            "calls answered 4xx: {:?}",
            self.refused
        );
        // Every call the proxy saw was answered and logged, so the check
        // above covered all of them.
        assert_eq!(self.answered, self.total(), "calls: {:?}", self.calls);
    }
}

/// A harness whose working directory logs the provider's answered calls.
struct Counter {
    h: Harness,
    log: PathBuf,
}

impl Counter {
    async fn new() -> Counter {
        let mut h = Harness::with_proxy().await;
        let log = h.work.path().join("provider.log");
        h.work.set_env("TF_LOG_PROVIDER", "DEBUG");
        h.work.set_env("TF_LOG_PATH", &log.display().to_string());
        Counter { h, log }
    }

    fn phase(&self, args: &[&str]) -> Phase {
        let _ = std::fs::remove_file(&self.log);
        let start = self.h.proxy().calls().len();
        let run = self.h.work.terraform(args);
        let mut calls = BTreeMap::new();
        for call in &self.h.proxy().calls()[start..] {
            *calls
                .entry(format!("{}:{}", call.service, call.operation))
                .or_insert(0) += 1;
        }
        let (answered, refused, configured) = answers(&self.log);
        Phase {
            run,
            calls,
            answered,
            refused,
            configured,
        }
    }

    fn apply(&self) -> Phase {
        let phase = self.phase(&["apply", "-auto-approve", "-input=false", "-no-color"]);
        assert_eq!(phase.run.code, 0, "apply:\n{}", phase.run.text());
        phase
    }

    fn plan(&self) -> Phase {
        let phase = self.phase(&["plan", "-detailed-exitcode", "-input=false", "-no-color"]);
        assert_eq!(phase.run.code, 0, "no-change plan:\n{}", phase.run.text());
        phase
    }

    fn destroy(&self) -> Phase {
        let phase = self.phase(&["destroy", "-auto-approve", "-input=false", "-no-color"]);
        assert_eq!(phase.run.code, 0, "destroy:\n{}", phase.run.text());
        phase
    }
}

/// From the provider log of one command: the calls answered, those answered
/// 4xx (as `operation status`), and the provider processes configured.
fn answers(log: &Path) -> (usize, Vec<String>, usize) {
    let text = std::fs::read_to_string(log).unwrap_or_default();
    let field = |line: &str, name: &str| {
        line.split_whitespace()
            .find_map(|word| word.strip_prefix(&format!("{name}=")))
            .map(|v| v.trim_matches('"').to_string())
    };
    let mut answered = 0;
    let mut refused = Vec::new();
    for line in text.lines().filter(|l| l.contains("AWS call answered")) {
        answered += 1;
        let status = field(line, "status").unwrap_or_default();
        if status.starts_with('4') {
            refused.push(format!(
                "{} {status}",
                field(line, "operation").unwrap_or_default()
            ));
        }
    }
    let configured = text
        .lines()
        .filter(|l| l.contains("configuring provider"))
        .count();
    (answered, refused, configured)
}

fn counts(pairs: &[(&str, usize)]) -> BTreeMap<String, usize> {
    pairs.iter().map(|(op, n)| (op.to_string(), *n)).collect()
}

#[tokio::test(flavor = "multi_thread")]
async fn invoker_calls_per_phase_stay_within_budget() {
    let counter = Counter::new().await;
    let aws = &counter.h.aws;
    let function = aws.create_function("counted").await;
    let own_role = aws
        .create_user_role(
            "counted-own-role",
            "invoke",
            &format!(
                r#"{{"Version":"2012-10-17","Statement":[{{"Effect":"Allow","Action":"lambda:InvokeFunction","Resource":"{function}"}}]}}"#
            ),
        )
        .await;
    // Three invokers with their managed role, one with its own role.
    counter.h.work.write(format!(
        "{}\n{}",
        hcl::invoker("counted-${count.index}", &function)
            .label("managed")
            .expr("count", "3"),
        hcl::invoker("counted-own", &function)
            .label("own_role")
            .str("existing_role_arn", &own_role),
    ));

    // Create: CreateRole, PutRolePolicy, CreateSchedule and the read-back
    // GetSchedule for a managed invoker (3 writes, 1 read); CreateSchedule
    // and GetSchedule with its own role. No call is expected to fail.
    let apply = counter.apply();
    apply.assert_nothing_refused();
    apply.assert_account_lookups_bounded();
    assert_eq!(
        apply.of("iam"),
        counts(&[("iam:CreateRole", 3), ("iam:PutRolePolicy", 3)])
    );
    assert_eq!(
        apply.of("scheduler"),
        counts(&[
            ("scheduler:CreateSchedule", 4),
            ("scheduler:GetSchedule", 4)
        ])
    );

    // Refresh: GetSchedule, GetRole and GetRolePolicy for a managed
    // invoker, GetSchedule alone with its own role.
    let plan = counter.plan();
    plan.assert_nothing_refused();
    plan.assert_account_lookups_bounded();
    assert_eq!(
        plan.of("iam"),
        counts(&[("iam:GetRole", 3), ("iam:GetRolePolicy", 3)])
    );
    assert_eq!(
        plan.of("scheduler"),
        counts(&[("scheduler:GetSchedule", 4)])
    );

    // Destroy: the refresh, then DeleteSchedule, a GetRole, DeleteRolePolicy
    // and DeleteRole for a managed invoker (its policies are listed only
    // when DeleteRole reports a conflict), DeleteSchedule with its own role.
    // The GetRole before the delete is the owner-tag check the spec asks
    // for ("Ownership": state can be edited by hand, so a role is deleted
    // only while it carries this resource's tag): one read more per
    // managed role than before that rule, the price of never deleting a
    // role on the word of a state file.
    let destroy = counter.destroy();
    destroy.assert_nothing_refused();
    destroy.assert_account_lookups_bounded();
    assert_eq!(
        destroy.of("iam"),
        counts(&[
            ("iam:DeleteRole", 3),
            ("iam:DeleteRolePolicy", 3),
            ("iam:GetRole", 6),
            ("iam:GetRolePolicy", 3),
        ])
    );
    assert_eq!(
        destroy.of("scheduler"),
        counts(&[
            ("scheduler:DeleteSchedule", 4),
            ("scheduler:GetSchedule", 4)
        ])
    );
    assert!(aws.role_exists("counted-own-role").await, "own role kept");
    assert!(aws.schedule_names().await.is_empty());
}

#[tokio::test(flavor = "multi_thread")]
async fn permission_calls_per_phase_stay_within_budget() {
    let counter = Counter::new().await;
    let aws = &counter.h.aws;
    aws.create_function("counted").await;
    counter.h.work.write(
        hcl::permission("topic", "counted", "topic-${count.index}")
            .expr("count", "3")
            .str(
                "source_arn",
                "arn:aws:sns:us-east-1:123456789012:topic-${count.index}",
            ),
    );

    // Create: AddPermission alone each; its answer holds the statement as
    // stored, which is the read-back. Before it, the plan's checks (the
    // function exists, the ids are free: the policy is still empty, so 404)
    // read once for all three, in each of the two walks of `apply` (plan,
    // then the plan again at apply).
    let apply = counter.apply();
    apply.assert_refused_only(&["GetPolicy 404"]);
    apply.assert_account_lookups_bounded();
    let lambda = apply.of("lambda");
    assert_eq!(lambda.get("lambda:AddPermission"), Some(&3), "{lambda:?}");
    for read in ["lambda:GetFunctionConfiguration", "lambda:GetPolicy"] {
        let n = lambda.get(read).copied().unwrap_or(0);
        assert!((1..=2).contains(&n), "{read}: {lambda:?}");
    }
    assert_eq!(lambda.len(), 3, "no other Lambda call: {lambda:?}");

    // Refresh: the three reads of one function's policy share one GetPolicy.
    let plan = counter.plan();
    plan.assert_nothing_refused();
    plan.assert_account_lookups_bounded();
    assert_eq!(plan.of("lambda"), counts(&[("lambda:GetPolicy", 1)]));

    // Destroy: the shared refresh read (which also sees whether an
    // interrupted update left a temporary statement), then RemovePermission
    // each, with no look of its own.
    let destroy = counter.destroy();
    destroy.assert_nothing_refused();
    destroy.assert_account_lookups_bounded();
    let lambda = destroy.of("lambda");
    assert_eq!(
        lambda.get("lambda:RemovePermission"),
        Some(&3),
        "{lambda:?}"
    );
    assert_eq!(lambda.get("lambda:GetPolicy"), Some(&1), "{lambda:?}");
    assert_eq!(lambda.len(), 2, "no other Lambda call: {lambda:?}");
    assert_eq!(aws.statement_count("counted").await, 0);
}
