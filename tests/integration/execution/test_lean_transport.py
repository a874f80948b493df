"""The lean HTTP/1.1 subgraph client over real sockets, against a scripted HTTP server.

The server answers by path: each path is one way an HTTP/1.1 server may frame its response
(length, chunks, the connection's close, compression) or fail (status, garbage, silence).
"""

from __future__ import annotations

import asyncio
import gzip
from collections.abc import AsyncIterator
from dataclasses import dataclass, field
from pathlib import Path

import pytest

from gateway.engine.core import build_engine, options_from_settings
from gateway.execution.lean_transport import LeanTransport
from gateway.execution.transport import AiohttpTransport, SubgraphFailure
from gateway.settings import GatewaySettings, SubgraphSettings

BODY = b'{"data":{"x":1}}'


@dataclass
class Scripted:
    """Records requests and connections; answers each path in its own way."""

    port: int = 0
    connections: int = 0
    requests: list[tuple[str, dict[str, str], bytes]] = field(default_factory=list)

    def response(self, path: str) -> bytes | None:
        if path == "/length":
            return b"HTTP/1.1 200 OK\r\nContent-Length: %d\r\n\r\n%s" % (len(BODY), BODY)
        if path == "/chunked":
            return (
                b"HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n"
                b"5\r\n"
                + BODY[:5]
                + b"\r\n"
                + b"%x\r\n" % (len(BODY) - 5)
                + BODY[5:]
                + b"\r\n0\r\n\r\n"
            )
        if path == "/close":
            return b"HTTP/1.1 200 OK\r\nConnection: close\r\n\r\n" + BODY
        if path == "/gzip":
            packed = gzip.compress(BODY)
            return b"HTTP/1.1 200 OK\r\nContent-Encoding: gzip\r\nContent-Length: %d\r\n\r\n%s" % (
                len(packed),
                packed,
            )
        if path == "/error-json":
            errors = b'{"errors":[{"message":"no"}]}'
            return b"HTTP/1.1 500 Oops\r\nContent-Length: %d\r\n\r\n%s" % (len(errors), errors)
        if path == "/error-html":
            return b"HTTP/1.1 502 Bad Gateway\r\nContent-Length: 5\r\n\r\n<html"
        if path == "/garbage":
            return b"NOT HTTP AT ALL\r\n\r\n"
        if path == "/hangup":
            return b""
        return None  # /silent: never answers

    async def handle(self, reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        self.connections += 1
        try:
            while True:
                head = await reader.readuntil(b"\r\n\r\n")
                lines = head.decode("latin-1").split("\r\n")
                path = lines[0].split(" ")[1]
                headers = {
                    name.strip().lower(): value.strip()
                    for name, _, value in (line.partition(":") for line in lines[1:] if line)
                }
                body = await reader.readexactly(int(headers["content-length"]))
                self.requests.append((path, headers, body))
                answer = self.response(path)
                if answer is None:
                    await asyncio.sleep(30)
                    return
                writer.write(answer)
                await writer.drain()
                if path in ("/close", "/hangup", "/garbage"):
                    return
        except (asyncio.IncompleteReadError, ConnectionError):
            return
        finally:
            writer.close()


@pytest.fixture
async def scripted() -> AsyncIterator[Scripted]:
    state = Scripted()
    server = await asyncio.start_server(state.handle, "127.0.0.1", 0)
    state.port = server.sockets[0].getsockname()[1]
    async with server:
        yield state
        server.close()


def lean(server: Scripted, *paths: str, timeout: float = 5.0) -> LeanTransport:
    urls = {path.strip("/"): f"http://127.0.0.1:{server.port}{path}" for path in paths}
    return LeanTransport(urls, timeout_seconds=timeout)


@pytest.mark.parametrize("path", ["/length", "/chunked", "/close", "/gzip"])
async def test_every_framing_of_a_response_body_is_read(scripted: Scripted, path: str) -> None:
    transport = lean(scripted, path)
    try:
        assert await transport.send(path.strip("/"), b'{"query":"{x}"}') == BODY
        assert await transport.send(path.strip("/"), b'{"query":"{x}"}') == BODY
    finally:
        await transport.aclose()
    # keep-alive answers reuse the connection; a closed one is replaced
    assert scripted.connections == (2 if path == "/close" else 1)


async def test_request_carries_json_headers_forwarded_headers_and_the_body(
    scripted: Scripted,
) -> None:
    transport = lean(scripted, "/length")
    try:
        await transport.send("length", b'{"query":"{x}"}', {"x-request-id": "r-1"})
    finally:
        await transport.aclose()
    path, headers, body = scripted.requests[0]
    assert (path, body) == ("/length", b'{"query":"{x}"}')
    assert headers["content-type"] == "application/json"
    assert headers["accept"] == "application/json"
    assert headers["host"] == f"127.0.0.1:{scripted.port}"
    assert headers["x-request-id"] == "r-1"


async def test_a_header_that_would_split_the_request_is_refused(scripted: Scripted) -> None:
    transport = lean(scripted, "/length")
    try:
        with pytest.raises(SubgraphFailure) as failure:
            await transport.send("length", b"{}", {"x-evil": "a\r\nx-injected: 1"})
    finally:
        await transport.aclose()
    assert failure.value.code == "SUBREQUEST_HTTP_ERROR"
    assert scripted.requests == []


async def test_an_error_status_with_a_graphql_body_is_returned(scripted: Scripted) -> None:
    transport = lean(scripted, "/error-json")
    try:
        assert await transport.send("error-json", b"{}") == b'{"errors":[{"message":"no"}]}'
    finally:
        await transport.aclose()


@pytest.mark.parametrize(
    ("path", "code", "detail"),
    [
        ("/error-html", "SUBREQUEST_HTTP_ERROR", "HTTP 502"),
        ("/garbage", "SUBREQUEST_HTTP_ERROR", "invalid HTTP response"),
        ("/hangup", "SUBREQUEST_HTTP_ERROR", "connection closed"),
        ("/silent", "SUBREQUEST_TIMEOUT", "no response within 0.3s"),
    ],
)
async def test_failures_map_like_the_aiohttp_transport(
    scripted: Scripted, path: str, code: str, detail: str
) -> None:
    transport = lean(scripted, path, timeout=0.3)
    try:
        with pytest.raises(SubgraphFailure) as failure:
            await transport.send(path.strip("/"), b"{}")
    finally:
        await transport.aclose()
    assert failure.value.code == code
    assert detail in failure.value.detail


async def test_both_transports_fail_the_same_way_on_status_and_timeout(
    scripted: Scripted,
) -> None:
    for path, timeout in (("/error-html", 5.0), ("/silent", 0.3)):
        urls = {"s": f"http://127.0.0.1:{scripted.port}{path}"}
        codes = []
        for transport in (
            LeanTransport(urls, timeout_seconds=timeout),
            AiohttpTransport(urls, timeout_seconds=timeout),
        ):
            try:
                with pytest.raises(SubgraphFailure) as failure:
                    await transport.send("s", b"{}")
                codes.append(failure.value.code)
            finally:
                await transport.aclose()
        assert codes[0] == codes[1]


async def test_refused_connection_and_unknown_subgraph_are_http_errors() -> None:
    probe = await asyncio.start_server(lambda r, w: None, "127.0.0.1", 0)
    port = probe.sockets[0].getsockname()[1]
    probe.close()
    await probe.wait_closed()
    transport = LeanTransport({"gone": f"http://127.0.0.1:{port}/"}, timeout_seconds=2)
    try:
        for service in ("gone", "unknown"):
            with pytest.raises(SubgraphFailure) as failure:
                await transport.send(service, b"{}")
            assert failure.value.code == "SUBREQUEST_HTTP_ERROR"
    finally:
        await transport.aclose()


async def test_concurrent_calls_each_get_their_own_answer(scripted: Scripted) -> None:
    transport = lean(scripted, "/length", "/chunked")
    try:
        answers = await asyncio.gather(
            *(transport.send(("length", "chunked")[i % 2], b"{}") for i in range(20))
        )
    finally:
        await transport.aclose()
    assert answers == [BODY] * 20
    assert len(scripted.requests) == 20
    assert scripted.connections <= 20


def test_the_transport_setting_chooses_the_engine_client() -> None:
    sdl = (Path(__file__).parents[3] / "bench" / "supergraph.graphql").read_text()
    lean_settings = GatewaySettings(subgraphs=SubgraphSettings(transport="lean"))
    assert isinstance(
        build_engine(sdl, options_from_settings(lean_settings)).transport, LeanTransport
    )
    default = build_engine(sdl, options_from_settings(GatewaySettings()))
    assert isinstance(default.transport, AiohttpTransport)
