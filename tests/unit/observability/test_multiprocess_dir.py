"""The directory of metric files of one ``--workers N`` run (docs/adr/1106)."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

from wire.metrics import prepare_multiprocess_dir


def _dead_pid() -> int:
    child = subprocess.Popen([sys.executable, "-c", "pass"])
    child.wait()
    return child.pid


def test_a_run_gets_an_empty_directory_and_dead_runs_are_removed(tmp_path: Path) -> None:
    dead = tmp_path / f"run-{_dead_pid()}"
    dead.mkdir()
    (dead / "counter_1.db").write_bytes(b"old")
    alive = tmp_path / f"run-{os.getppid()}"  # a live process: its files stay
    alive.mkdir()
    leftover = tmp_path / f"run-{os.getpid()}"
    leftover.mkdir()
    (leftover / "counter_2.db").write_bytes(b"from an earlier run of this pid")

    run = prepare_multiprocess_dir(tmp_path)

    assert run == leftover
    assert list(run.iterdir()) == []
    assert not dead.exists()
    assert alive.is_dir()
