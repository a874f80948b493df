"""RFC 9457 problem details, one shape for every JSON API of the gateway (the REST routes and
the ``/jobs`` API): ``type`` (a URI per stable code), ``title``, ``status``, ``detail``,
``instance`` (the request's correlation id, as in ``X-Request-ID``) and ``code``.

>>> problem_document(404, "JOB_NOT_FOUND", "No job abc", "r-1")["type"]
'https://ordergate.dev/problems/job-not-found'
"""

from __future__ import annotations

from collections.abc import Mapping
from http import HTTPStatus
from typing import Any

__all__ = ["PROBLEM_JSON", "ProblemError", "problem_document", "problem_type"]

PROBLEM_JSON = "application/problem+json"


def problem_type(code: str) -> str:
    """The problem ``type`` URI of a code: ``https://ordergate.dev/problems/version-conflict``."""
    return "https://ordergate.dev/problems/" + code.lower().replace("_", "-")


class ProblemError(Exception):
    """A request refused with a problem document: its status, stable code, detail and the
    headers to send with it (``Allow``, ``WWW-Authenticate``, ``Retry-After``...)."""

    def __init__(
        self, status: int, code: str, detail: str, headers: Mapping[str, str] | None = None
    ) -> None:
        super().__init__(detail)
        self.status = status
        self.code = code
        self.detail = detail
        self.headers = dict(headers or {})


def problem_document(status: int, code: str, detail: str, request_id: str | None) -> dict[str, Any]:
    """The problem document's members, in this order."""
    body: dict[str, Any] = {
        "type": problem_type(code),
        "title": HTTPStatus(status).phrase,
        "status": status,
        "detail": detail,
    }
    if request_id:
        body["instance"] = request_id
    body["code"] = code
    return body
