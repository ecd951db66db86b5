"""Helpers for scripts/bench: seed moto, run one implementation, print the table.

scripts/bench owns the temporary directory and the moto processes (so its
trap can clean them up); this file does the measuring.

  bench.py lambda URL                        create the target function, print its ARN
  bench.py run --impl lambdawire|aws ...     apply / plan / destroy, write a JSON result
  bench.py table RESULT.json...              print the side-by-side table
"""

import argparse
import io
import json
import os
import re
import signal
import statistics
import subprocess
import sys
import threading
import time
import zipfile

REGION = "us-east-1"
PLUGIN_COOKIE = "d602bf8f470bc67ca7faa0386276bbdd4330efaf76d1a219cb4d6991ca9872b2"
SAMPLE_SECONDS = 0.05
# One werkzeug access-log line per request moto served.
REQUEST_LINE = re.compile(r'"[A-Z]+ \S+ HTTP/1\.[01]" \d{3}')

# Process groups of the terraform commands in flight, killed if we are stopped.
_running = []


def _stop(signum, _frame):
    for proc in list(_running):
        _kill_group(proc)
    sys.exit(128 + signum)


def _kill_group(proc):
    try:
        os.killpg(proc.pid, signal.SIGTERM)
        proc.wait(timeout=5)
    except (ProcessLookupError, subprocess.TimeoutExpired):
        try:
            os.killpg(proc.pid, signal.SIGKILL)
        except ProcessLookupError:
            pass


# ---------------------------------------------------------------- moto seeding


def boto_session():
    import boto3

    return boto3.session.Session(
        aws_access_key_id="testing",
        aws_secret_access_key="testing",
        region_name=REGION,
    )


def handler_zip():
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("index.py", "def handler(event, context):\n    return event\n")
    return buffer.getvalue()


def cmd_lambda(args):
    session = boto_session()
    iam = session.client("iam", endpoint_url=args.url)
    lam = session.client("lambda", endpoint_url=args.url)
    trust = {
        "Version": "2012-10-17",
        "Statement": [
            {
                "Effect": "Allow",
                "Principal": {"Service": "lambda.amazonaws.com"},
                "Action": "sts:AssumeRole",
            }
        ],
    }
    role = iam.create_role(RoleName="bench-target-exec", AssumeRolePolicyDocument=json.dumps(trust))
    function = lam.create_function(
        FunctionName="bench-target",
        Runtime="python3.12",
        Role=role["Role"]["Arn"],
        Handler="index.handler",
        Code={"ZipFile": handler_zip()},
    )
    print(function["FunctionArn"])


def aws_inventory(url):
    """Schedules and roles in moto, other than the target function's own role."""
    session = boto_session()
    scheduler = session.client("scheduler", endpoint_url=url)
    iam = session.client("iam", endpoint_url=url)
    schedules = 0
    for page in scheduler.get_paginator("list_schedules").paginate():
        schedules += len(page["Schedules"])
    roles = 0
    for page in iam.get_paginator("list_roles").paginate():
        roles += sum(1 for r in page["Roles"] if r["RoleName"] != "bench-target-exec")
    return schedules, roles


# ---------------------------------------------------------------- configurations


LAMBDAWIRE_TF = """\
terraform {
  required_providers {
    lambdawire = { source = "lambdawire/lambdawire" }
  }
}

provider "lambdawire" {
  region = "us-east-1"
  endpoints {
    iam       = "@URL@"
    lambda    = "@URL@"
    scheduler = "@URL@"
    sts       = "@URL@"
  }
}

locals {
  function_arn = "@FN@"
}

resource "lambdawire_scheduled_lambda_invoker" "job" {
  count               = @N@
  name                = "job-${count.index}"
  function_arn        = local.function_arn
  schedule_expression = "rate(1 hour)"
  input               = jsonencode({ job = count.index })
}
"""

