//! SNS calls for topic subscriptions: the topic's existence, Subscribe,
//! the subscription's attributes (read and set), the subscriptions of one
//! endpoint on a topic, and Unsubscribe. Finders return `Option` and own
//! "not found" (SNS answers `NotFound`); Unsubscribe takes it as success.
//! Whose subscription is whose is the caller's question: this module only
//! says what SNS answered.

use std::collections::HashMap;

use aws_sdk_sns::types::Subscription;

use super::error::{every_page, not_found_is_none, not_found_is_ok, AwsError};
use super::AwsClients;

/// SNS's attribute names, as GetSubscriptionAttributes and
/// SetSubscriptionAttributes spell them.
pub const FILTER_POLICY: &str = "FilterPolicy";
/// Which part of a message the filter policy reads.
pub const FILTER_POLICY_SCOPE: &str = "FilterPolicyScope";
/// The dead-letter queue, as `{"deadLetterTargetArn": "<queue ARN>"}`.
pub const REDRIVE_POLICY: &str = "RedrivePolicy";

/// The protocol of a subscription that invokes a Lambda function.
pub const LAMBDA_PROTOCOL: &str = "lambda";

/// The attributes of a subscription this provider sets; `None`: not set.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct SubscriptionAttributes {
    /// The filter policy, JSON text.
    pub filter_policy: Option<String>,
    /// `MessageAttributes` or `MessageBody`.
    pub filter_policy_scope: Option<String>,
    /// The redrive policy, JSON text.
    pub redrive_policy: Option<String>,
}

impl SubscriptionAttributes {
    /// The attributes Subscribe sends: only those set.
    fn to_map(&self) -> HashMap<String, String> {
        [
            (FILTER_POLICY, &self.filter_policy),
            (FILTER_POLICY_SCOPE, &self.filter_policy_scope),
            (REDRIVE_POLICY, &self.redrive_policy),
        ]
        .into_iter()
        .filter_map(|(name, value)| value.clone().map(|v| (name.to_string(), v)))
        .collect()
    }

    /// From SNS's answer. An empty value is no value: SNS (and moto) may
    /// keep an attribute set to "" after it was removed.
    fn from_map(map: &HashMap<String, String>) -> Self {
        let get = |name: &str| map.get(name).filter(|v| !v.is_empty()).cloned();
        SubscriptionAttributes {
            filter_policy: get(FILTER_POLICY),
            filter_policy_scope: get(FILTER_POLICY_SCOPE),
            redrive_policy: get(REDRIVE_POLICY),
        }
    }
}

/// A subscription as SNS reports it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct RemoteSubscription {
    /// The subscription's ARN.
    pub arn: String,
    /// The topic it belongs to.
    pub topic_arn: String,
    /// `lambda` for a function.
    pub protocol: String,
    /// The function's ARN, qualified for a version or alias.
    pub endpoint: String,
    /// The attributes this provider manages.
    pub attributes: SubscriptionAttributes,
}

/// Whether the topic exists (GetTopicAttributes): `Ok(false)` only on SNS's
/// `NotFound`; AccessDenied (another account's topic) is an error, which a
/// plan treats as no evidence.
pub async fn topic_exists(c: &AwsClients, topic_arn: &str) -> Result<bool, AwsError> {
    let out = c
        .sns
        .get_topic_attributes()
        .topic_arn(topic_arn)
        .send()
        .await
        .map_err(|e| AwsError::from_sdk("GetTopicAttributes", e));
    not_found_is_none(out).map(|found| found.is_some())
}

/// The subscription `arn` names; `None` when SNS says it does not exist.
pub async fn find_subscription(
    c: &AwsClients,
    arn: &str,
) -> Result<Option<RemoteSubscription>, AwsError> {
    let out = c
        .sns
        .get_subscription_attributes()
        .subscription_arn(arn)
        .send()
        .await
        .map_err(|e| AwsError::from_sdk("GetSubscriptionAttributes", e));
    let Some(out) = not_found_is_none(out)? else {
        return Ok(None);
    };
    let empty = HashMap::new();
    let map = out.attributes().unwrap_or(&empty);
    let get = |name: &str| map.get(name).cloned().unwrap_or_default();
    Ok(Some(RemoteSubscription {
        arn: arn.to_string(),
        topic_arn: get("TopicArn"),
        protocol: get("Protocol"),
        endpoint: get("Endpoint"),
        attributes: SubscriptionAttributes::from_map(map),
    }))
}

