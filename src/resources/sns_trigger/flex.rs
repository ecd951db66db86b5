//! Layer: pure (no I/O). Between `lambdawire_sns_trigger`'s state and the
//! vocabularies of Lambda and SNS: the [`Grant`] a state stands for, the
//! subscription's endpoint and attributes, what a stored statement and a
//! subscription read back as (keeping the user's forms), and the order in
//! which changed attributes are set.

use crate::aws::sns::{
    Listing, RemoteSubscription, SubscriptionAttributes, FILTER_POLICY, FILTER_POLICY_SCOPE,
    LAMBDA_PROTOCOL, REDRIVE_POLICY,
};
use crate::lambda::function_ref::parse_function_ref;
use crate::lambda::statement::{render_statement, StoredStatement};
use crate::lambda::statement_id::generated_statement_id;
use crate::plugin::{json_equal, known, opt, prior_if_equivalent, str_value, Str, Value};
use crate::resources::statement::rules::{statement_resource, DEFAULT_ACTION};
use crate::resources::statement::{holds, Grant};
use crate::resources::PlanContext;
use crate::validate::arn;

use super::model::SnsTriggerState;
use super::validate::{default_scope, SCOPES};

/// What a generated statement id of this resource starts with.
pub const STATEMENT_PREFIX: &str = "lw-sns-";
/// The principal SNS invokes functions as.
pub const PRINCIPAL: &str = "sns.amazonaws.com";

/// What an "already exists" hint names while the subscription is not known.
const IMPORT_ID_UNKNOWN: &str = "<the subscription ARN>";

/// The redrive policy's key for the dead-letter queue ("Amazon SNS
/// dead-letter queues", Amazon SNS Developer Guide).
const DEAD_LETTER_TARGET: &str = "deadLetterTargetArn";

fn some(s: &Str) -> Option<String> {
    known(s).map(str::to_string)
}

/// The resource as messages name it.
pub fn label(s: &SnsTriggerState) -> String {
    let function = match known(&s.qualifier) {
        Some(q) => format!("{}:{q}", known(&s.function_name).unwrap_or_default()),
        None => known(&s.function_name).unwrap_or_default().to_string(),
    };
    format!(
        "SNS Trigger ({} -> {function})",
        known(&s.topic_arn).unwrap_or_default()
    )
}

/// The account that owns the function: its reference's, else the
/// provider's (`account`).
fn function_account(function_name: &str, account: Option<&str>) -> Option<String> {
    let r = parse_function_ref(function_name).ok()?;
    r.account_id.or_else(|| account.map(str::to_string))
}

/// The statement `s` writes, once its topic, function and qualifier (and
/// the account, for a function named without one) are known: SNS scoped to
/// the topic, and to the topic's account when that is not the function's
/// (SPEC; the topic ARN's account alone would do, but a topic of another
/// account may be deleted and its name taken by a third one's, as with
/// buckets, and `AWS:SourceAccount` then still refuses it). Its id is the
/// state's, or the one generated from the content while the state has none.
pub fn grant(s: &SnsTriggerState, account: Option<&str>) -> Option<Grant> {
    let topic = known(&s.topic_arn)?;
    let function = known(&s.function_name)?;
    if s.qualifier.is_unknown() {
        return None;
    }
    let topic_account = arn::sns_topic(topic).ok()?.account.to_string();
    // Without the function's account the statement cannot be told from
    // one with `source_account`: the content is not known yet.
    let own = function_account(function, account)?;
    let source_account = (topic_account != own).then_some(topic_account);
    let mut g = Grant {
        owner_id: known(&s.subscription_arn)
            .unwrap_or(IMPORT_ID_UNKNOWN)
            .to_string(),
        label: label(s),
        function_name: function.to_string(),
        qualifier: some(&s.qualifier),
        action: DEFAULT_ACTION.to_string(),
        principal: PRINCIPAL.to_string(),
        source_arn: Some(topic.to_string()),
        source_account,
        ..Default::default()
    };
    let generated = generated_statement_id(STATEMENT_PREFIX, &g.content());
    g.statement_id = known(&s.statement_id).map_or(generated.clone(), str::to_string);
    g.id_from_content = g.statement_id == generated;
    Some(g)
}

/// The subscription's endpoint: the function's ARN, qualified when the
/// trigger invokes a version or alias.
pub fn endpoint(s: &SnsTriggerState, ctx: &PlanContext) -> Option<String> {
    if s.qualifier.is_unknown() {
        return None;
    }
    statement_resource(known(&s.function_name)?, known(&s.qualifier), ctx)
}

