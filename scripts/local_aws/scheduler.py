"""EventBridge Scheduler as Scheduler behaves: ClientToken idempotency, the
409 of ConflictException, a missing schedule group, and UpdateSchedule's
ActionAfterCompletion.

What moto 5.x does differently (moto/scheduler/models.py and responses.py),
and what this module does instead; EMBEDDED-AWS.md gives the evidence:

- CreateSchedule, UpdateSchedule and DeleteSchedule ignore `ClientToken`
  ("The ClientToken parameter is not yet implemented"), so the SDK's resend
  of a CreateSchedule whose answer was lost is refused as a conflict with
  the schedule the first send made. Here a request that repeats a token
  within the idempotency window gets the first answer again; the same token
  with another request is a ConflictException.
- `ScheduleExists` (ConflictException) is sent with status 400; Scheduler
  sends 409.
- CreateSchedule in a group that does not exist fails with a KeyError (a
  500); Scheduler answers 404 ResourceNotFoundException.
- UpdateSchedule does not read `ActionAfterCompletion`, so an update that
  changes it leaves the old value, and it stores a `State` left out as
  null. Scheduler sets every field the request leaves out to its default
  ("NONE", "ENABLED").
"""

import json
import threading
import time

from moto.scheduler import exceptions as moto_exceptions
from moto.scheduler import responses as moto_responses

from ._patch import SchedulerError, replace, require

# Scheduler documents no window for its tokens; eight hours is the window
# the AWS services that document one give (Verified Permissions, Directory
# Service Data), and far longer than any test or apply.
IDEMPOTENCY_WINDOW_SECONDS = 8 * 3600

_LOCK = threading.Lock()


def _fingerprint(operation, response):
    """What makes two requests "the same request", the token left out."""
    try:
        body = json.loads(response.body) if response.body else {}
    except (TypeError, ValueError):
        body = {"raw": str(response.body)}
    if isinstance(body, dict):
        body.pop("ClientToken", None)
    query = {
        key: values
        for key, values in sorted(response.querystring.items())
        if key.lower() != "clienttoken"
    }
    path = response.uri.split("?")[0]
    return json.dumps([operation, response.method, path, query, body], sort_keys=True)


def _token(response):
    token = response._get_param("ClientToken")
    if token:
        return token
    values = response.querystring.get("clientToken") or response.querystring.get("ClientToken")
    return values[0] if values else None


def idempotent(operation, handler):
    """`handler` with Scheduler's idempotency: a successful answer is kept
    by token, per account and region, and given again to the same request."""

    def call(response):
        token = _token(response)
        if not token:
            return handler(response)
        backend = response.scheduler_backend
        fingerprint = _fingerprint(operation, response)
        with _LOCK:
            answers = backend.__dict__.setdefault("_local_aws_tokens", {})
            now = time.monotonic()
            for key in [k for k, v in answers.items() if now - v[2] > IDEMPOTENCY_WINDOW_SECONDS]:
                del answers[key]
            kept = answers.get(token)
            if kept is not None:
                if kept[0] != fingerprint:
                    raise SchedulerError(
                        409,
                        "ConflictException",
                        f"The client token {token} was used with a different request.",
                    )
                return kept[1]
            answer = handler(response)
            answers[token] = (fingerprint, answer, now)
            return answer

    return call


def _create_schedule(original):
    def create_schedule(self):
        group = self._get_param("GroupName")
        # Raises ResourceNotFoundException ("Schedule group x does not
        # exist.") for a missing group, where moto's create would KeyError.
        self.scheduler_backend.get_schedule_group(group)
        return original(self)

    return idempotent("CreateSchedule", create_schedule)


def _update_schedule(original):
    def update_schedule(self):
        answer = original(self)
        group = self._get_param("GroupName")
        name = self.uri.split("?")[0].split("/")[-1]
        schedule = self.scheduler_backend.get_schedule(group, name)
        # "if you do not set an optional field in your request, that field
        # will be set to its system-default value" (UpdateSchedule).
        schedule.action_after_completion = self._get_param("ActionAfterCompletion") or "NONE"
        schedule.state = self._get_param("State") or "ENABLED"
        return answer

    return idempotent("UpdateSchedule", update_schedule)


def _delete_schedule(original):
    return idempotent("DeleteSchedule", original)


def install():
    require(moto_responses.EventBridgeSchedulerResponse, "scheduler_backend")
    require(moto_responses.EventBridgeSchedulerResponse, "_get_param")
    replace(moto_responses.EventBridgeSchedulerResponse, "create_schedule", _create_schedule)
    replace(moto_responses.EventBridgeSchedulerResponse, "update_schedule", _update_schedule)
    replace(moto_responses.EventBridgeSchedulerResponse, "delete_schedule", _delete_schedule)
    # Scheduler's ConflictException is a 409 (CreateSchedule API reference,
    # Errors); moto's class keeps JsonRESTError's 400.
    require(moto_exceptions, "ScheduleExists").code = 409
