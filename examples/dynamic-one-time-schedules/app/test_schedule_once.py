"""schedule_once's input checks and request (python3 -m unittest; no AWS)."""

import datetime
import json
import unittest

from schedule_once import InputError, schedule_request

NOW = datetime.datetime(2030, 1, 1, 12, 0, tzinfo=datetime.timezone.utc)
DEPLOYMENT = {
    "function_arn": "arn:aws:lambda:us-east-1:123456789012:function:one-time-callback",
    "role_arn": "arn:aws:iam::123456789012:role/lambdawire-scheduler-x",
    "group": "one-time-callbacks",
}


def request(**overrides):
    inputs = {
        "name": "order-42",
        "at": "2030-01-02T09:30:00+02:00",
        "timezone": "UTC",
        "url": "https://example.com/hooks/42",
        "payload": '{"order": 42}',
    }
    inputs.update(overrides)
    return schedule_request(**inputs, deployment=DEPLOYMENT, now=NOW)


class RequestTest(unittest.TestCase):
    def test_a_one_time_schedule_that_deletes_itself(self):
        got = request()
        self.assertEqual(got["ScheduleExpression"], "at(2030-01-02T07:30:00)")
        self.assertEqual(got["ScheduleExpressionTimezone"], "UTC")
        self.assertEqual(got["ActionAfterCompletion"], "DELETE")
        self.assertEqual(got["FlexibleTimeWindow"], {"Mode": "OFF"})
        self.assertEqual(got["GroupName"], "one-time-callbacks")
        self.assertEqual(got["Target"]["Arn"], DEPLOYMENT["function_arn"])
        self.assertEqual(got["Target"]["RoleArn"], DEPLOYMENT["role_arn"])
        self.assertEqual(
            json.loads(got["Target"]["Input"]),
            {"url": "https://example.com/hooks/42", "payload": {"order": 42}, "scheduled_time": "<aws.scheduler.scheduled-time>"},
        )
        # Literally, not \u003c...\u003e: Scheduler only replaces it so.
        self.assertIn('"<aws.scheduler.scheduled-time>"', got["Target"]["Input"])

    def test_the_expression_is_the_wall_clock_time_of_the_zone(self):
        got = request(at="2030-07-01T07:30:00Z", timezone="Europe/Paris")
        self.assertEqual(got["ScheduleExpression"], "at(2030-07-01T09:30:00)")
        self.assertEqual(got["ScheduleExpressionTimezone"], "Europe/Paris")

    def test_bad_inputs_are_refused_with_what_to_do(self):
        cases = {
            "not in the future": {"at": "2030-01-01T11:59:59Z"},
            "has no offset": {"at": "2030-01-02T09:30:00"},
            "not an RFC 3339 timestamp": {"at": "tomorrow"},
            "not an IANA time zone": {"timezone": "Mars/Olympus"},
            "not an http or https URL": {"url": "ftp://example.com/x"},
            "--payload is not JSON": {"payload": "{order: 42}"},
            "must be 1-64 letters": {"name": "order 42"},
        }
        for message, overrides in cases.items():
            with self.subTest(message), self.assertRaises(InputError) as raised:
                request(**overrides)
            self.assertIn(message, str(raised.exception))
        with self.assertRaises(InputError):
            request(url="https://")


if __name__ == "__main__":
    unittest.main()
