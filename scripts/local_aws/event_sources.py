"""Lambda event source mappings for SQS: one mapping per queue and function.

moto 5.x means to refuse a second mapping of one SQS queue to one function
but looks the function up under the literal key "func.function_arn"
(moto/awslambda/models.py, create_event_source_mapping), so it never does,
and a CreateEventSourceMapping resent after a lost answer makes a second
mapping. Lambda refuses it with 409 ResourceConflictException, naming the
mapping that exists; EMBEDDED-AWS.md gives the evidence.
"""

import threading

from moto.awslambda import models as moto_models

from ._patch import LambdaError, replace

_LOCK = threading.Lock()


def _create_event_source_mapping(original):
    def create_event_source_mapping(self, spec):
        queue_arn = spec.get("EventSourceArn") or ""
        if not queue_arn.startswith("arn:") or queue_arn.split(":")[2] != "sqs":
            return original(self, spec)
        with _LOCK:
            function = self._lambdas.get_function_by_name_or_arn_with_qualifier(
                spec.get("FunctionName", "")
            )
            for mapping in list(self._event_source_mappings.values()):
                if (
                    mapping.event_source_arn == queue_arn
                    and mapping.function_arn == function.function_arn
                ):
                    raise LambdaError(
                        409,
                        "ResourceConflictException",
                        f'An event source mapping with SQS arn (" {queue_arn} ") and function '
                        f'(" {function.function_name} ") already exists. Please update or delete '
                        f"the existing mapping with UUID {mapping.uuid}",
                    )
            return original(self, spec)

    return create_event_source_mapping


def install():
    replace(moto_models.LambdaBackend, "create_event_source_mapping", _create_event_source_mapping)