/// How to list the subscriptions of the topic of `s` when looking for one
/// no state records: by topic when the topic is of the provider's account
/// (`account`, or not known yet: the listing's error is then no evidence
/// at plan), else the caller's own subscriptions, the only ones a topic of
/// another account lets it see (see [`Listing`]).
pub fn listing(s: &SnsTriggerState, account: Option<&str>) -> Listing {
    let topic_account = known(&s.topic_arn).and_then(|t| arn::sns_topic(t).ok());
    match (topic_account, account) {
        (Some(t), Some(own)) if t.account != own => Listing::Mine,
        _ => Listing::ByTopic,
    }
}

/// Whether `remote` is the subscription `s` stands for: of its topic, over
/// `lambda`, to `endpoint` (the function's ARN, qualified as `s` is). A
/// state's `subscription_arn` can be edited by hand, and SNS answers any
/// subscription ARN its caller may read, so an ARN alone proves nothing
/// (SPEC, "Ownership"): a subscription that is anything else is someone
/// else's, never rewritten nor unsubscribed.
pub fn is_ours(s: &SnsTriggerState, remote: &RemoteSubscription, endpoint: &str) -> bool {
    known(&s.topic_arn) == Some(remote.topic_arn.as_str())
        && remote.protocol == LAMBDA_PROTOCOL
        && remote.endpoint == endpoint
}

/// The statement as Lambda will store `g` on `resource` (the function's
/// ARN, qualified as the statement's policy is), as text.
pub fn statement_text(g: &Grant, resource: &str) -> String {
    let stored = StoredStatement {
        sid: g.statement_id.clone(),
        principal: g.principal.clone(),
        action: g.action.clone(),
        resource: resource.to_string(),
        source_arn: g.source_arn.clone(),
        source_account: g.source_account.clone(),
        principal_org_id: None,
        function_url_auth_type: None,
        invoked_via_function_url: false,
        event_source_token: None,
        json: String::new(),
    };
    render_statement(&stored, partition_of(resource))
}

fn partition_of(arn: &str) -> &str {
    arn.split(':').nth(1).unwrap_or("aws")
}

/// `statement_json` for what the policy holds under the statement's id:
/// the rendered statement while it is exactly `g` (so Lambda's key order
/// is never a change, and the plan's text is the state's), Lambda's own
/// text when it is anything else (drift the plan shows), null when absent.
pub fn flatten_statement(stored: Option<&StoredStatement>, g: &Grant) -> Str {
    match stored {
        Some(st) if st.sid == g.statement_id && holds(st, g) => {
            str_value(&statement_text(g, &st.resource))
        }
        Some(st) => str_value(&st.json),
        None => Value::Null,
    }
}

/// The redrive policy naming `queue_arn` as the dead-letter queue.
pub fn redrive_policy(queue_arn: &str) -> String {
    serde_json::json!({ DEAD_LETTER_TARGET: queue_arn }).to_string()
}

/// The dead-letter queue a redrive policy names, if it reads.
pub fn dead_letter_of(policy: &str) -> Option<String> {
    let parsed: serde_json::Value = serde_json::from_str(policy).ok()?;
    parsed[DEAD_LETTER_TARGET].as_str().map(str::to_string)
}

/// The attributes the subscription of `s` carries. The scope is sent only
/// with a filter policy, and as SNS's default when null, so that a scope
/// removed from the configuration is reset rather than left as it was.
pub fn attributes(s: &SnsTriggerState) -> SubscriptionAttributes {
    let filter_policy = some(&s.filter_policy);
    let scope = filter_policy
        .as_ref()
        .map(|_| some(&s.filter_policy_scope).unwrap_or_else(|| SCOPES[0].to_string()));
    SubscriptionAttributes {
        filter_policy,
        filter_policy_scope: scope,
        redrive_policy: some(&s.redrive_dead_letter_arn).map(|q| redrive_policy(&q)),
    }
}

