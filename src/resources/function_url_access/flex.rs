//! Layer: pure (no I/O). Between `lambdawire_function_url_access`'s state
//! and Lambda's vocabulary: the two [`Grant`]s a state stands for (built
//! here, so the second always carries its condition), the state the stored
//! statements read back as, and the state an import id names.

use crate::lambda::statement::{same_principal, StoredStatement};
use crate::plugin::{known, opt, str_list, str_value, text, Str, Value};
use crate::resources::statement::{holds, split_target, Grant};

use super::model::UrlAccessState;
use super::plan::{fill_ids, generated_prefix, Kind, KINDS};

/// The statement of `kind` that `s` stands for, as the permission
/// resource's steps take it. `s` has its ids (apply time). The
/// `lambda:InvokeFunction` statement always carries the
/// `lambda:InvokedViaFunctionUrl` condition: there is no way to build it
/// without.
pub fn expand(s: &UrlAccessState, kind: Kind) -> Grant {
    let prefix = known(&s.statement_id_prefix).unwrap_or_default();
    let some = |v: &Str| known(v).map(str::to_string);
    let (auth_type, via_url) = match kind {
        Kind::Url => (some(&s.auth_type), false),
        Kind::Invoke => (None, true),
    };
    Grant {
        // What a refusal names as the import id: this resource's.
        owner_id: text(&s.id),
        label: label(s),
        function_name: text(&s.function_name),
        qualifier: some(&s.qualifier),
        statement_id: kind.statement_id(prefix),
        action: kind.action().to_string(),
        principal: text(&s.principal),
        source_arn: some(&s.source_arn),
        source_account: some(&s.source_account),
        principal_org_id: some(&s.principal_org_id),
        function_url_auth_type: auth_type,
        invoked_via_function_url: via_url,
        id_from_content: generated_prefix(s)
            .is_some_and(|p| known(&s.statement_id_prefix) == Some(&p)),
    }
}

/// The resource as messages name it.
pub fn label(s: &UrlAccessState) -> String {
    format!("Lambda function URL access ({})", text(&s.id))
}

/// The prior value where every remote one means the same, else the first
/// remote value that differs (drift).
fn agreed<'a>(prior: &Str, remote: impl IntoIterator<Item = &'a Option<String>>) -> Str {
    remote
        .into_iter()
        .find(|r| known(prior) != r.as_deref())
        .map_or_else(|| prior.clone(), |r| opt(r.clone()))
}

/// Read: the state the stored statements (url, invoke) show, or `None` when
/// both are gone, so the next plan creates them again. A statement missing
/// or not of its kind drops out of `statement_ids`, which plans an update
/// that writes it again.
pub fn flatten(
    prior: &UrlAccessState,
    stored: [Option<StoredStatement>; 2],
) -> Option<UrlAccessState> {
    if stored.iter().all(Option::is_none) {
        return None;
    }
    let counted: Vec<(Kind, &StoredStatement)> = KINDS
        .into_iter()
        .zip(&stored)
        .filter_map(|(kind, st)| {
            st.as_ref()
                .filter(|st| kind.is_kind_of(st))
                .map(|st| (kind, st))
        })
        .collect();
    let mut s = prior.clone();
    s.principal = match counted
        .iter()
        .find(|(_, st)| !known(&prior.principal).is_some_and(|p| same_principal(p, &st.principal)))
    {
        Some((_, st)) => Value::Value(st.principal.clone()),
        None => prior.principal.clone(),
    };
    s.source_arn = agreed(
        &prior.source_arn,
        counted.iter().map(|(_, st)| &st.source_arn),
    );
    s.source_account = agreed(
        &prior.source_account,
        counted.iter().map(|(_, st)| &st.source_account),
    );
    s.principal_org_id = agreed(
        &prior.principal_org_id,
        counted.iter().map(|(_, st)| &st.principal_org_id),
    );
    s.auth_type = agreed(
        &prior.auth_type,
        counted
            .iter()
            .filter(|(kind, _)| *kind == Kind::Url)
            .map(|(_, st)| &st.function_url_auth_type),
    );
    s.statement_ids = str_list(counted.iter().map(|(_, st)| st.sid.clone()));
    // The planned text while both statements are exactly the ones it shows
    // (Lambda's own text may order keys otherwise).
    let unchanged = KINDS.into_iter().zip(&stored).all(|(kind, st)| {
        let g = expand(prior, kind);
        st.as_ref()
            .is_some_and(|st| st.sid == g.statement_id && holds(st, &g))
    });
    if !(unchanged && prior.statements_json.is_value()) {
        let shown: Vec<&str> = stored.iter().flatten().map(|st| st.json.as_str()).collect();
        s.statements_json = Value::Value(format!("[{}]", shown.join(",")));
    }
    Some(s)
}

/// Import `function[:qualifier]/url-access/<statement_id_prefix>`.
pub fn import_state(id: &str) -> Result<UrlAccessState, String> {
    let usage = "the import id is <function>/url-access/<statement_id_prefix> or \
                 <function>:<qualifier>/url-access/<statement_id_prefix>, where <function> is a \
                 name or ARN";
    let invalid = |why: &str| format!("invalid import id {id:?}: {why}");
    let (function, prefix) = id
        .rsplit_once("/url-access/")
        .ok_or_else(|| invalid(usage))?;
    if function.is_empty() || prefix.is_empty() || prefix.contains('/') {
        return Err(invalid(usage));
    }
    let (function_name, qualifier) = split_target(function).map_err(|why| invalid(&why))?;
    let mut s = UrlAccessState {
        function_name,
        qualifier,
        statement_id_prefix: str_value(prefix),
        ..Default::default()
    };
    fill_ids(&mut s);
    // The id as given, in the function's spelling.
    s.id = str_value(id);
    Ok(s)
}
