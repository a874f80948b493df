"""Where the machine's CPU went during a run: the measured processes, wrk, and everybody else.

The benchmark machine is shared; a run during which other processes were busy is flagged by the
CPU they used (``others``), computed from ``/proc/stat`` minus what the run's own processes used.
"""

from __future__ import annotations

import os
import resource
from dataclasses import dataclass
from pathlib import Path

__all__ = ["CpuClock", "cpu_count", "read_busy_seconds"]


def read_busy_seconds(stat_text: str | None = None) -> tuple[float, float]:
    """(busy, total) CPU seconds of the whole machine since boot, from ``/proc/stat``."""
    text = stat_text if stat_text is not None else Path("/proc/stat").read_text()
    first = text.splitlines()[0].split()
    assert first[0] == "cpu"
    ticks = [int(value) for value in first[1:]]
    idle = ticks[3] + (ticks[4] if len(ticks) > 4 else 0)  # idle + iowait
    total = sum(ticks[:8])  # user nice system idle iowait irq softirq steal (guest is in user)
    hz = os.sysconf("SC_CLK_TCK")
    return (total - idle) / hz, total / hz


def cpu_count() -> int:
    """CPUs this process may run on."""
    return len(os.sched_getaffinity(0))


def _children_cpu() -> float:
    usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    return usage.ru_utime + usage.ru_stime


def _own_cpu() -> float:
    usage = resource.getrusage(resource.RUSAGE_SELF)
    return usage.ru_utime + usage.ru_stime


@dataclass(slots=True)
class CpuClock:
    """Started before a run, read after it: machine busy time and waited children's CPU."""

    busy_start: float = 0.0
    children_start: float = 0.0
    own_start: float = 0.0

    def start(self) -> None:
        """Remember the counters now."""
        self.busy_start, _ = read_busy_seconds()
        self.children_start = _children_cpu()
        self.own_start = _own_cpu()

    def machine_busy(self) -> float:
        """CPU seconds the whole machine spent busy since :meth:`start`."""
        busy, _ = read_busy_seconds()
        return busy - self.busy_start

    def children(self) -> float:
        """CPU seconds of child processes waited for since :meth:`start` (wrk)."""
        return _children_cpu() - self.children_start

    def own(self) -> float:
        """CPU seconds of this process (the harness: sampler, probes) since :meth:`start`."""
        return _own_cpu() - self.own_start