# What lambdawire creates per schedule, spelled out with hashicorp/aws: the same
# trust policy (scheduler.amazonaws.com, aws:SourceAccount and the schedule
# group's aws:SourceArn), the same inline policy, the same schedule.
AWS_TF = """\
terraform {
  required_providers {
    aws = { source = "hashicorp/aws", version = "@AWS_VERSION@" }
  }
}

provider "aws" {
  region                      = "us-east-1"
  access_key                  = "testing"
  secret_key                  = "testing"
  skip_credentials_validation = true
  skip_requesting_account_id  = true
  skip_metadata_api_check     = true
  skip_region_validation      = true
  endpoints {
    iam       = "@URL@"
    lambda    = "@URL@"
    scheduler = "@URL@"
    sts       = "@URL@"
  }
}

locals {
  function_arn = "@FN@"
  account_id   = split(":", local.function_arn)[4]
  group_arn    = "arn:aws:scheduler:us-east-1:${local.account_id}:schedule-group/default"
}

resource "aws_iam_role" "job" {
  count = @N@
  name  = "job-${count.index}-scheduler"
  assume_role_policy = jsonencode({
    Version = "2012-10-17"
    Statement = [{
      Effect    = "Allow"
      Principal = { Service = "scheduler.amazonaws.com" }
      Action    = "sts:AssumeRole"
      Condition = {
        StringEquals = { "aws:SourceAccount" = local.account_id }
        ArnEquals    = { "aws:SourceArn" = local.group_arn }
      }
    }]
  })
}

resource "aws_iam_role_policy" "job" {
  count = @N@
  name  = "invoke-function"
  role  = aws_iam_role.job[count.index].id
  policy = jsonencode({
    Version = "2012-10-17"
    Statement = [{
      Effect   = "Allow"
      Action   = "lambda:InvokeFunction"
      Resource = [local.function_arn, "${local.function_arn}:*"]
    }]
  })
}

resource "aws_scheduler_schedule" "job" {
  count               = @N@
  name                = "job-${count.index}"
  schedule_expression = "rate(1 hour)"
  flexible_time_window {
    mode = "OFF"
  }
  target {
    arn      = local.function_arn
    role_arn = aws_iam_role.job[count.index].arn
    input    = jsonencode({ job = count.index })
  }
  # The schedule must not exist before its role may invoke the function,
  # the order lambdawire keeps inside one resource.
  depends_on = [aws_iam_role_policy.job]
}
"""


def cli_config(lambdawire_dir, mirror):
    return f"""\
provider_installation {{
  dev_overrides {{
    "lambdawire/lambdawire" = "{lambdawire_dir}"
  }}
  filesystem_mirror {{
    path    = "{mirror}"
    include = ["registry.terraform.io/hashicorp/aws"]
  }}
  direct {{
    exclude = ["registry.terraform.io/hashicorp/aws"]
  }}
}}
"""


# ---------------------------------------------------------------- measuring


def _stat(pid):
    """(comm, ppid) of a process, or None when it is gone."""
    try:
        with open(f"/proc/{pid}/stat") as f:
            text = f.read()
    except OSError:
        return None
    close = text.rindex(")")
    return text[text.index("(") + 1 : close], int(text[close + 2 :].split()[1])


def _descends_from(pid, root):
    for _ in range(8):
        info = _stat(pid)
        if info is None:
            return False
        pid = info[1]
        if pid == root:
            return True
        if pid <= 1:
            return False
    return False


def _vm_hwm_kb(pid):
    try:
        with open(f"/proc/{pid}/status") as f:
            for line in f:
                if line.startswith("VmHWM:"):
                    return int(line.split()[1])
    except OSError:
        pass
    return None


