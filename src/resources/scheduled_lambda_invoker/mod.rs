//! `lambdawire_scheduled_lambda_invoker`: an EventBridge Scheduler schedule
//! that invokes one Lambda function, with its least-privilege role and inline
//! policy. This file only decodes, delegates and reports: the logic lives in
//! `validate`, `plan` and `flex` (pure) and `apply` (AWS steps).

pub mod apply;
pub mod flex;
pub mod input;
pub mod model;
pub mod moved;
pub mod plan;
pub mod schema;
pub mod validate;

use async_trait::async_trait;

use crate::aws::AwsClients;
use crate::plugin::resource::{MoveSource, PlanRequest, Planned};
use crate::plugin::schema::Schema;
use crate::plugin::{known, text, AttributePath, Diagnostics, Problem};
use crate::resources::adapter::{keep_private, Applied, ManagedResource, Resolved};
use crate::resources::plan_checks::{missing_function, missing_schedule_group, report, Gravity};
use crate::resources::{NeedsAccount, PlanContext};
use model::{InvokerPrivate, InvokerState};

/// `lambdawire_scheduled_lambda_invoker`, as the adapter drives it: no
/// fields, everything it needs comes with each call.
pub struct ScheduledLambdaInvoker;

type Outcome = Applied<InvokerState, InvokerPrivate>;

/// The failed steps reported; the state to record and, in private state,
/// the roles still to delete.
impl From<apply::Applied> for Outcome {
    fn from(applied: apply::Applied) -> Self {
        let (state, errors, roles_pending_deletion, released) = applied.into_parts();
        let private = InvokerPrivate {
            roles_pending_deletion,
        };
        released_with_warnings(Applied::steps(state, private, errors), released)
    }
}

/// The outcome with a warning for each role left alone because it no
/// longer carries this schedule's owner tag.
fn released_with_warnings(mut outcome: Outcome, released: Vec<String>) -> Outcome {
    for why in released {
        outcome
            .diagnostics
            .warning("The IAM role was released, not deleted", why);
    }
    outcome
}

#[async_trait]
impl ManagedResource for ScheduledLambdaInvoker {
    type State = InvokerState;
    type Private = InvokerPrivate;
    const TYPE_NAME: &'static str = "scheduled_lambda_invoker";

    fn schema(&self) -> Schema {
        schema::invoker_schema()
    }

    fn validate(&self, config: &InvokerState) -> Vec<Problem> {
        validate::validate(config)
    }

    /// The schedule ARN, the role ARN and the trust policy's
    /// aws:SourceAccount all name the account.
    fn needs_account(&self, _: Option<&InvokerState>) -> NeedsAccount {
        NeedsAccount::Yes
    }

    fn plan(
        &self,
        diags: &mut Diagnostics,
        r: PlanRequest<'_, InvokerState, InvokerPrivate>,
        ctx: &PlanContext,
    ) -> Option<Planned<InvokerState, InvokerPrivate>> {
        let planned = match r.prior {
            None => (plan::plan_create(r.proposed, r.config, ctx), Vec::new()),
            Some(prior) => plan::plan_update(prior, r.proposed, r.config, ctx, ctx.now),
        };
        let problems = plan::fact_problems(r.prior, &planned.0, ctx);
        if !problems.is_empty() {
            for p in problems {
                diags.error(p.summary, p.detail, p.path);
            }
            return None;
        }
        // The pending roles go on to apply, which deletes them.
        keep_private(planned, r.prior_private)
    }

    async fn check_create(
        &self,
        clients: &AwsClients,
        planned: &InvokerState,
        _: &PlanContext,
        diags: &mut Diagnostics,
    ) {
        // Both reads at once; a schedule's apply would fail on a missing
        // group, and succeed (never to work) on a missing function.
        let group = async {
            match known(&planned.group_name) {
                Some(g) => {
                    missing_schedule_group(clients, AttributePath::new("group_name"), g).await
                }
                None => None,
            }
        };
        let function = async {
            match known(&planned.function_arn) {
                Some(f) => {
                    let path = AttributePath::new("function_arn");
                    missing_function(clients, path, f, None, Gravity::Warning).await
                }
                None => None,
            }
        };
        let (group, function) = tokio::join!(group, function);
        if let Some(p) = group {
            report(diags, Gravity::Error, p);
        }
        if let Some(p) = function {
            report(diags, Gravity::Warning, p);
        }
    }

