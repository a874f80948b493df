"""RFC 9457 problem details for the job API: ``application/problem+json`` with a stable ``code``
and the request's correlation id.

>>> problem_body(404, "JOB_NOT_FOUND", "No job abc", "r-1", "/jobs/abc")["type"]
'urn:ordergate:problem:JOB_NOT_FOUND'
"""

from __future__ import annotations

from collections.abc import Mapping
from http import HTTPStatus
from typing import Any

import orjson
from starlette.responses import Response

__all__ = ["PROBLEM_JSON", "JobApiError", "problem_body", "problem_response"]

PROBLEM_JSON = "application/problem+json"


class JobApiError(Exception):
    """A refused job API request."""

    def __init__(
        self, status: int, code: str, detail: str, headers: Mapping[str, str] | None = None
    ) -> None:
        super().__init__(detail)
        self.status = status
        self.code = code
        self.detail = detail
        self.headers = dict(headers or {})


def problem_body(
    status: int, code: str, detail: str, request_id: str | None, instance: str
) -> dict[str, Any]:
    """The problem document."""
    return {
        "type": f"urn:ordergate:problem:{code}",
        "title": HTTPStatus(status).phrase,
        "status": status,
        "detail": detail,
        "code": code,
        "instance": instance,
        "requestId": request_id,
    }


def problem_response(error: JobApiError, request_id: str | None, instance: str) -> Response:
    """The HTTP response of ``error``."""
    body = problem_body(error.status, error.code, error.detail, request_id, instance)
    return Response(
        orjson.dumps(body), status_code=error.status, headers=error.headers, media_type=PROBLEM_JSON
    )
