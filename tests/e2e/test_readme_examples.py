"""Every shell example in the README runs as printed against ``ordergate dev``.

The test starts the real ``ordergate dev`` command (a subprocess, seeded SQLite databases in a
temporary checkout-like folder with ``data/`` and ``.venv``), then runs each ```` ```sh ```` block
and each ``$`` line of a ```` ```console ```` block with bash, in the environment a reader has
after ``source data/demo.env``. The only change made to the text is the port: the stack runs on
``--port-offset`` so that a developer's own ``make dev`` on 4000-4004 is left alone.

A block passes when bash exits 0 (or with the status a ``# exit status N`` comment in it
names), prints something, no response is a 5xx, and every error code
in the output (``"code": "..."`` or an import's ``row N: CODE``) is one the block itself shows
in its comments: an example that suddenly fails with ``UNAUTHENTICATED``, ``FORBIDDEN`` or a JSON
parse error fails here.
"""

from __future__ import annotations

import asyncio
import os
import re
import signal
import socket
import sys
from collections.abc import AsyncIterator
from dataclasses import dataclass
from pathlib import Path

import pytest

pytestmark = pytest.mark.slow

README = Path(__file__).parents[2] / "README.md"
FENCE = re.compile(r"^```(\w+)\n(.*?)^```", re.MULTILINE | re.DOTALL)
DEV_PORTS = range(4000, 4005)

#: blocks not run here, by their first command, and why
NOT_RUN = {
    "make dev": "starts the very stack this test runs the examples against",
    "export ORDERGATE_GATEWAY_OBSERVABILITY__TRACING__ENABLED=true": "starts a second stack, "
    "with tracing on (tests/integration/tracing/ covers it; the next block runs here)",
}

_CODE_IN_JSON = re.compile(r'"code"\s*:\s*"([A-Z][A-Z0-9_]+)"')
_CODE_OF_A_ROW = re.compile(r"^\s*row \d+: ([A-Z][A-Z0-9_]+)", re.MULTILINE)


@dataclass(frozen=True)
class Example:
    """A runnable piece of the README."""

    line: int
    script: str
    text: str

    @property
    def first_command(self) -> str:
        """The first line that is not a comment, without its trailing comment."""
        return next(
            line.split("#")[0].strip()
            for line in self.script.splitlines()
            if line.strip() and not line.strip().startswith("#")
        )


def readme_examples() -> list[Example]:
    """The ``sh`` blocks and the ``$`` lines of ``console`` blocks, in README order."""
    text = README.read_text(encoding="utf-8")
    examples = []
    for match in FENCE.finditer(text):
        kind, body = match.group(1), match.group(2)
        line = text.count("\n", 0, match.start()) + 1
        if kind == "sh":
            examples.append(Example(line, body, body))
        elif kind == "console":
            commands = [row[2:] for row in body.splitlines() if row.startswith("$ ")]
            examples.append(Example(line, "\n".join(commands), body))
    return examples


def test_the_readme_has_examples_and_every_skip_is_explained() -> None:
    examples = readme_examples()
    assert len(examples) >= 6
    skipped = {example.first_command for example in examples} & set(NOT_RUN)
    assert skipped == set(NOT_RUN), "NOT_RUN names a block the README no longer has"


def _free_port_offset() -> int:
    for offset in range(1000, 20000, 10):
        if all(_port_free(port + offset) for port in DEV_PORTS):
            return offset
    raise RuntimeError("no five free ports")


def _port_free(port: int) -> bool:
    with socket.socket() as probe:
        try:
            probe.bind(("127.0.0.1", port))
        except OSError:
            return False
    return True


@dataclass(frozen=True)
class DevStack:
    """``ordergate dev`` running in ``home`` on ports moved by ``offset``."""

    home: Path
    offset: int

    def localize(self, script: str) -> str:
        """The script with the dev stack's ports moved by the offset."""
        for port in DEV_PORTS:
            script = script.replace(f"127.0.0.1:{port}", f"127.0.0.1:{port + self.offset}")
        return script


@pytest.fixture
async def dev_stack(tmp_path: Path) -> AsyncIterator[DevStack]:
    """The real ``ordergate dev`` command, as ``make dev`` starts it (port offset aside)."""
    (tmp_path / ".venv").symlink_to(sys.prefix, target_is_directory=True)
    offset = _free_port_offset()
    process = await asyncio.create_subprocess_exec(
        str(Path(sys.executable).parent / "ordergate"), "dev", "--data-dir", "data",
        "--port-offset", str(offset), "--log-level", "warning",
        cwd=tmp_path, stdout=asyncio.subprocess.PIPE, stderr=asyncio.subprocess.STDOUT,
        env={**os.environ, "NO_COLOR": "1"},
    )  # fmt: skip
    assert process.stdout is not None
    printed: list[str] = []
    drain: asyncio.Task[None] | None = None
    try:
        while True:
            line = (await asyncio.wait_for(process.stdout.readline(), 180)).decode()
            assert line, "ordergate dev stopped:\n" + "".join(printed)
            printed.append(line)
            if line.startswith("Press Ctrl+C"):
                break
        drain = asyncio.create_task(_drain(process.stdout))
        assert (tmp_path / "data" / "demo.env").is_file(), "".join(printed)
        yield DevStack(tmp_path, offset)
    finally:
        if process.returncode is None:
            process.send_signal(signal.SIGINT)
            try:
                await asyncio.wait_for(process.wait(), 60)
            except TimeoutError:
                process.kill()
                await process.wait()
        if drain is not None:
            drain.cancel()


async def _drain(stream: asyncio.StreamReader) -> None:
    while await stream.readline():
        pass


async def _run(stack: DevStack, example: Example) -> tuple[int, str]:
    script = "set -euo pipefail\nsource data/demo.env\n" + stack.localize(example.script)
    process = await asyncio.create_subprocess_exec(
        "bash", "-c", script, cwd=stack.home,
        stdout=asyncio.subprocess.PIPE, stderr=asyncio.subprocess.STDOUT,
    )  # fmt: skip
    output, _ = await asyncio.wait_for(process.communicate(), 120)
    assert process.returncode is not None
    return process.returncode, output.decode(errors="replace")


async def test_every_readme_example_runs_as_printed(dev_stack: DevStack) -> None:
    ran = 0
    for example in readme_examples():
        if example.first_command in NOT_RUN:
            continue
        where = f"README.md line {example.line}"
        status, output = await _run(dev_stack, example)
        expected = re.search(r"# exit status (\d+)", example.text)
        wanted = int(expected.group(1)) if expected else 0
        assert status == wanted, f"{where} exits {status}, not {wanted}:\n{output}"
        assert output.strip(), f"{where} printed nothing"
        assert not re.search(r"^HTTP/1\.1 5\d\d", output, re.MULTILINE), f"{where}:\n{output}"
        codes = set(_CODE_IN_JSON.findall(output)) | set(_CODE_OF_A_ROW.findall(output))
        unexpected = {code for code in codes if code not in example.text}
        assert not unexpected, f"{where} answers {sorted(unexpected)}:\n{output}"
        if "errors" not in example.text:
            assert '"errors"' not in output, f"{where}:\n{output}"
        ran += 1
    assert ran == len(readme_examples()) - len(NOT_RUN)
