//! THE resource contract. Every managed resource implements [`Resource`],
//! every data source [`DataSource`], every provider function [`Function`];
//! the layer decodes each request into the resource's typed model, calls it,
//! and encodes the answer. The Terraform lifecycle rules are written here,
//! once, rather than in each resource:
//!
//! - a configuration is validated (pure, no AWS call) before every plan, so
//!   no bad input reaches AWS even when `terraform validate` was skipped;
//! - destroy plans are answered by the layer (nothing to plan);
//! - write-only attributes are null in every planned and new state;
//! - a Read error keeps the prior state (never a silent removal), and a
//!   confirmed "gone" removes it;
//! - a failed delete keeps the prior state, so nothing in AWS is forgotten;
//! - a failed create or update returns whatever the resource reports as
//!   partial state, and Terraform records it;
//! - stored state of an older schema version goes through `upgrade`.
//!
//! Resources return `None` for "no state" and report failures in the
//! [`Diagnostics`] they are given.

use async_trait::async_trait;
use serde::de::DeserializeOwned;
use serde::Serialize;

use super::diag::{report, AttributePath, Diagnostics, Problem};
use super::schema::{FunctionSchema, Schema};
use super::value::{from_json, from_msgpack, msgpack_is_null, to_msgpack, MSGPACK_NULL};

/// A resource's state model: field names are attribute names.
pub trait Model: Serialize + DeserializeOwned + Clone + Default + Send + Sync + 'static {}
impl<T: Serialize + DeserializeOwned + Clone + Default + Send + Sync + 'static> Model for T {}

/// A plan of a create (`prior` is `None`) or of an update.
pub struct PlanRequest<'a, S, P> {
    /// The state before this plan; `None` for a create.
    pub prior: Option<&'a S>,
    /// Terraform's proposal: the configuration merged over the prior state.
    pub proposed: S,
    /// The configuration as written: null where the user set nothing, unknown
    /// where a value comes from something not yet applied.
    pub config: &'a S,
    /// The private state the prior apply left (the default for a create).
    pub prior_private: P,
}

/// A resource's answer to a plan: the planned state, the private state to
/// hand on to apply, and what forces replacement.
pub struct Planned<S, P> {
    /// The state apply will be given; unknown where only apply can learn a value.
    pub state: S,
    /// Carried to apply unchanged, then replaced by what apply returns.
    pub private: P,
    /// Attributes whose change forces replacement.
    pub requires_replace: Vec<AttributePath>,
}

/// Where a `moved` block comes from.
pub struct MoveSource<'a> {
    /// Such as `registry.terraform.io/hashicorp/aws`.
    pub provider_address: &'a str,
    /// The source type's full name, prefix included, such as `aws_scheduler_schedule`.
    pub type_name: &'a str,
    /// The state version the source provider stored `state` at.
    pub schema_version: i64,
    /// The source resource's state, as Terraform stored it.
    pub state: serde_json::Value,
}

/// A managed resource, in typed values: the protocol layer decodes each
/// request into `State` and `Private`, calls one of these, and applies the
/// lifecycle rules in this module's header to the answer. In this provider
/// [`crate::resources::adapter::Adapter`] implements it for every resource.
#[async_trait]
pub trait Resource: Send + Sync + 'static {
    /// The state model: field names are the schema's attribute names.
    type State: Model;
    /// What the resource keeps in private state (stored as JSON): what
    /// Terraform need not show, such as roles waiting to be deleted.
    type Private: Model + PartialEq;

    /// The type name without the provider prefix.
    fn type_name(&self) -> &'static str;

    /// The resource's schema; its `version` is the state version `upgrade` reads.
    fn schema(&self) -> Schema;

    /// Problems in a configuration; unknown values are skipped.
    fn validate(&self, config: &Self::State) -> Vec<Problem>;

    /// The planned state; validation has passed.
    async fn plan(
        &self,
        diags: &mut Diagnostics,
        request: PlanRequest<'_, Self::State, Self::Private>,
    ) -> Option<Planned<Self::State, Self::Private>>;

    /// What a destroy plan of `prior` should warn about (a role something
    /// still uses, say). Warnings only: a destroy is never refused, so a
    /// failure here is no error.
    async fn plan_destroy(&self, _diags: &mut Diagnostics, _prior: Self::State) {}

    /// The remote state (`None`: confirmed gone). Return the prior value
    /// where remote and prior mean the same thing (normalisation), the
    /// remote one where they differ (drift).
    async fn read(
        &self,
        diags: &mut Diagnostics,
        state: Self::State,
        private: Self::Private,
    ) -> Option<(Self::State, Self::Private)>;

    /// Create; on failure return what exists (partial state) or `None`.
    async fn create(
        &self,
        diags: &mut Diagnostics,
        planned: Self::State,
        config: Self::State,
        private: Self::Private,
    ) -> Option<(Self::State, Self::Private)>;

    /// Update in place (the plan forced no replacement); on failure return the
    /// state as it now is, or `None` to keep the prior one.
    async fn update(
        &self,
        diags: &mut Diagnostics,
        prior: Self::State,
        planned: Self::State,
        config: Self::State,
        private: Self::Private,
    ) -> Option<(Self::State, Self::Private)>;

    /// Delete; not-found is success. False when it failed (reported).
    async fn delete(
        &self,
        diags: &mut Diagnostics,
        prior: Self::State,
        private: Self::Private,
    ) -> bool;

    /// The state of an existing object named by `id` (`terraform import`), or
    /// `None` with an error when it is not found or `id` does not parse.
    async fn import(
        &self,
        diags: &mut Diagnostics,
        id: &str,
    ) -> Option<(Self::State, Self::Private)>;

    /// State stored by schema `version` (older than the current one), as
    /// the current model. Version 0 state of a resource still at version 0
    /// never comes here.
    fn upgrade(
        &self,
        diags: &mut Diagnostics,
        version: i64,
        _state: serde_json::Value,
    ) -> Option<Self::State> {
        diags.root_error(
            format!(
                "cannot upgrade {} state from schema version {version}",
                self.type_name()
            ),
            format!(
                "This lambdawire release knows schema version {} and no upgrade from {version}; \
                 state written by a newer lambdawire cannot be read by an older one.",
                self.schema().version
            ),
        );
        None
    }

    /// The state of a resource of another type that a `moved` block names,
    /// as this resource's, with no AWS call. `None` with no diagnostic:
    /// moves from that type are not supported.
    fn move_from(&self, _diags: &mut Diagnostics, _source: &MoveSource<'_>) -> Option<Self::State> {
        None
    }
}

