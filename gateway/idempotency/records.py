"""What the store keeps per key: who holds the claim, the fingerprint, and the response.

A record is *in flight* from the claim until the response is stored, then *done*. Records are
encoded as bytes for Redis: five header lines and the body (JSON never contains a raw newline
outside strings, and the body is last, so it needs no escaping)::

    <owner>\\n<i|d>\\n<fingerprint>\\n<status>\\n<headers as JSON>\\n<body>
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field

import orjson

__all__ = ["IdempotencyRecord", "StoredResponse", "in_flight_prefix"]

_IN_FLIGHT = b"i"
_DONE = b"d"


@dataclass(frozen=True, slots=True)
class StoredResponse:
    """The response to replay: HTTP status, the headers that belong to it, the exact body."""

    status: int
    body: bytes
    headers: Mapping[str, str] = field(default_factory=dict)


@dataclass(frozen=True, slots=True)
class IdempotencyRecord:
    """One key's record: in flight (``response is None``) or done."""

    #: a random token naming the request that claimed the key
    owner: str
    fingerprint: str
    response: StoredResponse | None = None

    @property
    def in_flight(self) -> bool:
        """Whether the first request is still running (no response stored yet)."""
        return self.response is None

    def encode(self) -> bytes:
        """The record as stored in Redis."""
        response = self.response
        state = _IN_FLIGHT if response is None else _DONE
        status = b"0" if response is None else str(response.status).encode()
        headers = b"{}" if response is None else orjson.dumps(dict(response.headers))
        body = b"" if response is None else response.body
        return b"\n".join(
            (self.owner.encode(), state, self.fingerprint.encode(), status, headers, body)
        )

    @classmethod
    def decode(cls, raw: bytes) -> IdempotencyRecord:
        """A record read back from Redis."""
        owner, state, fingerprint, status, headers, body = raw.split(b"\n", 5)
        response = None
        if state == _DONE:
            response = StoredResponse(int(status), body, orjson.loads(headers))
        return cls(owner.decode(), fingerprint.decode(), response)


def in_flight_prefix(owner: str) -> bytes:
    """How an in-flight record claimed by ``owner`` starts (Redis scripts compare it)."""
    return owner.encode() + b"\n" + _IN_FLIGHT + b"\n"
