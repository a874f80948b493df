"""Long-running imports as jobs: HTTP 202 with a job resource, a durable queue, dead letters.

The gateway accepts an import (``POST /jobs/imports/{kind}``), stores its rows and queues them in
chunks (:class:`wire.jobs.backend.JobBackend`: in process, or Redis Streams), and answers 202
with ``Location`` and ``Retry-After``. Workers (package ``worker``) run the rows against the
subgraphs. See docs/idempotency-and-jobs.md.
"""

from gateway.jobs.factory import build_job_backend
from gateway.jobs.ingest import ImportFileError, parse_upload
from gateway.jobs.problems import PROBLEM_JSON, JobApiError
from gateway.jobs.routes import JobsApi
from gateway.jobs.service import JobService
from gateway.jobs.settings import JobsSettings

__all__ = [
    "PROBLEM_JSON",
    "ImportFileError",
    "JobApiError",
    "JobService",
    "JobsApi",
    "JobsSettings",
    "build_job_backend",
    "parse_upload",
]
