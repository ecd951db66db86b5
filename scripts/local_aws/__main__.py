"""python -m local_aws [--host HOST] [--port PORT] [--banner]

Serve moto with lambdawire's corrections. scripts/local-aws runs this with
--banner for users; the tests, the demo and the benchmark run it with
--port 0 and read the port from the `local-aws: listening on` line.
"""

import argparse
import signal
import sys

from . import MotoChanged
from .server import run


def main(argv=None):
    parser = argparse.ArgumentParser(prog="local-aws", description=__doc__.splitlines()[2])
    parser.add_argument("--host", default="127.0.0.1", help="address to bind (default 127.0.0.1)")
    parser.add_argument(
        "--port", type=int, default=5000, help="port to bind; 0 picks a free one (default 5000)"
    )
    parser.add_argument(
        "--banner", action="store_true", help="print the endpoint, the environment to export and a provider block"
    )
    parser.add_argument("--region", default="us-east-1", help="region shown in the banner (default us-east-1)")
    args = parser.parse_args(argv)
    # SIGTERM ends the process as Ctrl-C does: the tests and scripts stop it
    # that way, and werkzeug's threads must not keep it alive.
    signal.signal(signal.SIGTERM, lambda *_: sys.exit(0))
    try:
        run(args.host, args.port, args.banner, args.region)
    except MotoChanged as e:
        sys.exit(f"local-aws: {e}")
    except OSError as e:
        sys.exit(f"local-aws: cannot listen on {args.host}:{args.port}: {e}")


if __name__ == "__main__":
    main()
