"""The forwarded principal: how the gateway (and the import worker) tell a subgraph who is
calling, and how a subgraph checks that the gateway said so.

Two headers go with every subgraph fetch (see docs/security.md, "Object-level access")::

    X-Ordergate-Principal: <base64url(canonical JSON of the claims)>
    X-Ordergate-Principal-Signature: t=<unix seconds>,v1=<base64url(HMAC-SHA256)>

The claims are the ones a subgraph needs to enforce ownership: ``kind``, ``sub``,
``customer_id``, ``client_id``, ``roles``, ``scopes``. The canonical JSON is UTF-8 with sorted
keys, no whitespace, and sorted, de-duplicated role and scope lists, so equal principals always
give byte-equal headers (the gateway's in-flight deduplication relies on it).

The MAC covers ``"ordergate-principal.v1" LF principal-header LF request-id LF t`` where
``request-id`` is the fetch's ``X-Request-ID`` header as sent: a signature is bound to the
claims, the request and the time it was made. In *trusted network* mode the signature header is
left out and subgraphs must be configured to accept that.

Usage::

    claims = PrincipalClaims(kind="jwt", subject="u-1", scopes=frozenset({"orders:read"}))
    value = encode_claims(claims)
    signature = sign(secret, value, request_id, issued_at=int(time.time()))
    ...
    claims = verify(secret, value, signature, request_id, now=time.time(), max_skew=60)
"""

from __future__ import annotations

import base64
import binascii
import hashlib
import hmac
import json
from dataclasses import dataclass
from typing import Any

__all__ = [
    "PRINCIPAL_HEADER",
    "SIGNATURE_HEADER",
    "PrincipalClaims",
    "PrincipalHeaderError",
    "decode_claims",
    "encode_claims",
    "sign",
    "verify",
]

PRINCIPAL_HEADER = "x-ordergate-principal"
SIGNATURE_HEADER = "x-ordergate-principal-signature"
_CONTEXT = b"ordergate-principal.v1"
#: largest accepted principal header (bytes of base64url); bigger ones are refused unparsed
MAX_HEADER_BYTES = 8192
_KINDS = frozenset({"jwt", "api_key", "anonymous"})
_MALFORMED = "the principal header is malformed"


class PrincipalHeaderError(ValueError):
    """A forwarded principal that cannot be trusted; ``code`` says why (stable)."""

    def __init__(self, code: str, message: str) -> None:
        super().__init__(message)
        self.code = code
        self.message = message


@dataclass(frozen=True, slots=True)
class PrincipalClaims:
    """What a subgraph learns about the caller."""

    kind: str
    subject: str | None = None
    customer_id: str | None = None
    client_id: str | None = None
    roles: frozenset[str] = frozenset()
    scopes: frozenset[str] = frozenset()


def _b64encode(raw: bytes) -> str:
    return base64.urlsafe_b64encode(raw).rstrip(b"=").decode("ascii")


def _b64decode(text: str) -> bytes:
    return base64.urlsafe_b64decode(text + "=" * (-len(text) % 4))


def encode_claims(claims: PrincipalClaims) -> str:
    """The principal header value (canonical, deterministic)."""
    document = {
        "client_id": claims.client_id,
        "customer_id": claims.customer_id,
        "kind": claims.kind,
        "roles": sorted(claims.roles),
        "scopes": sorted(claims.scopes),
        "sub": claims.subject,
        "v": 1,
    }
    text = json.dumps(document, sort_keys=True, separators=(",", ":"), ensure_ascii=False)
    return _b64encode(text.encode("utf-8"))


def _optional_text(document: dict[str, Any], name: str) -> str | None:
    value = document.get(name)
    if value is None or isinstance(value, str):
        return value
    raise PrincipalHeaderError("INVALID_PRINCIPAL", f"principal claim {name} is not a string")


def _text_set(document: dict[str, Any], name: str) -> frozenset[str]:
    value = document.get(name)
    if not isinstance(value, list) or not all(isinstance(item, str) for item in value):
        raise PrincipalHeaderError("INVALID_PRINCIPAL", f"principal claim {name} is not a list")
    return frozenset(value)


