"""Typed settings of import jobs: the gateway's job API (``GatewaySettings.jobs``) and how a
worker processes jobs (:class:`WorkerOptions`, read by ``ordergate worker`` and by the
gateway's in-process worker)."""

from __future__ import annotations

from typing import Literal

from pydantic import BaseModel, ConfigDict, Field

__all__ = ["JobsSettings", "WorkerOptions"]


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class WorkerOptions(_Strict):
    """How a worker runs the rows of a job."""

    concurrency: int = Field(
        default=8, gt=0, le=64, description="Rows of one chunk sent to subgraphs at the same time."
    )
    max_attempts: int = Field(
        default=4,
        gt=0,
        description="Attempts of a row whose failure is transient (subgraph unreachable, 5xx, "
        "timeout, INTERNAL_SERVER_ERROR) before it goes to the dead-letter list.",
    )
    max_deliveries: int = Field(
        default=5,
        gt=0,
        description="Deliveries of one chunk (each after its worker died or went silent) before "
        "its unfinished rows go to the dead-letter list: a row that kills workers is poison.",
    )
    backoff_seconds: float = Field(
        default=0.5, ge=0, description="Wait before the second attempt; doubles each time."
    )
    max_backoff_seconds: float = Field(
        default=10.0, ge=0, description="Longest wait between two attempts."
    )
    claim_idle_seconds: float = Field(
        default=30.0,
        gt=0,
        description="A chunk delivered to a worker that has not reported progress for this long "
        "is taken over by another worker (its worker died). Rows already recorded are skipped, "
        "rows in progress run again under the same idempotency key, so nothing is duplicated.",
    )
    poll_seconds: float = Field(
        default=1.0, gt=0, description="How long a worker waits for new chunks in one poll."
    )
    subgraph_timeout_seconds: float = Field(
        default=30.0, gt=0, description="Timeout of one call to a subgraph."
    )


class JobsSettings(_Strict):
    """Long-running imports answered with HTTP 202 and a job resource (``/jobs``)."""

    enabled: bool = Field(default=True, description="Serve the job API under /jobs.")
    backend: Literal["memory", "redis"] = Field(
        default="memory",
        description="Where jobs and their queue live: in this process (the embedded default; "
        "jobs are lost on restart) or in Redis (a durable stream with a consumer group, shared "
        "by gateways and 'ordergate worker' processes).",
    )
    key_prefix: str = Field(
        default="jobs",
        min_length=1,
        description="Key segment of job data in Redis: '<redis.key_prefix>:<this>:...'.",
    )
    max_upload_bytes: int = Field(
        default=64 * 1024 * 1024, gt=0, description="Largest accepted import file (HTTP 413)."
    )
    max_rows: int = Field(default=100_000, gt=0, description="Most rows of one import (HTTP 413).")
    chunk_size: int = Field(
        default=100, gt=0, le=500, description="Rows per queued chunk (the unit a worker takes)."
    )
    retention_seconds: int = Field(
        default=7 * 86_400, gt=0, description="How long a job, its rows and errors are kept."
    )
    retry_after_seconds: int = Field(
        default=1, gt=0, description="Retry-After of a 202 and of a job still running."
    )
    submit_scope: str | None = Field(
        default=None,
        description="A scope callers must hold to submit imports and replay dead letters "
        "(default none: any authenticated or allowed anonymous caller).",
    )
    in_process_worker: bool = Field(
        default=True,
        description="Run a worker inside the gateway process (needed with the memory backend; "
        "with Redis, separate 'ordergate worker' processes can do the work instead).",
    )
    processing: WorkerOptions = Field(default_factory=WorkerOptions)
