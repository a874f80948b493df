"""The subgraph-fetch hook that forwards the verified principal to every subgraph.

With ``principal_headers.mode`` ``signed`` (or ``trusted``), every subgraph fetch carries
``X-Ordergate-Principal`` (the caller's claims, see :mod:`wire.principal`) and,
when signed, ``X-Ordergate-Principal-Signature`` (HMAC-SHA256 over the claims, the request id
and the time). The principal header is ``vary=True``: in-flight deduplication only shares a
subgraph call between operations of equal principals. The signature is not identity (a shared
call carries the signature and the ``X-Request-ID`` of the operation that started it, which
verify together).

Cost: the claims header is encoded once per distinct principal (a small bounded cache) and the
HMAC computed once per operation, whatever the number of fetches.
"""

from __future__ import annotations

import time
from collections.abc import Callable

from gateway.auth.principal import Principal, claims_of
from gateway.engine.types import RequestContext
from gateway.pipeline.fetch_headers import HeaderSource, SubgraphHeaders, request_id_source
from wire.forwarding import PrincipalHeadersSettings
from wire.principal import (
    PRINCIPAL_HEADER,
    SIGNATURE_HEADER,
    encode_claims,
    sign,
)

__all__ = [
    "PrincipalHeaderSources",
    "PrincipalHeadersStage",
    "principal_header_sources",
    "subgraph_headers_from",
]

_CACHE_SIZE = 4096
_ATTRIBUTE = "ordergate.principal_signature"


class PrincipalHeaderSources:
    """Computes the principal header and its signature for a request context."""

    def __init__(self, secret: bytes | None, clock: Callable[[], float] = time.time) -> None:
        self._secret = secret
        self._clock = clock
        self._encoded: dict[Principal, str] = {}

    def principal_value(self, context: RequestContext) -> str:
        """The claims header of the context's principal (cached per principal)."""
        principal = context.principal
        value = self._encoded.get(principal)
        if value is None:
            if len(self._encoded) >= _CACHE_SIZE:
                self._encoded.clear()
            value = self._encoded[principal] = encode_claims(claims_of(principal))
        return value

    def signature_value(self, context: RequestContext) -> str | None:
        """The signature header (made once per context), ``None`` in trusted mode."""
        if self._secret is None:
            return None
        cached = context.attributes.get(_ATTRIBUTE)
        if isinstance(cached, str):
            return cached
        signature = sign(
            self._secret,
            self.principal_value(context),
            context.request_id,
            issued_at=int(self._clock()),
        )
        context.attributes[_ATTRIBUTE] = signature
        return signature

    def sources(self) -> list[HeaderSource]:
        """The header sources to add to :class:`SubgraphHeaders`."""
        found = [HeaderSource(PRINCIPAL_HEADER, self.principal_value, vary=True)]
        if self._secret is not None:
            found.append(HeaderSource(SIGNATURE_HEADER, self.signature_value))
        return found


def principal_header_sources(settings: PrincipalHeadersSettings) -> list[HeaderSource]:
    """The principal header sources the settings ask for (none when forwarding is off); reads
    the secret file: a missing or short secret fails start-up."""
    if settings.mode == "off":
        return []
    secret = settings.load_secret() if settings.mode == "signed" else None
    if settings.mode == "signed" and secret is None:
        raise ValueError("principal_headers.mode=signed needs a secret")
    return PrincipalHeaderSources(secret).sources()


def subgraph_headers_from(settings: PrincipalHeadersSettings) -> SubgraphHeaders:
    """``X-Request-ID`` plus the principal headers of ``settings``."""
    return SubgraphHeaders([request_id_source(), *principal_header_sources(settings)])


class PrincipalHeadersStage:
    """Fetch hook: the principal headers ``principal_headers`` asks for (none when off)."""

    name = "principal-headers"

    def __init__(self, settings: PrincipalHeadersSettings) -> None:
        self._sources = principal_header_sources(settings)

    def fetch_headers(self) -> list[HeaderSource]:
        """The principal header and, when signed, its signature."""
        return list(self._sources)
