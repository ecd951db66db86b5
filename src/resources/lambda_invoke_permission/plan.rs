//! Plan logic of `lambdawire_lambda_invoke_permission`: pure. Defaults, the
//! inferred principal, computed ids, and what forces replacement (only a
//! different function or qualifier: every other change updates in place).

use crate::plugin::AttributePath;
use crate::resources::PlanContext;

use crate::plugin::{known, str_value, Bool, Problem, Str, Value};

use super::flex::generated_id;
use super::model::PermissionState;
use super::validate::{validate, PermissionArgs};
use crate::lambda::function_ref::parse_function_ref;
use crate::lambda::principal::principal_for_arn;
use crate::lambda::statement::{render_statement, same_principal, StoredStatement};
use crate::resources::statement::rules::{field, function_arn, target_replacement, DEFAULT_ACTION};

/// Validate a configuration: every problem on its attribute.
pub fn problems(c: &PermissionState) -> Vec<Problem> {
    let args = PermissionArgs {
        function_name: field(&c.function_name),
        qualifier: field(&c.qualifier),
        statement_id: field(&c.statement_id),
        statement_id_prefix: field(&c.statement_id_prefix),
        action: field(&c.action),
        principal: field(&c.principal),
        source_arn: field(&c.source_arn),
        source_account: field(&c.source_account),
        principal_org_id: field(&c.principal_org_id),
        function_url_auth_type: field(&c.function_url_auth_type),
        event_source_token: field(&c.event_source_token),
        invoked_via_function_url: match c.invoked_via_function_url {
            Value::Value(b) => Some(b),
            Value::Null => Some(false),
            Value::Unknown => None,
        },
        event_source_token_wo: field(&c.event_source_token_wo),
        event_source_token_wo_version: match c.event_source_token_wo_version {
            Value::Value(_) => Some(true),
            Value::Null => Some(false),
            Value::Unknown => None,
        },
        allow_unscoped_source: match c.allow_unscoped_source {
            Value::Value(b) => Some(b),
            Value::Null => Some(false),
            Value::Unknown => None,
        },
    };
    validate(&args)
}

/// The resource id and import id, `<function_name>[:<qualifier>]/<statement_id>`,
/// with the function as the user wrote it.
pub fn permission_id(function_name: &str, qualifier: Option<&str>, statement_id: &str) -> String {
    match qualifier {
        Some(q) => format!("{function_name}:{q}/{statement_id}"),
        None => format!("{function_name}/{statement_id}"),
    }
}

/// Fill defaults and computed values from what is known.
fn resolve(mut s: PermissionState, config: &PermissionState, ctx: &PlanContext) -> PermissionState {
    s.action = match &config.action {
        Value::Null => str_value(DEFAULT_ACTION),
        given => given.clone(),
    };
    s.allow_unscoped_source = match config.allow_unscoped_source {
        Value::Null => Value::Value(false),
        given => given,
    };
    s.principal = match (&config.principal, &config.source_arn) {
        (Value::Null, Value::Value(source)) => {
            principal_for_arn(source).map_or(Value::Unknown, Value::Value)
        }
        (Value::Null, _) => Value::Unknown,
        (given, _) => given.clone(),
    };
    s.function_arn = match &config.function_name {
        Value::Value(f) => function_arn(f, ctx).map_or(Value::Unknown, Value::Value),
        _ => Value::Unknown,
    };
    if s.statement_id.is_unknown() && config.statement_id.is_null() {
        // Derived from the content, so the plan can show it whenever the
        // content is known (and a retried create asks for the same id).
        if let Some(id) = generated_id(&s) {
            s.statement_id = Value::Value(id);
        }
    }
    s.id = match (&s.function_name, &s.qualifier, &s.statement_id) {
        (Value::Value(f), Value::Null, Value::Value(sid)) => {
            str_value(&permission_id(f, None, sid))
        }
        (Value::Value(f), Value::Value(q), Value::Value(sid)) => {
            str_value(&permission_id(f, Some(q), sid))
        }
        _ => Value::Unknown,
    };
    s
}

/// The planned state of a create: defaults filled in, the principal inferred,
/// ids and the function ARN computed where known. A generated statement id
/// is known as soon as the content it derives from is; `statement_json`
/// stays unknown until apply.
pub fn plan_create(
    proposed: PermissionState,
    config: &PermissionState,
    ctx: &PlanContext,
) -> PermissionState {
    let mut s = proposed;
    s.statement_id = match &config.statement_id {
        Value::Null => Value::Unknown,
        given => given.clone(),
    };
    let mut planned = resolve(s, config, ctx);
    planned.statement_json = planned_statement_json(&planned, config);
    planned
}