/// A data source, in typed values: one `read` per plan or refresh, with no
/// state kept between them.
#[async_trait]
pub trait DataSource: Send + Sync + 'static {
    /// The model of configuration and result alike: `read` fills in the computed attributes.
    type State: Model;
    /// The type name without the provider prefix.
    fn type_name(&self) -> &'static str;
    /// The data source's schema (its version is unused: a data source keeps no state).
    fn schema(&self) -> Schema;
    /// Problems in a configuration, with their paths; unknown values are skipped.
    fn validate(&self, config: &Self::State) -> Vec<Problem>;
    /// The configuration with its computed attributes filled in, or `None` with
    /// an error in `diags`.
    async fn read(&self, diags: &mut Diagnostics, config: Self::State) -> Option<Self::State>;
}

/// A provider function: pure, no AWS call.
pub trait Function: Send + Sync + 'static {
    /// The arguments, in parameter order (a struct decodes from the list).
    type Args: DeserializeOwned;
    /// The result, encoded as the schema's `return_type`.
    type Output: Serialize;
    /// The name Terraform calls it by: `provider::lambdawire::<name>(...)`.
    fn name(&self) -> &'static str;
    /// The signature and documentation.
    fn schema(&self) -> FunctionSchema;
    /// The result, or an error in `diags` naming the argument.
    fn call(&self, diags: &mut Diagnostics, args: Self::Args) -> Option<Self::Output>;
}

/// An encoded answer: MessagePack bytes plus diagnostics.
pub struct Answer<T> {
    /// The answer itself, already encoded for the wire.
    pub value: T,
    /// Errors and warnings to send with it; an error makes Terraform ignore `value`.
    pub diags: Diagnostics,
}

/// The result of PlanResourceChange in wire form.
pub struct PlannedWire {
    /// The planned state, MessagePack; MessagePack nil for a destroy.
    pub state: Vec<u8>,
    /// The private state, JSON bytes, empty when it is the default.
    pub private: Vec<u8>,
    /// Attributes whose change forces replacement.
    pub requires_replace: Vec<AttributePath>,
}