class RssSampler(threading.Thread):
    """Every 50 ms, the VmHWM of each provider plugin started under `root`."""

    def __init__(self, root):
        super().__init__(daemon=True)
        self.root = root
        self.peaks = {}  # pid -> VmHWM in kB
        self.done = threading.Event()

    def run(self):
        while not self.done.is_set():
            self.sample()
            self.done.wait(SAMPLE_SECONDS)

    def sample(self):
        for entry in os.listdir("/proc"):
            if not entry.isdigit():
                continue
            pid = int(entry)
            if pid not in self.peaks:
                info = _stat(pid)
                # comm is cut to 15 characters; the executable tells for sure.
                if info is None or not info[0].startswith("terraform-provi"):
                    continue
                try:
                    exe = os.path.basename(os.readlink(f"/proc/{pid}/exe"))
                except OSError:
                    continue
                if not exe.startswith("terraform-provider-") or not _descends_from(pid, self.root):
                    continue
                self.peaks[pid] = 0
            hwm = _vm_hwm_kb(pid)
            if hwm is not None and hwm > self.peaks[pid]:
                self.peaks[pid] = hwm

    def stop(self):
        self.done.set()
        self.join()


def count_requests(moto_log):
    try:
        with open(moto_log, errors="replace") as f:
            return sum(1 for line in f if REQUEST_LINE.search(line))
    except OSError:
        return 0


def terraform(args, cwd, env, log_path):
    """Run terraform; return (exit code, wall seconds, per-plugin peak kB)."""
    with open(log_path, "wb") as log:
        start = time.monotonic()
        proc = subprocess.Popen(
            ["terraform", *args],
            cwd=cwd,
            env=env,
            stdin=subprocess.DEVNULL,
            stdout=log,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )
        _running.append(proc)
        sampler = RssSampler(proc.pid)
        sampler.start()
        try:
            code = proc.wait()
        finally:
            wall = time.monotonic() - start
            sampler.stop()
            _running.remove(proc)
    return code, wall, sorted(sampler.peaks.values())


def handshake_ms(binary, protocol, tmpdir, runs=5):
    """Time from exec to the go-plugin handshake line on stdout, median of runs."""
    env = {
        "PATH": os.environ.get("PATH", "/usr/bin:/bin"),
        "HOME": os.environ.get("HOME", "/"),
        "TMPDIR": tmpdir,
        "TF_PLUGIN_MAGIC_COOKIE": PLUGIN_COOKIE,
        "PLUGIN_PROTOCOL_VERSIONS": str(protocol),
        "PLUGIN_MIN_PORT": "10000",
        "PLUGIN_MAX_PORT": "25000",
    }
    times = []
    for _ in range(runs):
        start = time.monotonic()
        proc = subprocess.Popen(
            [binary],
            env=env,
            stdin=subprocess.DEVNULL,
            stdout=subprocess.PIPE,
            stderr=subprocess.DEVNULL,
            start_new_session=True,
        )
        _running.append(proc)
        try:
            while True:
                line = proc.stdout.readline()
                if not line:
                    raise RuntimeError(f"{binary} exited without a handshake")
                if re.match(rb"^\d+\|\d+\|(tcp|unix)\|", line):
                    times.append((time.monotonic() - start) * 1000)
                    break
        finally:
            _kill_group(proc)
            proc.stdout.close()
            _running.remove(proc)
    return statistics.median(times)


def tail(path, lines=25):
    with open(path, errors="replace") as f:
        return "".join(f.readlines()[-lines:])


