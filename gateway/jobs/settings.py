"""Typed settings of the gateway's job API (``GatewaySettings.jobs``); how a worker processes
jobs is :class:`wire.jobs.options.WorkerOptions` (read by ``ordergate worker`` too)."""

from __future__ import annotations

from typing import Literal

from pydantic import BaseModel, ConfigDict, Field

from wire.jobs.options import WorkerOptions

__all__ = ["JobsSettings"]


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


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
