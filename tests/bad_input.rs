//! The hostile-input corpus (issue 9 point 5): every file under
//! `tests/bad_input/` is one invalid configuration, breaking one rule, with
//! what Terraform must say about it in its header:
//!
//! ```text
//! # path: role.name                 the attribute the diagnostic is on
//! # expect: invalid role.name       a fragment of the diagnostic (summary or
//! # expect: contains '"'            detail); every one must appear, in one
//! #                                 diagnostic, whitespace-insensitively
//! # command: plan                   validate or plan
//! # line: resource "..." "bad"      optional: the source text Terraform shows
//! #                                 when the attribute is absent from the
//! #                                 configuration (its block, then)
//! # note: ...                       optional: why the case exists
//! ```
//!
//! Each case runs through real `terraform` against the fault proxy in front
//! of moto and must fail, with the fragments and the attribute's source line
//! in one diagnostic, and without a single mutating AWS call. A case with its
//! own `provider "lambdawire"` block writes `__ENDPOINT__` for the proxy's
//! URL; the others get the harness's provider block. A new rule is a new
//! file: nothing here lists the cases.

mod support;

use std::path::{Path, PathBuf};

use support::Harness;

/// The least the corpus holds (the issue asks for 80).
const MIN_CASES: usize = 80;

#[derive(Debug)]
struct Case {
    file: String,
    path: String,
    expect: Vec<String>,
    command: String,
    line: Option<String>,
    body: String,
}

fn corpus_dir() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/bad_input")
}

/// Every case file, by name, each header checked.
fn corpus() -> Vec<Case> {
    let mut files: Vec<PathBuf> = std::fs::read_dir(corpus_dir())
        .expect("tests/bad_input")
        .map(|entry| entry.expect("directory entry").path())
        .filter(|path| path.extension().is_some_and(|e| e == "tf"))
        .collect();
    files.sort();
    files.iter().map(|path| parse_case(path)).collect()
}

fn parse_case(path: &Path) -> Case {
    let file = path
        .file_name()
        .and_then(|n| n.to_str())
        .expect("UTF-8 file name")
        .to_string();
    let body = std::fs::read_to_string(path).unwrap_or_else(|e| panic!("{file}: {e}"));
    let (mut case_path, mut expect, mut command, mut line) = (None, Vec::new(), None, None);
    for header in body.lines().map_while(|l| l.strip_prefix("# ")) {
        let Some((key, value)) = header.split_once(": ") else {
            panic!("{file}: header line {header:?} is not `# key: value`");
        };
        let value = value.to_string();
        match key {
            "path" => case_path = Some(value),
            "expect" => expect.push(value),
            "command" => command = Some(value),
            "line" => line = Some(value),
            "note" => {}
            other => panic!("{file}: unknown header {other:?}"),
        }
    }
    let command = command.unwrap_or_else(|| panic!("{file}: no `# command:` header"));
    assert!(
        command == "validate" || command == "plan",
        "{file}: command is validate or plan, not {command:?}"
    );
    assert!(!expect.is_empty(), "{file}: no `# expect:` header");
    Case {
        path: case_path.unwrap_or_else(|| panic!("{file}: no `# path:` header")),
        file,
        expect,
        command,
        line,
        body,
    }
}

/// What the source line Terraform prints under the diagnostic starts with:
/// the attribute the path ends in (`role.name` -> `name`, list indexes
/// skipped), or the map key (`role.tags["team"]` -> `"team"` or `team`).
fn source_needles(case: &Case) -> Vec<String> {
    if let Some(line) = &case.line {
        return vec![line.clone()];
    }
    let mut path = case.path.as_str();
    while let Some(rest) = path
        .strip_suffix(']')
        .and_then(|p| p.rsplit_once('['))
        .filter(|(_, index)| index.bytes().all(|b| b.is_ascii_digit()))
    {
        path = rest.0;
    }
    if let Some(key) = path
        .strip_suffix("\"]")
        .and_then(|p| p.rsplit_once("[\""))
        .map(|(_, key)| key)
    {
        return vec![format!("\"{key}\""), key.to_string()];
    }
    vec![path.rsplit('.').next().unwrap_or(path).to_string()]
}

fn squeeze(text: &str) -> String {
    text.split_whitespace().collect::<Vec<_>>().join(" ")
}

/// The source lines (`  23:   name = "x"`) Terraform shows in a diagnostic.
fn source_lines(diagnostic: &str) -> Vec<&str> {
    diagnostic
        .lines()
        .filter_map(|line| {
            let (number, text) = line.trim_start().split_once(": ")?;
            number.bytes().all(|b| b.is_ascii_digit()).then_some(text)
        })
        .collect()
}

