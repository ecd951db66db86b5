"""S3 bucket notification configurations, as S3 writes and reads them.

- The destination is validated when the configuration is written.
S3 checks every destination of a PutBucketNotificationConfiguration before
it stores anything: a Lambda function whose resource policy does not let
`s3.amazonaws.com` invoke it for this bucket is refused with 400
InvalidArgument "Unable to validate the following destination
configurations" (https://docs.aws.amazon.com/AmazonS3/latest/userguide/how-to-enable-disable-notification-intro.html,
and the permission it needs in
https://docs.aws.amazon.com/AmazonS3/latest/userguide/grant-destinations-permissions-to-s3.html).
moto 5.x stores the configuration without looking at the function
(moto/s3/models.py, S3Backend.put_bucket_notification_configuration), so a
client that writes the entry before the grant would pass here and fail in
AWS. This module refuses it as S3 does.
- `x-amz-skip-destination-validation: true` turns that check off, as S3
  does (https://docs.aws.amazon.com/AmazonS3/latest/API/API_PutBucketNotificationConfiguration.html,
  Request Syntax: "Skips validation of Amazon SQS, Amazon SNS, and AWS
  Lambda destinations"); moto ignores the header, having no check to skip.
- Two entries (of any destination kind) that share an event type and whose
  prefixes and suffixes both overlap are refused by S3 with 400
  InvalidArgument "Configuration is ambiguously defined. Cannot have
  overlapping suffixes in two rules if the prefixes are overlapping for the
  same event type."
  (the rule: https://docs.aws.amazon.com/AmazonS3/latest/userguide/notification-how-to-filtering.html;
  the message as S3 sends it:
  https://github.com/matt-filion/serverless-external-s3-event/issues/53);
  moto stores them. Here they are refused as S3 does.
- GetBucketNotificationConfiguration of a bucket with no configuration
  answers `<NotificationConfiguration/>` in S3
  (https://docs.aws.amazon.com/AmazonS3/latest/API/API_GetBucketNotificationConfiguration.html:
  the response's root element is NotificationConfiguration); moto answers
  an empty `<GetBucketNotificationResponse/>`, which the AWS SDK for Rust
  cannot read. Here the empty document is S3's.
- A configuration written with `EventBridgeConfiguration` reads back with
  it in S3 (same page); moto stores it but leaves it out of the answer, so
  a client that writes back what it read would turn EventBridge off. Here
  it is in the answer.

EMBEDDED-AWS.md gives the evidence.
"""

import fnmatch
import re

from moto.awslambda import models as moto_lambda
from moto.s3 import models as moto_s3
from moto.s3 import responses as moto_s3_responses
from moto.s3.exceptions import S3ClientError

from ._patch import replace
from .lambda_policy import _LOCK as _POLICY_LOCK
from .lambda_policy import Target

_ACTIONS = ("lambda:invokefunction", "lambda:*", "*")


class UnableToValidate(S3ClientError):
    """S3's refusal of a destination it cannot invoke (status 400)."""

    def __init__(self, arn):
        super().__init__(
            "InvalidArgument",
            "Unable to validate the following destination configurations",
        )
        self.arn = arn


def _values(condition, operator_names, key):
    """The values of `key` under any of the operators, as a list."""
    for operator, pairs in (condition or {}).items():
        if operator not in operator_names:
            continue
        for name, value in pairs.items():
            if name.lower() == key.lower():
                return value if isinstance(value, list) else [value]
    return None


def _allows(statement, bucket_arn, owner):
    """Whether one statement lets S3 invoke the function for this bucket."""
    if statement.get("Effect") != "Allow":
        return False
    principal = statement.get("Principal")
    services = principal.get("Service") if isinstance(principal, dict) else principal
    services = services if isinstance(services, list) else [services]
    if "s3.amazonaws.com" not in services and "*" not in services:
        return False
    actions = statement.get("Action")
    actions = actions if isinstance(actions, list) else [actions]
    if not any(str(a).lower() in _ACTIONS for a in actions):
        return False
    condition = statement.get("Condition")
    arns = _values(condition, ("ArnLike", "ArnEquals", "StringEquals", "StringLike"), "AWS:SourceArn")
    if arns is not None and not any(fnmatch.fnmatchcase(bucket_arn, a) for a in arns):
        return False
    accounts = _values(condition, ("StringEquals", "StringLike"), "AWS:SourceAccount")
    if accounts is not None and owner not in accounts:
        return False
    return True


def _invocable(function_arn, bucket_arn, owner):
    parts = function_arn.split(":")
    if len(parts) < 7 or parts[2] != "lambda":
        return False
    region, account, name = parts[3], parts[4], parts[6]
    qualifier = parts[7] if len(parts) > 7 else None
    try:
        backend = moto_lambda.lambda_backends[account][region]
        with _POLICY_LOCK:
            statements = list(Target(backend, name, qualifier).policy.statements)
    except Exception:  # no such function, version or alias: S3 cannot invoke it
        return False
    return any(_allows(s, bucket_arn, owner) for s in statements)


