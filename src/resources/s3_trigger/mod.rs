//! `lambdawire_s3_trigger`: one Lambda destination of an S3 bucket's
//! notification configuration, with the statement that lets S3 invoke the
//! function for that bucket. This file decodes, delegates and reports: the
//! rules live in `validate`, `overlap`, `plan` and `flex` (pure) and the
//! AWS steps in `apply`.

pub mod apply;
pub mod flex;
pub mod model;
pub mod overlap;
pub mod plan;
pub mod schema;
pub mod validate;

use std::collections::{HashMap, HashSet};
use std::sync::{Mutex, OnceLock};

use async_trait::async_trait;

use crate::aws::s3::AnyEntry;
use crate::aws::AwsClients;
use crate::plugin::resource::{PlanRequest, Planned};
use crate::plugin::schema::Schema;
use crate::plugin::{known, Diagnostics, Problem};
use crate::resources::adapter::{keep_private, Applied, ManagedResource, Resolved};
use crate::resources::plan_checks::{check_bucket_entry, check_target};
use crate::resources::{function_needs_account, NeedsAccount, PlanContext};
use model::{S3TriggerPrivate, S3TriggerState};

/// `lambdawire_s3_trigger`, as the adapter drives it: no fields,
/// everything it needs comes with each call.
pub struct S3Trigger;

type Outcome = Applied<S3TriggerState, S3TriggerPrivate>;

/// The entries (`bucket/id`) whose replacement a plan of this process has
/// planned. Terraform plans a replacement's new object with no prior
/// state, in the same provider process, right after the plan that found
/// the replacement; the apply deletes the old entry before it writes the
/// new one. The new object's checks must not find the old entry in the
/// way (same id, or the same events and filters).
fn leaving() -> &'static Mutex<HashSet<String>> {
    static LEAVING: OnceLock<Mutex<HashSet<String>>> = OnceLock::new();
    LEAVING.get_or_init(Default::default)
}

fn is_leaving(bucket: &str, id: &str) -> bool {
    leaving()
        .lock()
        .unwrap_or_else(std::sync::PoisonError::into_inner)
        .contains(&flex::import_id(bucket, id))
}

/// The entries the creates planned by this process will write, by bucket:
/// two new triggers of one bucket that overlap each other are refused at
/// plan too, though neither is in AWS yet. Checked and recorded in one
/// step, so of two such plans made at once exactly one is refused. The
/// others of `bucket` than `ours` are returned.
fn planned_with(bucket: &str, ours: Option<&AnyEntry>) -> Vec<AnyEntry> {
    static PLANNED: OnceLock<Mutex<HashMap<String, Vec<AnyEntry>>>> = OnceLock::new();
    let mut all = PLANNED
        .get_or_init(Default::default)
        .lock()
        .unwrap_or_else(std::sync::PoisonError::into_inner);
    let of_bucket = all.entry(bucket.to_string()).or_default();
    let others: Vec<AnyEntry> = of_bucket
        .iter()
        .filter(|e| ours.is_none_or(|o| o.id != e.id))
        .cloned()
        .collect();
    // Only an entry whose id is known can be told from its own re-plan.
    if let Some(ours) = ours.filter(|o| !o.id.is_empty()) {
        of_bucket.retain(|e| e.id != ours.id);
        of_bucket.push(ours.clone());
    }
    others
}

/// The adapter's answer for an apply step: its errors and warnings.
fn applied(out: apply::Outcome) -> Outcome {
    let mut a = Applied::steps(out.state, out.private, out.errors);
    for (summary, detail) in out.warnings {
        a.diagnostics.warning(summary, detail);
    }
    a
}

#[async_trait]
impl ManagedResource for S3Trigger {
    type State = S3TriggerState;
    type Private = S3TriggerPrivate;
    const TYPE_NAME: &'static str = "s3_trigger";

    fn schema(&self) -> Schema {
        schema::s3_trigger_schema()
    }

    fn validate(&self, config: &S3TriggerState) -> Vec<Problem> {
        validate::validate(config)
    }

    fn needs_account(&self, config: Option<&S3TriggerState>) -> NeedsAccount {
        // The bucket's owner defaults to the provider's account.
        match config {
            Some(c) if c.bucket_owner.is_null() => NeedsAccount::Yes,
            _ => function_needs_account(config.map(|s| &s.function_name)),
        }
    }

    fn plan(
        &self,
        _: &mut Diagnostics,
        r: PlanRequest<'_, S3TriggerState, S3TriggerPrivate>,
        ctx: &PlanContext,
    ) -> Option<Planned<S3TriggerState, S3TriggerPrivate>> {
        let planned = match r.prior {
            None => (plan::plan_create(r.proposed, r.config, ctx), Vec::new()),
            Some(prior) => {
                let planned = plan::plan_update(prior, r.proposed, r.config, ctx);
                if let (false, Some(bucket), Some(id)) =
                    (planned.1.is_empty(), known(&prior.bucket), known(&prior.id))
                {
                    leaving()
                        .lock()
                        .unwrap_or_else(std::sync::PoisonError::into_inner)
                        .insert(flex::import_id(bucket, id));
                }
                planned
            }
        };
        keep_private(planned, r.prior_private)
    }

    async fn check_create(
        &self,
        clients: &AwsClients,
        planned: &S3TriggerState,
        ctx: &PlanContext,
        diags: &mut Diagnostics,
    ) {
        let grants: Vec<_> = match (known(&planned.statement_id), ctx.partition.as_deref()) {
            (Some(_), Some(partition)) => vec![flex::grant(planned, partition)],
            _ => Vec::new(),
        };
        let target = (&planned.function_name, &planned.qualifier);
        check_target(clients, ctx, diags, target, &grants, "statement_id").await;
        let Some(bucket) = known(&planned.bucket) else {
            return;
        };
        let ours = flex::planned_entry(planned);
        let id = known(&planned.id);
        let others = planned_with(bucket, ours.as_ref());
        check_bucket_entry(clients, diags, bucket, id, ours.as_ref(), others, |other| {
            is_leaving(bucket, other)
        })
        .await;
    }

    async fn read(
        &self,
        clients: &AwsClients,
        state: S3TriggerState,
        private: S3TriggerPrivate,
    ) -> Outcome {
        Applied::found_keeping(apply::read(clients, &state).await, private)
    }

    async fn create(
        &self,
        aws: &Resolved<'_>,
        planned: S3TriggerState,
        _: S3TriggerState,
        private: S3TriggerPrivate,
    ) -> Outcome {
        drop(private);
        applied(apply::create(aws.clients, planned, aws.ctx).await)
    }

    async fn update(
        &self,
        aws: &Resolved<'_>,
        prior: S3TriggerState,
        planned: S3TriggerState,
        _: S3TriggerState,
        private: S3TriggerPrivate,
    ) -> Outcome {
        applied(apply::update(aws.clients, &prior, &private, planned, aws.ctx).await)
    }

    async fn delete(
        &self,
        aws: &Resolved<'_>,
        prior: S3TriggerState,
        private: S3TriggerPrivate,
    ) -> Outcome {
        applied(apply::delete(aws.clients, &prior, &private, aws.ctx).await)
    }

    async fn import(&self, aws: &Resolved<'_>, id: &str) -> Outcome {
        let found = apply::import(aws.clients, id, aws.ctx).await.map(Some);
        Applied::found_keeping(found, S3TriggerPrivate::default())
    }
}
