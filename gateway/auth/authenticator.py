"""The authentication stage: request headers in, :class:`Principal` out.

Usage (the HTTP edge, once per HTTP request)::

    authenticator = Authenticator.from_settings(settings.auth)   # at start-up
    try:
        principal = await authenticator.authenticate(headers)     # lower-cased header names
    except AuthenticationError as error:
        ...  # respond error.status, error.headers(), {"errors": [error.graphql_error()]}
    await authenticator.aclose()                                 # at shutdown

Credentials: ``Authorization: Bearer <jwt>``, ``Authorization: ApiKey <key>`` or the API key
header (``x-api-key`` by default). Presenting two credentials, or an unknown ``Authorization``
scheme, is refused. No credentials at all yields :data:`ANONYMOUS` when
``allow_anonymous`` is set.
"""

from __future__ import annotations

import asyncio
import time
from collections.abc import Callable, Mapping
from pathlib import Path
from types import MappingProxyType

import httpx
import structlog

from gateway.auth.api_keys import ApiKeyFileError, ApiKeyRecord, ApiKeyStore
from gateway.auth.claims import expand_roles
from gateway.auth.errors import AuthenticationError, AuthErrorCode
from gateway.auth.jwt_verifier import JwtVerifier
from gateway.auth.principal import ANONYMOUS, Principal, PrincipalKind
from gateway.auth.settings import AuthSettings

__all__ = ["Authenticator"]

_log = structlog.get_logger(__name__)


class _KeyFile:
    """The API key file and the store loaded from it, reloaded when the file changes."""

    def __init__(self, path: Path, interval: float, clock: Callable[[], float]) -> None:
        self.path = path
        self._interval = interval
        self._clock = clock
        self._stamp = _stamp(path)
        self.store = ApiKeyStore.from_file(path)
        self._checked_at = clock()
        self._lock = asyncio.Lock()

    async def current(self) -> ApiKeyStore:
        if self._clock() - self._checked_at >= self._interval:
            await self.reload(only_if_changed=True)
        return self.store

    async def reload(self, *, only_if_changed: bool) -> None:
        async with self._lock:
            self._checked_at = self._clock()
            stamp = await asyncio.to_thread(_stamp, self.path)
            if only_if_changed and stamp == self._stamp:
                return
            try:
                store = await asyncio.to_thread(ApiKeyStore.from_file, self.path)
            except ApiKeyFileError as exc:
                _log.error("API key file unreadable; keeping the previous keys", error=str(exc))
                return
            self.store, self._stamp = store, stamp
            _log.info("API keys loaded", path=str(self.path), keys=len(store))


def _stamp(path: Path) -> tuple[int, int] | None:
    try:
        status = path.stat()
    except OSError:
        return None
    return status.st_mtime_ns, status.st_size


class Authenticator:
    """Authenticates requests with the configured issuers, API keys and anonymous policy."""

    def __init__(
        self,
        settings: AuthSettings,
        *,
        clock: Callable[[], float] = time.monotonic,
        http_client: httpx.AsyncClient | None = None,
    ) -> None:
        self._settings = settings
        self._owns_client = http_client is None
        self._client = http_client or httpx.AsyncClient(follow_redirects=False)
        self._jwt = JwtVerifier(
            settings.issuers,
            self._client,
            role_scopes=settings.role_scopes,
            realm=settings.realm,
            clock=clock,
        )
        key_settings = settings.api_keys
        self._keys = (
            _KeyFile(key_settings.file, key_settings.reload_interval_seconds, clock)
            if key_settings.file is not None
            else None
        )
        self._key_header = key_settings.header
        self._challenge = f'Bearer realm="{settings.realm}", ApiKey realm="{settings.realm}"'

    @classmethod
    def from_settings(
        cls, settings: AuthSettings, *, clock: Callable[[], float] = time.monotonic
    ) -> Authenticator:
        """Build from settings; reads secret and key files now (raises if they are invalid)."""
        return cls(settings, clock=clock)

    async def warm_up(self) -> None:
        """Fetch the issuers' key sets now (or wait for the fetches under way); optional."""
        await self._jwt.warm_up()

    async def reload_api_keys(self) -> None:
        """Re-read the API key file now (e.g. right after a revocation)."""
        if self._keys is not None:
            await self._keys.reload(only_if_changed=False)

    async def aclose(self) -> None:
        """Stop background key refreshes and close the HTTP client used for JWKS fetches."""
        await self._jwt.aclose()
        if self._owns_client:
            await self._client.aclose()

    async def authenticate(self, headers: Mapping[str, str]) -> Principal:
        """The caller's principal; raises :class:`AuthenticationError` when refused."""
        bearer, api_key = self._credentials(headers)
        if bearer is not None:
            return await self._jwt.verify(bearer)
        if api_key is not None:
            return await self._api_key_principal(api_key)
        if self._settings.allow_anonymous:
            return ANONYMOUS
        raise AuthenticationError(
            AuthErrorCode.AUTHENTICATION_REQUIRED,
            "This gateway requires a bearer token or an API key",
            www_authenticate=self._challenge,
        )

    def _credentials(self, headers: Mapping[str, str]) -> tuple[str | None, str | None]:
        bearer: str | None = None
        api_key = headers.get(self._key_header)
        authorization = headers.get("authorization")
        if authorization is not None:
            scheme, _, value = authorization.strip().partition(" ")
            match scheme.lower():
                case "bearer":
                    bearer = value.strip()
                case "apikey" if api_key is None:
                    api_key = value.strip()
                case _:
                    raise AuthenticationError(
                        AuthErrorCode.INVALID_CREDENTIALS,
                        "Use 'Authorization: Bearer <token>' or an API key, not both",
                        www_authenticate=self._challenge,
                    )
        if bearer is not None and api_key is not None:
            raise AuthenticationError(
                AuthErrorCode.INVALID_CREDENTIALS,
                "Use 'Authorization: Bearer <token>' or an API key, not both",
                www_authenticate=self._challenge,
            )
        return bearer, api_key

    async def _api_key_principal(self, key: str) -> Principal:
        record = (await self._keys.current()).lookup(key) if self._keys is not None else None
        if record is None:
            raise AuthenticationError(
                AuthErrorCode.INVALID_API_KEY,
                "The API key is not valid",
                www_authenticate=f'ApiKey realm="{self._settings.realm}"',
            )
        return self._principal_of(record)

    def _principal_of(self, record: ApiKeyRecord) -> Principal:
        roles = frozenset(record.roles)
        return Principal(
            kind=PrincipalKind.API_KEY,
            subject=record.client_id,
            issuer=None,
            client_id=record.client_id,
            customer_id=record.customer_id,
            roles=roles,
            scopes=expand_roles(roles, record.scopes, self._settings.role_scopes),
            claims=MappingProxyType(
                {
                    "sub": record.client_id,
                    "client_id": record.client_id,
                    "key_id": record.id,
                    "roles": list(record.roles),
                    "scope": " ".join(record.scopes),
                    "customer_id": record.customer_id,
                }
            ),
        )
