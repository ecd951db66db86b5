//! `lambdawire_scheduled_lambda_invoker`: an EventBridge Scheduler schedule
//! that invokes one Lambda function, with its least-privilege role and inline
//! policy. This file only decodes, delegates and reports: the logic lives in
//! `validate`, `plan` and `flex` (pure) and `apply` (AWS steps).

pub mod apply;
pub mod flex;
pub mod model;
pub mod plan;
pub mod schema;
pub mod validate;

use std::sync::Arc;

use async_trait::async_trait;

use crate::plugin::resource::{PlanRequest, Planned, Resource};
use crate::plugin::schema::Schema;
use crate::plugin::{Diagnostics, Problem};
use crate::provider::Shared;
use crate::resources::{plan_context, reported};
use apply::Applied;
use model::InvokerState;

pub struct ScheduledLambdaInvoker {
    pub shared: Arc<Shared>,
}

fn finish(diags: &mut Diagnostics, applied: Applied) -> Option<(InvokerState, ())> {
    crate::resources::steps::report_steps(diags, applied.errors);
    applied.state.map(|s| (s, ()))
}

/// The account id found in the function ARN, for `skip_requesting_account_id`.
fn arn_account(s: &InvokerState) -> Option<String> {
    let function = crate::plugin::known(&s.function_arn)?;
    crate::aws::arn::parse(function)
        .ok()
        .map(|a| a.account.to_string())
}

#[async_trait]
impl Resource for ScheduledLambdaInvoker {
    type State = InvokerState;
    type Private = ();

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
        r: PlanRequest<'_, InvokerState, ()>,
    ) -> Option<Planned<InvokerState, ()>> {
        let clients = self.shared.clients(diags)?;
        let ctx = plan_context(&clients, arn_account(r.config), diags).await?;
        let (state, requires_replace) = match r.prior {
            None => (plan::plan_create(r.proposed, r.config, &ctx), Vec::new()),
            Some(prior) => plan::plan_update(prior, r.proposed, r.config, &ctx, chrono::Utc::now()),
        };
        Some(Planned {
            state,
            private: (),
            requires_replace,
        })
    }

    async fn read(
        &self,
        diags: &mut Diagnostics,
        state: InvokerState,
        _: (),
    ) -> Option<(InvokerState, ())> {
        let clients = self.shared.clients(diags)?;
        reported(diags, apply::read(&clients, &state).await)?.map(|s| (s, ()))
    }

    async fn create(
        &self,
        diags: &mut Diagnostics,
        planned: InvokerState,
        config: InvokerState,
        _: (),
    ) -> Option<(InvokerState, ())> {
        let clients = self.shared.clients(diags)?;
        let ctx = plan_context(&clients, arn_account(&config), diags).await?;
        finish(diags, apply::create(&clients, planned, &config, &ctx).await)
    }

    async fn update(
        &self,
        diags: &mut Diagnostics,
        prior: InvokerState,
        planned: InvokerState,
        config: InvokerState,
        _: (),
    ) -> Option<(InvokerState, ())> {
        let clients = self.shared.clients(diags)?;
        let ctx = plan_context(&clients, arn_account(&config), diags).await?;
        finish(
            diags,
            apply::update(&clients, &prior, planned, &config, &ctx).await,
        )
    }

    async fn delete(&self, diags: &mut Diagnostics, prior: InvokerState, _: ()) -> bool {
        let Some(clients) = self.shared.clients(diags) else {
            return false;
        };
        reported(diags, apply::delete(&clients, &prior).await).is_some()
    }

    async fn import(&self, diags: &mut Diagnostics, id: &str) -> Option<(InvokerState, ())> {
        let clients = self.shared.clients(diags)?;
        let ctx = plan_context(&clients, None, diags).await?;
        reported(diags, apply::import(&clients, id, &ctx).await).map(|s| (s, ()))
    }
}
