"""Bearer token verification against the configured issuers (pyjwt, real cryptography).

A token is routed to its issuer by its (still unverified) ``iss``; from then on only that
issuer's algorithms, keys, audiences and exact ``iss`` are accepted. ``exp``, ``iss``, ``aud``
and ``sub`` are required; ``nbf`` and ``iat`` in the future are refused (both with the issuer's
clock leeway).
"""

from __future__ import annotations

import time
from collections.abc import Callable, Mapping
from types import MappingProxyType
from typing import Any

import httpx
import jwt
import structlog
from jwt import PyJWK
from jwt.exceptions import (
    DecodeError,
    ExpiredSignatureError,
    ImmatureSignatureError,
    InvalidAlgorithmError,
    InvalidAudienceError,
    InvalidIssuedAtError,
    InvalidIssuerError,
    InvalidJTIError,
    InvalidKeyError,
    InvalidSignatureError,
    InvalidSubjectError,
    InvalidTokenError,
    MissingRequiredClaimError,
)

from gateway.auth.claims import claim_value, expand_roles, optional_string, string_set
from gateway.auth.errors import AuthenticationError, AuthErrorCode
from gateway.auth.jwks import JwksCache, KeysUnavailableError
from gateway.auth.principal import Principal, PrincipalKind
from gateway.auth.settings import JwtIssuerSettings
from wire.secrets import read_secret_file

__all__ = ["JwtVerifier"]

_log = structlog.get_logger(__name__)

_MAX_TOKEN_LENGTH = 16_384
_REQUIRED_CLAIMS = ["exp", "iss", "aud", "sub"]
_ALGORITHM_REFUSED = "The token's signing algorithm is not accepted"


class _Issuer:
    """One configured issuer and where its keys come from."""

    def __init__(
        self, settings: JwtIssuerSettings, secret: bytes | None, jwks: JwksCache | None
    ) -> None:
        self.settings = settings
        self.secret = secret
        self.jwks = jwks
        self.algorithms = frozenset(settings.algorithms)


