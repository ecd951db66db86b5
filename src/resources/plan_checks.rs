//! The plan-time checks several resources share (SPEC, "Plan-time checks
//! against AWS"): a function ARN outside the provider's region, partition
//! or account (pure), and a function or schedule group that does not exist
//! (one read per object per plan, [`crate::aws::plan_reads`]). Each check
//! names the attribute, says what AWS holds and what to do.

use crate::aws::plan_reads::{
    event_bus_exists, function_exists, rule_taken, schedule_group_exists,
};
use crate::aws::scheduler::ScheduleNames;
use crate::aws::{AwsClients, AwsError};
use crate::lambda::function_ref::parse_function_ref;
use crate::plugin::{known, AttributePath, Diagnostics, Problem, Str};
use crate::resources::statement::{holds, stored_statements, taken_at_plan, Grant};
use crate::resources::steps::not_recorded;

use super::PlanContext;

/// How a failed check counts for a resource: the permission's apply would
/// fail on a missing function (an error), the invoker's would succeed and
/// never work (a warning).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Gravity {
    /// The plan fails.
    Error,
    /// Terraform shows it and goes on.
    Warning,
}

/// Put `problem` into `diags` as `gravity` says.
pub fn report(diags: &mut Diagnostics, gravity: Gravity, problem: Problem) {
    match gravity {
        Gravity::Error => diags.error(problem.summary, problem.detail, problem.path),
        Gravity::Warning => diags.warning_at(problem),
    }
}

/// Which of the function's place the check holds to the provider's.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Place {
    /// Region and partition: Lambda's API is regional.
    Region,
    /// Region, partition and account: EventBridge Scheduler's Lambda target
    /// must be in the schedule's account too (AWS CDK refuses the pairing).
    RegionAndAccount,
}

/// A function named (as `attribute` has it) by an ARN of another region,
/// partition or, with [`Place::RegionAndAccount`], account than the
/// provider's. A bare name or partial ARN is in the provider's region by
/// construction; facts not known yet check nothing.
pub fn foreign_function(
    attribute: &AttributePath,
    function: &str,
    ctx: &PlanContext,
    place: Place,
) -> Option<Problem> {
    let r = parse_function_ref(function).ok()?;
    let found =
        foreign_place(r.region.as_deref(), r.partition.as_deref(), ctx).or_else(
            || match place {
                Place::RegionAndAccount => mismatch(
                    "account",
                    r.account_id.as_deref(),
                    ctx.account_id.as_deref(),
                ),
                Place::Region => None,
            },
        )?;
    let why = match place {
        Place::Region => {
            "Lambda's API is regional: this provider calls its own region, where that function \
             does not exist."
        }
        Place::RegionAndAccount => {
            "An EventBridge Scheduler schedule invokes functions of its own region and account \
             only."
        }
    };
    Some(Problem::new(
        attribute.clone(),
        format!("the function is in {found}"),
        format!(
            "{function} is in {found}. {why} Use a provider configured for that region and \
             account (a provider alias: provider = lambdawire.<alias>)."
        ),
    ))
}

/// "`what` X, not the provider's Y" when an ARN's `theirs` is known and
/// differs from the provider's `ours`.
fn mismatch(what: &str, theirs: Option<&str>, ours: Option<&str>) -> Option<String> {
    match (theirs, ours) {
        (Some(t), Some(o)) if t != o => Some(format!("{what} {t}, not the provider's {o}")),
        _ => None,
    }
}

/// The region, else the partition, an ARN holds that is not the provider's.
fn foreign_place(
    region: Option<&str>,
    partition: Option<&str>,
    ctx: &PlanContext,
) -> Option<String> {
    mismatch("region", region, ctx.region.as_deref())
        .or_else(|| mismatch("partition", partition, ctx.partition.as_deref()))
}