def cmd_run(args):
    signal.signal(signal.SIGTERM, _stop)
    os.makedirs(args.dir, exist_ok=True)
    tmpdir = os.path.join(args.dir, "tmp")
    os.makedirs(tmpdir, exist_ok=True)

    rc_path = os.path.join(args.dir, "terraform.rc")
    with open(rc_path, "w") as f:
        f.write(cli_config(os.path.dirname(args.lambdawire_bin), args.mirror))

    if args.impl == "lambdawire":
        text = LAMBDAWIRE_TF
        binary, protocol, blocks = args.lambdawire_bin, 6, args.n
    else:
        text = AWS_TF.replace("@AWS_VERSION@", args.aws_version)
        binary, protocol, blocks = args.aws_bin, 5, 3 * args.n
    text = text.replace("@URL@", args.url).replace("@FN@", args.function_arn).replace("@N@", str(args.n))
    with open(os.path.join(args.dir, "main.tf"), "w") as f:
        f.write(text)

    # Only what this run sets reaches terraform: no stray profile or endpoint.
    env = {k: v for k, v in os.environ.items() if not k.startswith(("AWS_", "TF_"))}
    env.update(
        TF_CLI_CONFIG_FILE=rc_path,
        TF_IN_AUTOMATION="1",
        CHECKPOINT_DISABLE="1",
        AWS_ACCESS_KEY_ID="testing",
        AWS_SECRET_ACCESS_KEY="testing",
        AWS_REGION=REGION,
        AWS_EC2_METADATA_DISABLED="true",
        TMPDIR=tmpdir,
    )

    result = {
        "impl": args.impl,
        "n": args.n,
        "parallelism": args.parallelism,
        "resource_blocks": blocks,
        "binary": binary,
        "steps": {},
        "errors": [],
    }

    def fail(message, log=None):
        if log:
            message += "\n" + tail(log)
        result["errors"].append(message)

    if args.impl == "aws":
        log = os.path.join(args.dir, "init.log")
        code, wall, _ = terraform(["init", "-input=false", "-no-color"], args.dir, env, log)
        result["init_seconds"] = wall
        if code != 0:
            fail(f"terraform init failed (exit {code})", log)

    p = f"-parallelism={args.parallelism}"
    steps = [
        ("apply", ["apply", "-auto-approve", "-input=false", "-no-color", p]),
        ("plan", ["plan", "-detailed-exitcode", "-input=false", "-no-color", p]),
        ("destroy", ["destroy", "-auto-approve", "-input=false", "-no-color", p]),
    ]
    for name, tf_args in steps:
        if result["errors"] and name != "destroy":
            continue
        log = os.path.join(args.dir, f"{name}.log")
        before = count_requests(args.moto_log)
        code, wall, peaks = terraform(tf_args, args.dir, env, log)
        step = {
            "exit": code,
            "seconds": wall,
            "peak_rss_kb": max(peaks, default=None),
            "plugin_processes": len(peaks),
            "requests": count_requests(args.moto_log) - before,
        }
        result["steps"][name] = step
        if name == "plan" and code == 2:
            summary = re.findall(r"^Plan: .*$", open(log, errors="replace").read(), re.M)
            step["changes"] = summary[0] if summary else "changes planned"
            fail(f"second plan is not empty: {step['changes']}", log)
        elif code != 0:
            fail(f"terraform {name} failed (exit {code})", log)
        try:
            step["schedules_after"], step["roles_after"] = aws_inventory(args.url)
        except Exception as error:  # the figures stand without the check
            step["inventory_error"] = str(error)
        expected = 0 if name == "destroy" else args.n
        if step.get("schedules_after", expected) != expected or step.get("roles_after", expected) != expected:
            fail(
                f"after {name}: moto holds {step['schedules_after']} schedules and "
                f"{step['roles_after']} roles, expected {expected} of each"
            )

    try:
        result["handshake_ms"] = handshake_ms(binary, protocol, tmpdir)
    except Exception as error:
        fail(f"handshake timing: {error}")

    with open(args.out, "w") as f:
        json.dump(result, f, indent=1)


# ---------------------------------------------------------------- report


