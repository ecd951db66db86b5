//! The AWS steps of `lambdawire_lambda_invoke_permission`: one statement,
//! written through the statement engine ([`crate::resources::statement`]),
//! which holds the function's turn for every edit.

use tokio::time::Instant;

use crate::aws::{AwsClients, AwsError, ErrorKind};
use crate::plugin::{known, text, Value};
use crate::resources::statement::{
    add, answer_holds, policy_turn, remove_with_leftover, stored_statements, swap, EDIT_TIMEOUT,
};
use crate::resources::steps::StepError;
use crate::resources::PlanContext;

use super::flex::{flatten, generated_id, grant, label, write_only_token};
use super::model::PermissionState;
use super::plan::permission_id;
use crate::lambda::swap::temporary_statement_id;

/// A create or update: the state to record (partial where a step failed
/// after something was written) and the failed steps.
pub type Outcome = (Option<PermissionState>, Vec<StepError>);

async fn read_back(c: &AwsClients, s: PermissionState, token_write_only: bool) -> Outcome {
    let sid = text(&s.statement_id);
    match stored_statements(c, &grant(&s), [&sid]).await {
        Ok([Some(stored)]) => (Some(flatten(&s, &stored, token_write_only)), Vec::new()),
        Ok([None]) => {
            let error = AwsError {
                operation: "GetPolicy",
                code: "ResourceNotFoundException".into(),
                message: format!("statement {sid} was added but is not in the function's policy"),
                request_id: None,
                kind: ErrorKind::NotFound,
            };
            // Lambda accepted the statement, so it may exist even though this
            // read missed it (a read from a replica that lags, or a function
            // replaced meanwhile). Forgetting it would leave a grant, its id
            // possibly generated, that nothing manages: record it (tainted),
            // and the next plan reads it again and replaces or drops it.
            (
                Some(s.clone()),
                vec![StepError {
                    doing: format!("reading {}", label(&s)),
                    error,
                }],
            )
        }
        Err(e) => (Some(s), vec![e]),
    }
}

/// The planned state with its statement id and resource id. An id the
/// plan could not derive yet is derived now that every value is known.
fn with_ids(planned: PermissionState) -> PermissionState {
    let mut s = planned;
    if !s.statement_id.is_value() {
        if let Some(id) = generated_id(&s) {
            s.statement_id = Value::Value(id);
        }
    }
    s.id = Value::Value(permission_id(
        &text(&s.function_name),
        known(&s.qualifier),
        &text(&s.statement_id),
    ));
    s
}

/// `token`: what [`super::flex::token_to_send`] chose.
pub async fn create(
    c: &AwsClients,
    planned: PermissionState,
    token: Option<&str>,
    ctx: &PlanContext,
) -> Outcome {
    let s = with_ids(planned);
    let g = grant(&s);
    let turn = match policy_turn(c, &g, ctx, "AddPermission").await {
        Ok(turn) => turn,
        Err(e) => return (None, vec![e]),
    };
    let deadline = Instant::now() + EDIT_TIMEOUT;
    let added = add(c, &g, token, &g.statement_id, deadline).await;
    // The lock orders edits only; a read-back needs none of it, and holding
    // it would make every edit queued on the function wait a round trip
    // more (each holding one of Terraform's -parallelism slots).
    drop(turn);
    let write_only = write_only_token(&s, token);
    match added {
        Err(e) => (None, vec![e]),
        // AddPermission answers with the statement as Lambda stored it in
        // the policy: that is the read after the write, without a GetPolicy
        // of the whole, growing policy per statement.
        Ok(Some(stored)) if answer_holds(&stored, &g, token) => {
            (Some(flatten(&s, &stored, write_only)), Vec::new())
        }
        Ok(_) => read_back(c, s, write_only).await,
    }
}

/// `resend`: the token moves to or from the write-only attribute, so the
/// statement is re-added even when the state shows no change.
pub async fn update(
    c: &AwsClients,
    prior: &PermissionState,
    planned: PermissionState,
    token: Option<&str>,
    resend: bool,
    ctx: &PlanContext,
) -> Outcome {
    let mut s = with_ids(planned);
    if !super::plan::statement_changes(prior, &s) && !resend && !super::plan::stranded(prior) {
        // Another spelling of the same function, or allow_unscoped_source:
        // nothing changes in AWS.
        s.statement_json = prior.statement_json.clone();
        return (Some(s), Vec::new());
    }
    let (old, new) = (grant(prior), grant(&s));
    let turn = match policy_turn(c, &new, ctx, "AddPermission").await {
        Ok(turn) => turn,
        Err(e) => return (Some(prior.clone()), vec![e]),
    };
    let deadline = Instant::now() + EDIT_TIMEOUT;
    if let Err(errors) = swap(c, &old, &new, token, deadline).await {
        return (Some(prior.clone()), errors);
    }
    drop(turn);
    let write_only = write_only_token(&s, token);
    read_back(c, s, write_only).await
}

/// Remove the statement, and the temporary one an interrupted update left
/// when `leftover` (private state: Read saw it, or an update failed); a
/// statement or function already gone is success. No look at the policy
/// first: at N permissions a destroy is N calls, not 2N.
pub async fn delete(
    c: &AwsClients,
    s: &PermissionState,
    leftover: bool,
    ctx: &PlanContext,
) -> Result<(), StepError> {
    remove_with_leftover(c, &grant(s), leftover, ctx).await
}

/// Refresh: `None` when the statement (or its function) is gone, so the plan
/// adds it again instead of silently missing it; with the state, whether
/// the temporary statement of an interrupted update is there (the delete
/// removes it then).
pub async fn read(
    c: &AwsClients,
    prior: &PermissionState,
    token_write_only: bool,
) -> Result<Option<(PermissionState, bool)>, StepError> {
    let sid = text(&prior.statement_id);
    // An update that failed after removing the prior statement leaves the
    // grant under its temporary id only: it is still this resource's (the
    // next apply or destroy sweeps it), so the resource stays in state
    // instead of leaving that grant unmanaged. One GetPolicy reads both.
    let temporary = temporary_statement_id(&sid);
    let [main, left] = stored_statements(c, &grant(prior), [&sid, &temporary]).await?;
    let temporary_there = left.is_some();
    Ok(main
        .or(left)
        .map(|stored| (flatten(prior, &stored, token_write_only), temporary_there)))
}
