"""The Redis job backend: job data in hashes, chunks in a Redis Stream with a consumer group.

Keys under ``<prefix>`` (``<redis.key_prefix>:<jobs.key_prefix>``)::

    <prefix>:job:<id>            hash: kind owner state total succeeded failed dead timestamps
    <prefix>:job:<id>:rows       hash: row number -> row JSON
    <prefix>:job:<id>:outcomes   hash: row number -> s | f | d   (HSETNX: recorded once)
    <prefix>:job:<id>:errors     hash: row number -> error
    <prefix>:job:<id>:dead       hash: row number -> dead letter
    <prefix>:queue               stream of chunks, consumer group "workers"

A job is created in one ``MULTI`` (data, expiry and its chunks). Outcomes and the dead-letter
replay are Lua scripts, so counters and outcomes never disagree. Workers read with
``XREADGROUP`` and acknowledge with ``XACK``; a chunk whose worker went silent is taken over
with ``XAUTOCLAIM`` after ``claim_idle_seconds``.
"""

from __future__ import annotations

import time
from collections import Counter
from collections.abc import Callable, Sequence
from typing import Any

import orjson
from redis.asyncio import Redis
from redis.exceptions import ResponseError

from wire.jobs.model import (
    Chunk,
    DeadLetter,
    Delivery,
    Job,
    JobKind,
    JobState,
    RowError,
    RowOutcome,
    chunks_of,
)
from wire.jobs.stats import QueueStats

__all__ = ["CONSUMER_GROUP", "RedisJobBackend"]

CONSUMER_GROUP = "workers"
_ROWS_PER_COMMAND = 1000
#: stream entries read per XRANGE when counting the queue
_STATS_PAGE = 1000

_RECORD = """
if redis.call('EXISTS', KEYS[1]) == 0 then return 0 end
if redis.call('HSETNX', KEYS[2], ARGV[1], ARGV[2]) == 0 then return 0 end
if ARGV[2] == 's' then
  redis.call('HINCRBY', KEYS[1], 'succeeded', 1)
else
  redis.call('HINCRBY', KEYS[1], 'failed', 1)
  if ARGV[3] ~= '' then redis.call('HSET', KEYS[3], ARGV[1], ARGV[3]) end
  if ARGV[2] == 'd' then
    redis.call('HINCRBY', KEYS[1], 'dead', 1)
    if ARGV[4] ~= '' then redis.call('HSET', KEYS[4], ARGV[1], ARGV[4]) end
  end
end
local counts = redis.call('HMGET', KEYS[1], 'succeeded', 'failed', 'total')
if tonumber(counts[1]) + tonumber(counts[2]) >= tonumber(counts[3]) then
  redis.call('HSET', KEYS[1], 'state', 'completed', 'finished', ARGV[5], 'updated', ARGV[5])
else
  redis.call('HSET', KEYS[1], 'state', 'running', 'updated', ARGV[5])
end
local ttl = redis.call('PTTL', KEYS[1])
if ttl > 0 then
  for i = 2, 4 do redis.call('PEXPIRE', KEYS[i], ttl) end
end
return 1
"""

_REPLAY = """
if redis.call('EXISTS', KEYS[1]) == 0 then return 0 end
local rows = redis.call('HKEYS', KEYS[4])
if #rows == 0 then return 0 end
table.sort(rows, function(a, b) return tonumber(a) < tonumber(b) end)
for _, row in ipairs(rows) do
  redis.call('HDEL', KEYS[2], row)
  redis.call('HDEL', KEYS[3], row)
end
redis.call('DEL', KEYS[4])
redis.call('HINCRBY', KEYS[1], 'failed', -#rows)
redis.call('HINCRBY', KEYS[1], 'dead', -#rows)
redis.call('HSET', KEYS[1], 'state', 'running', 'finished', '', 'updated', ARGV[2])
local size = tonumber(ARGV[1])
for i = 1, #rows, size do
  local part = {}
  for j = i, math.min(i + size - 1, #rows) do table.insert(part, rows[j]) end
  redis.call('XADD', KEYS[5], '*', 'job', ARGV[3], 'rows', table.concat(part, ','))
end
return #rows
"""


def _text(value: Any) -> str:
    return value.decode() if isinstance(value, bytes) else str(value)


def _bytes(value: bytes | str) -> bytes:
    return value if isinstance(value, bytes) else value.encode()


def _job(job_id: str, fields: dict[Any, Any]) -> Job:
    values = {_text(key): _text(value) for key, value in fields.items()}
    finished = values.get("finished", "")
    return Job(
        id=job_id,
        kind=JobKind(values["kind"]),
        owner=values["owner"],
        state=JobState(values["state"]),
        total=int(values["total"]),
        succeeded=int(values.get("succeeded", 0)),
        failed=int(values.get("failed", 0)),
        dead_lettered=int(values.get("dead", 0)),
        created_at=float(values["created"]),
        updated_at=float(values["updated"]),
        finished_at=float(finished) if finished else None,
        principal=values.get("principal") or None,
        traceparent=values.get("traceparent") or None,
        tracestate=values.get("tracestate") or None,
    )


