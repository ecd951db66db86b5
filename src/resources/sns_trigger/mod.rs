//! `lambdawire_sns_trigger`: an SNS topic invoking a Lambda function, the
//! statement that lets it and the subscription, in the order AWS needs.
//! This file decodes, delegates and reports: the rules live in
//! `validate`, `plan` and `flex` (pure) and the AWS steps in `apply`.

pub mod apply;
pub mod flex;
pub mod model;
pub mod plan;
pub mod schema;
pub mod validate;

use async_trait::async_trait;

use crate::aws::AwsClients;
use crate::plugin::diag::report;
use crate::plugin::resource::{PlanRequest, Planned};
use crate::plugin::schema::Schema;
use crate::plugin::{Diagnostics, Problem};
use crate::resources::adapter::{keep_private, Applied, ManagedResource, Resolved};
use crate::resources::plan_checks::{check_target, missing_topic, subscribed_already};
use crate::resources::{function_needs_account, NeedsAccount, PlanContext};
use model::{SnsTriggerPrivate, SnsTriggerState};

/// `lambdawire_sns_trigger`, as the adapter drives it: no fields,
/// everything it needs comes with each call.
pub struct SnsTrigger;

type Outcome = Applied<SnsTriggerState, SnsTriggerPrivate>;

impl From<apply::Applied> for Outcome {
    fn from(applied: apply::Applied) -> Self {
        let private = SnsTriggerPrivate {
            temporary_statement: applied.temporary_statement,
        };
        Applied::steps(applied.state, private, applied.errors)
    }
}

#[async_trait]
impl ManagedResource for SnsTrigger {
    type State = SnsTriggerState;
    type Private = SnsTriggerPrivate;
    const TYPE_NAME: &'static str = "sns_trigger";

    fn schema(&self) -> Schema {
        schema::sns_trigger_schema()
    }

    fn validate(&self, config: &SnsTriggerState) -> Vec<Problem> {
        validate::validate(config)
    }

    fn needs_account(&self, config: Option<&SnsTriggerState>) -> NeedsAccount {
        match config {
            Some(c) => function_needs_account(Some(&c.function_name)),
            // An import derives the statement id, which holds the
            // function's account: the subscription's endpoint names it, but
            // the provider's is what a configuration by name means.
            None => NeedsAccount::Yes,
        }
    }

    fn plan(
        &self,
        diags: &mut Diagnostics,
        r: PlanRequest<'_, SnsTriggerState, SnsTriggerPrivate>,
        ctx: &PlanContext,
    ) -> Option<Planned<SnsTriggerState, SnsTriggerPrivate>> {
        if !report(diags, plan::place_problems(r.config, ctx)) {
            return None;
        }
        let planned = match r.prior {
            None => (plan::plan_create(r.proposed, ctx), Vec::new()),
            Some(prior) => plan::plan_update(prior, r.proposed, r.config, ctx),
        };
        keep_private(planned, r.prior_private)
    }

    async fn check_create(
        &self,
        clients: &AwsClients,
        planned: &SnsTriggerState,
        ctx: &PlanContext,
        diags: &mut Diagnostics,
    ) {
        let g = flex::grant(planned, ctx.account_id.as_deref());
        let target = (&planned.function_name, &planned.qualifier);
        check_target(clients, ctx, diags, target, g.as_slice(), "statement_id").await;
        if diags.has_errors() {
            return;
        }
        if missing_topic(clients, diags, &planned.topic_arn).await {
            return;
        }
        if let Some(endpoint) = flex::endpoint(planned, ctx) {
            let listing = flex::listing(planned, ctx.account_id.as_deref());
            subscribed_already(clients, diags, &planned.topic_arn, &endpoint, listing).await;
        }
    }

    async fn read(
        &self,
        clients: &AwsClients,
        state: SnsTriggerState,
        private: SnsTriggerPrivate,
    ) -> Outcome {
        let found = apply::read(clients, &state).await.map(|found| {
            found.map(|(state, temporary_statement)| {
                (
                    state,
                    SnsTriggerPrivate {
                        temporary_statement,
                    },
                )
            })
        });
        Applied::found(found, private)
    }

    async fn create(
        &self,
        aws: &Resolved<'_>,
        planned: SnsTriggerState,
        _config: SnsTriggerState,
        _: SnsTriggerPrivate,
    ) -> Outcome {
        apply::create(aws.clients, planned, aws.ctx).await.into()
    }

    async fn update(
        &self,
        aws: &Resolved<'_>,
        prior: SnsTriggerState,
        planned: SnsTriggerState,
        _config: SnsTriggerState,
        private: SnsTriggerPrivate,
    ) -> Outcome {
        let leftover = private.temporary_statement;
        apply::update(aws.clients, &prior, planned, leftover, aws.ctx)
            .await
            .into()
    }

    async fn delete(
        &self,
        aws: &Resolved<'_>,
        prior: SnsTriggerState,
        private: SnsTriggerPrivate,
    ) -> Outcome {
        let leftover = private.temporary_statement;
        match apply::delete(aws.clients, &prior, leftover, aws.ctx).await {
            Ok(released) => {
                let mut outcome = Applied::done(None, private);
                for why in released {
                    outcome
                        .diagnostics
                        .warning("The SNS subscription was released, not deleted", why);
                }
                outcome
            }
            Err(e) => Applied::deleted(Err(e), private),
        }
    }

    async fn import(&self, aws: &Resolved<'_>, id: &str) -> Outcome {
        Applied::imported(apply::import(aws.clients, id, aws.ctx).await)
    }
}
