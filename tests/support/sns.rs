//! The SDK chains the SNS trigger's tests check SNS with, one method of
//! [`Aws`] each.

use std::collections::HashMap;

use super::Aws;

impl Aws {
    /// A topic, by name; its ARN.
    pub async fn create_topic(&self, name: &str) -> String {
        self.sns
            .create_topic()
            .name(name)
            .send()
            .await
            .unwrap_or_else(|e| panic!("create topic {name}: {e:?}"))
            .topic_arn()
            .expect("topic arn")
            .to_string()
    }

    /// The topic's subscriptions as (ARN, protocol, endpoint).
    pub async fn subscriptions(&self, topic: &str) -> Vec<(String, String, String)> {
        let out = self
            .sns
            .list_subscriptions_by_topic()
            .topic_arn(topic)
            .send()
            .await
            .unwrap_or_else(|e| panic!("list subscriptions of {topic}: {e:?}"));
        out.subscriptions()
            .iter()
            .map(|s| {
                let part = |v: Option<&str>| v.unwrap_or_default().to_string();
                (
                    part(s.subscription_arn()),
                    part(s.protocol()),
                    part(s.endpoint()),
                )
            })
            .collect()
    }

    /// The subscription's attributes, as SNS returns them.
    pub async fn subscription_attributes(&self, arn: &str) -> HashMap<String, String> {
        self.sns
            .get_subscription_attributes()
            .subscription_arn(arn)
            .send()
            .await
            .unwrap_or_else(|e| panic!("subscription attributes of {arn}: {e:?}"))
            .attributes()
            .cloned()
            .unwrap_or_default()
    }

    /// SetSubscriptionAttributes out of band.
    pub async fn set_subscription_attribute(&self, arn: &str, name: &str, value: &str) {
        self.sns
            .set_subscription_attributes()
            .subscription_arn(arn)
            .attribute_name(name)
            .attribute_value(value)
            .send()
            .await
            .unwrap_or_else(|e| panic!("set {name} of {arn}: {e:?}"));
    }

    /// Subscribe `endpoint` (a function ARN) as a person or another tool would.
    pub async fn subscribe_function(&self, topic: &str, endpoint: &str) -> String {
        self.sns
            .subscribe()
            .topic_arn(topic)
            .protocol("lambda")
            .endpoint(endpoint)
            .return_subscription_arn(true)
            .send()
            .await
            .unwrap_or_else(|e| panic!("subscribe {endpoint} to {topic}: {e:?}"))
            .subscription_arn()
            .expect("subscription arn")
            .to_string()
    }

    /// Unsubscribe out of band.
    pub async fn unsubscribe(&self, arn: &str) {
        self.sns
            .unsubscribe()
            .subscription_arn(arn)
            .send()
            .await
            .unwrap_or_else(|e| panic!("unsubscribe {arn}: {e:?}"));
    }
}