/// What the server calls: [`Resource`] with the types erased, over bytes.
#[async_trait]
pub trait DynResource: Send + Sync {
    /// The type name without the provider prefix.
    fn type_name(&self) -> &'static str;
    /// The schema as [`Resource::schema`] gives it.
    fn schema(&self) -> Schema;
    /// ValidateResourceConfig: a diagnostic per problem in the MessagePack configuration.
    fn validate(&self, config: &[u8]) -> Diagnostics;
    /// PlanResourceChange: MessagePack prior state, proposal and configuration
    /// (nil prior for a create, nil proposal for a destroy) and JSON private state.
    async fn plan(
        &self,
        prior: &[u8],
        proposed: &[u8],
        config: &[u8],
        private: &[u8],
    ) -> Answer<PlannedWire>;
    /// (state, private)
    async fn apply(
        &self,
        prior: &[u8],
        planned: &[u8],
        config: &[u8],
        private: &[u8],
    ) -> Answer<(Vec<u8>, Vec<u8>)>;
    /// ReadResource: the refreshed (state, private), nil state when confirmed gone,
    /// the given ones when the read failed.
    async fn read(&self, state: &[u8], private: &[u8]) -> Answer<(Vec<u8>, Vec<u8>)>;
    /// ImportResourceState: the imported (state, private), or `None` with an error.
    async fn import(&self, id: &str) -> Answer<Option<(Vec<u8>, Vec<u8>)>>;
    /// UpgradeResourceState: JSON state stored at `version`, as current MessagePack state.
    fn upgrade(&self, version: i64, json: &[u8]) -> Answer<Vec<u8>>;
    /// MoveResourceState: the source's state as this type's, `None` when not supported.
    fn move_from(&self, source: &MoveSource<'_>) -> Answer<Option<Vec<u8>>>;
}

/// What the server calls: [`DataSource`] with the types erased, over bytes.
#[async_trait]
pub trait DynDataSource: Send + Sync {
    /// The type name without the provider prefix.
    fn type_name(&self) -> &'static str;
    /// The data source's schema.
    fn schema(&self) -> Schema;
    /// ValidateDataResourceConfig: a diagnostic per problem in the configuration.
    fn validate(&self, config: &[u8]) -> Diagnostics;
    /// ReadDataSource: the MessagePack configuration with computed values filled in.
    async fn read(&self, config: &[u8]) -> Answer<Vec<u8>>;
}

/// What the server calls: [`Function`] with the types erased, over bytes.
pub trait DynFunction: Send + Sync {
    /// The name Terraform calls it by.
    fn name(&self) -> &'static str;
    /// The signature and documentation.
    fn schema(&self) -> FunctionSchema;
    /// CallFunction: one MessagePack value per argument in; the result, or `None`
    /// with an error naming the argument.
    fn call(&self, arguments: &[Vec<u8>]) -> Answer<Option<Vec<u8>>>;
}

/// A value Terraform sent that does not decode into the model: a bug in
/// the caller or a schema mismatch, never a panic.
fn decode<T: DeserializeOwned>(diags: &mut Diagnostics, bytes: &[u8]) -> Option<T> {
    match from_msgpack(bytes) {
        Ok(value) => Some(value),
        Err(why) => {
            diags.root_error("Terraform sent a value lambdawire cannot read", why);
            None
        }
    }
}

fn decode_optional<T: DeserializeOwned>(
    diags: &mut Diagnostics,
    bytes: &[u8],
) -> Option<Option<T>> {
    if msgpack_is_null(bytes) {
        Some(None)
    } else {
        decode(diags, bytes).map(Some)
    }
}

/// Decode a configuration and validate it: one diagnostic per problem, or
/// one for a value that does not decode.
pub(crate) fn validate_bytes<S: DeserializeOwned>(
    config: &[u8],
    validate: impl FnOnce(&S) -> Vec<Problem>,
) -> Diagnostics {
    let mut diags = Diagnostics::default();
    if let Some(config) = decode::<S>(&mut diags, config) {
        report(&mut diags, validate(&config));
    }
    diags
}

/// Private state is ours: empty means "none yet". One that does not decode
/// (written by another release, say) is dropped with a warning rather than
/// refused: a refusal would block every plan and destroy of the resource.
fn decode_private<P: Model>(diags: &mut Diagnostics, bytes: &[u8]) -> P {
    if bytes.is_empty() {
        return P::default();
    }
    match serde_json::from_slice(bytes) {
        Ok(p) => p,
        Err(why) => {
            diags.warning(
                "lambdawire could not read this resource's private state; it starts afresh",
                format!("{why}. Private state holds what Terraform need not show, such as roles waiting to be deleted."),
            );
            P::default()
        }
    }
}

fn encode_private<P: Model + PartialEq>(private: &P) -> Vec<u8> {
    if *private == P::default() {
        return Vec::new();
    }
    serde_json::to_vec(private).unwrap_or_default()
}

/// Encode a state with its write-only attributes set to null: Terraform
/// rejects any other value for them in a plan or a state.
fn encode_state<S: Serialize>(
    diags: &mut Diagnostics,
    schema: &Schema,
    state: &S,
) -> Option<Vec<u8>> {
    let write_only: Vec<&str> = schema
        .block
        .attributes
        .iter()
        .filter(|(_, a)| a.write_only)
        .map(|(n, _)| n.as_str())
        .collect();
    let encoded = if write_only.is_empty() {
        to_msgpack(state)
    } else {
        null_attributes(state, &write_only)
    };
    match encoded {
        Ok(bytes) => Some(bytes),
        Err(why) => {
            diags.root_error("lambdawire could not encode a state", why);
            None
        }
    }
}

fn null_attributes<S: Serialize>(state: &S, names: &[&str]) -> Result<Vec<u8>, String> {
    let named = to_msgpack(state)?;
    let mut value = rmpv::decode::read_value(&mut named.as_slice()).map_err(|e| e.to_string())?;
    if let rmpv::Value::Map(entries) = &mut value {
        for (key, v) in entries.iter_mut() {
            if key.as_str().is_some_and(|k| names.contains(&k)) {
                *v = rmpv::Value::Nil;
            }
        }
    }
    let mut out = Vec::new();
    rmpv::encode::write_value(&mut out, &value).map_err(|e| e.to_string())?;
    Ok(out)
}

/// Run resource code so that a panic (a bug: an index out of range, an
/// overflow in a dependency) becomes an error diagnostic with `fallback` as
/// the answer, never a dropped RPC that makes Terraform forget state.
async fn guarded<T>(
    work: impl std::future::Future<Output = Answer<T>>,
    fallback: impl FnOnce() -> T,
) -> Answer<T> {
    use futures::FutureExt as _;
    match std::panic::AssertUnwindSafe(work).catch_unwind().await {
        Ok(answer) => answer,
        Err(_) => {
            let mut diags = Diagnostics::default();
            diags.root_error(
                "lambdawire stopped on an internal error (a bug)",
                "Terraform keeps the state it had. If this was a create, objects it made may exist \
                 in AWS: the next plan or apply names any it finds. Please report this with the \
                 provider log (TF_LOG_PROVIDER=DEBUG).",
            );
            Answer {
                value: fallback(),
                diags,
            }
        }
    }
}

/// Erase a resource's types.
pub struct Erased<R>(pub R);

#[async_trait]
impl<R: Resource> DynResource for Erased<R> {
    fn type_name(&self) -> &'static str {
        self.0.type_name()
    }

