"""The corrections, each checked through boto3 against a server in this
process (scripts/test runs these with `python -m unittest`).

Every assertion states what AWS answers; EMBEDDED-AWS.md gives the
evidence for each.
"""

import io
import json
import logging
import threading
import unittest
import zipfile

import boto3
import botocore.config
from botocore.exceptions import ClientError

from local_aws import server

REGION = "us-east-1"
TRUST = json.dumps(
    {
        "Version": "2012-10-17",
        "Statement": [
            {
                "Effect": "Allow",
                "Principal": {"Service": "lambda.amazonaws.com"},
                "Action": "sts:AssumeRole",
            }
        ],
    }
)


def handler_zip():
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as z:
        z.writestr("index.py", "def handler(event, context):\n    return event\n")
    return buffer.getvalue()


class LocalAws(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        # werkzeug's access log would interleave with unittest's output.
        logging.getLogger("werkzeug").setLevel(logging.ERROR)
        cls.server = server.make("127.0.0.1", 0)
        cls.thread = threading.Thread(target=cls.server.serve_forever, daemon=True)
        cls.thread.start()
        url = server.endpoint(cls.server, "127.0.0.1")

        def client(service):
            return boto3.client(
                service,
                region_name=REGION,
                endpoint_url=url,
                aws_access_key_id="testing",
                aws_secret_access_key="testing",
            )

        cls.iam = client("iam")
        cls.lam = client("lambda")
        cls.scheduler = client("scheduler")
        cls.sqs = client("sqs")
        cls.sns = client("sns")
        cls.s3 = boto3.client(
            "s3",
            region_name=REGION,
            endpoint_url=url,
            aws_access_key_id="testing",
            aws_secret_access_key="testing",
            config=botocore.config.Config(s3={"addressing_style": "path"}),
        )
        role = cls.iam.create_role(RoleName="exec", AssumeRolePolicyDocument=TRUST)["Role"]["Arn"]
        cls.role = role

    @classmethod
    def tearDownClass(cls):
        cls.server.shutdown()
        cls.server.server_close()

    def function(self, name):
        return self.lam.create_function(
            FunctionName=name,
            Runtime="python3.12",
            Role=self.role,
            Handler="index.handler",
            Code={"ZipFile": handler_zip()},
        )["FunctionArn"]

    def statements(self, name, qualifier=None):
        args = {"FunctionName": name}
        if qualifier:
            args["Qualifier"] = qualifier
        try:
            return json.loads(self.lam.get_policy(**args)["Policy"])["Statement"]
        except ClientError as e:
            self.assertEqual(e.response["Error"]["Code"], "ResourceNotFoundException")
            return []

    def test_url_conditions_and_token_are_stored_as_lambda_stores_them(self):
        arn = self.function("conditions")
        url = self.lam.add_permission(
            FunctionName="conditions",
            StatementId="url",
            Action="lambda:InvokeFunctionUrl",
            Principal="*",
            FunctionUrlAuthType="NONE",
        )
        via = self.lam.add_permission(
            FunctionName="conditions",
            StatementId="via",
            Action="lambda:InvokeFunction",
            Principal="*",
            InvokedViaFunctionUrl=True,
        )
        alexa = self.lam.add_permission(
            FunctionName="conditions",
            StatementId="alexa",
            Action="lambda:InvokeFunction",
            Principal="alexa-appkit.amazon.com",
            EventSourceToken="amzn1.ask.skill.1234",
        )
        stored = {s["Sid"]: s for s in self.statements("conditions")}
        self.assertEqual(
            stored["url"],
            {
                "Sid": "url",
                "Effect": "Allow",
                "Principal": "*",
                "Action": "lambda:InvokeFunctionUrl",
                "Resource": arn,
                "Condition": {"StringEquals": {"lambda:FunctionUrlAuthType": "NONE"}},
            },
        )
        self.assertEqual(
            stored["via"]["Condition"], {"Bool": {"lambda:InvokedViaFunctionUrl": "true"}}
        )
        self.assertNotIn("InvokedViaFunctionUrl", stored["via"])
        self.assertEqual(
            stored["alexa"]["Condition"],
            {"StringEquals": {"lambda:EventSourceToken": "amzn1.ask.skill.1234"}},
        )
        self.assertEqual(stored["alexa"]["Principal"], {"Service": "alexa-appkit.amazon.com"})
        # AddPermission answers with what GetPolicy shows.
        for answer, sid in ((url, "url"), (via, "via"), (alexa, "alexa")):
            self.assertEqual(json.loads(answer["Statement"]), stored[sid])
            self.assertEqual(answer["ResponseMetadata"]["HTTPStatusCode"], 201)

    def test_account_principal_and_every_condition_together(self):
        self.function("scoped")
        self.lam.add_permission(
            FunctionName="scoped",
            StatementId="both",
            Action="lambda:InvokeFunction",
            Principal="210987654321",
            SourceAccount="210987654321",
            PrincipalOrgID="o-abcdefghij",
            SourceArn="arn:aws:s3:::bucket",
        )
        (stored,) = self.statements("scoped")
        self.assertEqual(stored["Principal"], {"AWS": "arn:aws:iam::210987654321:root"})
        self.assertEqual(
            stored["Condition"],
            {
                "StringEquals": {
                    "AWS:SourceAccount": "210987654321",
                    "aws:PrincipalOrgID": "o-abcdefghij",
                },
                "ArnLike": {"AWS:SourceArn": "arn:aws:s3:::bucket"},
            },
        )

    def test_a_taken_statement_id_is_refused_with_409(self):
        self.function("taken")
        args = dict(
            FunctionName="taken",
            StatementId="once",
            Action="lambda:InvokeFunction",
            Principal="events.amazonaws.com",
        )
        self.lam.add_permission(**args)
        with self.assertRaises(ClientError) as refused:
            self.lam.add_permission(**dict(args, Principal="sns.amazonaws.com"))
        error = refused.exception.response
        self.assertEqual(error["ResponseMetadata"]["HTTPStatusCode"], 409)
        self.assertEqual(error["Error"]["Code"], "ResourceConflictException")
        self.assertEqual(
            error["Error"]["Message"],
            "The statement id (once) provided already exists. Please provide a new "
            "statement id, or remove the existing statement.",
        )
        (kept,) = self.statements("taken")
        self.assertEqual(kept["Principal"], {"Service": "events.amazonaws.com"})

    def test_each_qualifier_has_its_own_policy(self):
        arn = self.function("qualified")
        version = self.lam.publish_version(FunctionName="qualified")["Version"]
        self.lam.create_alias(FunctionName="qualified", Name="live", FunctionVersion=version)
        base = dict(Action="lambda:InvokeFunction", Principal="events.amazonaws.com")
        self.lam.add_permission(FunctionName="qualified", StatementId="same", **base)
        self.lam.add_permission(
            FunctionName="qualified", Qualifier="live", StatementId="same", **base
        )
        self.lam.add_permission(
            FunctionName="qualified", Qualifier=version, StatementId="v", **base
        )
        self.assertEqual([s["Resource"] for s in self.statements("qualified")], [arn])
        self.assertEqual(
            [s["Resource"] for s in self.statements("qualified", "live")], [arn + ":live"]
        )
        self.assertEqual(
            [s["Resource"] for s in self.statements(f"{arn}:{version}")],
            [f"{arn}:{version}"],
        )
        self.lam.remove_permission(FunctionName="qualified", Qualifier="live", StatementId="same")
        self.assertEqual(self.statements("qualified", "live"), [])
        self.assertEqual(len(self.statements("qualified")), 1, "the function's own is kept")
        with self.assertRaises(ClientError) as missing:
            self.lam.remove_permission(
                FunctionName="qualified", Qualifier="live", StatementId="same"
            )
        self.assertEqual(missing.exception.response["Error"]["Code"], "ResourceNotFoundException")
        with self.assertRaises(ClientError) as unknown:
            self.lam.get_policy(FunctionName="qualified", Qualifier="nosuch")
        self.assertEqual(unknown.exception.response["Error"]["Code"], "ResourceNotFoundException")

    def test_versions_and_aliases_are_listed_in_pages_as_lambda_lists_them(self):
        arn = self.function("listed")
        for n in range(52):
            # Lambda publishes a version only when something changed.
            self.lam.update_function_configuration(FunctionName="listed", Description=str(n))
            self.lam.publish_version(FunctionName="listed")
        for name in ("live", "beta", "canary"):
            self.lam.create_alias(FunctionName="listed", Name=name, FunctionVersion="1")

        # At most 50 versions an answer, whatever MaxItems asks for, and a
        # NextMarker while more remain; the function may be named by ARN.
        first = self.lam.list_versions_by_function(FunctionName=arn, MaxItems=100)
        self.assertEqual(len(first["Versions"]), 50)
        rest = self.lam.list_versions_by_function(FunctionName=arn, Marker=first["NextMarker"])
        self.assertNotIn("NextMarker", rest)
        versions = [v["Version"] for v in first["Versions"] + rest["Versions"]]
        self.assertEqual(versions, ["$LATEST"] + [str(n) for n in range(1, 53)])
        partial = "123456789012:function:listed"
        paginator = self.lam.get_paginator("list_versions_by_function")
        paged = [
            v["Version"]
            for p in paginator.paginate(FunctionName=partial, PaginationConfig={"PageSize": 7})
            for v in p["Versions"]
        ]
        self.assertEqual(paged, versions)

        one = self.lam.list_aliases(FunctionName="listed", MaxItems=2)
        self.assertEqual([a["Name"] for a in one["Aliases"]], ["beta", "canary"])
        other = self.lam.list_aliases(FunctionName="listed", Marker=one["NextMarker"])
        self.assertEqual([a["Name"] for a in other["Aliases"]], ["live"])
        self.assertNotIn("NextMarker", other)
        self.assertEqual(other["Aliases"][0]["AliasArn"], arn + ":live")

        for listing in (self.lam.list_versions_by_function, self.lam.list_aliases):
            with self.assertRaises(ClientError) as missing:
                listing(FunctionName="nosuch")
            error = missing.exception.response
            self.assertEqual(error["Error"]["Code"], "ResourceNotFoundException")
            self.assertEqual(error["ResponseMetadata"]["HTTPStatusCode"], 404)

    def test_revision_id_is_compared_as_a_value(self):
        self.function("revised")
        base = dict(Action="lambda:InvokeFunction", Principal="events.amazonaws.com")
        self.lam.add_permission(FunctionName="revised", StatementId="a", **base)
        revision = self.lam.get_policy(FunctionName="revised")["RevisionId"]
        with self.assertRaises(ClientError) as stale:
            self.lam.add_permission(
                FunctionName="revised", StatementId="b", RevisionId="stale", **base
            )
        self.assertEqual(stale.exception.response["Error"]["Code"], "PreconditionFailedException")
        self.lam.remove_permission(FunctionName="revised", StatementId="a", RevisionId=revision)
        self.assertEqual(self.statements("revised"), [])

    def schedule(self, name, token, **extra):
        return self.scheduler.create_schedule(
            Name=name,
            ScheduleExpression="rate(1 hour)",
            FlexibleTimeWindow={"Mode": "OFF"},
            Target={
                "Arn": "arn:aws:lambda:us-east-1:123456789012:function:f",
                "RoleArn": "arn:aws:iam::123456789012:role/r",
            },
            ClientToken=token,
            **extra,
        )

    def test_create_schedule_honours_client_token(self):
        first = self.schedule("tokened", "token-1")
        again = self.schedule("tokened", "token-1")
        self.assertEqual(again["ScheduleArn"], first["ScheduleArn"])
        with self.assertRaises(ClientError) as taken:
            self.schedule("tokened", "token-2")
        self.assertEqual(taken.exception.response["Error"]["Code"], "ConflictException")
        self.assertEqual(taken.exception.response["ResponseMetadata"]["HTTPStatusCode"], 409)
        with self.assertRaises(ClientError) as reused:
            self.schedule("other-name", "token-1")
        self.assertEqual(reused.exception.response["Error"]["Code"], "ConflictException")
        names = [s["Name"] for s in self.scheduler.list_schedules()["Schedules"]]
        self.assertEqual(names.count("tokened"), 1)
        self.assertNotIn("other-name", names)

    def test_a_missing_group_is_not_found_and_update_keeps_action_after_completion(self):
        with self.assertRaises(ClientError) as missing:
            self.schedule("grouped", "token-g", GroupName="nosuch")
        self.assertEqual(missing.exception.response["Error"]["Code"], "ResourceNotFoundException")
        self.schedule("completing", "token-c", ActionAfterCompletion="NONE")
        self.scheduler.update_schedule(
            Name="completing",
            ScheduleExpression="at(2030-01-01T00:00:00)",
            FlexibleTimeWindow={"Mode": "OFF"},
            Target={
                "Arn": "arn:aws:lambda:us-east-1:123456789012:function:f",
                "RoleArn": "arn:aws:iam::123456789012:role/r",
            },
            ActionAfterCompletion="DELETE",
        )
        got = self.scheduler.get_schedule(Name="completing")
        self.assertEqual(got["ActionAfterCompletion"], "DELETE")

    def test_a_second_mapping_of_one_queue_to_one_function_is_refused(self):
        self.function("consumer")
        queue = self.sqs.create_queue(QueueName="orders")["QueueUrl"]
        queue_arn = self.sqs.get_queue_attributes(QueueUrl=queue, AttributeNames=["QueueArn"])[
            "Attributes"
        ]["QueueArn"]
        first = self.lam.create_event_source_mapping(
            FunctionName="consumer", EventSourceArn=queue_arn
        )
        with self.assertRaises(ClientError) as again:
            self.lam.create_event_source_mapping(FunctionName="consumer", EventSourceArn=queue_arn)
        error = again.exception.response
        self.assertEqual(error["ResponseMetadata"]["HTTPStatusCode"], 409)
        self.assertEqual(error["Error"]["Code"], "ResourceConflictException")
        self.assertIn(first["UUID"], error["Error"]["Message"])
        listed = self.lam.list_event_source_mappings(EventSourceArn=queue_arn)
        self.assertEqual(len(listed["EventSourceMappings"]), 1)

    def test_skip_destination_validation_is_honoured(self):
        arn = self.function("unchecked")
        self.s3.create_bucket(Bucket="skipping")
        entry = {
            "LambdaFunctionConfigurations": [
                {"Id": "lw", "LambdaFunctionArn": arn, "Events": ["s3:ObjectCreated:*"]}
            ]
        }
        with self.assertRaises(ClientError):
            self.s3.put_bucket_notification_configuration(
                Bucket="skipping", NotificationConfiguration=entry
            )
        # With the header S3 stores it unchecked, and so does the layer.
        self.s3.put_bucket_notification_configuration(
            Bucket="skipping", NotificationConfiguration=entry, SkipDestinationValidation=True
        )
        got = self.s3.get_bucket_notification_configuration(Bucket="skipping")
        self.assertEqual(got["LambdaFunctionConfigurations"][0]["Id"], "lw")

    def test_a_lambda_destination_s3_may_not_invoke_is_refused(self):
        arn = self.function("on-upload")
        self.s3.create_bucket(Bucket="validated")
        entry = {
            "LambdaFunctionConfigurations": [
                {"Id": "lw", "LambdaFunctionArn": arn, "Events": ["s3:ObjectCreated:*"]}
            ]
        }
        grant = dict(
            FunctionName="on-upload",
            Action="lambda:InvokeFunction",
            Principal="s3.amazonaws.com",
            SourceAccount="123456789012",
        )
        # No statement, then one for another bucket: both refused, nothing stored.
        for sid, bucket in ((None, None), ("other", "arn:aws:s3:::other")):
            if sid:
                self.lam.add_permission(StatementId=sid, SourceArn=bucket, **grant)
            with self.assertRaises(ClientError) as refused:
                self.s3.put_bucket_notification_configuration(
                    Bucket="validated", NotificationConfiguration=entry
                )
            error = refused.exception.response
            self.assertEqual(error["ResponseMetadata"]["HTTPStatusCode"], 400)
            self.assertEqual(error["Error"]["Code"], "InvalidArgument")
            self.assertEqual(
                error["Error"]["Message"],
                "Unable to validate the following destination configurations",
            )
        got = self.s3.get_bucket_notification_configuration(Bucket="validated")
        self.assertNotIn("LambdaFunctionConfigurations", got)
        # Granted for this bucket: accepted.
        self.lam.add_permission(StatementId="this", SourceArn="arn:aws:s3:::validated", **grant)
        self.s3.put_bucket_notification_configuration(
            Bucket="validated", NotificationConfiguration=entry
        )
        got = self.s3.get_bucket_notification_configuration(Bucket="validated")
        self.assertEqual(got["LambdaFunctionConfigurations"][0]["Id"], "lw")

    def test_overlapping_entries_are_refused(self):
        self.s3.create_bucket(Bucket="ambiguous")
        queue = self.sqs.create_queue(QueueName="ambiguous")["QueueUrl"]
        queue_arn = self.sqs.get_queue_attributes(QueueUrl=queue, AttributeNames=["QueueArn"])[
            "Attributes"
        ]["QueueArn"]

        def entry(id, events, prefix=None, suffix=None):
            rules = [{"Name": n, "Value": v} for n, v in (("prefix", prefix), ("suffix", suffix)) if v]
            e = {"Id": id, "QueueArn": queue_arn, "Events": events}
            if rules:
                e["Filter"] = {"Key": {"FilterRules": rules}}
            return e

        def put(*entries):
            self.s3.put_bucket_notification_configuration(
                Bucket="ambiguous", NotificationConfiguration={"QueueConfigurations": list(entries)}
            )

        for a, b in (
            (entry("a", ["s3:ObjectCreated:*"]), entry("b", ["s3:ObjectCreated:Put"])),
            (entry("a", ["s3:ObjectCreated:*"], "in/"), entry("b", ["s3:ObjectCreated:*"], "in/x/")),
        ):
            with self.assertRaises(ClientError) as refused:
                put(a, b)
            error = refused.exception.response["Error"]
            self.assertEqual(error["Code"], "InvalidArgument")
            self.assertIn("Configuration is ambiguously defined", error["Message"])
        # Apart by event type, by prefix or by suffix: accepted.
        put(entry("a", ["s3:ObjectCreated:*"]), entry("b", ["s3:ObjectRemoved:*"]))
        put(entry("a", ["s3:ObjectCreated:*"], "in/"), entry("b", ["s3:ObjectCreated:*"], "out/"))
        put(
            entry("a", ["s3:ObjectCreated:*"], None, ".jpg"),
            entry("b", ["s3:ObjectCreated:*"], None, ".png"),
        )
        got = self.s3.get_bucket_notification_configuration(Bucket="ambiguous")
        self.assertEqual(len(got["QueueConfigurations"]), 2)

    def test_notification_reads_are_s3s_empty_document_and_keep_eventbridge(self):
        self.s3.create_bucket(Bucket="plain")
        raw = {}

        def keep_body(http_response, **_):
            raw["body"] = http_response.content

        self.s3.meta.events.register(
            "after-call.s3.GetBucketNotificationConfiguration", keep_body
        )
        try:
            self.s3.get_bucket_notification_configuration(Bucket="plain")
        finally:
            self.s3.meta.events.unregister(
                "after-call.s3.GetBucketNotificationConfiguration", keep_body
            )
        self.assertIn(b"<NotificationConfiguration", raw["body"])
        self.s3.put_bucket_notification_configuration(
            Bucket="plain", NotificationConfiguration={"EventBridgeConfiguration": {}}
        )
        got = self.s3.get_bucket_notification_configuration(Bucket="plain")
        self.assertEqual(got.get("EventBridgeConfiguration"), {})
        with self.assertRaises(ClientError) as missing:
            self.s3.get_bucket_notification_configuration(Bucket="no-such-bucket")
        self.assertEqual(missing.exception.response["Error"]["Code"], "NoSuchBucket")


    def test_subscribe_again_with_other_attributes_is_refused_and_changes_nothing(self):
        topic = self.sns.create_topic(Name="alerts")["TopicArn"]
        endpoint = self.function("subscriber")
        policy = json.dumps({"kind": ["order"]})
        first = self.sns.subscribe(
            TopicArn=topic,
            Protocol="lambda",
            Endpoint=endpoint,
            Attributes={"FilterPolicy": policy},
            ReturnSubscriptionArn=True,
        )["SubscriptionArn"]
        # The same request again, or one without attributes: the same subscription.
        again = self.sns.subscribe(
            TopicArn=topic,
            Protocol="lambda",
            Endpoint=endpoint,
            Attributes={"FilterPolicy": json.dumps({"kind": ["order"]}, indent=1)},
            ReturnSubscriptionArn=True,
        )["SubscriptionArn"]
        bare = self.sns.subscribe(
            TopicArn=topic, Protocol="lambda", Endpoint=endpoint, ReturnSubscriptionArn=True
        )["SubscriptionArn"]
        self.assertEqual({again, bare}, {first})
        with self.assertRaises(ClientError) as other:
            self.sns.subscribe(
                TopicArn=topic,
                Protocol="lambda",
                Endpoint=endpoint,
                Attributes={"FilterPolicy": json.dumps({"kind": ["refund"]})},
                ReturnSubscriptionArn=True,
            )
        error = other.exception.response
        self.assertEqual(error["ResponseMetadata"]["HTTPStatusCode"], 400)
        self.assertEqual(error["Error"]["Code"], "InvalidParameter")
        self.assertIn("already exists with different attributes", error["Error"]["Message"])
        kept = self.sns.get_subscription_attributes(SubscriptionArn=first)["Attributes"]
        self.assertEqual(json.loads(kept["FilterPolicy"]), {"kind": ["order"]})
        listed = self.sns.list_subscriptions_by_topic(TopicArn=topic)["Subscriptions"]
        self.assertEqual(len(listed), 1)

if __name__ == "__main__":
    unittest.main()
