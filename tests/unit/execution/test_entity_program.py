"""Entity fetches prepared per plan step: one walk for all paths, shared representations."""

from __future__ import annotations

import asyncio
from collections.abc import Mapping
from typing import Any

import orjson

from gateway.execution.executor import Executor, _representations
from gateway.execution.merge import collect, collect_paths
from gateway.execution.program import PathTrie, ProgramCache, Share, _readers
from gateway.planning import (
    EntityBatch,
    EntityInput,
    Fetch,
    Flatten,
    InputField,
    InputSelection,
    Parallel,
    QueryPlan,
    Sequence,
)

KEY = InputSelection((InputField("id", "id"),))


class Transport:
    """Answers by service after yielding once (so parallel fetches really overlap)."""

    def __init__(self, answers: Mapping[str, object]) -> None:
        self.answers = answers
        self.sent: list[tuple[str, Any]] = []

    async def send(
        self, service: str, body: bytes, headers: Mapping[str, str] | None = None
    ) -> bytes:
        self.sent.append((service, orjson.loads(body)["variables"]))
        await asyncio.sleep(0)
        return orjson.dumps(self.answers[service])

    async def aclose(self) -> None:
        return None


def test_one_walk_finds_what_collect_finds_for_every_path() -> None:
    data: dict[str, Any] = {
        "a": [
            {"b": {"c": [{"x": 1}, None, {"x": 2}]}},
            None,
            {"b": None},
            {"b": {"c": [[{"x": 3}]]}},
            {"b": [{"c": []}]},
        ],
        "d": {"e": {"f": 1}},
    }
    paths = [("a", "@"), ("a", "@", "b"), ("a", "@", "b", "c", "@"), ("d", "e"), ("d", "z"), ()]
    trie = PathTrie()
    for path in paths:
        trie.add(path)
    found = collect_paths(data, trie)
    for path in paths:
        expected = collect(data, path)
        assert [id(o) for o in found.get(path, [])] == [id(o) for o in expected], path


def _share(*inputs: EntityInput) -> Share:
    readers, tables = _readers(inputs)
    return Share(("p",), readers, tables)


def test_scalar_keys_deduplicate_and_build_the_representation_once() -> None:
    share = _share(
        EntityInput("T", "T", InputSelection((InputField("id", "id"), InputField("region", "r"))))
    )
    targets = [
        {"__typename": "T", "id": "1", "r": "eu"},
        {"__typename": "T", "id": "1", "r": "us"},
        {"__typename": "T", "id": "1", "r": "eu"},
        {"__typename": "T", "id": "2"},  # incomplete key: no representation
        {"__typename": "Other", "id": "1", "r": "eu"},  # not an input of this fetch
    ]
    prepared = _representations(targets, share)
    assert prepared is not None
    representations, slots = prepared
    assert representations == [
        {"__typename": "T", "id": "1", "region": "eu"},
        {"__typename": "T", "id": "1", "region": "us"},
    ]
    positions = [next(i for i, t in enumerate(targets) if t is target) for _, target in slots]
    assert [index for index, _ in slots] == [0, 1, 0]
    assert positions == [0, 1, 2]


def test_keys_that_are_not_scalars_deduplicate_by_canonical_json() -> None:
    share = _share(EntityInput("T", "T", KEY))
    targets: list[dict[str, Any]] = [
        {"__typename": "T", "id": [1, 2]},
        {"__typename": "T", "id": [1, 2]},
        {"__typename": "T", "id": {"a": 1}},
    ]
    prepared = _representations(targets, share)
    assert prepared is not None
    representations, slots = prepared
    assert representations == [
        {"__typename": "T", "id": [1, 2]},
        {"__typename": "T", "id": {"a": 1}},
    ]
    assert [index for index, _ in slots] == [0, 0, 1]


def test_runtime_types_sent_as_one_interface_share_representations() -> None:
    share = _share(EntityInput("A", "Node", KEY), EntityInput("B", "Node", KEY))
    targets = [{"__typename": "A", "id": "1"}, {"__typename": "B", "id": "1"}]
    prepared = _representations(targets, share)
    assert prepared is not None
    assert prepared[0] == [{"__typename": "Node", "id": "1"}]
    assert [index for index, _ in prepared[1]] == [0, 0]


def _parallel_plan() -> QueryPlan:
    root = Fetch(0, "root", "{items{__typename id}}")
    part = Fetch(1, "x", "", inputs=(EntityInput("T", "T", KEY),), entity_selection="{...on T{x}}")
    other = Fetch(2, "y", "", inputs=(EntityInput("T", "T", KEY),), entity_selection="{...on T{y}}")
    return QueryPlan(
        Sequence(
            (
                root,
                Parallel(
                    (
                        EntityBatch("x", "q", (Flatten(("items", "@"), part),)),
                        Flatten(("items", "@"), other),
                    )
                ),
            )
        )
    )


async def test_parallel_fetches_of_the_same_objects_share_them_and_both_merge() -> None:
    transport = Transport(
        {
            "root": {
                "data": {"items": [{"__typename": "T", "id": "1"}, {"__typename": "T", "id": "1"}]}
            },
            "x": {"data": {"_0": [{"x": "X"}]}},
            "y": {"data": {"_entities": [{"y": "Y"}]}},
        }
    )
    executor = Executor(transport, abstract_types=frozenset())
    plan = _parallel_plan()
    for _ in range(2):  # the second run reuses the plan's program
        result = await executor.execute(plan, {})
        assert result.errors == []
        assert result.data == {
            "items": [
                {"__typename": "T", "id": "1", "x": "X", "y": "Y"},
                {"__typename": "T", "id": "1", "x": "X", "y": "Y"},
            ]
        }
    assert transport.sent[1:3] == [
        ("x", {"r0": [{"__typename": "T", "id": "1"}]}),
        ("y", {"representations": [{"__typename": "T", "id": "1"}]}),
    ]


def test_programs_are_compiled_once_per_plan() -> None:
    cache = ProgramCache(size=1)
    plan = _parallel_plan()
    first = cache.get(plan)
    assert cache.get(plan) is first
    other = _parallel_plan()
    assert cache.get(other) is not first
    assert cache.get(plan) is not first  # evicted: the cache holds one plan