    fn schema(&self) -> Schema {
        self.0.schema()
    }

    fn validate(&self, config: &[u8]) -> Diagnostics {
        validate_bytes(config, |c: &R::State| self.0.validate(c))
    }

    async fn plan(
        &self,
        prior: &[u8],
        proposed: &[u8],
        config: &[u8],
        private: &[u8],
    ) -> Answer<PlannedWire> {
        let refused = || PlannedWire {
            state: MSGPACK_NULL.to_vec(),
            private: private.to_vec(),
            requires_replace: Vec::new(),
        };
        guarded(
            async {
                let mut diags = Diagnostics::default();
                let value = self
                    .plan_inner(&mut diags, prior, proposed, config, private)
                    .await
                    .unwrap_or_else(refused);
                Answer { value, diags }
            },
            refused,
        )
        .await
    }

    async fn apply(
        &self,
        prior: &[u8],
        planned: &[u8],
        config: &[u8],
        private: &[u8],
    ) -> Answer<(Vec<u8>, Vec<u8>)> {
        // Whatever goes wrong, keep what Terraform had, so nothing is lost.
        let kept = || (prior.to_vec(), private.to_vec());
        guarded(
            async {
                let mut diags = Diagnostics::default();
                let value = self
                    .apply_inner(&mut diags, prior, planned, config, private)
                    .await
                    .unwrap_or_else(kept);
                Answer { value, diags }
            },
            kept,
        )
        .await
    }

    async fn read(&self, state: &[u8], private: &[u8]) -> Answer<(Vec<u8>, Vec<u8>)> {
        guarded(self.read_inner(state, private), || {
            (state.to_vec(), private.to_vec())
        })
        .await
    }

    async fn import(&self, id: &str) -> Answer<Option<(Vec<u8>, Vec<u8>)>> {
        guarded(
            async {
                let mut diags = Diagnostics::default();
                let schema = self.0.schema();
                let value = match self.0.import(&mut diags, id).await {
                    Some((s, p)) => {
                        encode_state(&mut diags, &schema, &s).map(|s| (s, encode_private(&p)))
                    }
                    None => None,
                };
                Answer { value, diags }
            },
            || None,
        )
        .await
    }

    fn upgrade(&self, version: i64, json: &[u8]) -> Answer<Vec<u8>> {
        let mut diags = Diagnostics::default();
        let schema = self.0.schema();
        let state = if version == schema.version {
            // Same version: state decodes as is; attributes added since it
            // was written (additive changes) decode as null.
            match from_json::<R::State>(json) {
                Ok(s) => Some(s),
                Err(why) => {
                    diags.root_error(
                        format!("stored {} state does not decode", self.0.type_name()),
                        why,
                    );
                    None
                }
            }
        } else if version > schema.version {
            diags.root_error(
                format!("{} state is from a newer lambdawire", self.0.type_name()),
                format!(
                    "It was written with schema version {version}; this release knows up to {}. \
                     Use the lambdawire release that wrote it, or a newer one.",
                    schema.version
                ),
            );
            None
        } else {
            match serde_json::from_slice(json) {
                Ok(raw) => self.0.upgrade(&mut diags, version, raw),
                Err(why) => {
                    diags.root_error("stored state is not JSON", why.to_string());
                    None
                }
            }
        };
        let value = state
            .and_then(|s| encode_state(&mut diags, &schema, &s))
            .unwrap_or_else(|| MSGPACK_NULL.to_vec());
        Answer { value, diags }
    }

    fn move_from(&self, source: &MoveSource<'_>) -> Answer<Option<Vec<u8>>> {
        let mut diags = Diagnostics::default();
        let value = self
            .0
            .move_from(&mut diags, source)
            .and_then(|s| encode_state(&mut diags, &self.0.schema(), &s));
        Answer { value, diags }
    }
}