/// Why the run does not show the case's diagnostic, or `None` when it does.
fn missing_diagnostic(case: &Case, stderr: &str) -> Option<String> {
    let needles = source_needles(case);
    let on_attribute = |diagnostic: &str| {
        source_lines(diagnostic).iter().any(|text| {
            needles.iter().any(|needle| {
                text.trim_start()
                    .strip_prefix(needle.as_str())
                    .is_some_and(|rest| {
                        case.line.is_some() || rest.trim_start().starts_with(['=', '{'])
                    })
            })
        })
    };
    let diagnostics: Vec<&str> = stderr.split("Error: ").skip(1).collect();
    let with_text: Vec<&&str> = diagnostics
        .iter()
        .filter(|d| case.expect.iter().all(|e| squeeze(d).contains(&squeeze(e))))
        .collect();
    if with_text.is_empty() {
        return Some(format!("no diagnostic says all of {:?}", case.expect));
    }
    if !with_text.iter().any(|d| on_attribute(d)) {
        return Some(format!(
            "the diagnostic does not show the source line of {} (starting with one of {needles:?})",
            case.path
        ));
    }
    None
}

/// Reads are how the provider plans (GetCallerIdentity, GetPolicy, ...);
/// anything else changes AWS.
fn is_mutating(operation: &str) -> bool {
    !(operation.starts_with("Get") || operation.starts_with("List"))
}

#[test]
fn corpus_is_complete() {
    let cases = corpus();
    assert!(
        cases.len() >= MIN_CASES,
        "only {} cases in tests/bad_input (at least {MIN_CASES})",
        cases.len()
    );
    let mut numbers = std::collections::BTreeSet::new();
    for case in &cases {
        let (number, slug) = case
            .file
            .strip_suffix(".tf")
            .and_then(|stem| stem.split_once('-'))
            .unwrap_or_else(|| panic!("{}: name is <NN>-<slug>.tf", case.file));
        assert!(
            number.bytes().all(|b| b.is_ascii_digit()) && !slug.is_empty(),
            "{}: name is <NN>-<slug>.tf",
            case.file
        );
        assert!(
            numbers.insert(number.to_string()),
            "{}: number reused",
            case.file
        );
    }
    // Every type the provider serves (docs/ is generated from its schema and
    // kept in sync by tests/docs.rs) has at least one bad input.
    let docs = Path::new(env!("CARGO_MANIFEST_DIR")).join("docs");
    for (dir, block) in [
        ("resources", "resource \"lambdawire_"),
        ("data-sources", "data \"lambdawire_"),
        ("functions", "provider::lambdawire::"),
    ] {
        for entry in std::fs::read_dir(docs.join(dir)).expect("docs") {
            let path = entry.expect("docs entry").path();
            let name = path.file_stem().and_then(|s| s.to_str()).expect("doc name");
            let used = format!("{block}{name}");
            assert!(
                cases.iter().any(|c| c.body.contains(&used)),
                "no case in tests/bad_input uses {used}: add one per argument rule"
            );
        }
    }
    assert!(
        cases
            .iter()
            .any(|c| c.body.contains("provider \"lambdawire\"")),
        "no case covers the provider's arguments"
    );
}

#[tokio::test(flavor = "multi_thread")]
async fn every_bad_input_is_refused_before_any_aws_write() {
    let mut h = Harness::with_proxy().await;
    // A case that sets its own endpoints badly must still not reach AWS.
    let endpoint = h.endpoint();
    h.work.set_env("AWS_ENDPOINT_URL", &endpoint);
    let (proxy, work) = (h.proxy(), &h.work);
    let header = work
        .provider_block()
        .split("provider \"lambdawire\"")
        .next()
        .expect("terraform block")
        .to_string();
    let cases = corpus();
    let mut failures = Vec::new();
    for case in &cases {
        let before = proxy.calls().len();
        let main = if case.body.contains("provider \"lambdawire\"") {
            format!(
                "{header}\n{}",
                case.body.replace("__ENDPOINT__", &proxy.url())
            )
        } else {
            format!("{}\n{}", work.provider_block(), case.body)
        };
        std::fs::write(work.path().join("main.tf"), main).expect("write main.tf");
        let run = match case.command.as_str() {
            "validate" => work.terraform(&["validate", "-no-color"]),
            _ => work.terraform(&["plan", "-input=false", "-no-color"]),
        };
        let writes: Vec<String> = proxy.calls()[before..]
            .iter()
            .filter(|c| is_mutating(&c.operation))
            .map(|c| format!("{}:{}", c.service, c.operation))
            .collect();
        let problem = if run.code == 0 {
            Some("terraform accepted it".to_string())
        } else if run.stderr.contains("panic") || run.stderr.contains("Plugin did not respond") {
            Some("the provider crashed".to_string())
        } else if !writes.is_empty() {
            Some(format!("mutating AWS calls: {writes:?}"))
        } else {
            missing_diagnostic(case, &run.stderr)
        };
        if let Some(problem) = problem {
            failures.push(format!("{}: {problem}\n{}", case.file, run.text()));
        }
    }
    println!(
        "bad inputs rejected: {} of {}",
        cases.len() - failures.len(),
        cases.len()
    );
    assert!(failures.is_empty(), "\n{}", failures.join("\n\n"));
}
