"""CPU time and memory of a process tree, read from ``/proc`` (Linux only).

A gateway may be one process (ours under ``uv run``, Node peers) or several (uvicorn workers),
so every figure is taken over the process and all its descendants. Launchers that only wait
for their child (``uv``) are left out by name so that their memory does not count.
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path

__all__ = ["LAUNCHERS", "TreeSnapshot", "descendants", "snapshot_tree"]

PROC = Path("/proc")
CLOCK_TICKS = os.sysconf("SC_CLK_TCK")
#: process names that only launch the real server and wait for it
LAUNCHERS = frozenset({"uv", "timeout"})


@dataclass(frozen=True, slots=True)
class ProcessSample:
    """One process at one moment."""

    pid: int
    name: str
    cpu_seconds: float
    rss_bytes: int
    hwm_bytes: int


@dataclass(frozen=True, slots=True)
class TreeSnapshot:
    """A process tree at one moment (launchers excluded)."""

    processes: tuple[ProcessSample, ...]

    @property
    def cpu_seconds(self) -> float:
        """User plus system CPU time of every process so far."""
        return sum(process.cpu_seconds for process in self.processes)

    @property
    def rss_bytes(self) -> int:
        """Resident memory now, summed over the processes."""
        return sum(process.rss_bytes for process in self.processes)

    @property
    def hwm_bytes(self) -> int:
        """Peak resident memory (VmHWM), summed over the processes."""
        return sum(process.hwm_bytes for process in self.processes)

    def cpu_since(self, earlier: TreeSnapshot) -> float:
        """CPU seconds spent between ``earlier`` and this snapshot by processes alive in both.

        Processes that appeared in between count from zero; processes that exited are lost
        (the harness only measures long-lived servers, so none should).
        """
        before = {process.pid: process.cpu_seconds for process in earlier.processes}
        return sum(process.cpu_seconds - before.get(process.pid, 0.0) for process in self.processes)


def _children(pid: int) -> list[int]:
    found: list[int] = []
    try:
        tasks = list((PROC / str(pid) / "task").iterdir())
    except OSError:
        return found
    for task in tasks:
        try:
            text = (task / "children").read_text()
        except OSError:
            continue
        found.extend(int(child) for child in text.split())
    return found


def descendants(pid: int) -> list[int]:
    """``pid`` and every process below it, parents first."""
    order = [pid]
    index = 0
    while index < len(order):
        order.extend(_children(order[index]))
        index += 1
    return order


def parse_stat(text: str) -> tuple[str, float]:
    """The command name and utime+stime in seconds from a ``/proc/<pid>/stat`` line."""
    name = text[text.index("(") + 1 : text.rindex(")")]
    fields = text[text.rindex(")") + 2 :].split()
    # fields[0] is field 3 (state); utime and stime are fields 14 and 15
    utime, stime = int(fields[11]), int(fields[12])
    return name, (utime + stime) / CLOCK_TICKS


def parse_status_memory(text: str) -> tuple[int, int]:
    """(VmRSS, VmHWM) in bytes from a ``/proc/<pid>/status`` text (0 when absent)."""
    values = {"VmRSS": 0, "VmHWM": 0}
    for line in text.splitlines():
        key, _, rest = line.partition(":")
        if key in values:
            values[key] = int(rest.split()[0]) * 1024
    return values["VmRSS"], values["VmHWM"]


def _sample(pid: int) -> ProcessSample | None:
    try:
        name, cpu = parse_stat((PROC / str(pid) / "stat").read_text())
        rss, hwm = parse_status_memory((PROC / str(pid) / "status").read_text())
    except (OSError, ValueError):
        return None
    return ProcessSample(pid=pid, name=name, cpu_seconds=cpu, rss_bytes=rss, hwm_bytes=hwm)


def snapshot_tree(pid: int) -> TreeSnapshot:
    """CPU and memory of ``pid`` and its descendants, launchers left out."""
    samples = [_sample(member) for member in descendants(pid)]
    return TreeSnapshot(
        tuple(sample for sample in samples if sample is not None and sample.name not in LAUNCHERS)
    )
