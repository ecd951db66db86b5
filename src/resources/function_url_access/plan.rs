//! Plan logic of `lambdawire_function_url_access`: pure. The two statements
//! the arguments stand for (built here, so the second always carries its
//! condition), the computed ids, what forces replacement, and Read's
//! mapping of the stored statements back to the arguments.

use crate::lambda::statement::{render_statement, same_principal, StoredStatement};
use crate::lambda::statement_id::{generated_statement_id, StatementContent};
use crate::plugin::{known, str_list, str_value, AttributePath, Str, Value};
use crate::resources::statement::rules::{
    field, statement_resource, target_replacement, DEFAULT_ACTION, FUNCTION_URL_ACTION,
};
use crate::resources::PlanContext;

use super::model::UrlAccessState;
use super::validate::{effective_principal, INVOKE_SUFFIX, URL_SUFFIX};

/// The two statements, in the order their ids are listed.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Kind {
    /// `lambda:InvokeFunctionUrl` with `lambda:FunctionUrlAuthType`.
    Url,
    /// `lambda:InvokeFunction` with `lambda:InvokedViaFunctionUrl = true`.
    Invoke,
}

/// Both kinds, in the order of `statement_ids`: the URL statement first.
pub const KINDS: [Kind; 2] = [Kind::Url, Kind::Invoke];

impl Kind {
    /// The id of this kind's statement under `prefix`: `<prefix>-url` or `<prefix>-invoke`.
    pub fn statement_id(self, prefix: &str) -> String {
        match self {
            Kind::Url => format!("{prefix}{URL_SUFFIX}"),
            Kind::Invoke => format!("{prefix}{INVOKE_SUFFIX}"),
        }
    }

    /// The action the statement of this kind grants.
    pub fn action(self) -> &'static str {
        match self {
            Kind::Url => FUNCTION_URL_ACTION,
            Kind::Invoke => DEFAULT_ACTION,
        }
    }

    /// Whether a stored statement is one of this kind: its action and its
    /// function-URL condition. Anything else under our id (a public
    /// `lambda:InvokeFunction` written out of band, say) is not ours to
    /// read arguments from, and apply writes it anew.
    pub fn is_kind_of(self, stored: &StoredStatement) -> bool {
        let conditions = match self {
            Kind::Url => {
                stored.function_url_auth_type.is_some() && !stored.invoked_via_function_url
            }
            Kind::Invoke => {
                stored.invoked_via_function_url && stored.function_url_auth_type.is_none()
            }
        };
        stored.action.eq_ignore_ascii_case(self.action())
            && conditions
            && stored.event_source_token.is_none()
    }
}

/// The resource id and import id, `<function_name>[:<qualifier>]/url-access/<prefix>`,
/// with the function as the user wrote it.
pub fn url_access_id(function_name: &str, qualifier: Option<&str>, prefix: &str) -> String {
    match qualifier {
        Some(q) => format!("{function_name}:{q}/url-access/{prefix}"),
        None => format!("{function_name}/url-access/{prefix}"),
    }
}

/// Whether every argument the two statements hold is known (null counts:
/// it is a known absence).
fn content_known(s: &UrlAccessState) -> bool {
    let parts = [
        &s.function_name,
        &s.qualifier,
        &s.auth_type,
        &s.principal,
        &s.source_arn,
        &s.source_account,
        &s.principal_org_id,
    ];
    parts.iter().all(|v| !v.is_unknown())
}

/// Prefix of a generated `statement_id_prefix`.
pub const GENERATED_PREFIX: &str = "lw-url-";

