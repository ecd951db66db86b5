"""moto's server with the corrections installed, on one host and port.

The same WSGI application `moto_server` runs (DomainDispatcherApplication
over create_backend_app), served by werkzeug on many threads as
`moto_server` serves it, with werkzeug's access log on stderr. Port 0 takes
a free port; the line `local-aws: listening on http://HOST:PORT` on stderr
says which, once the socket is bound, so a caller never races for a port.
"""

import os
import sys

from werkzeug.serving import make_server

from . import install, moto_version


def make(host, port):
    """A bound server, not yet serving. MOTO_PORT is set to the bound port
    before any backend exists, as `moto_server` sets it, so that URLs moto
    builds (SQS queue URLs) name the real port."""
    install()
    from moto.moto_server.werkzeug_app import DomainDispatcherApplication, create_backend_app

    app = DomainDispatcherApplication(create_backend_app)
    # As moto_server does: an unexpected error in a backend answers with
    # its traceback instead of a bare 500.
    app.debug = True
    server = make_server(host, port, app, threaded=True)
    os.environ["MOTO_PORT"] = str(server.server_port)
    return server


def endpoint(server, host):
    shown = "127.0.0.1" if host in ("0.0.0.0", "") else host
    if ":" in shown:
        shown = f"[{shown}]"
    return f"http://{shown}:{server.server_port}"


def banner(url, region):
    """What a user needs to point Terraform and the AWS SDKs at this server."""
    return f"""local-aws: moto {moto_version()} with lambdawire's corrections (EMBEDDED-AWS.md)
Endpoint: {url}

Environment for the AWS SDKs, the AWS CLI and lambdawire:
  export AWS_ENDPOINT_URL={url}
  export AWS_ACCESS_KEY_ID=testing
  export AWS_SECRET_ACCESS_KEY=testing
  export AWS_REGION={region}
  export AWS_DEFAULT_REGION={region}

Or in the provider block:
  provider "lambdawire" {{
    region = "{region}"
    endpoints {{
      iam       = "{url}"
      lambda    = "{url}"
      scheduler = "{url}"
      sts       = "{url}"
      sns       = "{url}"
      events    = "{url}"
      s3        = "{url}"
    }}
  }}

Stop with Ctrl-C; everything it holds is in memory and goes with it.
"""


def run(host, port, show_banner, region):
    server = make(host, port)
    url = endpoint(server, host)
    print(f"local-aws: listening on {url}", file=sys.stderr, flush=True)
    if show_banner:
        print(banner(url, region), flush=True)
    try:
        server.serve_forever()
    except KeyboardInterrupt:
        pass
    finally:
        server.server_close()
