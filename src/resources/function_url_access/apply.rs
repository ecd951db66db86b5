//! The AWS steps of `lambdawire_function_url_access`: the permission
//! resource's steps (settled adds, the ownership rule, the per-function
//! lock) applied to two statements at once. Every edit holds the function's
//! lock, shared with `lambdawire_lambda_invoke_permission`.
//!
//! Order: the `lambda:InvokeFunction` statement goes in first and out last.
//! Alone it grants nothing (it only admits calls that come through the URL,
//! which also need `lambda:InvokeFunctionUrl`), so the grant takes effect
//! when the URL statement lands and ends when it goes.

use tokio::time::Instant;

use crate::aws::AwsClients;
use crate::lambda::statement::StoredStatement;
use crate::lambda::swap::{temporary_statement_id, update_steps, Step};
use crate::plugin::{known, Value};
use crate::resources::statement::{
    add, holds, policy_turn, remove, stored_statements, Grant, EDIT_TIMEOUT,
};
use crate::resources::steps::StepError;
use crate::resources::PlanContext;

use super::flex::{expand, flatten, label};
use super::model::UrlAccessState;
use super::plan::{fill_ids, generated_prefix, statements_change, Kind};

/// The state to record (partial where a step failed after something was
/// written) and the failed steps.
pub type Outcome = (Option<UrlAccessState>, Vec<StepError>);

/// Both statements, url first.
fn both(s: &UrlAccessState) -> [Grant; 2] {
    [expand(s, Kind::Url), expand(s, Kind::Invoke)]
}

/// The two stored statements (url, invoke) of `s`.
async fn stored(
    c: &AwsClients,
    s: &UrlAccessState,
) -> Result<[Option<StoredStatement>; 2], StepError> {
    let [url, invoke] = both(s);
    stored_statements(c, &url, [&url.statement_id, &invoke.statement_id]).await
}

/// Remove the temporary statements an interrupted update left behind.
async fn remove_leftovers(
    c: &AwsClients,
    s: &UrlAccessState,
    deadline: Instant,
) -> Result<(), StepError> {
    let [url, invoke] = both(s);
    let temps = [&url, &invoke].map(|st| temporary_statement_id(&st.statement_id));
    let found = stored_statements(c, &url, [&temps[0], &temps[1]]).await?;
    for (temp, found) in temps.iter().zip(found) {
        if found.is_some() {
            remove(c, &url, temp, deadline).await?;
        }
    }
    Ok(())
}

async fn read_back(c: &AwsClients, s: UrlAccessState) -> Outcome {
    match stored(c, &s).await {
        Ok(found) => match flatten(&s, found) {
            Some(read) => (Some(read), Vec::new()),
            None => {
                // Lambda accepted both, so they may exist though this read
                // missed them: record them (tainted) rather than forget a
                // grant; the next plan reads again.
                let error = crate::aws::AwsError {
                    operation: "GetPolicy",
                    code: "ResourceNotFoundException".into(),
                    message: "the statements were added but are not in the function's policy"
                        .into(),
                    request_id: None,
                    kind: crate::aws::ErrorKind::NotFound,
                };
                let doing = format!("reading {}", label(&s));
                (Some(s), vec![StepError { doing, error }])
            }
        },
        Err(e) => (Some(s), vec![e]),
    }
}

/// The planned state with its ids: a prefix the plan could not derive yet
/// is derived now that every value is known.
fn with_ids(planned: UrlAccessState) -> UrlAccessState {
    let mut s = planned;
    if !s.statement_id_prefix.is_value() {
        if let Some(prefix) = generated_prefix(&s) {
            s.statement_id_prefix = Value::Value(prefix);
        }
    }
    fill_ids(&mut s);
    s
}

/// Add the `lambda:InvokeFunction` statement, then the URL one. When the
/// second add fails the first stays and the resource is recorded with it
/// (partial state, which Terraform taints, so the next apply replaces it
/// and a destroy removes it). Rolling back instead would need one more call
/// that can fail too, and a failed rollback would leave a statement no
/// state records; the statement kept grants nothing alone.
pub async fn create(c: &AwsClients, planned: UrlAccessState, ctx: &PlanContext) -> Outcome {
    let s = with_ids(planned);
    let [url, invoke] = both(&s);
    let turn = match policy_turn(c, &invoke, ctx, "AddPermission").await {
        Ok(turn) => turn,
        Err(e) => return (None, vec![e]),
    };
    let deadline = Instant::now() + EDIT_TIMEOUT;
    if let Err(e) = add(c, &invoke, None, &invoke.statement_id, deadline).await {
        return (None, vec![e]);
    }
    if let Err(e) = add(c, &url, None, &url.statement_id, deadline).await {
        let partial = UrlAccessState {
            statements_json: Value::Null,
            ..s
        };
        return (Some(partial), vec![e]);
    }
    // The read-back needs no turn (the permission resource's create says why).
    drop(turn);
    read_back(c, s).await
}

/// The steps that take one statement from `old` to `new` with no moment
/// where neither grants: a renamed statement is added before the old one
/// goes; one under the same id is left alone when it is already right,
/// added when missing, and otherwise replaced through a temporary id.
fn steps_for(old: &Grant, new: &Grant, found: Option<&StoredStatement>) -> Vec<Step> {
    let (old_sid, new_sid) = (old.statement_id.clone(), new.statement_id.clone());
    if old_sid != new_sid {
        return update_steps(&old_sid, &new_sid);
    }
    match found {
        Some(st) if holds(st, new) => Vec::new(),
        None => vec![Step::Add {
            statement_id: new_sid,
        }],
        Some(_) => update_steps(&old_sid, &new_sid),
    }
}

