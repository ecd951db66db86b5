"""How the layer changes moto, and the errors it answers with.

Every change goes through `replace`, which refuses to start when moto no
longer has the symbol being replaced: a moto upgrade that renames or drops
one must stop local-aws loudly, never leave a correction silently undone.
"""

import json

from moto.core.exceptions import JsonRESTError


class MotoChanged(RuntimeError):
    """A symbol this layer corrects is not where moto 5.x keeps it."""


def require(owner, name):
    """`owner.name`, or MotoChanged naming what is missing."""
    if not hasattr(owner, name):
        where = getattr(owner, "__module__", "") + "." + getattr(owner, "__qualname__", repr(owner))
        raise MotoChanged(
            f"moto has no {where}.{name}: this version of moto is not one local-aws "
            "knows (it corrects moto 5.x); pin moto 5.x or update scripts/local_aws"
        )
    return getattr(owner, name)


def replace(owner, name, make):
    """Replace `owner.name` by `make(original)`; the original must exist."""
    original = require(owner, name)
    replacement = make(original)
    replacement.__local_aws_original__ = original
    setattr(owner, name, replacement)
    return original


class LambdaError(JsonRESTError):
    """A Lambda error as Lambda sends it: `x-amzn-ErrorType` names the code
    and the body is `{"Type": "User", "Message": ...}` (moto's own errors
    carry `__type`/`message`, which the SDKs read too)."""

    def __init__(self, status, code, message):
        super().__init__(code, message)
        self.code = status
        self.description = json.dumps({"Type": "User", "Message": message})


class SchedulerError(JsonRESTError):
    """An EventBridge Scheduler error: the code in `x-amzn-ErrorType`, the
    body `{"Message": ...}`."""

    def __init__(self, status, code, message):
        super().__init__(code, message)
        self.code = status
        self.description = json.dumps({"Message": message})
