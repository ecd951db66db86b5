//! S3 for the tests: buckets and their notification configurations,
//! checked and changed out of band through the SDK (path style, as moto
//! needs), one method of [`Aws`] each.

use aws_sdk_s3::types::{
    Event, EventBridgeConfiguration, FilterRule, FilterRuleName, LambdaFunctionConfiguration,
    NotificationConfiguration, NotificationConfigurationFilter, QueueConfiguration, S3KeyFilter,
    TopicConfiguration,
};

use super::Aws;

/// What a bucket's notification configuration holds, kind by kind.
#[derive(Clone, Debug, PartialEq)]
pub struct BucketNotifications {
    pub queues: Vec<QueueConfiguration>,
    pub topics: Vec<TopicConfiguration>,
    pub functions: Vec<LambdaFunctionConfiguration>,
    pub event_bridge: Option<EventBridgeConfiguration>,
}

impl BucketNotifications {
    /// The Lambda entry with this id.
    pub fn function(&self, id: &str) -> Option<&LambdaFunctionConfiguration> {
        self.functions.iter().find(|f| f.id() == Some(id))
    }
}

/// The prefix rule of an entry's filter, as S3 holds it.
pub fn filter_rule(filter: Option<&NotificationConfigurationFilter>, name: &str) -> Option<String> {
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

impl Aws {
    pub async fn create_bucket(&self, name: &str) {
        self.s3
            .create_bucket()
            .bucket(name)
            .send()
            .await
            .unwrap_or_else(|e| panic!("create bucket {name}: {e:?}"));
    }

    pub async fn notifications(&self, bucket: &str) -> BucketNotifications {
        let out = self
            .s3
            .get_bucket_notification_configuration()
            .bucket(bucket)
            .send()
            .await
            .unwrap_or_else(|e| panic!("notification configuration of {bucket}: {e:?}"));
        BucketNotifications {
            queues: out.queue_configurations().to_vec(),
            topics: out.topic_configurations().to_vec(),
            functions: out.lambda_function_configurations().to_vec(),
            event_bridge: out.event_bridge_configuration().cloned(),
        }
    }

    async fn put_notifications(&self, bucket: &str, config: NotificationConfiguration) {
        self.s3
            .put_bucket_notification_configuration()
            .bucket(bucket)
            .notification_configuration(config)
            .send()
            .await
            .unwrap_or_else(|e| panic!("put notification configuration of {bucket}: {e:?}"));
    }

    /// A queue entry `queue` (every removal under `logs/`), a topic entry
    /// `topic` (every tagging) and EventBridge delivery, written as another
    /// tool would, with
    /// whatever the bucket holds replaced; the configuration as read after.
    pub async fn put_other_entries(&self, bucket: &str, queue_arn: &str) -> BucketNotifications {
        let topic = self
            .sns
            .create_topic()
            .name("bucket-events")
            .send()
            .await
            .expect("create topic");
        let prefix = FilterRule::builder()
            .name(FilterRuleName::Prefix)
            .value("logs/")
            .build();
        let queue = QueueConfiguration::builder()
            .id("queue")
            .queue_arn(queue_arn)
            .events(Event::from("s3:ObjectRemoved:*"))
            .filter(
                NotificationConfigurationFilter::builder()
                    .key(S3KeyFilter::builder().filter_rules(prefix).build())
                    .build(),
            )
            .build()
            .expect("queue entry");
        let topic = TopicConfiguration::builder()
            .id("topic")
            .topic_arn(topic.topic_arn().expect("topic arn"))
            .events(Event::from("s3:ObjectTagging:*"))
            .build()
            .expect("topic entry");
        self.put_notifications(
            bucket,
            NotificationConfiguration::builder()
                .queue_configurations(queue)
                .topic_configurations(topic)
                .event_bridge_configuration(EventBridgeConfiguration::builder().build())
                .build(),
        )
        .await;
        self.notifications(bucket).await
    }

    /// Point the Lambda entry `id` at other events out of band, keeping
    /// every other entry.
    pub async fn change_function_entry_events(&self, bucket: &str, id: &str, events: &[&str]) {
        let now = self.notifications(bucket).await;
        let functions: Vec<_> = now
            .functions
            .into_iter()
            .map(|f| {
                if f.id() != Some(id) {
                    return f;
                }
                LambdaFunctionConfiguration::builder()
                    .id(id)
                    .lambda_function_arn(f.lambda_function_arn())
                    .set_events(Some(events.iter().map(|e| Event::from(*e)).collect()))
                    .set_filter(f.filter().cloned())
                    .build()
                    .expect("entry")
            })
            .collect();
        self.put_notifications(
            bucket,
            NotificationConfiguration::builder()
                .set_queue_configurations(Some(now.queues))
                .set_topic_configurations(Some(now.topics))
                .set_lambda_function_configurations(Some(functions))
                .set_event_bridge_configuration(now.event_bridge)
                .build(),
        )
        .await;
    }

    /// Add a Lambda entry `id` for `function_arn` out of band, keeping every
    /// other entry, with S3's destination check off
    /// (`SkipDestinationValidation`): a destination S3 could not validate
    /// now, as a function whose grant was since removed leaves.
    pub async fn add_unchecked_function_entry(
        &self,
        bucket: &str,
        id: &str,
        function_arn: &str,
        events: &[&str],
    ) {
        let now = self.notifications(bucket).await;
        let mut functions = now.functions;
        functions.push(
            LambdaFunctionConfiguration::builder()
                .id(id)
                .lambda_function_arn(function_arn)
                .set_events(Some(events.iter().map(|e| Event::from(*e)).collect()))
                .build()
                .expect("entry"),
        );
        self.s3
            .put_bucket_notification_configuration()
            .bucket(bucket)
            .skip_destination_validation(true)
            .notification_configuration(
                NotificationConfiguration::builder()
                    .set_queue_configurations(Some(now.queues))
                    .set_topic_configurations(Some(now.topics))
                    .set_lambda_function_configurations(Some(functions))
                    .set_event_bridge_configuration(now.event_bridge)
                    .build(),
            )
            .send()
            .await
            .unwrap_or_else(|e| panic!("put notification configuration of {bucket}: {e:?}"));
    }

    /// Remove the Lambda entry `id` out of band, keeping every other entry.
    pub async fn remove_function_entry(&self, bucket: &str, id: &str) {
        let now = self.notifications(bucket).await;
        let functions: Vec<_> = now
            .functions
            .into_iter()
            .filter(|f| f.id() != Some(id))
            .collect();
        self.put_notifications(
            bucket,
            NotificationConfiguration::builder()
                .set_queue_configurations(Some(now.queues))
                .set_topic_configurations(Some(now.topics))
                .set_lambda_function_configurations(Some(functions))
                .set_event_bridge_configuration(now.event_bridge)
                .build(),
        )
        .await;
    }
}