/// An event bus named (as `attribute` has it) by an ARN of another region
/// or partition than the provider's: EventBridge's API is regional, so the
/// rule would be put on a bus this provider cannot reach (PutRule answers
/// only at apply). A bus name is in the provider's region by construction.
pub fn foreign_event_bus(
    attribute: &AttributePath,
    bus: &str,
    ctx: &PlanContext,
) -> Option<Problem> {
    let a = crate::validate::arn::parse(bus).ok()?;
    let region = (!a.region.is_empty()).then_some(a.region);
    let found = foreign_place(region, Some(a.partition.as_str()), ctx)?;
    Some(Problem::new(
        attribute.clone(),
        format!("the event bus is in {found}"),
        format!(
            "{bus} is in {found}. EventBridge's API is regional: this provider calls its own \
             region, where that event bus does not exist. Use a provider configured for that \
             region (a provider alias: provider = lambdawire.<alias>)."
        ),
    ))
}

/// The read failed: no evidence either way (SPEC). Said in the log, never
/// in the plan.
fn no_evidence(what: &str, e: &AwsError) {
    tracing::info!(check = what, error = %e.detail(), "plan-time check skipped: the read gave no answer");
}

/// The problem, on `attribute`, of a function `function` (at
/// `qualifier`) that does not exist; `None` when it does or the read gave
/// no answer.
pub async fn missing_function(
    c: &AwsClients,
    attribute: AttributePath,
    function: &str,
    qualifier: Option<&str>,
    gravity: Gravity,
) -> Option<Problem> {
    match function_exists(c, function, qualifier).await {
        Ok(true) => None,
        Ok(false) => Some(no_function(attribute, function, qualifier, c, gravity)),
        Err(e) => {
            no_evidence("function exists", &e);
            None
        }
    }
}

fn no_function(
    attribute: AttributePath,
    function: &str,
    qualifier: Option<&str>,
    c: &AwsClients,
    gravity: Gravity,
) -> Problem {
    let shown = match qualifier {
        Some(q) => format!("{function} (qualifier {q})"),
        None => function.to_string(),
    };
    let outcome = match gravity {
        Gravity::Error => "Apply would fail.",
        Gravity::Warning => "Apply would succeed, but nothing would be invoked until it exists.",
    };
    Problem::new(
        attribute,
        format!("Lambda has no function {shown} in {}", c.region),
        format!(
            "{outcome} Check the name, the qualifier and the provider's region. If this \
             configuration creates the function, name it by the creating resource's ARN \
             attribute (aws_lambda_function.<name>.arn), which is known only after apply, so \
             the plan does not look for it before it exists."
        ),
    )
}

/// The problem, on `attribute`, of a schedule group that does not exist;
/// `None` when it does or the read gave no answer.
pub async fn missing_schedule_group(
    c: &AwsClients,
    attribute: AttributePath,
    group: &str,
) -> Option<Problem> {
    match schedule_group_exists(c, group).await {
        Ok(true) => None,
        Ok(false) => Some(Problem::new(
            attribute,
            format!(
                "EventBridge Scheduler has no schedule group {group} in {}",
                c.region
            ),
            "lambdawire does not create schedule groups: check the name, use the default \
             group, or create it first. If this configuration creates it, name it by \
             aws_scheduler_schedule_group.<name>.id, which is known only after apply, so the \
             plan does not look for it before it exists.",
        )),
        Err(e) => {
            no_evidence("schedule group exists", &e);
            None
        }
    }
}

/// How many of a group's schedules a warning names.
const SCHEDULES_NAMED: usize = 3;

/// The warning of a destroy plan for the role `role_arn` while the
/// function `function` still runs as it (GetFunctionConfiguration's
/// `Role`); `None` when it runs as another role, is gone, or the read gave
/// no answer.
pub async fn role_runs_function(c: &AwsClients, role_arn: &str, function: &str) -> Option<Problem> {
    match crate::aws::lambda::function_configuration_role(c, function, None).await {
        Ok(Some(role)) if role == role_arn => Some(Problem::at(
            "function_name",
            format!("Lambda function {function} still runs as this role"),
            format!(
                "Destroying {role_arn} leaves {function} with an execution role that does not \
                 exist: its invocations fail until it is given another role. Give the function \
                 its new role first, or destroy the function with it."
            ),
        )),
        Ok(_) => None,
        Err(e) => {
            no_evidence("function's role", &e);
            None
        }
    }
}

