"""A lean pooled HTTP/1.1 subgraph client on ``asyncio.Protocol`` and httptools' parser.

The gateway's subgraph calls are all alike: a JSON POST to one of a few known URLs over a
keep-alive connection, answered by a JSON body. aiohttp builds request, response, header,
payload, stream and timer objects for each of them (~0.13 ms of CPU per call on the benchmark
machine); this client writes one prebuilt byte string per call and lets httptools (the parser
uvicorn uses) read the answer: ADR 0860 has the figures. ``subgraphs.transport: lean`` chooses
it; :class:`~gateway.execution.transport.AiohttpTransport` stays the default.

What it handles: ``Content-Length`` and chunked bodies, bodies delimited by the connection's
close, keep-alive and ``Connection: close``, gzip/deflate bodies (it asks for ``identity``),
``https`` URLs, a total timeout per call, and the same failures as the aiohttp transport
(:class:`SubgraphFailure` with ``SUBREQUEST_TIMEOUT`` or ``SUBREQUEST_HTTP_ERROR``, connection
errors marked retryable). A call is never retried here: the executor retries queries only
(ADR 0207), for both transports.
"""

from __future__ import annotations

import asyncio
import ssl
import time
import zlib
from collections.abc import Mapping
from urllib.parse import urlsplit

import httptools

from gateway.execution.fetch_status import note_status
from gateway.execution.transport import (
    RETRYABLE_STATUSES,
    SubgraphFailure,
    connection_failed,
    failed_status,
    timed_out,
)

__all__ = ["LeanTransport"]

#: idle keep-alive connections older than this are closed instead of reused
_IDLE_SECONDS = 30.0


class _ResponseError(Exception):
    """The response broke (not HTTP); the message is for the error's detail."""


class _ConnectionClosedError(_ResponseError):
    """The connection closed before the whole response arrived."""


class _Connection(asyncio.Protocol):
    """One keep-alive connection; one request at a time."""

    __slots__ = (
        "body",
        "close_delimited",
        "closed",
        "encoding",
        "has_length",
        "idle_since",
        "keep_alive",
        "parser",
        "started",
        "status",
        "transport",
        "waiter",
    )

    def __init__(self) -> None:
        self.transport: asyncio.Transport | None = None
        self.parser = httptools.HttpResponseParser(self)
        self.waiter: asyncio.Future[bytes] | None = None
        self.body: list[bytes] = []
        self.status = 0
        self.keep_alive = False
        self.started = False
        self.close_delimited = False
        self.encoding: bytes | None = None
        self.has_length = False
        self.closed = False
        self.idle_since = 0.0

    # ---------------------------------------------------------------- asyncio.Protocol
    def connection_made(self, transport: asyncio.BaseTransport) -> None:
        self.transport = transport  # type: ignore[assignment]

    def data_received(self, data: bytes) -> None:
        try:
            self.parser.feed_data(data)
        except httptools.HttpParserError as exc:
            self._fail(_ResponseError(f"invalid HTTP response: {exc}"))
            self.close()

    def connection_lost(self, exc: Exception | None) -> None:
        self.closed = True
        waiter = self.waiter
        if waiter is None or waiter.done():
            return
        if self.close_delimited:  # the body ends with the connection (no length, not chunked)
            self.keep_alive = False
            self._complete()
            return
        self._fail(
            _ConnectionClosedError(f"connection closed: {exc}" if exc else "connection closed")
        )

    # ---------------------------------------------------------------- httptools callbacks
    def on_message_begin(self) -> None:
        self.started = True

    def on_header(self, name: bytes, value: bytes) -> None:
        name = name.lower()
        if name == b"content-encoding":
            self.encoding = value.strip().lower()
        elif name in (b"content-length", b"transfer-encoding"):
            self.has_length = True

    def on_headers_complete(self) -> None:
        self.status = status = self.parser.get_status_code()
        self.close_delimited = not self.has_length and status >= 200 and status not in (204, 304)

    def on_body(self, body: bytes) -> None:
        self.body.append(body)

    def on_message_complete(self) -> None:
        self.keep_alive = self.parser.should_keep_alive()
        self.close_delimited = False
        self._complete()

    # ---------------------------------------------------------------- requests
    def _complete(self) -> None:
        waiter = self.waiter
        if waiter is not None and not waiter.done():
            body = self.body
            waiter.set_result(body[0] if len(body) == 1 else b"".join(body))

    def _fail(self, exc: Exception) -> None:
        waiter = self.waiter
        if waiter is not None and not waiter.done():
            waiter.set_exception(exc)

    def request(self, data: bytes, loop: asyncio.AbstractEventLoop) -> asyncio.Future[bytes]:
        """Write one request; the future gets the response body."""
        self.waiter = waiter = loop.create_future()
        self.body = []
        self.status = 0
        self.started = False
        self.close_delimited = False
        self.encoding = None
        self.has_length = False
        self.keep_alive = False
        assert self.transport is not None
        self.transport.write(data)
        return waiter

    def reusable(self) -> bool:
        """Whether the last exchange left the connection open and in a clean state."""
        return self.keep_alive and not self.closed and self.transport is not None

    def close(self) -> None:
        """Close the connection (a call that timed out or failed leaves it unusable)."""
        self.closed = True
        if self.transport is not None:
            self.transport.close()