def decode_claims(value: str) -> PrincipalClaims:
    """Parse a principal header value; raises :class:`PrincipalHeaderError`
    (``INVALID_PRINCIPAL``)."""
    if len(value) > MAX_HEADER_BYTES:
        raise PrincipalHeaderError("INVALID_PRINCIPAL", "the principal header is too large")
    try:
        document = json.loads(_b64decode(value).decode("utf-8"))
    except (binascii.Error, UnicodeDecodeError, ValueError) as exc:
        raise PrincipalHeaderError("INVALID_PRINCIPAL", _MALFORMED) from exc
    if not isinstance(document, dict) or document.get("v") != 1:
        raise PrincipalHeaderError("INVALID_PRINCIPAL", "unknown principal header version")
    kind = document.get("kind")
    if kind not in _KINDS:
        raise PrincipalHeaderError("INVALID_PRINCIPAL", "unknown principal kind")
    return PrincipalClaims(
        kind=str(kind),
        subject=_optional_text(document, "sub"),
        customer_id=_optional_text(document, "customer_id"),
        client_id=_optional_text(document, "client_id"),
        roles=_text_set(document, "roles"),
        scopes=_text_set(document, "scopes"),
    )


def _mac(secret: bytes, value: str, request_id: str, issued_at: int) -> bytes:
    message = b"\n".join(
        (_CONTEXT, value.encode("ascii"), request_id.encode("utf-8"), str(issued_at).encode())
    )
    return hmac.new(secret, message, hashlib.sha256).digest()


def sign(secret: bytes, value: str, request_id: str, *, issued_at: int) -> str:
    """The signature header value for a principal header ``value`` sent with ``request_id``."""
    return f"t={issued_at},v1={_b64encode(_mac(secret, value, request_id, issued_at))}"


def _parse_signature(signature: str) -> tuple[int, bytes]:
    fields: dict[str, str] = {}
    for part in signature.split(","):
        name, _, text = part.strip().partition("=")
        fields[name] = text
    try:
        issued_at = int(fields["t"])
        mac = _b64decode(fields["v1"])
    except (KeyError, ValueError, binascii.Error) as exc:
        raise PrincipalHeaderError(
            "INVALID_PRINCIPAL_SIGNATURE", "the principal signature is malformed"
        ) from exc
    return issued_at, mac


def verify(
    secret: bytes,
    value: str,
    signature: str | None,
    request_id: str,
    *,
    now: float,
    max_skew_seconds: float,
) -> PrincipalClaims:
    """The claims of a principal header whose signature is valid and fresh.

    Raises :class:`PrincipalHeaderError` with code ``INVALID_PRINCIPAL_SIGNATURE`` (missing,
    malformed or wrong signature: compared in constant time), ``PRINCIPAL_SIGNATURE_EXPIRED``
    (``t`` further than ``max_skew_seconds`` from ``now``, either way) or
    ``INVALID_PRINCIPAL`` (a correctly signed header that does not parse).
    """
    if not signature:
        raise PrincipalHeaderError("INVALID_PRINCIPAL_SIGNATURE", "the principal is not signed")
    if len(value) > MAX_HEADER_BYTES:
        raise PrincipalHeaderError("INVALID_PRINCIPAL", "the principal header is too large")
    issued_at, mac = _parse_signature(signature)
    try:
        expected = _mac(secret, value, request_id, issued_at)
    except UnicodeEncodeError as exc:
        raise PrincipalHeaderError("INVALID_PRINCIPAL", _MALFORMED) from exc
    if not hmac.compare_digest(expected, mac):
        raise PrincipalHeaderError(
            "INVALID_PRINCIPAL_SIGNATURE", "the principal signature does not verify"
        )
    if abs(now - issued_at) > max_skew_seconds:
        raise PrincipalHeaderError(
            "PRINCIPAL_SIGNATURE_EXPIRED", "the principal signature is too old or in the future"
        )
    return decode_claims(value)
