"""Start, probe and stop the processes of a benchmark run (subgraphs and gateways).

Each server runs in its own session (process group), with its output in a log file under the
run directory; stopping it signals that group only: the harness never touches processes it did
not start.
"""

from __future__ import annotations

import contextlib
import os
import signal
import socket
import subprocess
import time
from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from types import TracebackType
from typing import Self

import httpx

from bench.proc_stats import TreeSnapshot, snapshot_tree

__all__ = ["BenchError", "ReadyCheck", "RunningServer", "ServerSpec", "port_is_free"]


class BenchError(RuntimeError):
    """A benchmark run cannot go on (a server did not start, a port is busy, ...)."""


@dataclass(frozen=True, slots=True)
class ReadyCheck:
    """How to tell that a server is ready: a request that must answer 200."""

    url: str
    body: bytes | None = None  # POST this JSON body when set, else GET
    headers: Mapping[str, str] = field(default_factory=dict)


@dataclass(frozen=True, slots=True)
class ServerSpec:
    """A process to run for the benchmark."""

    name: str
    command: tuple[str, ...]
    cwd: Path
    ready: ReadyCheck
    port: int
    env: Mapping[str, str] = field(default_factory=dict)
    start_timeout_seconds: float = 90.0


def port_is_free(port: int, host: str = "127.0.0.1") -> bool:
    """Whether nothing listens on ``host:port``."""
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as probe:
        probe.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        try:
            probe.bind((host, port))
        except OSError:
            return False
    return True


class RunningServer:
    """A started server; use as a context manager so that it is always stopped."""

    def __init__(self, spec: ServerSpec, log_dir: Path) -> None:
        self.spec = spec
        self.log_path = log_dir / f"{spec.name}.log"
        self._process: subprocess.Popen[bytes] | None = None

    @property
    def pid(self) -> int:
        """The process id of the started command."""
        if self._process is None:
            raise BenchError(f"{self.spec.name} is not running")
        return self._process.pid

    def start(self) -> None:
        """Start the process and wait until its ready check answers 200."""
        if not port_is_free(self.spec.port):
            raise BenchError(
                f"{self.spec.name}: port {self.spec.port} is busy; pick other ports "
                "with --port-base"
            )
        env = {**os.environ, **self.spec.env}
        with self.log_path.open("wb") as log:
            self._process = subprocess.Popen(
                self.spec.command,
                cwd=self.spec.cwd,
                env=env,
                stdout=log,
                stderr=subprocess.STDOUT,
                stdin=subprocess.DEVNULL,
                start_new_session=True,
            )
        self._wait_ready()

    def _wait_ready(self) -> None:
        deadline = time.monotonic() + self.spec.start_timeout_seconds
        check = self.spec.ready
        last_error = "no answer"
        with httpx.Client(timeout=30.0) as client:
            while time.monotonic() < deadline:
                assert self._process is not None
                if self._process.poll() is not None:
                    raise BenchError(
                        f"{self.spec.name} exited with {self._process.returncode} while "
                        f"starting:\n{self.log_tail()}"
                    )
                try:
                    if check.body is None:
                        response = client.get(check.url, headers=dict(check.headers))
                    else:
                        response = client.post(
                            check.url,
                            content=check.body,
                            headers={"content-type": "application/json", **check.headers},
                        )
                    if response.status_code == 200:
                        return
                    last_error = f"HTTP {response.status_code}: {response.text[:300]}"
                except httpx.HTTPError as exc:
                    last_error = repr(exc)
                time.sleep(0.2)
        self.stop()
        raise BenchError(
            f"{self.spec.name} was not ready after {self.spec.start_timeout_seconds:.0f} s "
            f"({last_error}):\n{self.log_tail()}"
        )

    def snapshot(self) -> TreeSnapshot:
        """CPU and memory of the server's process tree now."""
        return snapshot_tree(self.pid)

    def log_tail(self, lines: int = 30) -> str:
        """The last lines of the server's output."""
        try:
            text = self.log_path.read_text(errors="replace")
        except OSError:
            return ""
        return "\n".join(text.splitlines()[-lines:])

    def stop(self, timeout_seconds: float = 15.0) -> None:
        """SIGTERM the server's process group, then SIGKILL it if it lingers."""
        process = self._process
        if process is None or process.poll() is not None:
            return
        with contextlib.suppress(ProcessLookupError):
            os.killpg(process.pid, signal.SIGTERM)
        try:
            process.wait(timeout=timeout_seconds)
        except subprocess.TimeoutExpired:
            with contextlib.suppress(ProcessLookupError):
                os.killpg(process.pid, signal.SIGKILL)
            process.wait(timeout=timeout_seconds)

    def __enter__(self) -> Self:
        self.start()
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        traceback: TracebackType | None,
    ) -> None:
        self.stop()


@contextlib.contextmanager
def running(spec: ServerSpec, log_dir: Path) -> Iterator[RunningServer]:
    """Run ``spec`` for the duration of the ``with`` block."""
    server = RunningServer(spec, log_dir)
    with server:
        yield server
