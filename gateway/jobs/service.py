"""The job API's use cases: submit an import (202, idempotent by key), read a job, list and
replay its dead letters. Only the caller that submitted a job (same client and principal) can
see it; to anybody else it does not exist."""

from __future__ import annotations

import time
import uuid
from typing import Any

import orjson
import structlog
from redis.exceptions import RedisError

from gateway.auth.principal import Principal, claims_of
from gateway.idempotency import (
    IdempotencyError,
    IdempotencyGuard,
    KeyScope,
    Replay,
    StoredResponse,
    content_fingerprint,
    scope_of,
)
from gateway.jobs.ingest import ImportFileError, parse_upload
from gateway.jobs.problems import JobApiError
from gateway.jobs.settings import JobsSettings
from gateway.observability.trace_context import outgoing_trace_headers
from wire.jobs.backend import JobBackend
from wire.jobs.model import Job, JobKind, JobState, job_resource
from wire.principal import encode_claims
from wire.tracing import TRACEPARENT, TRACESTATE

__all__ = ["JobService"]

_log = structlog.get_logger(__name__)
_UNAVAILABLE = (RedisError, OSError)
JSON = "application/json"


def _unavailable(error: Exception) -> JobApiError:
    _log.error("job backend unavailable", error=str(error))
    return JobApiError(503, "JOBS_UNAVAILABLE", "Jobs cannot be reached right now; retry later")


class JobService:
    """Jobs for one gateway process (the backend may be shared with other processes)."""

    def __init__(
        self, backend: JobBackend, settings: JobsSettings, guard: IdempotencyGuard | None
    ) -> None:
        self.backend = backend
        self.settings = settings
        self._guard = guard

    def _accepted(self, job: Job) -> StoredResponse:
        body = orjson.dumps(job_resource(job, [], False))
        headers = {
            "location": f"/jobs/{job.id}",
            "retry-after": str(self.settings.retry_after_seconds),
            "content-type": JSON,
        }
        return StoredResponse(202, body, headers)

    async def _create(
        self, principal: Principal, kind: JobKind, media_type: str, body: bytes
    ) -> StoredResponse:
        try:
            rows = parse_upload(kind, media_type, body, self.settings.max_rows)
        except ImportFileError as error:
            raise JobApiError(error.status, error.code, error.message) from error
        now = time.time()
        trace = outgoing_trace_headers() or {}  # the worker continues the request's trace
        job = Job(
            id=str(uuid.uuid4()),
            kind=kind,
            owner=scope_of(principal).owner(),
            state=JobState.QUEUED,
            total=len(rows),
            created_at=now,
            updated_at=now,
            principal=encode_claims(claims_of(principal)),
            traceparent=trace.get(TRACEPARENT),
            tracestate=trace.get(TRACESTATE),
        )
        try:
            await self.backend.create(
                job, rows, self.settings.chunk_size, self.settings.retention_seconds
            )
        except _UNAVAILABLE as error:
            raise _unavailable(error) from error
        _log.info("import job queued", job=job.id, kind=kind.value, rows=len(rows))
        return self._accepted(job)

    async def submit(
        self, principal: Principal, kind: JobKind, media_type: str, body: bytes, key: str | None
    ) -> tuple[StoredResponse, bool]:
        """Queue an import on behalf of ``principal``; the 202 response, and whether it is a
        replay. With ``key``, the same key and file return the same job (the stored 202),
        another file 422."""
        if key is None or self._guard is None:
            return await self._create(principal, kind, media_type, body), False
        scope = scope_of(principal)
        fingerprint = content_fingerprint(kind.value, media_type, body)
        try:
            outcome = await self._guard.claim(scope.digest(key), fingerprint)
        except IdempotencyError as error:
            raise JobApiError(
                error.status, str(error.code), error.message, error.headers()
            ) from error
        if isinstance(outcome, Replay):
            return outcome.response, True
        try:
            response = await self._create(principal, kind, media_type, body)
        except BaseException:
            await outcome.release()  # nothing was queued: the client may fix and retry
            raise
        await outcome.complete(response)
        return response, False

    async def _owned(self, scope: KeyScope, job_id: str) -> Job:
        try:
            job = await self.backend.get(job_id)
        except _UNAVAILABLE as error:
            raise _unavailable(error) from error
        if job is None or job.owner != scope.owner():
            raise JobApiError(404, "JOB_NOT_FOUND", f"There is no job {job_id}")
        return job

    async def status(self, scope: KeyScope, job_id: str, errors_limit: int) -> dict[str, Any]:
        """The job resource."""
        job = await self._owned(scope, job_id)
        try:
            errors, truncated = await self.backend.errors(job.id, errors_limit)
        except _UNAVAILABLE as error:
            raise _unavailable(error) from error
        return job_resource(job, errors, truncated)

    async def dead_letters(self, scope: KeyScope, job_id: str) -> dict[str, Any]:
        """The job's dead-lettered rows."""
        job = await self._owned(scope, job_id)
        try:
            letters = await self.backend.dead_letters(job.id)
        except _UNAVAILABLE as error:
            raise _unavailable(error) from error
        return {"jobId": job.id, "deadLetters": [letter.to_json() for letter in letters]}

    async def replay_dead_letters(self, scope: KeyScope, job_id: str) -> tuple[int, Job]:
        """Queue the dead-lettered rows again; how many, and the job now."""
        job = await self._owned(scope, job_id)
        try:
            replayed = await self.backend.replay_dead_letters(job.id, self.settings.chunk_size)
            current = await self.backend.get(job.id)
        except _UNAVAILABLE as error:
            raise _unavailable(error) from error
        _log.info("dead letters replayed", job=job.id, rows=replayed)
        return replayed, current or job
