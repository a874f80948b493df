"""Claim a key, replay what it stored, or refuse: the protocol every caller of the stores uses.

Usage (the GraphQL stage and the job endpoints both do this)::

    guard = IdempotencyGuard(store, settings)
    outcome = await guard.claim(scope.digest(key), fingerprint)   # may raise IdempotencyError
    if isinstance(outcome, Replay):
        return outcome.response                   # exactly what the first request answered
    try:
        response = await do_the_work()
    except BaseException:
        await outcome.release()                   # a retry may run it again
        raise
    await outcome.complete(response)              # or outcome.release() to keep nothing

Semantics follow draft-ietf-httpapi-idempotency-key-header and Stripe: another fingerprint
under a used key is 422 ``IDEMPOTENCY_KEY_REUSED`` (checked first, also while in flight); the
same request while the first still runs is 409 ``IDEMPOTENCY_KEY_IN_FLIGHT``; after completion
the stored response is replayed. While the work runs, the claim's lease is renewed in the
background, so only a dead gateway lets a claim expire.
"""

from __future__ import annotations

import asyncio
import contextlib
import uuid
from dataclasses import dataclass

import structlog
from redis.exceptions import RedisError

from gateway.idempotency.errors import IdempotencyError, IdempotencyErrorCode
from gateway.idempotency.records import IdempotencyRecord, StoredResponse
from gateway.idempotency.store import IdempotencyStore

__all__ = ["REPLAYED_HEADER", "Claim", "IdempotencyGuard", "Replay"]

#: response header marking a replayed response (Stripe's name)
REPLAYED_HEADER = "idempotent-replayed"
#: seconds a client is asked to wait before retrying a key that is in flight
IN_FLIGHT_RETRY_AFTER = 1

_log = structlog.get_logger(__name__)
_STORE_ERRORS = (RedisError, OSError)


@dataclass(frozen=True, slots=True)
class Replay:
    """A completed request's stored response, to send again."""

    response: StoredResponse


class Claim:
    """This request holds the key: finish with :meth:`complete` or :meth:`release`."""

    def __init__(
        self,
        store: IdempotencyStore,
        key: str,
        record: IdempotencyRecord,
        lease_seconds: float,
        retention_seconds: float,
    ) -> None:
        self.key = key
        self._store = store
        self._record = record
        self._lease = lease_seconds
        self._retention = retention_seconds
        self._renewal: asyncio.Task[None] | None = asyncio.create_task(self._renew_until_done())

    @property
    def owner(self) -> str:
        """The random token of this claim."""
        return self._record.owner

    async def _renew_until_done(self) -> None:
        while True:
            await asyncio.sleep(self._lease / 3)
            try:
                renewed = await self._store.renew(self.key, self.owner, self._lease)
            except _STORE_ERRORS as error:
                _log.warning("idempotency lease not renewed", error=str(error))
                continue
            if not renewed:
                _log.warning("idempotency claim lost before completion", key=self.key[:12])
                return

    async def _stop_renewal(self) -> None:
        task, self._renewal = self._renewal, None
        if task is not None:
            task.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await task

    async def complete(self, response: StoredResponse) -> bool:
        """Store ``response`` for replays; ``False`` when it could not be stored (logged)."""
        await self._stop_renewal()
        done = IdempotencyRecord(self.owner, self._record.fingerprint, response)
        try:
            stored = await self._store.complete(self.key, done, self._retention)
        except _STORE_ERRORS as error:
            _log.error("idempotency record not stored", error=str(error))
            return False
        if not stored:
            _log.warning("idempotency claim expired before the response was stored")
        return stored

    async def release(self) -> None:
        """Forget the claim; a retry with the same key executes again."""
        await self._stop_renewal()
        try:
            await asyncio.shield(self._store.release(self.key, self.owner))
        except _STORE_ERRORS as error:
            _log.warning("idempotency claim not released (it expires)", error=str(error))


class IdempotencyGuard:
    """Claims keys in a store with a lease and a retention."""

    def __init__(
        self, store: IdempotencyStore, *, lease_seconds: float, retention_seconds: float
    ) -> None:
        self.store = store
        self._lease = lease_seconds
        self._retention = retention_seconds

    async def claim(self, key: str, fingerprint: str) -> Claim | Replay:
        """Claim ``key`` for a request with ``fingerprint``, or replay what it stored.

        Raises :class:`IdempotencyError`: ``IDEMPOTENCY_KEY_REUSED`` for another fingerprint,
        ``IDEMPOTENCY_KEY_IN_FLIGHT`` while the first request runs, ``IDEMPOTENCY_UNAVAILABLE``
        when the store cannot be reached (nothing is executed without a claim).
        """
        record = IdempotencyRecord(uuid.uuid4().hex, fingerprint)
        try:
            existing = await self.store.claim(key, record, self._lease)
        except _STORE_ERRORS as error:
            _log.error("idempotency store unavailable", error=str(error))
            raise IdempotencyError(
                IdempotencyErrorCode.IDEMPOTENCY_UNAVAILABLE,
                "Idempotency keys cannot be checked right now; retry later with the same key",
                retry_after_seconds=IN_FLIGHT_RETRY_AFTER,
            ) from error
        if existing is None:
            return Claim(self.store, key, record, self._lease, self._retention)
        if existing.fingerprint != fingerprint:
            raise IdempotencyError(
                IdempotencyErrorCode.IDEMPOTENCY_KEY_REUSED,
                "This Idempotency-Key was already used for a different request; use a new key",
            )
        if existing.response is None:
            raise IdempotencyError(
                IdempotencyErrorCode.IDEMPOTENCY_KEY_IN_FLIGHT,
                "A request with this Idempotency-Key is still being processed; retry later",
                retry_after_seconds=IN_FLIGHT_RETRY_AFTER,
            )
        return Replay(existing.response)
