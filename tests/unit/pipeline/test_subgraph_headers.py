"""The subgraph-fetch point: which headers go to subgraphs, and how they affect sharing calls."""

from __future__ import annotations

import asyncio
from collections.abc import Mapping

import orjson
import pytest

from gateway.auth import Principal, PrincipalKind
from gateway.engine.types import RequestContext
from gateway.execution.executor import Executor
from gateway.execution.headers import FetchHeaders
from gateway.pipeline import HeaderSource, SubgraphHeaders, request_id_source
from gateway.planning import Fetch, QueryPlan


class GatedTransport:
    """Holds every call until released, so that concurrent queries are in flight together."""

    def __init__(self) -> None:
        self.release = asyncio.Event()
        self.sent: list[Mapping[str, str] | None] = []

    async def send(
        self, service: str, body: bytes, headers: Mapping[str, str] | None = None
    ) -> bytes:
        self.sent.append(headers)
        await self.release.wait()
        return orjson.dumps({"data": {"x": 1}})

    async def aclose(self) -> None:
        return None


def test_the_default_forwards_the_correlation_id_without_splitting_calls() -> None:
    headers = SubgraphHeaders.default().build(RequestContext("abc"))
    assert headers == FetchHeaders({"x-request-id": "abc"})
    assert headers is not None and headers.identity == ()


def test_sources_that_can_change_an_answer_are_part_of_the_identity() -> None:
    def principal_of(context: RequestContext) -> str | None:
        return context.principal.subject

    builder = SubgraphHeaders(
        [request_id_source(), HeaderSource("x-principal", principal_of, vary=True)]
    )
    caller = Principal(kind=PrincipalKind.JWT, subject="alice")
    built = builder.build(RequestContext("r1", principal=caller))
    anonymous = builder.build(RequestContext("r2"))
    assert built is not None and anonymous is not None
    assert built.values == {"x-request-id": "r1", "x-principal": "alice"}
    assert built.identity == (("x-principal", "alice"),)
    assert anonymous.values == {"x-request-id": "r2"}  # None: the header is not sent
    assert anonymous.identity == (("x-principal", ""),)
    with pytest.raises(ValueError, match="twice"):
        SubgraphHeaders([request_id_source(), request_id_source()])
    assert SubgraphHeaders([]).build(RequestContext("r3")) is None


async def test_identical_queries_share_a_call_unless_a_varying_header_differs() -> None:
    transport = GatedTransport()
    executor = Executor(transport, abstract_types=frozenset())
    plan = QueryPlan(Fetch(0, "a", "{x}"))

    def run(request_id: str, principal: str) -> asyncio.Task[object]:
        headers = FetchHeaders(
            {"x-request-id": request_id, "x-principal": principal}, vary=("x-principal",)
        )
        return asyncio.create_task(executor.execute(plan, {}, headers))

    tasks = [run("r1", "alice"), run("r2", "alice"), run("r3", "bob")]
    for _ in range(5):
        await asyncio.sleep(0)
    transport.release.set()
    results = await asyncio.gather(*tasks)
    assert all(result.data == {"x": 1} for result in results)  # type: ignore[attr-defined]
    assert [dict(h or {}) for h in transport.sent] == [
        {"x-request-id": "r1", "x-principal": "alice"},
        {"x-request-id": "r3", "x-principal": "bob"},
    ]


async def test_plain_header_mappings_never_share_across_different_values() -> None:
    transport = GatedTransport()
    executor = Executor(transport, abstract_types=frozenset())
    plan = QueryPlan(Fetch(0, "a", "{x}"))
    tasks = [
        asyncio.create_task(executor.execute(plan, {}, {"authorization": token}))
        for token in ("t1", "t2", "t1")
    ]
    for _ in range(5):
        await asyncio.sleep(0)
    transport.release.set()
    await asyncio.gather(*tasks)
    assert [dict(h or {}) for h in transport.sent] == [
        {"authorization": "t1"},
        {"authorization": "t2"},
    ]
