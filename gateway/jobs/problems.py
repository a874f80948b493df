"""RFC 9457 problem details for the job API, in the shape every JSON API of the gateway uses
(:mod:`gateway.problems`): ``application/problem+json`` with a stable ``code`` and the
request's correlation id as ``instance`` (and, for the job API's first clients, ``requestId``).

>>> problem_body(404, "JOB_NOT_FOUND", "No job abc", "r-1")["instance"]
'r-1'
"""

from __future__ import annotations

from typing import Any

import orjson
from starlette.responses import Response

from gateway.problems import PROBLEM_JSON, ProblemError, problem_document

__all__ = ["PROBLEM_JSON", "JobApiError", "problem_body", "problem_response"]


class JobApiError(ProblemError):
    """A refused job API request."""


def problem_body(status: int, code: str, detail: str, request_id: str | None) -> dict[str, Any]:
    """The problem document."""
    body = problem_document(status, code, detail, request_id)
    if request_id:
        body["requestId"] = request_id
    return body


def problem_response(error: JobApiError, request_id: str | None) -> Response:
    """The HTTP response of ``error``."""
    body = problem_body(error.status, error.code, error.detail, request_id)
    return Response(
        orjson.dumps(body), status_code=error.status, headers=error.headers, media_type=PROBLEM_JSON
    )