class Ambiguous(S3ClientError):
    """S3's refusal of two overlapping entries (status 400)."""

    def __init__(self):
        super().__init__(
            "InvalidArgument",
            "Configuration is ambiguously defined. Cannot have overlapping suffixes in two "
            "rules if the prefixes are overlapping for the same event type.",
        )


def _rules(entry):
    """The (prefix, suffix) of one parsed entry; None where not set."""
    found = {"prefix": None, "suffix": None}
    rules = ((entry.get("Filter") or {}).get("S3Key") or {}).get("FilterRule") or []
    for rule in rules if isinstance(rules, list) else [rules]:
        found[str(rule.get("Name", "")).lower()] = rule.get("Value")
    return found["prefix"], found["suffix"]


def _events_meet(a, b):
    if a == b:
        return True
    return any(x.endswith("*") and y.startswith(x[:-1]) for x, y in ((a, b), (b, a)))


def _meet(a, b, test):
    return a is None or b is None or test(a, b) or test(b, a)


def _overlap(a, b):
    (ap, as_), (bp, bs) = _rules(a), _rules(b)
    return (
        any(_events_meet(x, y) for x in a.get("Event", []) for y in b.get("Event", []))
        and _meet(ap, bp, str.startswith)
        and _meet(as_, bs, str.endswith)
    )


# The request's skip-validation header, carried from the response handler
# (which sees headers) to the backend (which validates) inside the parsed
# configuration, and taken out before moto stores it.
_SKIP = "__local_aws_skip_destination_validation__"


def _notification_config_from_body(original):
    def notification_config_from_body(self):
        config = original(self)
        skip = (self.headers.get("x-amz-skip-destination-validation") or "").lower() == "true"
        if skip and isinstance(config, dict):
            config[_SKIP] = True
        return config

    return notification_config_from_body


def _put_bucket_notification_configuration(original):
    def put_bucket_notification_configuration(self, bucket_name, notification_config):
        bucket = self.get_bucket(bucket_name)
        config = notification_config or {}
        skip_validation = bool(config.pop(_SKIP, False)) if isinstance(config, dict) else False
        entries = [
            entry
            for kind in ("TopicConfiguration", "QueueConfiguration", "CloudFunctionConfiguration")
            for entry in config.get(kind) or []
        ]
        for i, a in enumerate(entries):
            if any(_overlap(a, b) for b in entries[i + 1 :]):
                raise Ambiguous()
        partition = "aws-cn" if bucket.region_name.startswith("cn-") else "aws"
        bucket_arn = f"arn:{partition}:s3:::{bucket_name}"
        for entry in config.get("CloudFunctionConfiguration") or []:
            arn = entry.get("CloudFunction", "")
            if not skip_validation and not _invocable(arn, bucket_arn, bucket.account_id):
                raise UnableToValidate(arn)
        return original(self, bucket_name, notification_config)

    return put_bucket_notification_configuration


_NAMESPACE = "http://s3.amazonaws.com/doc/2006-03-01/"
_EMPTY = (
    '<?xml version="1.0" encoding="UTF-8"?>\n'
    f'<NotificationConfiguration xmlns="{_NAMESPACE}"></NotificationConfiguration>'
)
_SELF_CLOSED = re.compile(r"<NotificationConfiguration([^>]*)/>")


def _get_bucket_notification(original):
    def get_bucket_notification(self):
        # Raises NoSuchBucket for a bucket that does not exist, as S3 does.
        config = self.backend.get_bucket_notification_configuration(self.bucket_name)
        if not config:
            headers = {"content-type": "application/xml"}
            headers.update(self.response_headers)
            return 200, headers, _EMPTY
        status, headers, body = original(self)
        if config.event_bridge is None:
            return status, headers, body
        text = body.decode() if isinstance(body, bytes) else body
        text = _SELF_CLOSED.sub(r"<NotificationConfiguration\1></NotificationConfiguration>", text)
        text = text.replace(
            "</NotificationConfiguration>",
            "<EventBridgeConfiguration></EventBridgeConfiguration></NotificationConfiguration>",
        )
        return status, headers, text

    return get_bucket_notification


def install():
    replace(
        moto_s3_responses.S3Response,
        "_notification_config_from_body",
        _notification_config_from_body,
    )
    replace(
        moto_s3_responses.S3Response,
        "get_bucket_notification",
        _get_bucket_notification,
    )
    replace(
        moto_s3.S3Backend,
        "put_bucket_notification_configuration",
        _put_bucket_notification_configuration,
    )
