"""SNS Subscribe as SNS behaves when the subscription exists already.

What moto 5.x does differently (moto/sns/responses.py, `SNSResponse.subscribe`,
and moto/sns/models.py, `SNSBackend.subscribe`), and what this module does
instead; EMBEDDED-AWS.md gives the evidence:

- A Subscribe of an endpoint already subscribed to the topic (same
  protocol) answers the existing subscription, as SNS does, but then sets
  every attribute of the request on it: a second Subscribe with another
  filter policy silently rewrites the first subscriber's. SNS compares the
  attributes the request carries with the subscription's and refuses a
  difference with 400 InvalidParameter "Invalid parameter: Attributes
  Reason: Subscription already exists with different attributes"; an
  attribute the request leaves out is not compared. Here the same holds,
  and an existing subscription is never changed by Subscribe.
"""

import json

from moto.sns import exceptions as moto_exceptions
from moto.sns import models as moto_models
from moto.sns import responses as moto_responses

from ._patch import replace, require

DIFFERENT = "Invalid parameter: Attributes Reason: Subscription already exists with different attributes"

# SNS's value of an attribute a subscription does not hold.
DEFAULTS = {"FilterPolicyScope": "MessageAttributes", "RawMessageDelivery": "false"}

# Attributes whose values are JSON documents: compared as JSON, since
# moto keeps its own serialisation of them.
JSON_ATTRIBUTES = ("FilterPolicy", "RedrivePolicy", "DeliveryPolicy")


def _same(name, requested, stored):
    if stored is None:
        stored = DEFAULTS.get(name)
    if name in JSON_ATTRIBUTES:
        try:
            return json.loads(requested) == json.loads(stored)
        except (TypeError, ValueError):
            return requested == stored
    return str(requested).lower() == str(stored).lower()


def _subscribe(original):
    def subscribe(self):
        topic_arn = self._get_param("TopicArn")
        endpoint = self._get_param("Endpoint")
        protocol = self._get_param("Protocol")
        existing = self.backend._find_subscription(topic_arn, endpoint, protocol)
        if existing is None:
            return original(self)
        requested = self._get_attributes() or {}
        for name, value in requested.items():
            if not _same(name, value, existing.attributes.get(name)):
                raise moto_exceptions.SNSInvalidParameter(DIFFERENT)
        return moto_responses.ActionResult({"SubscriptionArn": existing.arn})

    return subscribe


def install():
    require(moto_models.SNSBackend, "_find_subscription")
    require(moto_exceptions, "SNSInvalidParameter")
    require(moto_responses, "ActionResult")
    replace(moto_responses.SNSResponse, "subscribe", _subscribe)