/// The SetSubscriptionAttributes calls that take the subscription from
/// `prior`'s attributes to `planned`'s, in an order SNS accepts at each
/// step: a filter policy is checked against the scope it is set under,
/// and only `MessageBody` accepts nested keys ("Subscription filter policy
/// scope", Amazon SNS Developer Guide), so a move to `MessageBody` sets the
/// scope before the policy, and a move back sets the policy first.
pub fn attribute_changes(
    prior: &SnsTriggerState,
    planned: &SnsTriggerState,
) -> Vec<(&'static str, Option<String>)> {
    let (old, new) = (attributes(prior), attributes(planned));
    let same_policy = match (&old.filter_policy, &new.filter_policy) {
        (Some(a), Some(b)) => json_equal(a, b),
        (a, b) => a == b,
    };
    let policy = (!same_policy).then(|| (FILTER_POLICY, new.filter_policy.clone()));
    let scope = (new.filter_policy.is_some() && old.filter_policy_scope != new.filter_policy_scope)
        .then(|| (FILTER_POLICY_SCOPE, new.filter_policy_scope.clone()));
    let redrive = (old.redrive_policy != new.redrive_policy)
        .then(|| (REDRIVE_POLICY, new.redrive_policy.clone()));
    let to_body = new.filter_policy_scope.as_deref() == Some(SCOPES[1]);
    let ordered = if to_body {
        [scope, policy, redrive]
    } else {
        [policy, scope, redrive]
    };
    ordered.into_iter().flatten().collect()
}

/// The subscription as SNS reports it, read into `prior` while keeping the
/// user's forms: a filter policy that means the same JSON, a null scope
/// while SNS holds its default.
pub fn flatten_subscription(
    prior: &SnsTriggerState,
    remote: &RemoteSubscription,
) -> SnsTriggerState {
    let mut s = prior.clone();
    let a = &remote.attributes;
    s.subscription_arn = str_value(&remote.arn);
    s.id = str_value(&remote.arn);
    s.filter_policy =
        prior_if_equivalent(&prior.filter_policy, a.filter_policy.clone(), json_equal);
    s.filter_policy_scope = match (&a.filter_policy, &a.filter_policy_scope) {
        // A scope with no policy filters nothing, whatever SNS keeps.
        (None, _) => Value::Null,
        (Some(_), remote_scope) => {
            let remote_scope = opt(remote_scope.clone());
            if default_scope(&prior.filter_policy_scope) && default_scope(&remote_scope) {
                prior.filter_policy_scope.clone()
            } else {
                remote_scope
            }
        }
    };
    s.redrive_dead_letter_arn = opt(a.redrive_policy.as_deref().and_then(dead_letter_of));
    s
}

