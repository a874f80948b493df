"""A JSON Web Key Set fetched over HTTP, cached, refreshed with a cooldown.

Rules (see docs/adr/0400-jwt-verification-and-jwks-cache.md):

- keys are fetched lazily, with the event loop free (``httpx.AsyncClient``); concurrent callers
  share one in-flight fetch;
- fetched keys are fresh for ``cache_seconds``; after that, a known key still answers at once
  while a refresh runs in the background (stale-while-revalidate), so no request waits for it;
- an unknown ``kid`` triggers a refetch only when the last fetch attempt is older than
  ``cooldown_seconds``, so a flood of random ``kid`` values costs at most one fetch per cooldown;
- a failed fetch (outage, bad JSON) keeps the keys already known: tokens signed with them go on
  verifying.
"""

from __future__ import annotations

import asyncio
import contextlib
import time
from collections.abc import Callable
from typing import Any

import httpx
import orjson
import structlog
from jwt import PyJWK
from jwt.exceptions import PyJWKError, PyJWTError

__all__ = ["JwksCache", "KeysUnavailableError"]

_log = structlog.get_logger(__name__)

#: key types the gateway verifies with (symmetric "oct" keys are never taken from a JWKS)
_KEY_TYPES = frozenset({"RSA", "EC"})
_MAX_KID_LENGTH = 256
_MAX_JWKS_BYTES = 1_048_576


class KeysUnavailableError(Exception):
    """No key set could be loaded yet, so no token of this issuer can be verified."""


class JwksCache:
    """The signing keys of one issuer, by ``kid``."""

    def __init__(
        self,
        url: str,
        client: httpx.AsyncClient,
        *,
        cache_seconds: float = 300.0,
        cooldown_seconds: float = 30.0,
        timeout_seconds: float = 5.0,
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        self._url = url
        self._client = client
        self._cache_seconds = cache_seconds
        self._cooldown_seconds = cooldown_seconds
        self._timeout_seconds = timeout_seconds
        self._clock = clock
        self._keys: dict[str, dict[str, Any]] = {}
        self._prepared: dict[tuple[str, str], PyJWK] = {}
        self._loaded = False
        self._fetched_at: float | None = None
        self._attempted_at: float | None = None
        self._inflight: asyncio.Task[None] | None = None

    @property
    def url(self) -> str:
        """Where the key set is fetched from."""
        return self._url

    @property
    def key_ids(self) -> frozenset[str]:
        """The ``kid`` values currently known."""
        return frozenset(self._keys)

    async def key(self, kid: str, algorithm: str) -> PyJWK | None:
        """The key ``kid`` prepared for ``algorithm``, or ``None`` when there is no such key.

        ``None`` also covers a key whose own ``alg`` or type does not fit ``algorithm``: the
        caller reports both the same way, so nobody learns which key ids exist.
        Raises :class:`KeysUnavailableError` when no key set was ever loaded.
        """
        if len(kid) > _MAX_KID_LENGTH:
            return None
        if not self._loaded:
            if self._may_fetch():
                await self._refresh()
        elif self._stale() and self._may_fetch():
            self._start()  # known keys keep answering meanwhile
        jwk = self._keys.get(kid)
        if jwk is None and self._may_fetch():  # joins the fetch under way, if any
            await self._refresh()
            jwk = self._keys.get(kid)
        if not self._loaded:
            raise KeysUnavailableError(f"the key set at {self._url} could not be loaded")
        if jwk is None:
            return None
        return self._prepare(kid, jwk, algorithm)

    async def refresh(self) -> None:
        """Wait for the fetch under way, or fetch now (start-up warm-up); never raises."""
        await self._refresh()

    async def aclose(self) -> None:
        """Cancel a background fetch still under way."""
        task = self._inflight
        if task is not None:
            task.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await task

    def _stale(self) -> bool:
        return self._fetched_at is None or self._clock() - self._fetched_at >= self._cache_seconds

    def _may_fetch(self) -> bool:
        if self._inflight is not None:
            return True  # joining the fetch under way costs nothing
        return (
            self._attempted_at is None
            or self._clock() - self._attempted_at >= self._cooldown_seconds
        )

    def _start(self) -> asyncio.Task[None]:
        if self._inflight is None:
            self._attempted_at = self._clock()
            self._inflight = asyncio.create_task(self._fetch())
            self._inflight.add_done_callback(self._clear_inflight)
        return self._inflight

    async def _refresh(self) -> None:
        await asyncio.shield(self._start())

    def _clear_inflight(self, task: asyncio.Task[None]) -> None:
        if self._inflight is task:
            self._inflight = None

    async def _fetch(self) -> None:
        try:
            response = await self._client.get(self._url, timeout=self._timeout_seconds)
            if response.status_code != 200:
                raise ValueError(f"HTTP {response.status_code}")
            if len(response.content) > _MAX_JWKS_BYTES:
                raise ValueError("key set larger than 1 MiB")
            keys = _signing_keys(orjson.loads(response.content))
        except Exception as exc:  # a failed fetch must never fail the requests waiting on it
            _log.warning("JWKS fetch failed; keeping known keys", url=self._url, error=repr(exc))
            return
        self._keys = keys
        self._prepared = {}
        self._loaded = True
        self._fetched_at = self._clock()
        _log.info("JWKS loaded", url=self._url, keys=len(keys))

    def _prepare(self, kid: str, jwk: dict[str, Any], algorithm: str) -> PyJWK | None:
        declared = jwk.get("alg")
        if declared is not None and declared != algorithm:
            return None
        cached = self._prepared.get((kid, algorithm))
        if cached is not None:
            return cached
        try:
            prepared = PyJWK(jwk, algorithm=algorithm)
        except (PyJWKError, PyJWTError, ValueError, TypeError):
            return None  # e.g. an EC key asked to verify RS256
        if not _fits(prepared, algorithm):
            return None
        self._prepared[(kid, algorithm)] = prepared
        return prepared


def _signing_keys(document: Any) -> dict[str, dict[str, Any]]:
    """``kid -> JWK`` of the usable signing keys of a JWKS document."""
    if not isinstance(document, dict) or not isinstance(document.get("keys"), list):
        raise ValueError("not a JSON Web Key Set")
    keys: dict[str, dict[str, Any]] = {}
    for jwk in document["keys"]:
        if not isinstance(jwk, dict):
            continue
        kid = jwk.get("kid")
        if not isinstance(kid, str) or not kid or len(kid) > _MAX_KID_LENGTH:
            continue
        if jwk.get("kty") not in _KEY_TYPES or jwk.get("use", "sig") != "sig":
            continue
        keys[kid] = jwk
    return keys


def _fits(key: PyJWK, algorithm: str) -> bool:
    """Whether the key's type matches the algorithm family (RSA for RS/PS, EC for ES)."""
    key_type = key.key_type
    if algorithm.startswith(("RS", "PS")):
        return key_type == "RSA"
    if algorithm.startswith("ES"):
        return key_type == "EC"
    return False
