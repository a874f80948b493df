"""The ``Idempotency-Key`` header and the scope a key lives in.

The header is a structured-field string per draft-ietf-httpapi-idempotency-key-header
(``Idempotency-Key: "8e03978e-40d5-43e8-bc93-6894a57f9324"``); the bare token form that Stripe
clients send (no quotes) is accepted too. Either way the key is 1 to 255 printable ASCII
characters.

A key is never looked up on its own: :class:`KeyScope` binds it to the client and the principal
that sent it, so two clients (or two users of one client) choosing the same key never meet.

>>> parse_idempotency_key('"order-42"'), parse_idempotency_key("order-42")
('order-42', 'order-42')
"""

from __future__ import annotations

import hashlib
import re
from dataclasses import dataclass

import orjson

from gateway.idempotency.errors import IdempotencyError, IdempotencyErrorCode

__all__ = ["IDEMPOTENCY_KEY_HEADER", "MAX_KEY_LENGTH", "KeyScope", "parse_idempotency_key"]

IDEMPOTENCY_KEY_HEADER = "idempotency-key"
MAX_KEY_LENGTH = 255

#: a bare key: printable ASCII without spaces or quotes
_BARE = re.compile(r"[\x21\x23-\x7e]+")
#: the inside of an RFC 8941 string: printable ASCII, with \" and \\ escapes
_QUOTED = re.compile(r'"((?:[\x20\x21\x23-\x5b\x5d-\x7e]|\\["\\])*)"')
_ESCAPE = re.compile(r"\\([\"\\])")


def _invalid(reason: str) -> IdempotencyError:
    return IdempotencyError(
        IdempotencyErrorCode.IDEMPOTENCY_KEY_INVALID, f"Invalid Idempotency-Key header: {reason}"
    )


def parse_idempotency_key(raw: str | None) -> str | None:
    """The key in a header value (``None`` when absent); raises ``IDEMPOTENCY_KEY_INVALID``."""
    if raw is None:
        return None
    value = raw.strip(" \t")
    quoted = _QUOTED.fullmatch(value)
    if quoted is not None:
        key = _ESCAPE.sub(r"\1", quoted.group(1))
    elif _BARE.fullmatch(value):
        key = value
    else:
        raise _invalid("it must be a quoted string of printable ASCII characters")
    if not key:
        raise _invalid("the key is empty")
    if len(key) > MAX_KEY_LENGTH:
        raise _invalid(f"the key is {len(key)} characters long, at most {MAX_KEY_LENGTH} allowed")
    return key


@dataclass(frozen=True, slots=True)
class KeyScope:
    """Whose keys these are: the client id and the principal (issuer and subject).

    Anonymous callers all share one scope, so keys only separate anonymous clients if they are
    unguessable (UUIDs); authenticated callers never share keys.
    """

    client_id: str | None
    issuer: str | None
    subject: str | None

    def digest(self, key: str) -> str:
        """A hex SHA-256 naming ``key`` in this scope (store key, and the subgraphs' key)."""
        material = orjson.dumps([self.client_id, self.issuer, self.subject, key])
        return hashlib.sha256(material).hexdigest()

    def owner(self) -> str:
        """A hex SHA-256 naming the scope itself (who owns a job)."""
        material = orjson.dumps([self.client_id, self.issuer, self.subject])
        return hashlib.sha256(material).hexdigest()