/// The `statement_id_prefix` generated from `s`'s content (the URL
/// statement's: the other follows from it), once all of it is known. A
/// create retried after a lost answer, a stop or a SIGKILL so asks for the
/// same two ids and meets its own statements.
pub fn generated_prefix(s: &UrlAccessState) -> Option<String> {
    if !content_known(s) {
        return None;
    }
    let content = StatementContent {
        function: known(&s.function_name)?,
        qualifier: known(&s.qualifier),
        action: Kind::Url.action(),
        principal: known(&s.principal)?,
        source_arn: known(&s.source_arn),
        source_account: known(&s.source_account),
        principal_org_id: known(&s.principal_org_id),
        function_url_auth_type: known(&s.auth_type),
        invoked_via_function_url: false,
    };
    Some(generated_statement_id(GENERATED_PREFIX, &content))
}

/// Fill the computed values from what is known: the principal, a prefix
/// the configuration leaves to be generated, the ids.
fn resolve(mut s: UrlAccessState, config: &UrlAccessState) -> UrlAccessState {
    s.principal =
        effective_principal(field(&config.principal), field(&config.auth_type)).map(str::to_string);
    if s.statement_id_prefix.is_unknown() && config.statement_id_prefix.is_null() {
        if let Some(prefix) = generated_prefix(&s) {
            s.statement_id_prefix = Value::Value(prefix);
        }
    }
    fill_ids(&mut s);
    s
}

/// `id` and `statement_ids` from the function, qualifier and prefix, or
/// unknown while one of them is.
pub fn fill_ids(s: &mut UrlAccessState) {
    let prefix = known(&s.statement_id_prefix);
    s.statement_ids = match prefix {
        Some(p) => str_list(KINDS.map(|k| k.statement_id(p))),
        None => Value::Unknown,
    };
    s.id = match (&s.function_name, &s.qualifier, prefix) {
        (Value::Value(f), q, Some(p)) if !q.is_unknown() => {
            str_value(&url_access_id(f, known(q), p))
        }
        _ => Value::Unknown,
    };
}

/// The planned state of a create: the principal, ids (a generated prefix
/// as soon as its content is) and `statements_json` where known.
pub fn plan_create(
    proposed: UrlAccessState,
    config: &UrlAccessState,
    ctx: &PlanContext,
) -> UrlAccessState {
    let mut s = proposed;
    if config.statement_id_prefix.is_null() {
        s.statement_id_prefix = Value::Unknown;
    }
    let mut planned = resolve(s, config);
    planned.statements_json = planned_statements_json(&planned, ctx);
    planned
}

/// `statements_json` as Lambda will store the two statements, once every
/// part of them is known: what the plan shows, and what apply and refresh
/// keep while the stored statements are exactly those.
pub fn planned_statements_json(s: &UrlAccessState, ctx: &PlanContext) -> Str {
    if !content_known(s) || s.statement_id_prefix.is_unknown() {
        return Value::Unknown;
    }
    let (Some(function), Some(prefix), Some(principal)) = (
        known(&s.function_name),
        known(&s.statement_id_prefix),
        known(&s.principal),
    ) else {
        return Value::Unknown;
    };
    let Some(resource) = statement_resource(function, known(&s.qualifier), ctx) else {
        return Value::Unknown;
    };
    let partition = resource.split(':').nth(1).unwrap_or("aws").to_string();
    let some = |v: &Str| known(v).map(str::to_string);
    let texts = KINDS.map(|kind| {
        let statement = StoredStatement {
            sid: kind.statement_id(prefix),
            principal: principal.to_string(),
            action: kind.action().to_string(),
            resource: resource.clone(),
            source_arn: some(&s.source_arn),
            source_account: some(&s.source_account),
            principal_org_id: some(&s.principal_org_id),
            function_url_auth_type: (kind == Kind::Url).then(|| some(&s.auth_type)).flatten(),
            invoked_via_function_url: kind == Kind::Invoke,
            ..StoredStatement::default()
        };
        render_statement(&statement, &partition)
    });
    str_value(&format!("[{}]", texts.join(",")))
}

fn same_principal_value(a: &Str, b: &Str) -> bool {
    match (a, b) {
        (Value::Value(x), Value::Value(y)) => same_principal(x, y),
        _ => a == b,
    }
}

