//! The provider half of every resource's lifecycle, written once.
//!
//! [`plugin::resource::Resource`](crate::plugin::resource::Resource) is the
//! protocol's contract: it hands a resource typed values and takes typed
//! answers. What lies between that and a resource's own logic is the same
//! for every resource: find the configured AWS clients in [`Shared`], work
//! out the provider facts a plan depends on ([`PlanContext`]), call the
//! pure plan, and turn an apply's outcome into state and diagnostics. This
//! module does it; a resource implements [`ManagedResource`]:
//!
//! - a pure, synchronous [`ManagedResource::plan`], handed the facts;
//! - `read` (handed the clients) and `create`, `update`, `delete`, `import`
//!   (handed the clients and the facts), each answering one [`Applied`];
//! - [`ManagedResource::needs_account`], which says whether the facts must
//!   include the provider's account.
//!
//! terraform-plugin-framework does the same with `Configure` and its
//! ProviderData, hashicorp/aws with `ResourceWithConfigure` and `r.Meta()`.
//! No resource module reads [`Shared`] or imports the provider.

use std::sync::Arc;

use async_trait::async_trait;

use crate::aws::clients::AccountSource;
use crate::aws::AwsClients;
use crate::plugin::resource::{
    DataSource, DynDataSource, DynResource, Erased, Model, MoveSource, PlanRequest, Planned,
    Resource,
};
use crate::plugin::schema::Schema;
use crate::plugin::{AttributePath, Diagnostics, Problem};
use crate::resources::steps::{report_steps, StepError};
use crate::resources::{NeedsAccount, PlanContext};
use crate::shared::{PlanProvider, Shared};

/// What a create, update, delete, import or read did: the state to record
/// (`None`: no state, because nothing exists or it was confirmed gone), its
/// private state, and what went wrong or deserves a word.
///
/// A delete succeeded when its diagnostics hold no error; a failed one
/// keeps the prior state whatever `state` says. A read or update with
/// errors and no state keeps the prior state too: only a clean `None` is
/// "gone".
#[derive(Debug)]
pub struct Applied<S, P> {
    /// The state to record; `None`: no state (see above for when the prior
    /// one is kept instead).
    pub state: Option<S>,
    /// The private state to record with `state`.
    pub private: P,
    /// Errors and warnings for Terraform; any error marks the operation failed.
    pub diagnostics: Diagnostics,
}

impl<S, P> Applied<S, P> {
    /// Every step succeeded (or there was nothing to do).
    pub fn done(state: Option<S>, private: P) -> Self {
        Applied {
            state,
            private,
            diagnostics: Diagnostics::default(),
        }
    }

    /// The outcome of a sequence of steps: what exists, and each failed
    /// step reported as an error diagnostic.
    pub fn steps(state: Option<S>, private: P, errors: Vec<StepError>) -> Self {
        let mut diagnostics = Diagnostics::default();
        report_steps(&mut diagnostics, errors);
        Applied {
            state,
            private,
            diagnostics,
        }
    }

    /// A read's or an import's answer: what was found (`None`: confirmed
    /// gone), or the step that failed, with `kept` as the private state.
    pub fn found(result: Result<Option<(S, P)>, StepError>, kept: P) -> Self {
        match result {
            Ok(Some((state, private))) => Applied::done(Some(state), private),
            Ok(None) => Applied::done(None, kept),
            Err(failure) => Applied::steps(None, kept, vec![failure]),
        }
    }

    /// Nothing was done: one error, no state.
    pub fn refused(private: P, summary: impl Into<String>, detail: impl Into<String>) -> Self {
        let mut diagnostics = Diagnostics::default();
        diagnostics.root_error(summary, detail);
        Applied {
            state: None,
            private,
            diagnostics,
        }
    }

    /// A read that leaves the private state as it was: what was found
    /// (`None`: confirmed gone), or the step that failed.
    pub fn found_keeping(found: Result<Option<S>, StepError>, private: P) -> Self
    where
        P: Clone,
    {
        Applied::found(found.map(|s| s.map(|s| (s, private.clone()))), private)
    }

    /// A delete's answer: no state, and the step that failed, if one did.
    pub fn deleted(result: Result<(), StepError>, private: P) -> Self {
        Applied::steps(None, private, result.err().into_iter().collect())
    }