/// What an import by subscription ARN knows once the subscription is read:
/// the topic, and the function and qualifier of its endpoint. The
/// subscription records the function's ARN only; a function of the
/// provider's own account and region is written by name, the form a
/// configuration most often has (`aws_lambda_function.<name>.function_name`),
/// any other by its ARN.
pub fn import_state(
    remote: &RemoteSubscription,
    ctx: &PlanContext,
) -> Result<SnsTriggerState, String> {
    let function = arn::lambda_function(&remote.endpoint).map_err(|why| {
        format!(
            "subscription {} does not invoke a Lambda function (its endpoint: {why})",
            remote.arn
        )
    })?;
    let own_place = Some(function.arn.region) == ctx.region.as_deref()
        && Some(function.arn.account) == ctx.account_id.as_deref()
        && Some(function.arn.partition.as_str()) == ctx.partition.as_deref();
    let s = SnsTriggerState {
        id: str_value(&remote.arn),
        subscription_arn: str_value(&remote.arn),
        topic_arn: str_value(&remote.topic_arn),
        function_name: str_value(if own_place {
            function.name
        } else {
            function.unqualified()
        }),
        qualifier: opt(function.qualifier.map(str::to_string)),
        ..Default::default()
    };
    Ok(flatten_subscription(&s, remote))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::resources::testing::{ctx, sns_statement};

    const TOPIC: &str = "arn:aws:sns:us-east-1:123456789012:alerts";
    const OTHER_TOPIC: &str = "arn:aws:sns:us-east-1:210987654321:alerts";
    const FUNCTION_ARN: &str = "arn:aws:lambda:us-east-1:123456789012:function:f";

    fn state(topic: &str, function: &str) -> SnsTriggerState {
        SnsTriggerState {
            topic_arn: str_value(topic),
            function_name: str_value(function),
            ..Default::default()
        }
    }

    fn own() -> Option<&'static str> {
        Some("123456789012")
    }

    #[test]
    fn the_grant_is_sns_scoped_to_the_topic_and_to_another_account() {
        let g = grant(&state(TOPIC, "f"), own()).expect("known");
        assert_eq!(g.principal, "sns.amazonaws.com");
        assert_eq!(g.source_arn.as_deref(), Some(TOPIC));
        assert_eq!(g.source_account, None, "the function's own account");
        assert!(g.id_from_content && g.statement_id.starts_with(STATEMENT_PREFIX));
        assert_eq!(g.statement_id.len(), STATEMENT_PREFIX.len() + 16);
        let other = grant(&state(OTHER_TOPIC, "f"), own()).expect("known");
        assert_eq!(other.source_account.as_deref(), Some("210987654321"));
        assert_ne!(other.statement_id, g.statement_id);
        // The same function by ARN: the same statement, the same id.
        let by_arn = grant(&state(TOPIC, FUNCTION_ARN), None).expect("known");
        assert_eq!(by_arn.statement_id, g.statement_id);
        assert_eq!(grant(&state(TOPIC, "f"), None), None, "account unknown");
    }

    #[test]
    fn the_grant_means_scoped_to_its_source() {
        use crate::lambda::grant::{audience, risks, Audience, Grant as Meaning};
        for topic in [TOPIC, OTHER_TOPIC] {
            let g = grant(&state(topic, "f"), own()).expect("known");
            let meaning = Meaning {
                principal: &g.principal,
                action: &g.action,
                function_account: own(),
                source_arn: g.source_arn.as_deref(),
                source_account: g.source_account.as_deref(),
                ..Default::default()
            };
            assert_eq!(audience(&meaning), Audience::ServiceScoped, "{topic}");
            assert!(risks(&meaning).is_empty(), "{topic}: {:?}", risks(&meaning));
        }
    }

    #[test]
    fn a_stored_statement_reads_back_rendered_only_when_it_is_exactly_the_grant() {
        let g = grant(&state(TOPIC, "f"), own()).expect("known");
        let stored = sns_statement(&g.statement_id, TOPIC);
        let shown = flatten_statement(Some(&stored), &g);
        assert_eq!(shown, str_value(&statement_text(&g, FUNCTION_ARN)));
        let drifted = sns_statement(&g.statement_id, OTHER_TOPIC);
        assert_eq!(flatten_statement(Some(&drifted), &g), str_value("{}"));
        assert_eq!(flatten_statement(None, &g), Value::Null);
    }

    #[test]
    fn the_endpoint_is_the_function_arn_qualified_as_configured() {
        let s = state(TOPIC, "f");
        assert_eq!(endpoint(&s, &ctx()).as_deref(), Some(FUNCTION_ARN));
        let live = SnsTriggerState {
            qualifier: str_value("live"),
            ..s
        };
        assert_eq!(
            endpoint(&live, &ctx()),
            Some(format!("{FUNCTION_ARN}:live"))
        );
    }

    #[test]
    fn attributes_are_set_in_an_order_sns_accepts() {
        let flat = SnsTriggerState {
            filter_policy: str_value(r#"{"kind":["order"]}"#),
            ..state(TOPIC, "f")
        };
        let nested = SnsTriggerState {
            filter_policy: str_value(r#"{"order":{"kind":["big"]}}"#),
            filter_policy_scope: str_value("MessageBody"),
            redrive_dead_letter_arn: str_value("arn:aws:sqs:us-east-1:123456789012:dlq"),
            ..state(TOPIC, "f")
        };
        let names = |a: &SnsTriggerState, b: &SnsTriggerState| -> Vec<&'static str> {
            attribute_changes(a, b)
                .into_iter()
                .map(|(n, _)| n)
                .collect()
        };
        assert_eq!(
            names(&flat, &nested),
            [FILTER_POLICY_SCOPE, FILTER_POLICY, REDRIVE_POLICY]
        );
        assert_eq!(
            names(&nested, &flat),
            [FILTER_POLICY, FILTER_POLICY_SCOPE, REDRIVE_POLICY]
        );
        let respaced = SnsTriggerState {
            filter_policy: str_value(r#"{ "kind": [ "order" ] }"#),
            ..flat.clone()
        };
        assert!(attribute_changes(&flat, &respaced).is_empty());
        let removed = attribute_changes(&flat, &state(TOPIC, "f"));
        assert_eq!(removed, [(FILTER_POLICY, None)]);
        let changes = attribute_changes(&state(TOPIC, "f"), &flat);
        assert_eq!(
            changes,
            [
                (FILTER_POLICY, Some(r#"{"kind":["order"]}"#.to_string())),
                (FILTER_POLICY_SCOPE, Some("MessageAttributes".to_string()))
            ]
        );
    }

    #[test]
    fn a_subscription_reads_back_in_the_users_forms() {
        let prior = SnsTriggerState {
            filter_policy: str_value(r#"{"kind":["order"]}"#),
            ..state(TOPIC, "f")
        };
        let remote = RemoteSubscription {
            arn: format!("{TOPIC}:6f1c3a52"),
            topic_arn: TOPIC.into(),
            protocol: "lambda".into(),
            endpoint: FUNCTION_ARN.into(),
            attributes: SubscriptionAttributes {
                filter_policy: Some(r#"{"kind": ["order"]}"#.into()),
                filter_policy_scope: Some("MessageAttributes".into()),
                redrive_policy: Some(redrive_policy("arn:aws:sqs:us-east-1:123456789012:dlq")),
            },
        };
        let s = flatten_subscription(&prior, &remote);
        assert_eq!(s.filter_policy, prior.filter_policy);
        assert_eq!(s.filter_policy_scope, Value::Null, "SNS's default");
        assert_eq!(
            s.redrive_dead_letter_arn,
            str_value("arn:aws:sqs:us-east-1:123456789012:dlq")
        );
        assert_eq!(s.subscription_arn, str_value(&remote.arn));
        let body = RemoteSubscription {
            attributes: SubscriptionAttributes {
                filter_policy: Some(r#"{"kind":["other"]}"#.into()),
                filter_policy_scope: Some("MessageBody".into()),
                redrive_policy: None,
            },
            ..remote.clone()
        };
        let s = flatten_subscription(&prior, &body);
        assert_eq!(s.filter_policy, str_value(r#"{"kind":["other"]}"#), "drift");
        assert_eq!(s.filter_policy_scope, str_value("MessageBody"));
        assert_eq!(s.redrive_dead_letter_arn, Value::Null);

        let live = RemoteSubscription {
            endpoint: format!("{FUNCTION_ARN}:live"),
            ..remote
        };
        let imported = import_state(&live, &ctx()).expect("a function");
        assert_eq!(imported.function_name, str_value("f"), "the provider's own");
        assert_eq!(imported.qualifier, str_value("live"));
        assert_eq!(imported.topic_arn, str_value(TOPIC));
        let elsewhere = PlanContext {
            account_id: Some("210987654321".into()),
            ..ctx()
        };
        let imported = import_state(&live, &elsewhere).expect("a function");
        assert_eq!(imported.function_name, str_value(FUNCTION_ARN));
    }

    #[test]
    fn only_a_subscription_of_the_states_topic_and_endpoint_over_lambda_is_ours() {
        let s = state(TOPIC, "f");
        let remote = RemoteSubscription {
            arn: format!("{TOPIC}:6f1c3a52"),
            topic_arn: TOPIC.into(),
            protocol: "lambda".into(),
            endpoint: FUNCTION_ARN.into(),
            attributes: SubscriptionAttributes::default(),
        };
        assert!(is_ours(&s, &remote, FUNCTION_ARN));
        for theirs in [
            RemoteSubscription {
                topic_arn: OTHER_TOPIC.into(),
                ..remote.clone()
            },
            RemoteSubscription {
                protocol: "sqs".into(),
                ..remote.clone()
            },
            RemoteSubscription {
                endpoint: format!("{FUNCTION_ARN}:live"),
                ..remote.clone()
            },
            RemoteSubscription {
                endpoint: "arn:aws:lambda:us-east-1:123456789012:function:g".into(),
                ..remote.clone()
            },
        ] {
            assert!(!is_ours(&s, &theirs, FUNCTION_ARN), "{theirs:?}");
        }
    }

    #[test]
    fn another_accounts_topic_is_listed_through_the_callers_own_subscriptions() {
        assert_eq!(listing(&state(TOPIC, "f"), own()), Listing::ByTopic);
        assert_eq!(listing(&state(OTHER_TOPIC, "f"), own()), Listing::Mine);
        assert_eq!(listing(&state(OTHER_TOPIC, "f"), None), Listing::ByTopic);
    }

    #[test]
    fn a_redrive_policy_names_its_queue() {
        let q = "arn:aws:sqs:us-east-1:123456789012:dlq";
        assert_eq!(dead_letter_of(&redrive_policy(q)).as_deref(), Some(q));
        assert_eq!(dead_letter_of("not json"), None);
    }
}
