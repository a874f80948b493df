"""The executor's node kinds over an in-memory transport that records what it is sent."""

from __future__ import annotations

import asyncio
from collections.abc import Mapping

import orjson

from gateway.execution.executor import Executor
from gateway.planning import (
    Condition,
    EntityBatch,
    EntityInput,
    Fetch,
    Flatten,
    InputField,
    InputSelection,
    QueryPlan,
    Sequence,
)


class RecordingTransport:
    """Answers each subgraph with a canned body after an optional pause; records requests."""

    def __init__(self, answers: Mapping[str, object], pause: float = 0.0) -> None:
        self.answers = answers
        self.pause = pause
        self.sent: list[tuple[str, dict[str, object]]] = []

    async def send(
        self, service: str, body: bytes, headers: Mapping[str, str] | None = None
    ) -> bytes:
        self.sent.append((service, orjson.loads(body)))
        await asyncio.sleep(self.pause)
        return orjson.dumps(self.answers[service])

    async def aclose(self) -> None:
        return None


KEY = InputSelection((InputField("id", "id"),))


async def test_condition_runs_the_branch_its_variable_selects() -> None:
    transport = RecordingTransport({"a": {"data": {"x": 1}}, "b": {"data": {"y": 2}}})
    executor = Executor(transport, abstract_types=frozenset())
    plan = QueryPlan(Condition("flag", Fetch(0, "a", "{x}"), Fetch(1, "b", "{y}")))
    assert (await executor.execute(plan, {"flag": True})).data == {"x": 1}
    assert (await executor.execute(plan, {"flag": False})).data == {"y": 2}
    assert [service for service, _ in transport.sent] == ["a", "b"]


async def test_entity_batch_sends_one_request_and_merges_each_part() -> None:
    transport = RecordingTransport(
        {
            "root": {
                "data": {"a": {"__typename": "T", "id": "1"}, "b": [{"__typename": "T", "id": "2"}]}
            },
            "e": {"data": {"_0": [{"v": "one"}], "_1": [{"v": "two"}]}},
        }
    )
    executor = Executor(transport, abstract_types=frozenset())
    part = Fetch(1, "e", "", inputs=(EntityInput("T", "T", KEY),), entity_selection="{...on T{v}}")
    batch = EntityBatch(
        "e",
        "query($r0:[_Any!]!,$r1:[_Any!]!){_0:_entities(representations:$r0){...on T{v}} "
        "_1:_entities(representations:$r1){...on T{v}}}",
        (Flatten(("a",), part), Flatten(("b", "@"), part)),
    )
    result = await executor.execute(QueryPlan(Sequence((Fetch(0, "root", "{...}"), batch))), {})
    assert result.data == {
        "a": {"__typename": "T", "id": "1", "v": "one"},
        "b": [{"__typename": "T", "id": "2", "v": "two"}],
    }
    assert len(transport.sent) == 2
    variables = transport.sent[1][1]["variables"]
    assert variables == {
        "r0": [{"__typename": "T", "id": "1"}],
        "r1": [{"__typename": "T", "id": "2"}],
    }


async def test_entity_errors_follow_the_object_they_came_from() -> None:
    transport = RecordingTransport(
        {
            "root": {
                "data": {"list": [{"__typename": "T", "id": "1"}, {"__typename": "T", "id": "2"}]}
            },
            "e": {
                "data": {"_entities": [{"v": "ok"}, {"v": None}]},
                "errors": [{"message": "no v", "path": ["_entities", 1, "v"]}],
            },
        }
    )
    executor = Executor(transport, abstract_types=frozenset())
    fetch = Fetch(1, "e", "query{...}", inputs=(EntityInput("T", "T", KEY),))
    plan = QueryPlan(Sequence((Fetch(0, "root", "{...}"), Flatten(("list", "@"), fetch))))
    result = await executor.execute(plan, {})
    assert result.errors == [
        {
            "message": "Internal error in subgraph e",  # no code: masked (ADR 0206)
            "path": ["list", 1, "v"],
            "extensions": {"code": "DOWNSTREAM_SERVICE_ERROR", "serviceName": "e"},
        }
    ]


async def test_mutations_are_never_deduplicated_but_queries_are() -> None:
    transport = RecordingTransport({"m": {"data": {"n": 1}}}, pause=0.05)
    executor = Executor(transport, abstract_types=frozenset())
    mutation = QueryPlan(Fetch(0, "m", "mutation{n}", operation_kind="mutation"))
    query = QueryPlan(Fetch(0, "m", "query{n}"))
    await asyncio.gather(executor.execute(mutation, {}), executor.execute(mutation, {}))
    assert len(transport.sent) == 2
    results = await asyncio.gather(executor.execute(query, {}), executor.execute(query, {}))
    assert len(transport.sent) == 3
    assert results[0].data == results[1].data == {"n": 1}
    assert results[0].data is not results[1].data  # each request decodes its own copy