/// The warning of a destroy plan for a scheduler role while schedules of
/// the group it trusts (`None`: every group of the account) still exist:
/// those created at run time with this role fail from then on, and
/// Terraform knows nothing of them. Their count and first names.
pub async fn role_runs_schedules(c: &AwsClients, group: Option<&str>) -> Option<Problem> {
    match crate::aws::scheduler::list_schedule_names(c, group, SCHEDULES_NAMED).await {
        Ok(found) if found.listed == 0 => None,
        Ok(found) => Some(schedules_in_use(group, &found)),
        Err(e) => {
            no_evidence("schedules of the group", &e);
            None
        }
    }
}

/// The words of [`role_runs_schedules`]' warning.
fn schedules_in_use(group: Option<&str>, found: &ScheduleNames) -> Problem {
    let (place, hold) = match group {
        Some(g) => (format!("schedule group {g}"), "holds"),
        None => ("the account's schedule groups".to_string(), "hold"),
    };
    let count = if found.more {
        format!("more than {}", found.listed)
    } else {
        found.listed.to_string()
    };
    let more = if found.more || found.listed > found.first.len() {
        ", ..."
    } else {
        ""
    };
    Problem::at(
        "schedule_group",
        format!("{place} still {hold} {count} schedule(s)"),
        format!(
            "{place} {hold} {count} schedule(s) ({}{more}). Those that run as this role, created \
             at run time and unknown to Terraform, fail from the moment it is destroyed. Delete \
             them first, or keep the role until they have run.",
            found.first.join(", ")
        ),
    )
}

/// The checks of a create whose apply acts on the function `target` names
/// (function name, qualifier): its place and existence on `function_name`
/// (errors: the apply would fail), then the id of each of the `grants` it
/// writes into the function's policy, on `id_attribute` (taken with other
/// content). An unknown function checks nothing; `grants` is empty while
/// their ids are unknown, and for a resource that writes none.
pub async fn check_target(
    c: &AwsClients,
    ctx: &PlanContext,
    diags: &mut Diagnostics,
    target: (&Str, &Str),
    grants: &[Grant],
    id_attribute: &'static str,
) {
    let (Some(function), qualifier) = (known(target.0), target.1) else {
        return;
    };
    if qualifier.is_unknown() {
        return;
    }
    let path = AttributePath::new("function_name");
    if let Some(p) = foreign_function(&path, function, ctx, Place::Region) {
        return report(diags, Gravity::Error, p);
    }
    let missing = missing_function(c, path, function, known(qualifier), Gravity::Error).await;
    if let Some(p) = missing {
        return report(diags, Gravity::Error, p);
    }
    for g in grants {
        if let Some(why) = taken_at_plan(c, g).await {
            diags.error(
                "the statement id is taken",
                why,
                AttributePath::new(id_attribute),
            );
        }
    }
}

/// Whether the SNS topic `topic` names (when known) does not exist: then
/// an error on `topic_arn` (Subscribe would fail) and `true`. A read that
/// gives no answer (AccessDenied for another account's topic, a throttle)
/// is no evidence.
pub async fn missing_topic(c: &AwsClients, diags: &mut Diagnostics, topic: &Str) -> bool {
    let Some(topic) = known(topic) else {
        return false;
    };
    match crate::aws::plan_reads::topic_exists(c, topic).await {
        Ok(true) => false,
        Ok(false) => {
            diags.error(
                format!("SNS has no topic {topic} in {}", c.region),
                "Apply would fail. Check the ARN and the provider's region. If this \
                 configuration creates the topic, name it by aws_sns_topic.<name>.arn, which is \
                 known only after apply, so the plan does not look for it before it exists.",
                AttributePath::new("topic_arn"),
            );
            true
        }
        Err(e) => {
            no_evidence("topic exists", &e);
            false
        }
    }
}