/// Which listing finds the subscriptions of a topic: the topic's own, or
/// the caller's.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Listing {
    /// ListSubscriptionsByTopic: every subscription of the topic, whoever
    /// made it. SNS's default topic policy allows it to the topic's owner
    /// only ("Example cases for Amazon SNS access control", Amazon SNS
    /// Developer Guide), so it is for a topic of the caller's account.
    ByTopic,
    /// ListSubscriptions: the caller's own subscriptions, of any topic
    /// ("Returns a list of the requester's subscriptions", ListSubscriptions,
    /// Amazon SNS API Reference), which needs no grant on the topic: for a
    /// topic of another account, where the caller's are the only ones it
    /// could take over.
    Mine,
}

/// The placeholder SNS lists for a subscription not confirmed yet instead
/// of its ARN ("PendingConfirmation"; ListSubscriptionsByTopic, Amazon SNS
/// API Reference): no ARN, so neither a state's nor an import id.
pub const PENDING_CONFIRMATION: &str = "PendingConfirmation";

/// The ARNs of the confirmed `lambda` subscriptions of `endpoint` on the
/// topic (every page of `listing`), whoever made them. A topic that does
/// not exist has none.
pub async fn subscriptions_of(
    c: &AwsClients,
    topic_arn: &str,
    endpoint: &str,
    listing: Listing,
) -> Result<Vec<String>, AwsError> {
    let found: Vec<Subscription> = match listing {
        Listing::ByTopic => {
            let pages: Vec<_> = c
                .sns
                .list_subscriptions_by_topic()
                .topic_arn(topic_arn)
                .into_paginator()
                .send()
                .collect()
                .await;
            match not_found_is_none(every_page("ListSubscriptionsByTopic", pages))? {
                Some(pages) => pages
                    .iter()
                    .flat_map(|page| page.subscriptions().iter().cloned())
                    .collect(),
                None => return Ok(Vec::new()),
            }
        }
        Listing::Mine => {
            let pages: Vec<_> = c
                .sns
                .list_subscriptions()
                .into_paginator()
                .send()
                .collect()
                .await;
            every_page("ListSubscriptions", pages)?
                .iter()
                .flat_map(|page| page.subscriptions().iter().cloned())
                .collect()
        }
    };
    Ok(found
        .iter()
        .filter_map(|s| confirmed_arn(s, topic_arn, endpoint))
        .map(str::to_string)
        .collect())
}

/// The ARN of a listed subscription when it is a confirmed `lambda`
/// subscription of `endpoint` to the topic; never the placeholder.
fn confirmed_arn<'a>(s: &'a Subscription, topic_arn: &str, endpoint: &str) -> Option<&'a str> {
    let matches = s.topic_arn() == Some(topic_arn)
        && s.protocol() == Some(LAMBDA_PROTOCOL)
        && s.endpoint() == Some(endpoint);
    s.subscription_arn()
        .filter(|arn| matches && *arn != PENDING_CONFIRMATION)
}

