"""Real ``ordergate`` processes for end-to-end tests: start, wait until ready, stop, crash."""

from __future__ import annotations

import asyncio
import os
import signal
import socket
import subprocess
import sys
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path

import httpx

ORDERGATE = Path(sys.executable).with_name("ordergate")
ROOT = Path(__file__).resolve().parents[2]


def free_port() -> int:
    """A TCP port nobody listens on right now."""
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


@dataclass
class OrdergateProcess:
    """One ``ordergate ...`` child process and where its output goes."""

    process: subprocess.Popen[bytes]
    log: Path

    @property
    def returncode(self) -> int | None:
        """The exit status, ``None`` while running."""
        return self.process.poll()

    def output(self) -> str:
        """What the process wrote so far."""
        return self.log.read_text(errors="replace")

    async def wait(self, seconds: float = 60) -> int:
        """Wait (at most ``seconds``) for the process to end; its exit status."""
        return await asyncio.to_thread(self.process.wait, seconds)

    async def kill(self) -> None:
        """SIGKILL: the process dies at once, without cleanup."""
        if self.process.poll() is None:
            self.process.send_signal(signal.SIGKILL)
        await self.wait()

    async def stop(self) -> None:
        """SIGTERM, then wait (SIGKILL if it does not stop)."""
        if self.process.poll() is None:
            self.process.terminate()
            try:
                await self.wait(20)
            except subprocess.TimeoutExpired:
                await self.kill()


def start(arguments: Sequence[str], environment: Mapping[str, str], log: Path) -> OrdergateProcess:
    """Start ``ordergate <arguments>`` in the repository root with ``environment`` added."""
    env = {**os.environ, **environment}
    with log.open("ab") as output:
        process = subprocess.Popen(
            [str(ORDERGATE), *arguments],
            cwd=ROOT,
            env=env,
            stdout=output,
            stderr=subprocess.STDOUT,
        )
    return OrdergateProcess(process, log)


async def wait_until_healthy(process: OrdergateProcess, base_url: str) -> None:
    """Poll ``/health`` until it answers 200 (fails if the process exits first)."""
    async with httpx.AsyncClient(timeout=2) as client:
        for _ in range(600):
            if process.returncode is not None:
                raise AssertionError(f"the process exited:\n{process.output()}")
            try:
                if (await client.get(f"{base_url}/health")).status_code == 200:
                    return
            except httpx.TransportError:
                pass
            await asyncio.sleep(0.1)
    raise AssertionError(f"the process never became healthy:\n{process.output()}")