/// Whether the statements `a` and `b` stand for differ (and so are
/// written anew). Two spellings of one account principal are one grant.
pub fn statements_change(a: &UrlAccessState, b: &UrlAccessState) -> bool {
    a.statement_id_prefix != b.statement_id_prefix
        || a.statement_ids != b.statement_ids
        || a.auth_type != b.auth_type
        || !same_principal_value(&a.principal, &b.principal)
        || a.source_arn != b.source_arn
        || a.source_account != b.source_account
        || a.principal_org_id != b.principal_org_id
}

/// The planned state of an update and what forces replacement (only another
/// function or qualifier): the prior prefix kept when none is configured, and
/// `statements_json` unknown when the statements are written anew.
pub fn plan_update(
    prior: &UrlAccessState,
    proposed: UrlAccessState,
    config: &UrlAccessState,
    ctx: &PlanContext,
) -> (UrlAccessState, Vec<AttributePath>) {
    let replace = target_replacement(
        (&prior.function_name, &prior.qualifier),
        (&config.function_name, &config.qualifier),
        ctx,
    );
    let mut s = proposed;
    if config.statement_id_prefix.is_null() {
        s.statement_id_prefix = prior.statement_id_prefix.clone();
    }
    let mut planned = resolve(s, config);
    planned.statements_json = if statements_change(prior, &planned) {
        planned_statements_json(&planned, ctx)
    } else {
        prior.statements_json.clone()
    };
    (planned, replace)
}

#[cfg(test)]
mod tests {
    use super::super::flex::{expand, flatten, import_state};
    use super::*;
    use crate::lambda::statement::find_statement;
    use crate::plugin::text;
    use crate::resources::function_url_access::validate::{AWS_IAM, NONE};
    use crate::resources::statement::holds;
    use crate::resources::testing::ctx;

    fn public() -> UrlAccessState {
        UrlAccessState {
            function_name: str_value("hook"),
            qualifier: str_value("live"),
            auth_type: str_value(NONE),
            statement_id_prefix: str_value("hook"),
            ..Default::default()
        }
    }

    /// The state after apply: what the plan showed.
    fn applied(config: &UrlAccessState) -> UrlAccessState {
        plan_create(config.clone(), config, &ctx())
    }

    /// The plan writes the statements anew, and shows them as they will be.
    fn rewritten(prior: &UrlAccessState, planned: &UrlAccessState) -> bool {
        planned.statements_json.is_value() && planned.statements_json != prior.statements_json
    }

    #[test]
    fn the_invoke_statement_always_carries_its_condition() {
        let s = applied(&public());
        let url = expand(&s, Kind::Url);
        let invoke = expand(&s, Kind::Invoke);
        assert_eq!(url.statement_id, "hook-url");
        assert_eq!(url.action, "lambda:InvokeFunctionUrl");
        assert_eq!(url.function_url_auth_type.as_deref(), Some("NONE"));
        assert!(!url.invoked_via_function_url);
        assert_eq!(invoke.statement_id, "hook-invoke");
        assert_eq!(invoke.action, "lambda:InvokeFunction");
        assert!(invoke.invoked_via_function_url);
        assert!(invoke.function_url_auth_type.is_none());
        for st in [&url, &invoke] {
            assert_eq!(st.principal, "*", "the default for NONE");
            assert_eq!(st.qualifier.as_deref(), Some("live"));
            assert_eq!(st.owner_id, "hook:live/url-access/hook");
        }
        let cloudfront = UrlAccessState {
            auth_type: str_value(AWS_IAM),
            principal: str_value("cloudfront.amazonaws.com"),
            source_arn: str_value("arn:aws:cloudfront::123456789012:distribution/E2"),
            source_account: str_value("123456789012"),
            ..public()
        };
        let s = applied(&cloudfront);
        for kind in KINDS {
            let st = expand(&s, kind);
            assert_eq!(st.principal, text(&cloudfront.principal), "{kind:?}");
            assert_eq!(
                st.source_arn,
                known(&cloudfront.source_arn).map(String::from),
                "{kind:?}"
            );
            assert_eq!(
                st.source_account,
                known(&cloudfront.source_account).map(String::from),
                "{kind:?}"
            );
        }
    }