impl<R: Resource> Erased<R> {
    async fn read_inner(&self, state: &[u8], private: &[u8]) -> Answer<(Vec<u8>, Vec<u8>)> {
        let mut diags = Diagnostics::default();
        let kept = (state.to_vec(), private.to_vec());
        let Some(current) = decode::<R::State>(&mut diags, state) else {
            return Answer { value: kept, diags };
        };
        let p = decode_private::<R::Private>(&mut diags, private);
        let value = match self.0.read(&mut diags, current, p).await {
            Some((s, p)) => match encode_state(&mut diags, &self.0.schema(), &s) {
                Some(s) => (s, encode_private(&p)),
                None => kept,
            },
            // A read that failed keeps the state; only a clean "gone" drops it.
            None if diags.has_errors() => kept,
            None => (MSGPACK_NULL.to_vec(), Vec::new()),
        };
        Answer { value, diags }
    }
}

impl<R: Resource> Erased<R> {
    async fn plan_inner(
        &self,
        diags: &mut Diagnostics,
        prior: &[u8],
        proposed: &[u8],
        config: &[u8],
        private: &[u8],
    ) -> Option<PlannedWire> {
        // Destroy: nothing to plan but warnings; the private state goes on
        // to apply. A prior state that does not decode warns of nothing
        // rather than blocking the destroy.
        let Some(proposed) = decode_optional::<R::State>(diags, proposed)? else {
            if let Ok(prior) = from_msgpack::<R::State>(prior) {
                let mut found = Diagnostics::default();
                self.0.plan_destroy(&mut found, prior).await;
                diags.warnings.extend(found.warnings);
            }
            return Some(PlannedWire {
                state: MSGPACK_NULL.to_vec(),
                private: private.to_vec(),
                requires_replace: Vec::new(),
            });
        };
        let prior_private = decode_private::<R::Private>(diags, private);
        let config = decode::<R::State>(diags, config)?;
        if !report(diags, self.0.validate(&config)) {
            return None;
        }
        let prior = decode_optional::<R::State>(diags, prior)?;
        let request = PlanRequest {
            prior: prior.as_ref(),
            proposed,
            config: &config,
            prior_private,
        };
        let planned = self.0.plan(diags, request).await?;
        Some(PlannedWire {
            state: encode_state(diags, &self.0.schema(), &planned.state)?,
            private: encode_private(&planned.private),
            requires_replace: planned.requires_replace,
        })
    }

    async fn apply_inner(
        &self,
        diags: &mut Diagnostics,
        prior: &[u8],
        planned: &[u8],
        config: &[u8],
        private: &[u8],
    ) -> Option<(Vec<u8>, Vec<u8>)> {
        let schema = self.0.schema();
        let p = decode_private::<R::Private>(diags, private);
        let prior_state = decode_optional::<R::State>(diags, prior)?;
        let planned_state = decode_optional::<R::State>(diags, planned)?;
        let outcome = match (prior_state, planned_state) {
            (Some(prior_state), None) => {
                if self.0.delete(diags, prior_state, p).await {
                    return Some((MSGPACK_NULL.to_vec(), Vec::new()));
                }
                // A failed delete keeps the resource in state.
                return Some((prior.to_vec(), private.to_vec()));
            }
            (None, Some(planned_state)) => {
                let config = decode::<R::State>(diags, config)?;
                self.0.create(diags, planned_state, config, p).await
            }
            (Some(prior_state), Some(planned_state)) => {
                let config = decode::<R::State>(diags, config)?;
                let outcome = self
                    .0
                    .update(diags, prior_state, planned_state, config, p)
                    .await;
                if outcome.is_none() {
                    // An update never makes a resource vanish from state.
                    return Some((prior.to_vec(), private.to_vec()));
                }
                outcome
            }
            (None, None) => None,
        };
        match outcome {
            // A state that cannot be encoded keeps the prior one (`None`).
            Some((s, p)) => {
                encode_state(diags, &schema, &s).map(|s| (without_unknowns(s), encode_private(&p)))
            }
            None => Some((MSGPACK_NULL.to_vec(), Vec::new())),
        }
    }
}

/// An applied state never holds an unknown (Terraform rejects it as an
/// inconsistent result and then records nothing). A partial state after a
/// failed step still may, for values that step would have learned: they
/// become null, which the next refresh fills in.
fn without_unknowns(state: Vec<u8>) -> Vec<u8> {
    fn walk(v: &mut rmpv::Value) {
        match v {
            rmpv::Value::Ext(..) => *v = rmpv::Value::Nil,
            rmpv::Value::Array(items) => items.iter_mut().for_each(walk),
            rmpv::Value::Map(entries) => entries.iter_mut().for_each(|(_, v)| walk(v)),
            _ => {}
        }
    }
    let Ok(mut value) = rmpv::decode::read_value(&mut state.as_slice()) else {
        return state;
    };
    walk(&mut value);
    let mut out = Vec::new();
    match rmpv::encode::write_value(&mut out, &value) {
        Ok(()) => out,
        Err(_) => state,
    }
}