    /// An import that reads the id alone: the state it names (Read fills
    /// in the rest), or why the id is not one.
    pub fn imported(state: Result<S, String>) -> Self
    where
        P: Default,
    {
        match state {
            Ok(state) => Applied::done(Some(state), P::default()),
            Err(why) => Applied::refused(P::default(), "invalid import id", why),
        }
    }

    fn into_answer(self, diags: &mut Diagnostics) -> Option<(S, P)> {
        diags.extend(self.diagnostics);
        let private = self.private;
        self.state.map(|s| (s, private))
    }
}

/// A plan that carries the prior private state on: the planned state and
/// the attributes whose change forces replacement.
pub fn keep_private<S, P>(
    (state, requires_replace): (S, Vec<AttributePath>),
    private: P,
) -> Option<Planned<S, P>> {
    Some(Planned {
        state,
        private,
        requires_replace,
    })
}

/// What an `upgrade` answers: the state `upgraded` made of one stored by
/// schema `version`, or an error on the resource saying why there is none.
/// `upgraded` is `None` for a version no upgrade is known from: state a
/// newer release wrote, which the resource at `current` cannot read.
pub fn upgrade_answer<S>(
    diags: &mut Diagnostics,
    type_name: &str,
    current: i64,
    version: i64,
    upgraded: Option<Result<S, String>>,
) -> Option<S> {
    let why = match upgraded {
        Some(Ok(state)) => return Some(state),
        Some(Err(why)) => why,
        None => format!(
            "This lambdawire release knows schema version {current} and no upgrade from \
             {version}; state written by a newer lambdawire cannot be read by an older one."
        ),
    };
    diags.root_error(
        format!("cannot upgrade lambdawire_{type_name} state from schema version {version}"),
        why,
    );
    None
}

/// What create, update, delete and import are handed: the configured
/// clients and the provider facts, the account among them when
/// [`ManagedResource::needs_account`] asked for it.
pub struct Resolved<'a> {
    /// The provider's configured clients.
    pub clients: &'a AwsClients,
    /// The provider facts, every one known: partition, region, the account
    /// (unless not needed and not known), the default tags and the time.
    pub ctx: &'a PlanContext,
}

