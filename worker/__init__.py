"""Import workers: take job chunks from the queue and turn rows into subgraph mutations.

A worker runs as ``ordergate worker`` (Redis backend, any number of processes) or inside the
gateway (``jobs.in_process_worker``, the embedded default). See docs/idempotency-and-jobs.md
and ADR 0704.
"""

from worker.handlers import ImportHandler, RowResult, RowStatus, handlers_for, row_key
from worker.runner import JobWorker
from worker.service import EmbeddedWorker, default_consumer_name, run_worker
from worker.settings import WorkerSettings, worker_settings_from
from worker.supergraph_urls import subgraph_urls_of

__all__ = [
    "EmbeddedWorker",
    "ImportHandler",
    "JobWorker",
    "RowResult",
    "RowStatus",
    "WorkerSettings",
    "default_consumer_name",
    "handlers_for",
    "row_key",
    "run_worker",
    "subgraph_urls_of",
    "worker_settings_from",
]