#[async_trait]
impl<D: DataSource> DynDataSource for Erased<D> {
    fn type_name(&self) -> &'static str {
        self.0.type_name()
    }

    fn schema(&self) -> Schema {
        self.0.schema()
    }

    fn validate(&self, config: &[u8]) -> Diagnostics {
        validate_bytes(config, |c: &D::State| self.0.validate(c))
    }

    async fn read(&self, config: &[u8]) -> Answer<Vec<u8>> {
        let work = async {
            let mut diags = Diagnostics::default();
            let mut state = None;
            if let Some(config) = decode::<D::State>(&mut diags, config) {
                if report(&mut diags, self.0.validate(&config)) {
                    state = self.0.read(&mut diags, config).await;
                }
            }
            let value = state
                .and_then(|s| encode_state(&mut diags, &self.0.schema(), &s))
                .unwrap_or_else(|| MSGPACK_NULL.to_vec());
            Answer { value, diags }
        };
        guarded(work, || MSGPACK_NULL.to_vec()).await
    }
}

impl<F: Function> DynFunction for Erased<F> {
    fn name(&self) -> &'static str {
        self.0.name()
    }

    fn schema(&self) -> FunctionSchema {
        self.0.schema()
    }

    fn call(&self, arguments: &[Vec<u8>]) -> Answer<Option<Vec<u8>>> {
        let work = std::panic::AssertUnwindSafe(|| self.call_inner(arguments));
        std::panic::catch_unwind(work).unwrap_or_else(|_| {
            let mut diags = Diagnostics::default();
            diags.function_error(
                0,
                "lambdawire stopped on an internal error (a bug); please report it",
            );
            Answer { value: None, diags }
        })
    }
}

impl<F: Function> Erased<F> {
    fn call_inner(&self, arguments: &[Vec<u8>]) -> Answer<Option<Vec<u8>>> {
        let mut diags = Diagnostics::default();
        // The arguments as one MessagePack array: a struct of the parameters,
        // in order, decodes from it.
        let mut list = Vec::new();
        let value = match rmp::encode::write_array_len(&mut list, arguments.len() as u32) {
            Ok(_) => {
                for argument in arguments {
                    list.extend_from_slice(argument);
                }
                decode::<F::Args>(&mut diags, &list)
                    .and_then(|args| self.0.call(&mut diags, args))
                    .and_then(|out| match to_msgpack(&out) {
                        Ok(bytes) => Some(bytes),
                        Err(why) => {
                            diags.root_error("encoding a function result", why);
                            None
                        }
                    })
            }
            Err(why) => {
                diags.root_error("encoding function arguments", why.to_string());
                None
            }
        };
        Answer { value, diags }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::plugin::schema::{attr, block, schema, string, versioned, write_only, Optional};
    use crate::plugin::value::{Str, Value};
    use serde::Deserialize;
    use std::sync::Mutex;

    #[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
    #[serde(default)]
    struct Thing {
        id: Str,
        name: Str,
        token_wo: Str,
    }

    #[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
    struct Notes {
        pending: Vec<String>,
    }

    /// A resource that records what it was called with.
    #[derive(Default)]
    struct Recorder {
        calls: Mutex<Vec<String>>,
        fail_delete: bool,
        read_gone: bool,
        panic_on_update: bool,
        /// Create fails part-way: a partial state, its id never learned.
        partial_create: bool,
    }

    #[async_trait]
    impl Resource for Recorder {
        type State = Thing;
        type Private = Notes;
        fn type_name(&self) -> &'static str {
            "thing"
        }
        fn schema(&self) -> Schema {
            versioned(
                1,
                block(
                    "t",
                    vec![
                        ("id", attr(string(), Optional, "i")),
                        ("name", attr(string(), Optional, "n")),
                        ("token_wo", write_only(string(), Optional, "w")),
                    ],
                    vec![],
                ),
            )
        }
        fn validate(&self, config: &Thing) -> Vec<Problem> {
            match config.name.as_ref_option() {
                Some(n) if n.contains(' ') => {
                    vec![Problem::at("name", "no spaces", "letters only")]
                }
                _ => vec![],
            }
        }
        async fn plan(
            &self,
            _: &mut Diagnostics,
            r: PlanRequest<'_, Thing, Notes>,
        ) -> Option<Planned<Thing, Notes>> {
            self.calls.lock().unwrap().push("plan".into());
            let mut state = r.proposed;
            state.id = Value::Unknown;
            Some(Planned {
                state,
                private: r.prior_private,
                requires_replace: vec![],
            })
        }
        async fn plan_destroy(&self, diags: &mut Diagnostics, prior: Thing) {
            self.calls
                .lock()
                .unwrap()
                .push(format!("plan_destroy {:?}", prior.name));
            diags.root_error("a failed look", "never blocks a destroy");
            diags.warning_at(Problem::at("name", "still in use", "said, not refused"));
        }
        async fn read(&self, _: &mut Diagnostics, s: Thing, p: Notes) -> Option<(Thing, Notes)> {
            (!self.read_gone).then_some((s, p))
        }
        async fn create(
            &self,
            _: &mut Diagnostics,
            mut planned: Thing,
            config: Thing,
            _: Notes,
        ) -> Option<(Thing, Notes)> {
            self.calls
                .lock()
                .unwrap()
                .push(format!("create with {:?}", config.token_wo));
            if self.partial_create {
                return Some((planned, Notes::default()));
            }
            planned.id = Value::Value("x".into());
            Some((
                planned,
                Notes {
                    pending: vec!["old-role".into()],
                },
            ))
        }
        async fn update(
            &self,
            d: &mut Diagnostics,
            _: Thing,
            _: Thing,
            _: Thing,
            _: Notes,
        ) -> Option<(Thing, Notes)> {
            assert!(!self.panic_on_update, "a bug in resource code");
            d.root_error("update failed", "no partial state either");
            None
        }
        async fn delete(&self, d: &mut Diagnostics, _: Thing, p: Notes) -> bool {
            self.calls
                .lock()
                .unwrap()
                .push(format!("delete {:?}", p.pending));
            if self.fail_delete {
                d.root_error("delete failed", "AccessDenied");
            }
            !self.fail_delete
        }
        async fn import(&self, _: &mut Diagnostics, id: &str) -> Option<(Thing, Notes)> {
            Some((
                Thing {
                    id: Value::Value(id.into()),
                    ..Thing::default()
                },
                Notes::default(),
            ))
        }
        fn upgrade(
            &self,
            _: &mut Diagnostics,
            version: i64,
            state: serde_json::Value,
        ) -> Option<Thing> {
            assert_eq!(version, 0);
            Some(Thing {
                id: Value::Value(state["identifier"].as_str()?.to_string()),
                ..Thing::default()
            })
        }
    }

