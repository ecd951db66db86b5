//! `lambdawire_lambda_invoke_permission`: one statement of a Lambda function's
//! resource policy. This file decodes, delegates and reports; the rules live
//! in the pure modules and the AWS steps in `apply`.

pub mod apply;
pub mod flex;
pub mod model;
pub mod moved;
pub mod plan;
pub mod schema;
pub mod upgrade;
pub mod validate;

use async_trait::async_trait;

use crate::aws::AwsClients;
use crate::plugin::resource::{MoveSource, PlanRequest, Planned};
use crate::plugin::schema::Schema;
use crate::plugin::{Diagnostics, Problem};
use crate::resources::adapter::{keep_private, upgrade_answer, Applied, ManagedResource, Resolved};
use crate::resources::plan_checks::check_target;
use crate::resources::{function_needs_account, NeedsAccount, PlanContext};
use model::{PermissionPrivate, PermissionState};

/// `lambdawire_lambda_invoke_permission`, as the adapter drives it: no
/// fields, everything it needs comes with each call.
pub struct LambdaInvokePermission;

type Outcome = Applied<PermissionState, PermissionPrivate>;

/// `private`: what to remember when the outcome is the new state. A failed
/// step returns the prior state (or partial state), which the prior private
/// state describes.
fn finish(
    applied: apply::Outcome,
    private: PermissionPrivate,
    prior_private: PermissionPrivate,
) -> Outcome {
    let (state, errors) = applied;
    let private = if errors.is_empty() {
        private
    } else {
        // A failed update may have left the temporary statement behind.
        PermissionPrivate {
            temporary_statement: true,
            ..prior_private
        }
    };
    Applied::steps(state, private, errors)
}

/// `temporary_statement`: whether the policy may still hold a temporary
/// statement after this step (a create makes none; an update keeps what
/// was known, and the next Read says what is there).
fn private_for(
    planned: &PermissionState,
    token: Option<&str>,
    temporary_statement: bool,
) -> PermissionPrivate {
    PermissionPrivate {
        event_source_token_write_only: flex::write_only_token(planned, token),
        temporary_statement,
    }
}

#[async_trait]
impl ManagedResource for LambdaInvokePermission {
    type State = PermissionState;
    type Private = PermissionPrivate;
    const TYPE_NAME: &'static str = "lambda_invoke_permission";

    fn schema(&self) -> Schema {
        schema::permission_schema()
    }

    fn validate(&self, config: &PermissionState) -> Vec<Problem> {
        plan::problems(config)
    }

    fn needs_account(&self, config: Option<&PermissionState>) -> NeedsAccount {
        function_needs_account(config.map(|s| &s.function_name))
    }

    fn plan(
        &self,
        _: &mut Diagnostics,
        r: PlanRequest<'_, PermissionState, PermissionPrivate>,
        ctx: &PlanContext,
    ) -> Option<Planned<PermissionState, PermissionPrivate>> {
        let planned = match r.prior {
            None => (plan::plan_create(r.proposed, r.config, ctx), Vec::new()),
            Some(prior) => plan::plan_update(
                prior,
                r.proposed,
                r.config,
                r.prior_private.event_source_token_write_only,
                ctx,
            ),
        };
        keep_private(planned, r.prior_private)
    }

    async fn check_create(
        &self,
        clients: &AwsClients,
        planned: &PermissionState,
        ctx: &PlanContext,
        diags: &mut Diagnostics,
    ) {
        // Only a whole statement is compared: with a part still unknown
        // the stored one would seem to hold "other content".
        let whole = planned.statement_id.is_value() && flex::generated_id(planned).is_some();
        let grants = whole.then(|| flex::grant(planned));
        let target = (&planned.function_name, &planned.qualifier);
        check_target(
            clients,
            ctx,
            diags,
            target,
            grants.as_slice(),
            "statement_id",
        )
        .await;
    }

    async fn read(
        &self,
        clients: &AwsClients,
        state: PermissionState,
        private: PermissionPrivate,
    ) -> Outcome {
        let write_only = private.event_source_token_write_only;
        let found = apply::read(clients, &state, write_only).await;
        let found = found.map(|found| {
            found.map(|(state, temporary_statement)| {
                let private = PermissionPrivate {
                    temporary_statement,
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
        planned: PermissionState,
        config: PermissionState,
        private: PermissionPrivate,
    ) -> Outcome {
        let token = flex::token_to_send(&planned, &config);
        let now = private_for(&planned, token.as_deref(), false);
        let applied = apply::create(aws.clients, planned, token.as_deref(), aws.ctx).await;
        finish(applied, now, private)
    }

    async fn update(
        &self,
        aws: &Resolved<'_>,
        prior: PermissionState,
        planned: PermissionState,
        config: PermissionState,
        private: PermissionPrivate,
    ) -> Outcome {
        let token = flex::token_to_send(&planned, &config);
        let now = private_for(&planned, token.as_deref(), private.temporary_statement);
        let resend = now.event_source_token_write_only != private.event_source_token_write_only;
        let applied = apply::update(
            aws.clients,
            &prior,
            planned,
            token.as_deref(),
            resend,
            aws.ctx,
        )
        .await;
        finish(applied, now, private)
    }

    async fn delete(
        &self,
        aws: &Resolved<'_>,
        prior: PermissionState,
        private: PermissionPrivate,
    ) -> Outcome {
        let leftover = private.temporary_statement;
        let deleted = apply::delete(aws.clients, &prior, leftover, aws.ctx).await;
        Applied::deleted(deleted, private)
    }

    async fn import(&self, _: &Resolved<'_>, id: &str) -> Outcome {
        Applied::imported(flex::import_state(id))
    }

    fn upgrade(
        &self,
        diags: &mut Diagnostics,
        version: i64,
        state: serde_json::Value,
    ) -> Option<PermissionState> {
        let upgraded = (version == 0).then(|| upgrade::from_version_0(state));
        upgrade_answer(
            diags,
            Self::TYPE_NAME,
            schema::SCHEMA_VERSION,
            version,
            upgraded,
        )
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
