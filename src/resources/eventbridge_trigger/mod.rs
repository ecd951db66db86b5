//! `lambdawire_eventbridge_trigger`: an EventBridge rule whose target is a
//! Lambda function, with the grant the function's policy needs for it.
//! This file decodes, delegates and reports: the rules live in `validate`,
//! `plan` and `flex` (pure) and the AWS steps in `apply`.

pub mod apply;
pub mod flex;
pub mod model;
pub mod plan;
pub mod schema;
pub mod validate;

use async_trait::async_trait;

use crate::aws::AwsClients;
use crate::plugin::resource::{PlanRequest, Planned};
use crate::plugin::schema::Schema;
use crate::plugin::{known, AttributePath, Diagnostics, Problem, Value};
use crate::resources::adapter::{keep_private, Applied, ManagedResource, Resolved};
use crate::resources::plan_checks::{
    check_event_bus_and_rule, check_target, foreign_event_bus, report, Gravity,
};
use crate::resources::{NeedsAccount, PlanContext};
use model::{TriggerPrivate, TriggerState};

/// `lambdawire_eventbridge_trigger`, as the adapter drives it: no fields,
/// everything it needs comes with each call.
pub struct EventBridgeTrigger;

type Outcome = Applied<TriggerState, TriggerPrivate>;

impl From<apply::Outcome> for Outcome {
    fn from(o: apply::Outcome) -> Self {
        let private = TriggerPrivate {
            temporary_statement: o.temporary_statement,
            rule: o.rule,
        };
        Applied::steps(o.state, private, o.errors)
    }
}

#[async_trait]
impl ManagedResource for EventBridgeTrigger {
    type State = TriggerState;
    type Private = TriggerPrivate;
    const TYPE_NAME: &'static str = "eventbridge_trigger";

    fn schema(&self) -> Schema {
        schema::eventbridge_trigger_schema()
    }

    fn validate(&self, config: &TriggerState) -> Vec<Problem> {
        validate::validate(config)
    }

    /// The rule's ARN, which the grant is scoped to, holds the account.
    fn needs_account(&self, _: Option<&TriggerState>) -> NeedsAccount {
        NeedsAccount::Yes
    }

    fn plan(
        &self,
        _: &mut Diagnostics,
        r: PlanRequest<'_, TriggerState, TriggerPrivate>,
        ctx: &PlanContext,
    ) -> Option<Planned<TriggerState, TriggerPrivate>> {
        let planned = match r.prior {
            None => (plan::plan_create(r.proposed, r.config, ctx), Vec::new()),
            Some(prior) => plan::plan_update(prior, r.proposed, r.config, ctx),
        };
        keep_private(planned, r.prior_private)
    }

    async fn check_create(
        &self,
        clients: &AwsClients,
        planned: &TriggerState,
        ctx: &PlanContext,
        diags: &mut Diagnostics,
    ) {
        // Only a whole statement is compared: with a part still unknown
        // the stored one would seem to hold "other content".
        let grants = match planned.statement_id {
            Value::Value(_) => vec![flex::grant(planned)],
            _ => Vec::new(),
        };
        let rule = (known(&planned.event_bus_name), known(&planned.name));
        if let (Some(bus), Some(name)) = rule {
            let path = AttributePath::new("event_bus_name");
            if let Some(p) = foreign_event_bus(&path, bus, ctx) {
                return report(diags, Gravity::Error, p);
            }
            let id = flex::trigger_id(bus, name);
            let trigger = (flex::STATEMENT_PREFIX, known(&planned.target_id));
            let grant = grants.first();
            check_event_bus_and_rule(clients, diags, (bus, name), trigger, grant, &id).await;
            if diags.has_errors() {
                return;
            }
        }
        let target = (&planned.function_name, &planned.qualifier);
        check_target(clients, ctx, diags, target, &grants, "statement_id").await;
    }

    async fn read(
        &self,
        clients: &AwsClients,
        state: TriggerState,
        private: TriggerPrivate,
    ) -> Outcome {
        let found = apply::read(clients, &state).await;
        let found = found.map(|found| {
            found.map(|(state, temporary_statement)| {
                let private = TriggerPrivate {
                    temporary_statement,
                    // What this resource wrote stays its proof, whatever
                    // the rule holds now.
                    ..private.clone()
                };
                (state, private)
            })
        });
        Applied::found(found, private)
    }

    async fn create(
        &self,
        aws: &Resolved<'_>,
        planned: TriggerState,
        _: TriggerState,
        _: TriggerPrivate,
    ) -> Outcome {
        apply::create(aws.clients, planned, aws.ctx).await.into()
    }

    async fn update(
        &self,
        aws: &Resolved<'_>,
        prior: TriggerState,
        planned: TriggerState,
        _: TriggerState,
        private: TriggerPrivate,
    ) -> Outcome {
        let written = (private.temporary_statement, private.rule.as_ref());
        apply::update(aws.clients, &prior, planned, written, aws.ctx)
            .await
            .into()
    }

    async fn delete(
        &self,
        aws: &Resolved<'_>,
        prior: TriggerState,
        private: TriggerPrivate,
    ) -> Outcome {
        let leftover = private.temporary_statement;
        match apply::delete(aws.clients, &prior, leftover, aws.ctx).await {
            Ok(released) => {
                let mut outcome = Applied::done(None, private);
                if let Some(why) = released {
                    outcome
                        .diagnostics
                        .warning("The EventBridge rule was released, not deleted", why);
                }
                outcome
            }
            Err(e) => Applied::deleted(Err(e), private),
        }
    }

    async fn import(&self, aws: &Resolved<'_>, id: &str) -> Outcome {
        let found = apply::import(aws.clients, id).await;
        let found = found.map(|found| {
            found.map(|(state, temporary_statement)| {
                // Importing adopts the rule as it is.
                let rule = Some(flex::rule_spec(&state));
                let private = TriggerPrivate {
                    temporary_statement,
                    rule,
                };
                (state, private)
            })
        });
        Applied::found(found, TriggerPrivate::default())
    }
}
