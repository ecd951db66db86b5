//! Diagnostics with attribute paths. Validation code is pure and returns
//! [`Problem`]s; the layer turns them into Terraform diagnostics, so that
//! every error points at the line of configuration it is about.

use std::fmt;

/// One step into a value: an attribute, a list index or a map key.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Step {
    /// An object attribute or block, by name.
    Attribute(String),
    /// A list element, from 0 (a list block's item, too).
    Index(i64),
    /// A map element, by key.
    Key(String),
}

/// Where in a configuration a diagnostic points.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct AttributePath {
    /// From the top-level attribute inward.
    pub steps: Vec<Step>,
}

impl AttributePath {
    /// A path to a top-level attribute.
    pub fn new(attribute: impl Into<String>) -> Self {
        AttributePath {
            steps: vec![Step::Attribute(attribute.into())],
        }
    }

    /// The path one attribute deeper.
    pub fn attribute(mut self, name: impl Into<String>) -> Self {
        self.steps.push(Step::Attribute(name.into()));
        self
    }

    /// The path into element `index` (from 0) of this list.
    pub fn index(mut self, index: i64) -> Self {
        self.steps.push(Step::Index(index));
        self
    }

    /// The path into the element `key` of this map.
    pub fn key(mut self, key: impl Into<String>) -> Self {
        self.steps.push(Step::Key(key.into()));
        self
    }
}

/// As users read it: `role[0].name`, `tags["team"]`.
impl fmt::Display for AttributePath {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        for (i, step) in self.steps.iter().enumerate() {
            match step {
                Step::Attribute(name) if i == 0 => f.write_str(name)?,
                Step::Attribute(name) => write!(f, ".{name}")?,
                Step::Index(index) => write!(f, "[{index}]")?,
                Step::Key(key) => write!(f, "[{key:?}]")?,
            }
        }
        Ok(())
    }
}

/// Whether Terraform stops (`Error`) or goes on and shows it (`Warning`).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Severity {
    /// Terraform fails the operation.
    Error,
    /// Terraform shows it and goes on.
    Warning,
}

/// One diagnostic: a summary line, what is allowed or what to do, and where.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Diagnostic {
    /// Matches the list of [`Diagnostics`] that holds it.
    pub severity: Severity,
    /// One line, which Terraform shows after `Error:` or `Warning:`.
    pub summary: String,
    /// What is allowed, or what to do about it.
    pub detail: String,
    /// The attribute it is about; `None` for the resource as a whole.
    pub path: Option<AttributePath>,
    /// For provider functions: the argument the error is about.
    pub function_argument: Option<i64>,
}

/// The diagnostics of one RPC.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Diagnostics {
    /// Every error, in the order reported; any one fails the operation.
    pub errors: Vec<Diagnostic>,
    /// Every warning, in the order reported.
    pub warnings: Vec<Diagnostic>,
}

impl Diagnostics {
    fn push(
        &mut self,
        severity: Severity,
        summary: String,
        detail: String,
        path: Option<AttributePath>,
    ) {
        let diagnostic = Diagnostic {
            severity,
            summary,
            detail,
            path,
            function_argument: None,
        };
        match severity {
            Severity::Error => self.errors.push(diagnostic),
            Severity::Warning => self.warnings.push(diagnostic),
        }
    }

    /// An error about one attribute.
    pub fn error(
        &mut self,
        summary: impl Into<String>,
        detail: impl Into<String>,
        path: AttributePath,
    ) {
        self.push(Severity::Error, summary.into(), detail.into(), Some(path));
    }

    /// An error about the resource as a whole (AWS failures, say).
    pub fn root_error(&mut self, summary: impl Into<String>, detail: impl Into<String>) {
        self.push(Severity::Error, summary.into(), detail.into(), None);
    }

    /// A warning about the resource as a whole: Terraform shows it and goes on.
    pub fn warning(&mut self, summary: impl Into<String>, detail: impl Into<String>) {
        self.push(Severity::Warning, summary.into(), detail.into(), None);
    }

    /// A warning about one attribute.
    pub fn warning_at(&mut self, problem: Problem) {
        self.push(
            Severity::Warning,
            problem.summary,
            problem.detail,
            Some(problem.path),
        );
    }

    /// An error in a provider function's argument `index` (from 0).
    pub fn function_error(&mut self, index: i64, text: impl Into<String>) {
        let text = text.into();
        self.errors.push(Diagnostic {
            severity: Severity::Error,
            summary: text.clone(),
            detail: text,
            path: None,
            function_argument: Some(index),
        });
    }

    /// Whether any error was reported: the operation has failed.
    pub fn has_errors(&self) -> bool {
        !self.errors.is_empty()
    }

    /// Append `other`'s errors and warnings after these.
    pub fn extend(&mut self, other: Diagnostics) {
        self.errors.extend(other.errors);
        self.warnings.extend(other.warnings);
    }

    /// Every diagnostic, errors first.
    pub fn all(&self) -> impl Iterator<Item = &Diagnostic> {
        self.errors.iter().chain(&self.warnings)
    }
}

/// One validation failure: where, a one-line summary, and what is allowed.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Problem {
    /// The attribute it is about.
    pub path: AttributePath,
    /// One line: what is wrong.
    pub summary: String,
    /// What is allowed, or what to do about it.
    pub detail: String,
}

impl Problem {
    /// A problem at `path`: nested attributes and list elements have one.
    pub fn new(path: AttributePath, summary: impl Into<String>, detail: impl Into<String>) -> Self {
        Problem {
            path,
            summary: summary.into(),
            detail: detail.into(),
        }
    }

    /// A problem on a top-level attribute.
    pub fn at(
        attribute: &'static str,
        summary: impl Into<String>,
        detail: impl Into<String>,
    ) -> Self {
        Self::new(AttributePath::new(attribute), summary, detail)
    }

    /// The path as users read it (`role[0].name`), for tests and logs.
    pub fn path_text(&self) -> String {
        self.path.to_string()
    }
}

/// Add every problem as an error; true when there was none.
pub fn report(diags: &mut Diagnostics, problems: Vec<Problem>) -> bool {
    let clean = problems.is_empty();
    for problem in problems {
        diags.error(problem.summary, problem.detail, problem.path);
    }
    clean
}

/// Path of an attribute inside the single item of a list block.
pub fn in_block(block: &'static str, attribute: &'static str) -> AttributePath {
    AttributePath::new(block).index(0).attribute(attribute)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn paths_read_as_in_configuration() {
        let path = AttributePath::new("role")
            .index(0)
            .attribute("tags")
            .key("team");
        assert_eq!(path.to_string(), "role[0].tags[\"team\"]");
        assert_eq!(
            in_block("timeouts", "create").to_string(),
            "timeouts[0].create"
        );
    }

    #[test]
    fn report_adds_one_error_per_problem_with_its_path() {
        let mut diags = Diagnostics::default();
        assert!(report(&mut diags, vec![]));
        let clean = report(
            &mut diags,
            vec![
                Problem::at("name", "bad name", "use letters"),
                Problem::at("input", "bad input", "JSON"),
            ],
        );
        assert!(!clean);
        assert_eq!(diags.errors.len(), 2);
        assert_eq!(diags.errors[1].path, Some(AttributePath::new("input")));
    }
}
