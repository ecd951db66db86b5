//! Plan logic of `lambdawire_s3_trigger`: pure. Defaults, the ids and the
//! statement the plan can show, and what forces replacement (another
//! bucket, function, qualifier, owner or entry id: the events and filters
//! update in place).

use crate::lambda::statement::{render_statement, StoredStatement};
use crate::plugin::{known, opt, str_value, AttributePath, Str, Value};
use crate::resources::statement::rules::{statement_resource, target_replacement};
use crate::resources::PlanContext;

use super::flex::{content_grant, generated_entry_id, generated_statement_id};
use super::model::S3TriggerState;

/// The function ARN the entry names, once the function, qualifier and the
/// provider's facts are known.
fn function_arn(s: &S3TriggerState, ctx: &PlanContext) -> Str {
    match (known(&s.function_name), &s.qualifier) {
        (Some(f), q) if !q.is_unknown() => {
            statement_resource(f, known(q), ctx).map_or(Value::Unknown, Value::Value)
        }
        _ => Value::Unknown,
    }
}

fn statement_id(s: &S3TriggerState, ctx: &PlanContext) -> Str {
    ctx.partition
        .as_deref()
        .and_then(|p| generated_statement_id(s, p))
        .map_or(Value::Unknown, Value::Value)
}

/// `statement_json` as Lambda will store the grant, once every part is
/// known: what the plan shows, and what apply records while the stored
/// statement holds exactly that.
pub fn planned_statement_json(s: &S3TriggerState, ctx: &PlanContext) -> Str {
    let (Some(partition), Some(sid), Some(resource)) = (
        ctx.partition.as_deref(),
        known(&s.statement_id),
        known(&s.function_arn),
    ) else {
        return Value::Unknown;
    };
    if s.bucket_owner.is_unknown() || s.bucket.is_unknown() {
        return Value::Unknown;
    }
    let g = content_grant(s, partition);
    let statement = StoredStatement {
        sid: sid.to_string(),
        principal: g.principal,
        action: g.action,
        resource: resource.to_string(),
        source_arn: g.source_arn,
        source_account: g.source_account,
        principal_org_id: None,
        function_url_auth_type: None,
        invoked_via_function_url: false,
        event_source_token: None,
        json: String::new(),
    };
    str_value(&render_statement(&statement, partition))
}

/// The planned state of a create: the owner defaulted to the provider's
/// account, the entry id generated when not given, and the function ARN,
/// statement id and statement shown where their parts are known.
pub fn plan_create(
    proposed: S3TriggerState,
    config: &S3TriggerState,
    ctx: &PlanContext,
) -> S3TriggerState {
    let mut s = proposed;
    s.bucket_owner = match &config.bucket_owner {
        Value::Null => opt(ctx.account_id.clone()).or(Value::Unknown),
        given => given.clone(),
    };
    s.function_arn = function_arn(&s, ctx);
    s.id = match &config.id {
        Value::Null => generated_entry_id(&s).map_or(Value::Unknown, Value::Value),
        given => given.clone(),
    };
    s.statement_id = statement_id(&s, ctx);
    s.statement_json = planned_statement_json(&s, ctx);
    s
}

/// Whether a configured value replaces the prior one: set (or unknown)
/// and not the prior value. Null keeps the prior, computed value.
fn replaces(prior: &Str, config: &Str) -> bool {
    !config.is_null() && config != prior
}