/// A managed resource, as the adapter drives it. Implement this, register
/// `Adapter::new(shared, YourResource)` in [`crate::resources::all`], and
/// the protocol layer and the adapter do the rest (see CONTRIBUTING.md,
/// "Adding a resource").
#[async_trait]
pub trait ManagedResource: Send + Sync + 'static {
    /// The state model: its field names are the schema's attribute names.
    type State: Model;
    /// What private state keeps (stored as JSON): what Terraform need not
    /// show, such as roles waiting to be deleted.
    type Private: Model + PartialEq;

    /// The type name without the provider prefix.
    const TYPE_NAME: &'static str;

    /// The resource's schema; its `version` is the state version `upgrade` reads.
    fn schema(&self) -> Schema;

    /// Problems in a configuration, with their attribute paths; unknown
    /// values are skipped. Pure: no AWS call is made for a configuration
    /// that has any.
    fn validate(&self, config: &Self::State) -> Vec<Problem>;

    /// Whether plan and apply need the provider's account for this
    /// configuration (`None`: an import, which has none yet).
    fn needs_account(&self, config: Option<&Self::State>) -> NeedsAccount;

    /// The planned state of a create (`request.prior` is `None`) or an
    /// update, and what forces replacement. Pure and synchronous:
    /// validation has passed, `ctx` holds the provider facts, and a problem
    /// only those facts reveal goes into `diags`.
    fn plan(
        &self,
        diags: &mut Diagnostics,
        request: PlanRequest<'_, Self::State, Self::Private>,
        ctx: &PlanContext,
    ) -> Option<Planned<Self::State, Self::Private>>;

    /// What the plan of a create (or of a replacement's new object) can see
    /// in AWS (SPEC, "Plan-time checks against AWS"): reads only, through
    /// [`crate::aws::plan_reads`] so each object is read once per plan, and
    /// only for values the plan knows. Problems go into `diags` on their
    /// attribute; a read that fails (AccessDenied, a throttle) is no
    /// evidence and is skipped with a log line. Updates of existing
    /// objects check nothing, so a re-plan costs no request more.
    async fn check_create(
        &self,
        _clients: &AwsClients,
        _planned: &Self::State,
        _ctx: &PlanContext,
        _diags: &mut Diagnostics,
    ) {
    }

    /// What the plan of a destroy of `prior` can see in AWS that the user
    /// should know (SPEC: a role a function or schedules still use):
    /// warnings only, reads only, and a read that fails is skipped.
    async fn check_destroy(
        &self,
        _clients: &AwsClients,
        _prior: &Self::State,
        _diags: &mut Diagnostics,
    ) {
    }

    /// The remote state. Return the prior value where remote and prior mean
    /// the same thing (normalisation), the remote one where they differ
    /// (drift), and no state only on a confirmed not-found.
    async fn read(
        &self,
        clients: &AwsClients,
        state: Self::State,
        private: Self::Private,
    ) -> Applied<Self::State, Self::Private>;

    /// Create; on failure, what exists (partial state) or no state.
    async fn create(
        &self,
        aws: &Resolved<'_>,
        planned: Self::State,
        config: Self::State,
        private: Self::Private,
    ) -> Applied<Self::State, Self::Private>;

    /// Update in place; on failure, what AWS holds now.
    async fn update(
        &self,
        aws: &Resolved<'_>,
        prior: Self::State,
        planned: Self::State,
        config: Self::State,
        private: Self::Private,
    ) -> Applied<Self::State, Self::Private>;

    /// Delete; not-found is success.
    async fn delete(
        &self,
        aws: &Resolved<'_>,
        prior: Self::State,
        private: Self::Private,
    ) -> Applied<Self::State, Self::Private>;

    /// The state of the object `id` names (Read runs after it).
    async fn import(&self, aws: &Resolved<'_>, id: &str) -> Applied<Self::State, Self::Private>;

    /// State stored by an older schema `version`, as the current model.
    fn upgrade(
        &self,
        diags: &mut Diagnostics,
        version: i64,
        _state: serde_json::Value,
    ) -> Option<Self::State> {
        upgrade_answer(diags, Self::TYPE_NAME, self.schema().version, version, None)
    }

    /// The state of another type's resource that a `moved` block names, as
    /// this resource's, with no AWS call; `None` with no diagnostic when
    /// moves from that type are not supported.
    fn move_from(&self, _diags: &mut Diagnostics, _source: &MoveSource<'_>) -> Option<Self::State> {
        None
    }
}

/// The one implementation of the protocol's resource contract: the
/// provider's shared handle plus a [`ManagedResource`].
pub struct Adapter<R> {
    shared: Arc<Shared>,
    resource: R,
}

impl<R: ManagedResource> Adapter<R> {
    /// The resource as the protocol layer serves it.
    pub fn boxed(shared: &Arc<Shared>, resource: R) -> Box<dyn DynResource> {
        Box::new(Erased(Adapter {
            shared: shared.clone(),
            resource,
        }))
    }

    /// The clients and the facts for an apply, or `None` with the reason in
    /// `diags`.
    async fn resolve(
        &self,
        diags: &mut Diagnostics,
        config: Option<&R::State>,
    ) -> Option<(Arc<AwsClients>, PlanContext)> {
        let clients = configured(&self.shared, diags)?;
        let needs = self.resource.needs_account(config);
        let ctx = plan_context(&clients, needs, diags).await?;
        Some((clients, ctx))
    }
}

#[async_trait]
impl<R: ManagedResource> Resource for Adapter<R> {
    type State = R::State;
    type Private = R::Private;

