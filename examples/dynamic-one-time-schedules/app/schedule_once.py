#!/usr/bin/env python3
"""Create a one-time EventBridge Scheduler schedule that calls a URL.

At TIME, Scheduler invokes the function Terraform deployed with
{"url": URL, "payload": PAYLOAD, "scheduled_time": <the time it was due>};
the function POSTs PAYLOAD to URL, and Scheduler deletes the schedule
(ActionAfterCompletion DELETE).

    app/schedule_once.py --name order-42-reminder --at 2030-01-01T09:00:00+01:00 \\
        --timezone Europe/Paris --url https://example.com/hooks/42 \\
        --payload '{"order": 42}'

The function, the role and the group come from --function-arn, --role-arn
and --group, else from FUNCTION_ARN, SCHEDULER_ROLE_ARN and SCHEDULE_GROUP,
else from `terraform output -json` in --terraform-dir (this example's
directory by default). Credentials, region and AWS_ENDPOINT_URL are boto3's
usual ones. Needs boto3.
"""

import argparse
import datetime
import json
import os
import pathlib
import re
import subprocess
import sys
import urllib.parse
import zoneinfo

# Scheduler's schedule names: 1-64 of these characters (CreateSchedule, Name).
NAME = re.compile(r"[0-9A-Za-z_.-]{1,64}")

# Scheduler replaces this placeholder in the input when it invokes the target.
# json.dumps keeps < and > as they are; Terraform's jsonencode would write
# \u003c and \u003e, and Scheduler would pass the placeholder on unreplaced.
SCHEDULED_TIME = "<aws.scheduler.scheduled-time>"

# Which terraform output gives which deployment value, and its override.
DEPLOYMENT = {
    "function_arn": ("function_arn", "FUNCTION_ARN"),
    "role_arn": ("scheduler_role_arn", "SCHEDULER_ROLE_ARN"),
    "group": ("schedule_group", "SCHEDULE_GROUP"),
}


class InputError(Exception):
    """A user input Scheduler would refuse, or that would never fire."""


def parse_time(text, now):
    """An RFC 3339 timestamp with its offset, strictly after `now`."""
    try:
        when = datetime.datetime.fromisoformat(text)
    except ValueError:
        raise InputError(f"--at {text!r} is not an RFC 3339 timestamp, e.g. 2030-01-01T09:00:00Z") from None
    if when.tzinfo is None:
        raise InputError(f"--at {text!r} has no offset: add Z or +hh:mm")
    if when <= now:
        raise InputError(f"--at {text!r} is not in the future (now is {now.isoformat(timespec='seconds')})")
    return when


def zone(name):
    try:
        return zoneinfo.ZoneInfo(name)
    except (zoneinfo.ZoneInfoNotFoundError, ValueError):
        raise InputError(f"--timezone {name!r} is not an IANA time zone, e.g. Europe/Paris") from None


def at_expression(when, timezone):
    """at(...) of `when` as the wall-clock time in `timezone` (Scheduler reads
    the expression in ScheduleExpressionTimezone)."""
    local = when.astimezone(zone(timezone))
    return f"at({local.strftime('%Y-%m-%dT%H:%M:%S')})"


def check_url(url):
    parts = urllib.parse.urlsplit(url)
    if parts.scheme not in ("http", "https") or not parts.netloc:
        raise InputError(f"--url {url!r} is not an http or https URL")
    return url


def parse_payload(text):
    try:
        return json.loads(text)
    except json.JSONDecodeError as error:
        raise InputError(f"--payload is not JSON: {error}") from None


def check_name(name):
    if not NAME.fullmatch(name):
        raise InputError(f"--name {name!r} must be 1-64 letters, digits, '-', '_' or '.'")
    return name


def schedule_request(name, at, timezone, url, payload, deployment, now):
    """The CreateSchedule arguments for these inputs (no AWS call)."""
    when = parse_time(at, now)
    return {
        "Name": check_name(name),
        "GroupName": deployment["group"],
        "ScheduleExpression": at_expression(when, timezone),
        "ScheduleExpressionTimezone": timezone,
        "FlexibleTimeWindow": {"Mode": "OFF"},
        "ActionAfterCompletion": "DELETE",
        "Target": {
            "Arn": deployment["function_arn"],
            "RoleArn": deployment["role_arn"],
            "Input": json.dumps(
                {"url": check_url(url), "payload": parse_payload(payload), "scheduled_time": SCHEDULED_TIME}
            ),
        },
    }


def terraform_outputs(directory):
    try:
        run = subprocess.run(
            ["terraform", f"-chdir={directory}", "output", "-json"],
            capture_output=True,
            text=True,
            check=False,
        )
    except FileNotFoundError:
        raise InputError("terraform is not on PATH: pass --function-arn, --role-arn and --group") from None
    if run.returncode != 0:
        raise InputError(f"terraform output -json in {directory} failed:\n{run.stderr.strip()}")
    return {key: value["value"] for key, value in json.loads(run.stdout or "{}").items()}


def deployment(args):
    """Function ARN, role ARN and group: arguments, environment, then Terraform."""
    found = {key: getattr(args, key) or os.environ.get(env) for key, (_, env) in DEPLOYMENT.items()}
    if all(found.values()):
        return found
    outputs = terraform_outputs(args.terraform_dir)
    for key, (output, env) in DEPLOYMENT.items():
        found[key] = found[key] or outputs.get(output)
        if not found[key]:
            raise InputError(f"no {output} output in {args.terraform_dir} (has it been applied?), and {env} is not set")
    return found


def arguments(argv):
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--name", required=True, help="schedule name, unique in the group")
    parser.add_argument("--at", required=True, help="when, RFC 3339 with an offset: 2030-01-01T09:00:00Z")
    parser.add_argument("--timezone", default="UTC", help="IANA zone the schedule is kept in (default UTC)")
    parser.add_argument("--url", required=True, help="the http(s) URL the function calls")
    parser.add_argument("--payload", default="{}", help="JSON the function POSTs to the URL (default {})")
    parser.add_argument("--function-arn", help="target function (default: terraform output function_arn)")
    parser.add_argument("--role-arn", help="role Scheduler assumes (default: terraform output scheduler_role_arn)")
    parser.add_argument("--group", help="schedule group (default: terraform output schedule_group)")
    parser.add_argument(
        "--terraform-dir",
        default=str(pathlib.Path(__file__).resolve().parent.parent),
        help="where to run terraform output (default: this example)",
    )
    parser.add_argument("--dry-run", action="store_true", help="print the CreateSchedule request only")
    return parser, parser.parse_args(argv)


def main(argv=None):
    parser, args = arguments(argv)
    now = datetime.datetime.now(datetime.timezone.utc)
    try:
        request = schedule_request(args.name, args.at, args.timezone, args.url, args.payload, deployment(args), now)
    except InputError as error:
        parser.error(str(error))
    if args.dry_run:
        print(json.dumps(request, indent=2))
        return 0

    import boto3  # only here, so --dry-run and the unit tests need no boto3

    scheduler = boto3.client("scheduler")
    try:
        created = scheduler.create_schedule(**request)
    except scheduler.exceptions.ConflictException:
        print(f"schedule_once: a schedule {args.name!r} already exists in group {request['GroupName']!r}", file=sys.stderr)
        return 1
    print(created["ScheduleArn"])
    return 0


if __name__ == "__main__":
    sys.exit(main())