/// The "already exists" of a subscription no state records, at plan and
/// at apply alike.
pub fn already_subscribed(topic: &str, endpoint: &str, arn: &str) -> AwsError {
    crate::resources::steps::not_recorded_unless(
        "Subscribe",
        "SubscriptionExists",
        &format!("A subscription of {endpoint} to {topic}"),
        arn,
        "remove that subscription, or leave this trigger out",
        None,
    )
}

/// A subscription of `endpoint` to the topic (when known) that no state
/// records: SNS's Subscribe would answer it as if it were new (Subscribe
/// is idempotent), so the plan names it with its import id instead, on
/// `topic_arn`. A listing that gives no answer (AccessDenied, or SNS's
/// AuthorizationError for a topic whose policy does not let this account
/// list it, a throttle) is no evidence.
pub async fn subscribed_already(
    c: &AwsClients,
    diags: &mut Diagnostics,
    topic: &Str,
    endpoint: &str,
    listing: crate::aws::sns::Listing,
) {
    let Some(topic) = known(topic) else {
        return;
    };
    match crate::aws::sns::subscriptions_of(c, topic, endpoint, listing).await {
        Ok(found) => {
            if let Some(arn) = found.first() {
                let e = already_subscribed(topic, endpoint, arn);
                diags.error(
                    "the function is subscribed to the topic already",
                    e.message,
                    AttributePath::new("topic_arn"),
                );
            }
        }
        Err(e) => no_evidence("subscription exists", &e),
    }
}

/// The checks of a create that writes the notification entry `ours` (its
/// id `id`, when known) into `bucket`, from one read of the bucket's
/// configuration: the bucket exists (an error on `bucket`), no entry of
/// another owner holds the id (on `id`), and no other entry overlaps this
/// one, in AWS or `planned` by another resource of this plan (on `events`,
/// naming the other entry's id). `leaving`: entries of this bucket whose
/// replacement this plan makes, which the apply deletes before this one is
/// written.
pub async fn check_bucket_entry(
    c: &AwsClients,
    diags: &mut Diagnostics,
    bucket: &str,
    id: Option<&str>,
    ours: Option<&crate::aws::s3::AnyEntry>,
    planned: Vec<crate::aws::s3::AnyEntry>,
    leaving: impl Fn(&str) -> bool,
) {
    let read = match crate::aws::plan_reads::bucket_notifications(c, bucket).await {
        Ok(read) => read,
        Err(e) => return no_evidence("bucket notification configuration", &e),
    };
    let Some(read) = read else {
        return diags.error(
            format!("S3 has no bucket {bucket}"),
            "Apply would fail: the notification is written into the bucket's configuration. \
             Check the name and the account. If this configuration creates the bucket, name \
             it by aws_s3_bucket.<name>.bucket, which is known only after apply, so the plan \
             does not look for it before it exists.",
            AttributePath::new("bucket"),
        );
    };
    let mut others: Vec<_> = read
        .entries()
        .into_iter()
        .filter(|e| !leaving(&e.id))
        .collect();
    if let Some(id) = id.filter(|id| others.iter().any(|e| e.id == *id)) {
        let import_id = format!("{bucket}/{id}");
        let taken = crate::resources::steps::not_recorded_unless(
            "GetBucketNotificationConfiguration",
            "EntryAlreadyExists",
            &format!("Notification entry {id} of S3 Bucket ({bucket})"),
            &import_id,
            "give this trigger another id",
            None,
        );
        diags.error(
            "the notification id is taken",
            taken.message,
            AttributePath::new("id"),
        );
        return;
    }
    others.extend(planned);
    let overlap =
        ours.and_then(|ours| crate::resources::s3_trigger::overlap::first_overlap(ours, &others));
    if let Some(other) = overlap {
        diags.error(
            format!(
                "the events overlap notification entry {} of {bucket}",
                other.id
            ),
            format!(
                "S3 refuses two entries of one bucket whose event types meet (a wildcard such \
                 as s3:ObjectCreated:* meets every type under it) and whose prefixes and \
                 suffixes both overlap (one begins, or ends, the other; no filter matches every \
                 key): entry {} already takes {:?} with prefix {:?} and suffix {:?}. Give this \
                 trigger other events, or a prefix or suffix the other entry's cannot match.",
                other.id,
                other.events,
                other.prefix.as_deref().unwrap_or(""),
                other.suffix.as_deref().unwrap_or("")
            ),
            AttributePath::new("events"),
        );
    }
}