    #[test]
    fn ids_are_derived_from_the_prefix_or_unknown_until_apply() {
        let s = applied(&public());
        assert_eq!(s.id, str_value("hook:live/url-access/hook"));
        assert_eq!(
            s.statement_ids,
            str_list(["hook-url".to_string(), "hook-invoke".to_string()])
        );
        let generated = UrlAccessState {
            statement_id_prefix: Value::Null,
            ..public()
        };
        let planned = plan_create(generated.clone(), &generated, &ctx());
        let prefix = known(&planned.statement_id_prefix).expect("derived at plan");
        assert!(
            prefix.starts_with("lw-url-") && prefix.len() == 7 + 16,
            "{prefix}"
        );
        assert_eq!(
            planned.statement_ids,
            str_list([format!("{prefix}-url"), format!("{prefix}-invoke")])
        );
        assert_eq!(
            planned,
            plan_create(generated.clone(), &generated, &ctx()),
            "planned again: the same"
        );
        assert!(
            known(&planned.statements_json)
                .is_some_and(|j| j.contains(&format!("\"{prefix}-url\""))),
            "the statements as they will be stored: {:?}",
            planned.statements_json
        );
        let other_account = UrlAccessState {
            principal: str_value("210987654321"),
            auth_type: str_value(AWS_IAM),
            ..generated.clone()
        };
        let other = plan_create(other_account.clone(), &other_account, &ctx());
        assert_ne!(
            other.statement_id_prefix, planned.statement_id_prefix,
            "another content"
        );
        let later = UrlAccessState {
            source_account: Value::Unknown,
            ..generated
        };
        let planned = plan_create(later.clone(), &later, &ctx());
        assert!(planned.statement_id_prefix.is_unknown());
        assert!(planned.statement_ids.is_unknown() && planned.id.is_unknown());
    }

    #[test]
    fn updates_in_place_unless_the_function_changes() {
        let prior = applied(&public());
        let same = plan_update(&prior, public(), &public(), &ctx());
        assert_eq!(same, (prior.clone(), vec![]), "no change");
        let kept_prefix = UrlAccessState {
            statement_id_prefix: Value::Null,
            ..public()
        };
        let (planned, _) = plan_update(&prior, kept_prefix.clone(), &kept_prefix, &ctx());
        assert_eq!(planned, prior, "a null prefix keeps the prior one");
        let iam = UrlAccessState {
            auth_type: str_value(AWS_IAM),
            principal: str_value("210987654321"),
            ..public()
        };
        let (planned, replace) = plan_update(&prior, iam.clone(), &iam, &ctx());
        assert!(replace.is_empty());
        assert!(rewritten(&prior, &planned));
        let other = UrlAccessState {
            qualifier: str_value("blue"),
            ..public()
        };
        let (_, replace) = plan_update(&prior, other.clone(), &other, &ctx());
        assert_eq!(replace, [AttributePath::new("qualifier")]);
        // A missing statement (Read dropped its id) is written again.
        let incomplete = UrlAccessState {
            statement_ids: str_list(["hook-invoke".to_string()]),
            statements_json: str_value(&format!("[{INVOKE}]")),
            ..prior.clone()
        };
        let (planned, _) = plan_update(&incomplete, public(), &public(), &ctx());
        assert_eq!(planned.statement_ids, prior.statement_ids);
        assert!(rewritten(&incomplete, &planned));
    }