    fn type_name(&self) -> &'static str {
        R::TYPE_NAME
    }

    fn schema(&self) -> Schema {
        self.resource.schema()
    }

    fn validate(&self, config: &R::State) -> Vec<Problem> {
        self.resource.validate(config)
    }

    async fn plan(
        &self,
        diags: &mut Diagnostics,
        request: PlanRequest<'_, R::State, R::Private>,
    ) -> Option<Planned<R::State, R::Private>> {
        let needs = self.resource.needs_account(Some(request.config));
        let creating = request.prior.is_none();
        let (clients, ctx) = plan_facts(&self.shared, !creating, needs, diags).await?;
        let planned = self.resource.plan(diags, request, &ctx)?;
        if let (true, Some(clients)) = (creating, clients) {
            self.resource
                .check_create(&clients, &planned.state, &ctx, diags)
                .await;
        }
        Some(planned)
    }

    async fn plan_destroy(&self, diags: &mut Diagnostics, prior: R::State) {
        // A provider that cannot be configured yet warns of nothing: the
        // destroy itself reports that.
        let mut unconfigured = Diagnostics::default();
        if let Some(PlanProvider::Known(clients)) = self.shared.plan_provider(&mut unconfigured) {
            self.resource.check_destroy(&clients, &prior, diags).await;
        }
    }

    async fn read(
        &self,
        diags: &mut Diagnostics,
        state: R::State,
        private: R::Private,
    ) -> Option<(R::State, R::Private)> {
        let clients = configured(&self.shared, diags)?;
        self.resource
            .read(&clients, state, private)
            .await
            .into_answer(diags)
    }

    async fn create(
        &self,
        diags: &mut Diagnostics,
        planned: R::State,
        config: R::State,
        private: R::Private,
    ) -> Option<(R::State, R::Private)> {
        let (clients, ctx) = self.resolve(diags, Some(&config)).await?;
        let aws = Resolved {
            clients: &clients,
            ctx: &ctx,
        };
        let applied = self.resource.create(&aws, planned, config, private).await;
        applied.into_answer(diags)
    }

    async fn update(
        &self,
        diags: &mut Diagnostics,
        prior: R::State,
        planned: R::State,
        config: R::State,
        private: R::Private,
    ) -> Option<(R::State, R::Private)> {
        let (clients, ctx) = self.resolve(diags, Some(&config)).await?;
        let aws = Resolved {
            clients: &clients,
            ctx: &ctx,
        };
        let applied = self
            .resource
            .update(&aws, prior, planned, config, private)
            .await;
        applied.into_answer(diags)
    }

    async fn delete(&self, diags: &mut Diagnostics, prior: R::State, private: R::Private) -> bool {
        let Some((clients, ctx)) = self.resolve(diags, Some(&prior)).await else {
            return false;
        };
        let aws = Resolved {
            clients: &clients,
            ctx: &ctx,
        };
        let applied = self.resource.delete(&aws, prior, private).await;
        let clean = !applied.diagnostics.has_errors();
        diags.extend(applied.diagnostics);
        clean
    }

    async fn import(&self, diags: &mut Diagnostics, id: &str) -> Option<(R::State, R::Private)> {
        let (clients, ctx) = self.resolve(diags, None).await?;
        let aws = Resolved {
            clients: &clients,
            ctx: &ctx,
        };
        self.resource.import(&aws, id).await.into_answer(diags)
    }

    fn upgrade(
        &self,
        diags: &mut Diagnostics,
        version: i64,
        state: serde_json::Value,
    ) -> Option<R::State> {
        self.resource.upgrade(diags, version, state)
    }

    fn move_from(&self, diags: &mut Diagnostics, source: &MoveSource<'_>) -> Option<R::State> {
        self.resource.move_from(diags, source)
    }
}

/// A data source, as the adapter drives it: handed the configured clients.
#[async_trait]
pub trait ReadOnly: Send + Sync + 'static {
    /// The model of configuration and result alike: field names are the
    /// schema's attribute names.
    type State: Model;
    /// The type name without the provider prefix.
    const TYPE_NAME: &'static str;
    /// The data source's schema.
    fn schema(&self) -> Schema;
    /// Problems in a configuration, with their paths; unknown values are skipped.
    fn validate(&self, config: &Self::State) -> Vec<Problem>;
    /// The data source's values, or `None` with its errors.
    async fn read(
        &self,
        diags: &mut Diagnostics,
        clients: &AwsClients,
        config: Self::State,
    ) -> Option<Self::State>;
}

/// The protocol's data-source contract over a [`ReadOnly`].
pub struct DataAdapter<D> {
    shared: Arc<Shared>,
    data_source: D,
}

impl<D: ReadOnly> DataAdapter<D> {
    /// The data source as the protocol layer serves it.
    pub fn boxed(shared: &Arc<Shared>, data_source: D) -> Box<dyn DynDataSource> {
        Box::new(Erased(DataAdapter {
            shared: shared.clone(),
            data_source,
        }))
    }
}

#[async_trait]
impl<D: ReadOnly> DataSource for DataAdapter<D> {
    type State = D::State;

