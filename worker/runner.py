"""The worker loop: take a chunk, run its rows with retries and backoff, record, acknowledge.

Per chunk: rows that already have an outcome are skipped (a chunk delivered again after its
worker died); the others run through the job kind's handler. A row that fails for good is
recorded with its error; a transient failure is retried with exponential backoff up to
``max_attempts``, then the row goes to the dead-letter list with its data and last error. The
chunk is acknowledged once every row has an outcome. While a chunk runs, the worker touches it
so no other worker takes it over; if the worker dies, another one does after
``claim_idle_seconds``. A chunk delivered more than ``max_deliveries`` times (it keeps killing
workers) dead-letters its unfinished rows.
"""

from __future__ import annotations

import asyncio
import contextlib
import time
from collections.abc import Awaitable, Callable, Mapping

import structlog
from opentelemetry.trace import Tracer
from redis.exceptions import RedisError

from wire.jobs.backend import JobBackend
from wire.jobs.model import DeadLetter, Delivery, Job, JobKind, RowError, RowOutcome
from wire.jobs.options import WorkerOptions
from worker.handlers import ImportHandler, RowResult, RowStatus
from worker.tracing import continuing

__all__ = ["JobWorker"]

_log = structlog.get_logger(__name__)
_BACKEND_ERRORS = (RedisError, OSError)


class JobWorker:
    """Consumes chunks from a job backend until stopped."""

    def __init__(
        self,
        backend: JobBackend,
        handlers: Mapping[JobKind, ImportHandler],
        options: WorkerOptions,
        consumer: str,
        *,
        sleep: Callable[[float], Awaitable[None]] = asyncio.sleep,
        heartbeat: Callable[[], Awaitable[None]] | None = None,
        observer: Callable[[JobKind, RowOutcome], None] | None = None,
        tracer: Tracer | None = None,
    ) -> None:
        self.backend = backend
        #: told of every row recorded (the worker's metrics)
        self._observer = observer
        #: spans continuing the submitters' traces (``None``: tracing off, headers passed on)
        self._tracer = tracer
        self.consumer = consumer
        self._handlers = handlers
        self._options = options
        self._sleep = sleep
        self._heartbeat = heartbeat
        #: rows this worker recorded (for logs and tests)
        self.recorded = 0
        #: whether a chunk is in hand (stopping then waits for it; otherwise it may cancel)
        self.busy = False

    async def run(self, stop: asyncio.Event) -> None:
        """Process chunks until ``stop`` is set (the chunk in hand is finished first)."""
        options = self._options
        _log.info("worker started", consumer=self.consumer)
        while not stop.is_set():
            if self._heartbeat is not None:
                await self._heartbeat()
            try:
                delivery = await self.backend.receive(
                    self.consumer,
                    claim_idle_seconds=options.claim_idle_seconds,
                    block_seconds=options.poll_seconds,
                )
            except _BACKEND_ERRORS as error:
                _log.warning("job backend unavailable; retrying", error=str(error))
                await self._sleep(options.poll_seconds)
                continue
            if delivery is not None:
                await self.process(delivery)
        _log.info("worker stopped", consumer=self.consumer)

    async def _keep_claimed(self, delivery: Delivery) -> None:
        interval = self._options.claim_idle_seconds / 3
        while True:
            await asyncio.sleep(interval)
            try:
                await self.backend.touch(delivery, self.consumer)
            except _BACKEND_ERRORS as error:
                _log.warning("could not touch a chunk", error=str(error))

    async def process(self, delivery: Delivery) -> None:
        """Run one chunk to the end and acknowledge it."""
        keeper = asyncio.create_task(self._keep_claimed(delivery))
        self.busy = True
        try:
            await self._process(delivery)
        finally:
            self.busy = False
            keeper.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await keeper

    async def _process(self, delivery: Delivery) -> None:
        backend, chunk = self.backend, delivery.chunk
        job = await backend.get(chunk.job_id)
        if job is None:  # expired or unknown: nothing to do
            await backend.ack(delivery)
            return
        done = await backend.outcomes(job.id, chunk.rows)
        pending = [row for row in chunk.rows if row not in done]
        rows = await backend.rows(job.id, pending)
        if delivery.deliveries > self._options.max_deliveries:
            error_code = "REDELIVERY_LIMIT"
            message = f"the chunk was delivered {delivery.deliveries} times (workers died on it)"
            for row in pending:
                error = RowError(row, error_code, message)
                await self._dead(job, row, rows.get(row), error, delivery.deliveries)
            await backend.ack(delivery)
            return
        handler = self._handlers[job.kind]
        attempt = 1
        while pending:
            with continuing(self._tracer, job, rows=len(pending), attempt=attempt):
                results = await self._attempt(handler, job, {r: rows.get(r) for r in pending})
            retry: list[int] = []
            for row, result in results.items():
                if result.status is RowStatus.SUCCEEDED:
                    await self._record(job, row, RowOutcome.SUCCEEDED)
                elif result.status is RowStatus.FAILED:
                    await self._record(job, row, RowOutcome.FAILED, result.error)
                elif attempt >= self._options.max_attempts:
                    assert result.error is not None
                    await self._dead(job, row, rows.get(row), result.error, attempt)
                else:
                    retry.append(row)
            if retry:
                await self._sleep(self._backoff(attempt))
                attempt += 1
            pending = retry
        await backend.ack(delivery)

    async def _attempt(
        self, handler: ImportHandler, job: Job, rows: Mapping[int, object]
    ) -> dict[int, RowResult]:
        try:
            return await handler.run(job, rows)
        except Exception as error:  # a bug must not lose the chunk: retry, then dead-letter
            _log.exception("import handler failed", job=job.id)
            message = f"the worker failed: {type(error).__name__}"
            return {
                row: RowResult(RowStatus.TRANSIENT, RowError(row, "WORKER_ERROR", message))
                for row in rows
            }

    def _backoff(self, attempt: int) -> float:
        options = self._options
        return float(min(options.max_backoff_seconds, options.backoff_seconds * 2 ** (attempt - 1)))

    async def _record(
        self, job: Job, row: int, outcome: RowOutcome, error: RowError | None = None
    ) -> None:
        if await self.backend.record(job.id, row, outcome, error):
            self._recorded(job, outcome)

    async def _dead(self, job: Job, row: int, data: object, error: RowError, attempts: int) -> None:
        letter = DeadLetter(row, data, error, attempts, time.time())
        _log.warning("row dead-lettered", job=job.id, row=row, code=error.code)
        if await self.backend.record(job.id, row, RowOutcome.DEAD, error, letter):
            self._recorded(job, RowOutcome.DEAD)

    def _recorded(self, job: Job, outcome: RowOutcome) -> None:
        self.recorded += 1
        if self._observer is not None:
            self._observer(job.kind, outcome)