class RedisJobBackend:
    """Jobs in Redis (raises ``RedisError``/``OSError`` when the server is down)."""

    def __init__(
        self, redis: Redis, key_prefix: str, *, clock: Callable[[], float] = time.time
    ) -> None:
        self._redis = redis
        self._prefix = key_prefix
        self._clock = clock
        self._queue = f"{key_prefix}:queue"
        self._record = redis.register_script(_RECORD)
        self._replay = redis.register_script(_REPLAY)
        self._group_ready = False

    def _keys(self, job_id: str) -> list[str]:
        base = f"{self._prefix}:job:{job_id}"
        return [base, f"{base}:outcomes", f"{base}:errors", f"{base}:dead"]

    async def _ensure_group(self) -> None:
        if self._group_ready:
            return
        try:
            await self._redis.xgroup_create(self._queue, CONSUMER_GROUP, id="0", mkstream=True)
        except ResponseError as error:
            if "BUSYGROUP" not in str(error):
                raise
        self._group_ready = True

    async def create(
        self, job: Job, rows: Sequence[Any], chunk_size: int, retention_seconds: float
    ) -> None:
        """One transaction: the job, its rows, their expiry and its chunks."""
        await self._ensure_group()
        job_key = self._keys(job.id)[0]
        rows_key = f"{job_key}:rows"
        ttl = max(1, round(retention_seconds))
        async with self._redis.pipeline(transaction=True) as pipe:
            pipe.hset(
                job_key,
                mapping={
                    "kind": job.kind.value,
                    "owner": job.owner,
                    "state": job.state.value,
                    "total": job.total,
                    "succeeded": 0,
                    "failed": 0,
                    "dead": 0,
                    "created": repr(job.created_at),
                    "updated": repr(job.updated_at),
                    "finished": "",
                    "principal": job.principal or "",
                    "traceparent": job.traceparent or "",
                    "tracestate": job.tracestate or "",
                },
            )
            for start in range(0, len(rows), _ROWS_PER_COMMAND):
                part = rows[start : start + _ROWS_PER_COMMAND]
                pipe.hset(
                    rows_key,
                    mapping={
                        str(start + offset + 1): orjson.dumps(row)
                        for offset, row in enumerate(part)
                    },
                )
            pipe.expire(job_key, ttl)
            pipe.expire(rows_key, ttl)
            for chunk in chunks_of(job.id, range(1, len(rows) + 1), chunk_size):
                pipe.xadd(self._queue, chunk.encode())  # type: ignore[arg-type]
            await pipe.execute()

    async def get(self, job_id: str) -> Job | None:
        """HGETALL of the job hash."""
        fields = await self._redis.hgetall(self._keys(job_id)[0])
        return _job(job_id, fields) if fields else None

    async def rows(self, job_id: str, numbers: Sequence[int]) -> dict[int, Any]:
        """HMGET of the rows hash."""
        if not numbers:
            return {}
        values = await self._redis.hmget(f"{self._keys(job_id)[0]}:rows", [str(n) for n in numbers])
        return {n: orjson.loads(v) for n, v in zip(numbers, values, strict=True) if v is not None}

    async def outcomes(self, job_id: str, numbers: Sequence[int]) -> dict[int, RowOutcome]:
        """HMGET of the outcomes hash."""
        if not numbers:
            return {}
        values = await self._redis.hmget(self._keys(job_id)[1], [str(n) for n in numbers])
        return {
            n: RowOutcome(_text(v)) for n, v in zip(numbers, values, strict=True) if v is not None
        }

    async def record(
        self,
        job_id: str,
        row: int,
        outcome: RowOutcome,
        error: RowError | None = None,
        dead: DeadLetter | None = None,
    ) -> bool:
        """The record script."""
        recorded = await self._record(
            keys=self._keys(job_id),
            args=[
                str(row),
                outcome.value,
                error.encode() if error is not None else b"",
                dead.encode() if dead is not None else b"",
                repr(self._clock()),
            ],
        )
        return bool(recorded)

    async def errors(self, job_id: str, limit: int) -> tuple[list[RowError], bool]:
        """Every error, sorted by row (the hash holds failed rows only)."""
        found = await self._redis.hgetall(self._keys(job_id)[2])
        ordered = sorted(
            (RowError.decode(_bytes(raw)) for raw in found.values()), key=lambda e: e.row
        )
        return ordered[:limit], len(ordered) > limit

    async def dead_letters(self, job_id: str) -> list[DeadLetter]:
        """Every dead letter, sorted by row."""
        found = await self._redis.hgetall(self._keys(job_id)[3])
        return sorted(
            (DeadLetter.decode(_bytes(raw)) for raw in found.values()), key=lambda d: d.row
        )

    async def replay_dead_letters(self, job_id: str, chunk_size: int) -> int:
        """The replay script."""
        await self._ensure_group()
        replayed = await self._replay(
            keys=[*self._keys(job_id), self._queue],
            args=[chunk_size, repr(self._clock()), job_id],
        )
        return int(replayed)

    def _delivery(self, message_id: Any, fields: dict[Any, Any], deliveries: int) -> Delivery:
        decoded = {_text(key): _text(value) for key, value in fields.items()}
        return Delivery(_text(message_id), Chunk.decode(decoded), deliveries)

    async def receive(
        self, consumer: str, *, claim_idle_seconds: float, block_seconds: float
    ) -> Delivery | None:
        """XAUTOCLAIM an abandoned chunk, else XREADGROUP a new one."""
        await self._ensure_group()
        claimed = await self._redis.xautoclaim(
            self._queue,
            CONSUMER_GROUP,
            consumer,
            min_idle_time=max(1, round(claim_idle_seconds * 1000)),
            start_id="0-0",
            count=1,
        )
        messages = claimed[1] if len(claimed) > 1 else []
        for message_id, fields in messages:
            if fields:
                pending = await self._redis.xpending_range(
                    self._queue, CONSUMER_GROUP, min=message_id, max=message_id, count=1
                )
                times = int(pending[0]["times_delivered"]) if pending else 2
                return self._delivery(message_id, fields, times)
        read: Any = await self._redis.xreadgroup(
            CONSUMER_GROUP,
            consumer,
            {self._queue: ">"},
            count=1,
            block=max(1, round(block_seconds * 1000)),
        )
        for _stream, entries in read or ():
            for message_id, fields in entries:
                return self._delivery(message_id, fields, 1)
        return None

    async def touch(self, delivery: Delivery, consumer: str) -> None:
        """XCLAIM to ourselves: resets the idle time."""
        await self._redis.xclaim(
            self._queue,
            CONSUMER_GROUP,
            consumer,
            min_idle_time=0,
            message_ids=[delivery.message_id],
            justid=True,
        )

    async def ack(self, delivery: Delivery) -> None:
        """XACK and XDEL."""
        async with self._redis.pipeline(transaction=True) as pipe:
            pipe.xack(self._queue, CONSUMER_GROUP, delivery.message_id)
            pipe.xdel(self._queue, delivery.message_id)
            await pipe.execute()

    async def queue_stats(self) -> QueueStats:
        """Rows of the chunks in the stream (queued or delivered, not yet acknowledged: an
        acknowledged chunk is deleted) and dead letters, per kind. Reads the whole stream and
        scans the dead-letter hashes: made for a scrape every few seconds, not per request."""
        rows_of_job: Counter[str] = Counter()
        start = "-"
        while True:
            entries: Any = await self._redis.xrange(self._queue, min=start, count=_STATS_PAGE)
            for _message_id, fields in entries:
                decoded = {_text(key): _text(value) for key, value in fields.items()}
                chunk = Chunk.decode(decoded)
                rows_of_job[chunk.job_id] += len(chunk.rows)
            if len(entries) < _STATS_PAGE:
                break
            start = f"({_text(entries[-1][0])}"
        dead_keys = [
            _text(key)
            async for key in self._redis.scan_iter(match=f"{self._prefix}:job:*:dead", count=1000)
        ]
        job_prefix = f"{self._prefix}:job:"
        dead_of_job = {key.removeprefix(job_prefix).removesuffix(":dead"): key for key in dead_keys}
        jobs = sorted(set(rows_of_job) | set(dead_of_job))
        async with self._redis.pipeline(transaction=False) as pipe:
            for job_id in jobs:
                pipe.hget(self._keys(job_id)[0], "kind")
                if job_id in dead_of_job:
                    pipe.hlen(dead_of_job[job_id])
            answers = list(await pipe.execute())
        queued: Counter[JobKind] = Counter()
        dead: Counter[JobKind] = Counter()
        for job_id in jobs:
            kind = answers.pop(0)
            letters = int(answers.pop(0)) if job_id in dead_of_job else 0
            if kind is None:  # expired
                continue
            job_kind = JobKind(_text(kind))
            queued[job_kind] += rows_of_job.get(job_id, 0)
            if letters:
                dead[job_kind] += letters
        return QueueStats(dict(queued), dict(dead))

    async def aclose(self) -> None:
        """The Redis client is shared: nothing to close here."""
