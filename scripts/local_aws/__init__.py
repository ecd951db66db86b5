"""local-aws: moto, corrected where it differs from AWS in what lambdawire
calls, in moto's own process.

`install()` applies every correction; `python -m local_aws` applies them and
serves moto (see __main__.py, and scripts/local-aws for users). Each module
names the moto behaviour it replaces; EMBEDDED-AWS.md at the repository root
lists every difference with its evidence.

This package changes moto only through `_patch.replace`, which refuses to
start when a symbol it corrects is missing, so a moto upgrade cannot drop a
correction without a word.
"""

from . import event_sources, lambda_policy, lambda_versions, s3_notifications, scheduler, sns
from ._patch import MotoChanged

__all__ = ["install", "MotoChanged", "moto_version"]

_installed = False


def moto_version():
    import moto

    return getattr(moto, "__version__", "?")


def install():
    """Apply every correction, once per process."""
    global _installed
    if _installed:
        return
    major = moto_version().split(".")[0]
    if major != "5":
        raise MotoChanged(
            f"local-aws corrects moto 5.x and found moto {moto_version()}: "
            "install moto[server] 5.x (scripts/setup does)"
        )
    lambda_policy.install()
    lambda_versions.install()
    scheduler.install()
    event_sources.install()
    sns.install()
    s3_notifications.install()
    _installed = True