    fn thing(name: &str, token: &str) -> Vec<u8> {
        to_msgpack(&Thing {
            id: Value::Null,
            name: Value::Value(name.into()),
            token_wo: Value::Value(token.into()),
        })
        .unwrap()
    }

    fn decoded(bytes: &[u8]) -> Thing {
        from_msgpack(bytes).unwrap()
    }

    #[tokio::test]
    async fn plan_validates_first_and_calls_nothing_on_bad_input() {
        let r = Erased(Recorder::default());
        let bad = thing("a b", "secret");
        let answer = r.plan(MSGPACK_NULL, &bad, &bad, &[]).await;
        assert_eq!(
            answer.diags.errors[0].path,
            Some(AttributePath::new("name"))
        );
        assert!(r.0.calls.lock().unwrap().is_empty());
    }

    #[tokio::test]
    async fn a_partial_state_has_its_unknowns_nulled() {
        let r = Erased(Recorder {
            partial_create: true,
            ..Recorder::default()
        });
        let config = thing("ok", "secret");
        let planned = r.plan(MSGPACK_NULL, &config, &config, &[]).await;
        assert_eq!(decoded(&planned.value.state).id, Value::Unknown);
        let applied = r
            .apply(MSGPACK_NULL, &planned.value.state, &config, &[])
            .await;
        let state = decoded(&applied.value.0);
        assert_eq!(state.id, Value::Null);
        assert_eq!(state.name, Value::Value("ok".to_string()));
    }

    #[tokio::test]
    async fn write_only_values_reach_apply_but_never_plan_or_state() {
        let r = Erased(Recorder::default());
        let config = thing("ok", "secret");
        let planned = r.plan(MSGPACK_NULL, &config, &config, &[]).await;
        assert!(planned.diags.errors.is_empty());
        assert_eq!(decoded(&planned.value.state).token_wo, Value::Null);
        assert_eq!(decoded(&planned.value.state).id, Value::Unknown);
        let applied = r
            .apply(
                MSGPACK_NULL,
                &planned.value.state,
                &config,
                &planned.value.private,
            )
            .await;
        assert_eq!(decoded(&applied.value.0).token_wo, Value::Null);
        assert!(r
            .0
            .calls
            .lock()
            .unwrap()
            .contains(&"create with Value(\"secret\")".to_string()));
        let notes: Notes = serde_json::from_slice(&applied.value.1).unwrap();
        assert_eq!(notes.pending, vec!["old-role"]);
    }

    #[tokio::test]
    async fn destroy_is_planned_by_the_layer_and_private_state_reaches_delete() {
        let r = Erased(Recorder::default());
        let prior = thing("ok", "");
        let private = serde_json::to_vec(&Notes {
            pending: vec!["r1".into()],
        })
        .unwrap();
        let planned = r.plan(&prior, MSGPACK_NULL, MSGPACK_NULL, &private).await;
        assert!(msgpack_is_null(&planned.value.state));
        assert_eq!(planned.value.private, private);
        // The destroy plan's look: its warning is kept, its error dropped.
        assert!(
            planned.diags.errors.is_empty(),
            "{:?}",
            planned.diags.errors
        );
        assert_eq!(planned.diags.warnings.len(), 1);
        let applied = r.apply(&prior, MSGPACK_NULL, MSGPACK_NULL, &private).await;
        assert!(msgpack_is_null(&applied.value.0));
        assert_eq!(
            r.0.calls.lock().unwrap().as_slice(),
            ["plan_destroy Value(\"ok\")", "delete [\"r1\"]"]
        );
        // A prior state that does not decode is destroyed all the same.
        let garbled = r.plan(&[0xc1], MSGPACK_NULL, MSGPACK_NULL, &private).await;
        assert!(garbled.diags.errors.is_empty() && msgpack_is_null(&garbled.value.state));
    }