/// `statement_json` as Lambda will store the statement, once every part of
/// it is known: what the plan shows, and (see [`super::flex::flatten`])
/// what apply records when the stored statement holds exactly that.
pub fn planned_statement_json(s: &PermissionState, config: &PermissionState) -> Str {
    let parts = [
        &s.source_arn,
        &s.source_account,
        &s.principal_org_id,
        &s.function_url_auth_type,
        &s.qualifier,
        &config.event_source_token,
        &config.event_source_token_wo,
    ];
    let known_parts = (
        known(&s.statement_id),
        known(&s.principal),
        known(&s.action),
        known(&s.function_arn),
        known(&s.function_name).and_then(|f| parse_function_ref(f).ok()),
    );
    let (Some(sid), Some(principal), Some(action), Some(function_arn), Some(function)) =
        known_parts
    else {
        return Value::Unknown;
    };
    if parts.iter().any(|v| v.is_unknown()) || s.invoked_via_function_url.is_unknown() {
        return Value::Unknown;
    }
    let qualifier = known(&s.qualifier)
        .map(str::to_string)
        .or(function.qualifier);
    let resource = match &qualifier {
        Some(q) => format!("{function_arn}:{q}"),
        None => function_arn.to_string(),
    };
    let token = !config.event_source_token.is_null() || !config.event_source_token_wo.is_null();
    let some = |v: &Str| known(v).map(str::to_string);
    let statement = StoredStatement {
        sid: sid.to_string(),
        principal: principal.to_string(),
        action: action.to_string(),
        resource,
        source_arn: some(&s.source_arn),
        source_account: some(&s.source_account),
        principal_org_id: some(&s.principal_org_id),
        function_url_auth_type: some(&s.function_url_auth_type),
        invoked_via_function_url: s.invoked_via_function_url == Value::Value(true),
        event_source_token: token.then(String::new),
        json: String::new(),
    };
    let partition = function_arn.split(':').nth(1).unwrap_or("aws");
    str_value(&render_statement(&statement, partition))
}

/// Equal known values by `same`; otherwise (null, unknown) by identity.
fn same_value(a: &Str, b: &Str, same: impl Fn(&str, &str) -> bool) -> bool {
    match (a, b) {
        (Value::Value(x), Value::Value(y)) => same(x, y),
        _ => a == b,
    }
}

/// A bool argument whose null means false.
fn same_flag(a: &Bool, b: &Bool) -> bool {
    let flag = |v: &Bool| match v {
        Value::Value(b) => Some(*b),
        Value::Null => Some(false),
        Value::Unknown => None,
    };
    match (flag(a), flag(b)) {
        (Some(x), Some(y)) => x == y,
        _ => a == b,
    }
}

/// Whether the grant stands only under its temporary id: an update failed
/// after it had removed the prior statement, and read found the temporary
/// one (its `Sid` is in `statement_json`). The next update moves it back,
/// even when the configuration is what the temporary statement holds.
pub fn stranded(prior: &PermissionState) -> bool {
    let (Some(json), Some(sid)) = (known(&prior.statement_json), known(&prior.statement_id)) else {
        return false;
    };
    serde_json::from_str::<serde_json::Value>(json)
        .ok()
        .and_then(|stored| stored["Sid"].as_str().map(str::to_string))
        .is_some_and(|stored| stored == crate::lambda::swap::temporary_statement_id(sid))
}

/// The parts of a statement Lambda stores; a change in any of them is a new
/// statement (added before the old one goes). Two spellings of one principal
/// (account id or its root ARN) or of one action (IAM action names ignore
/// case) store the same grant, so they are no change.
pub fn statement_changes(a: &PermissionState, b: &PermissionState) -> bool {
    a.statement_id != b.statement_id
        || !same_value(&a.action, &b.action, |x, y| x.eq_ignore_ascii_case(y))
        || !same_value(&a.principal, &b.principal, same_principal)
        || a.source_arn != b.source_arn
        || a.source_account != b.source_account
        || a.principal_org_id != b.principal_org_id
        || a.function_url_auth_type != b.function_url_auth_type
        // Null and false store the same statement (no condition).
        || !same_flag(&a.invoked_via_function_url, &b.invoked_via_function_url)
        || a.event_source_token != b.event_source_token
        // The write-only token itself is null here: its version is what says
        // it changed.
        || a.event_source_token_wo_version != b.event_source_token_wo_version
}

