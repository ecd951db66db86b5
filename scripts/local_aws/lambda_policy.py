"""Lambda resource policies as Lambda keeps them: AddPermission, GetPolicy
and RemovePermission.

What moto 5.x does differently (moto/awslambda/policy.py and responses.py),
and what this module does instead; EMBEDDED-AWS.md gives the evidence:

- AddPermission copies request keys it does not know into the statement:
  `FunctionUrlAuthType` and `InvokedViaFunctionUrl` come back as top-level
  keys, where Lambda writes the conditions
  `StringEquals: lambda:FunctionUrlAuthType` and
  `Bool: lambda:InvokedViaFunctionUrl = "true"`. It drops
  `EventSourceToken`, which Lambda keeps as
  `StringEquals: lambda:EventSourceToken`. Its shallow merge of conditions
  lets `SourceAccount` overwrite `PrincipalOrgID` (both `StringEquals`).
  Here the statement is built whole, every condition in its operator block.
- A principal that is an account id stays the bare id in moto; Lambda writes
  `{"AWS": "arn:aws:iam::<id>:root"}`. A service principal outside
  `amazonaws.com` (Alexa's) stays a bare string; Lambda writes
  `{"Service": ...}`.
- A statement id already in the policy is appended a second time; Lambda
  refuses it with 409 ResourceConflictException.
- A published version is a shallow copy of the function, so every version
  and alias shares the function's one policy, and RemovePermission ignores
  `Qualifier`. In Lambda the function, each version and each alias has its
  own policy. Here a version's policy lives on the version, an alias's on
  the alias; the unqualified policy stays moto's own.
- RemovePermission compares the policy's revision with the whole query list
  of `RevisionId`, so any RevisionId is refused as a mismatch.

AddPermission answers with the statement exactly as GetPolicy will show it,
and with 201, as Lambda does.
"""

import json
import re
import threading
from urllib.parse import unquote

from moto.awslambda import policy as moto_policy
from moto.awslambda import responses as moto_responses
from moto.awslambda import models as moto_models
from moto.awslambda.exceptions import GenericResourcNotFound, UnknownPolicyException
from moto.moto_api._internal import mock_random

from ._patch import LambdaError, replace, require

# One lock for every policy change: the check for a taken statement id and
# the append must be one step, as they are in Lambda, while werkzeug serves
# requests on many threads (terraform -parallelism sends AddPermission
# calls for one function at once).
_LOCK = threading.Lock()

_ACCOUNT_ID = re.compile(r"^\d{12}$")

_REVISION_MISMATCH = (
    "The RevisionId provided does not match the latest RevisionId for the Lambda "
    "function or alias. Call the GetFunction or the GetAlias API to retrieve the "
    "latest RevisionId for your resource."
)


def stored_principal(principal, partition):
    """The Principal element Lambda writes for AddPermission's `Principal`."""
    if principal == "*":
        return "*"
    if _ACCOUNT_ID.match(principal):
        return {"AWS": f"arn:{partition}:iam::{principal}:root"}
    if principal.startswith("arn:"):
        return {"AWS": principal}
    return {"Service": principal}


def build_statement(request, resource):
    """The statement Lambda stores for one AddPermission request body, its
    keys in the order Lambda's GetPolicy gives them."""
    partition = resource.split(":")[1] if resource.startswith("arn:") else "aws"
    statement = {
        "Sid": request["StatementId"],
        "Effect": "Allow",
        "Principal": stored_principal(request["Principal"], partition),
        "Action": request["Action"],
        "Resource": resource,
    }
    condition = {}

    def put(operator, key, value):
        condition.setdefault(operator, {})[key] = value

    if request.get("SourceAccount"):
        put("StringEquals", "AWS:SourceAccount", request["SourceAccount"])
    if request.get("PrincipalOrgID"):
        put("StringEquals", "aws:PrincipalOrgID", request["PrincipalOrgID"])
    if request.get("EventSourceToken"):
        put("StringEquals", "lambda:EventSourceToken", request["EventSourceToken"])
    if request.get("FunctionUrlAuthType"):
        put("StringEquals", "lambda:FunctionUrlAuthType", request["FunctionUrlAuthType"])
    if request.get("InvokedViaFunctionUrl") in (True, "true", "True"):
        put("Bool", "lambda:InvokedViaFunctionUrl", "true")
    if request.get("SourceArn"):
        put("ArnLike", "AWS:SourceArn", request["SourceArn"])
    if condition:
        statement["Condition"] = condition
    return statement


