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

use std::sync::Arc;

use async_trait::async_trait;

use crate::plugin::resource::{MoveSource, PlanRequest, Planned, Resource};
use crate::plugin::schema::Schema;
use crate::plugin::{Diagnostics, Problem};
use crate::provider::Shared;
use crate::resources::{plan_context, plan_facts, reported, NeedsAccount};
use apply::Applied;
use model::{InvokerPrivate, InvokerState};

pub struct ScheduledLambdaInvoker {
    pub shared: Arc<Shared>,
}

/// Report the failed steps; the state to record and, in private state, the
/// roles still to delete.
fn finish(diags: &mut Diagnostics, applied: Applied) -> Option<(InvokerState, InvokerPrivate)> {
    let (state, errors, roles_pending_deletion) = applied.into_parts();
    crate::resources::steps::report_steps(diags, errors);
    state.map(|s| {
        (
            s,
            InvokerPrivate {
                roles_pending_deletion,
            },
        )
    })
}

#[async_trait]
impl Resource for ScheduledLambdaInvoker {
    type State = InvokerState;
    type Private = InvokerPrivate;

    fn type_name(&self) -> &'static str {
        "scheduled_lambda_invoker"
    }

    fn schema(&self) -> Schema {
        schema::invoker_schema()
    }

    fn validate(&self, config: &InvokerState) -> Vec<Problem> {
        validate::validate(config)
    }

    async fn plan(
        &self,
        diags: &mut Diagnostics,
        r: PlanRequest<'_, InvokerState, InvokerPrivate>,
    ) -> Option<Planned<InvokerState, InvokerPrivate>> {
        // The schedule ARN, the role ARN and the trust policy's
        // aws:SourceAccount all name the account.
        let ctx = plan_facts(&self.shared, r.prior.is_some(), NeedsAccount::Yes, diags).await?;
        let (state, requires_replace) = match r.prior {
            None => (plan::plan_create(r.proposed, r.config, &ctx), Vec::new()),
            Some(prior) => plan::plan_update(prior, r.proposed, r.config, &ctx, chrono::Utc::now()),
        };
        Some(Planned {
            state,
            // The pending roles go on to apply, which deletes them.
            private: r.prior_private,
            requires_replace,
        })
    }

    async fn read(
        &self,
        diags: &mut Diagnostics,
        state: InvokerState,
        private: InvokerPrivate,
    ) -> Option<(InvokerState, InvokerPrivate)> {
        let clients = self.shared.clients(diags)?;
        let found = reported(diags, apply::read(&clients, &state).await)?;
        // Read only looks: deleting here would make `terraform plan` write.
        let roles_pending_deletion =
            apply::still_pending(&clients, private.roles_pending_deletion).await;
        let s = match found {
            Some(s) => s,
            None if roles_pending_deletion.is_empty() => return None,
            // The schedule is gone but a role it left is not: keep the
            // resource (a null ARN plans the schedule anew) so the next apply
            // deletes the role instead of Terraform forgetting it.
            None => InvokerState {
                arn: crate::plugin::Value::Null,
                ..state
            },
        };
        let s = InvokerState {
            roles_pending_deletion: plan::pending_attribute(&roles_pending_deletion),
            ..s
        };
        Some((
            s,
            InvokerPrivate {
                roles_pending_deletion,
            },
        ))
    }

    async fn create(
        &self,
        diags: &mut Diagnostics,
        planned: InvokerState,
        config: InvokerState,
        _: InvokerPrivate,
    ) -> Option<(InvokerState, InvokerPrivate)> {
        let clients = self.shared.clients(diags)?;
        let ctx = plan_context(&clients, NeedsAccount::Yes, diags).await?;
        finish(diags, apply::create(&clients, planned, &config, &ctx).await)
    }

    async fn update(
        &self,
        diags: &mut Diagnostics,
        prior: InvokerState,
        planned: InvokerState,
        config: InvokerState,
        private: InvokerPrivate,
    ) -> Option<(InvokerState, InvokerPrivate)> {
        let clients = self.shared.clients(diags)?;
        let ctx = plan_context(&clients, NeedsAccount::Yes, diags).await?;
        let pending = &private.roles_pending_deletion;
        finish(
            diags,
            apply::update(&clients, &prior, planned, &config, &ctx, pending).await,
        )
    }

    async fn delete(
        &self,
        diags: &mut Diagnostics,
        prior: InvokerState,
        private: InvokerPrivate,
    ) -> bool {
        let Some(clients) = self.shared.clients(diags) else {
            return false;
        };
        let pending = &private.roles_pending_deletion;
        reported(diags, apply::delete(&clients, &prior, pending).await).is_some()
    }

    async fn import(
        &self,
        diags: &mut Diagnostics,
        id: &str,
    ) -> Option<(InvokerState, InvokerPrivate)> {
        let clients = self.shared.clients(diags)?;
        let ctx = plan_context(&clients, NeedsAccount::Yes, diags).await?;
        reported(diags, apply::import(&clients, id, &ctx).await)
            .map(|s| (s, InvokerPrivate::default()))
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
