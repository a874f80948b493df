"""Profile our gateway under the federation benchmark load with py-spy, and summarize it.

py-spy (``uvx py-spy``: a tool, never a project dependency) samples the gateway process from
outside while wrk drives it; ``--native`` adds the C frames (orjson, uvloop, httptools,
aiohttp's parser), so time inside C extensions is attributed to them rather than to the Python
line that called them. The raw collapsed stacks are kept (open them in speedscope or
flamegraph.pl); the summary ranks functions by self time and by inclusive time, and
attributes every sample to one stage of the request (HTTP server, subgraph client, JSON, merge,
projection, ...) by the innermost frame that belongs to a known stage.
"""

from __future__ import annotations

import re
import subprocess
import threading
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from bench.context import RunContext
from bench.federation import (
    CONTENDERS,
    gateway_spec,
    query_body,
    stand_in_subgraphs,
    write_supergraph,
)
from bench.load import run_wrk
from bench.report import environment, markdown_table, write_results
from bench.servers import BenchError, RunningServer

__all__ = ["ProfileOptions", "StackProfile", "categorize", "run_profile"]

#: (stage, pattern matched against a frame "function (file:line)"), innermost match wins
STAGES: tuple[tuple[str, re.Pattern[str]], ...] = tuple(
    (name, re.compile(pattern))
    for name, pattern in (
        ("garbage collector (gc)", r"gc_collect|collect_with_callback|collect_generations"),
        ("JSON (orjson)", r"orjson"),
        ("socket syscalls (read/write)", r"^(__libc_)?(write|writev|read|recv|send)\w* \("),
        ("merge (gateway/execution/merge)", r"(gateway/execution/|\()merge\.py"),
        ("projection (gateway/execution/shape)", r"(gateway/execution/|\()shape\.py"),
        ("transport (gateway/execution/transport)", r"(gateway/execution/|\()transport\.py"),
        ("executor (gateway/execution/executor)", r"(gateway/execution/|\()executor\.py"),
        ("planning + plan cache (gateway/planning)", r"gateway/planning/"),
        ("engine (gateway/engine, prepare/coerce)", r"gateway/engine\.py|graphql/execution/values"),
        ("pipeline stages (gateway/pipeline)", r"gateway/pipeline/"),
        ("HTTP edge (gateway/http, observability)", r"gateway/(http|observability)/"),
        ("subgraph client (aiohttp, yarl, multidict)", r"aiohttp|yarl|multidict|_http_parser"),
        ("HTTP server (uvicorn, httptools)", r"uvicorn|httptools|h11"),
        ("ASGI framework (starlette)", r"starlette"),
        ("logging (structlog, logging)", r"structlog|/logging/"),
        ("event loop (asyncio, uvloop)", r"asyncio|uvloop|loop\.c|_asynciomodule|libuv|\(core\.c"),
    )
)
#: the JSON stage split by the Python code that called orjson
JSON_CALLERS = (
    ("JSON decode of subgraph responses (orjson.loads)", re.compile(r"\(transport\.py|transport")),
    ("JSON encode of the response (orjson.dumps)", re.compile(r"gateway/http/")),
)
#: a sample whose innermost frame waits for I/O is idle time, not CPU
IDLE_LEAF = re.compile(r"^(epoll_wait|epoll_pwait|select|poll|__GI_epoll\w*) \(")
BACKGROUND_THREAD = "Thread._bootstrap"


def parse_frame(frame: str) -> tuple[str, str]:
    """(function, file) of a py-spy frame ``"function (file:line)"``."""
    match = re.match(r"^(?P<fn>.*?) \((?P<file>[^()]*?)(?::-?\d+)?\)$", frame)
    if match is None:
        return frame, ""
    return match["fn"], match["file"]


def short_frame(frame: str) -> str:
    """A frame without its line number, native addresses folded into their library."""
    function, file = parse_frame(frame)
    for marker in ("site-packages/", "/work/", "lib/python3.11/"):
        if marker in file:
            file = file.split(marker, 1)[1]
    if function.startswith("0x"):
        library = file.rsplit("/", 1)[-1].split(".", 1)[0] if file else "?"
        return f"[native] {library}"
    return f"{function} ({file})" if file else function


def _is_python(frame: str) -> bool:
    return bool(re.search(r"\.py:\d+\)$", frame))


def categorize(stack: list[str]) -> str:
    """The stage of one sample: the innermost frame that matches a stage pattern."""
    for depth in range(len(stack) - 1, -1, -1):
        frame = stack[depth]
        for name, pattern in STAGES:
            if pattern.search(frame):
                if name == "JSON (orjson)":
                    return _json_stage(stack[:depth])
                return name
    return "other"


def _json_stage(callers: list[str]) -> str:
    for frame in reversed(callers):
        if _is_python(frame):
            for name, pattern in JSON_CALLERS:
                if pattern.search(frame):
                    return name
            return f"JSON (orjson) from {short_frame(frame)}"
    return "JSON (orjson)"