/// Whether the statement's token moves between the write-only attribute and
/// anything else (the sensitive one, or none). The write-only value is null
/// in every state, so only private state (`prior_write_only`) tells.
pub fn token_source_changes(prior_write_only: bool, config: &PermissionState) -> bool {
    let now_write_only = !config.event_source_token_wo.is_null();
    prior_write_only != now_write_only
}

/// `prior_write_only`: the prior statement's token came from
/// `event_source_token_wo` (private state).
pub fn plan_update(
    prior: &PermissionState,
    proposed: PermissionState,
    config: &PermissionState,
    prior_write_only: bool,
    ctx: &PlanContext,
) -> (PermissionState, Vec<AttributePath>) {
    let replace = target_replacement(
        (&prior.function_name, &prior.qualifier),
        (&config.function_name, &config.qualifier),
        ctx,
    );
    let mut s = proposed;
    s.statement_id = match (
        &config.statement_id,
        config.statement_id_prefix == prior.statement_id_prefix,
    ) {
        (Value::Null, true) => prior.statement_id.clone(),
        (Value::Null, false) => Value::Unknown,
        (given, _) => given.clone(),
    };
    let mut planned = resolve(s, config, ctx);
    if planned.function_arn.is_unknown() && replace.is_empty() {
        planned.function_arn = prior.function_arn.clone();
    }
    planned.statement_json = if statement_changes(prior, &planned)
        || token_source_changes(prior_write_only, config)
        || stranded(prior)
    {
        planned_statement_json(&planned, config)
    } else {
        prior.statement_json.clone()
    };
    (planned, replace)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::resources::testing::ctx;

    fn json(text: &str) -> serde_json::Value {
        serde_json::from_str(text).expect("JSON")
    }

    /// The plan writes the statement anew, and shows it as it will be.
    fn rewritten(prior: &PermissionState, planned: &PermissionState) -> bool {
        planned.statement_json.is_value() && planned.statement_json != prior.statement_json
    }

    fn s3_config() -> PermissionState {
        PermissionState {
            function_name: str_value("processor"),
            source_arn: str_value("arn:aws:s3:::uploads"),
            source_account: str_value("123456789012"),
            statement_id: str_value("s3-uploads"),
            ..Default::default()
        }
    }

    #[test]
    fn create_infers_principal_and_fills_ids() {
        let c = s3_config();
        let planned = plan_create(c.clone(), &c, &ctx());
        assert_eq!(planned.principal, str_value("s3.amazonaws.com"));
        assert_eq!(planned.action, str_value("lambda:InvokeFunction"));
        assert_eq!(planned.id, str_value("processor/s3-uploads"));
        assert_eq!(
            planned.function_arn,
            str_value("arn:aws:lambda:us-east-1:123456789012:function:processor")
        );
        assert_eq!(
            known(&planned.statement_json).map(json),
            Some(json(
                r#"{"Sid":"s3-uploads","Effect":"Allow","Principal":{"Service":"s3.amazonaws.com"},"Action":"lambda:InvokeFunction","Resource":"arn:aws:lambda:us-east-1:123456789012:function:processor","Condition":{"StringEquals":{"AWS:SourceAccount":"123456789012"},"ArnLike":{"AWS:SourceArn":"arn:aws:s3:::uploads"}}}"#
            )),
            "the statement as Lambda will store it, in the plan"
        );
        assert_eq!(
            planned.allow_unscoped_source,
            Value::Value(false),
            "its default"
        );
        let allowed = PermissionState {
            allow_unscoped_source: Value::Value(true),
            ..c
        };
        let planned = plan_create(allowed.clone(), &allowed, &ctx());
        assert_eq!(planned.allow_unscoped_source, Value::Value(true));
    }

    #[test]
    fn a_generated_statement_id_is_known_once_its_content_is() {
        let c = PermissionState {
            statement_id: Value::Null,
            ..s3_config()
        };
        let planned = plan_create(c.clone(), &c, &ctx());
        let sid = known(&planned.statement_id).expect("derived at plan");
        assert!(sid.starts_with("lw-") && sid.len() == 3 + 16, "{sid}");
        assert_eq!(planned.id, str_value(&format!("processor/{sid}")));
        // The same configuration planned again (as Terraform does at apply,
        // or a create retried after a lost answer) asks for the same id.
        assert_eq!(
            plan_create(c.clone(), &c, &ctx()).statement_id,
            planned.statement_id
        );
        let prefixed = PermissionState {
            statement_id_prefix: str_value("uploads-"),
            ..c.clone()
        };
        let with_prefix = plan_create(prefixed.clone(), &prefixed, &ctx());
        assert_eq!(
            known(&with_prefix.statement_id),
            Some(format!("uploads-{}", &sid[3..]).as_str())
        );

        // A source known only at apply: so is the id.
        let later = PermissionState {
            source_arn: Value::Unknown,
            ..c
        };
        let planned = plan_create(later.clone(), &later, &ctx());
        assert!(planned.statement_id.is_unknown());
        assert!(planned.id.is_unknown());
    }

    #[test]
    fn qualified_id_and_partial_arn_function() {
        let c = PermissionState {
            function_name: str_value("123456789012:function:processor"),
            qualifier: str_value("live"),
            ..s3_config()
        };
        let planned = plan_create(c.clone(), &c, &ctx());
        assert_eq!(
            planned.id,
            str_value("123456789012:function:processor:live/s3-uploads")
        );
        assert_eq!(
            planned.function_arn,
            str_value("arn:aws:lambda:us-east-1:123456789012:function:processor")
        );
    }

    #[test]
    fn other_form_of_the_same_function_is_not_a_replacement() {
        let c = s3_config();
        let mut prior = plan_create(c.clone(), &c, &ctx());
        prior.statement_json = str_value("{}");
        let by_arn = PermissionState {
            function_name: str_value("arn:aws:lambda:us-east-1:123456789012:function:processor"),
            ..c.clone()
        };
        let (planned, replace) = plan_update(&prior, by_arn.clone(), &by_arn, false, &ctx());
        assert!(replace.is_empty());
        assert_eq!(
            planned.statement_json,
            str_value("{}"),
            "the statement itself does not change"
        );
        let other = PermissionState {
            function_name: str_value("other"),
            ..c
        };
        let (_, replace) = plan_update(&prior, other.clone(), &other, false, &ctx());
        assert_eq!(replace, [AttributePath::new("function_name")]);
    }

    #[test]
    fn a_grant_left_under_the_temporary_id_is_moved_back_by_the_next_plan() {
        let c = PermissionState {
            statement_id: str_value("uploads"),
            ..s3_config()
        };
        let mut prior = plan_create(c.clone(), &c, &ctx());
        prior.statement_json = str_value(r#"{"Sid":"uploads","Effect":"Allow"}"#);
        assert!(!stranded(&prior));
        let (planned, _) = plan_update(&prior, c.clone(), &c, false, &ctx());
        assert!(!planned.statement_json.is_unknown(), "no change");
        prior.statement_json = str_value(r#"{"Sid":"uploads-lwtmp","Effect":"Allow"}"#);
        assert!(stranded(&prior));
        let (planned, replace) = plan_update(&prior, c.clone(), &c, false, &ctx());
        assert!(replace.is_empty());
        assert!(rewritten(&prior, &planned), "an update in place");
        prior.statement_json = str_value("not json");
        assert!(!stranded(&prior));
    }

    #[test]
    fn another_spelling_of_the_grant_keeps_the_statement() {
        let account = PermissionState {
            function_name: str_value("processor"),
            statement_id: str_value("acct"),
            principal: str_value("arn:aws:iam::210987654321:root"),
            action: str_value("lambda:InvokeFunction"),
            ..Default::default()
        };
        let mut prior = plan_create(account.clone(), &account, &ctx());
        prior.statement_json = str_value("{}");
        let by_id = PermissionState {
            principal: str_value("210987654321"),
            action: str_value("lambda:invokefunction"),
            ..account.clone()
        };
        let (planned, replace) = plan_update(&prior, by_id.clone(), &by_id, false, &ctx());
        assert!(replace.is_empty());
        assert_eq!(
            planned.principal,
            str_value("210987654321"),
            "the configured form"
        );
        assert_eq!(planned.statement_json, str_value("{}"), "no new statement");
        assert!(!statement_changes(&prior, &planned));
        let other = PermissionState {
            principal: str_value("111111111111"),
            ..account
        };
        let (planned, _) = plan_update(&prior, other.clone(), &other, false, &ctx());
        assert!(rewritten(&prior, &planned));
    }

    #[test]
    fn a_qualifier_moved_into_the_function_name_is_not_a_replacement() {
        let c = PermissionState {
            qualifier: str_value("live"),
            ..s3_config()
        };
        let mut prior = plan_create(c.clone(), &c, &ctx());
        prior.statement_json = str_value("{}");
        for function in [
            "processor:live",
            "arn:aws:lambda:us-east-1:123456789012:function:processor:live",
        ] {
            let moved = PermissionState {
                function_name: str_value(function),
                qualifier: Value::Null,
                ..c.clone()
            };
            let (planned, replace) = plan_update(&prior, moved.clone(), &moved, false, &ctx());
            assert!(replace.is_empty(), "{function}: {replace:?}");
            assert_eq!(planned.statement_json, str_value("{}"));
            assert_eq!(planned.id, str_value(&format!("{function}/s3-uploads")));
        }
        let other_alias = PermissionState {
            function_name: str_value("processor:blue"),
            qualifier: Value::Null,
            ..c.clone()
        };
        let (_, replace) = plan_update(&prior, other_alias.clone(), &other_alias, false, &ctx());
        assert_eq!(replace, [AttributePath::new("qualifier")]);
        let unqualified = PermissionState {
            qualifier: Value::Null,
            ..c.clone()
        };
        let (_, replace) = plan_update(&prior, unqualified.clone(), &unqualified, false, &ctx());
        assert_eq!(replace, [AttributePath::new("qualifier")]);
        let unknown = PermissionState {
            function_name: Value::Unknown,
            ..c
        };
        let (_, replace) = plan_update(&prior, unknown.clone(), &unknown, false, &ctx());
        assert_eq!(replace, [AttributePath::new("function_name")]);
    }

    #[test]
    fn changing_the_source_updates_in_place() {
        let c = s3_config();
        let mut prior = plan_create(c.clone(), &c, &ctx());
        prior.statement_json = str_value("{}");
        let moved = PermissionState {
            source_arn: str_value("arn:aws:s3:::other"),
            ..c.clone()
        };
        let (planned, replace) = plan_update(&prior, moved.clone(), &moved, false, &ctx());
        assert!(replace.is_empty());
        assert!(rewritten(&prior, &planned));
        let requalified = PermissionState {
            qualifier: str_value("live"),
            ..c
        };
        let (_, replace) = plan_update(&prior, requalified.clone(), &requalified, false, &ctx());
        assert_eq!(replace, [AttributePath::new("qualifier")]);
    }

    fn alexa(version: Option<i64>) -> PermissionState {
        PermissionState {
            function_name: str_value("skill"),
            statement_id: str_value("alexa"),
            principal: str_value("alexa-appkit.amazon.com"),
            event_source_token_wo: str_value("amzn1.ask.skill.1"),
            event_source_token_wo_version: version.into(),
            ..Default::default()
        }
    }

    /// What Terraform hands over: the write-only value in the configuration
    /// only, null in the proposal and in every state.
    fn proposed(config: &PermissionState) -> PermissionState {
        PermissionState {
            event_source_token_wo: Value::Null,
            ..config.clone()
        }
    }

    #[test]
    fn a_new_write_only_token_version_updates_the_statement_in_place() {
        let v1 = alexa(Some(1));
        let mut prior = plan_create(proposed(&v1), &v1, &ctx());
        prior.statement_json = str_value("{}");
        let (same, replace) = plan_update(&prior, proposed(&v1), &v1, true, &ctx());
        assert!(replace.is_empty());
        assert_eq!(
            same.statement_json,
            str_value("{}"),
            "same version: no change"
        );
        let v2 = alexa(Some(2));
        let (bumped, replace) = plan_update(&prior, proposed(&v2), &v2, true, &ctx());
        assert!(replace.is_empty(), "in place: {replace:?}");
        assert!(rewritten(&prior, &bumped), "the statement is re-added");
        assert_eq!(bumped.event_source_token_wo_version, Value::Value(2));
    }

    #[test]
    fn moving_the_token_to_or_from_the_write_only_attribute_re_adds_the_statement() {
        assert!(!token_source_changes(true, &alexa(None)));
        assert!(!token_source_changes(false, &s3_config()));
        // From event_source_token (or an import) to the write-only one.
        assert!(token_source_changes(false, &alexa(None)));
        // The write-only token removed from the configuration.
        let without = PermissionState {
            event_source_token_wo: Value::Null,
            ..alexa(None)
        };
        assert!(token_source_changes(true, &without));
        let mut prior = plan_create(proposed(&alexa(None)), &alexa(None), &ctx());
        prior.statement_json = str_value("{}");
        let (planned, _) = plan_update(&prior, without.clone(), &without, true, &ctx());
        assert!(rewritten(&prior, &planned));
    }

    #[test]
    fn validation_problems_carry_attribute_paths() {
        let c = PermissionState {
            function_name: str_value("processor"),
            principal: str_value("s3.amazonaws.com"),
            qualifier: str_value("$LATEST"),
            ..Default::default()
        };
        let paths: Vec<String> = problems(&c).iter().map(Problem::path_text).collect();
        assert!(paths.contains(&"qualifier".to_string()), "{paths:?}");
        assert!(paths.contains(&"source_arn".to_string()), "{paths:?}");
    }
}
