//! `lambdawire_lambda_invoke_permission`: one statement of a Lambda function's
//! resource policy. This file decodes, delegates and reports; the rules live
//! in the pure modules and the AWS steps in `apply`.

pub mod apply;
pub mod function_ref;
pub mod model;
pub mod plan;
pub mod principal;
pub mod schema;
pub mod statement;
pub mod update_plan;
pub mod validate;

use std::sync::Arc;

use async_trait::async_trait;

use crate::aws::AwsClients;
use crate::plugin::resource::{PlanRequest, Planned, Resource};
use crate::plugin::schema::Schema;
use crate::plugin::{Diagnostics, Problem};
use crate::provider::Shared;
use crate::resources::steps::report_steps;
use crate::resources::{plan_context, reported};
use model::PermissionState;
use plan::Context;

pub struct LambdaInvokePermission {
    pub shared: Arc<Shared>,
}

fn arn_account(s: &PermissionState) -> Option<String> {
    let name = crate::plugin::known(&s.function_name)?;
    function_ref::parse_function_ref(name).ok()?.account_id
}

async fn context(c: &AwsClients, s: &PermissionState, diags: &mut Diagnostics) -> Option<Context> {
    let ctx = plan_context(c, arn_account(s), diags).await?;
    Some(Context {
        partition: ctx.partition,
        region: ctx.region,
        account_id: ctx.account_id,
    })
}

fn finish(diags: &mut Diagnostics, applied: apply::Outcome) -> Option<(PermissionState, ())> {
    let (state, errors) = applied;
    report_steps(diags, errors);
    state.map(|s| (s, ()))
}

#[async_trait]
impl Resource for LambdaInvokePermission {
    type State = PermissionState;
    type Private = ();

    fn type_name(&self) -> &'static str {
        "lambda_invoke_permission"
    }

    fn schema(&self) -> Schema {
        schema::permission_schema()
    }

    fn validate(&self, config: &PermissionState) -> Vec<Problem> {
        plan::problems(config)
    }

    async fn plan(
        &self,
        diags: &mut Diagnostics,
        r: PlanRequest<'_, PermissionState, ()>,
    ) -> Option<Planned<PermissionState, ()>> {
        let clients = self.shared.clients(diags)?;
        let ctx = context(&clients, r.config, diags).await?;
        let (state, requires_replace) = match r.prior {
            None => (plan::plan_create(r.proposed, r.config, &ctx), Vec::new()),
            Some(prior) => plan::plan_update(prior, r.proposed, r.config, &ctx),
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
        state: PermissionState,
        _: (),
    ) -> Option<(PermissionState, ())> {
        let clients = self.shared.clients(diags)?;
        reported(diags, apply::read(&clients, &state).await)?.map(|s| (s, ()))
    }

    async fn create(
        &self,
        diags: &mut Diagnostics,
        planned: PermissionState,
        config: PermissionState,
        _: (),
    ) -> Option<(PermissionState, ())> {
        let clients = self.shared.clients(diags)?;
        let ctx = context(&clients, &config, diags).await?;
        finish(diags, apply::create(&clients, planned, &ctx).await)
    }

    async fn update(
        &self,
        diags: &mut Diagnostics,
        prior: PermissionState,
        planned: PermissionState,
        config: PermissionState,
        _: (),
    ) -> Option<(PermissionState, ())> {
        let clients = self.shared.clients(diags)?;
        let ctx = context(&clients, &config, diags).await?;
        finish(diags, apply::update(&clients, &prior, planned, &ctx).await)
    }

    async fn delete(&self, diags: &mut Diagnostics, prior: PermissionState, _: ()) -> bool {
        let Some(clients) = self.shared.clients(diags) else {
            return false;
        };
        let Some(ctx) = context(&clients, &prior, diags).await else {
            return false;
        };
        reported(diags, apply::delete(&clients, &prior, &ctx).await).is_some()
    }

    async fn import(&self, diags: &mut Diagnostics, id: &str) -> Option<(PermissionState, ())> {
        match apply::import_state(id) {
            Ok(state) => Some((state, ())),
            Err(why) => {
                diags.root_error("invalid import id", why);
                None
            }
        }
    }
}
