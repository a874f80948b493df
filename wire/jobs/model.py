"""Jobs, their rows' outcomes, dead letters and queued chunks, and the job resource's JSON."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from enum import StrEnum
from typing import Any

import orjson

__all__ = [
    "Chunk",
    "DeadLetter",
    "Delivery",
    "Job",
    "JobKind",
    "JobState",
    "RowError",
    "RowOutcome",
    "chunks_of",
    "job_resource",
]


class JobKind(StrEnum):
    """What a job imports."""

    ORDERS = "orders"
    CUSTOMERS = "customers"
    PRODUCTS = "products"


class JobState(StrEnum):
    """Where a job is: waiting for a worker, running, or every row has an outcome."""

    QUEUED = "queued"
    RUNNING = "running"
    COMPLETED = "completed"


class RowOutcome(StrEnum):
    """The final outcome of one row."""

    SUCCEEDED = "s"
    #: refused for good (invalid data, unknown sku...): listed in the job's errors
    FAILED = "f"
    #: failed transiently too many times: in the dead-letter list, replayable
    DEAD = "d"


@dataclass(frozen=True, slots=True)
class RowError:
    """Why a row failed (1-based row number among the file's data rows)."""

    row: int
    code: str
    message: str
    field: str | None = None

    def to_json(self) -> dict[str, Any]:
        """The error in the job resource."""
        shown: dict[str, Any] = {"row": self.row, "code": self.code, "message": self.message}
        if self.field is not None:
            shown["field"] = self.field
        return shown

    def encode(self) -> bytes:
        """As stored."""
        return orjson.dumps([self.row, self.code, self.message, self.field])

    @classmethod
    def decode(cls, raw: bytes) -> RowError:
        """From storage."""
        row, code, message, field_ = orjson.loads(raw)
        return cls(int(row), str(code), str(message), field_)


@dataclass(frozen=True, slots=True)
class DeadLetter:
    """A row that kept failing: its data, the last error, the attempts made."""

    row: int
    data: Any
    error: RowError
    attempts: int
    failed_at: float

    def to_json(self) -> dict[str, Any]:
        """The entry of ``GET /jobs/{id}/dead-letters``."""
        return {
            "row": self.row,
            "data": self.data,
            "error": self.error.to_json(),
            "attempts": self.attempts,
            "failedAt": _timestamp(self.failed_at),
        }

    def encode(self) -> bytes:
        """As stored."""
        return orjson.dumps(
            [self.row, self.data, self.error.encode().decode(), self.attempts, self.failed_at]
        )

    @classmethod
    def decode(cls, raw: bytes) -> DeadLetter:
        """From storage."""
        row, data, error, attempts, failed_at = orjson.loads(raw)
        return cls(int(row), data, RowError.decode(error.encode()), int(attempts), float(failed_at))


@dataclass(frozen=True, slots=True)
class Job:
    """A job and its progress counters."""

    id: str
    kind: JobKind
    #: the scope digest of the caller that submitted it (only they may see it)
    owner: str
    state: JobState
    total: int
    succeeded: int = 0
    #: rows that failed for good, dead-lettered rows included
    failed: int = 0
    dead_lettered: int = 0
    created_at: float = 0.0
    updated_at: float = 0.0
    finished_at: float | None = None
    #: the submitter's principal as the gateway forwards it (``X-Ordergate-Principal``): the
    #: workers act on its behalf, so the subgraphs apply the same object-level access
    principal: str | None = None
    #: the W3C ``traceparent`` of the request that submitted it (with its ``tracestate``):
    #: workers continue that trace (docs/adr/1112)
    traceparent: str | None = None
    tracestate: str | None = None

    @property
    def processed(self) -> int:
        """Rows with an outcome."""
        return self.succeeded + self.failed


@dataclass(frozen=True, slots=True)
class Chunk:
    """Rows of one job a worker takes at once (1-based numbers)."""

    job_id: str
    rows: tuple[int, ...]

    def encode(self) -> dict[str, str]:
        """The queue message's fields."""
        return {"job": self.job_id, "rows": _encode_rows(self.rows)}

    @classmethod
    def decode(cls, fields: dict[str, str]) -> Chunk:
        """From a queue message."""
        return cls(fields["job"], _decode_rows(fields["rows"]))


@dataclass(slots=True)
class Delivery:
    """A chunk handed to one worker; it must be acknowledged when every row has an outcome."""

    message_id: str
    chunk: Chunk
    #: how many times the chunk was delivered (more than 1: a worker died with it)
    deliveries: int = 1
    extra: dict[str, Any] = field(default_factory=dict)


def chunks_of(job_id: str, rows: Sequence[int], size: int) -> list[Chunk]:
    """``rows`` cut into chunks of at most ``size``."""
    return [Chunk(job_id, tuple(rows[i : i + size])) for i in range(0, len(rows), size)]


def _encode_rows(rows: tuple[int, ...]) -> str:
    if rows and list(rows) == list(range(rows[0], rows[0] + len(rows))):
        return f"{rows[0]}-{rows[-1]}"
    return ",".join(map(str, rows))


def _decode_rows(text: str) -> tuple[int, ...]:
    if "-" in text:
        first, last = text.split("-")
        return tuple(range(int(first), int(last) + 1))
    return tuple(int(part) for part in text.split(",") if part)


def _timestamp(epoch: float | None) -> str | None:
    if epoch is None:
        return None
    from datetime import UTC, datetime

    return (
        datetime.fromtimestamp(epoch, UTC).isoformat(timespec="milliseconds").replace("+00:00", "Z")
    )


def job_resource(job: Job, errors: Sequence[RowError], errors_truncated: bool) -> dict[str, Any]:
    """The JSON of ``GET /jobs/{id}``."""
    return {
        "id": job.id,
        "kind": job.kind.value,
        "state": job.state.value,
        "progress": {
            "total": job.total,
            "processed": job.processed,
            "succeeded": job.succeeded,
            "failed": job.failed,
            "deadLettered": job.dead_lettered,
        },
        "errors": [error.to_json() for error in errors],
        "errorsTruncated": errors_truncated,
        "createdAt": _timestamp(job.created_at),
        "updatedAt": _timestamp(job.updated_at),
        "finishedAt": _timestamp(job.finished_at),
        "links": {
            "self": f"/jobs/{job.id}",
            "deadLetters": f"/jobs/{job.id}/dead-letters",
        },
    }
