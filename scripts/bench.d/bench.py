"""The measuring half of scripts/bench (which checks prerequisites, picks the
provider binary and runs `bench.py all`).

For each N it runs, in one process and interleaved per repetition:
  (a) hashicorp/aws doing the job: role + inline policy + schedule + permission
  (b) lambdawire: N invokers + N permissions on one function
  (c) terraform_data only, with as many resource instances: Terraform's floor
  (d) the API floor: the calls (b) makes per phase, sent with boto3 at the
      same concurrency, without Terraform
each of (a), (b) and (d) against a fresh moto, through apply, a no-change plan
and destroy. Before the repetitions, one untimed census run of (b) with the
provider's debug log records each call (operation and status) per phase:
the call counts reported per resource, and what (d) checks that it matched.
"""

import argparse
import concurrent.futures
import io
import json
import os
import platform
import re
import resource
import shutil
import signal
import statistics
import subprocess
import sys
import tempfile
import threading
import time
import zipfile
from collections import Counter

REGION = "us-east-1"
PLUGIN_COOKIE = "d602bf8f470bc67ca7faa0386276bbdd4330efaf76d1a219cb4d6991ca9872b2"
SAMPLE_SECONDS = 0.05
PHASES = ("apply", "plan", "destroy")
PHASE_NAMES = {"apply": "apply", "plan": "no-change plan", "destroy": "destroy"}
IMPLS = ("aws", "lambdawire", "tfdata", "floor")
IMPL_NAMES = {
    "aws": "(a) hashicorp/aws",
    "lambdawire": "(b) lambdawire",
    "tfdata": "(c) terraform_data",
    "floor": "(d) API floor",
}
# N at or above which the invokers share SHARED_ROLES scheduler roles (IAM's
# default quota is 1,000 roles per account) and -parallelism is 50.
LARGE_N = 1000
SHARED_ROLES = 4
# One werkzeug access-log line per request moto served, with its status.
REQUEST_LINE = re.compile(r'"[A-Z]+ \S+ HTTP/1\.[01]" (\d{3})')
MIB = 1024 * 1024

# Processes started here (moto, terraform), killed if we are stopped.
_running = []


def _stop(signum, _frame):
    raise KeyboardInterrupt(f"signal {signum}")


def _kill_group(proc):
    try:
        os.killpg(proc.pid, signal.SIGTERM)
        proc.wait(timeout=5)
    except (ProcessLookupError, PermissionError):
        pass
    except subprocess.TimeoutExpired:
        try:
            os.killpg(proc.pid, signal.SIGKILL)
            proc.wait(timeout=5)
        except (ProcessLookupError, subprocess.TimeoutExpired):
            pass


def log(message):
    print(f"bench: {message}", file=sys.stderr, flush=True)


# ---------------------------------------------------------------- moto


# scripts/, where the local_aws package lives.
SCRIPTS = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))


class Moto:
    """The embedded AWS (moto with the layer in scripts/local_aws, the AWS
    the tests and the demo use) on a port of its choosing, its access log
    in a file."""

    def __init__(self, log_path):
        self.log_path = log_path
        self.log_file = open(log_path, "wb")
        env = dict(os.environ)
        env["PYTHONPATH"] = SCRIPTS + (os.pathsep + env["PYTHONPATH"] if env.get("PYTHONPATH") else "")
        self.proc = subprocess.Popen(
            [sys.executable, "-m", "local_aws", "--host", "127.0.0.1", "--port", "0"],
            stdin=subprocess.DEVNULL,
            stdout=subprocess.DEVNULL,
            stderr=self.log_file,
            start_new_session=True,
            env=env,
        )
        _running.append(self.proc)
        self.url = None
        deadline = time.monotonic() + 60
        while self.url is None:
            with open(log_path, errors="replace") as f:
                found = re.search(r"local-aws: listening on (http://127\.0\.0\.1:\d+)", f.read())
            if found:
                self.url = found.group(1)
            elif self.proc.poll() is not None or time.monotonic() > deadline:
                self.stop()
                raise RuntimeError(f"local-aws did not start:\n{tail(log_path)}")
            else:
                time.sleep(0.05)
        import urllib.request

        while True:
            try:
                urllib.request.urlopen(self.url + "/moto-api/", timeout=2).close()
                break
            except OSError:
                if time.monotonic() > deadline:
                    self.stop()
                    raise RuntimeError(f"moto did not answer on {self.url}")
                time.sleep(0.05)
        self.seeded = self.requests()[0]

    def requests(self):
        """(requests served, of which answered 4xx) so far."""
        total = refused = 0
        with open(self.log_path, errors="replace") as f:
            for line in f:
                m = REQUEST_LINE.search(line)
                if m:
                    total += 1
                    refused += m.group(1).startswith("4")
        return total, refused

    def stop(self):
        _kill_group(self.proc)
        if self.proc in _running:
            _running.remove(self.proc)
        self.log_file.close()


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


def seed(url):
    """The target function (and its execution role); its ARN."""
    session = boto_session()
    iam = session.client("iam", endpoint_url=url)
    lam = session.client("lambda", endpoint_url=url)
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
    return function["FunctionArn"]


def inventory(url):
    """(schedules, roles other than the function's, statements) in moto."""
    session = boto_session()
    scheduler = session.client("scheduler", endpoint_url=url)
    iam = session.client("iam", endpoint_url=url)
    lam = session.client("lambda", endpoint_url=url)
    schedules = sum(len(p["Schedules"]) for p in scheduler.get_paginator("list_schedules").paginate())
    roles = sum(
        sum(1 for r in p["Roles"] if r["RoleName"] != "bench-target-exec")
        for p in iam.get_paginator("list_roles").paginate()
    )
    try:
        statements = len(json.loads(lam.get_policy(FunctionName="bench-target")["Policy"])["Statement"])
    except lam.exceptions.ResourceNotFoundException:
        statements = 0
    return schedules, roles, statements


# ---------------------------------------------------------------- configurations

LAMBDAWIRE_PROVIDER = """\
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
"""

LAMBDAWIRE_JOB = """
resource "lambdawire_scheduled_lambda_invoker" "job" {
  count               = @N@
  name                = "job-${count.index}"
  function_arn        = local.function_arn
  schedule_expression = "rate(1 hour)"
  input               = jsonencode({ job = count.index })@EXISTING_ROLE@
}

resource "lambdawire_lambda_invoke_permission" "job" {
  count         = @N@
  function_name = local.function_name
  statement_id  = "job-${count.index}"
  source_arn    = "arn:aws:sns:us-east-1:${local.account_id}:job-${count.index}"
}
"""

LAMBDAWIRE_SHARED = """
resource "lambdawire_scheduler_invoke_role" "shared" {
  count         = @ROLES@
  function_arns = [local.function_arn]
  role {
    name = "bench-shared-${count.index}"
  }
}
"""

LOCALS = """
locals {
  function_arn  = "@FN@"
  function_name = split(":", local.function_arn)[6]
  account_id    = split(":", local.function_arn)[4]
  group_arn     = "arn:aws:scheduler:us-east-1:${local.account_id}:schedule-group/default"
}
"""