    fn type_name(&self) -> &'static str {
        D::TYPE_NAME
    }

    fn schema(&self) -> Schema {
        self.data_source.schema()
    }

    fn validate(&self, config: &D::State) -> Vec<Problem> {
        self.data_source.validate(config)
    }

    async fn read(&self, diags: &mut Diagnostics, config: D::State) -> Option<D::State> {
        let clients = configured(&self.shared, diags)?;
        self.data_source.read(diags, &clients, config).await
    }
}

/// The configured clients, or the reason there are none in `diags`: for
/// reads, applies, imports and data sources, which must act with the
/// configured identity. The one place that asks [`Shared`] for them.
fn configured(shared: &Shared, diags: &mut Diagnostics) -> Option<Arc<AwsClients>> {
    shared.clients(diags)
}

/// The plan-time facts of a configured provider: region, partition and the
/// account (see [`AwsClients::account_id`]); an error when the account is
/// needed and none is known.
pub async fn plan_context(
    c: &AwsClients,
    needs: NeedsAccount,
    diags: &mut Diagnostics,
) -> Option<PlanContext> {
    let account = match c.account_id().await {
        Ok(account) => account,
        Err(e) => {
            e.report(diags, "reading the AWS account id (sts:GetCallerIdentity)");
            return None;
        }
    };
    if let Err((summary, detail)) = check_account(&c.account_source, account.as_deref(), needs) {
        // No attribute path: `account_id` is the provider's, not this
        // resource's, and Terraform resolves a path against the resource.
        diags.root_error(summary, detail);
        return None;
    }
    Some(facts(c, account))
}

/// The facts of the provider `c` is configured for, with `account` its
/// account: what a plan knows, and what a refresh or an apply that must
/// compute an ARN from a state knows too.
pub fn facts(c: &AwsClients, account: Option<String>) -> PlanContext {
    PlanContext {
        partition: Some(c.partition.to_string()),
        region: Some(c.region.clone()),
        account_id: account,
        default_tags: Some(c.default_tags.clone()),
        now: chrono::Utc::now(),
    }
}

/// The facts for a plan. While the provider configuration is unknown (see
/// `LambdawireProvider::configure`) a new resource plans with no facts, so
/// its account-dependent values are unknown: Terraform applies only after
/// configuring with known values, and an unknown planned value may become
/// anything. An existing resource (`existing`) fails instead, as its read
/// already does: its values were made with a known identity, and planning
/// them unknown would hide whether the new identity changes them.
async fn plan_facts(
    shared: &Shared,
    existing: bool,
    needs: NeedsAccount,
    diags: &mut Diagnostics,
) -> Option<(Option<Arc<AwsClients>>, PlanContext)> {
    match shared.plan_provider(diags)? {
        PlanProvider::Known(clients) => {
            let ctx = plan_context(&clients, needs, diags).await?;
            Some((Some(clients), ctx))
        }
        PlanProvider::Unknown if existing => {
            // Reports the unknown arguments.
            let _ = configured(shared, diags);
            None
        }
        PlanProvider::Unknown => Some((
            None,
            PlanContext {
                now: chrono::Utc::now(),
                ..PlanContext::default()
            },
        )),
    }
}