/// Both statements' steps, interleaved so that the new grant is whole
/// before any of the old one goes: at each position, adds invoke then url,
/// removes url then invoke.
fn interleave(url: Vec<Step>, invoke: Vec<Step>) -> Vec<(Kind, Step)> {
    let len = url.len().max(invoke.len());
    let mut out = Vec::new();
    for i in 0..len {
        let mut at: Vec<(Kind, Step)> = [(Kind::Invoke, invoke.get(i)), (Kind::Url, url.get(i))]
            .into_iter()
            .filter_map(|(k, st)| st.cloned().map(|st| (k, st)))
            .collect();
        if at.iter().all(|(_, st)| matches!(st, Step::Remove { .. })) {
            at.reverse();
        }
        out.extend(at);
    }
    out
}

/// Rewrite the two statements in the function's turn, each new one added
/// before its old one is removed, so that the URL stays callable throughout;
/// no call at all when only the function's spelling changed.
pub async fn update(
    c: &AwsClients,
    prior: &UrlAccessState,
    planned: UrlAccessState,
    ctx: &PlanContext,
) -> Outcome {
    let mut s = with_ids(planned);
    if !statements_change(prior, &s) {
        // Another spelling of the same function: nothing changes in AWS.
        s.statements_json = prior.statements_json.clone();
        return (Some(s), Vec::new());
    }
    let [old_url, old_invoke] = both(prior);
    let [url, invoke] = both(&s);
    let turn = match policy_turn(c, &invoke, ctx, "AddPermission").await {
        Ok(turn) => turn,
        Err(e) => return (Some(prior.clone()), vec![e]),
    };
    let deadline = Instant::now() + EDIT_TIMEOUT;
    let [found_url, found_invoke] = match stored(c, &s).await {
        Ok(found) => found,
        Err(e) => return (Some(prior.clone()), vec![e]),
    };
    let steps = interleave(
        steps_for(&old_url, &url, found_url.as_ref()),
        steps_for(&old_invoke, &invoke, found_invoke.as_ref()),
    );
    for (kind, one) in steps {
        let (old, new) = match kind {
            Kind::Url => (&old_url, &url),
            Kind::Invoke => (&old_invoke, &invoke),
        };
        let result = match &one {
            Step::Add { statement_id } => add(c, new, None, statement_id, deadline).await.map(drop),
            Step::Remove { statement_id } => remove(c, old, statement_id, deadline).await,
        };
        if let Err(e) = result {
            // Each statement is always its old or its new self, never
            // absent; Read shows where the policy stands.
            return (Some(prior.clone()), vec![e]);
        }
    }
    let mut cleaned = remove_leftovers(c, &s, deadline).await;
    if cleaned.is_ok() && known(&prior.statement_id_prefix) != known(&s.statement_id_prefix) {
        cleaned = remove_leftovers(c, prior, deadline).await;
    }
    drop(turn);
    let (state, mut errors) = read_back(c, s).await;
    errors.extend(cleaned.err());
    (state, errors)
}

/// Remove the URL statement (the grant ends), then the other; a statement
/// already gone is success.
pub async fn delete(
    c: &AwsClients,
    s: &UrlAccessState,
    ctx: &PlanContext,
) -> Result<(), StepError> {
    let [url, invoke] = both(s);
    let _turn = policy_turn(c, &invoke, ctx, "RemovePermission").await?;
    let deadline = Instant::now() + EDIT_TIMEOUT;
    remove(c, &url, &url.statement_id, deadline).await?;
    remove(c, &invoke, &invoke.statement_id, deadline).await?;
    remove_leftovers(c, s, deadline).await
}

/// Refresh: `None` when both statements (or the function) are gone.
pub async fn read(
    c: &AwsClients,
    prior: &UrlAccessState,
) -> Result<Option<UrlAccessState>, StepError> {
    Ok(flatten(prior, stored(c, prior).await?))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn add(sid: &str) -> Step {
        Step::Add {
            statement_id: sid.into(),
        }
    }

    fn remove(sid: &str) -> Step {
        Step::Remove {
            statement_id: sid.into(),
        }
    }

    #[test]
    fn the_new_grant_is_whole_before_the_old_one_goes() {
        let url = update_steps("p-url", "p-url");
        let invoke = update_steps("p-invoke", "p-invoke");
        let order: Vec<Step> = interleave(url, invoke)
            .into_iter()
            .map(|(_, s)| s)
            .collect();
        assert_eq!(
            order,
            [
                add("p-invoke-lwtmp"),
                add("p-url-lwtmp"),
                remove("p-url"),
                remove("p-invoke"),
                add("p-invoke"),
                add("p-url"),
                remove("p-url-lwtmp"),
                remove("p-invoke-lwtmp"),
            ]
        );
        let renamed = interleave(
            update_steps("a-url", "b-url"),
            update_steps("a-invoke", "b-invoke"),
        );
        let order: Vec<Step> = renamed.into_iter().map(|(_, s)| s).collect();
        assert_eq!(
            order,
            [
                add("b-invoke"),
                add("b-url"),
                remove("a-url"),
                remove("a-invoke")
            ]
        );
        let only_url = interleave(vec![add("p-url")], Vec::new());
        assert_eq!(only_url, [(Kind::Url, add("p-url"))]);
    }
}
