"""Long-running imports as jobs: HTTP 202 with a job resource, a durable queue, dead letters.

The gateway accepts an import (``POST /jobs/imports/{kind}``), stores its rows and queues them in
chunks (:class:`JobBackend`: in process, or Redis Streams), and answers 202 with ``Location`` and
``Retry-After``. Workers (package ``worker``) run the rows against the subgraphs. See
docs/idempotency-and-jobs.md.
"""

from gateway.jobs.backend import JobBackend
from gateway.jobs.factory import build_job_backend
from gateway.jobs.ingest import ImportFileError, parse_upload
from gateway.jobs.memory import MemoryJobBackend
from gateway.jobs.model import (
    Chunk,
    DeadLetter,
    Delivery,
    Job,
    JobKind,
    JobState,
    RowError,
    RowOutcome,
    job_resource,
)
from gateway.jobs.problems import PROBLEM_JSON, JobApiError
from gateway.jobs.redis_backend import RedisJobBackend
from gateway.jobs.routes import JobsApi
from gateway.jobs.service import JobService
from gateway.jobs.settings import JobsSettings, WorkerOptions

__all__ = [
    "PROBLEM_JSON",
    "Chunk",
    "DeadLetter",
    "Delivery",
    "ImportFileError",
    "Job",
    "JobApiError",
    "JobBackend",
    "JobKind",
    "JobService",
    "JobState",
    "JobsApi",
    "JobsSettings",
    "MemoryJobBackend",
    "RedisJobBackend",
    "RowError",
    "RowOutcome",
    "WorkerOptions",
    "build_job_backend",
    "job_resource",
    "parse_upload",
]