def cmd_table(args):
    results = []
    for path in args.results:
        with open(path) as f:
            results.append(json.load(f))
    names = {"lambdawire": "lambdawire", "aws": "hashicorp/aws"}

    def step_cell(result, step, key, fmt):
        s = result["steps"].get(step)
        if s is None or s.get(key) is None:
            return "-"
        cell = fmt(s[key])
        if s["exit"] not in (0,) and not (step == "plan" and s["exit"] == 2):
            cell += " FAILED"
        if step == "plan" and s["exit"] == 2:
            cell += " (CHANGES)"
        return cell

    def mb(kb):
        return f"{kb / 1024:.0f} MB"

    rows = [
        ("apply (s)", lambda r: step_cell(r, "apply", "seconds", lambda v: f"{v:.2f}")),
        ("plan, no change (s)", lambda r: step_cell(r, "plan", "seconds", lambda v: f"{v:.2f}")),
        ("destroy (s)", lambda r: step_cell(r, "destroy", "seconds", lambda v: f"{v:.2f}")),
        (
            "peak provider RSS",
            lambda r: mb(max(s["peak_rss_kb"] for s in r["steps"].values() if s.get("peak_rss_kb")))
            if any(s.get("peak_rss_kb") for s in r["steps"].values())
            else "-",
        ),
        (
            "  apply/plan/destroy",
            lambda r: "/".join(
                f"{r['steps'][k]['peak_rss_kb'] / 1024:.0f}"
                if k in r["steps"] and r["steps"][k].get("peak_rss_kb")
                else "-"
                for k in ("apply", "plan", "destroy")
            )
            + " MB",
        ),
        (
            "plugin start-up",
            lambda r: f"{r['handshake_ms']:.0f} ms" if r.get("handshake_ms") is not None else "-",
        ),
        (
            "API calls a/p/d",
            lambda r: "/".join(
                str(r["steps"][k]["requests"]) if k in r["steps"] else "-"
                for k in ("apply", "plan", "destroy")
            ),
        ),
        ("resource blocks", lambda r: str(r["resource_blocks"])),
    ]
    width = 22
    col = 18
    print(f"{'step':<{width}}" + "".join(f"{names[r['impl']]:<{col}}" for r in results).rstrip())
    for label, cell in rows:
        print(f"{label:<{width}}" + "".join(f"{cell(r):<{col}}" for r in results).rstrip())

    first = results[0]
    print()
    print(f"N = {first['n']} schedules, -parallelism={first['parallelism']}, a fresh moto per implementation")
    print("plugin start-up: exec to go-plugin handshake line on stdout, median of 5 warm runs, no terraform")
    print("peak RSS: VmHWM of the largest terraform-provider-* process, sampled every 50 ms")
    print("API calls: requests in moto's access log during the step (retries included)")
    for r in results:
        if r.get("init_seconds") is not None:
            print(f"{names[r['impl']]}: terraform init {r['init_seconds']:.2f} s (not in the table)")
    failed = False
    for r in results:
        for error in r["errors"]:
            failed = True
            print(f"\n{names[r['impl']]}: {error}", file=sys.stderr)
    sys.exit(1 if failed else 0)


def main():
    parser = argparse.ArgumentParser(description=__doc__)
    sub = parser.add_subparsers(dest="command", required=True)
    p = sub.add_parser("lambda")
    p.add_argument("url")
    p.set_defaults(func=cmd_lambda)
    p = sub.add_parser("run")
    p.add_argument("--impl", choices=["lambdawire", "aws"], required=True)
    p.add_argument("--n", type=int, required=True)
    p.add_argument("--parallelism", type=int, required=True)
    p.add_argument("--dir", required=True)
    p.add_argument("--url", required=True)
    p.add_argument("--moto-log", required=True)
    p.add_argument("--function-arn", required=True)
    p.add_argument("--lambdawire-bin", required=True)
    p.add_argument("--mirror", required=True)
    p.add_argument("--aws-bin", default="")
    p.add_argument("--aws-version", default="")
    p.add_argument("--out", required=True)
    p.set_defaults(func=cmd_run)
    p = sub.add_parser("table")
    p.add_argument("results", nargs="+")
    p.set_defaults(func=cmd_table)
    args = parser.parse_args()
    args.func(args)


if __name__ == "__main__":
    main()
