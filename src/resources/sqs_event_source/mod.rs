//! `lambdawire_sqs_event_source`: Lambda polling an SQS queue, with the
//! grant the function's execution role needs for it. This file decodes,
//! delegates and reports: the rules live in `validate`, `plan` and `flex`
//! (pure) and the AWS steps in `apply`.

pub mod apply;
pub mod flex;
pub mod model;
pub mod plan;
pub mod schema;
pub mod validate;

use std::sync::Arc;

use async_trait::async_trait;

use crate::lambda::function_ref::parse_function_ref;
use crate::plugin::diag::report;
use crate::plugin::resource::{PlanRequest, Planned, Resource};
use crate::plugin::schema::Schema;
use crate::plugin::{known, Diagnostics, Problem};
use crate::provider::Shared;
use crate::resources::{plan_context, plan_facts, reported, NeedsAccount};
use apply::Applied;
use model::{SqsEventSourcePrivate, SqsEventSourceState};

pub struct SqsEventSource {
    pub shared: Arc<Shared>,
}

/// The provider's account is needed to tell a bare function name from an
/// ARN of the same function (after import, say), unless the function is
/// named with its own account. A name still unknown does not fail the
/// plan; the plan Terraform makes again during apply decides.
fn needs_account(s: &SqsEventSourceState) -> NeedsAccount {
    let own_account = known(&s.function_name)
        .and_then(|name| parse_function_ref(name).ok())
        .and_then(|r| r.account_id);
    if known(&s.function_name).is_none() || own_account.is_some() {
        NeedsAccount::No
    } else {
        NeedsAccount::Yes
    }
}

/// Report the failed steps; the state to record, with its private state.
fn finish(
    diags: &mut Diagnostics,
    applied: Applied,
) -> Option<(SqsEventSourceState, SqsEventSourcePrivate)> {
    crate::resources::steps::report_steps(diags, applied.errors);
    let private = applied.private;
    applied.state.map(|s| (s, private))
}

#[async_trait]
impl Resource for SqsEventSource {
    type State = SqsEventSourceState;
    type Private = SqsEventSourcePrivate;

    fn type_name(&self) -> &'static str {
        "sqs_event_source"
    }

    fn schema(&self) -> Schema {
        schema::sqs_event_source_schema()
    }

    fn validate(&self, config: &SqsEventSourceState) -> Vec<Problem> {
        validate::validate(config)
    }

    async fn plan(
        &self,
        diags: &mut Diagnostics,
        r: PlanRequest<'_, SqsEventSourceState, SqsEventSourcePrivate>,
    ) -> Option<Planned<SqsEventSourceState, SqsEventSourcePrivate>> {
        let ctx = plan_facts(
            &self.shared,
            r.prior.is_some(),
            needs_account(r.config),
            diags,
        )
        .await?;
        if !report(
            diags,
            plan::region_problem(r.config, &ctx).into_iter().collect(),
        ) {
            return None;
        }
        let (state, requires_replace) = match r.prior {
            None => (plan::plan_create(r.proposed, r.config), Vec::new()),
            Some(prior) => plan::plan_update(
                prior,
                r.proposed,
                r.config,
                r.prior_private.role_from_function,
                &ctx,
            ),
        };
        Some(Planned {
            state,
            private: r.prior_private,
            requires_replace,
        })
    }

    async fn read(
        &self,
        diags: &mut Diagnostics,
        state: SqsEventSourceState,
        private: SqsEventSourcePrivate,
    ) -> Option<(SqsEventSourceState, SqsEventSourcePrivate)> {
        let clients = self.shared.clients(diags)?;
        reported(diags, apply::read(&clients, &state, private).await)?
    }

    async fn create(
        &self,
        diags: &mut Diagnostics,
        planned: SqsEventSourceState,
        config: SqsEventSourceState,
        _: SqsEventSourcePrivate,
    ) -> Option<(SqsEventSourceState, SqsEventSourcePrivate)> {
        let clients = self.shared.clients(diags)?;
        let role_from_function = config.role_name.is_null();
        finish(
            diags,
            apply::create(&clients, planned, role_from_function).await,
        )
    }

    async fn update(
        &self,
        diags: &mut Diagnostics,
        prior: SqsEventSourceState,
        planned: SqsEventSourceState,
        config: SqsEventSourceState,
        private: SqsEventSourcePrivate,
    ) -> Option<(SqsEventSourceState, SqsEventSourcePrivate)> {
        let clients = self.shared.clients(diags)?;
        let role_from_function = config.role_name.is_null();
        finish(
            diags,
            apply::update(&clients, &prior, planned, role_from_function, &private).await,
        )
    }

    async fn delete(
        &self,
        diags: &mut Diagnostics,
        prior: SqsEventSourceState,
        private: SqsEventSourcePrivate,
    ) -> bool {
        let Some(clients) = self.shared.clients(diags) else {
            return false;
        };
        reported(diags, apply::delete(&clients, &prior, &private).await).is_some()
    }

    async fn import(
        &self,
        diags: &mut Diagnostics,
        id: &str,
    ) -> Option<(SqsEventSourceState, SqsEventSourcePrivate)> {
        let clients = self.shared.clients(diags)?;
        let ctx = plan_context(&clients, NeedsAccount::No, diags).await?;
        reported(diags, apply::import(&clients, id, &ctx).await)
    }
}