/// A missing account that is needed, or an STS account other than the
/// configured `account_id`, as (summary, detail).
fn check_account(
    source: &AccountSource,
    account: Option<&str>,
    needs: NeedsAccount,
) -> Result<(), (String, String)> {
    match (source, account) {
        (
            AccountSource::Sts {
                expected: Some(want),
            },
            Some(got),
        ) if want != got => Err((
            format!("the credentials belong to account {got}, not account_id {want}"),
            "The provider's account_id must be the account STS GetCallerIdentity answers for \
             these credentials. Fix account_id, or use the credentials of that account."
                .to_string(),
        )),
        (_, None) if needs == NeedsAccount::Yes => Err((
            "the AWS account id is not known: set account_id in the provider block".to_string(),
            "skip_requesting_account_id = true means the provider does not ask STS for the \
             account, so it must be given as the provider's account_id argument (12 digits). \
             It is never taken from a function ARN, which may name another account."
                .to_string(),
        )),
        _ => Ok(()),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn an_upgrade_answers_its_state_or_says_why_on_the_resource() {
        let mut diags = Diagnostics::default();
        assert_eq!(upgrade_answer(&mut diags, "x", 1, 0, Some(Ok(7))), Some(7));
        assert!(!diags.has_errors());
        let failed: Option<i32> =
            upgrade_answer(&mut diags, "x", 1, 0, Some(Err("does not decode".into())));
        let newer: Option<i32> = upgrade_answer(&mut diags, "x", 1, 3, None);
        assert_eq!((failed, newer), (None, None));
        let said: Vec<(String, String)> = diags
            .errors
            .iter()
            .map(|d| (d.summary.clone(), d.detail.clone()))
            .collect();
        assert_eq!(
            said,
            [
                (
                    "cannot upgrade lambdawire_x state from schema version 0".to_string(),
                    "does not decode".to_string()
                ),
                (
                    "cannot upgrade lambdawire_x state from schema version 3".to_string(),
                    "This lambdawire release knows schema version 1 and no upgrade from 3; \
                     state written by a newer lambdawire cannot be read by an older one."
                        .to_string()
                ),
            ]
        );
    }

    #[test]
    fn a_needed_missing_account_names_account_id() {
        let err = check_account(&AccountSource::Missing, None, NeedsAccount::Yes);
        let (summary, detail) = err.err().unwrap_or_default();
        assert!(summary.contains("account_id"), "{summary}");
        assert!(
            detail.contains("never taken from a function ARN"),
            "{detail}"
        );
        assert!(check_account(&AccountSource::Missing, None, NeedsAccount::No).is_ok());
        let configured = AccountSource::Configured("111122223333".into());
        assert!(check_account(&configured, Some("111122223333"), NeedsAccount::Yes).is_ok());
    }

    #[test]
    fn sts_must_answer_the_configured_account() {
        let expecting = AccountSource::Sts {
            expected: Some("111122223333".into()),
        };
        let err = check_account(&expecting, Some("123456789012"), NeedsAccount::No);
        assert!(err.is_err_and(|(s, _)| s.contains("account_id 111122223333")));
        assert!(check_account(&expecting, Some("111122223333"), NeedsAccount::Yes).is_ok());
        let any = AccountSource::Sts { expected: None };
        assert!(check_account(&any, Some("123456789012"), NeedsAccount::Yes).is_ok());
    }

    /// An unknown provider configuration: a new resource plans with no
    /// facts, an existing one gets the "not known yet" error.
    #[tokio::test]
    async fn unknown_configuration_plans_new_and_rejects_existing() {
        let shared = Shared::unknown_for_tests(vec!["assume_role.role_arn".into()]);
        let mut diags = Diagnostics::default();
        let ctx = plan_facts(&shared, false, NeedsAccount::Yes, &mut diags).await;
        assert!(!diags.has_errors());
        let (clients, ctx) = ctx.unwrap_or_else(|| panic!("a context"));
        assert!(clients.is_none(), "no clients: nothing is checked in AWS");
        assert!(ctx.account_id.is_none() && ctx.place().is_none());

        let existing = plan_facts(&shared, true, NeedsAccount::Yes, &mut diags).await;
        assert!(existing.is_none());
        let text: Vec<String> = diags.all().map(|d| format!("{d:?}")).collect();
        assert!(
            text.iter()
                .any(|d| d.contains("not known yet") && d.contains("assume_role.role_arn")),
            "{text:?}"
        );
        let mut diags = Diagnostics::default();
        assert!(configured(&shared, &mut diags).is_none());
        assert!(diags.has_errors());
    }

    /// `Applied::steps` reports each failed step; a delete with an error
    /// is a failed delete whatever its state says.
    #[test]
    fn applied_steps_report_each_failure() {
        use crate::aws::{AwsError, ErrorKind};
        let failure = StepError {
            doing: "deleting X".into(),
            error: AwsError {
                operation: "DeleteX",
                code: "AccessDenied".into(),
                message: "no".into(),
                request_id: Some("req-1".into()),
                kind: ErrorKind::AccessDenied,
            },
        };
        let applied: Applied<String, ()> = Applied::steps(None, (), vec![failure]);
        assert!(applied.diagnostics.has_errors());
        let mut diags = Diagnostics::default();
        assert_eq!(applied.into_answer(&mut diags), None);
        assert_eq!(diags.errors.len(), 1);
        assert!(diags.errors[0].summary.contains("deleting X"), "{diags:?}");
    }
}
