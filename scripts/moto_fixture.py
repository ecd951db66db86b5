#!/usr/bin/env python3
"""The AWS side of scripts/demo, against a moto server, with boto3.

    moto_fixture.py wait            ENDPOINT
    moto_fixture.py create-function ENDPOINT NAME    -> prints "<arn> <name>"
    moto_fixture.py show            ENDPOINT NAME
    moto_fixture.py check-clean     ENDPOINT NAME

`show` and `check-clean` read AWS directly, not Terraform state, so the demo
shows what the provider really created and really removed.
"""

import io
import json
import sys
import time
import urllib.error
import urllib.parse
import urllib.request
import zipfile

import boto3
from botocore.exceptions import ClientError

REGION = "us-east-1"
ROLE_PREFIX = "lambdawire-"

# A real handler, so the same fixture would work on real AWS; moto never runs it.
HANDLER = '''import json


def handler(event, context):
    print(json.dumps(event))
    return {"ok": True}
'''

EXECUTION_TRUST = {
    "Version": "2012-10-17",
    "Statement": [
        {
            "Effect": "Allow",
            "Principal": {"Service": "lambda.amazonaws.com"},
            "Action": "sts:AssumeRole",
        }
    ],
}


def client(service, endpoint):
    return boto3.client(
        service,
        region_name=REGION,
        endpoint_url=endpoint,
        aws_access_key_id="testing",
        aws_secret_access_key="testing",
    )


def wait(endpoint, seconds=60):
    """Until moto answers on its dashboard API, or fail after `seconds`."""
    deadline = time.monotonic() + seconds
    while True:
        try:
            with urllib.request.urlopen(endpoint + "/moto-api/", timeout=2) as r:
                if r.status == 200:
                    return
        except (urllib.error.URLError, ConnectionError, OSError):
            pass
        if time.monotonic() > deadline:
            sys.exit(f"moto did not answer on {endpoint} within {seconds}s")
        time.sleep(0.2)


def handler_zip():
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as z:
        z.writestr("index.py", HANDLER)
    return buffer.getvalue()


def create_function(endpoint, name):
    """The function to be invoked, with the execution role Lambda requires."""
    iam = client("iam", endpoint)
    role = iam.create_role(
        RoleName=f"{name}-exec",
        AssumeRolePolicyDocument=json.dumps(EXECUTION_TRUST),
        Description="execution role of the lambdawire demo function",
    )["Role"]
    fn = client("lambda", endpoint).create_function(
        FunctionName=name,
        Runtime="python3.12",
        Role=role["Arn"],
        Handler="index.handler",
        Code={"ZipFile": handler_zip()},
        Description="target of the lambdawire demo",
    )
    print(fn["FunctionArn"], fn["FunctionName"])


def document(text):
    """IAM returns policy documents URL-encoded (boto3 decodes most of them)."""
    if isinstance(text, dict):
        return text
    try:
        return json.loads(text)
    except (TypeError, ValueError):
        return json.loads(urllib.parse.unquote(text))


def pretty(value, indent="    "):
    text = json.dumps(value, indent=2, sort_keys=False)
    return "\n".join(indent + line for line in text.splitlines())


def lambdawire_roles(iam):
    roles = []
    for page in iam.get_paginator("list_roles").paginate():
        roles += [r for r in page["Roles"] if r["RoleName"].startswith(ROLE_PREFIX)]
    return roles


def all_schedules(scheduler):
    found = []
    for page in scheduler.get_paginator("list_schedules").paginate():
        found += page["Schedules"]
    return found


def function_statements(lam, name):
    try:
        policy = lam.get_policy(FunctionName=name)["Policy"]
    except ClientError as e:
        if e.response["Error"]["Code"] == "ResourceNotFoundException":
            return []
        raise
    return document(policy).get("Statement", [])


def show(endpoint, name):
    iam = client("iam", endpoint)
    scheduler = client("scheduler", endpoint)
    lam = client("lambda", endpoint)

    schedules = all_schedules(scheduler)
    print(f"EventBridge Scheduler schedules: {len(schedules)}")
    for summary in schedules:
        s = scheduler.get_schedule(GroupName=summary["GroupName"], Name=summary["Name"])
        target = s["Target"]
        print(f"  {s['GroupName']}/{s['Name']}")
        print(f"    arn:                 {s['Arn']}")
        print(f"    expression:          {s['ScheduleExpression']}"
              f" ({s.get('ScheduleExpressionTimezone', 'UTC')})")
        print(f"    state:               {s.get('State')}")
        window = s.get("FlexibleTimeWindow", {})
        print(f"    flexible window:     {window.get('Mode')}"
              + (f" {window['MaximumWindowInMinutes']} min"
                 if "MaximumWindowInMinutes" in window else ""))
        if s.get("ActionAfterCompletion"):
            print(f"    after completion:    {s['ActionAfterCompletion']}")
        print(f"    target:              {target['Arn']}")
        print(f"    target role:         {target['RoleArn']}")
        if target.get("Input"):
            print("    input:")
            print(pretty(document(target["Input"]), "      "))

    roles = lambdawire_roles(iam)
    print(f"\nIAM roles created by lambdawire ({ROLE_PREFIX}*): {len(roles)}")
    for r in roles:
        role = iam.get_role(RoleName=r["RoleName"])["Role"]
        print(f"  {role['RoleName']}")
        print(f"    arn: {role['Arn']}")
        print("    trust policy:")
        print(pretty(document(role["AssumeRolePolicyDocument"]), "      "))
        for policy_name in iam.list_role_policies(RoleName=role["RoleName"])["PolicyNames"]:
            doc = iam.get_role_policy(RoleName=role["RoleName"], PolicyName=policy_name)
            print(f"    inline policy {policy_name}:")
            print(pretty(document(doc["PolicyDocument"]), "      "))
        attached = iam.list_attached_role_policies(RoleName=role["RoleName"])
        for p in attached["AttachedPolicies"]:
            print(f"    attached managed policy: {p['PolicyArn']}")

    statements = function_statements(lam, name)
    print(f"\nResource-based policy of Lambda function {name}: {len(statements)} statement(s)")
    for statement in statements:
        print(pretty(statement, "  "))


def check_clean(endpoint, name):
    """Exit 1, listing them, if any schedule, lambdawire role or statement is left."""
    leftovers = []
    for s in all_schedules(client("scheduler", endpoint)):
        leftovers.append(f"schedule {s['GroupName']}/{s['Name']}")
    for r in lambdawire_roles(client("iam", endpoint)):
        leftovers.append(f"IAM role {r['RoleName']}")
    for st in function_statements(client("lambda", endpoint), name):
        leftovers.append(f"Lambda permission statement {st.get('Sid')} on {name}")
    if leftovers:
        print("left behind after destroy:")
        for item in leftovers:
            print(f"  - {item}")
        sys.exit(1)
    print("nothing left: no schedules, no lambdawire-* roles, "
          f"no permission statements on {name}")


def main(argv):
    commands = {
        "wait": (wait, 1),
        "create-function": (create_function, 2),
        "show": (show, 2),
        "check-clean": (check_clean, 2),
    }
    if len(argv) < 2 or argv[1] not in commands or len(argv) - 2 != commands[argv[1]][1]:
        sys.exit(__doc__)
    command, _ = commands[argv[1]]
    command(*argv[2:])


if __name__ == "__main__":
    main(sys.argv)
