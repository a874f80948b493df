"""An ASGI factory for ``uvicorn --factory --workers N``: settings from the environment.

The gateway's own CLI serves several processes itself (``ordergate gateway --workers N``, which
the benchmark's 2-workers row runs) and tunes the garbage collector (``runtime.gc``). This
factory builds the app *without* that tuning, for the ``[experiment]`` rows that time the
collector or try other settings (``ORDERGATE_BENCH_GC``)::

    ORDERGATE_GATEWAY_SUPERGRAPH_PATH=bench/supergraph.graphql \\
    uv run uvicorn --factory bench.asgi:gateway_app --workers 2 --port 4000 \\
        --loop uvloop --http httptools --no-access-log

Each worker calls :func:`gateway_app` and reads ``ORDERGATE_GATEWAY_*`` (and the file named by
``ORDERGATE_GATEWAY_CONFIG_FILE``) itself. Host and port are uvicorn's options here.
"""

from __future__ import annotations

import gc
import os
import threading
import time
from pathlib import Path

import orjson
from starlette.applications import Starlette

__all__ = [
    "GC_STATS_VARIABLE",
    "GC_TUNING_VARIABLE",
    "GcStats",
    "apply_gc_tuning",
    "gateway_app",
]

#: an experiment of the benchmark, not a gateway setting: ``freeze``, ``threshold=A:B:C``, both
GC_TUNING_VARIABLE = "ORDERGATE_BENCH_GC"
#: a file where the worker keeps writing its garbage collector statistics (JSON, every 0.5 s)
GC_STATS_VARIABLE = "ORDERGATE_BENCH_GC_STATS"


class GcStats:
    """Time spent in the garbage collector, per generation, written to a file periodically."""

    def __init__(self, path: Path) -> None:
        self.path = path
        self.collections = [0, 0, 0]
        self.seconds = [0.0, 0.0, 0.0]
        self._started = 0.0

    def callback(self, phase: str, info: dict[str, int]) -> None:
        """A ``gc.callbacks`` entry: time each collection."""
        if phase == "start":
            self._started = time.perf_counter()
            return
        generation = info["generation"]
        self.collections[generation] += 1
        self.seconds[generation] += time.perf_counter() - self._started

    def snapshot(self) -> dict[str, object]:
        """The counters now, with the process CPU time."""
        return {
            "collections": list(self.collections),
            "seconds": list(self.seconds),
            "process_cpu_seconds": time.process_time(),
            "threshold": list(gc.get_threshold()),
        }

    def start(self) -> None:
        """Install the callback and the writer thread."""
        gc.callbacks.append(self.callback)
        threading.Thread(target=self._write_forever, name="gc-stats", daemon=True).start()

    def _write_forever(self) -> None:
        while True:
            temporary = self.path.with_suffix(".tmp")
            temporary.write_bytes(orjson.dumps(self.snapshot()))
            temporary.replace(self.path)
            time.sleep(0.5)


def apply_gc_tuning(spec: str) -> list[str]:
    """Apply ``freeze`` (gc.freeze: objects alive now are never scanned again) and/or
    ``threshold=A:B:C`` (gc.set_threshold), comma-separated; returns what was applied."""
    applied = []
    for part in filter(None, (item.strip() for item in spec.split(","))):
        if part == "freeze":
            gc.collect()
            gc.freeze()
            applied.append(f"gc.freeze() ({gc.get_freeze_count()} objects)")
        elif part.startswith("threshold="):
            values = [int(value) for value in part.removeprefix("threshold=").split(":")]
            gc.set_threshold(*values)
            applied.append(f"gc.set_threshold{tuple(values)}")
        else:
            raise ValueError(f"{GC_TUNING_VARIABLE}: unknown item {part!r}")
    return applied


def gateway_app() -> Starlette:
    """Our gateway's ASGI app, configured from the environment."""
    from gateway.app import create_app
    from gateway.observability.logging import configure_logging
    from gateway.settings import GatewaySettings

    settings = GatewaySettings()
    configure_logging(settings.log_format)
    app = create_app(settings)
    tuning = os.environ.get(GC_TUNING_VARIABLE, "")
    if tuning:
        print(f"bench gc tuning: {'; '.join(apply_gc_tuning(tuning))}", flush=True)
    stats_file = os.environ.get(GC_STATS_VARIABLE)
    if stats_file:
        GcStats(Path(stats_file)).start()
    return app