/// Subscribe the function `endpoint` to the topic with `attributes`,
/// answering the subscription's ARN. `ReturnSubscriptionArn` makes SNS
/// answer the ARN itself rather than "pending confirmation" (a Lambda
/// endpoint needs no confirmation; Subscribe, Amazon SNS API Reference).
///
/// Subscribe is idempotent: for a topic, endpoint and attributes that are
/// already subscribed SNS answers the existing subscription's ARN, so the
/// SDK's resends after a lost answer are safe, and return the subscription
/// the lost call made. The same endpoint with other attributes is refused
/// ("Subscription already exists with different attributes").
pub async fn subscribe(
    c: &AwsClients,
    topic_arn: &str,
    endpoint: &str,
    attributes: &SubscriptionAttributes,
) -> Result<String, AwsError> {
    let map = attributes.to_map();
    let out = c
        .sns
        .subscribe()
        .topic_arn(topic_arn)
        .protocol(LAMBDA_PROTOCOL)
        .endpoint(endpoint)
        .return_subscription_arn(true)
        .set_attributes((!map.is_empty()).then_some(map))
        .send()
        .await
        .map_err(|e| AwsError::from_sdk("Subscribe", e))?;
    let arn = out.subscription_arn().unwrap_or_default().to_string();
    // Without ReturnSubscriptionArn, or for an endpoint that must confirm,
    // SNS answers "pending confirmation" (Subscribe, Amazon SNS API
    // Reference): no ARN, never to be recorded as one.
    if !arn.starts_with("arn:") {
        return Err(AwsError {
            operation: "Subscribe",
            code: "PendingConfirmation".into(),
            message: format!(
                "SNS answered {arn:?} instead of the subscription's ARN: the subscription of \
                 {endpoint} to {topic_arn} awaits confirmation by the endpoint's owner"
            ),
            request_id: None,
            kind: super::ErrorKind::Other,
        });
    }
    tracing::info!(topic = %topic_arn, endpoint = %endpoint, subscription = %arn, "subscribed");
    Ok(arn)
}

/// Set one attribute of the subscription; `None` removes it (SNS takes an
/// empty value as "no value").
pub async fn set_attribute(
    c: &AwsClients,
    arn: &str,
    name: &str,
    value: Option<&str>,
) -> Result<(), AwsError> {
    c.sns
        .set_subscription_attributes()
        .subscription_arn(arn)
        .attribute_name(name)
        .attribute_value(value.unwrap_or_default())
        .send()
        .await
        .map_err(|e| AwsError::from_sdk("SetSubscriptionAttributes", e))?;
    Ok(())
}

/// Unsubscribe; a subscription already gone is success.
pub async fn unsubscribe(c: &AwsClients, arn: &str) -> Result<(), AwsError> {
    let out = c
        .sns
        .unsubscribe()
        .subscription_arn(arn)
        .send()
        .await
        .map(|_| ())
        .map_err(|e| AwsError::from_sdk("Unsubscribe", e));
    not_found_is_ok(out)?;
    tracing::info!(subscription = %arn, "unsubscribed");
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_pending_subscription_lists_no_arn() {
        let topic = "arn:aws:sns:us-east-1:123456789012:alerts";
        let endpoint = "arn:aws:lambda:us-east-1:123456789012:function:f";
        let listed = |arn: &str, protocol: &str, end: &str| {
            Subscription::builder()
                .subscription_arn(arn)
                .topic_arn(topic)
                .protocol(protocol)
                .endpoint(end)
                .build()
        };
        let confirmed = format!("{topic}:6f1c3a52");
        let s = listed(&confirmed, "lambda", endpoint);
        assert_eq!(confirmed_arn(&s, topic, endpoint), Some(confirmed.as_str()));
        let pending = listed(PENDING_CONFIRMATION, "lambda", endpoint);
        assert_eq!(confirmed_arn(&pending, topic, endpoint), None);
        let other = listed(
            &confirmed,
            "lambda",
            "arn:aws:lambda:us-east-1:123456789012:function:g",
        );
        assert_eq!(confirmed_arn(&other, topic, endpoint), None);
        let sqs = listed(&confirmed, "sqs", endpoint);
        assert_eq!(confirmed_arn(&sqs, topic, endpoint), None);
        assert_eq!(
            confirmed_arn(&s, "arn:aws:sns:us-east-1:123456789012:other", endpoint),
            None
        );
    }

    #[test]
    fn only_set_attributes_are_sent_and_empty_ones_read_as_unset() {
        let attributes = SubscriptionAttributes {
            filter_policy: Some(r#"{"kind":["order"]}"#.into()),
            ..Default::default()
        };
        let map = attributes.to_map();
        assert_eq!(map.len(), 1);
        assert_eq!(SubscriptionAttributes::from_map(&map), attributes);
        let answered: HashMap<String, String> = [
            (FILTER_POLICY.to_string(), String::new()),
            (REDRIVE_POLICY.to_string(), String::new()),
            ("Protocol".to_string(), "lambda".to_string()),
        ]
        .into_iter()
        .collect();
        assert_eq!(
            SubscriptionAttributes::from_map(&answered),
            SubscriptionAttributes::default()
        );
    }
}
