"""Target of the one-time schedules: POST the schedule's payload to its URL.

The event is the schedule's input, as app/schedule_once.py writes it:
{"url": "https://...", "payload": <any JSON>, "scheduled_time": "..."}
(Scheduler replaces <aws.scheduler.scheduled-time> with the time the
schedule was due). Standard library only, so the zip holds this one file.
"""

import json
import urllib.error
import urllib.parse
import urllib.request

TIMEOUT_SECONDS = 10


def handler(event, context):
    url = event.get("url")
    if not isinstance(url, str) or urllib.parse.urlsplit(url).scheme not in ("http", "https"):
        # urlopen would also follow file:// and ftp://: never let an input
        # read the function's own files.
        raise ValueError(f"url must be an http or https URL, got {url!r}")
    headers = {"Content-Type": "application/json"}
    scheduled_time = event.get("scheduled_time")
    if isinstance(scheduled_time, str):
        headers["X-Scheduled-Time"] = scheduled_time
    request = urllib.request.Request(
        url,
        data=json.dumps(event.get("payload")).encode("utf-8"),
        headers=headers,
        method="POST",
    )
    # An HTTP error status or an unreachable URL raises: the invocation fails,
    # and Lambda's retries for asynchronous invocations (Scheduler's kind) apply.
    with urllib.request.urlopen(request, timeout=TIMEOUT_SECONDS) as response:
        status = response.status
    print(json.dumps({"url": url, "status": status, "scheduled_time": scheduled_time}))
    return {"status": status}
