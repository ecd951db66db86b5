//! Plan logic of `lambdawire_sns_trigger`: pure. The topic's region, the
//! computed statement (its id and text, shown before anything is written),
//! and what forces replacement: another topic, function or qualifier.
//! Everything else updates in place.

use crate::lambda::function_ref::parse_function_ref;
use crate::plugin::{known, str_value, AttributePath, Problem, Value};
use crate::resources::statement::rules::target_replacement;
use crate::resources::PlanContext;
use crate::validate::arn;

use super::flex::{endpoint, grant, statement_text};
use super::model::SnsTriggerState;

/// A topic outside the provider's region: SNS's API is regional (a topic
/// is reached at the endpoint of its own region, sns.<region>.amazonaws.com;
/// "Amazon SNS endpoints and quotas", AWS General Reference), and this
/// provider calls its own region, for Subscribe as for Lambda.
pub fn region_problem(config: &SnsTriggerState, ctx: &PlanContext) -> Option<Problem> {
    let region = ctx.region.as_deref()?;
    let topic = arn::sns_topic(known(&config.topic_arn)?).ok()?;
    (topic.region != region).then(|| {
        Problem::at(
            "topic_arn",
            "topic outside the provider's region",
            format!(
                "The topic is in {} and this provider calls {region}: SNS subscribes \
                 functions to a topic only through the topic's own region. Use a provider \
                 configured for {} (a provider alias: provider = lambdawire.<alias>).",
                topic.region, topic.region
            ),
        )
    })
}

/// A function ARN of another account than the provider's: SNS makes a
/// subscription whose endpoint is of another account only pending, until
/// the endpoint's owner confirms it ("If the endpoint and the topic are
/// not in the same Amazon Web Services account, the endpoint owner must
/// run the ConfirmSubscription action"; Subscribe, Amazon SNS API
/// Reference), so this trigger could never complete: its apply would wait
/// on a placeholder that is no subscription ARN.
fn function_account_problem(config: &SnsTriggerState, ctx: &PlanContext) -> Option<Problem> {
    let own = ctx.account_id.as_deref()?;
    let r = parse_function_ref(known(&config.function_name)?).ok()?;
    let theirs = r.account_id.filter(|a| a != own)?;
    Some(Problem::at(
        "function_name",
        "function of another account",
        format!(
            "The function is in account {theirs} and this provider's is {own}: SNS subscribes \
             a function of another account only once that account confirms the subscription, \
             so this trigger could not complete. Make the trigger with a provider of account \
             {theirs}."
        ),
    ))
}

/// A dead-letter queue of another region or account than the provider's
/// (which a topic of this resource is in, or subscribed from): SNS
/// requires the subscription's dead-letter queue in the subscription's own
/// account and region ("Configuring an Amazon SNS dead-letter queue for a
/// subscription", Amazon SNS Developer Guide). Facts not known yet check
/// nothing.
fn dead_letter_problem(config: &SnsTriggerState, ctx: &PlanContext) -> Option<Problem> {
    let text = known(&config.redrive_dead_letter_arn)?;
    let q = arn::sqs_queue(text).ok()?;
    let place = |what: &str, theirs: &str, ours: Option<&str>| {
        ours.filter(|o| *o != theirs)
            .map(|o| format!("{what} {theirs}, not the provider's {o}"))
    };
    let mismatch = place("region", q.region, ctx.region.as_deref())
        .or_else(|| place("account", q.account, ctx.account_id.as_deref()))?;
    Some(Problem::at(
        "redrive_dead_letter_arn",
        "dead-letter queue outside the subscription's account and region",
        format!(
            "The queue is in {mismatch}: SNS requires a subscription's dead-letter queue in \
             the subscription's own account and region. Use a queue there."
        ),
    ))
}

/// The problems of `config` that need the provider's facts, and no read:
/// the topic's region, the function's account, the dead-letter queue's
/// place.
pub fn place_problems(config: &SnsTriggerState, ctx: &PlanContext) -> Vec<Problem> {
    [
        region_problem(config, ctx),
        function_account_problem(config, ctx),
        dead_letter_problem(config, ctx),
    ]
    .into_iter()
    .flatten()
    .collect()
}

/// The statement's id and text, where every part of them is known.
fn with_statement(mut s: SnsTriggerState, ctx: &PlanContext) -> SnsTriggerState {
    let g = grant(&s, ctx.account_id.as_deref());
    s.statement_id = g
        .as_ref()
        .map_or(Value::Unknown, |g| str_value(&g.statement_id));
    s.statement_json = match (g, endpoint(&s, ctx)) {
        (Some(g), Some(resource)) => str_value(&statement_text(&g, &resource)),
        _ => Value::Unknown,
    };
    s
}

