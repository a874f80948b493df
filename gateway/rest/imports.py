"""Bulk imports under the REST prefix: ``POST /api/v1/imports/{orders,customers,products}``.

An import is not a GraphQL operation (it is a file, answered 202 while a worker runs its rows),
so it is no route of the route file. Legacy callers find it beside the other REST paths as an
alias of the job API's ``POST /jobs/imports/{kind}`` (:mod:`gateway.jobs.routes`): the same
endpoint object, hence the same authentication stages, write scope per kind, ``Idempotency-Key``,
upload limits, problem documents, and the same answer (202, ``Location: /jobs/{id}``,
``Retry-After``). The job resource stays where it is (``/jobs/{id}``): one URL per job
(docs/adr/1008).

``gateway/app.py`` mounts them in its job API block, before the REST endpoint's mount of the
prefix (Starlette tries routes in order, and that mount matches every path under the prefix)::

    jobs = JobsApi(runtime.jobs, stages, settings.jobs, settings.auth.realm)
    routes.append(Mount("/jobs", routes=jobs.routes()))
    routes[0:0] = import_routes(jobs, prefix)   # prefix: the route file's, as rest_routes reads it
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable

from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import BaseRoute, Route

from gateway.jobs import JobsApi
from gateway.jobs.problems import JobApiError, problem_response

__all__ = ["IMPORTS_PATH", "import_routes"]

#: the job API's submission route, relative to its ``/jobs`` mount
IMPORTS_PATH = "/imports/{kind}"

Endpoint = Callable[[Request], Awaitable[Response]]
#: the alias answers every method itself (a function endpoint would otherwise be GET only)
_ANY = ["GET", "HEAD", "POST", "PUT", "PATCH", "DELETE", "OPTIONS"]


def import_routes(jobs: JobsApi, prefix: str = "/api/v1") -> list[BaseRoute]:
    """``POST {prefix}/imports/{kind}``, served by the job API's own submission endpoint; any
    other method is 405 with ``Allow: POST`` (not the REST endpoint's 404 for the prefix)."""
    for route in jobs.routes():
        if isinstance(route, Route) and route.path == IMPORTS_PATH:
            return [Route(prefix + IMPORTS_PATH, _post_only(route.endpoint), methods=_ANY)]
    raise LookupError(f"the job API has no {IMPORTS_PATH} route")


def _post_only(submit: Endpoint) -> Endpoint:
    async def endpoint(request: Request) -> Response:
        if request.method == "POST":
            return await submit(request)
        error = JobApiError(
            405, "METHOD_NOT_ALLOWED", "Imports are submitted with POST", {"allow": "POST"}
        )
        return problem_response(error, getattr(request.state, "request_id", None))

    return endpoint
