//! Managed resources, one module each. Every module keeps its pure logic
//! (validate, plan, expand/flatten) apart from the AWS steps.

pub mod adapter;
pub mod eventbridge_trigger;
pub mod function_url_access;
#[cfg(test)]
mod grants_agree;
pub mod lambda_invoke_permission;
pub mod managed_role;
pub mod plan_checks;
pub mod role_resource;
pub mod s3_trigger;
pub mod scheduled_lambda_invoker;
pub mod sns_trigger;
pub mod sqs_event_source;
pub mod statement;
pub mod steps;
pub mod timeouts;

use std::collections::BTreeMap;
use std::sync::Arc;

use chrono::{DateTime, Utc};

use crate::lambda::function_ref::parse_function_ref;
use crate::plugin::resource::DynResource;
use crate::plugin::{known, AttributePath, Problem, Str, StrList, Value};
use crate::shared::Shared;
use adapter::Adapter;
use role_resource::cross_account_role::CrossAccountInvokerRole;
use role_resource::execution_role::LambdaExecutionRole;
use role_resource::scheduler_role::SchedulerInvokeRole;
use role_resource::RoleResource;

/// Facts from the provider that plans depend on. Each is `None` while it
/// is not known: the provider configuration is unknown (all of them), or
/// `skip_requesting_account_id` is set without `account_id` (the account,
/// where a resource can do without it). Plans make what depends on a `None`
/// unknown, never a guess.
#[derive(Clone, Debug, Default)]
pub struct PlanContext {
    /// The provider's partition (`aws`, `aws-cn`, ...), from its region.
    pub partition: Option<String>,
    /// The region every client calls.
    pub region: Option<String>,
    /// The provider's account: its `account_id`, or STS's answer.
    pub account_id: Option<String>,
    /// The provider's `default_tags`, which every managed role carries.
    pub default_tags: Option<BTreeMap<String, String>>,
    /// When the plan is made: an `at()` expression before it never runs.
    pub now: DateTime<Utc>,
}

impl PlanContext {
    /// Partition and region together, as ARNs need them.
    pub fn place(&self) -> Option<(&str, &str)> {
        Some((self.partition.as_deref()?, self.region.as_deref()?))
    }
}

/// Whether a resource's plan needs the provider's account.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum NeedsAccount {
    /// The plan fails when the provider's account is not known.
    Yes,
    /// The account is not looked up for the plan.
    No,
}

/// Whether naming this function needs the provider's account: unless it
/// is named by an ARN with its own account (that account is the
/// function's, which is all the ARN says), a bare name and an ARN of the
/// same function can only be told apart with it (after import, say). A
/// name still unknown may turn out to be such an ARN (it often comes from
/// `aws_lambda_function.x.arn`): it does not fail the plan, and the plan
/// Terraform makes again during apply, before any call, decides. No
/// configuration (an import) needs none.
pub fn function_needs_account(function_name: Option<&Str>) -> NeedsAccount {
    let Some(name) = function_name.and_then(known) else {
        return NeedsAccount::No;
    };
    match parse_function_ref(name).ok().and_then(|r| r.account_id) {
        Some(_) => NeedsAccount::No,
        None => NeedsAccount::Yes,
    }
}

/// Every resource type, each behind the one [`Adapter`].
pub fn all(shared: &Arc<Shared>) -> Vec<Box<dyn DynResource>> {
    vec![
        Adapter::boxed(shared, scheduled_lambda_invoker::ScheduledLambdaInvoker),
        Adapter::boxed(shared, lambda_invoke_permission::LambdaInvokePermission),
        Adapter::boxed(shared, function_url_access::FunctionUrlAccess),
        Adapter::boxed(shared, RoleResource::<LambdaExecutionRole>::default()),
        Adapter::boxed(shared, RoleResource::<SchedulerInvokeRole>::default()),
        Adapter::boxed(shared, RoleResource::<CrossAccountInvokerRole>::default()),
        Adapter::boxed(shared, sqs_event_source::SqsEventSource),
        Adapter::boxed(shared, sns_trigger::SnsTrigger),
        Adapter::boxed(shared, s3_trigger::S3Trigger),
        Adapter::boxed(shared, eventbridge_trigger::EventBridgeTrigger),
    ]
}

/// A rule on each known element of a list attribute, each problem at its
/// element (`attribute[index]`) so Terraform points at the value. Unknown
/// elements are skipped, never guessed.
pub fn check_each(
    problems: &mut Vec<Problem>,
    attribute: &'static str,
    list: &StrList,
    rule: impl Fn(&str) -> Result<(), String>,
) {
    let Value::Value(items) = list else {
        return;
    };
    for (index, item) in items.iter().enumerate() {
        if let Some(Err(why)) = known(item).map(&rule) {
            problems.push(Problem::new(
                AttributePath::new(attribute).index(index as i64),
                format!("invalid {attribute} element"),
                why,
            ));
        }
    }
}

/// What the resources' unit tests share.
#[cfg(test)]
pub(crate) mod testing {
    use super::PlanContext;
    use crate::lambda::statement::StoredStatement;

    /// A plan context with every fact known: partition `aws`, region
    /// `us-east-1`, account 123456789012, no default tags, made now.
    pub(crate) fn ctx() -> PlanContext {
        let fact = |value: &str| Some(value.to_string());
        PlanContext {
            partition: fact("aws"),
            region: fact("us-east-1"),
            account_id: fact("123456789012"),
            default_tags: Some(Default::default()),
            now: chrono::Utc::now(),
        }
    }

    /// A statement as Lambda stores it: SNS (topic `source`) may invoke
    /// function `f`.
    pub(crate) fn sns_statement(sid: &str, source: &str) -> StoredStatement {
        StoredStatement {
            sid: sid.into(),
            principal: "sns.amazonaws.com".into(),
            action: "lambda:InvokeFunction".into(),
            resource: "arn:aws:lambda:us-east-1:123456789012:function:f".into(),
            source_arn: Some(source.into()),
            source_account: None,
            principal_org_id: None,
            function_url_auth_type: None,
            invoked_via_function_url: false,
            event_source_token: None,
            json: "{}".into(),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::plugin::schema::Block;

    fn nested_write_only(block: &Block) -> Vec<String> {
        block
            .blocks
            .iter()
            .flat_map(|(name, nested)| {
                let body = &nested.body;
                body.attributes
                    .iter()
                    .filter(|(_, a)| a.write_only)
                    .map(move |(a, _)| format!("{name}.{a}"))
                    .chain(nested_write_only(body))
                    .collect::<Vec<_>>()
            })
            .collect()
    }

    /// The layer nulls write-only attributes at the top level of a state
    /// only (plugin::resource::encode_state); one inside a block would make
    /// every plan fail in Terraform's own check.
    #[test]
    fn write_only_attributes_are_top_level_only() {
        let shared = Arc::new(Shared::default());
        for resource in all(&shared) {
            let schema = resource.schema();
            assert!(
                nested_write_only(&schema.block).is_empty(),
                "{}: {:?}",
                resource.type_name(),
                nested_write_only(&schema.block)
            );
        }
    }
}
