//! S3 bucket notification configurations: the one document per bucket that
//! holds every queue, topic, Lambda and EventBridge destination. The finder
//! answers `None` for a bucket that does not exist; the write sends the
//! whole document back, with every entry this provider does not own exactly
//! as the read gave it.

use aws_sdk_s3::types::{
    Event, FilterRule, FilterRuleName, LambdaFunctionConfiguration, NotificationConfiguration,
    NotificationConfigurationFilter, S3KeyFilter,
};

use super::error::{not_found_is_none, AwsError, ErrorKind};
use super::AwsClients;

/// One Lambda destination of a bucket, in lambdawire's vocabulary.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct LambdaEntry {
    /// The entry's `Id`.
    pub id: String,
    /// The function ARN S3 invokes (qualified when a version or alias is).
    pub function_arn: String,
    /// The event types, as S3 spells them (`s3:ObjectCreated:*`).
    pub events: Vec<String>,
    /// The key name prefix filter, if any.
    pub prefix: Option<String>,
    /// The key name suffix filter, if any.
    pub suffix: Option<String>,
}

/// Any entry of a bucket's configuration, as the overlap rule sees it.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct AnyEntry {
    /// The entry's `Id` (S3 assigns one when the writer gave none).
    pub id: String,
    /// The event types.
    pub events: Vec<String>,
    /// The key name prefix filter, if any.
    pub prefix: Option<String>,
    /// The key name suffix filter, if any.
    pub suffix: Option<String>,
}

/// A bucket's notification configuration as read: the SDK's own values,
/// so that what is written back is what was read.
#[derive(Clone, Debug, PartialEq)]
pub struct Notifications(NotificationConfiguration);

/// The filter value named `name` (`prefix` or `suffix`). S3 answers the
/// rule names capitalised (`Prefix`) though requests send them in lower
/// case (https://docs.aws.amazon.com/AmazonS3/latest/API/API_FilterRule.html),
/// so they are compared without case.
fn filter_value(filter: Option<&NotificationConfigurationFilter>, name: &str) -> Option<String> {
    filter?
        .key()?
        .filter_rules()
        .iter()
        .find(|r| {
            r.name()
                .is_some_and(|n| n.as_str().eq_ignore_ascii_case(name))
        })
        .and_then(|r| r.value().map(str::to_string))
}

fn event_names(events: &[Event]) -> Vec<String> {
    events.iter().map(|e| e.as_str().to_string()).collect()
}

fn lambda_entry(c: &LambdaFunctionConfiguration) -> LambdaEntry {
    LambdaEntry {
        id: c.id().unwrap_or_default().to_string(),
        function_arn: c.lambda_function_arn().to_string(),
        events: event_names(c.events()),
        prefix: filter_value(c.filter(), "prefix"),
        suffix: filter_value(c.filter(), "suffix"),
    }
}

/// The SDK's form of an entry: what the write sends for it.
fn configuration(e: &LambdaEntry) -> Result<LambdaFunctionConfiguration, AwsError> {
    let rules: Vec<FilterRule> = [
        (FilterRuleName::Prefix, &e.prefix),
        (FilterRuleName::Suffix, &e.suffix),
    ]
    .into_iter()
    .filter_map(|(name, value)| {
        value
            .as_ref()
            .map(|v| FilterRule::builder().name(name).value(v).build())
    })
    .collect();
    let filter = (!rules.is_empty()).then(|| {
        NotificationConfigurationFilter::builder()
            .key(S3KeyFilter::builder().set_filter_rules(Some(rules)).build())
            .build()
    });
    LambdaFunctionConfiguration::builder()
        .id(&e.id)
        .lambda_function_arn(&e.function_arn)
        .set_events(Some(
            e.events.iter().map(|n| Event::from(n.as_str())).collect(),
        ))
        .set_filter(filter)
        .build()
        .map_err(|why| AwsError {
            operation: "PutBucketNotificationConfiguration",
            code: "RequestNotSent".into(),
            message: why.to_string(),
            request_id: None,
            kind: ErrorKind::Other,
        })
}

impl Notifications {
    /// The Lambda entry with this id, if there is one.
    pub fn lambda(&self, id: &str) -> Option<LambdaEntry> {
        self.0
            .lambda_function_configurations()
            .iter()
            .find(|c| c.id() == Some(id))
            .map(lambda_entry)
    }

    /// Every entry of every kind (queues, topics, functions), for the
    /// overlap rule; EventBridge has no filter of its own and sees every
    /// event, so S3 never counts it as overlapping.
    pub fn entries(&self) -> Vec<AnyEntry> {
        let c = &self.0;
        let queues = c
            .queue_configurations()
            .iter()
            .map(|q| (q.id(), q.events(), q.filter()));
        let topics = c
            .topic_configurations()
            .iter()
            .map(|t| (t.id(), t.events(), t.filter()));
        let functions = c
            .lambda_function_configurations()
            .iter()
            .map(|f| (f.id(), f.events(), f.filter()));
        queues
            .chain(topics)
            .chain(functions)
            .map(|(id, events, filter)| AnyEntry {
                id: id.unwrap_or_default().to_string(),
                events: event_names(events),
                prefix: filter_value(filter, "prefix"),
                suffix: filter_value(filter, "suffix"),
            })
            .collect()
    }

