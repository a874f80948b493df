"""InflightExecutions: one execution per key in flight, copies per caller, failures and
cancellation handled per caller."""

from __future__ import annotations

import asyncio

import pytest

from gateway.engine.types import GraphQLResult
from gateway.pipeline.inflight import InflightExecutions


class Gate:
    """An execution that waits until released; counts how often it started."""

    def __init__(self, result: GraphQLResult | None = None, error: Exception | None = None):
        self.started = 0
        self.cancelled = 0
        self.release = asyncio.Event()
        self.result = result or GraphQLResult(data={"n": 1}, extensions={"x": 1})
        self.error = error

    async def __call__(self) -> GraphQLResult:
        self.started += 1
        try:
            await self.release.wait()
        except asyncio.CancelledError:
            self.cancelled += 1
            raise
        if self.error is not None:
            raise self.error
        return self.result


async def _until(condition: object) -> None:
    for _ in range(1000):  # event-loop turns, not a timing assertion
        if callable(condition) and condition():
            return
        await asyncio.sleep(0)
    raise AssertionError("condition never held")


async def test_identical_keys_share_one_execution_and_get_their_own_copies() -> None:
    inflight = InflightExecutions()
    gate = Gate()
    callers = [asyncio.create_task(inflight.run("k", f"r{index}", gate)) for index in range(5)]
    await _until(lambda: inflight.joined == 4)
    gate.release.set()
    results = await asyncio.gather(*callers)
    assert gate.started == 1
    assert inflight.started == 1 and inflight.in_flight == 0
    assert {result.request_id for result in results} == {"r0"}  # the starting request's id
    assert all(result.data is gate.result.data for result in results)
    assert len({id(result.headers) for result in results}) == 5  # stages may change each one
    assert len({id(result.extensions) for result in results}) == 5
    shared = results[0].shared_body
    assert shared is not None and all(result.shared_body is shared for result in results)


async def test_different_keys_run_separately_and_a_finished_key_runs_again() -> None:
    inflight = InflightExecutions()
    first, second = Gate(), Gate()
    one = asyncio.create_task(inflight.run("a", "r1", first))
    two = asyncio.create_task(inflight.run("b", "r2", second))
    await _until(lambda: first.started and second.started)
    first.release.set()
    second.release.set()
    await asyncio.gather(one, two)
    third = Gate()
    third.release.set()
    await inflight.run("a", "r3", third)
    assert (first.started, second.started, third.started) == (1, 1, 1)


async def test_a_failure_reaches_every_caller_alike() -> None:
    inflight = InflightExecutions()
    gate = Gate(error=RuntimeError("subgraph client broke"))
    callers = [asyncio.create_task(inflight.run("k", f"r{i}", gate)) for i in range(3)]
    await _until(lambda: inflight.joined == 2)
    gate.release.set()
    outcomes = await asyncio.gather(*callers, return_exceptions=True)
    assert [type(outcome) for outcome in outcomes] == [RuntimeError] * 3
    assert inflight.in_flight == 0


async def test_the_starting_caller_going_away_does_not_cancel_the_others() -> None:
    inflight = InflightExecutions()
    gate = Gate()
    leader = asyncio.create_task(inflight.run("k", "leader", gate))
    follower = asyncio.create_task(inflight.run("k", "follower", gate))
    await _until(lambda: inflight.joined == 1)
    leader.cancel()
    with pytest.raises(asyncio.CancelledError):
        await leader
    gate.release.set()
    result = await follower
    assert result.data == {"n": 1} and gate.cancelled == 0


async def test_the_last_caller_going_away_cancels_the_execution() -> None:
    inflight = InflightExecutions()
    gate = Gate()
    callers = [asyncio.create_task(inflight.run("k", f"r{i}", gate)) for i in range(2)]
    await _until(lambda: inflight.joined == 1 and gate.started == 1)
    for caller in callers:
        caller.cancel()
    await asyncio.gather(*callers, return_exceptions=True)
    await _until(lambda: gate.cancelled == 1)
    assert inflight.in_flight == 0
    again = Gate()
    again.release.set()
    assert (await inflight.run("k", "r3", again)).data == {"n": 1}  # not joined to the dead one


def test_the_shared_body_is_reused_only_for_an_unchanged_result() -> None:
    inflight = InflightExecutions()
    gate = Gate()
    gate.release.set()
    first, second = asyncio.run(_two(inflight, gate))
    shared = first.shared_body
    assert shared is not None
    calls: list[int] = []

    def serialize() -> bytes:
        calls.append(1)
        return b"body"

    assert shared.body_for(first, serialize) == b"body"
    assert shared.body_for(second, serialize) == b"body"
    assert len(calls) == 1
    assert second.extensions is not None
    second.extensions["cost"] = {"estimated": 3}  # a later stage changed this one
    assert shared.body_for(second, lambda: b"other") == b"other"


async def _two(inflight: InflightExecutions, gate: Gate) -> tuple[GraphQLResult, GraphQLResult]:
    one, two = await asyncio.gather(inflight.run("k", "a", gate), inflight.run("k", "b", gate))
    return one, two
