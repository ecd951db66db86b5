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
use tf_provider::schema::Schema;
use tf_provider::value::ValueEmpty;
use tf_provider::{AttributePath, Diagnostics, Resource};

use crate::provider::Shared;
use crate::resources::plan_context;
use crate::resources::steps::report_steps;
use crate::tf::diag::report;
use apply::Applied;
use model::InvokerState;

pub struct ScheduledLambdaInvoker {
    pub shared: Arc<Shared>,
}

fn finish(diags: &mut Diagnostics, applied: Applied) -> Option<(InvokerState, ValueEmpty)> {
    report_steps(diags, applied.errors);
    applied.state.map(|s| (s, ValueEmpty::default()))
}

/// The account id found in the function ARN, for `skip_requesting_account_id`.
fn arn_account(s: &InvokerState) -> Option<String> {
    let function = crate::tf::known(&s.function_arn)?;
    crate::aws::arn::parse(function)
        .ok()
        .map(|a| a.account.to_string())
}

#[async_trait]
impl Resource for ScheduledLambdaInvoker {
    type State<'a> = InvokerState;
    type PrivateState<'a> = ValueEmpty;
    type ProviderMetaState<'a> = ValueEmpty;

    fn schema(&self, _diags: &mut Diagnostics) -> Option<Schema> {
        Some(schema::invoker_schema())
    }

    async fn validate<'a>(&self, diags: &mut Diagnostics, config: Self::State<'a>) -> Option<()> {
        report(diags, validate::validate(&config));
        Some(())
    }

    async fn read<'a>(
        &self,
        diags: &mut Diagnostics,
        state: Self::State<'a>,
        private_state: Self::PrivateState<'a>,
        _meta: Self::ProviderMetaState<'a>,
    ) -> Option<(Self::State<'a>, Self::PrivateState<'a>)> {
        let clients = self.shared.clients(diags)?;
        match apply::read(&clients, &state).await {
            Ok(found) => found.map(|s| (s, private_state)),
            Err(failure) => {
                report_steps(diags, vec![failure]);
                Some((state, private_state))
            }
        }
    }

    async fn plan_create<'a>(
        &self,
        diags: &mut Diagnostics,
        proposed: Self::State<'a>,
        config: Self::State<'a>,
        _meta: Self::ProviderMetaState<'a>,
    ) -> Option<(Self::State<'a>, Self::PrivateState<'a>)> {
        if !report(diags, validate::validate(&config)) {
            return None;
        }
        let clients = self.shared.clients(diags)?;
        let ctx = plan_context(&clients, arn_account(&config), diags).await?;
        Some((
            plan::plan_create(proposed, &config, &ctx),
            ValueEmpty::default(),
        ))
    }

    async fn plan_update<'a>(
        &self,
        diags: &mut Diagnostics,
        prior: Self::State<'a>,
        proposed: Self::State<'a>,
        config: Self::State<'a>,
        private_state: Self::PrivateState<'a>,
        _meta: Self::ProviderMetaState<'a>,
    ) -> Option<(Self::State<'a>, Self::PrivateState<'a>, Vec<AttributePath>)> {
        if !report(diags, validate::validate(&config)) {
            return None;
        }
        let clients = self.shared.clients(diags)?;
        let ctx = plan_context(&clients, arn_account(&config), diags).await?;
        let (planned, replace) =
            plan::plan_update(&prior, proposed, &config, &ctx, chrono::Utc::now());
        Some((planned, private_state, replace))
    }

    async fn plan_destroy<'a>(
        &self,
        _diags: &mut Diagnostics,
        _prior: Self::State<'a>,
        private_state: Self::PrivateState<'a>,
        _meta: Self::ProviderMetaState<'a>,
    ) -> Option<Self::PrivateState<'a>> {
        Some(private_state)
    }

    async fn create<'a>(
        &self,
        diags: &mut Diagnostics,
        planned: Self::State<'a>,
        config: Self::State<'a>,
        _private: Self::PrivateState<'a>,
        _meta: Self::ProviderMetaState<'a>,
    ) -> Option<(Self::State<'a>, Self::PrivateState<'a>)> {
        let clients = self.shared.clients(diags)?;
        let ctx = plan_context(&clients, arn_account(&config), diags).await?;
        finish(diags, apply::create(&clients, planned, &config, &ctx).await)
    }

    async fn update<'a>(
        &self,
        diags: &mut Diagnostics,
        prior: Self::State<'a>,
        planned: Self::State<'a>,
        config: Self::State<'a>,
        _private: Self::PrivateState<'a>,
        _meta: Self::ProviderMetaState<'a>,
    ) -> Option<(Self::State<'a>, Self::PrivateState<'a>)> {
        let clients = self.shared.clients(diags)?;
        let ctx = plan_context(&clients, arn_account(&config), diags).await?;
        finish(
            diags,
            apply::update(&clients, &prior, planned, &config, &ctx).await,
        )
    }

    async fn destroy<'a>(
        &self,
        diags: &mut Diagnostics,
        prior: Self::State<'a>,
        _private: Self::PrivateState<'a>,
        _meta: Self::ProviderMetaState<'a>,
    ) -> Option<()> {
        let clients = self.shared.clients(diags)?;
        match apply::delete(&clients, &prior).await {
            Ok(()) => Some(()),
            Err(failure) => {
                report_steps(diags, vec![failure]);
                None
            }
        }
    }

    async fn import<'a>(
        &self,
        diags: &mut Diagnostics,
        id: String,
    ) -> Option<(Self::State<'a>, Self::PrivateState<'a>)> {
        let clients = self.shared.clients(diags)?;
        let ctx = plan_context(&clients, None, diags).await?;
        match apply::import(&clients, &id, &ctx).await {
            Ok(state) => Some((state, ValueEmpty::default())),
            Err(failure) => {
                report_steps(diags, vec![failure]);
                None
            }
        }
    }
}
