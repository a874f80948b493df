"""Reading a request body under a size limit, for every endpoint that takes one (GraphQL, the
REST routes)."""

from __future__ import annotations

from starlette.types import Receive

__all__ = ["BodyTooLargeError", "ClientDisconnectedError", "read_body"]


class BodyTooLargeError(Exception):
    """The body is (or is declared) larger than the limit."""

    def __init__(self, limit: int) -> None:
        super().__init__(f"The body exceeds {limit} bytes")
        self.limit = limit


class ClientDisconnectedError(Exception):
    """The client went away before its body arrived."""


async def read_body(receive: Receive, limit: int, declared_length: str | None) -> bytes:
    """The whole body; raises :class:`BodyTooLargeError` as soon as it (or its declared
    ``Content-Length``) exceeds ``limit`` bytes, :class:`ClientDisconnectedError` when the
    client leaves first."""
    if declared_length is not None and declared_length.isdigit() and int(declared_length) > limit:
        raise BodyTooLargeError(limit)
    chunks: list[bytes] = []
    size = 0
    while True:
        message = await receive()
        if message["type"] == "http.disconnect":
            raise ClientDisconnectedError
        chunk = message.get("body", b"")
        size += len(chunk)
        if size > limit:
            raise BodyTooLargeError(limit)
        chunks.append(chunk)
        if not message.get("more_body", False):
            return b"".join(chunks)
