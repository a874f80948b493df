"""Verifying the principal the gateway forwards (``X-Ordergate-Principal`` and its signature).

:func:`principal_resolver_from` builds the resolver a subgraph's ``create_app(settings)`` passes
to :func:`~subgraphs.common.app.create_subgraph_app`:

- ``principal_trust=signature`` (default): the header must carry a valid HMAC-SHA256 signature
  made with the shared secret (``principal_secret`` or ``principal_secret_file``), compared in
  constant time, at most ``principal_max_skew_seconds`` away from now, bound to the request's
  ``X-Request-ID``; anything else is refused.
- ``principal_trust=network``: the header is taken as is, unsigned (only where nothing but the
  gateway can reach the subgraph).
- ``principal_mode=required`` (production): a request without the header is refused;
  ``anonymous`` (default, local development): it is served without a principal.

A refused request gets HTTP 401 with one GraphQL error whose ``extensions.code`` is
``PRINCIPAL_REQUIRED``, ``INVALID_PRINCIPAL``, ``INVALID_PRINCIPAL_SIGNATURE`` or
``PRINCIPAL_SIGNATURE_EXPIRED``.
"""

from __future__ import annotations

import time
from collections.abc import Callable

from starlette.requests import Request

from subgraphs.common.caller import Principal
from subgraphs.common.context import PrincipalResolver
from subgraphs.common.settings import SubgraphSettings
from wire.principal import (
    PRINCIPAL_HEADER,
    SIGNATURE_HEADER,
    PrincipalClaims,
    PrincipalHeaderError,
    decode_claims,
    verify,
)

__all__ = [
    "HeaderPrincipalResolver",
    "PrincipalRejectedError",
    "principal_resolver_from",
]


class PrincipalRejectedError(Exception):
    """The request's principal headers cannot be trusted; ``code`` is stable."""

    def __init__(self, code: str, message: str) -> None:
        super().__init__(message)
        self.code = code
        self.message = message


def _principal(claims: PrincipalClaims) -> Principal:
    return Principal(
        kind=claims.kind,
        subject=claims.subject,
        customer_id=claims.customer_id,
        client_id=claims.client_id,
        roles=claims.roles,
        scopes=claims.scopes,
    )


class HeaderPrincipalResolver:
    """Reads and verifies the forwarded principal of a request."""

    def __init__(
        self,
        *,
        required: bool,
        secret: bytes | None,
        trust_network: bool = False,
        max_skew_seconds: float = 60.0,
        clock: Callable[[], float] = time.time,
    ) -> None:
        if not trust_network and secret is None and required:
            raise ValueError("a required, signed principal needs the shared secret")
        self.required = required
        self._secret = secret
        self._trust_network = trust_network
        self._max_skew = max_skew_seconds
        self._clock = clock

    async def __call__(self, request: Request) -> Principal | None:
        """The verified principal, ``None`` when absent and allowed; raises
        :class:`PrincipalRejectedError` otherwise."""
        headers = request.headers
        value = headers.get(PRINCIPAL_HEADER)
        if value is None:
            if self.required:
                raise PrincipalRejectedError(
                    "PRINCIPAL_REQUIRED", "This subgraph only serves requests from the gateway"
                )
            return None
        try:
            if self._trust_network:
                return _principal(decode_claims(value))
            if self._secret is None:
                raise PrincipalHeaderError(
                    "INVALID_PRINCIPAL_SIGNATURE", "no secret is configured to verify principals"
                )
            claims = verify(
                self._secret,
                value,
                headers.get(SIGNATURE_HEADER),
                headers.get("x-request-id", ""),
                now=self._clock(),
                max_skew_seconds=self._max_skew,
            )
        except PrincipalHeaderError as error:
            raise PrincipalRejectedError(error.code, error.message) from error
        return _principal(claims)


def principal_resolver_from(settings: SubgraphSettings) -> PrincipalResolver:
    """The resolver the settings describe (reads the secret file: a missing or short secret
    fails start-up)."""
    return HeaderPrincipalResolver(
        required=settings.principal_mode == "required",
        secret=settings.principal_secret_bytes(),
        trust_network=settings.principal_trust == "network",
        max_skew_seconds=settings.principal_max_skew_seconds,
    )
