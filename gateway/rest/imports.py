"""Bulk imports under the REST prefix: ``POST /api/v1/imports/{orders,customers,products}``.

An import is not a GraphQL operation (it is a file, answered 202 while a worker runs its rows),
so it is no route of the route file. Legacy callers find it beside the other REST paths as an
alias of the job API's ``POST /jobs/imports/{kind}`` (:mod:`gateway.jobs.routes`): the same
endpoint object, hence the same authentication stages, write scope per kind, ``Idempotency-Key``,
upload limits, problem documents, and the same answer (202, ``Location: /jobs/{id}``,
``Retry-After``). The job resource stays where it is (``/jobs/{id}``): one URL per job
(docs/adr/1008).

``gateway/app.py`` mounts them next to the job API, before the REST endpoint's mount of the
prefix (Starlette tries routes in order)::

    jobs = JobsApi(runtime.jobs, stages, settings.jobs, settings.auth.realm)
    routes.append(Mount("/jobs", routes=jobs.routes()))
    routes.extend(import_routes(jobs))     # POST /api/v1/imports/{kind}
"""

from __future__ import annotations

from starlette.routing import BaseRoute, Route

from gateway.jobs import JobsApi

__all__ = ["IMPORTS_PATH", "import_routes"]

#: the job API's submission route, relative to its ``/jobs`` mount
IMPORTS_PATH = "/imports/{kind}"


def import_routes(jobs: JobsApi, prefix: str = "/api/v1") -> list[BaseRoute]:
    """``POST {prefix}/imports/{kind}``, served by the job API's own submission endpoint."""
    for route in jobs.routes():
        if isinstance(route, Route) and route.path == IMPORTS_PATH:
            return [Route(prefix + IMPORTS_PATH, route.endpoint, methods=["POST"])]
    raise LookupError(f"the job API has no {IMPORTS_PATH} route")