class _Pool:
    """Connections to one subgraph: idle ones reused last-in first-out."""

    __slots__ = ("head", "host", "idle", "limit", "port", "ssl", "url")

    def __init__(self, url: str, max_connections: int) -> None:
        parts = urlsplit(url)
        if parts.scheme not in ("http", "https") or not parts.hostname:
            raise ValueError(f"not an http(s) URL: {url!r}")
        self.url = url
        self.host = parts.hostname
        secure = parts.scheme == "https"
        self.port = parts.port or (443 if secure else 80)
        self.ssl: ssl.SSLContext | None = ssl.create_default_context() if secure else None
        target = parts.path or "/"
        if parts.query:
            target = f"{target}?{parts.query}"
        authority = parts.netloc.rpartition("@")[2]
        self.head = (
            f"POST {target} HTTP/1.1\r\nHost: {authority}\r\n"
            "Content-Type: application/json\r\nAccept: application/json\r\n"
            "Accept-Encoding: identity\r\nUser-Agent: ordergate\r\n"
        ).encode("latin-1")
        self.idle: list[_Connection] = []
        self.limit = asyncio.Semaphore(max_connections)

    async def acquire(self) -> _Connection:
        idle = self.idle
        now = time.monotonic()
        while idle:
            connection = idle.pop()
            if not connection.closed and now - connection.idle_since < _IDLE_SECONDS:
                return connection
            connection.close()
        loop = asyncio.get_running_loop()
        _, protocol = await loop.create_connection(_Connection, self.host, self.port, ssl=self.ssl)
        return protocol

    def release(self, connection: _Connection) -> None:
        if connection.reusable():
            connection.waiter = None
            connection.idle_since = time.monotonic()
            self.idle.append(connection)
        else:
            connection.close()

    def close(self) -> None:
        idle, self.idle = self.idle, []
        for connection in idle:
            connection.close()


def _header_lines(headers: Mapping[str, str]) -> bytes:
    lines: list[str] = []
    for name, value in headers.items():
        if any(c in name or c in value for c in "\r\n\0") or ":" in name:
            raise ValueError(f"header {name!r} cannot be sent")
        lines.append(f"{name}: {value}\r\n")
    text = "".join(lines)
    try:
        return text.encode("latin-1")
    except UnicodeEncodeError:
        return text.encode()


class LeanTransport:
    """A :class:`~gateway.execution.transport.SubgraphTransport` on a small HTTP/1.1 client."""

    def __init__(
        self,
        urls: Mapping[str, str],
        *,
        timeout_seconds: float,
        max_connections: int = 100,
    ) -> None:
        self._urls = dict(urls)
        self._timeout = timeout_seconds
        self._max_connections = max_connections
        self._pools: dict[str, _Pool] = {}

    def _pool(self, service: str) -> _Pool | None:
        pool = self._pools.get(service)
        if pool is None:
            url = self._urls.get(service)
            if url is None:
                return None
            pool = self._pools[service] = _Pool(url, self._max_connections)
        return pool

    async def send(
        self,
        service: str,
        body: bytes,
        headers: Mapping[str, str] | None = None,
    ) -> bytes:
        """POST ``body`` to the subgraph ``service`` and return the response body."""
        try:
            pool = self._pool(service)
        except ValueError as exc:
            raise SubgraphFailure(service, "SUBREQUEST_HTTP_ERROR", str(exc)) from exc
        if pool is None:
            raise SubgraphFailure(service, "SUBREQUEST_HTTP_ERROR", "no URL for this subgraph")
        try:
            extra = _header_lines(headers) if headers else b""
        except ValueError as exc:
            raise SubgraphFailure(service, "SUBREQUEST_HTTP_ERROR", str(exc)) from exc
        data = b"%s%sContent-Length: %d\r\n\r\n%s" % (pool.head, extra, len(body), body)
        connection: _Connection | None = None
        try:
            async with asyncio.timeout(self._timeout), pool.limit:
                connection = await pool.acquire()
                payload = await connection.request(data, asyncio.get_running_loop())
                status, encoding = connection.status, connection.encoding
                pool.release(connection)
                connection = None
            note_status(status)
        except TimeoutError as exc:
            raise timed_out(service, self._timeout) from exc
        except (OSError, _ConnectionClosedError) as exc:
            raise connection_failed(service, pool.url, exc) from exc
        except _ResponseError as exc:
            raise SubgraphFailure(service, "SUBREQUEST_HTTP_ERROR", f"{pool.url}: {exc}") from exc
        finally:
            if connection is not None:  # failed, timed out or cancelled mid-call
                connection.close()
        if encoding is not None and encoding != b"identity":
            payload = _decode(service, pool.url, payload, encoding)
        if status >= 400 and (
            status in RETRYABLE_STATUSES or not payload.lstrip().startswith(b"{")
        ):
            raise failed_status(service, pool.url, status)
        return payload

    async def aclose(self) -> None:
        """Close every connection."""
        pools, self._pools = list(self._pools.values()), {}
        for pool in pools:
            pool.close()


def _decode(service: str, url: str, payload: bytes, encoding: bytes) -> bytes:
    try:
        if encoding in (b"gzip", b"x-gzip"):
            return zlib.decompress(payload, 16 + zlib.MAX_WBITS)
        if encoding == b"deflate":
            try:
                return zlib.decompress(payload)
            except zlib.error:  # raw deflate, as some servers send it
                return zlib.decompress(payload, -zlib.MAX_WBITS)
    except zlib.error as exc:
        raise SubgraphFailure(
            service, "SUBREQUEST_HTTP_ERROR", f"{url}: undecodable {encoding.decode()} body"
        ) from exc
    raise SubgraphFailure(service, "SUBREQUEST_HTTP_ERROR", f"{url}: unsupported content encoding")