@dataclass(slots=True)
class StackProfile:
    """Collapsed stacks summarized: busy samples of the event loop thread."""

    total: int = 0
    idle: int = 0
    background: int = 0
    self_time: Counter[str] = field(default_factory=Counter)
    inclusive: Counter[str] = field(default_factory=Counter)
    stages: Counter[str] = field(default_factory=Counter)

    @classmethod
    def from_collapsed(cls, lines: Iterable[str]) -> StackProfile:
        """Read py-spy's ``--format raw`` output (``frame;frame;... count`` per line)."""
        profile = cls()
        for line in lines:
            line = line.strip()
            if not line:
                continue
            stack_text, _, count_text = line.rpartition(" ")
            count = int(count_text)
            stack = [frame for frame in stack_text.split(";") if frame]
            stack = [f for f in stack if not f.startswith(("process ", "thread "))]
            if not stack:
                continue
            if any(BACKGROUND_THREAD in frame for frame in stack):
                profile.background += count
                continue
            if IDLE_LEAF.match(stack[-1]):
                profile.idle += count
                continue
            profile.total += count
            profile.self_time[short_frame(stack[-1])] += count
            for name in {short_frame(frame) for frame in stack}:
                profile.inclusive[name] += count
            profile.stages[categorize(stack)] += count
        return profile

    def share(self, count: int) -> str:
        """``count`` as a percentage of the busy samples."""
        return f"{100 * count / self.total:.1f} %" if self.total else "—"


@dataclass(frozen=True, slots=True)
class ProfileOptions:
    """Knobs of the profile run."""

    duration_seconds: int = 20
    warmup_seconds: int = 3
    connections: int = 50
    port_base: int = 4800
    rate: int = 250
    dedup: bool = True


def _python_pid(server: RunningServer) -> int:
    processes = server.snapshot().processes
    if not processes:
        raise BenchError("the gateway process was not found")
    return processes[0].pid


def record(pid: int, seconds: int, rate: int, output: Path, *, native: bool) -> None:
    """``py-spy record`` the process ``pid`` into collapsed stacks at ``output``."""
    command = [
        "uvx",
        "py-spy",
        "record",
        "--pid",
        str(pid),
        "--duration",
        str(seconds),
        "--rate",
        str(rate),
        "--format",
        "raw",
        "--output",
        str(output),
    ]
    # native unwinding needs the process paused while sampled; without it, do not pause
    command.append("--native" if native else "--nonblocking")
    completed = subprocess.run(
        command, capture_output=True, text=True, timeout=seconds + 300, check=False
    )
    if completed.returncode != 0 or not output.is_file():
        raise BenchError(f"py-spy failed:\n{completed.stdout}\n{completed.stderr}")


def run_profile(options: ProfileOptions) -> dict[str, Any]:
    """Profile the gateway under load and write the summary."""
    context = RunContext.create("profile", options.port_base)
    subgraph_port = context.port(0)
    supergraph = write_supergraph(context.run_dir, subgraph_port)
    name = "ordergate" if options.dedup else "ordergate-no-dedup"
    env = environment()
    output = context.run_dir / f"{name}.collapsed.txt"
    native = True
    with RunningServer(stand_in_subgraphs(subgraph_port), context.run_dir):
        spec = gateway_spec(context, name, context.port(10), supergraph)
        with RunningServer(spec, context.run_dir) as gateway:
            url = f"http://127.0.0.1:{spec.port}/graphql"
            load_seconds = options.warmup_seconds + options.duration_seconds + 2
            load = threading.Thread(
                target=run_wrk,
                args=(url, [query_body()]),
                kwargs={
                    "work_dir": context.run_dir,
                    "name": f"{name}.profile",
                    "connections": options.connections,
                    "duration_seconds": load_seconds,
                },
                daemon=True,
            )
            load.start()
            threading.Event().wait(options.warmup_seconds)
            pid = _python_pid(gateway)
            print(f"[profile] py-spy on pid {pid} for {options.duration_seconds} s", flush=True)
            try:
                record(pid, options.duration_seconds, options.rate, output, native=True)
            except BenchError as exc:
                print(f"[profile] --native failed ({exc}); without native frames", flush=True)
                native = False
                record(pid, options.duration_seconds, options.rate, output, native=False)
            load.join()
    profile = StackProfile.from_collapsed(output.read_text().splitlines())
    markdown = render(profile, options, env, name, native)
    data = {
        "scenario": "profile",
        "environment": env,
        "gateway": name,
        "native": native,
        "busy_samples": profile.total,
        "idle_samples": profile.idle,
        "background_thread_samples": profile.background,
        "stages": dict(profile.stages.most_common()),
        "self": dict(profile.self_time.most_common(60)),
        "inclusive": dict(profile.inclusive.most_common(60)),
        "collapsed_stacks": str(output),
    }
    write_results(context.run_dir, "profile", data, markdown)
    print(markdown, flush=True)
    return data


def render(
    profile: StackProfile, options: ProfileOptions, env: dict[str, Any], name: str, native: bool
) -> str:
    """The profile summary as markdown."""
    stages = [[stage, profile.share(count)] for stage, count in profile.stages.most_common()]
    own = [[fn, profile.share(c)] for fn, c in profile.self_time.most_common(30)]
    inclusive = [[fn, profile.share(c)] for fn, c in profile.inclusive.most_common(40)]
    return "\n\n".join(
        [
            f"### Profile: {CONTENDERS[name].label}, py-spy {options.rate} Hz"
            f"{' --native' if native else ''}, {options.duration_seconds} s under wrk "
            f"-c{options.connections}, {env['time']}",
            f"{profile.total:,} busy samples of the event loop thread (shares below are of "
            f"these); {profile.idle:,} idle in epoll and {profile.background:,} in idle "
            "background threads left out.",
            "#### Where the time goes (innermost known stage of each sample)",
            markdown_table(("stage", "share of samples"), stages),
            "#### Top functions by self time",
            markdown_table(("function", "self"), own),
            "#### Top functions by inclusive time",
            markdown_table(("function", "inclusive"), inclusive),
        ]
    )