    const URL: &str = r#"{"Sid":"hook-url","Effect":"Allow","Principal":"*","Action":"lambda:InvokeFunctionUrl","Resource":"arn:aws:lambda:us-east-1:123456789012:function:hook:live","Condition":{"StringEquals":{"lambda:FunctionUrlAuthType":"NONE"}}}"#;
    const INVOKE: &str = r#"{"Sid":"hook-invoke","Effect":"Allow","Principal":"*","Action":"lambda:InvokeFunction","Resource":"arn:aws:lambda:us-east-1:123456789012:function:hook:live","Condition":{"Bool":{"lambda:InvokedViaFunctionUrl":"true"}}}"#;

    fn stored(json: &str) -> Option<StoredStatement> {
        let doc: serde_json::Value = serde_json::from_str(json).ok()?;
        let sid = doc["Sid"].as_str()?;
        find_statement(&format!(r#"{{"Statement":[{json}]}}"#), sid)
            .ok()
            .flatten()
    }

    #[test]
    fn read_keeps_matching_statements_and_shows_drift() {
        let prior = applied(&public());
        let both = flatten(&prior, [stored(URL), stored(INVOKE)]);
        let Some(both) = both else {
            panic!("present");
        };
        assert_eq!(both.statement_ids, prior.statement_ids);
        assert_eq!(
            both.statements_json,
            str_value(&format!("[{URL},{INVOKE}]"))
        );
        assert!(!statements_change(&prior, &both));
        // What apply checks: each stored statement is the one expanded.
        for (kind, json) in [(Kind::Url, URL), (Kind::Invoke, INVOKE)] {
            let st = stored(json).unwrap_or_else(|| panic!("{json}"));
            assert!(holds(&st, &expand(&prior, kind)), "{kind:?}");
        }

        assert_eq!(flatten(&prior, [None, None]), None, "gone");
        let one = flatten(&prior, [None, stored(INVOKE)]).unwrap_or_default();
        assert_eq!(one.statement_ids, str_list(["hook-invoke".to_string()]));
        let (planned, _) = plan_update(&one, public(), &public(), &ctx());
        assert!(rewritten(&one, &planned), "re-added");

        // A public InvokeFunction without its condition is not ours.
        let bare = INVOKE.replace(
            r#","Condition":{"Bool":{"lambda:InvokedViaFunctionUrl":"true"}}"#,
            "",
        );
        let bare = flatten(&prior, [stored(URL), stored(&bare)]).unwrap_or_default();
        assert_eq!(bare.statement_ids, str_list(["hook-url".to_string()]));

        let iam = URL.replace("NONE", "AWS_IAM").replace(
            r#""Principal":"*""#,
            r#""Principal":{"AWS":"arn:aws:iam::210987654321:root"}"#,
        );
        let drifted = flatten(&prior, [stored(&iam), stored(INVOKE)]).unwrap_or_default();
        assert_eq!(drifted.auth_type, str_value("AWS_IAM"));
        assert_eq!(
            drifted.principal,
            str_value("arn:aws:iam::210987654321:root")
        );
        assert!(statements_change(&prior, &drifted));
    }

    #[test]
    fn import_ids() {
        let s = import_state("hook:live/url-access/hook").unwrap_or_default();
        assert_eq!(
            (
                &s.function_name,
                &s.qualifier,
                &s.statement_id_prefix,
                &s.id
            ),
            (
                &str_value("hook"),
                &str_value("live"),
                &str_value("hook"),
                &str_value("hook:live/url-access/hook")
            )
        );
        let arn = "arn:aws:lambda:us-east-1:123456789012:function:hook/url-access/p";
        let s = import_state(arn).unwrap_or_default();
        assert_eq!(s.qualifier, Value::Null);
        assert_eq!(
            s.statement_ids,
            str_list(["p-url".to_string(), "p-invoke".to_string()])
        );
        for bad in [
            "hook",
            "hook/p",
            "/url-access/p",
            "hook/url-access/",
            "hook/url-access/a/b",
        ] {
            assert!(import_state(bad).is_err(), "{bad}");
        }
    }
}
