"""Token buckets in Redis, shared by every gateway replica: one Lua script per operation.

The script reads the bucket, refills it from the *server's* clock (``TIME``; replicas' clocks
never matter), applies take/refund/peek and writes it back, atomically: Redis runs one script
at a time, so concurrent requests on any number of replicas can never overspend. One round
trip per operation (``EVALSHA``, falling back to ``EVAL`` once after a server restart). An idle
bucket expires once it would be full again, which is the same as not existing.
"""

from __future__ import annotations

from redis.asyncio import Redis
from redis.exceptions import RedisError

from gateway.limits.buckets import BucketOperation, BucketState, BucketStoreError

__all__ = ["RedisBucketStore"]

# KEYS[1]: the bucket. ARGV: capacity, refill per second, amount, operation.
# Fields: tokens (float), updated (server time in microseconds).
_SCRIPT = """
local capacity = tonumber(ARGV[1])
local rate = tonumber(ARGV[2])
local amount = tonumber(ARGV[3])
local operation = ARGV[4]
local clock = redis.call('TIME')
local now = tonumber(clock[1]) * 1000000 + tonumber(clock[2])
local state = redis.call('HMGET', KEYS[1], 'tokens', 'updated')
local tokens = tonumber(state[1])
local updated = tonumber(state[2])
if tokens == nil or updated == nil then
  tokens = capacity
  updated = now
end
if now > updated then
  tokens = tokens + (now - updated) * rate / 1000000
  updated = now
end
if tokens > capacity then tokens = capacity end
local admitted = 1
local retry = -1
if operation == 'take' then
  if amount <= tokens then
    tokens = tokens - amount
  else
    admitted = 0
    if rate > 0 then retry = (amount - tokens) / rate end
  end
elseif operation == 'refund' then
  tokens = tokens + amount
  if tokens > capacity then tokens = capacity end
end
redis.call('HSET', KEYS[1], 'tokens', string.format('%.17g', tokens),
  'updated', string.format('%d', updated))
if rate > 0 then
  redis.call('PEXPIRE', KEYS[1], math.ceil((capacity - tokens) / rate * 1000) + 1000)
else
  redis.call('PERSIST', KEYS[1])
end
return {admitted, string.format('%.17g', tokens), string.format('%.17g', retry)}
"""


class RedisBucketStore:
    """Buckets under ``<key_prefix>:<client id>`` in Redis."""

    def __init__(self, redis: Redis, key_prefix: str) -> None:
        self._redis = redis
        self._key_prefix = key_prefix
        self._script = redis.register_script(_SCRIPT)

    def key(self, client_id: str) -> str:
        """The Redis key of a client's bucket."""
        return f"{self._key_prefix}:{client_id}"

    async def apply(
        self,
        client_id: str,
        operation: BucketOperation,
        amount: float,
        capacity: float,
        refill_per_second: float,
    ) -> BucketState:
        """Run the bucket script once."""
        try:
            reply = await self._script(
                keys=[self.key(client_id)],
                args=[
                    repr(float(capacity)),
                    repr(float(refill_per_second)),
                    repr(float(amount)),
                    operation,
                ],
            )
            admitted, tokens, retry = reply
            retry_after = float(retry)
            return BucketState(
                bool(int(admitted)), float(tokens), retry_after if retry_after >= 0 else None
            )
        except (RedisError, OSError, ValueError, TypeError) as error:
            raise BucketStoreError(f"bucket store unavailable: {error}") from error

    async def aclose(self) -> None:
        """Nothing to release: the Redis client belongs to the composition root."""
