"""How a worker processes jobs: typed options read by ``ordergate worker``
(``ORDERGATE_WORKER_PROCESSING__*``) and by the gateway's in-process worker
(``jobs.processing``)."""

from __future__ import annotations

from pydantic import BaseModel, ConfigDict, Field

__all__ = ["WorkerOptions"]


class WorkerOptions(BaseModel):
    """How a worker runs the rows of a job."""

    model_config = ConfigDict(extra="forbid", frozen=True)

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
    metrics_port: int | None = Field(
        default=None,
        ge=0,
        le=65535,
        description="Serve the worker's Prometheus metrics (queue depth, dead letters, rows "
        "processed) on GET /metrics at this port (none: no listener; 0: any free port).",
    )
    metrics_host: str = Field(default="127.0.0.1", description="Interface of the metrics listener.")
