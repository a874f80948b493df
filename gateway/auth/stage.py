"""Authentication as a stage: the HTTP-request hook that sets the caller's principal.

Once per HTTP request (the principal then goes with every entry of a batch, and with every
``/jobs`` call): credentials are checked by the :class:`~gateway.auth.Authenticator`; a refused
caller gets 401/503 with ``WWW-Authenticate`` before any body is read.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Protocol

from gateway.auth.errors import AuthenticationError
from gateway.auth.principal import Principal
from gateway.engine.types import GraphQLResult, RequestContext

__all__ = ["AuthenticationStage", "RequestAuthenticator"]


class RequestAuthenticator(Protocol):
    """Who is calling, from the request headers (``gateway.auth.Authenticator``)."""

    async def authenticate(self, headers: Mapping[str, str]) -> Principal:
        """The caller's principal; raises ``AuthenticationError`` when refused."""
        ...


class AuthenticationStage:
    """HTTP-request hook: ``context.principal`` from the request's credentials."""

    name = "authentication"

    def __init__(self, authenticator: RequestAuthenticator) -> None:
        self._authenticator = authenticator

    async def on_request(self, context: RequestContext) -> GraphQLResult | None:
        """Authenticate; the refusal (401, 503) as a result."""
        try:
            context.principal = await self._authenticator.authenticate(context.headers)
        except AuthenticationError as error:
            return GraphQLResult(
                errors=[error.graphql_error()], status_code=error.status, headers=error.headers()
            )
        return None
