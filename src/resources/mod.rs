//! Managed resources, one module each. Every module keeps its pure logic
//! (validate, plan, expand/flatten) apart from the AWS steps.

pub mod function_url_access;
pub mod lambda_invoke_permission;
pub mod managed_role;
pub mod role_resource;
pub mod scheduled_lambda_invoker;
pub mod sqs_event_source;
pub mod steps;
pub mod timeouts;

use std::collections::BTreeMap;
use std::sync::Arc;

use crate::aws::clients::AccountSource;
use crate::aws::AwsClients;
use crate::plugin::resource::{DynResource, Erased};
use crate::plugin::{known, AttributePath, Diagnostics, Problem, StrList, Value};
use crate::provider::{PlanProvider, Shared};
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
    pub partition: Option<String>,
    pub region: Option<String>,
    pub account_id: Option<String>,
    /// The provider's `default_tags`, which every managed role carries.
    pub default_tags: Option<BTreeMap<String, String>>,
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
    Yes,
    No,
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
        Box::new(Erased(function_url_access::FunctionUrlAccess {
            shared: shared.clone(),
        })),
        Box::new(Erased(RoleResource::<LambdaExecutionRole>::new(
            shared.clone(),
        ))),
        Box::new(Erased(RoleResource::<SchedulerInvokeRole>::new(
            shared.clone(),
        ))),
        Box::new(Erased(RoleResource::<CrossAccountInvokerRole>::new(
            shared.clone(),
        ))),
        Box::new(Erased(sqs_event_source::SqsEventSource {
            shared: shared.clone(),
        })),
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

/// The plan-time facts of a configured provider: region, partition and the
/// account (see [`AwsClients::account_id`]); an error when the account is
/// needed and none is known.
pub async fn plan_context(
    c: &AwsClients,
    needs: NeedsAccount,
    diags: &mut Diagnostics,
) -> Option<PlanContext> {
    let account = match c.account_id().await {
        Ok(account) => account,
        Err(e) => {
            e.report(diags, "reading the AWS account id (sts:GetCallerIdentity)");
            return None;
        }
    };
    if let Err((summary, detail)) = check_account(&c.account_source, account.as_deref(), needs) {
        // No attribute path: `account_id` is the provider's, not this
        // resource's, and Terraform resolves a path against the resource.
        diags.root_error(summary, detail);
        return None;
    }
    Some(PlanContext {
        partition: Some(c.partition.to_string()),
        region: Some(c.region.clone()),
        account_id: account,
        default_tags: Some(c.default_tags.clone()),
    })
}

/// The facts for a plan. While the provider configuration is unknown (see
/// `LambdawireProvider::configure`) a new resource plans with no facts, so
/// its account-dependent values are unknown: Terraform applies only after
/// configuring with known values, and an unknown planned value may become
/// anything. An existing resource (`existing`) fails instead, as its read
/// already does: its values were made with a known identity, and planning
/// them unknown would hide whether the new identity changes them.
pub async fn plan_facts(
    shared: &Shared,
    existing: bool,
    needs: NeedsAccount,
    diags: &mut Diagnostics,
) -> Option<PlanContext> {
    match shared.plan_provider(diags)? {
        PlanProvider::Known(clients) => plan_context(&clients, needs, diags).await,
        PlanProvider::Unknown if existing => {
            // Reports the unknown arguments.
            let _ = shared.clients(diags);
            None
        }
        PlanProvider::Unknown => Some(PlanContext::default()),
    }
}

/// A missing account that is needed, or an STS account other than the
/// configured `account_id`, as (summary, detail).
pub fn check_account(
    source: &AccountSource,
    account: Option<&str>,
    needs: NeedsAccount,
) -> Result<(), (String, String)> {
    match (source, account) {
        (
            AccountSource::Sts {
                expected: Some(want),
            },
            Some(got),
        ) if want != got => Err((
            format!("the credentials belong to account {got}, not account_id {want}"),
            "The provider's account_id must be the account STS GetCallerIdentity answers for \
             these credentials. Fix account_id, or use the credentials of that account."
                .to_string(),
        )),
        (_, None) if needs == NeedsAccount::Yes => Err((
            "the AWS account id is not known: set account_id in the provider block".to_string(),
            "skip_requesting_account_id = true means the provider does not ask STS for the \
             account, so it must be given as the provider's account_id argument (12 digits). \
             It is never taken from a function ARN, which may name another account."
                .to_string(),
        )),
        _ => Ok(()),
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

    #[test]
    fn a_needed_missing_account_names_account_id() {
        let err = check_account(&AccountSource::Missing, None, NeedsAccount::Yes);
        let (summary, detail) = err.err().unwrap_or_default();
        assert!(summary.contains("account_id"), "{summary}");
        assert!(
            detail.contains("never taken from a function ARN"),
            "{detail}"
        );
        assert!(check_account(&AccountSource::Missing, None, NeedsAccount::No).is_ok());
        let configured = AccountSource::Configured("111122223333".into());
        assert!(check_account(&configured, Some("111122223333"), NeedsAccount::Yes).is_ok());
    }

    #[test]
    fn sts_must_answer_the_configured_account() {
        let expecting = AccountSource::Sts {
            expected: Some("111122223333".into()),
        };
        let err = check_account(&expecting, Some("123456789012"), NeedsAccount::No);
        assert!(err.is_err_and(|(s, _)| s.contains("account_id 111122223333")));
        assert!(check_account(&expecting, Some("111122223333"), NeedsAccount::Yes).is_ok());
        let any = AccountSource::Sts { expected: None };
        assert!(check_account(&any, Some("123456789012"), NeedsAccount::Yes).is_ok());
    }

    /// An unknown provider configuration: a new resource plans with no
    /// facts, an existing one gets the "not known yet" error.
    #[tokio::test]
    async fn unknown_configuration_plans_new_and_rejects_existing() {
        let shared = Shared::unknown_for_tests(vec!["assume_role.role_arn".into()]);
        let mut diags = Diagnostics::default();
        let ctx = plan_facts(&shared, false, NeedsAccount::Yes, &mut diags).await;
        assert!(!diags.has_errors());
        let ctx = ctx.unwrap_or_else(|| panic!("a context"));
        assert!(ctx.account_id.is_none() && ctx.place().is_none());

        let existing = plan_facts(&shared, true, NeedsAccount::Yes, &mut diags).await;
        assert!(existing.is_none());
        let text: Vec<String> = diags.all().map(|d| format!("{d:?}")).collect();
        assert!(
            text.iter()
                .any(|d| d.contains("not known yet") && d.contains("assume_role.role_arn")),
            "{text:?}"
        );
        let mut diags = Diagnostics::default();
        assert!(shared.clients(&mut diags).is_none());
        assert!(diags.has_errors());
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
