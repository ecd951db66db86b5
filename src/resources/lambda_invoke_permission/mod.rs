//! `lambdawire_lambda_invoke_permission`: one statement of a Lambda function's
//! resource policy. This file decodes, delegates and reports; the rules live
//! in the pure modules and the AWS steps in `apply`.

pub mod apply;
pub mod model;
pub mod moved;
pub mod plan;
pub mod schema;
pub mod update_plan;
pub mod upgrade;
pub mod validate;

use std::sync::Arc;

use async_trait::async_trait;

use crate::aws::AwsClients;
use crate::plugin::resource::{MoveSource, PlanRequest, Planned, Resource};
use crate::plugin::schema::Schema;
use crate::plugin::{Diagnostics, Problem, Str};
use crate::provider::Shared;
use crate::resources::steps::report_steps;
use crate::resources::{plan_context, plan_facts, reported, NeedsAccount, PlanContext};
use model::{PermissionPrivate, PermissionState};

pub struct LambdaInvokePermission {
    pub shared: Arc<Shared>,
}

/// The provider's account is needed unless the function is named by an ARN
/// with its own account (that account is the function's, which is all the
/// ARN says). A name still unknown may turn out to be such an ARN (it often
/// comes from `aws_lambda_function.x.arn`): it does not fail the plan, and
/// the plan Terraform makes again during apply, before any call, decides.
pub(crate) fn needs_account(function_name: &Str) -> NeedsAccount {
    let Some(name) = crate::plugin::known(function_name) else {
        return NeedsAccount::No;
    };
    let own_account = crate::lambda::function_ref::parse_function_ref(name)
        .ok()
        .and_then(|r| r.account_id);
    match own_account {
        Some(_) => NeedsAccount::No,
        None => NeedsAccount::Yes,
    }
}

async fn context(
    c: &AwsClients,
    s: &PermissionState,
    diags: &mut Diagnostics,
) -> Option<PlanContext> {
    plan_context(c, needs_account(&s.function_name), diags).await
}

/// `private`: what to remember when the outcome is the new state.
fn finish(
    diags: &mut Diagnostics,
    applied: apply::Outcome,
    private: PermissionPrivate,
    prior_private: PermissionPrivate,
) -> Option<(PermissionState, PermissionPrivate)> {
    let (state, errors) = applied;
    // A failed step returns the prior state (or partial state), which the
    // prior private state describes.
    let private = if errors.is_empty() {
        private
    } else {
        prior_private
    };
    report_steps(diags, errors);
    state.map(|s| (s, private))
}

fn private_for(planned: &PermissionState, token: Option<&str>) -> PermissionPrivate {
    PermissionPrivate {
        event_source_token_write_only: apply::write_only_token(planned, token),
    }
}

#[async_trait]
impl Resource for LambdaInvokePermission {
    type State = PermissionState;
    type Private = PermissionPrivate;

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
        r: PlanRequest<'_, PermissionState, PermissionPrivate>,
    ) -> Option<Planned<PermissionState, PermissionPrivate>> {
        let existing = r.prior.is_some();
        let ctx = plan_facts(
            &self.shared,
            existing,
            needs_account(&r.config.function_name),
            diags,
        )
        .await?;
        let (state, requires_replace) = match r.prior {
            None => (plan::plan_create(r.proposed, r.config, &ctx), Vec::new()),
            Some(prior) => plan::plan_update(
                prior,
                r.proposed,
                r.config,
                r.prior_private.event_source_token_write_only,
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
        state: PermissionState,
        private: PermissionPrivate,
    ) -> Option<(PermissionState, PermissionPrivate)> {
        let clients = self.shared.clients(diags)?;
        let write_only = private.event_source_token_write_only;
        reported(diags, apply::read(&clients, &state, write_only).await)?.map(|s| (s, private))
    }

    async fn create(
        &self,
        diags: &mut Diagnostics,
        planned: PermissionState,
        config: PermissionState,
        private: PermissionPrivate,
    ) -> Option<(PermissionState, PermissionPrivate)> {
        let clients = self.shared.clients(diags)?;
        let ctx = context(&clients, &config, diags).await?;
        let token = apply::token_to_send(&planned, &config);
        let now = private_for(&planned, token.as_deref());
        let applied = apply::create(&clients, planned, token.as_deref(), &ctx).await;
        finish(diags, applied, now, private)
    }

    async fn update(
        &self,
        diags: &mut Diagnostics,
        prior: PermissionState,
        planned: PermissionState,
        config: PermissionState,
        private: PermissionPrivate,
    ) -> Option<(PermissionState, PermissionPrivate)> {
        let clients = self.shared.clients(diags)?;
        let ctx = context(&clients, &config, diags).await?;
        let token = apply::token_to_send(&planned, &config);
        let now = private_for(&planned, token.as_deref());
        let resend = now != private;
        let applied =
            apply::update(&clients, &prior, planned, token.as_deref(), resend, &ctx).await;
        finish(diags, applied, now, private)
    }

    async fn delete(
        &self,
        diags: &mut Diagnostics,
        prior: PermissionState,
        _: PermissionPrivate,
    ) -> bool {
        let Some(clients) = self.shared.clients(diags) else {
            return false;
        };
        let Some(ctx) = context(&clients, &prior, diags).await else {
            return false;
        };
        reported(diags, apply::delete(&clients, &prior, &ctx).await).is_some()
    }

    async fn import(
        &self,
        diags: &mut Diagnostics,
        id: &str,
    ) -> Option<(PermissionState, PermissionPrivate)> {
        match apply::import_state(id) {
            Ok(state) => Some((state, PermissionPrivate::default())),
            Err(why) => {
                diags.root_error("invalid import id", why);
                None
            }
        }
    }

    fn upgrade(
        &self,
        diags: &mut Diagnostics,
        version: i64,
        state: serde_json::Value,
    ) -> Option<PermissionState> {
        let upgraded = match version {
            0 => upgrade::from_version_0(state),
            other => Err(format!(
                "no upgrade from schema version {other} is known (this release writes {})",
                schema::SCHEMA_VERSION
            )),
        };
        upgraded
            .map_err(|why| {
                diags.root_error(
                    "cannot upgrade the state of lambdawire_lambda_invoke_permission",
                    why,
                )
            })
            .ok()
    }

    fn move_from(
        &self,
        diags: &mut Diagnostics,
        source: &MoveSource<'_>,
    ) -> Option<PermissionState> {
        if !moved::is_aws_lambda_permission(source.provider_address, source.type_name) {
            diags.root_error(
                format!(
                    "{} ({}) cannot be moved to lambdawire_lambda_invoke_permission",
                    source.type_name, source.provider_address
                ),
                format!(
                    "lambdawire_lambda_invoke_permission accepts `moved` only from {} of \
                     hashicorp/aws. Otherwise remove the old resource from state \
                     (terraform state rm, or a `removed` block) and import the statement \
                     with its id <function>[:<qualifier>]/<statement_id>.",
                    moved::AWS_TYPE
                ),
            );
            return None;
        }
        moved::from_aws_lambda_permission(&source.state)
            .map_err(|why| {
                diags.root_error(
                    format!("cannot move {} state", moved::AWS_TYPE),
                    format!("The hashicorp/aws state is not what lambdawire expects: {why}."),
                )
            })
            .ok()
    }
}
