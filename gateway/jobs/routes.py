"""The job API on the gateway's HTTP app (mounted under ``/jobs``).

- ``POST /jobs/imports/{orders,customers,products}``: 202 with ``Location: /jobs/{id}``,
  ``Retry-After`` and the job;
- ``GET /jobs/{id}[?errors=N]``: 200 with the job (``Retry-After`` while not completed);
- ``GET /jobs/{id}/dead-letters``: 200 with the rows that kept failing;
- ``POST /jobs/{id}/dead-letters/replay``: 202 (rows queued again) or 200 (none to replay).

Callers authenticate through the same HTTP-request stages as GraphQL (the authentication
stage of ``gateway.pipeline.assembly``), never anonymously, and need the write
scope of the import's kind to submit or replay it (:mod:`gateway.jobs.rights`); errors are
RFC 9457 problem documents with a stable ``code`` and the correlation id. ``Idempotency-Key`` on
a submission returns the same job for the same file.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable, Mapping, Sequence
from typing import Any, Protocol

import orjson
from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import Route

from gateway.auth.principal import Principal
from gateway.engine.types import GraphQLResult, RequestContext
from gateway.idempotency import (
    IDEMPOTENCY_KEY_HEADER,
    REPLAYED_HEADER,
    IdempotencyError,
    KeyScope,
    parse_idempotency_key,
    scope_of,
)
from gateway.jobs.problems import JobApiError, problem_response
from gateway.jobs.rights import require_authenticated, require_import_scope
from gateway.jobs.service import JobService
from gateway.jobs.settings import JobsSettings
from gateway.observability.observation import note_codes, observe_context
from wire.jobs.model import JobKind, JobState

__all__ = ["JobsApi"]

JSON = "application/json"
_MAX_ERRORS = 1000


class RequestStage(Protocol):
    """A stage with the HTTP-request hook (``gateway.pipeline.stages.RequestHook``)."""

    async def on_request(self, context: RequestContext) -> GraphQLResult | None:
        """Refuse the request (a result) or let it through, possibly setting the principal."""
        ...


Handler = Callable[[Request, Principal], Awaitable[Response]]


def _json(body: Any, status: int = 200, headers: Mapping[str, str] | None = None) -> Response:
    return Response(orjson.dumps(body), status_code=status, headers=headers, media_type=JSON)


class JobsApi:
    """The ``/jobs`` routes over a :class:`JobService`."""

    def __init__(
        self,
        service: JobService,
        stages: Sequence[RequestStage],
        settings: JobsSettings,
        realm: str = "ordergate",
    ) -> None:
        self.service = service
        self._stages = tuple(stages)
        self._settings = settings
        self._challenge = f'Bearer realm="{realm}", ApiKey realm="{realm}"'

    def routes(self) -> list[Route]:
        """The routes, relative to the ``/jobs`` mount."""
        return [
            Route("/imports/{kind}", self._guarded(self.submit, writes=True), methods=["POST"]),
            Route("/{job_id}", self._guarded(self.status), methods=["GET"]),
            Route("/{job_id}/dead-letters", self._guarded(self.dead_letters), methods=["GET"]),
            Route(
                "/{job_id}/dead-letters/replay",
                self._guarded(self.replay, writes=True),
                methods=["POST"],
            ),
        ]

    def _guarded(
        self, handler: Handler, *, writes: bool = False
    ) -> Callable[[Request], Awaitable[Response]]:
        async def endpoint(request: Request) -> Response:
            request_id = getattr(request.state, "request_id", None)
            try:
                principal = await self._principal(request, writes=writes)
                return await handler(request, principal)
            except JobApiError as error:
                note_codes(request.scope, (error.code,))
                return problem_response(error, request_id)

        return endpoint

    async def _principal(self, request: Request, *, writes: bool) -> Principal:
        headers = {name.lower(): value for name, value in request.headers.items()}
        context = RequestContext(
            request_id=getattr(request.state, "request_id", None) or "",
            headers=headers,
            method=request.method,
            peer=request.client.host if request.client else None,
            attributes={"transport": "jobs"},
        )
        observe_context(request.scope, context)  # the client and transport of metrics
        for stage in self._stages:
            refused = await stage.on_request(context)
            if refused is not None:
                raise _problem(refused)
        principal = context.principal
        require_authenticated(principal, self._challenge)
        scope = self._settings.submit_scope
        if writes and scope is not None and scope not in principal.scopes:
            raise JobApiError(403, "INSUFFICIENT_SCOPE", f"This needs the scope {scope}")
        return principal

    async def _body(self, request: Request) -> bytes:
        limit = self._settings.max_upload_bytes
        declared = request.headers.get("content-length")
        if declared is not None and declared.isdigit() and int(declared) > limit:
            raise JobApiError(413, "PAYLOAD_TOO_LARGE", f"The file exceeds {limit} bytes")
        chunks, size = [], 0
        async for chunk in request.stream():
            size += len(chunk)
            if size > limit:
                raise JobApiError(413, "PAYLOAD_TOO_LARGE", f"The file exceeds {limit} bytes")
            chunks.append(chunk)
        return b"".join(chunks)

    async def submit(self, request: Request, principal: Principal) -> Response:
        """Queue an import job."""
        try:
            kind = JobKind(request.path_params["kind"])
        except ValueError as error:
            kinds = ", ".join(kind.value for kind in JobKind)
            raise JobApiError(404, "UNKNOWN_IMPORT", f"Imports are: {kinds}") from error
        require_import_scope(principal, kind)
        try:
            key = parse_idempotency_key(request.headers.get(IDEMPOTENCY_KEY_HEADER))
        except IdempotencyError as error:
            raise JobApiError(error.status, str(error.code), error.message) from error
        body = await self._body(request)
        media_type = request.headers.get("content-type", "")
        stored, replayed = await self.service.submit(principal, kind, media_type, body, key)
        headers = dict(stored.headers)
        headers.pop("content-type", None)
        if replayed:
            headers[REPLAYED_HEADER] = "true"
        return Response(stored.body, stored.status, headers, media_type=JSON)

    async def status(self, request: Request, principal: Principal) -> Response:
        """The job resource."""
        raw = request.query_params.get("errors", "100")
        if not raw.isdigit() or int(raw) > _MAX_ERRORS:
            raise JobApiError(400, "BAD_REQUEST", f"errors must be 0 to {_MAX_ERRORS}")
        job = await self.service.status(_scope(principal), request.path_params["job_id"], int(raw))
        headers = {}
        if job["state"] != JobState.COMPLETED.value:
            headers["retry-after"] = str(self._settings.retry_after_seconds)
        return _json(job, headers=headers)

    async def dead_letters(self, request: Request, principal: Principal) -> Response:
        """The rows that kept failing."""
        return _json(
            await self.service.dead_letters(_scope(principal), request.path_params["job_id"])
        )

    async def replay(self, request: Request, principal: Principal) -> Response:
        """Queue the dead-lettered rows again (the caller still needs the import's scope)."""
        job_id = request.path_params["job_id"]
        current = await self.service.status(_scope(principal), job_id, 0)
        require_import_scope(principal, JobKind(current["kind"]))
        replayed, job = await self.service.replay_dead_letters(_scope(principal), job_id)
        body = {"jobId": job.id, "replayed": replayed, "state": job.state.value}
        if not replayed:
            return _json(body)
        headers = {
            "location": f"/jobs/{job.id}",
            "retry-after": str(self._settings.retry_after_seconds),
        }
        return _json(body, 202, headers)


def _problem(refused: GraphQLResult) -> JobApiError:
    """A stage's refusal (one GraphQL error) as a problem document."""
    error = (refused.errors or [{}])[0]
    code = str((error.get("extensions") or {}).get("code", "BAD_REQUEST"))
    return JobApiError(refused.status_code, code, str(error.get("message", "")), refused.headers)


def _scope(principal: Principal) -> KeyScope:
    return scope_of(principal)