def split_function_name(function_name, qualifier):
    """(name, qualifier) from a FunctionName that may be a name, `name:q`, a
    partial ARN or an ARN, and the Qualifier parameter."""
    name = function_name
    from_name = None
    if ":function:" in name:
        tail = name.split(":function:", 1)[1]
        name, _, from_name = tail.partition(":")
    elif ":" in name:
        name, _, from_name = name.partition(":")
    from_name = from_name or None
    if from_name and qualifier and from_name != qualifier:
        raise LambdaError(
            400,
            "InvalidParameterValueException",
            "The derived qualifier from the function name does not match the specified qualifier.",
        )
    qualifier = from_name or qualifier
    if qualifier == "$LATEST":
        # $LATEST is the function itself; lambdawire never sends it (it is
        # refused at plan), so moto's own reading is kept.
        qualifier = None
    return name, qualifier


class Target:
    """The policy one (function, qualifier) pair names, and the ARN its
    statements carry as their Resource."""

    def __init__(self, backend, function_name, qualifier):
        name, qualifier = split_function_name(function_name, qualifier)
        latest = backend.get_function(name)
        self.resource = latest.function_arn
        if qualifier is None:
            self.policy = latest.policy
            return
        # Raises moto's ResourceNotFoundException when no such version or
        # alias exists, as Lambda does.
        resolved = backend.get_function(name, qualifier)
        self.resource = f"{latest.function_arn}:{qualifier}"
        if qualifier.isdigit():
            holder = resolved
        else:
            holder = backend._lambdas.get_alias(qualifier, name)
        policy = holder.__dict__.get("_local_aws_policy")
        if policy is None:
            policy = moto_policy.Policy(resolved)
            holder.__dict__["_local_aws_policy"] = policy
        self.policy = policy


def add_permission(response):
    function_name = unquote(response.path.split("/")[-2])
    qualifier = response.querystring.get("Qualifier", [None])[0]
    request = json.loads(response.body or "{}")
    with _LOCK:
        target = Target(response.backend, function_name, qualifier)
        policy = target.policy
        revision = request.get("RevisionId")
        if revision and revision != policy.revision:
            raise LambdaError(412, "PreconditionFailedException", _REVISION_MISMATCH)
        sid = request.get("StatementId")
        if any(s.get("Sid") == sid for s in policy.statements):
            raise LambdaError(
                409,
                "ResourceConflictException",
                f"The statement id ({sid}) provided already exists. Please provide a new "
                "statement id, or remove the existing statement.",
            )
        statement = build_statement(request, target.resource)
        policy.statements.append(statement)
        policy.revision = _new_revision()
        answer = json.dumps({"Statement": json.dumps(statement)})
    return 201, {"status": 201, "content-type": "application/json"}, answer


def get_policy(response):
    function_name = unquote(response.path.split("/")[-2])
    qualifier = response.querystring.get("Qualifier", [None])[0]
    with _LOCK:
        policy = Target(response.backend, function_name, qualifier).policy
        if not policy.statements:
            raise GenericResourcNotFound()
        return policy.wire_format()


def remove_permission(response):
    function_name = unquote(response.path.split("/")[-3])
    sid = unquote(response.path.split("/")[-1].split("?")[0])
    qualifier = response.querystring.get("Qualifier", [None])[0]
    revision = response.querystring.get("RevisionId", [None])[0]
    with _LOCK:
        policy = Target(response.backend, function_name, qualifier).policy
        if revision and revision != policy.revision:
            raise LambdaError(412, "PreconditionFailedException", _REVISION_MISMATCH)
        kept = [s for s in policy.statements if s.get("Sid") != sid]
        if len(kept) == len(policy.statements):
            raise UnknownPolicyException()
        policy.statements[:] = kept
        policy.revision = _new_revision()
    return 204, {"status": 204}, ""


def _new_revision():
    return str(mock_random.uuid4())


def install():
    # The Policy class is still what stores each policy (its `statements`,
    # `revision` and `wire_format`); only the way statements get in and out
    # is replaced.
    for attribute in ("wire_format", "__init__"):
        require(moto_policy.Policy, attribute)
    require(moto_responses.LambdaResponse, "backend")
    require(moto_models.LambdaBackend, "get_function")
    require(moto_models.LambdaStorage, "get_alias")
    handlers = {
        "add_permission": add_permission,
        "get_policy": get_policy,
        "remove_permission": remove_permission,
    }
    for name, handler in handlers.items():
        replace(
            moto_responses.LambdaResponse,
            name,
            lambda _original, handler=handler: lambda self: handler(self),
        )