AWS_PROVIDER = """\
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
"""

# What lambdawire creates, spelled out with hashicorp/aws: the same trust
# policy (scheduler.amazonaws.com, aws:SourceAccount and the schedule group's
# aws:SourceArn), the same inline policy, the same schedule and statement.
AWS_ROLES = """
resource "aws_iam_role" "job" {
  count = @ROLES@
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
  count = @ROLES@
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
"""

AWS_JOB = """
resource "aws_scheduler_schedule" "job" {
  count               = @N@
  name                = "job-${count.index}"
  schedule_expression = "rate(1 hour)"
  flexible_time_window {
    mode = "OFF"
  }
  target {
    arn      = local.function_arn
    role_arn = aws_iam_role.job[count.index % @ROLES@].arn
    input    = jsonencode({ job = count.index })
  }
  # The schedule must not exist before its role may invoke the function,
  # the order lambdawire keeps inside one resource.
  depends_on = [aws_iam_role_policy.job]
}

resource "aws_lambda_permission" "job" {
  count         = @N@
  function_name = local.function_name
  statement_id  = "job-${count.index}"
  action        = "lambda:InvokeFunction"
  principal     = "sns.amazonaws.com"
  source_arn    = "arn:aws:sns:us-east-1:${local.account_id}:job-${count.index}"
}
"""

# As many resource instances as (b), with comparable inputs, so Terraform
# core does the same graph work with no provider and no AWS.
TFDATA = """
resource "terraform_data" "job" {
  count = @N@
  input = {
    name                = "job-${count.index}"
    function_arn        = local.function_arn
    schedule_expression = "rate(1 hour)"
    input               = jsonencode({ job = count.index })@TFDATA_ROLE@
  }
}

resource "terraform_data" "permission" {
  count = @N@
  input = {
    function_name = local.function_name
    statement_id  = "job-${count.index}"
    source_arn    = "arn:aws:sns:us-east-1:${local.account_id}:job-${count.index}"
  }
}
"""

TFDATA_SHARED = """
resource "terraform_data" "shared" {
  count = @ROLES@
  input = {
    function_arns = [local.function_arn]
    name          = "bench-shared-${count.index}"
  }
}
"""

# moto's default account: (c) runs without moto, and its locals need an ARN.
TFDATA_FUNCTION_ARN = "arn:aws:lambda:us-east-1:123456789012:function:bench-target"


def configuration(impl, n, url, function_arn, aws_version):
    shared = n >= LARGE_N
    roles = SHARED_ROLES if shared else n
    if impl == "lambdawire":
        text = LAMBDAWIRE_PROVIDER + LOCALS + (LAMBDAWIRE_SHARED if shared else "") + LAMBDAWIRE_JOB
        existing = (
            f"\n  existing_role_arn   = lambdawire_scheduler_invoke_role.shared[count.index % {SHARED_ROLES}].arn"
            if shared
            else ""
        )
        text = text.replace("@EXISTING_ROLE@", existing)
    elif impl == "aws":
        text = AWS_PROVIDER.replace("@AWS_VERSION@", aws_version) + LOCALS + AWS_ROLES + AWS_JOB
    else:
        text = LOCALS + (TFDATA_SHARED if shared else "") + TFDATA
        role = (
            f"\n    role                = terraform_data.shared[count.index % {SHARED_ROLES}].id"
            if shared
            else ""
        )
        text = text.replace("@TFDATA_ROLE@", role)
    return (
        text.replace("@URL@", url or "")
        .replace("@FN@", function_arn)
        .replace("@ROLES@", str(roles))
        .replace("@N@", str(n))
    )


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


def _proc_stat(pid):
    """(comm, the fields after it) of /proc/PID/stat, or None when the
    process is gone. The fields start at the state: ppid is [1], utime
    [11] and stime [12], in clock ticks."""
    try:
        with open(f"/proc/{pid}/stat") as f:
            text = f.read()
    except OSError:
        return None
    close = text.rindex(")")
    return text[text.index("(") + 1 : close], text[close + 2 :].split()


def _stat(pid):
    """(comm, ppid) of a process, or None when it is gone."""
    stat = _proc_stat(pid)
    return stat and (stat[0], int(stat[1][1]))


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


def _cpu_seconds(pid):
    """User plus system CPU seconds a process has used so far, or None."""
    stat = _proc_stat(pid)
    return stat and (int(stat[1][11]) + int(stat[1][12])) / os.sysconf("SC_CLK_TCK")


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
    """Every 50 ms, the VmHWM and CPU time of each provider plugin started
    under `root` (the CPU time as last seen, up to 50 ms short)."""

    def __init__(self, root):
        super().__init__(daemon=True)
        self.root = root
        self.peaks = {}  # pid -> VmHWM in kB
        self.cpu = {}  # pid -> CPU seconds
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
            cpu = _cpu_seconds(pid)
            if cpu is not None:
                self.cpu[pid] = cpu

    def stop(self):
        self.done.set()
        self.join()


class LoadSampler(threading.Thread):
    """The 1-minute load average every 5 s, over the whole run."""

    def __init__(self):
        super().__init__(daemon=True)
        self.samples = []
        self.done = threading.Event()

    def run(self):
        while not self.done.is_set():
            self.samples.append(loadavg()[0])
            self.done.wait(5)

    def stop(self):
        self.done.set()
        self.join()


def loadavg():
    with open("/proc/loadavg") as f:
        return [float(x) for x in f.read().split()[:3]]