/// The checks of an EventBridge rule's create (SPEC, "Plan-time checks
/// against AWS"): a custom event bus `bus` that does not exist, an error
/// on `event_bus_name`; a rule `name` that exists already on it, which no
/// state records (this is a create) and PutRule would silently replace, an
/// error on `name` naming `import_id`, unless its targets say it is a
/// trigger's being replaced (`trigger`: the generated ids' prefix and the
/// target id this create writes; see [`rule_taken`]) or, with no target,
/// the function's policy holds exactly `grant` (the rule may be what an
/// interrupted create of this resource left, which its apply judges). A
/// read that gives no answer checks nothing.
pub async fn check_event_bus_and_rule(
    c: &AwsClients,
    diags: &mut Diagnostics,
    (bus, name): (&str, &str),
    trigger: (&str, Option<&str>),
    grant: Option<&Grant>,
    import_id: &str,
) {
    match event_bus_exists(c, bus).await {
        Ok(true) => {}
        Ok(false) => {
            return diags.error(
                format!("EventBridge has no event bus {bus} in {}", c.region),
                "lambdawire does not create event buses: check the name, use the default bus, \
                 or create it first. If this configuration creates it, name it by \
                 aws_cloudwatch_event_bus.<name>.name, which is known only after apply, so the \
                 plan does not look for it before it exists.",
                AttributePath::new("event_bus_name"),
            );
        }
        Err(e) => return no_evidence("event bus exists", &e),
    }
    match rule_taken(c, bus, name, trigger).await {
        Ok(false) => {}
        Ok(true) if untargeted(c, bus, name).await && grant_held(c, grant).await => {}
        Ok(true) => {
            let what = format!("EventBridge rule {name} on event bus {bus}");
            let taken = not_recorded("DescribeRule", "Found", &what, import_id, None);
            diags.error(
                format!("{what} already exists"),
                format!(
                    "{} PutRule would replace that rule silently, so lambdawire never writes \
                     over one it did not create.",
                    taken.message
                ),
                AttributePath::new("name"),
            );
        }
        Err(e) => no_evidence("rule exists", &e),
    }
}

/// Whether the rule has no target at all (ListTargetsByRule); a read that
/// gives no answer is no evidence (false).
async fn untargeted(c: &AwsClients, bus: &str, name: &str) -> bool {
    match crate::aws::eventbridge::find_targets(c, bus, name).await {
        Ok(targets) => targets.unwrap_or_default().is_empty(),
        Err(e) => {
            no_evidence("rule has no target", &e);
            false
        }
    }
}

