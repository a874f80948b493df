"""Documents are parsed, validated and planned once; the cache is a bounded LRU."""

from __future__ import annotations

from pathlib import Path

import pytest

from gateway.engine.core import Engine, EngineOptions, build_engine
from gateway.engine.documents import PreparedOperation, document_key
from gateway.engine.types import GraphQLRequest, GraphQLResult
from gateway.planning.cache import LRUCache

SDL = (
    Path(__file__).parents[2] / "integration" / "gateway" / "shop_supergraph.graphql"
).read_text()


def prepare(engine: Engine, request: GraphQLRequest) -> PreparedOperation | GraphQLResult:
    """The engine's prepare step for ``request``, keyed by its text as the pipeline keys it."""
    query = request.query or ""
    return engine.prepare(document_key(query), query, request.operation_name)


def test_lru_evicts_the_least_recently_used() -> None:
    cache: LRUCache[str, int] = LRUCache(2)
    cache.put("a", 1)
    cache.put("b", 2)
    assert cache.get("a") == 1
    cache.put("c", 3)
    assert cache.get("b") is None
    assert cache.get("a") == 1 and cache.get("c") == 3
    assert len(cache) == 2
    with pytest.raises(ValueError):
        LRUCache(0)


def test_same_document_is_prepared_and_planned_once() -> None:
    engine = build_engine(SDL, EngineOptions(plan_cache_size=2))
    request = GraphQLRequest(query="query($s: Boolean!) { me { id name @skip(if: $s) } }")
    first = prepare(engine, request)
    assert isinstance(first, PreparedOperation)
    assert prepare(engine, request) is first
    plan = engine.plan(first, {"s": True})
    assert engine.plan(first, {"s": True}) is plan
    assert engine.plan(first, {"s": False}) is not plan
    assert len(first.variants) == 2


def test_operation_name_is_part_of_the_key_and_errors_are_cached() -> None:
    engine = build_engine(SDL, EngineOptions())
    text = "query A { me { id } } query B { topProducts { upc } }"
    a = prepare(engine, GraphQLRequest(query=text, operation_name="A"))
    b = prepare(engine, GraphQLRequest(query=text, operation_name="B"))
    assert isinstance(a, PreparedOperation) and isinstance(b, PreparedOperation)
    assert a.operation is not b.operation
    missing = prepare(engine, GraphQLRequest(query=text))
    assert isinstance(missing, GraphQLResult) and missing.status_code == 400
    invalid = GraphQLRequest(query="{ nope }")
    assert prepare(engine, invalid) is prepare(engine, invalid)


def test_options_are_validated() -> None:
    with pytest.raises(ValueError):
        EngineOptions(subgraph_timeout=0)
    with pytest.raises(ValueError):
        EngineOptions(plan_cache_size=0)


def test_plans_per_document_are_bounded_oldest_first() -> None:
    engine = build_engine(SDL, EngineOptions())
    names = [f"v{i}" for i in range(9)]  # 512 combinations of @skip values
    declared = ", ".join(f"${name}: Boolean!" for name in names)
    fields = " ".join(f"n{i}: name @skip(if: ${name})" for i, name in enumerate(names))
    prepared = prepare(engine, GraphQLRequest(query=f"query({declared}) {{ me {{ {fields} }} }}"))
    assert isinstance(prepared, PreparedOperation)
    combinations = [
        {name: bool(number >> bit & 1) for bit, name in enumerate(names)} for number in range(300)
    ]
    first = engine.plan(prepared, combinations[0])
    for values in combinations[1:]:
        engine.plan(prepared, values)
    assert len(prepared.variants) == 256
    assert engine.plans_built == 300
    engine.plan(prepared, combinations[-1])  # still cached
    assert engine.plans_built == 300
    assert engine.plan(prepared, combinations[0]) is not first  # evicted, planned again
    assert engine.plans_built == 301
