//! `lambdawire_function_url_access`: who may call a function URL, as the
//! two statements Lambda requires since October 2025. This file decodes,
//! delegates and reports; the rules live in the pure modules and the AWS
//! steps in `apply`.

pub mod apply;
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
use crate::resources::lambda_invoke_permission::needs_account;
use crate::resources::steps::report_steps;
use crate::resources::{plan_context, plan_facts, reported, PlanContext};
use model::{UrlAccessPrivate, UrlAccessState};

pub struct FunctionUrlAccess {
    pub shared: Arc<Shared>,
}

type Answer = Option<(UrlAccessState, UrlAccessPrivate)>;

impl FunctionUrlAccess {
    async fn context(
        &self,
        diags: &mut Diagnostics,
        s: &UrlAccessState,
    ) -> Option<(Arc<crate::aws::AwsClients>, PlanContext)> {
        let clients = self.shared.clients(diags)?;
        let ctx = plan_context(&clients, needs_account(&s.function_name), diags).await?;
        Some((clients, ctx))
    }
}

fn finish(diags: &mut Diagnostics, (state, errors): apply::Outcome) -> Answer {
    report_steps(diags, errors);
    state.map(|s| (s, UrlAccessPrivate::default()))
}

#[async_trait]
impl Resource for FunctionUrlAccess {
    type State = UrlAccessState;
    type Private = UrlAccessPrivate;

    fn type_name(&self) -> &'static str {
        "function_url_access"
    }

    fn schema(&self) -> Schema {
        schema::url_access_schema()
    }

    fn validate(&self, config: &UrlAccessState) -> Vec<Problem> {
        validate::problems(config)
    }

    async fn plan(
        &self,
        diags: &mut Diagnostics,
        r: PlanRequest<'_, UrlAccessState, UrlAccessPrivate>,
    ) -> Option<Planned<UrlAccessState, UrlAccessPrivate>> {
        let existing = r.prior.is_some();
        let needs = needs_account(&r.config.function_name);
        let ctx = plan_facts(&self.shared, existing, needs, diags).await?;
        let (state, requires_replace) = match r.prior {
            None => (plan::plan_create(r.proposed, r.config), Vec::new()),
            Some(prior) => plan::plan_update(prior, r.proposed, r.config, &ctx),
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
        state: UrlAccessState,
        private: UrlAccessPrivate,
    ) -> Answer {
        let clients = self.shared.clients(diags)?;
        reported(diags, apply::read(&clients, &state).await)?.map(|s| (s, private))
    }

    async fn create(
        &self,
        diags: &mut Diagnostics,
        planned: UrlAccessState,
        config: UrlAccessState,
        _: UrlAccessPrivate,
    ) -> Answer {
        let (clients, ctx) = self.context(diags, &config).await?;
        finish(diags, apply::create(&clients, planned, &ctx).await)
    }

    async fn update(
        &self,
        diags: &mut Diagnostics,
        prior: UrlAccessState,
        planned: UrlAccessState,
        config: UrlAccessState,
        _: UrlAccessPrivate,
    ) -> Answer {
        let (clients, ctx) = self.context(diags, &config).await?;
        finish(diags, apply::update(&clients, &prior, planned, &ctx).await)
    }

    async fn delete(
        &self,
        diags: &mut Diagnostics,
        prior: UrlAccessState,
        _: UrlAccessPrivate,
    ) -> bool {
        let Some((clients, ctx)) = self.context(diags, &prior).await else {
            return false;
        };
        reported(diags, apply::delete(&clients, &prior, &ctx).await).is_some()
    }

    async fn import(&self, diags: &mut Diagnostics, id: &str) -> Answer {
        match plan::import_state(id) {
            Ok(state) => Some((state, UrlAccessPrivate::default())),
            Err(why) => {
                diags.root_error("invalid import id", why);
                None
            }
        }
    }
}
