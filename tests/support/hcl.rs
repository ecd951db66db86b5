//! HCL for the tests: one builder per lambdawire resource type (and the data
//! source), each starting from the arguments that type requires, so a test
//! says only what it sets on top:
//!
//! ```text
//! hcl::invoker("nightly", &function)
//!     .str("description", "changed")
//!     .block("retry_policy", |b| b.expr("maximum_retry_attempts", "0"))
//! ```
//!
//! renders `resource "lambdawire_scheduled_lambda_invoker" "this" { ... }`.
//! Setting an argument that is already there replaces its value in place;
//! `without` drops one. Arguments are written `name = value` with one space,
//! never aligned: a test that looks for a source line in a diagnostic keeps
//! that configuration as literal text, so the line it looks for is in view.

use std::fmt;

/// One top-level block (`resource` or `data`) of a configuration.
#[derive(Clone, Debug)]
pub struct Block {
    keyword: &'static str,
    type_name: &'static str,
    label: String,
    body: Body,
}

/// The arguments and nested blocks inside a block, in the order set.
#[derive(Clone, Debug, Default)]
pub struct Body {
    items: Vec<Item>,
}

#[derive(Clone, Debug)]
enum Item {
    /// `name = expression`.
    Argument(String, String),
    /// `name { ... }`; a name may repeat (`statement` blocks).
    Block(String, Body),
}

impl Body {
    /// `name = "value"`: `value` goes between the quotes as it is, so an
    /// interpolation such as `${count.index}` stays one.
    pub fn str(self, name: &str, value: &str) -> Body {
        self.expr(name, &format!("\"{value}\""))
    }

    /// `name = expression`, the expression written as given (a number, a
    /// reference, `jsonencode(...)`, a list).
    pub fn expr(mut self, name: &str, expression: &str) -> Body {
        let existing = self
            .items
            .iter_mut()
            .find(|item| matches!(item, Item::Argument(n, _) if n == name));
        match existing {
            Some(Item::Argument(_, value)) => *value = expression.to_string(),
            _ => self
                .items
                .push(Item::Argument(name.into(), expression.into())),
        }
        self
    }

    /// A nested block `name { ... }`, its body built by `build`.
    pub fn block(mut self, name: &str, build: impl FnOnce(Body) -> Body) -> Body {
        self.items
            .push(Item::Block(name.into(), build(Body::default())));
        self
    }

    /// Without the argument or the nested blocks called `name`.
    pub fn without(mut self, name: &str) -> Body {
        self.items.retain(|item| match item {
            Item::Argument(n, _) | Item::Block(n, _) => n != name,
        });
        self
    }

    fn render(&self, out: &mut String, indent: usize) {
        let pad = " ".repeat(indent);
        for item in &self.items {
            match item {
                Item::Argument(name, value) => out.push_str(&format!("{pad}{name} = {value}\n")),
                Item::Block(name, body) => {
                    out.push_str(&format!("{pad}{name} {{\n"));
                    body.render(out, indent + 2);
                    out.push_str(&format!("{pad}}}\n"));
                }
            }
        }
    }
}

impl Block {
    fn new(keyword: &'static str, type_name: &'static str, label: &str) -> Block {
        Block {
            keyword,
            type_name,
            label: label.to_string(),
            body: Body::default(),
        }
    }

    /// Another local name: `resource "<type>" "<label>"`.
    pub fn label(mut self, label: &str) -> Block {
        self.label = label.to_string();
        self
    }

    /// `type.label`, as `terraform state` and `show -json` name it.
    pub fn address(&self) -> String {
        format!("{}.{}", self.type_name, self.label)
    }

    /// See [`Body::str`].
    pub fn str(mut self, name: &str, value: &str) -> Block {
        self.body = self.body.str(name, value);
        self
    }

    /// See [`Body::expr`].
    pub fn expr(mut self, name: &str, expression: &str) -> Block {
        self.body = self.body.expr(name, expression);
        self
    }

    /// See [`Body::block`].
    pub fn block(mut self, name: &str, build: impl FnOnce(Body) -> Body) -> Block {
        self.body = self.body.block(name, build);
        self
    }

    /// See [`Body::without`].
    pub fn without(mut self, name: &str) -> Block {
        self.body = self.body.without(name);
        self
    }