class JwtVerifier:
    """Verifies bearer tokens of several issuers at once."""

    def __init__(
        self,
        issuers: list[JwtIssuerSettings],
        client: httpx.AsyncClient,
        *,
        role_scopes: Mapping[str, list[str]] | None = None,
        realm: str = "ordergate",
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        self._role_scopes = dict(role_scopes or {})
        self._realm = realm
        self._issuers: dict[str, _Issuer] = {}
        for settings in issuers:
            secret = read_secret_file(settings.secret_file) if settings.secret_file else None
            jwks = None
            if settings.jwks_url is not None:
                jwks = JwksCache(
                    settings.jwks_url,
                    client,
                    cache_seconds=settings.jwks_cache_seconds,
                    cooldown_seconds=settings.jwks_refetch_cooldown_seconds,
                    timeout_seconds=settings.jwks_timeout_seconds,
                    clock=clock,
                )
            self._issuers[settings.issuer] = _Issuer(settings, secret, jwks)

    @property
    def configured(self) -> bool:
        """Whether any issuer is configured (else every bearer token is refused)."""
        return bool(self._issuers)

    async def warm_up(self) -> None:
        """Fetch every issuer's key set now, or wait for the fetch under way (failures are
        only logged)."""
        for issuer in self._issuers.values():
            if issuer.jwks is not None:
                await issuer.jwks.refresh()

    async def aclose(self) -> None:
        """Stop background key refreshes."""
        for issuer in self._issuers.values():
            if issuer.jwks is not None:
                await issuer.jwks.aclose()

    async def verify(self, token: str) -> Principal:
        """The principal of a valid ``token``; raises :class:`AuthenticationError` otherwise."""
        if not token or len(token) > _MAX_TOKEN_LENGTH:
            raise self._error(AuthErrorCode.INVALID_TOKEN, "The bearer token is malformed")
        header, unverified = self._peek(token)
        issuer = self._issuer_of(unverified)
        algorithm = header.get("alg")
        if not isinstance(algorithm, str) or algorithm not in issuer.algorithms:
            raise self._error(AuthErrorCode.ALGORITHM_NOT_ALLOWED, _ALGORITHM_REFUSED)
        key = await self._key(issuer, header, algorithm)
        claims = self._decode(token, key, algorithm, issuer.settings)
        return self._principal(claims, issuer.settings)

    def _peek(self, token: str) -> tuple[dict[str, Any], dict[str, Any]]:
        try:
            header = jwt.get_unverified_header(token)
            unverified = jwt.decode(token, options={"verify_signature": False})
        except (InvalidTokenError, ValueError, TypeError) as exc:
            raise self._error(
                AuthErrorCode.INVALID_TOKEN, "The bearer token is not a well-formed JWT"
            ) from exc
        return header, unverified

    def _issuer_of(self, unverified: Mapping[str, Any]) -> _Issuer:
        name = unverified.get("iss")
        if name is None:
            raise self._error(AuthErrorCode.MISSING_CLAIM, 'The token is missing the "iss" claim')
        issuer = self._issuers.get(name) if isinstance(name, str) else None
        if issuer is None:
            raise self._error(AuthErrorCode.INVALID_ISSUER, "The token's issuer is not trusted")
        return issuer

    async def _key(
        self, issuer: _Issuer, header: Mapping[str, Any], algorithm: str
    ) -> PyJWK | bytes:
        if issuer.secret is not None:
            return issuer.secret
        assert issuer.jwks is not None  # guaranteed by JwtIssuerSettings
        kid = header.get("kid")
        if not isinstance(kid, str) or not kid:
            raise self._error(AuthErrorCode.INVALID_TOKEN, "The token header has no key id (kid)")
        try:
            key = await issuer.jwks.key(kid, algorithm)
        except KeysUnavailableError as exc:
            raise AuthenticationError(
                AuthErrorCode.AUTHENTICATION_UNAVAILABLE,
                "The issuer's signing keys are unavailable; try again later",
                status=503,
                www_authenticate=f'Bearer realm="{self._realm}"',
            ) from exc
        if key is None:
            raise self._error(
                AuthErrorCode.INVALID_SIGNATURE, "The token signature could not be verified"
            )
        return key

    def _decode(
        self, token: str, key: PyJWK | bytes, algorithm: str, settings: JwtIssuerSettings
    ) -> dict[str, Any]:
        try:
            claims: dict[str, Any] = jwt.decode(
                token,
                key,
                algorithms=[algorithm],
                audience=settings.audiences,
                issuer=settings.issuer,
                leeway=settings.leeway_seconds,
                options={"require": _REQUIRED_CLAIMS, "enforce_minimum_key_length": True},
            )
        except InvalidTokenError as exc:
            code, message = _describe(exc)
            raise self._error(code, message) from exc
        except InvalidKeyError as exc:
            _log.error("issuer key refused", issuer=settings.issuer, error=str(exc))
            raise self._error(
                AuthErrorCode.INVALID_SIGNATURE, "The token signature could not be verified"
            ) from exc
        if not claims["sub"]:
            raise self._error(AuthErrorCode.MISSING_CLAIM, 'The token is missing the "sub" claim')
        return claims

    def _principal(self, claims: dict[str, Any], settings: JwtIssuerSettings) -> Principal:
        roles = string_set(claim_value(claims, settings.roles_claim))
        scopes = string_set(claim_value(claims, settings.scope_claim))
        return Principal(
            kind=PrincipalKind.JWT,
            subject=claims["sub"],
            issuer=settings.issuer,
            client_id=optional_string(claim_value(claims, settings.client_id_claim)),
            customer_id=optional_string(claim_value(claims, settings.customer_id_claim)),
            roles=roles,
            scopes=expand_roles(roles, scopes, self._role_scopes),
            claims=MappingProxyType(claims),
        )

    def _error(self, code: AuthErrorCode, message: str) -> AuthenticationError:
        return AuthenticationError(
            code,
            message,
            www_authenticate=(
                f'Bearer realm="{self._realm}", error="invalid_token", '
                f'error_description="{message}"'
            ),
        )


def _describe(exc: InvalidTokenError) -> tuple[AuthErrorCode, str]:
    """The stable code and client-safe message of a pyjwt failure (order matters: subclasses)."""
    match exc:
        case ExpiredSignatureError():
            return AuthErrorCode.TOKEN_EXPIRED, "The token has expired"
        case ImmatureSignatureError():
            return AuthErrorCode.TOKEN_NOT_YET_VALID, "The token is not valid yet (nbf or iat)"
        case InvalidAudienceError():
            return AuthErrorCode.INVALID_AUDIENCE, "The token is not meant for this audience"
        case InvalidIssuerError():
            return AuthErrorCode.INVALID_ISSUER, "The token's issuer is not trusted"
        case MissingRequiredClaimError():
            return AuthErrorCode.MISSING_CLAIM, f'The token is missing the "{exc.claim}" claim'
        case InvalidSignatureError():
            return AuthErrorCode.INVALID_SIGNATURE, "The token signature could not be verified"
        case InvalidAlgorithmError():
            return AuthErrorCode.ALGORITHM_NOT_ALLOWED, _ALGORITHM_REFUSED
        case InvalidIssuedAtError() | InvalidSubjectError() | InvalidJTIError():
            return AuthErrorCode.INVALID_CLAIM, "A registered claim of the token has a wrong type"
        case DecodeError():
            return AuthErrorCode.INVALID_TOKEN, "The bearer token is not a well-formed JWT"
        case _:
            return AuthErrorCode.INVALID_TOKEN, "The bearer token is not valid"
