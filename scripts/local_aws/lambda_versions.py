"""Lambda's lists of a function's aliases and versions, as Lambda gives
them: ListAliases and ListVersionsByFunction.

What moto 5.x does differently (moto/awslambda/responses.py and
models.py), and what this module does instead; EMBEDDED-AWS.md gives the
evidence:

- ListVersionsByFunction looks the function up by the raw path segment,
  as a name only: a function named by its ARN or partial ARN lists no
  versions, and a function that does not exist lists none either. Lambda
  takes a name, an ARN or a partial ARN, and answers 404
  ResourceNotFoundException for a function it does not have.
- Neither list pages: `MaxItems` and `Marker` are ignored and there is
  never a `NextMarker`. Lambda returns at most `MaxItems` items and a
  `NextMarker` while more remain, and ListVersionsByFunction at most 50
  items in each answer whatever `MaxItems` says.

What each item holds is moto's own (its `get_configuration()` and alias
`to_json()`), in moto's order: `$LATEST` first, then each published
version; aliases by name.
"""

import json
from urllib.parse import unquote

from moto.awslambda import models as moto_models
from moto.awslambda import responses as moto_responses

from ._patch import LambdaError, replace, require
from .lambda_policy import split_function_name

# "ListVersionsByFunction returns a maximum of 50 items in each response,
# even if you set the number higher" (its API reference, MaxItems).
VERSIONS_PER_PAGE = 50


def page(items, querystring, cap=None):
    """One page of `items` from `Marker` (an opaque position, here the
    index of the first item), at most `MaxItems` (and `cap`) long, with the
    `NextMarker` of the rest when any remains."""
    marker = querystring.get("Marker", [None])[0]
    limit = querystring.get("MaxItems", [None])[0]
    try:
        start = int(marker) if marker else 0
        size = int(limit) if limit else len(items)
    except ValueError:
        raise LambdaError(
            400, "InvalidParameterValueException", "Marker and MaxItems must be numbers."
        ) from None
    if start < 0 or size < 1:
        raise LambdaError(
            400, "InvalidParameterValueException", "Marker or MaxItems is out of range."
        )
    if cap is not None:
        size = min(size, cap)
    end = start + size
    answer = {"items": items[start:end]}
    if end < len(items):
        answer["NextMarker"] = str(end)
    return answer


def _function(response, segment_from_end):
    """The function's name from the request path, however it was named,
    and the function itself: ResourceNotFoundException when there is none."""
    named = unquote(response.path.split("?")[0].split("/")[-segment_from_end])
    name, _ = split_function_name(named, None)
    # Raises moto's ResourceNotFoundException, as Lambda answers.
    response.backend.get_function(name)
    return name


def list_versions_by_function(response):
    name = _function(response, 2)
    versions = [fn.get_configuration() for fn in response.backend.list_versions_by_function(name)]
    one = page(versions, response.querystring, cap=VERSIONS_PER_PAGE)
    body = {"Versions": one.pop("items"), **one}
    return 200, {}, json.dumps(body)


def list_aliases(response):
    name = _function(response, 2)
    aliases = [alias.to_json() for alias in response.backend.list_aliases(name)]
    one = page(aliases, response.querystring)
    body = {"Aliases": one.pop("items"), **one}
    return 200, {}, json.dumps(body)


def install():
    require(moto_models.LambdaBackend, "list_versions_by_function")
    require(moto_models.LambdaBackend, "list_aliases")
    require(moto_models.LambdaBackend, "get_function")
    handlers = {
        "list_versions_by_function": list_versions_by_function,
        "list_aliases": list_aliases,
    }
    for name, handler in handlers.items():
        replace(
            moto_responses.LambdaResponse,
            name,
            lambda _original, handler=handler: lambda self: handler(self),
        )
