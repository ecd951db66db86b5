//! `lambdawire_sqs_event_source`: Lambda polling an SQS queue, with the
//! grant the function's execution role needs for it. This file decodes,
//! delegates and reports: the rules live in `validate`, `plan` and `flex`
//! (pure) and the AWS steps in `apply`.

pub mod apply;
pub mod flex;
pub mod model;
pub mod plan;
pub mod schema;
pub mod upgrade;
pub mod validate;

use async_trait::async_trait;

use crate::aws::AwsClients;
use crate::plugin::diag::report;
use crate::plugin::resource::{PlanRequest, Planned};
use crate::plugin::schema::Schema;
use crate::plugin::{Diagnostics, Problem};
use crate::resources::adapter::{keep_private, upgrade_answer, Applied, ManagedResource, Resolved};
use crate::resources::plan_checks::check_target;
use crate::resources::{function_needs_account, NeedsAccount, PlanContext};
use model::{SqsEventSourcePrivate, SqsEventSourceState};

/// `lambdawire_sqs_event_source`, as the adapter drives it: no fields,
/// everything it needs comes with each call.
pub struct SqsEventSource;

type Outcome = Applied<SqsEventSourceState, SqsEventSourcePrivate>;

impl From<apply::Applied> for Outcome {
    fn from(applied: apply::Applied) -> Self {
        Applied::steps(applied.state, applied.private, applied.errors)
    }
}

#[async_trait]
impl ManagedResource for SqsEventSource {
    type State = SqsEventSourceState;
    type Private = SqsEventSourcePrivate;
    const TYPE_NAME: &'static str = "sqs_event_source";

    fn schema(&self) -> Schema {
        schema::sqs_event_source_schema()
    }

    fn validate(&self, config: &SqsEventSourceState) -> Vec<Problem> {
        validate::validate(config)
    }

    fn needs_account(&self, config: Option<&SqsEventSourceState>) -> NeedsAccount {
        function_needs_account(config.map(|s| &s.function_name))
    }

    fn plan(
        &self,
        diags: &mut Diagnostics,
        r: PlanRequest<'_, SqsEventSourceState, SqsEventSourcePrivate>,
        ctx: &PlanContext,
    ) -> Option<Planned<SqsEventSourceState, SqsEventSourcePrivate>> {
        if !report(
            diags,
            plan::region_problem(r.config, ctx).into_iter().collect(),
        ) {
            return None;
        }
        let planned = match r.prior {
            None => (plan::plan_create(r.proposed, r.config), Vec::new()),
            Some(prior) => plan::plan_update(
                prior,
                r.proposed,
                r.config,
                r.prior_private.role_from_function,
                ctx,
            ),
        };
        keep_private(planned, r.prior_private)
    }

    async fn check_create(
        &self,
        clients: &AwsClients,
        planned: &SqsEventSourceState,
        ctx: &PlanContext,
        diags: &mut Diagnostics,
    ) {
        // A qualifier rides in the function name, if anywhere.
        let target = (&planned.function_name, &crate::plugin::Value::Null);
        check_target(clients, ctx, diags, target, &[], "function_name").await;
    }

    async fn read(
        &self,
        clients: &AwsClients,
        state: SqsEventSourceState,
        private: SqsEventSourcePrivate,
    ) -> Outcome {
        let kept = private.clone();
        Applied::found(apply::read(clients, &state, private).await, kept)
    }

    async fn create(
        &self,
        aws: &Resolved<'_>,
        planned: SqsEventSourceState,
        config: SqsEventSourceState,
        _: SqsEventSourcePrivate,
    ) -> Outcome {
        let role_from_function = config.role_name.is_null();
        apply::create(aws.clients, planned, role_from_function)
            .await
            .into()
    }

    async fn update(
        &self,
        aws: &Resolved<'_>,
        prior: SqsEventSourceState,
        planned: SqsEventSourceState,
        config: SqsEventSourceState,
        private: SqsEventSourcePrivate,
    ) -> Outcome {
        let role_from_function = config.role_name.is_null();
        apply::update(aws.clients, &prior, planned, role_from_function, &private)
            .await
            .into()
    }

    async fn delete(
        &self,
        aws: &Resolved<'_>,
        prior: SqsEventSourceState,
        private: SqsEventSourcePrivate,
    ) -> Outcome {
        Applied::deleted(apply::delete(aws.clients, &prior, &private).await, private)
    }

    async fn import(&self, aws: &Resolved<'_>, id: &str) -> Outcome {
        let found = apply::import(aws.clients, id, aws.ctx).await.map(Some);
        Applied::found(found, SqsEventSourcePrivate::default())
    }

    fn upgrade(
        &self,
        diags: &mut Diagnostics,
        version: i64,
        state: serde_json::Value,
    ) -> Option<SqsEventSourceState> {
        let upgraded = (version == 0).then(|| upgrade::from_version_0(state));
        upgrade_answer(
            diags,
            Self::TYPE_NAME,
            schema::SCHEMA_VERSION,
            version,
            upgraded,
        )
    }
}
