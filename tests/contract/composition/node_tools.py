"""Run the Node reference tools of `tests/contract/node`: Apollo composer, Apollo and Hive gateways.

The tools are installed by the tests themselves with ``npm ci`` from the committed
``package-lock.json`` into ``tests/contract/node/node_modules`` (gitignored), once per lock
file version. Without ``node``/``npm`` on PATH the tests are skipped with that reason.
"""

from __future__ import annotations

import hashlib
import json
import shutil
import subprocess
from pathlib import Path
from typing import Any

import pytest

NODE_DIR = Path(__file__).resolve().parents[1] / "node"
MINIMUM_NODE = 20


def _node_major(node: str) -> int:
    version = subprocess.run([node, "--version"], capture_output=True, text=True, check=True)
    return int(version.stdout.strip().lstrip("v").split(".")[0])


def ensure_node_tools() -> Path:
    """Install the Node tools if needed; skip the calling test when Node is unavailable."""
    node, npm = shutil.which("node"), shutil.which("npm")
    if node is None or npm is None:
        pytest.skip("node and npm are not on PATH: the Apollo/Hive contract tests need Node 20+")
    if _node_major(node) < MINIMUM_NODE:
        pytest.skip(f"Node {MINIMUM_NODE}+ is needed for the Apollo/Hive contract tests")
    lock = (NODE_DIR / "package-lock.json").read_bytes()
    stamp = NODE_DIR / ".installed-lock"
    digest = hashlib.sha256(lock).hexdigest()
    if (NODE_DIR / "node_modules").is_dir() and stamp.is_file() and stamp.read_text() == digest:
        return NODE_DIR
    result = subprocess.run(
        [npm, "ci", "--no-audit", "--no-fund", "--loglevel=error"],
        cwd=NODE_DIR,
        capture_output=True,
        text=True,
        timeout=900,
    )
    if result.returncode != 0:
        pytest.fail(f"npm ci failed in {NODE_DIR}:\n{result.stdout}\n{result.stderr}")
    stamp.write_text(digest)
    return NODE_DIR


def run_tool(script: str, *arguments: str) -> Any:
    """Run ``node <script> <arguments>`` in the tools folder and parse its JSON output."""
    node = shutil.which("node")
    assert node is not None
    result = subprocess.run(
        [node, script, *arguments],
        cwd=ensure_node_tools(),
        capture_output=True,
        text=True,
        timeout=600,
    )
    if result.returncode != 0:
        pytest.fail(f"node {script} failed:\n{result.stderr}")
    return json.loads(result.stdout)
