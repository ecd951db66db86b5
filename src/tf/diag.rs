//! Diagnostics with attribute paths. Validation code is pure and returns
//! [`Problem`]s; resources turn them into Terraform diagnostics here.

use tf_provider::{AttributePath, Diagnostics};

/// One validation failure: where, a one-line summary, and what is allowed.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Problem {
    pub path: AttributePath,
    pub summary: String,
    pub detail: String,
}

impl Problem {
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
