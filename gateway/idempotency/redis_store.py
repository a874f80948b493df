"""Records in Redis, shared by every gateway replica.

The claim is ``SET key record NX PX lease`` (inside a script that returns the existing record
when the ``SET`` loses, so claim-or-read is one round trip and atomic). A gateway that dies
mid-request leaves a claim that expires after the lease, so a key is never wedged. Completing,
renewing and releasing only act on the caller's own in-flight claim (compared in a script), so a
request whose lease ran out can never overwrite the record of the request that took over.
"""

from __future__ import annotations

from redis.asyncio import Redis

from gateway.idempotency.records import IdempotencyRecord, in_flight_prefix

__all__ = ["RedisIdempotencyStore"]

_CLAIM = """
if redis.call('SET', KEYS[1], ARGV[1], 'NX', 'PX', ARGV[2]) then return nil end
return redis.call('GET', KEYS[1])
"""

_OWNED = """
local current = redis.call('GET', KEYS[1])
if not current or string.sub(current, 1, string.len(ARGV[1])) ~= ARGV[1] then return 0 end
"""

_RENEW = _OWNED + "return redis.call('PEXPIRE', KEYS[1], ARGV[2])"
_COMPLETE = _OWNED + "redis.call('SET', KEYS[1], ARGV[2], 'PX', ARGV[3]) return 1"
_RELEASE = _OWNED + "return redis.call('DEL', KEYS[1])"


def _milliseconds(seconds: float) -> int:
    return max(1, round(seconds * 1000))


class RedisIdempotencyStore:
    """Records under ``<key_prefix>:<digest>``; raises ``RedisError``/``OSError`` when down."""

    def __init__(self, redis: Redis, key_prefix: str) -> None:
        self._redis = redis
        self._key_prefix = key_prefix
        self._claim = redis.register_script(_CLAIM)
        self._renew = redis.register_script(_RENEW)
        self._complete = redis.register_script(_COMPLETE)
        self._release = redis.register_script(_RELEASE)

    def redis_key(self, key: str) -> str:
        """Where the record of ``key`` lives."""
        return f"{self._key_prefix}:{key}"

    async def claim(
        self, key: str, record: IdempotencyRecord, lease_seconds: float
    ) -> IdempotencyRecord | None:
        """``SET NX PX``; the existing record when another request holds the key."""
        existing = await self._claim(
            keys=[self.redis_key(key)], args=[record.encode(), _milliseconds(lease_seconds)]
        )
        if existing is None:
            return None
        return IdempotencyRecord.decode(bytes(existing))

    async def renew(self, key: str, owner: str, lease_seconds: float) -> bool:
        """``PEXPIRE`` if the key still holds ``owner``'s in-flight claim."""
        renewed = await self._renew(
            keys=[self.redis_key(key)], args=[in_flight_prefix(owner), _milliseconds(lease_seconds)]
        )
        return bool(renewed)

    async def complete(self, key: str, record: IdempotencyRecord, retention_seconds: float) -> bool:
        """Replace ``record.owner``'s claim by the done record."""
        owned = in_flight_prefix(record.owner)
        stored = await self._complete(
            keys=[self.redis_key(key)],
            args=[owned, record.encode(), _milliseconds(retention_seconds)],
        )
        return bool(stored)

    async def release(self, key: str, owner: str) -> None:
        """Delete ``owner``'s in-flight claim."""
        await self._release(keys=[self.redis_key(key)], args=[in_flight_prefix(owner)])

    async def get(self, key: str) -> IdempotencyRecord | None:
        """The record, if the key has not expired."""
        raw = await self._redis.get(self.redis_key(key))
        if raw is None:
            return None
        return IdempotencyRecord.decode(raw if isinstance(raw, bytes) else raw.encode())