/// The planned state of an update and what forces replacement. In place,
/// the entry id, the owner and the statement id stay what the prior state
/// says (a grant a read found gone gets its id again, so the update adds
/// it back); the function ARN is what the configuration names, so an entry
/// pointed elsewhere out of band is planned back.
pub fn plan_update(
    prior: &S3TriggerState,
    proposed: S3TriggerState,
    config: &S3TriggerState,
    ctx: &PlanContext,
) -> (S3TriggerState, Vec<AttributePath>) {
    let mut replace = target_replacement(
        (&prior.function_name, &prior.qualifier),
        (&config.function_name, &config.qualifier),
        ctx,
    );
    for (attribute, prior_value, config_value) in [
        ("bucket", &prior.bucket, &config.bucket),
        ("bucket_owner", &prior.bucket_owner, &config.bucket_owner),
        ("id", &prior.id, &config.id),
    ] {
        if replaces(prior_value, config_value) {
            replace.push(AttributePath::new(attribute));
        }
    }
    if !replace.is_empty() {
        return (plan_create(proposed, config, ctx), replace);
    }
    let mut s = proposed;
    s.id = prior.id.clone();
    s.bucket_owner = prior.bucket_owner.clone();
    s.function_arn = function_arn(&s, ctx);
    s.statement_id = if prior.statement_id.is_value() {
        prior.statement_id.clone()
    } else {
        statement_id(&s, ctx)
    };
    // The statement as it should be whenever its parts are known, not the
    // prior one: a refresh records a statement changed out of band (one
    // re-added without AWS:SourceAccount) as it is, and only a plan of the
    // right one shows the drift and lets the update swap it back.
    let same_statement =
        s.statement_id == prior.statement_id && s.function_arn == prior.function_arn;
    let planned = planned_statement_json(&s, ctx);
    s.statement_json = if planned.is_unknown() && same_statement && prior.statement_json.is_value()
    {
        prior.statement_json.clone()
    } else {
        planned
    };
    (s, replace)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::plugin::str_list;
    use crate::resources::testing::ctx;

    fn config() -> S3TriggerState {
        S3TriggerState {
            bucket: str_value("uploads"),
            function_name: str_value("processor"),
            events: str_list(["s3:ObjectCreated:*".to_string()]),
            ..Default::default()
        }
    }

    #[test]
    fn a_create_shows_its_ids_and_statement() {
        let s = plan_create(config(), &config(), &ctx());
        assert_eq!(s.bucket_owner, str_value("123456789012"));
        assert_eq!(
            s.function_arn,
            str_value("arn:aws:lambda:us-east-1:123456789012:function:processor")
        );
        assert!(known(&s.id).is_some_and(|id| id.starts_with("lw-")));
        assert!(known(&s.statement_id).is_some_and(|id| id.starts_with("lw-s3-")));
        let json: serde_json::Value =
            serde_json::from_str(known(&s.statement_json).unwrap()).unwrap();
        assert_eq!(json["Principal"]["Service"], "s3.amazonaws.com");
        assert_eq!(
            json["Condition"]["ArnLike"]["AWS:SourceArn"],
            "arn:aws:s3:::uploads"
        );
        assert_eq!(
            json["Condition"]["StringEquals"]["AWS:SourceAccount"],
            "123456789012"
        );
        let unknown = S3TriggerState {
            function_name: Value::Unknown,
            ..config()
        };
        let s = plan_create(unknown.clone(), &unknown, &ctx());
        assert!(s.id.is_unknown() && s.statement_id.is_unknown() && s.statement_json.is_unknown());
    }

    #[test]
    fn a_statement_changed_out_of_band_is_planned_back() {
        let prior = plan_create(config(), &config(), &ctx());
        let drifted = S3TriggerState {
            statement_json: str_value("{\"Sid\":\"drifted\"}"),
            ..prior.clone()
        };
        let (s, replace) = plan_update(&drifted, drifted.clone(), &config(), &ctx());
        assert!(replace.is_empty(), "{replace:?}");
        assert_eq!(s.statement_json, prior.statement_json);
    }

    #[test]
    fn events_and_filters_update_in_place_the_rest_replaces() {
        let prior = plan_create(config(), &config(), &ctx());
        let changed = S3TriggerState {
            events: str_list(["s3:ObjectRemoved:*".to_string()]),
            filter_prefix: str_value("in/"),
            ..config()
        };
        let proposed = S3TriggerState {
            id: prior.id.clone(),
            bucket_owner: prior.bucket_owner.clone(),
            statement_id: prior.statement_id.clone(),
            statement_json: prior.statement_json.clone(),
            function_arn: prior.function_arn.clone(),
            ..changed.clone()
        };
        let (s, replace) = plan_update(&prior, proposed.clone(), &changed, &ctx());
        assert!(replace.is_empty(), "{replace:?}");
        assert_eq!((&s.id, &s.statement_id), (&prior.id, &prior.statement_id));
        assert_eq!(s.statement_json, prior.statement_json);

        for (config, attribute) in [
            (
                S3TriggerState {
                    bucket: str_value("other"),
                    ..changed.clone()
                },
                "bucket",
            ),
            (
                S3TriggerState {
                    function_name: str_value("other"),
                    ..changed.clone()
                },
                "function_name",
            ),
            (
                S3TriggerState {
                    bucket_owner: str_value("210987654321"),
                    ..changed.clone()
                },
                "bucket_owner",
            ),
            (
                S3TriggerState {
                    id: str_value("mine"),
                    ..changed.clone()
                },
                "id",
            ),
        ] {
            let (_, replace) = plan_update(&prior, proposed.clone(), &config, &ctx());
            assert_eq!(replace, [AttributePath::new(attribute)]);
        }
        let by_arn = S3TriggerState {
            function_name: str_value("arn:aws:lambda:us-east-1:123456789012:function:processor"),
            ..changed.clone()
        };
        let (_, replace) = plan_update(&prior, proposed.clone(), &by_arn, &ctx());
        assert!(replace.is_empty(), "another spelling of the same function");

        let lost_grant = S3TriggerState {
            statement_id: Value::Null,
            statement_json: Value::Null,
            ..prior.clone()
        };
        let (s, _) = plan_update(&lost_grant, proposed, &changed, &ctx());
        assert_eq!(s.statement_id, prior.statement_id, "planned back");
        assert!(s.statement_json.is_value());
    }
}