/// Whether the function's policy holds exactly `grant` under its id; a
/// read that gives no answer is no evidence (false).
async fn grant_held(c: &AwsClients, grant: Option<&Grant>) -> bool {
    let Some(g) = grant else {
        return false;
    };
    match stored_statements(c, g, [&g.statement_id]).await {
        Ok([stored]) => stored.is_some_and(|st| holds(&st, g)),
        Err(e) => {
            no_evidence("grant held", &e.error);
            false
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The warning counts what one page listed, says when more follow, and
    /// names no more than it was given.
    #[test]
    fn schedules_in_use_counts_and_names_the_first() {
        let names = |n: usize| (0..n).map(|i| format!("default/s{i}")).collect::<Vec<_>>();
        let one = ScheduleNames {
            listed: 1,
            more: false,
            first: names(1),
        };
        let p = schedules_in_use(Some("default"), &one);
        assert_eq!(
            p.summary,
            "schedule group default still holds 1 schedule(s)"
        );
        assert!(p.detail.contains("(default/s0)"), "{}", p.detail);
        let many = ScheduleNames {
            listed: 100,
            more: true,
            first: names(3),
        };
        let p = schedules_in_use(None, &many);
        assert_eq!(
            p.summary,
            "the account's schedule groups still hold more than 100 schedule(s)"
        );
        assert!(p.detail.contains("default/s2, ...)"), "{}", p.detail);
    }

    fn ctx() -> PlanContext {
        PlanContext {
            partition: Some("aws".into()),
            region: Some("us-east-1".into()),
            account_id: Some("123456789012".into()),
            ..PlanContext::default()
        }
    }

    fn check(function: &str, place: Place) -> Option<String> {
        foreign_function(
            &AttributePath::new("function_name"),
            function,
            &ctx(),
            place,
        )
        .map(|p| p.summary)
    }

    #[test]
    fn an_event_bus_arn_outside_the_providers_region_is_named() {
        let check = |bus: &str| {
            foreign_event_bus(&AttributePath::new("event_bus_name"), bus, &ctx()).map(|p| p.summary)
        };
        for fine in [
            "default",
            "orders",
            "arn:aws:events:us-east-1:123456789012:event-bus/orders",
        ] {
            assert_eq!(check(fine), None, "{fine}");
        }
        assert_eq!(
            check("arn:aws:events:eu-west-1:123456789012:event-bus/orders").as_deref(),
            Some("the event bus is in region eu-west-1, not the provider's us-east-1")
        );
        assert_eq!(
            check("arn:aws-cn:events:cn-north-1:123456789012:event-bus/orders").as_deref(),
            Some("the event bus is in region cn-north-1, not the provider's us-east-1")
        );
    }

    #[test]
    fn a_function_arn_outside_the_providers_place_is_named() {
        let here = "arn:aws:lambda:us-east-1:123456789012:function:f";
        let west = "arn:aws:lambda:us-west-2:123456789012:function:f";
        let china = "arn:aws-cn:lambda:cn-north-1:123456789012:function:f";
        let other = "arn:aws:lambda:us-east-1:210987654321:function:f:live";
        assert_eq!(check(here, Place::RegionAndAccount), None);
        for bare in [
            "f",
            "f:live",
            "123456789012:function:f",
            "210987654321:function:f",
        ] {
            assert_eq!(check(bare, Place::Region), None, "{bare}");
        }
        assert_eq!(
            check(west, Place::Region).as_deref(),
            Some("the function is in region us-west-2, not the provider's us-east-1")
        );
        assert!(check(china, Place::Region).is_some_and(|s| s.contains("cn-north-1")));
        assert_eq!(
            check(other, Place::Region),
            None,
            "another account's function may be granted"
        );
        assert_eq!(
            check(other, Place::RegionAndAccount).as_deref(),
            Some("the function is in account 210987654321, not the provider's 123456789012")
        );
        assert_eq!(
            check("210987654321:function:f", Place::RegionAndAccount).as_deref(),
            Some("the function is in account 210987654321, not the provider's 123456789012")
        );
    }

    #[test]
    fn unknown_facts_check_nothing() {
        let west = "arn:aws:lambda:us-west-2:210987654321:function:f";
        let none = PlanContext::default();
        let path = AttributePath::new("function_arn");
        assert!(foreign_function(&path, west, &none, Place::RegionAndAccount).is_none());
        assert!(foreign_function(&path, "not a function", &ctx(), Place::Region).is_none());
    }
}