    #[tokio::test]
    async fn a_failed_delete_or_update_keeps_the_prior_state() {
        let r = Erased(Recorder {
            fail_delete: true,
            ..Recorder::default()
        });
        let prior = thing("ok", "");
        let applied = r.apply(&prior, MSGPACK_NULL, MSGPACK_NULL, &[]).await;
        assert_eq!(applied.value.0, prior);
        assert!(applied.diags.has_errors());
        let updated = r
            .apply(&prior, &thing("new", ""), &thing("new", ""), &[])
            .await;
        assert_eq!(updated.value.0, prior);
    }

    #[tokio::test]
    async fn a_panic_in_resource_code_is_an_error_that_keeps_the_state() {
        let r = Erased(Recorder {
            panic_on_update: true,
            ..Recorder::default()
        });
        let prior = thing("ok", "");
        let answer = r
            .apply(
                &prior,
                &thing("new", ""),
                &thing("new", ""),
                b"{\"pending\":[]}",
            )
            .await;
        assert_eq!(answer.value.0, prior, "Terraform keeps the resource");
        assert!(answer.diags.errors[0].summary.contains("internal error"));
    }

    #[tokio::test]
    async fn undecodable_private_state_never_blocks_a_destroy() {
        let r = Erased(Recorder::default());
        let prior = thing("ok", "");
        let planned = r
            .plan(&prior, MSGPACK_NULL, MSGPACK_NULL, b"not json")
            .await;
        assert!(planned.diags.errors.is_empty());
        let applied = r
            .apply(&prior, MSGPACK_NULL, MSGPACK_NULL, b"not json")
            .await;
        assert!(msgpack_is_null(&applied.value.0), "deleted");
        assert_eq!(applied.diags.warnings.len(), 1);
    }

    #[tokio::test]
    async fn read_removes_only_on_a_clean_not_found() {
        let gone = Erased(Recorder {
            read_gone: true,
            ..Recorder::default()
        });
        let state = thing("ok", "");
        assert!(msgpack_is_null(&gone.read(&state, &[]).await.value.0));
        let answer = gone.read(&[0xc1], &[]).await;
        assert!(answer.diags.has_errors());
        assert_eq!(
            answer.value.0,
            vec![0xc1],
            "undecodable state is kept, not dropped"
        );
    }

    #[test]
    fn state_of_an_older_version_is_upgraded_and_same_version_state_decodes_with_new_attributes_null(
    ) {
        let r = Erased(Recorder::default());
        let up = r.upgrade(0, br#"{"identifier":"abc"}"#);
        assert!(up.diags.errors.is_empty());
        assert_eq!(decoded(&up.value).id, Value::Value("abc".into()));
        let same = r.upgrade(1, br#"{"id":"abc"}"#);
        assert_eq!(decoded(&same.value).name, Value::Null);
        let newer = r.upgrade(7, b"{}");
        assert!(newer.diags.has_errors());
    }

    #[test]
    fn moves_are_refused_unless_the_resource_accepts_them() {
        let r = Erased(Recorder::default());
        let source = MoveSource {
            provider_address: "registry.terraform.io/hashicorp/aws",
            type_name: "aws_s3_bucket",
            schema_version: 0,
            state: serde_json::json!({}),
        };
        assert!(r.move_from(&source).value.is_none());
        let _ = schema(block("unused", vec![], vec![]));
    }

    struct Join;
    #[derive(Deserialize)]
    struct JoinArgs {
        left: String,
        right: String,
    }
    impl Function for Join {
        type Args = JoinArgs;
        type Output = String;
        fn name(&self) -> &'static str {
            "join"
        }
        fn schema(&self) -> FunctionSchema {
            FunctionSchema {
                parameters: vec![],
                return_type: string(),
                summary: String::new(),
                description: String::new(),
            }
        }
        fn call(&self, diags: &mut Diagnostics, args: JoinArgs) -> Option<String> {
            if args.right.is_empty() {
                diags.function_error(1, "right is empty");
                return None;
            }
            Some(format!("{}{}", args.left, args.right))
        }
    }

    #[test]
    fn function_arguments_decode_in_parameter_order() {
        let f = Erased(Join);
        let args = vec![to_msgpack(&"a").unwrap(), to_msgpack(&"b").unwrap()];
        let answer = f.call(&args);
        assert_eq!(
            from_msgpack::<String>(&answer.value.unwrap()).unwrap(),
            "ab"
        );
        let empty = f.call(&[to_msgpack(&"a").unwrap(), to_msgpack(&"").unwrap()]);
        assert_eq!(empty.diags.errors[0].function_argument, Some(1));
        let short = f.call(&[to_msgpack(&"a").unwrap()]);
        assert!(
            short.diags.has_errors(),
            "a missing argument is an error, not a panic"
        );
    }
}
