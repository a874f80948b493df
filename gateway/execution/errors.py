"""GraphQL errors produced while executing a plan, shaped for the client.

Subgraph messages are written for the subgraph's developers as often as for clients: a stack
trace, a file path, a connection string or a host name can sit in ``message`` itself. Unless
errors are exposed (``subgraphs.expose_errors``, for development), only the messages of the
allow-listed codes (``subgraphs.passthrough_error_codes``) reach the client; any other message is
replaced by a generic one naming the request id, and the original is logged under that id
(ADR 0206). Calls that fail as a whole never show their URL or transport detail.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from typing import Any

import structlog

from gateway.execution.settings import DEFAULT_PASSTHROUGH_ERROR_CODES
from gateway.hardening.error_scrubbing import INTERNAL_EXTENSION_KEYS

__all__ = ["CIRCUIT_OPEN", "ErrorMasking", "masked_message"]

#: the code of a fetch refused because the subgraph's circuit breaker is open
CIRCUIT_OPEN = "SUBGRAPH_CIRCUIT_OPEN"
#: the code of a subgraph error that has none
_NO_CODE = "DOWNSTREAM_SERVICE_ERROR"

_log = structlog.get_logger("gateway.subgraph_errors")


def masked_message(service: str, request_id: str | None) -> str:
    """The message that replaces a subgraph message a client may not read."""
    if request_id:
        return f"Internal error in subgraph {service}; reference {request_id}"
    return f"Internal error in subgraph {service}"


class ErrorMasking:
    """How subgraph errors and failed calls are shown to clients."""

    __slots__ = ("mask", "passthrough")

    def __init__(
        self, *, mask: bool = True, passthrough: Iterable[str] = DEFAULT_PASSTHROUGH_ERROR_CODES
    ) -> None:
        #: ``False`` shows everything (development only)
        self.mask = mask
        #: codes whose messages are shown as the subgraph wrote them
        self.passthrough = frozenset(passthrough)

    def subgraph_error(
        self,
        error: Any,
        service: str,
        prefix: Sequence[str | int] | None,
        request_id: str | None,
    ) -> dict[str, Any]:
        """A subgraph error moved to the client's response path, with ``serviceName`` added.

        ``prefix`` is the client path the subgraph path is relative to (``None`` drops the
        path). When masking, a message whose code is not allow-listed is replaced (and logged)
        and only ``code`` and ``serviceName`` stay in ``extensions``.
        """
        if not isinstance(error, dict):
            error = {"message": str(error)}
        message = error.get("message")
        path = error.get("path")
        extensions = error.get("extensions")
        extensions = dict(extensions) if isinstance(extensions, dict) else {}
        code = extensions.get("code")
        if not isinstance(code, str) or not code:
            code = _NO_CODE
        shaped: dict[str, Any]
        if not self.mask:
            shaped = {"message": message if isinstance(message, str) else "Subgraph error"}
        elif code in self.passthrough and isinstance(message, str):
            shaped = {"message": message}
            for key in INTERNAL_EXTENSION_KEYS:
                extensions.pop(key, None)
        else:
            _log.warning(
                "subgraph error masked",
                subgraph=service,
                request_id=request_id,
                code=code,
                original_message=message,
                subgraph_path=path,
                extensions=extensions or None,
            )
            shaped = {"message": masked_message(service, request_id)}
            extensions = {}
        if prefix is not None and isinstance(path, list):
            shaped["path"] = [*prefix, *path]
        elif prefix is not None and prefix:
            shaped["path"] = list(prefix)
        extensions["code"] = code
        extensions["serviceName"] = service
        shaped["extensions"] = extensions
        return shaped

    def fetch_failure(
        self,
        service: str,
        code: str,
        detail: str,
        path: Sequence[str | int] | None,
        request_id: str | None,
    ) -> dict[str, Any]:
        """The error for a subgraph call that failed as a whole (network, status, timeout,
        open circuit); the transport's detail (URL, host, port) is logged, not shown."""
        if code == CIRCUIT_OPEN:
            message = f"Subgraph {service} is unavailable (circuit breaker open); try again later"
        else:
            message = f"Could not fetch from subgraph {service}"
            _log.warning(
                "subgraph fetch failed",
                subgraph=service,
                request_id=request_id,
                code=code,
                detail=detail,
            )
            if not self.mask:
                message = f"{message}: {detail}"
        error: dict[str, Any] = {"message": message}
        if path:
            error["path"] = list(path)
        error["extensions"] = {"code": code, "serviceName": service}
        return error
