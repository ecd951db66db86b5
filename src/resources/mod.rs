//! Managed resources, one module each. Every module keeps its pure logic
//! (validate, plan, expand/flatten) apart from the AWS steps.

pub mod lambda_invoke_permission;
pub mod managed_role;
pub mod role_resource;
pub mod scheduled_lambda_invoker;
pub mod steps;

use std::sync::Arc;

use crate::aws::AwsClients;
use crate::plugin::resource::{DynResource, Erased};
use crate::plugin::Diagnostics;
use crate::provider::Shared;
use role_resource::execution_role::LambdaExecutionRole;
use role_resource::scheduler_role::SchedulerInvokeRole;
use role_resource::RoleResource;

/// Facts from the provider that plans depend on.
#[derive(Clone, Debug)]
pub struct PlanContext {
    pub partition: String,
    pub region: String,
    pub account_id: Option<String>,
}

/// Every resource type.
pub fn all(shared: &Arc<Shared>) -> Vec<Box<dyn DynResource>> {
    vec![
        Box::new(Erased(scheduled_lambda_invoker::ScheduledLambdaInvoker {
            shared: shared.clone(),
        })),
        Box::new(Erased(lambda_invoke_permission::LambdaInvokePermission {
            shared: shared.clone(),
        })),
        Box::new(Erased(RoleResource::<LambdaExecutionRole>::new(
            shared.clone(),
        ))),
        Box::new(Erased(RoleResource::<SchedulerInvokeRole>::new(
            shared.clone(),
        ))),
    ]
}

/// The value of a step that succeeded, or `None` with its failure reported.
pub fn reported<T>(diags: &mut Diagnostics, result: Result<T, steps::StepError>) -> Option<T> {
    match result {
        Ok(value) => Some(value),
        Err(failure) => {
            steps::report_steps(diags, vec![failure]);
            None
        }
    }
}

/// Region, partition and account for plans. With
/// `skip_requesting_account_id`, the account comes from an ARN of the
/// configuration (`arn_account`) and may stay unknown; otherwise STS is asked
/// once per provider instance.
pub async fn plan_context(
    c: &AwsClients,
    arn_account: Option<String>,
    diags: &mut Diagnostics,
) -> Option<PlanContext> {
    let account_id = if c.skip_requesting_account_id {
        arn_account
    } else {
        match c.account_id(None).await {
            Ok(account) => Some(account),
            Err(e) => {
                e.report(diags, "reading the AWS account id (sts:GetCallerIdentity)");
                return None;
            }
        }
    };
    Some(PlanContext {
        partition: c.partition.to_string(),
        region: c.region.clone(),
        account_id,
    })
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
