"""Paths, ports and installed tools shared by every scenario."""

from __future__ import annotations

import hashlib
import shutil
import subprocess
import time
from dataclasses import dataclass
from pathlib import Path

from bench.servers import BenchError

__all__ = ["BENCH_DIR", "REPO_ROOT", "RunContext", "ensure_node_modules", "node_binary"]

BENCH_DIR = Path(__file__).resolve().parent
REPO_ROOT = BENCH_DIR.parent
RESULTS_DIR = BENCH_DIR / "results"
NODE_MODULES = BENCH_DIR / "node_modules"
_STAMP = NODE_MODULES / ".installed-lock"


def node_binary() -> str:
    """The node executable (Node 20+)."""
    node = shutil.which("node")
    if node is None:
        raise BenchError("node is not on PATH: the stand-in subgraphs and peers need Node 20+")
    return node


def ensure_node_modules(*, force: bool = False) -> None:
    """``npm ci`` into ``bench/node_modules`` from the committed lock, once per lock version."""
    npm = shutil.which("npm")
    if npm is None:
        raise BenchError("npm is not on PATH: it installs the peer gateways into bench/")
    digest = hashlib.sha256((BENCH_DIR / "package-lock.json").read_bytes()).hexdigest()
    if not force and _STAMP.is_file() and _STAMP.read_text() == digest:
        return
    print("installing the peer gateways into bench/node_modules (npm ci) ...", flush=True)
    completed = subprocess.run(
        [npm, "ci", "--no-audit", "--no-fund", "--loglevel=error"],
        cwd=BENCH_DIR,
        capture_output=True,
        text=True,
        timeout=1800,
        check=False,
    )
    if completed.returncode != 0:
        raise BenchError(f"npm ci failed:\n{completed.stdout}\n{completed.stderr}")
    _STAMP.write_text(digest)


@dataclass(frozen=True, slots=True)
class RunContext:
    """One invocation of the harness: where results go and which ports it may use."""

    run_dir: Path
    port_base: int

    @classmethod
    def create(cls, scenario: str, port_base: int) -> RunContext:
        """A fresh ``bench/results/<time>-<scenario>/`` directory."""
        stamp = time.strftime("%Y%m%d-%H%M%S")
        run_dir = RESULTS_DIR / f"{stamp}-{scenario}"
        run_dir.mkdir(parents=True, exist_ok=True)
        return cls(run_dir=run_dir, port_base=port_base)

    def port(self, offset: int) -> int:
        """The port ``port_base + offset``."""
        return self.port_base + offset
