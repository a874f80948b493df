"""Authentication failures: a stable code, a message that never says which key exists."""

from __future__ import annotations

from enum import StrEnum
from typing import Any

__all__ = ["AuthErrorCode", "AuthenticationError"]


class AuthErrorCode(StrEnum):
    """Stable ``extensions.code`` values of authentication failures."""

    #: no credentials were presented and anonymous access is not allowed
    AUTHENTICATION_REQUIRED = "AUTHENTICATION_REQUIRED"
    #: both a bearer token and an API key, or an unknown ``Authorization`` scheme
    INVALID_CREDENTIALS = "INVALID_CREDENTIALS"
    #: the token is not a well-formed JWT (or lacks a ``kid`` where one is needed)
    INVALID_TOKEN = "INVALID_TOKEN"
    #: the signature does not verify, or no key of the issuer matches the token
    INVALID_SIGNATURE = "INVALID_SIGNATURE"
    #: the token's ``alg`` is not one the issuer is configured for (``none`` never is)
    ALGORITHM_NOT_ALLOWED = "ALGORITHM_NOT_ALLOWED"
    #: ``exp`` is in the past (beyond the clock leeway)
    TOKEN_EXPIRED = "TOKEN_EXPIRED"
    #: ``nbf`` or ``iat`` is in the future (beyond the clock leeway)
    TOKEN_NOT_YET_VALID = "TOKEN_NOT_YET_VALID"
    #: ``iss`` names no configured issuer
    INVALID_ISSUER = "INVALID_ISSUER"
    #: ``aud`` names none of the issuer's accepted audiences
    INVALID_AUDIENCE = "INVALID_AUDIENCE"
    #: one of ``exp``, ``iss``, ``aud``, ``sub`` is missing
    MISSING_CLAIM = "MISSING_CLAIM"
    #: a claim has the wrong type (``sub`` not a string, ``exp`` not a number, ...)
    INVALID_CLAIM = "INVALID_CLAIM"
    #: the API key is unknown or revoked (the two are deliberately indistinguishable)
    INVALID_API_KEY = "INVALID_API_KEY"
    #: the issuer's keys could not be loaded yet (JWKS unreachable): HTTP 503
    AUTHENTICATION_UNAVAILABLE = "AUTHENTICATION_UNAVAILABLE"


class AuthenticationError(Exception):
    """The request's credentials were refused.

    The HTTP edge answers with ``status`` (401, or 503 when keys could not be loaded), the
    ``WWW-Authenticate`` header :attr:`www_authenticate` and :meth:`graphql_error` as the only
    error of the response.
    """

    def __init__(
        self,
        code: AuthErrorCode,
        message: str,
        *,
        status: int = 401,
        www_authenticate: str = 'Bearer realm="ordergate"',
    ) -> None:
        super().__init__(message)
        self.code = code
        self.message = message
        self.status = status
        self.www_authenticate = www_authenticate

    def graphql_error(self) -> dict[str, Any]:
        """The error in the GraphQL response shape: ``{message, extensions: {code}}``."""
        return {"message": self.message, "extensions": {"code": str(self.code)}}

    def headers(self) -> dict[str, str]:
        """Response headers the edge must send with the error."""
        return {"www-authenticate": self.www_authenticate}

    def __repr__(self) -> str:
        return f"AuthenticationError({self.code!s}, {self.message!r}, status={self.status})"