    async fn read(
        &self,
        clients: &AwsClients,
        state: InvokerState,
        private: InvokerPrivate,
    ) -> Outcome {
        let found = match apply::read(clients, &state).await {
            Ok(found) => found,
            Err(failure) => return Applied::steps(None, private, vec![failure]),
        };
        // Read only looks: deleting here would make `terraform plan` write.
        let roles_pending_deletion =
            apply::still_pending(clients, private.roles_pending_deletion).await;
        let vanished = flex::vanished(&state, found.as_ref());
        let name = format!("{}/{}", text(&state.group_name), text(&state.name));
        let s = flex::with_pending(found, state, &roles_pending_deletion);
        let private = InvokerPrivate {
            roles_pending_deletion,
        };
        let mut applied = Applied::done(s, private);
        if vanished {
            applied.diagnostics.warning(
                format!("the schedule {name} was deleted outside Terraform before it ran"),
                "EventBridge Scheduler no longer has it, and it has not fired (Scheduler \
                 deletes a one-time schedule only after it runs). The plan creates it again; \
                 if it should stay deleted, remove this resource from the configuration.",
            );
        }
        applied
    }

    async fn create(
        &self,
        aws: &Resolved<'_>,
        planned: InvokerState,
        config: InvokerState,
        _: InvokerPrivate,
    ) -> Outcome {
        apply::create(aws.clients, planned, &config, aws.ctx)
            .await
            .into()
    }

    async fn update(
        &self,
        aws: &Resolved<'_>,
        prior: InvokerState,
        planned: InvokerState,
        config: InvokerState,
        private: InvokerPrivate,
    ) -> Outcome {
        let pending = &private.roles_pending_deletion;
        apply::update(aws.clients, &prior, planned, &config, aws.ctx, pending)
            .await
            .into()
    }

    async fn delete(
        &self,
        aws: &Resolved<'_>,
        prior: InvokerState,
        private: InvokerPrivate,
    ) -> Outcome {
        match apply::delete(aws.clients, &prior, &private.roles_pending_deletion).await {
            Ok(released) => released_with_warnings(Applied::done(None, private), released),
            Err(failure) => Applied::steps(None, private, vec![failure]),
        }
    }

    async fn import(&self, aws: &Resolved<'_>, id: &str) -> Outcome {
        let found = apply::import(aws.clients, id, aws.ctx)
            .await
            .map(|s| Some((s, InvokerPrivate::default())));
        Applied::found(found, InvokerPrivate::default())
    }

    /// `moved` from hashicorp/aws's `aws_scheduler_schedule`, with no AWS
    /// call; see [`moved`].
    fn move_from(&self, diags: &mut Diagnostics, source: &MoveSource<'_>) -> Option<InvokerState> {
        let summary = format!(
            "cannot move {} to lambdawire_scheduled_lambda_invoker",
            source.type_name
        );
        let from_aws = moved::SOURCE_PROVIDERS.contains(&source.provider_address);
        if source.type_name != moved::SOURCE_TYPE || !from_aws {
            diags.root_error(
                summary,
                format!(
                    "lambdawire_scheduled_lambda_invoker accepts `moved` only from {} of \
                     hashicorp/aws ({}); this is {} of {}.",
                    moved::SOURCE_TYPE,
                    moved::SOURCE_PROVIDERS[0],
                    source.type_name,
                    source.provider_address
                ),
            );
            return None;
        }
        if source.schema_version != moved::SOURCE_SCHEMA_VERSION {
            diags.root_error(
                summary,
                format!(
                    "The {} state has schema version {}; this lambdawire release reads version {}. \
                     Use a lambdawire release that knows it.",
                    source.type_name,
                    source.schema_version,
                    moved::SOURCE_SCHEMA_VERSION
                ),
            );
            return None;
        }
        match moved::from_aws_scheduler_schedule(source.state.clone()) {
            Ok(state) => Some(state),
            Err(why) => {
                diags.root_error(summary, why);
                None
            }
        }
    }
}
