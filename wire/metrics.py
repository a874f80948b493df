"""Prometheus exposition shared by the deployables: ``GET /metrics`` and multiprocess mode.

Every deployable (gateway, subgraphs, worker) builds its metrics on a
:class:`~prometheus_client.CollectorRegistry` of its own app (nothing is registered at import
time, so two apps in one test process never clash) and serves them with
:class:`MetricsEndpoint`.

Several processes serving one port (``ordergate gateway --workers N``) write their values to
files in one directory per run (:func:`prepare_multiprocess_dir`, named by
``PROMETHEUS_MULTIPROC_DIR`` before any worker starts); the endpoint of every worker then
reads the files of all of them, so a scrape that reaches any worker sees the sums
(prometheus_client's multiprocess mode, docs/adr/1106).

Usage::

    registry = CollectorRegistry(auto_describe=True)
    requests = Counter("ordergate_x_total", "...", registry=registry)
    routes.append(Route("/metrics", MetricsEndpoint(registry), methods=["GET"]))
"""

from __future__ import annotations

import os
import shutil
import tempfile
from collections.abc import Iterable
from pathlib import Path

from prometheus_client import CONTENT_TYPE_LATEST, CollectorRegistry, generate_latest
from prometheus_client import multiprocess as _multiprocess
from starlette.types import Receive, Scope, Send

__all__ = [
    "MULTIPROC_DIR_VARIABLE",
    "MetricsEndpoint",
    "mark_process_dead",
    "multiprocess_dir",
    "prepare_multiprocess_dir",
    "render",
]

#: the variable prometheus_client reads (once, at import) to write values to files
MULTIPROC_DIR_VARIABLE = "PROMETHEUS_MULTIPROC_DIR"
_RUN_PREFIX = "run-"


def multiprocess_dir() -> Path | None:
    """The multiprocess directory of this run, or ``None`` in single-process mode."""
    value = os.environ.get(MULTIPROC_DIR_VARIABLE)
    return Path(value) if value else None


def render(registry: CollectorRegistry) -> bytes:
    """The text exposition of ``registry``; in multiprocess mode, of every process's files."""
    directory = multiprocess_dir()
    if directory is None:
        return generate_latest(registry)
    merged = CollectorRegistry()
    _multiprocess.MultiProcessCollector(merged, path=str(directory))  # type: ignore[no-untyped-call]
    return generate_latest(merged)


class MetricsEndpoint:
    """ASGI app answering ``GET /metrics`` in the Prometheus text format."""

    def __init__(self, registry: CollectorRegistry) -> None:
        self.registry = registry

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        del receive
        body = render(self.registry)
        headers = [
            (b"content-type", CONTENT_TYPE_LATEST.encode("latin-1")),
            (b"content-length", str(len(body)).encode("latin-1")),
            (b"cache-control", b"no-store"),
        ]
        await send({"type": "http.response.start", "status": 200, "headers": headers})
        await send({"type": "http.response.body", "body": body})


def _alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return True


def _stale(runs: Iterable[Path]) -> list[Path]:
    stale = []
    for run in runs:
        suffix = run.name.removeprefix(_RUN_PREFIX)
        if suffix.isdigit() and not _alive(int(suffix)):
            stale.append(run)
    return stale


def prepare_multiprocess_dir(base: Path | None = None, pid: int | None = None) -> Path:
    """Make an empty directory for this run's metric files and return it.

    It is ``<base>/run-<pid>`` (``base`` defaults to ``<tmp>/ordergate-metrics``; ``pid`` to
    this process, the supervisor of the workers). Directories of runs whose process is gone are
    removed first, so values never leak from one run into the next.
    """
    root = base if base is not None else Path(tempfile.gettempdir()) / "ordergate-metrics"
    root.mkdir(parents=True, exist_ok=True)
    for run in _stale(root.glob(f"{_RUN_PREFIX}*")):
        shutil.rmtree(run, ignore_errors=True)
    directory = root / f"{_RUN_PREFIX}{pid if pid is not None else os.getpid()}"
    shutil.rmtree(directory, ignore_errors=True)
    directory.mkdir()
    return directory


def mark_process_dead(pid: int | None = None) -> None:
    """Drop the live gauges of a process that stops (multiprocess mode only)."""
    directory = multiprocess_dir()
    if directory is not None:
        pid = pid if pid is not None else os.getpid()
        _multiprocess.mark_process_dead(pid, str(directory))  # type: ignore[no-untyped-call]
