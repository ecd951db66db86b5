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
use tf_provider::schema::Schema;
use tf_provider::value::ValueEmpty;
use tf_provider::{AttributePath, Diagnostics, Resource};

use crate::aws::AwsClients;
use crate::provider::Shared;
use crate::resources::plan_context;
use crate::resources::steps::report_steps;
use crate::tf::diag::report;
use model::PermissionState;
use plan::Context;

pub struct LambdaInvokePermission {
    pub shared: Arc<Shared>,
}

fn arn_account(s: &PermissionState) -> Option<String> {
    let name = crate::tf::known(&s.function_name)?;
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

#[async_trait]
impl Resource for LambdaInvokePermission {
    type State<'a> = PermissionState;
    type PrivateState<'a> = ValueEmpty;
    type ProviderMetaState<'a> = ValueEmpty;

    fn schema(&self, _diags: &mut Diagnostics) -> Option<Schema> {
        Some(schema::permission_schema())
    }

    async fn validate<'a>(&self, diags: &mut Diagnostics, config: Self::State<'a>) -> Option<()> {
        report(diags, plan::problems(&config));
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
        if !report(diags, plan::problems(&config)) {
            return None;
        }
        let clients = self.shared.clients(diags)?;
        let ctx = context(&clients, &config, diags).await?;
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
        if !report(diags, plan::problems(&config)) {
            return None;
        }
        let clients = self.shared.clients(diags)?;
        let ctx = context(&clients, &config, diags).await?;
        let (planned, replace) = plan::plan_update(&prior, proposed, &config, &ctx);
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
        let ctx = context(&clients, &config, diags).await?;
        let (state, errors) = apply::create(&clients, planned, &ctx).await;
        report_steps(diags, errors);
        state.map(|s| (s, ValueEmpty::default()))
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
        let ctx = context(&clients, &config, diags).await?;
        let (state, errors) = apply::update(&clients, &prior, planned, &ctx).await;
        report_steps(diags, errors);
        state.map(|s| (s, ValueEmpty::default()))
    }

    async fn destroy<'a>(
        &self,
        diags: &mut Diagnostics,
        prior: Self::State<'a>,
        _private: Self::PrivateState<'a>,
        _meta: Self::ProviderMetaState<'a>,
    ) -> Option<()> {
        let clients = self.shared.clients(diags)?;
        let ctx = context(&clients, &prior, diags).await?;
        match apply::delete(&clients, &prior, &ctx).await {
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
        match apply::import_state(&id) {
            Ok(state) => Some((state, ValueEmpty::default())),
            Err(why) => {
                diags.root_error("invalid import id", why);
                None
            }
        }
    }
}