    /// The configuration with the Lambda entry `id` replaced by `entry`
    /// (added at the end when there was none; removed when `entry` is
    /// `None`). Every other entry, and the order of all, stays as read.
    pub fn with_lambda(&self, id: &str, entry: Option<&LambdaEntry>) -> Result<Self, AwsError> {
        let mut functions: Vec<LambdaFunctionConfiguration> =
            self.0.lambda_function_configurations().to_vec();
        let new = entry.map(configuration).transpose()?;
        match (functions.iter().position(|c| c.id() == Some(id)), new) {
            (Some(at), Some(new)) => functions[at] = new,
            (Some(at), None) => {
                functions.remove(at);
            }
            (None, Some(new)) => functions.push(new),
            (None, None) => {}
        }
        let mut config = self.0.clone();
        config.lambda_function_configurations = Some(functions);
        Ok(Notifications(config))
    }
}

/// The bucket's notification configuration; `None` when the bucket does
/// not exist (NoSuchBucket). With `owner`, S3 answers AccessDenied unless
/// that account owns the bucket (`ExpectedBucketOwner`).
pub async fn find_notifications(
    c: &AwsClients,
    bucket: &str,
    owner: Option<&str>,
) -> Result<Option<Notifications>, AwsError> {
    let out =
        c.s3.get_bucket_notification_configuration()
            .bucket(bucket)
            .set_expected_bucket_owner(owner.map(str::to_string))
            .send()
            .await
            .map_err(|e| AwsError::from_sdk("GetBucketNotificationConfiguration", e));
    not_found_is_none(out).map(|found| {
        found.map(|o| {
            Notifications(
                NotificationConfiguration::builder()
                    .set_topic_configurations(o.topic_configurations)
                    .set_queue_configurations(o.queue_configurations)
                    .set_lambda_function_configurations(o.lambda_function_configurations)
                    .set_event_bridge_configuration(o.event_bridge_configuration)
                    .build(),
            )
        })
    })
}

/// Write the whole configuration, into a bucket `owner` owns (else S3
/// answers AccessDenied). S3 validates each destination as it is written
/// (a Lambda function must already let S3 invoke it), so the write is
/// never told to skip that.
pub async fn put_notifications(
    c: &AwsClients,
    bucket: &str,
    owner: Option<&str>,
    config: &Notifications,
    skip_destination_validation: bool,
) -> Result<(), AwsError> {
    // S3 validates every destination of the document on each PUT, so a
    // write that only removes an entry would fail on another writer's
    // broken destination; `x-amz-skip-destination-validation` turns that
    // off (PutBucketNotificationConfiguration, API Reference).
    c.s3.put_bucket_notification_configuration()
        .bucket(bucket)
        .set_expected_bucket_owner(owner.map(str::to_string))
        .skip_destination_validation(skip_destination_validation)
        .notification_configuration(config.0.clone())
        .send()
        .await
        .map(drop)
        .map_err(|e| AwsError::from_sdk("PutBucketNotificationConfiguration", e))
}

#[cfg(test)]
mod tests {
    use super::*;
    use aws_sdk_s3::types::QueueConfiguration;

    fn entry(id: &str) -> LambdaEntry {
        LambdaEntry {
            id: id.into(),
            function_arn: "arn:aws:lambda:us-east-1:123456789012:function:f".into(),
            events: vec!["s3:ObjectCreated:*".into()],
            prefix: Some("in/".into()),
            suffix: None,
        }
    }

    #[test]
    fn an_entry_is_replaced_added_or_removed_and_the_rest_kept() {
        let queue = QueueConfiguration::builder()
            .id("q")
            .queue_arn("arn:aws:sqs:us-east-1:123456789012:q")
            .events(Event::from("s3:ObjectRemoved:*"))
            .build()
            .unwrap();
        let read = Notifications(
            NotificationConfiguration::builder()
                .queue_configurations(queue.clone())
                .lambda_function_configurations(configuration(&entry("other")).unwrap())
                .build(),
        );
        let added = read.with_lambda("ours", Some(&entry("ours"))).unwrap();
        assert_eq!(added.lambda("ours"), Some(entry("ours")));
        assert_eq!(added.lambda("other"), Some(entry("other")));
        assert_eq!(added.0.queue_configurations(), std::slice::from_ref(&queue));
        let changed = LambdaEntry {
            suffix: Some(".jpg".into()),
            ..entry("ours")
        };
        let updated = added.with_lambda("ours", Some(&changed)).unwrap();
        assert_eq!(updated.lambda("ours"), Some(changed));
        assert_eq!(updated.0.lambda_function_configurations().len(), 2);
        let removed = updated.with_lambda("ours", None).unwrap();
        assert_eq!(removed, read, "back to exactly what was read");
        let ids: Vec<String> = removed.entries().into_iter().map(|e| e.id).collect();
        assert_eq!(ids, ["q", "other"]);
    }

    #[test]
    fn filter_rule_names_are_read_in_either_case() {
        let filter = NotificationConfigurationFilter::builder()
            .key(
                S3KeyFilter::builder()
                    .filter_rules(
                        FilterRule::builder()
                            .name(FilterRuleName::from("Prefix"))
                            .value("logs/")
                            .build(),
                    )
                    .build(),
            )
            .build();
        assert_eq!(
            filter_value(Some(&filter), "prefix").as_deref(),
            Some("logs/")
        );
        assert_eq!(filter_value(Some(&filter), "suffix"), None);
    }
}
