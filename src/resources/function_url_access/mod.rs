//! `lambdawire_function_url_access`: who may call a function URL, as the
//! two statements Lambda requires since October 2025. This file decodes,
//! delegates and reports; the rules live in the pure modules and the AWS
//! steps in `apply`.

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
use crate::plugin::{Diagnostics, Problem};
use crate::resources::adapter::{keep_private, Applied, ManagedResource, Resolved};
use crate::resources::plan_checks::check_target;
use crate::resources::{function_needs_account, NeedsAccount, PlanContext};
use model::{UrlAccessPrivate, UrlAccessState};

/// `lambdawire_function_url_access`, as the adapter drives it: no fields,
/// everything it needs comes with each call.
pub struct FunctionUrlAccess;

type Outcome = Applied<UrlAccessState, UrlAccessPrivate>;

fn finish((state, errors): apply::Outcome) -> Outcome {
    Applied::steps(state, UrlAccessPrivate::default(), errors)
}

#[async_trait]
impl ManagedResource for FunctionUrlAccess {
    type State = UrlAccessState;
    type Private = UrlAccessPrivate;
    const TYPE_NAME: &'static str = "function_url_access";

    fn schema(&self) -> Schema {
        schema::url_access_schema()
    }

    fn validate(&self, config: &UrlAccessState) -> Vec<Problem> {
        validate::problems(config)
    }

    fn needs_account(&self, config: Option<&UrlAccessState>) -> NeedsAccount {
        function_needs_account(config.map(|s| &s.function_name))
    }

    fn plan(
        &self,
        _: &mut Diagnostics,
        r: PlanRequest<'_, UrlAccessState, UrlAccessPrivate>,
        ctx: &PlanContext,
    ) -> Option<Planned<UrlAccessState, UrlAccessPrivate>> {
        let planned = match r.prior {
            None => (plan::plan_create(r.proposed, r.config, ctx), Vec::new()),
            Some(prior) => plan::plan_update(prior, r.proposed, r.config, ctx),
        };
        keep_private(planned, r.prior_private)
    }

    async fn check_create(
        &self,
        clients: &AwsClients,
        planned: &UrlAccessState,
        ctx: &PlanContext,
        diags: &mut Diagnostics,
    ) {
        // Only whole statements are compared (see the permission's).
        let whole = plan::generated_prefix(planned).is_some();
        let grants = if planned.statement_id_prefix.is_value() && whole {
            plan::KINDS.map(|kind| flex::expand(planned, kind)).to_vec()
        } else {
            Vec::new()
        };
        let target = (&planned.function_name, &planned.qualifier);
        check_target(clients, ctx, diags, target, &grants, "statement_id_prefix").await;
    }

    async fn read(
        &self,
        clients: &AwsClients,
        state: UrlAccessState,
        private: UrlAccessPrivate,
    ) -> Outcome {
        let found = apply::read(clients, &state).await;
        Applied::found_keeping(found, private)
    }

    async fn create(
        &self,
        aws: &Resolved<'_>,
        planned: UrlAccessState,
        _: UrlAccessState,
        _: UrlAccessPrivate,
    ) -> Outcome {
        finish(apply::create(aws.clients, planned, aws.ctx).await)
    }

    async fn update(
        &self,
        aws: &Resolved<'_>,
        prior: UrlAccessState,
        planned: UrlAccessState,
        _: UrlAccessState,
        _: UrlAccessPrivate,
    ) -> Outcome {
        finish(apply::update(aws.clients, &prior, planned, aws.ctx).await)
    }

    async fn delete(
        &self,
        aws: &Resolved<'_>,
        prior: UrlAccessState,
        private: UrlAccessPrivate,
    ) -> Outcome {
        Applied::deleted(apply::delete(aws.clients, &prior, aws.ctx).await, private)
    }

    async fn import(&self, _: &Resolved<'_>, id: &str) -> Outcome {
        Applied::imported(flex::import_state(id))
    }
}
