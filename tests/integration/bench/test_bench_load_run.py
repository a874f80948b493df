"""The harness against real processes over real HTTP: start, probe, load with wrk, stop."""

from __future__ import annotations

import shutil
import socket
import sys
from pathlib import Path

import orjson
import pytest

from bench.checks import LoadSampler
from bench.load import run_wrk
from bench.servers import BenchError, ReadyCheck, RunningServer, ServerSpec

ANSWER = {"data": {"ping": {"id": "1", "message": "pong"}}}

SERVER = """
import http.server, sys
body = sys.argv[2].encode()
class Handler(http.server.BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"
    def _answer(self):
        self.send_response(200)
        self.send_header("content-type", "application/json")
        self.send_header("content-length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)
    def do_GET(self):
        self._answer()
    def do_POST(self):
        self.rfile.read(int(self.headers.get("content-length", 0)))
        self._answer()
    def log_message(self, *args):
        pass
http.server.ThreadingHTTPServer(("127.0.0.1", int(sys.argv[1])), Handler).serve_forever()
"""


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port: int = probe.getsockname()[1]
        return port


def _spec(tmp_path: Path, port: int) -> ServerSpec:
    script = tmp_path / "server.py"
    script.write_text(SERVER)
    return ServerSpec(
        name="json-server",
        command=(sys.executable, str(script), str(port), orjson.dumps(ANSWER).decode()),
        cwd=tmp_path,
        port=port,
        ready=ReadyCheck(f"http://127.0.0.1:{port}/health"),
    )


def test_a_server_is_started_measured_and_stopped(tmp_path: Path) -> None:
    port = _free_port()
    server = RunningServer(_spec(tmp_path, port), tmp_path)
    with server:
        snapshot = server.snapshot()
        assert [process.pid for process in snapshot.processes] == [server.pid]
        assert snapshot.rss_bytes > 0
    with pytest.raises(BenchError, match="not running"):
        RunningServer(_spec(tmp_path, port), tmp_path).pid  # noqa: B018
    assert server.snapshot().processes == ()  # the process is gone


def test_a_busy_port_is_refused_before_starting(tmp_path: Path) -> None:
    with socket.socket() as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen()
        port = taken.getsockname()[1]
        with pytest.raises(BenchError, match="busy"):
            RunningServer(_spec(tmp_path, port), tmp_path).start()


@pytest.mark.skipif(
    shutil.which("wrk") is None, reason="wrk is not installed (apt-get install wrk)"
)
def test_wrk_load_and_the_sampler_see_the_same_server(tmp_path: Path) -> None:
    port = _free_port()
    url = f"http://127.0.0.1:{port}/graphql"
    body = orjson.dumps({"query": "{ ping { id message } }"})
    with RunningServer(_spec(tmp_path, port), tmp_path):
        right = LoadSampler(url, body, expected=ANSWER, count=3, seconds=1)
        wrong = LoadSampler(url, body, expected={"data": {"ping": None}}, count=2, seconds=1)
        right.start()
        wrong.start()
        result = run_wrk(
            url, [body, body], work_dir=tmp_path, name="t", connections=2, duration_seconds=1
        )
        good, bad = right.join(), wrong.join()
    assert result.requests > 0
    assert result.status_errors == 0 and result.socket_errors == 0
    assert result.to_json()["bytes_per_response"] > len(orjson.dumps(ANSWER))
    assert good.sent == 3 and good.failures == 0
    assert bad.sent == 2 and bad.different == 2
    assert "different answer: $.data.ping" in bad.examples[0]