/// The planned state of a create: the statement shown as it will be
/// written; the subscription known after apply.
pub fn plan_create(proposed: SnsTriggerState, ctx: &PlanContext) -> SnsTriggerState {
    let mut s = proposed;
    s.statement_id = Value::Unknown;
    s.subscription_arn = Value::Unknown;
    s.id = Value::Unknown;
    with_statement(s, ctx)
}

/// What forces replacement: another function, version or alias (not
/// another spelling of the same one), or another topic.
fn replacement_paths(
    prior: &SnsTriggerState,
    config: &SnsTriggerState,
    ctx: &PlanContext,
) -> Vec<AttributePath> {
    let mut replace = target_replacement(
        (&prior.function_name, &prior.qualifier),
        (&config.function_name, &config.qualifier),
        ctx,
    );
    if prior.topic_arn != config.topic_arn {
        replace.push(AttributePath::new("topic_arn"));
    }
    replace
}

/// The planned state of an update: the statement as it must be (a prior
/// one missing or changed out of band is written again, in place), and a
/// subscription missing out of band subscribed again, in place.
pub fn plan_update(
    prior: &SnsTriggerState,
    proposed: SnsTriggerState,
    config: &SnsTriggerState,
    ctx: &PlanContext,
) -> (SnsTriggerState, Vec<AttributePath>) {
    let replace = replacement_paths(prior, config, ctx);
    if !replace.is_empty() {
        return (plan_create(proposed, ctx), replace);
    }
    let mut s = proposed;
    // The id is kept from create: another spelling of the function digests
    // to the same one, and a state's id is what its statement is under.
    s.statement_id = prior.statement_id.clone();
    let planned = with_statement(s.clone(), ctx);
    s.statement_json = match &planned.statement_json {
        Value::Unknown => prior.statement_json.clone(),
        shown => shown.clone(),
    };
    if !prior.subscription_arn.is_value() {
        s.subscription_arn = Value::Unknown;
        s.id = Value::Unknown;
    }
    (s, replace)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::resources::testing::ctx;

    const TOPIC: &str = "arn:aws:sns:us-east-1:123456789012:alerts";
    const SUBSCRIPTION: &str = "arn:aws:sns:us-east-1:123456789012:alerts:6f1c3a52";

    fn config() -> SnsTriggerState {
        SnsTriggerState {
            topic_arn: str_value(TOPIC),
            function_name: str_value("processor"),
            ..Default::default()
        }
    }

    fn created() -> SnsTriggerState {
        let mut s = plan_create(config(), &ctx());
        s.subscription_arn = str_value(SUBSCRIPTION);
        s.id = str_value(SUBSCRIPTION);
        s
    }

    fn json(text: &str) -> serde_json::Value {
        serde_json::from_str(text).expect("JSON")
    }

    #[test]
    fn create_shows_the_exact_statement() {
        let s = plan_create(config(), &ctx());
        let sid = known(&s.statement_id).expect("generated at plan");
        assert!(sid.starts_with("lw-sns-"), "{sid}");
        let shown = json(known(&s.statement_json).expect("shown at plan"));
        assert_eq!(
            shown,
            serde_json::json!({
                "Sid": sid,
                "Effect": "Allow",
                "Principal": {"Service": "sns.amazonaws.com"},
                "Action": "lambda:InvokeFunction",
                "Resource": "arn:aws:lambda:us-east-1:123456789012:function:processor",
                "Condition": {"ArnLike": {"AWS:SourceArn": TOPIC}}
            })
        );
        assert!(s.subscription_arn.is_unknown() && s.id.is_unknown());
        let unknown_topic = SnsTriggerState {
            topic_arn: Value::Unknown,
            ..config()
        };
        let s = plan_create(unknown_topic, &ctx());
        assert!(s.statement_id.is_unknown() && s.statement_json.is_unknown());
    }

    #[test]
    fn another_accounts_topic_adds_its_account() {
        let c = SnsTriggerState {
            topic_arn: str_value("arn:aws:sns:us-east-1:210987654321:alerts"),
            ..config()
        };
        let s = plan_create(c, &ctx());
        let shown = json(known(&s.statement_json).expect("shown"));
        assert_eq!(
            shown["Condition"]["StringEquals"]["AWS:SourceAccount"],
            "210987654321"
        );
    }

    #[test]
    fn an_unchanged_trigger_plans_no_change() {
        let prior = created();
        let (s, replace) = plan_update(&prior, prior.clone(), &config(), &ctx());
        assert_eq!(s, prior);
        assert!(replace.is_empty());
    }

    #[test]
    fn attributes_update_in_place_and_the_target_replaces() {
        let prior = created();
        let c = SnsTriggerState {
            filter_policy: str_value(r#"{"kind":["order"]}"#),
            ..config()
        };
        let proposed = SnsTriggerState {
            filter_policy: c.filter_policy.clone(),
            ..prior.clone()
        };
        let (s, replace) = plan_update(&prior, proposed, &c, &ctx());
        assert!(replace.is_empty());
        assert_eq!(s.subscription_arn, prior.subscription_arn);
        assert_eq!(s.statement_json, prior.statement_json);
        for (c, path) in [
            (
                SnsTriggerState {
                    topic_arn: str_value("arn:aws:sns:us-east-1:123456789012:other"),
                    ..config()
                },
                "topic_arn",
            ),
            (
                SnsTriggerState {
                    function_name: str_value("billing"),
                    ..config()
                },
                "function_name",
            ),
            (
                SnsTriggerState {
                    qualifier: str_value("live"),
                    ..config()
                },
                "qualifier",
            ),
        ] {
            let (s, replace) = plan_update(&prior, c.clone(), &c, &ctx());
            assert_eq!(replace, [AttributePath::new(path)], "{c:?}");
            assert!(s.subscription_arn.is_unknown());
        }
        let by_arn = SnsTriggerState {
            function_name: str_value("arn:aws:lambda:us-east-1:123456789012:function:processor"),
            ..config()
        };
        let proposed = SnsTriggerState {
            function_name: by_arn.function_name.clone(),
            ..prior.clone()
        };
        let (s, replace) = plan_update(&prior, proposed, &by_arn, &ctx());
        assert!(replace.is_empty(), "{replace:?}");
        assert_eq!(s.statement_id, prior.statement_id);
        assert_eq!(s.statement_json, prior.statement_json);
    }

    #[test]
    fn drift_is_planned_back_in_place() {
        let gone = SnsTriggerState {
            statement_json: Value::Null,
            subscription_arn: Value::Null,
            id: Value::Null,
            ..created()
        };
        let (s, replace) = plan_update(&gone, gone.clone(), &config(), &ctx());
        assert!(replace.is_empty());
        assert_eq!(s.statement_json, created().statement_json);
        assert!(s.subscription_arn.is_unknown() && s.id.is_unknown());
        let changed = SnsTriggerState {
            statement_json: str_value("{\"Sid\":\"other\"}"),
            ..created()
        };
        let (s, _) = plan_update(&changed, changed.clone(), &config(), &ctx());
        assert_eq!(s.statement_json, created().statement_json);
    }

    #[test]
    fn a_topic_of_another_region_is_refused_at_plan() {
        assert_eq!(region_problem(&config(), &ctx()), None);
        let west = SnsTriggerState {
            topic_arn: str_value("arn:aws:sns:eu-west-1:123456789012:alerts"),
            ..config()
        };
        let p = region_problem(&west, &ctx()).map(|p| p.path_text());
        assert_eq!(p.as_deref(), Some("topic_arn"));
        assert_eq!(region_problem(&west, &PlanContext::default()), None);
    }

    #[test]
    fn a_function_of_another_account_is_refused_at_plan() {
        let paths = |c: &SnsTriggerState, ctx: &PlanContext| -> Vec<String> {
            place_problems(c, ctx)
                .iter()
                .map(Problem::path_text)
                .collect()
        };
        assert!(paths(&config(), &ctx()).is_empty());
        let own_arn = SnsTriggerState {
            function_name: str_value("arn:aws:lambda:us-east-1:123456789012:function:processor"),
            ..config()
        };
        assert!(paths(&own_arn, &ctx()).is_empty());
        let theirs = SnsTriggerState {
            function_name: str_value("arn:aws:lambda:us-east-1:210987654321:function:processor"),
            ..config()
        };
        assert_eq!(paths(&theirs, &ctx()), ["function_name"]);
        assert!(paths(&theirs, &PlanContext::default()).is_empty());
    }

    #[test]
    fn a_dead_letter_queue_of_another_region_or_account_is_refused_at_plan() {
        let with = |queue: &str| SnsTriggerState {
            redrive_dead_letter_arn: str_value(queue),
            ..config()
        };
        let paths = |c: &SnsTriggerState, ctx: &PlanContext| -> Vec<String> {
            place_problems(c, ctx)
                .iter()
                .map(Problem::path_text)
                .collect()
        };
        assert!(paths(&with("arn:aws:sqs:us-east-1:123456789012:dlq"), &ctx()).is_empty());
        for queue in [
            "arn:aws:sqs:eu-west-1:123456789012:dlq",
            "arn:aws:sqs:us-east-1:210987654321:dlq",
        ] {
            assert_eq!(
                paths(&with(queue), &ctx()),
                ["redrive_dead_letter_arn"],
                "{queue}"
            );
            assert!(paths(&with(queue), &PlanContext::default()).is_empty());
        }
    }
}