    /// `role { name = "<name>" }`, which every role-bearing type takes.
    pub fn role_name(self, name: &str) -> Block {
        self.block("role", |role| role.str("name", name))
    }

    /// The block as configuration text.
    pub fn render(&self) -> String {
        self.to_string()
    }
}

impl fmt::Display for Block {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let mut body = String::new();
        self.body.render(&mut body, 2);
        write!(
            f,
            "{} \"{}\" \"{}\" {{\n{body}}}\n",
            self.keyword, self.type_name, self.label
        )
    }
}

/// An HCL list of strings: `["a", "b"]`.
pub fn list(items: &[&str]) -> String {
    let quoted: Vec<String> = items.iter().map(|i| format!("\"{i}\"")).collect();
    format!("[{}]", quoted.join(", "))
}

/// `lambdawire_scheduled_lambda_invoker.this`: `name`, `function_arn` and
/// an hourly `schedule_expression`.
pub fn invoker(name: &str, function_arn: &str) -> Block {
    Block::new("resource", "lambdawire_scheduled_lambda_invoker", "this")
        .str("name", name)
        .str("function_arn", function_arn)
        .str("schedule_expression", "rate(1 hour)")
}

/// `lambdawire_lambda_invoke_permission.<label>` on `function_name` with
/// `statement_id`; the grant's principal and scope are the test's.
pub fn permission(label: &str, function_name: &str, statement_id: &str) -> Block {
    Block::new("resource", "lambdawire_lambda_invoke_permission", label)
        .str("function_name", function_name)
        .str("statement_id", statement_id)
}

/// `lambdawire_function_url_access.url` on `function_name`.
pub fn function_url_access(function_name: &str) -> Block {
    Block::new("resource", "lambdawire_function_url_access", "url")
        .str("function_name", function_name)
}

/// `lambdawire_sqs_event_source.orders`: `function_name` reads `queue_arn`.
pub fn sqs_event_source(function_name: &str, queue_arn: &str) -> Block {
    Block::new("resource", "lambdawire_sqs_event_source", "orders")
        .str("function_name", function_name)
        .str("queue_arn", queue_arn)
}

/// `lambdawire_scheduler_invoke_role.this` for `function_arns`.
pub fn scheduler_invoke_role(function_arns: &[&str]) -> Block {
    Block::new("resource", "lambdawire_scheduler_invoke_role", "this")
        .expr("function_arns", &list(function_arns))
}

/// `lambdawire_lambda_execution_role.this` for `function_name`.
pub fn execution_role(function_name: &str) -> Block {
    Block::new("resource", "lambdawire_lambda_execution_role", "this")
        .str("function_name", function_name)
}

/// `lambdawire_cross_account_invoker_role.partner` for `function_arns`.
pub fn cross_account_role(function_arns: &[&str]) -> Block {
    Block::new(
        "resource",
        "lambdawire_cross_account_invoker_role",
        "partner",
    )
    .expr("function_arns", &list(function_arns))
}

/// `data "lambdawire_lambda_function_policy" "<label>"` of `function_name`.
pub fn function_policy(label: &str, function_name: &str) -> Block {
    Block::new("data", "lambdawire_lambda_function_policy", label)
        .str("function_name", function_name)
}

/// `lambdawire_sns_trigger.alerts`: `function_name` subscribed to `topic_arn`.
pub fn sns_trigger(function_name: &str, topic_arn: &str) -> Block {
    Block::new("resource", "lambdawire_sns_trigger", "alerts")
        .str("function_name", function_name)
        .str("topic_arn", topic_arn)
}

/// `lambdawire_s3_trigger.<label>`: `function_name` invoked for every
/// object created in `bucket`.
pub fn s3_trigger(label: &str, bucket: &str, function_name: &str) -> Block {
    Block::new("resource", "lambdawire_s3_trigger", label)
        .str("bucket", bucket)
        .str("function_name", function_name)
        .expr("events", &list(&["s3:ObjectCreated:*"]))
}

/// `lambdawire_eventbridge_trigger.this`: rule `name` invoking
/// `function_name` for events of source `shop`.
pub fn eventbridge_trigger(name: &str, function_name: &str) -> Block {
    Block::new("resource", "lambdawire_eventbridge_trigger", "this")
        .str("name", name)
        .str("function_name", function_name)
        .expr("event_pattern", r#"jsonencode({ source = ["shop"] })"#)
}