def terraform(args, cwd, env, log_path):
    """Run terraform; (exit code, wall seconds, peak kB of any provider, CPU
    seconds of the command with its provider processes and of those alone)."""
    with open(log_path, "wb") as out:
        before = resource.getrusage(resource.RUSAGE_CHILDREN)
        start = time.monotonic()
        proc = subprocess.Popen(
            ["terraform", *args],
            cwd=cwd,
            env=env,
            stdin=subprocess.DEVNULL,
            stdout=out,
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
    # Terraform waits for its provider processes, so the command's figure
    # holds theirs; nothing else is reaped while it runs.
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    cpu = {
        "command_s": (after.ru_utime + after.ru_stime) - (before.ru_utime + before.ru_stime),
        "provider_s": sum(sampler.cpu.values()),
    }
    return code, wall, max(sampler.peaks.values(), default=None), cpu


def client_certificate_pem():
    """A certificate like the one Terraform passes in PLUGIN_CLIENT_CERT for
    AutoMTLS (go-plugin makes an ECDSA P-521 one per start), so that start-up
    is timed with the TLS set-up every real start does."""
    import datetime

    from cryptography import x509
    from cryptography.hazmat.primitives import hashes, serialization
    from cryptography.hazmat.primitives.asymmetric import ec
    from cryptography.x509.oid import NameOID

    key = ec.generate_private_key(ec.SECP521R1())
    name = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, "localhost")])
    now = datetime.datetime.now(datetime.timezone.utc)
    cert = (
        x509.CertificateBuilder()
        .subject_name(name)
        .issuer_name(name)
        .public_key(key.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(now - datetime.timedelta(seconds=30))
        .not_valid_after(now + datetime.timedelta(hours=1))
        .add_extension(x509.BasicConstraints(ca=True, path_length=None), critical=True)
        .sign(key, hashes.SHA512())
    )
    return cert.public_bytes(serialization.Encoding.PEM).decode()


def handshake_ms(binary, protocol, tmpdir, runs):
    """Exec to the go-plugin handshake line on stdout, each of `runs` starts,
    with a client certificate as Terraform sends one."""
    env = {
        "PATH": os.environ.get("PATH", "/usr/bin:/bin"),
        "HOME": os.environ.get("HOME", "/"),
        "TMPDIR": tmpdir,
        "TF_PLUGIN_MAGIC_COOKIE": PLUGIN_COOKIE,
        "PLUGIN_PROTOCOL_VERSIONS": str(protocol),
        "PLUGIN_MIN_PORT": "10000",
        "PLUGIN_MAX_PORT": "25000",
        "PLUGIN_CLIENT_CERT": client_certificate_pem(),
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
    return times


def tail(path, lines=25):
    try:
        with open(path, errors="replace") as f:
            return "".join(f.readlines()[-lines:])
    except OSError:
        return ""


def census(log_path):
    """From a provider debug log: calls by `service:Operation`, those
    answered 4xx, and the provider processes configured."""
    calls, refused = Counter(), Counter()
    configured = 0
    field = re.compile(r'\b(service|operation|status)="?([^\s"]+)')
    with open(log_path, errors="replace") as f:
        for line in f:
            if "AWS call answered" in line:
                fields = dict(field.findall(line))
                # The SDK's service names (IAM, STS, Scheduler, Lambda), as
                # the floor and the acceptance tests spell them.
                op = f"{fields.get('service', '?').lower()}:{fields.get('operation', '?')}"
                calls[op] += 1
                if fields.get("status", "").startswith("4"):
                    refused[f"{op} {fields['status']}"] += 1
            elif "configuring provider" in line:
                configured += 1
    return {"calls": dict(sorted(calls.items())), "refused": dict(refused), "configured": configured}


class Bench:
    def __init__(self, args):
        self.args = args
        self.root = tempfile.mkdtemp(prefix="lambdawire-bench.")
        self.tmpdir = os.path.join(self.root, "tmp")
        os.makedirs(self.tmpdir)
        self.rc_path = os.path.join(self.root, "terraform.rc")
        with open(self.rc_path, "w") as f:
            f.write(cli_config(os.path.dirname(args.lambdawire_bin), args.mirror))

    def env(self, extra=None):
        # Only what this run sets reaches terraform: no stray profile or endpoint.
        env = {k: v for k, v in os.environ.items() if not k.startswith(("AWS_", "TF_"))}
        env.update(
            TF_CLI_CONFIG_FILE=self.rc_path,
            TF_IN_AUTOMATION="1",
            CHECKPOINT_DISABLE="1",
            AWS_ACCESS_KEY_ID="testing",
            AWS_SECRET_ACCESS_KEY="testing",
            AWS_REGION=REGION,
            AWS_EC2_METADATA_DISABLED="true",
            TMPDIR=self.tmpdir,
        )
        env.update(extra or {})
        return env

    def parallelism(self, n):
        if self.args.parallelism:
            return self.args.parallelism
        return 50 if n >= LARGE_N else 10

    def terraform_run(self, impl, n, dir, census_log=None):
        """apply / plan / destroy of one implementation in `dir`."""
        os.makedirs(dir, exist_ok=True)
        p = self.parallelism(n)
        result = {"impl": impl, "n": n, "parallelism": p, "phases": {}, "errors": []}
        moto = None
        try:
            if impl != "tfdata":
                moto = Moto(os.path.join(dir, "moto.log"))
                function_arn = seed(moto.url)
            else:
                function_arn = TFDATA_FUNCTION_ARN
            url = moto.url if moto else None
            with open(os.path.join(dir, "main.tf"), "w") as f:
                f.write(configuration(impl, n, url, function_arn, self.args.aws_version))
            extra = {}
            if census_log:
                extra = {"TF_LOG_PROVIDER": "DEBUG", "TF_LOG_PATH": census_log}
            env = self.env(extra)
            if impl == "aws":
                code, wall, _, _ = terraform(["init", "-input=false", "-no-color"], dir, env, os.path.join(dir, "init.log"))
                result["init_seconds"] = wall
                if code != 0:
                    result["errors"].append(f"terraform init failed (exit {code})\n" + tail(os.path.join(dir, "init.log")))
                    return result
            steps = {
                "apply": ["apply", "-auto-approve", "-input=false", "-no-color", f"-parallelism={p}"],
                "plan": ["plan", "-detailed-exitcode", "-input=false", "-no-color", f"-parallelism={p}"],
                "destroy": ["destroy", "-auto-approve", "-input=false", "-no-color", f"-parallelism={p}"],
            }
            for phase in PHASES:
                if result["errors"] and phase != "destroy":
                    continue
                log_path = os.path.join(dir, f"{phase}.log")
                if census_log and os.path.exists(census_log):
                    os.remove(census_log)
                before = moto.requests() if moto else (0, 0)
                code, wall, peak, cpu = terraform(steps[phase], dir, env, log_path)
                after = moto.requests() if moto else (0, 0)
                step = {
                    "exit": code,
                    "seconds": wall,
                    "peak_rss_kb": peak,
                    "cpu_command_s": cpu["command_s"],
                    "cpu_provider_s": cpu["provider_s"],
                    "requests": after[0] - before[0],
                    "refused": after[1] - before[1],
                }
                if census_log:
                    step["census"] = census(census_log) if os.path.exists(census_log) else None
                result["phases"][phase] = step
                failed = code != 0
                if phase == "plan" and code == 2:
                    summary = re.findall(r"^Plan: .*$", open(log_path, errors="replace").read(), re.M)
                    result["errors"].append(f"the plan after apply is not empty: {summary[:1]}")
                elif failed:
                    result["errors"].append(f"terraform {phase} failed (exit {code})\n" + tail(log_path))
                if moto and not failed:
                    self.check_inventory(result, phase, moto.url, n)
        except Exception as error:  # noqa: BLE001 - reported, the run goes on
            result["errors"].append(f"{type(error).__name__}: {error}")
        finally:
            if moto:
                moto.stop()
        return result

    def check_inventory(self, result, phase, url, n):
        shared = n >= LARGE_N
        want = (0, 0, 0) if phase == "destroy" else (n, SHARED_ROLES if shared else n, n)
        got = inventory(url)
        if got != want:
            result["errors"].append(
                f"after {phase}: moto holds {got[0]} schedules, {got[1]} roles and {got[2]} statements, "
                f"expected {want[0]}, {want[1]} and {want[2]}"
            )

    def floor_run(self, n, dir, census_phases):
        os.makedirs(dir, exist_ok=True)
        result = {"impl": "floor", "n": n, "parallelism": self.parallelism(n), "phases": {}, "errors": []}
        moto = None
        try:
            moto = Moto(os.path.join(dir, "moto.log"))
            function_arn = seed(moto.url)
            floor = Floor(moto.url, function_arn, n, self.parallelism(n), census_phases)
            for phase in PHASES:
                before = moto.requests()
                start = time.monotonic()
                issued = floor.run(phase)
                wall = time.monotonic() - start
                after = moto.requests()
                result["phases"][phase] = {
                    "exit": 0,
                    "seconds": wall,
                    "peak_rss_kb": None,
                    "requests": after[0] - before[0],
                    "refused": after[1] - before[1],
                    "calls": dict(sorted(issued.items())),
                }
                self.check_inventory(result, phase, moto.url, n)
        except Exception as error:  # noqa: BLE001
            result["errors"].append(f"{type(error).__name__}: {error}")
        finally:
            if moto:
                moto.stop()
        return result


# ---------------------------------------------------------------- the API floor


def is_read(op):
    return op.split(":", 1)[1].startswith(("Get", "List", "Describe"))


class Floor:
    """The calls lambdawire makes per phase, sent directly with boto3.

    The same concurrency: one worker per Terraform -parallelism slot, each
    taking one resource at a time; an invoker's three refresh reads run
    together, as lambdawire sends them; and every edit of the function's
    policy is serialised, as lambdawire (and Lambda, which refuses concurrent
    edits with ResourceConflictException) requires, while reads of it are not. The account lookups and
    the refresh's shared GetPolicy are as many as the census counted.
    """

    def __init__(self, url, function_arn, n, parallelism, census_phases):
        import botocore.config

        self.n = n
        self.parallelism = parallelism
        self.shared = n >= LARGE_N
        self.function_arn = function_arn
        self.function_name = function_arn.split(":")[6]
        self.account = function_arn.split(":")[4]
        self.census = census_phases or {}
        # lambdawire reads an added statement from AddPermission's answer;
        # a GetPolicy after each add only where its census saw them.
        self.reads_back_added = self.census_count("apply", "lambda:GetPolicy", n) >= n
        # Destroy looks at the policy before each remove; concurrent looks
        # share one GetPolicy in lambdawire, so send as many as it did.
        refresh_reads = self.census_count("plan", "lambda:GetPolicy", 1)
        self.destroy_looks = max(0, self.census_count("destroy", "lambda:GetPolicy", n + refresh_reads) - refresh_reads)
        session = boto_session()
        config = botocore.config.Config(max_pool_connections=3 * parallelism + 8)
        self.iam = session.client("iam", endpoint_url=url, config=config)
        self.sts = session.client("sts", endpoint_url=url, config=config)
        self.lam = session.client("lambda", endpoint_url=url, config=config)
        self.scheduler = session.client("scheduler", endpoint_url=url, config=config)
        self.policy_lock = threading.Lock()
        self.issued = Counter()
        self.count_lock = threading.Lock()
        self.trust = json.dumps(
            {
                "Version": "2012-10-17",
                "Statement": [
                    {
                        "Effect": "Allow",
                        "Principal": {"Service": "scheduler.amazonaws.com"},
                        "Action": "sts:AssumeRole",
                        "Condition": {
                            "StringEquals": {"aws:SourceAccount": self.account},
                            "ArnEquals": {
                                "aws:SourceArn": f"arn:aws:scheduler:{REGION}:{self.account}:schedule-group/default"
                            },
                        },
                    }
                ],
            }
        )
        self.policy = json.dumps(
            {
                "Version": "2012-10-17",
                "Statement": [
                    {
                        "Effect": "Allow",
                        "Action": "lambda:InvokeFunction",
                        "Resource": [function_arn, f"{function_arn}:*"],
                    }
                ],
            }
        )
        self.pool = None
        self.inner = None

    # one call, counted under the census's names
    def call(self, op, fn, **kwargs):
        with self.count_lock:
            self.issued[op] += 1
        return fn(**kwargs)

    def census_count(self, phase, op, default):
        calls = (self.census.get(phase) or {}).get("calls")
        return calls.get(op, 0) if calls is not None else default

    def role_name(self, i):
        return f"bench-shared-{i}" if self.shared else f"floor-job-{i}"

    def create_role(self, name, owner):
        self.call(
            "iam:CreateRole",
            self.iam.create_role,
            RoleName=name,
            Path="/",
            AssumeRolePolicyDocument=self.trust,
            Description=f"Assumed by EventBridge Scheduler to invoke {self.function_arn}",
            Tags=[{"Key": "lambdawire:schedule", "Value": owner}],
        )
        self.call(
            "iam:PutRolePolicy",
            self.iam.put_role_policy,
            RoleName=name,
            PolicyName="invoke-function",
            PolicyDocument=self.policy,
        )

    def read_role(self, name):
        return [
            self.inner.submit(self.call, "iam:GetRole", self.iam.get_role, RoleName=name),
            self.inner.submit(
                self.call, "iam:GetRolePolicy", self.iam.get_role_policy, RoleName=name, PolicyName="invoke-function"
            ),
        ]

    def delete_role(self, name):
        self.call(
            "iam:DeleteRolePolicy", self.iam.delete_role_policy, RoleName=name, PolicyName="invoke-function"
        )
        self.call("iam:DeleteRole", self.iam.delete_role, RoleName=name)

    def schedule_args(self, i):
        return dict(
            Name=f"job-{i}",
            GroupName="default",
            ScheduleExpression="rate(1 hour)",
            ScheduleExpressionTimezone="UTC",
            State="ENABLED",
            FlexibleTimeWindow={"Mode": "OFF"},
            ActionAfterCompletion="NONE",
            Target={
                "Arn": self.function_arn,
                "RoleArn": f"arn:aws:iam::{self.account}:role/{self.role_name(i % SHARED_ROLES if self.shared else i)}",
                "Input": json.dumps({"job": i}),
            },
        )

    def get_schedule(self, i):
        return self.call("scheduler:GetSchedule", self.scheduler.get_schedule, Name=f"job-{i}", GroupName="default")

    # per resource, per phase
    def invoker(self, phase, i):
        if phase == "apply":
            if not self.shared:
                self.create_role(self.role_name(i), f"{REGION}/default/job-{i}")
            self.call(
                "scheduler:CreateSchedule",
                self.scheduler.create_schedule,
                ClientToken=f"floor-{i}-{time.monotonic_ns()}",
                **self.schedule_args(i),
            )
            self.get_schedule(i)
        elif phase == "read":
            reads = [] if self.shared else self.read_role(self.role_name(i))
            self.get_schedule(i)
            for r in reads:
                r.result()
        else:
            self.call("scheduler:DeleteSchedule", self.scheduler.delete_schedule, Name=f"job-{i}", GroupName="default")
            if not self.shared:
                self.delete_role(self.role_name(i))

    def permission(self, phase, i):
        # Only the edits hold the policy lock, as in lambdawire; its reads
        # (a look for a leftover before a remove, and a read-back after an
        # add when the census counted one) run outside it.
        if phase == "apply":
            with self.policy_lock:
                self.call(
                    "lambda:AddPermission",
                    self.lam.add_permission,
                    FunctionName=self.function_name,
                    StatementId=f"job-{i}",
                    Action="lambda:InvokeFunction",
                    Principal="sns.amazonaws.com",
                    SourceArn=f"arn:aws:sns:{REGION}:{self.account}:job-{i}",
                )
            if self.reads_back_added:
                self.call("lambda:GetPolicy", self.lam.get_policy, FunctionName=self.function_name)
        else:
            with self.count_lock:
                look = self.destroy_looks > 0
                self.destroy_looks -= look
            if look:
                self.call("lambda:GetPolicy", self.lam.get_policy, FunctionName=self.function_name)
            with self.policy_lock:
                self.call(
                    "lambda:RemovePermission",
                    self.lam.remove_permission,
                    FunctionName=self.function_name,
                    StatementId=f"job-{i}",
                )

    def shared_role(self, phase, i):
        name = self.role_name(i)
        if phase == "apply":
            self.create_role(name, f"bench-shared-{i}")
            for r in self.read_role(name):
                r.result()
        elif phase == "read":
            for r in self.read_role(name):
                r.result()
        else:
            self.delete_role(name)

    def each(self, tasks):
        """Run (fn, args) tasks on the -parallelism workers; raise the first error."""
        for future in [self.pool.submit(fn, *args) for fn, args in tasks]:
            future.result()

    def interleaved(self, phase):
        tasks = []
        for i in range(self.n):
            tasks.append((self.invoker, (phase, i)))
            if phase != "read":
                tasks.append((self.permission, (phase, i)))
        return tasks

    def lookups(self, phase):
        for _ in range(self.census_count(phase, "sts:GetCallerIdentity", 1)):
            self.call("sts:GetCallerIdentity", self.sts.get_caller_identity)

    def refresh(self):
        roles = [(self.shared_role, ("read", i)) for i in range(SHARED_ROLES)] if self.shared else []
        # The permissions' reads share one GetPolicy in lambdawire.
        policy = [
            (lambda: self.call("lambda:GetPolicy", self.lam.get_policy, FunctionName=self.function_name), ())
            for _ in range(self.census_count("plan", "lambda:GetPolicy", 1))
        ]
        self.each(roles + self.interleaved("read") + policy)

    def run(self, phase):
        self.issued = Counter()
        with concurrent.futures.ThreadPoolExecutor(self.parallelism) as pool, concurrent.futures.ThreadPoolExecutor(
            2 * self.parallelism
        ) as inner:
            self.pool, self.inner = pool, inner
            self.lookups(phase)
            if phase == "apply":
                if self.shared:
                    self.each([(self.shared_role, ("apply", i)) for i in range(SHARED_ROLES)])
                self.each(self.interleaved("apply"))
            elif phase == "plan":
                self.refresh()
            else:
                self.refresh()
                self.each(self.interleaved("destroy"))
                if self.shared:
                    self.each([(self.shared_role, ("destroy", i)) for i in range(SHARED_ROLES)])
        return self.issued


# ---------------------------------------------------------------- the run


def summarize(runs):
    """Medians and spreads per phase of a list of results of one impl."""
    out = {}
    for phase in PHASES:
        steps = [r["phases"][phase] for r in runs if phase in r["phases"] and r["phases"][phase]["exit"] in (0,)]
        if not steps:
            continue
        seconds = [s["seconds"] for s in steps]
        out[phase] = {
            "median_s": statistics.median(seconds),
            "min_s": min(seconds),
            "max_s": max(seconds),
            "runs": len(steps),
            "requests": statistics.median([s["requests"] for s in steps]),
            "requests_spread": [min(s["requests"] for s in steps), max(s["requests"] for s in steps)],
            "refused": max(s["refused"] for s in steps),
        }
        for key in ("cpu_command_s", "cpu_provider_s"):
            values = [s[key] for s in steps if s.get(key) is not None]
            if values:
                out[phase][key] = statistics.median(values)
    peaks = [s["peak_rss_kb"] for r in runs for s in r["phases"].values() if s.get("peak_rss_kb")]
    out["peak_rss_kb"] = max(peaks) if peaks else None
    return out


def census_summary(phases, n):
    """Per phase: the calls by operation, and per resource kind its reads
    and writes (an invoker's are Scheduler's and, with its own role, IAM's;
    a permission's are Lambda's; STS is the provider's)."""
    shared = n >= LARGE_N
    out = {}
    for phase, step in phases.items():
        c = step.get("census")
        if not c:
            continue
        kinds = {"invoker": Counter(), "permission": Counter(), "scheduler_invoke_role": Counter(), "provider": Counter()}
        for op, count in c["calls"].items():
            service = op.split(":")[0]
            if service == "scheduler" or (service == "iam" and not shared):
                kind = "invoker"
            elif service == "iam":
                kind = "scheduler_invoke_role"
            elif service == "lambda":
                kind = "permission"
            else:
                kind = "provider"
            kinds[kind]["reads" if is_read(op) else "writes"] += count
        per = {"invoker": n, "permission": n, "scheduler_invoke_role": SHARED_ROLES if shared else 0, "provider": 1}
        out[phase] = {
            "calls": c["calls"],
            "refused": c["refused"],
            "configured_processes": c["configured"],
            "per_resource": {
                k: {"reads": v["reads"] / per[k], "writes": v["writes"] / per[k]}
                for k, v in kinds.items()
                if per[k] and (v["reads"] or v["writes"])
            },
        }
    return out


def cmd_all(args):
    signal.signal(signal.SIGTERM, _stop)
    bench = Bench(args)
    load = LoadSampler()
    load.start()
    started = time.time()
    report = {
        "started": time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime(started)),
        "command": args.command_line,
        "ns": args.ns,
        "reps": args.reps,
        "peer_max_n": args.peer_max_n,
        "machine": machine(),
        "versions": args.versions,
        "load_start": loadavg(),
        "binary": binary_facts(args),
        "results": {},
    }
    failed = False
    try:
        log(f"plugin start-up: {args.handshakes} starts")
        report["binary"]["lambdawire_handshake_ms"] = handshake_ms(args.lambdawire_bin, 6, bench.tmpdir, args.handshakes)
        if args.aws_bin and any(n <= args.peer_max_n for n in args.ns):
            report["binary"]["aws_handshake_ms"] = handshake_ms(args.aws_bin, 5, bench.tmpdir, args.handshakes)
        for n in args.ns:
            peer = bool(args.aws_bin) and n <= args.peer_max_n
            impls = [i for i in IMPLS if i != "aws" or peer]
            entry = {"parallelism": bench.parallelism(n), "peer": peer, "runs": {i: [] for i in impls}}
            report["results"][str(n)] = entry
            if not peer:
                entry["peer_skipped"] = (
                    "no hashicorp/aws in the mirror" if not args.aws_bin else f"N > {args.peer_max_n} (BENCH_PEER_MAX_N)"
                )
            log(f"N={n}: census run of lambdawire (debug log, untimed)")
            census_log = os.path.join(bench.root, f"n{n}", "census", "provider.log")
            census_run = bench.terraform_run("lambdawire", n, os.path.dirname(census_log), census_log)
            entry["census_run"] = census_run
            entry["census"] = census_summary(census_run["phases"], n)
            census_phases = {p: s.get("census") for p, s in census_run["phases"].items()}
            for rep in range(1, args.reps + 1):
                for impl in impls:
                    dir = os.path.join(bench.root, f"n{n}", f"rep{rep}", impl)
                    if impl == "floor":
                        result = bench.floor_run(n, dir, census_phases)
                    else:
                        result = bench.terraform_run(impl, n, dir)
                    entry["runs"][impl].append(result)
                    times = ", ".join(f"{p} {s['seconds']:.2f} s" for p, s in result["phases"].items())
                    log(f"N={n} rep {rep}/{args.reps} {impl}: {times}")
                    for error in result["errors"]:
                        log(f"N={n} rep {rep} {impl}: {error}")
            entry["summary"] = {i: summarize(runs) for i, runs in entry["runs"].items()}
            entry["floor_matches"] = floor_matches(entry)
            failed |= any(r["errors"] for runs in entry["runs"].values() for r in runs) or bool(census_run["errors"])
            # Written after every N: a long run that is cut short still
            # leaves the figures of the Ns it finished.
            write_report(report, args, load, started, complete=False)
    except KeyboardInterrupt:
        log("stopped")
        failed = True
        report["interrupted"] = True
    finally:
        load.stop()
        for proc in list(_running):
            _kill_group(proc)
        if args.keep:
            log(f"kept {bench.root}")
        else:
            shutil.rmtree(bench.root, ignore_errors=True)
    markdown = write_report(report, args, load, started, complete=not report.get("interrupted"))
    print(markdown)
    log(f"wrote {os.path.join(args.out, 'bench.md')} and bench.json")
    # A run that was stopped leaves the page as it was: its report would
    # replace a whole run's with some of the Ns.
    if args.page and not report.get("interrupted") and update_page(args.page, markdown, report):
        log(
            f"wrote the report into {args.page} and added a row to its history; "
            "the page's notes on the run are written by hand: read them again"
        )
    sys.exit(1 if failed else 0)


def write_report(report, args, load, started, complete):
    """Render the report as it stands into bench.md and bench.json; returns
    the markdown. `complete` is false while Ns remain to run."""
    report["complete"] = complete
    report["seconds"] = time.time() - started
    report["load_end"] = loadavg()
    report["load_1min_samples"] = {
        "min": min(load.samples, default=None),
        "mean": statistics.mean(load.samples) if load.samples else None,
        "max": max(load.samples, default=None),
    }
    report["targets"] = targets(report)
    markdown = render(report)
    os.makedirs(args.out, exist_ok=True)
    with open(os.path.join(args.out, "bench.json"), "w") as f:
        json.dump(report, f, indent=1)
    with open(os.path.join(args.out, "bench.md"), "w") as f:
        f.write(markdown)
    return markdown


# BENCHMARKS.md holds the report of the latest finished run between the
# first two lines, and a history table under the third that gains a row,
# newest first, with each finished run. Everything else on the page is
# written by hand and left as it is.
PAGE_BEGIN = "<!-- scripts/bench writes the latest run's report below this line -->"
PAGE_END = "<!-- scripts/bench writes the latest run's report above this line -->"
PAGE_HISTORY = "<!-- scripts/bench adds a row to the table below at the end of every run -->"
TABLE_RULE = re.compile(r"^\|(?:-+\|)+[ \t]*$", re.M)


def history_row(report):
    """One row of the page's history: when, the command, the lambdawire
    measured, and the medians of (b) and (a) per N, apply / no-change plan /
    destroy; a median resting on fewer runs than were made says so."""
    reps = report["reps"]

    def medians(impl):
        parts = []
        for n, entry in report["results"].items():
            s = (entry.get("summary") or {}).get(impl)
            if not s:
                continue
            cells = []
            for phase in PHASES:
                p = s.get(phase)
                if not p:
                    cells.append("-")
                    continue
                cell = f"{p['median_s']:.2f}"
                if p["runs"] < reps:
                    cell += f" [{p['runs']} of {reps}]"
                cells.append(cell)
            parts.append(f"N={n}: {' / '.join(cells)} s")
        return "; ".join(parts) or "-"

    found = re.search(r"lambdawire (\S+ \([^)]*\))", report.get("versions") or "")
    cells = [
        report["started"],
        f"`{report['command']}`",
        found.group(1) if found else "-",
        medians("lambdawire"),
        medians("aws"),
    ]
    return "| " + " | ".join(c.replace("|", "\\|") for c in cells) + " |"


def update_page(path, markdown, report):
    """Put the report between the page's markers and add the run's row to
    its history; true when the page was written. A page that cannot be read
    or lacks a marker is left alone, with a word why: the run's figures are
    in bench.md either way, and an hour of measuring must not end in an
    exception."""
    try:
        with open(path) as f:
            text = f.read()
    except OSError as e:
        log(f"{path} not updated: {e.strerror}")
        return False
    begin, end = text.find(PAGE_BEGIN), text.find(PAGE_END)
    if begin < 0 or end < begin:
        log(f"{path} not updated: it lacks the lines {PAGE_BEGIN!r} and {PAGE_END!r}, in that order")
        return False
    text = text[: begin + len(PAGE_BEGIN)] + "\n\n" + markdown.strip("\n") + "\n\n" + text[end:]
    history = text.find(PAGE_HISTORY, text.find(PAGE_END))
    rule = TABLE_RULE.search(text, history) if history >= 0 else None
    if rule is None:
        log(f"{path} not updated: no history table under the line {PAGE_HISTORY!r}")
        return False
    if not text.endswith("\n"):
        text += "\n"
    at = text.index("\n", rule.end()) + 1
    text = text[:at] + history_row(report) + "\n" + text[at:]
    temporary = f"{path}.tmp"
    try:
        with open(temporary, "w") as f:
            f.write(text)
        os.replace(temporary, path)
    except OSError as e:
        log(f"{path} not updated: {e.strerror}")
        return False
    return True


def floor_matches(entry):
    """Per phase: whether (d) sent exactly the calls the census counted for
    (b), and the differences when not."""
    out = {}
    census = entry.get("census") or {}
    for run in entry["runs"].get("floor", [])[:1]:
        for phase, step in run["phases"].items():
            want = (census.get(phase) or {}).get("calls")
            if want is None:
                out[phase] = "no census"
                continue
            got = step.get("calls", {})
            diff = {op: [want.get(op, 0), got.get(op, 0)] for op in set(want) | set(got) if want.get(op, 0) != got.get(op, 0)}
            out[phase] = "same calls" if not diff else {"lambdawire_vs_floor": diff}
    return out


def machine():
    model = "?"
    try:
        with open("/proc/cpuinfo") as f:
            for line in f:
                if line.startswith("model name"):
                    model = line.split(":", 1)[1].strip()
                    break
        with open("/proc/meminfo") as f:
            mem = int(next(l for l in f if l.startswith("MemTotal")).split()[1]) / 1048576
    except (OSError, StopIteration):
        mem = 0
    return {
        "cpus": os.cpu_count(),
        "model": model,
        "memory_gib": round(mem, 1),
        "kernel": f"{platform.system()} {platform.release()}",
    }


def binary_facts(args):
    facts = {"lambdawire_path": args.lambdawire_bin, "lambdawire_profile": args.profile}
    facts["lambdawire_bytes"] = os.path.getsize(args.lambdawire_bin)
    if args.aws_bin:
        facts["aws_bytes"] = os.path.getsize(args.aws_bin)
    return facts


# ---------------------------------------------------------------- report


def med(summary, impl, phase):
    return ((summary.get(impl) or {}).get(phase) or {}).get("median_s")


def targets(report):
    """Issue 11's targets, judged on this run's figures."""
    out = []

    def add(name, value, ok, note=""):
        out.append({"target": name, "value": value, "met": ok, "note": note})

    def speedup(n, phase):
        entry = report["results"].get(str(n))
        if not entry or "summary" not in entry:
            return None
        a, b = med(entry["summary"], "aws", phase), med(entry["summary"], "lambdawire", phase)
        return a / b if a and b else None

    def floor_ratio(n, phase):
        entry = report["results"].get(str(n))
        if not entry or "summary" not in entry:
            return None
        s = entry["summary"]
        b, c, d = med(s, "lambdawire", phase), med(s, "tfdata", phase), med(s, "floor", phase)
        return b / (c + d) if b and c is not None and d else None

    def judge(name, value, ok_fn, fmt):
        if value is None:
            add(name, None, None, "not measured in this run")
        else:
            add(name, fmt(value), ok_fn(value))

    judge("N=100 no-change plan: >= 6x faster than hashicorp/aws", speedup(100, "plan"), lambda v: v >= 6, lambda v: f"{v:.1f}x")
    judge("N=100 no-change plan: within 1.5x of (c+d)", floor_ratio(100, "plan"), lambda v: v <= 1.5, lambda v: f"{v:.2f}")
    for phase in PHASES:
        judge(f"N=10 {PHASE_NAMES[phase]}: >= 20x faster than hashicorp/aws", speedup(10, phase), lambda v: v >= 20, lambda v: f"{v:.1f}x")
    judge("N=100 apply: >= 8x faster than hashicorp/aws", speedup(100, "apply"), lambda v: v >= 8, lambda v: f"{v:.1f}x")
    big = report["results"].get(str(LARGE_N))
    if big and "runs" in big:
        ok = all(
            not r["errors"] and all(r["phases"].get(p, {}).get("exit") == 0 for p in PHASES)
            for r in big["runs"].get("lambdawire", [])
        ) and bool(big["runs"].get("lambdawire"))
        add(f"N={LARGE_N}: plan, apply and destroy succeed at -parallelism={big['parallelism']}", "yes" if ok else "no", ok)
    else:
        add(f"N={LARGE_N}: plan, apply and destroy succeed at -parallelism=50", None, None, "not measured in this run")
    judge(f"N={LARGE_N} no-change plan: within 1.5x of (c+d)", floor_ratio(LARGE_N, "plan"), lambda v: v <= 1.5, lambda v: f"{v:.2f}")
    peaks = {
        n: e["summary"]["lambdawire"]["peak_rss_kb"]
        for n, e in report["results"].items()
        if "summary" in e and e["summary"].get("lambdawire", {}).get("peak_rss_kb")
    }
    if peaks:
        worst = max(peaks.values())
        add("provider peak memory < 30 MiB at every N", f"{worst / 1024:.1f} MiB (max over N)", worst < 30 * 1024)
    size = report["binary"]["lambdawire_bytes"]
    add("release binary < 15 MB", f"{size / 1e6:.1f} MB", size < 15e6, report["binary"]["lambdawire_profile"])
    hs = report["binary"].get("lambdawire_handshake_ms")
    if hs:
        v = statistics.median(hs)
        add("plugin start to handshake in single-digit ms", f"{v:.1f} ms", v < 10)
    return out


def fmt_time(s, reps):
    """A phase's median (and spread); a cell from fewer runs than were made
    (the others failed) says how many it rests on."""
    if not s:
        return "-"
    text = f"{s['median_s']:.2f} s"
    if s["runs"] > 1:
        text += f" ({s['min_s']:.2f}–{s['max_s']:.2f})"
    if s["runs"] < reps:
        text += f" [{s['runs']} of {reps} runs]"
    return text


def failures(entry, impls):
    """One line per failed run: which, and the first line of what failed."""
    out = []
    for impl in impls:
        for rep, run in enumerate(entry["runs"].get(impl, []), 1):
            for error in run["errors"]:
                lines = [line.strip() for line in error.splitlines() if line.strip()]
                detail = next((line for line in lines if line.startswith("Error:")), "")
                out.append(f"- {IMPL_NAMES[impl]}, run {rep}: {lines[0] if lines else error}" + (f" — {detail}" if detail else ""))
    return out


def fmt_ratio(x):
    return f"{x:.2f}" if x is not None else "-"


def render(report):
    lines = []
    reps = report["reps"]
    if not report.get("complete", True):
        done = [n for n, e in report["results"].items() if "summary" in e]
        lines.append(f"**Partial report**: N = {', '.join(done) or 'none'} finished; the run was stopped or goes on.")
        lines.append("")
    lines.append(f"Wall time: median of {reps} run{'s' if reps != 1 else ''} (min–max); requests as moto served them.")
    lines.append("")
    for n, entry in report["results"].items():
        if "summary" not in entry:
            continue
        s = entry["summary"]
        impls = [i for i in IMPLS if i in s]
        shared = int(n) >= LARGE_N
        job = f"{n} invokers + {n} permissions on one function"
        if shared:
            job += f", the invokers sharing {SHARED_ROLES} lambdawire_scheduler_invoke_role"
        lines.append(f"### N = {n} ({job}; -parallelism={entry['parallelism']})")
        lines.append("")
        if not entry["peer"]:
            lines.append(f"(a) hashicorp/aws skipped: {entry.get('peer_skipped')}.")
            lines.append("")
        head = "| | " + " | ".join(IMPL_NAMES[i] for i in impls) + " | b/a | b/(c+d) |"
        lines.append(head)
        lines.append("|" + "---|" * (len(impls) + 3))
        for phase in PHASES:
            cells = [fmt_time(s[i].get(phase), reps) for i in impls]
            b, a = med(s, "lambdawire", phase), med(s, "aws", phase)
            c, d = med(s, "tfdata", phase), med(s, "floor", phase)
            ba = f"{b / a:.3f} ({a / b:.1f}x faster)" if a and b else "-"
            bcd = fmt_ratio(b / (c + d)) if b and c is not None and d else "-"
            lines.append(f"| {PHASE_NAMES[phase]} | " + " | ".join(cells) + f" | {ba} | {bcd} |")
        req = []
        for i in impls:
            if i == "tfdata":
                req.append("0 / 0 / 0")
                continue
            parts = []
            for phase in PHASES:
                p = s[i].get(phase)
                parts.append(f"{p['requests']:.0f}" if p else "-")
            refused = sum((s[i].get(p) or {}).get("refused", 0) for p in PHASES)
            req.append(" / ".join(parts) + (f" ({refused} 4xx)" if refused else ""))
        lines.append("| requests apply / plan / destroy | " + " | ".join(req) + " | | |")
        mem = []
        for i in impls:
            kb = s[i].get("peak_rss_kb")
            mem.append(f"{kb / 1024:.1f} MiB" if kb else "-")
        lines.append("| provider peak memory | " + " | ".join(mem) + " | | |")
        cpu = []
        for i in impls:
            parts = []
            for phase in PHASES:
                p = s[i].get(phase) or {}
                if p.get("cpu_command_s") is None:
                    parts.append("-")
                elif i == "tfdata":
                    parts.append(f"{p['cpu_command_s']:.1f}")
                else:
                    parts.append(f"{p['cpu_command_s']:.1f} ({p['cpu_provider_s']:.1f})")
            cpu.append(" / ".join(parts) if any(x != "-" for x in parts) else "-")
        if any(c != "-" for c in cpu):
            lines.append("| CPU s apply / plan / destroy: terraform with provider (provider alone) | " + " | ".join(cpu) + " | | |")
        lines.append("")
        failed = failures(entry, impls)
        if failed:
            lines.append("Failed runs (left out of the medians):")
            lines.append("")
            lines.extend(failed)
            lines.append("")
        lines.extend(render_census(entry, int(n)))
        lines.append("")
    lines.extend(render_binary(report))
    lines.append("")
    lines.append("Targets (issue 11), judged on this run:")
    lines.append("")
    lines.append("| target | this run | met |")
    lines.append("|---|---|---|")
    for t in report["targets"]:
        met = {True: "yes", False: "**no**", None: "not measured"}[t["met"]]
        value = t["value"] if t["value"] is not None else "-"
        note = f" ({t['note']})" if t.get("note") and t["met"] is not None else ""
        lines.append(f"| {t['target']} | {value}{note} | {met} |")
    lines.append("")
    lines.extend(render_footer(report))
    return "\n".join(lines) + "\n"


def render_census(entry, n):
    census = entry.get("census") or {}
    if not census:
        return ["Census: none (the census run failed)."]
    out = [f"Calls per phase, from lambdawire's own log (census run, N={n}):", ""]
    ops = sorted({op for c in census.values() for op in c["calls"]})
    out.append("| call | " + " | ".join(PHASE_NAMES[p] for p in PHASES if p in census) + " |")
    out.append("|---|" + "---|" * len([p for p in PHASES if p in census]))
    for op in ops:
        out.append(f"| {op} | " + " | ".join(str(census[p]["calls"].get(op, 0)) for p in PHASES if p in census) + " |")
    refused = {p: c["refused"] for p, c in census.items() if c["refused"]}
    out.append("| answered 4xx | " + " | ".join(
        str(sum(census[p]["refused"].values())) for p in PHASES if p in census
    ) + " |")
    out.append("| provider processes configured | " + " | ".join(
        str(census[p]["configured_processes"]) for p in PHASES if p in census
    ) + " |")
    out.append("")
    out.append("Per resource (reads + writes):")
    for phase in PHASES:
        c = census.get(phase)
        if not c:
            continue
        parts = []
        for kind, rw in c["per_resource"].items():
            parts.append(f"{kind} {rw['reads']:g} + {rw['writes']:g}")
        out.append(f"- {PHASE_NAMES[phase]}: " + "; ".join(parts))
    if refused:
        out.append(f"- answered 4xx: {refused}")
    matches = entry.get("floor_matches") or {}
    if matches:
        same = all(v == "same calls" for v in matches.values())
        out.append(
            "- (d) sent the same calls as (b) in every phase"
            if same
            else f"- (d) differs from (b): {json.dumps(matches)}"
        )
    return out


def render_binary(report):
    b = report["binary"]
    out = [f"Release binary: {b['lambdawire_bytes'] / 1e6:.1f} MB ({b['lambdawire_bytes'] / MIB:.1f} MiB, {b['lambdawire_profile']} build)"]
    if b.get("aws_bytes"):
        out[0] += f"; hashicorp/aws: {b['aws_bytes'] / 1e6:.0f} MB"
    out[0] += "."
    hs = b.get("lambdawire_handshake_ms")
    if hs:
        line = (
            f"Plugin start to handshake (exec to the handshake line on stdout, with an AutoMTLS client "
            f"certificate as Terraform sends one, no terraform): lambdawire "
            f"median {statistics.median(hs):.1f} ms ({min(hs):.1f}–{max(hs):.1f}) over {len(hs)} starts"
        )
        ahs = b.get("aws_handshake_ms")
        if ahs:
            line += f"; hashicorp/aws median {statistics.median(ahs):.0f} ms"
        out.append(line + ".")
    return out


def render_footer(report):
    m = report["machine"]
    ls = report["load_1min_samples"]
    load = f"load average (1 min): {report['load_start'][0]:.2f} at start, {report['load_end'][0]:.2f} at end"
    if ls["mean"] is not None:
        # The run's own terraform, provider and moto load the CPUs while it
        # goes; only the load it started with tells of other work.
        load += f", mean {ls['mean']:.2f} and max {ls['max']:.2f} over the run, the run's own work included"
    if report["load_start"][0] > 0.5 * m["cpus"]:
        load += " (the machine was busy when the run started)"
    return [
        f"command: `{report['command']}`",
        f"machine: {m['cpus']} CPUs ({m['model']}), {m['memory_gib']} GiB memory, {m['kernel']}; {load}",
        f"versions: {report['versions']}",
        f"run: {report['started']}, {report['seconds'] / 60:.1f} min in all",
        "",
        "How: each of (a), (b), (d) on a fresh moto; (c) needs none. Peak memory is the largest VmHWM of a "
        "terraform-provider-* process, sampled every 50 ms. (d) sends, with boto3 at the same "
        "-parallelism, the calls the census counted for (b); its policy edits are serialised as (b)'s are.",
    ]


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    sub = parser.add_subparsers(dest="cmd", required=True)
    p = sub.add_parser("all")
    p.add_argument("--ns", type=lambda v: [int(x) for x in v.replace(",", " ").split()], required=True)
    p.add_argument("--reps", type=int, required=True)
    p.add_argument("--peer-max-n", type=int, required=True)
    p.add_argument("--parallelism", type=int, default=0)
    p.add_argument("--handshakes", type=int, default=20)
    p.add_argument("--lambdawire-bin", required=True)
    p.add_argument("--profile", required=True)
    p.add_argument("--mirror", required=True)
    p.add_argument("--aws-bin", default="")
    p.add_argument("--aws-version", default="")
    p.add_argument("--versions", default="")
    p.add_argument("--command-line", default="scripts/bench")
    p.add_argument("--out", required=True)
    p.add_argument("--keep", action="store_true")
    p.add_argument("--page", default="", help="the page a finished run rewrites (BENCHMARKS.md)")
    p.set_defaults(func=cmd_all)
    args = parser.parse_args()
    args.func(args)


if __name__ == "__main__":
    main()
