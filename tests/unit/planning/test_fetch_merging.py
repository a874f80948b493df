"""Fetch merging (ADR 0205): when two entity fetches become one, and when they must not."""

from __future__ import annotations

import json
from pathlib import Path

from graphql import FragmentDefinitionNode, OperationDefinitionNode, parse

from gateway.planning import (
    EntityBatch,
    Fetch,
    Flatten,
    Parallel,
    PlanNode,
    QueryPlan,
    Sequence,
    format_plan,
    plan_operation,
)
from gateway.planning._groups import FetchGroup, MInput
from gateway.planning._merging import merge_fetch_groups
from gateway.supergraph import Supergraph, load_supergraph

ROOT = Path(__file__).parents[3]
SHOP = load_supergraph(
    (ROOT / "tests" / "integration" / "gateway" / "shop_supergraph.graphql").read_text()
)
BENCH = load_supergraph((ROOT / "bench" / "supergraph.graphql").read_text())
BENCH_QUERY = json.loads((ROOT / "bench" / "kit" / "query.json").read_text())["query"]

PRODUCT = ("reviews", "@", "product")


def plan(supergraph: Supergraph, query: str) -> QueryPlan:
    document = parse(query)
    operation = next(d for d in document.definitions if isinstance(d, OperationDefinitionNode))
    fragments = {
        d.name.value: d for d in document.definitions if isinstance(d, FragmentDefinitionNode)
    }
    return plan_operation(supergraph, operation, fragments, conditions={}).plan


def calls(node: PlanNode | None) -> int:
    """Subgraph requests a plan makes (an entity batch is one request)."""
    match node:
        case None:
            return 0
        case Fetch() | Flatten() | EntityBatch():
            return 1
        case Sequence() | Parallel():
            return sum(calls(child) for child in node.nodes)
    raise AssertionError(node)


def entity_fetches(result: QueryPlan, service: str, path: tuple[str, ...]) -> list[Fetch]:
    found: list[Fetch] = []

    def walk(node: PlanNode) -> None:
        match node:
            case Flatten() if node.path == path and node.node.service == service:
                found.append(node.node)
            case EntityBatch():
                for part in node.parts:
                    walk(part)
            case Sequence() | Parallel():
                for child in node.nodes:
                    walk(child)
            case _:
                pass

    assert result.node is not None
    walk(result.node)
    return found


# ----------------------------------------------------------------------- whole plans
def test_the_benchmark_query_makes_seven_calls() -> None:
    result = plan(BENCH, BENCH_QUERY)
    assert calls(result.node) == 7
    assert len(result.fetches) == 13
    for path in (
        ("users", "@", "reviews", "@", "product"),
        ("topProducts", "@", "reviews", "@", "author", "reviews", "@", "product"),
    ):
        (inventory,) = entity_fetches(result, "inventory", path)
        assert inventory.entity_selection == "{...on Product{inStock shippingEstimate}}"
        assert [f.out_key for f in inventory.inputs[0].selection.fields] == [
            "upc",
            "price",
            "weight",
        ]
        (products,) = entity_fetches(result, "products", path)
        assert products.id in inventory.depends_on


def test_key_only_fields_join_the_requires_fetch_for_the_same_objects() -> None:
    result = plan(SHOP, "{ reviews { product { inStock shippingEstimate } } }")
    assert isinstance(result.node, Sequence)
    assert calls(result.node) == 3
    (inventory,) = entity_fetches(result, "inventory", PRODUCT)
    assert inventory.entity_selection == "{...on Product{inStock shippingEstimate}}"
    (products,) = entity_fetches(result, "products", PRODUCT)
    assert products.id in inventory.depends_on


def test_a_fetch_something_else_waits_for_is_not_delayed() -> None:
    # the inventory fetch of `stock` feeds the StockLevel fetch: moving it into the later
    # inventory fetch (shippingEstimate) would add a step, so the plan keeps both
    result = plan(
        SHOP, "{ reviews { product { inStock stock { reorderPoint } shippingEstimate } } }"
    )
    text = format_plan(result)
    assert len(entity_fetches(result, "inventory", PRODUCT)) == 2
    assert "{...on Product{inStock stock{__typename warehouse{code} sku}}}" in text
    assert "{...on Product{shippingEstimate}}" in text
    assert isinstance(result.node, Sequence) and len(result.node.nodes) == 3


# ----------------------------------------------------------------------- fetch groups
def group(
    group_id: int,
    *,
    graph: str = "inventory",
    path: tuple[str, ...] = PRODUCT,
    deps: tuple[int, ...] = (0,),
    fields: tuple[str, ...] = ("inStock",),
    types: tuple[tuple[str, str], ...] = (("Product", "Product"),),
    key: tuple[tuple[str, str], ...] = (("upc", "upc"),),
    phase: int = 0,
) -> FetchGroup:
    """An entity fetch group selecting ``fields`` on each of ``types`` (runtime, sent)."""
    made = FetchGroup(
        id=group_id, graph=graph, merge_path=path, is_entity=True, phase=phase, depends_on=set(deps)
    )
    for runtime_type, send_type in types:
        fragment = made.selection.fragment(send_type)
        for name in fields:
            fragment.add_field(name, None, (), "", False)
        representation = MInput()
        for out_key, data_key in key:
            representation.fields[out_key] = (data_key, None)
        made.add_input(runtime_type, send_type, representation)
    return made


def root(graph: str = "reviews") -> FetchGroup:
    made = FetchGroup(id=0, graph=graph, merge_path=(), is_entity=False)
    made.selection.add_field("reviews", None, (), "", True)
    return made


def requires_case(*extra: FetchGroup) -> list[FetchGroup]:
    """0 root; 1 products (price weight); 2 inventory inStock; 3 inventory shippingEstimate."""
    return [
        root(),
        group(1, graph="products", fields=("price", "weight")),
        group(2),
        group(
            3,
            deps=(0, 1),
            fields=("shippingEstimate",),
            key=(("upc", "upc"), ("price", "price"), ("weight", "weight")),
        ),
        *extra,
    ]


def ids(groups: list[FetchGroup]) -> list[int]:
    return sorted(g.id for g in groups)


def test_the_earlier_leaf_fetch_joins_the_later_one() -> None:
    merged = merge_fetch_groups(requires_case())
    assert ids(merged) == [0, 1, 3]
    into = next(g for g in merged if g.id == 3)
    assert into.selection.print() == "{...on Product{inStock shippingEstimate}}"
    assert list(into.inputs["Product"][1].fields) == ["upc", "price", "weight"]
    assert into.depends_on == {0, 1}


def test_no_merge_when_a_dependent_fetch_would_run_later() -> None:
    # 4 reads what 2 fetched and runs in step 2; merged into 3 it would run in step 3
    stock = group(4, graph="products", path=(*PRODUCT, "stock", "@"), deps=(2,))
    assert ids(merge_fetch_groups(requires_case(stock))) == [0, 1, 2, 3, 4]


def test_merge_when_the_dependent_fetch_already_waits_for_the_later_one() -> None:
    # 4 waits for 2 and 3 (both feed its @requires): it runs after 3 anyway
    after = group(4, graph="products", deps=(2, 3), fields=("canAfford",))
    merged = merge_fetch_groups(requires_case(after))
    assert ids(merged) == [0, 1, 3, 4]
    assert next(g for g in merged if g.id == 4).depends_on == {3}


def test_no_merge_across_subgraphs() -> None:
    groups = requires_case()
    groups[2] = group(2, graph="reviews")
    assert ids(merge_fetch_groups(groups)) == [0, 1, 2, 3]


def test_no_merge_across_paths_or_phases() -> None:
    groups = requires_case()
    groups[2] = group(2, path=("reviews", "@", "author"))
    assert ids(merge_fetch_groups(groups)) == [0, 1, 2, 3]
    groups[2] = group(2, phase=1)
    assert ids(merge_fetch_groups(groups)) == [0, 1, 2, 3]


def test_no_merge_when_the_type_conditions_differ() -> None:
    groups = requires_case()
    groups[2] = group(2, types=(("Book", "Book"),))  # the later fetch is for Product only
    assert ids(merge_fetch_groups(groups)) == [0, 1, 2, 3]
    groups[2] = group(2, types=(("Product", "Catalogued"),))  # sent under another __typename
    assert ids(merge_fetch_groups(groups)) == [0, 1, 2, 3]
    groups[2] = group(2, types=(("Product", "Product"), ("Book", "Book")))  # a superset
    assert ids(merge_fetch_groups(groups)) == [0, 1, 2, 3]


def test_no_merge_that_would_make_a_cycle() -> None:
    # 3 waits for 4, which reads what 2 fetched: 3 would wait for its own output
    groups = requires_case(group(4, graph="products", path=(*PRODUCT, "stock"), deps=(2,)))
    groups[3].depends_on.add(4)
    assert ids(merge_fetch_groups(groups)) == [0, 1, 2, 3, 4]


def test_no_merge_of_representations_that_disagree() -> None:
    groups = requires_case()
    groups[2] = group(2, key=(("upc", "_og_upc_1234"),))  # the same key read from other data
    assert ids(merge_fetch_groups(groups)) == [0, 1, 2, 3]


def test_no_merge_of_two_fields_under_one_response_key() -> None:
    groups = requires_case()
    groups[2] = group(2, fields=())
    groups[2].selection.fragment("Product").add_field(
        "shippingEstimate", None, (), '(zone: "US")', False
    )
    assert ids(merge_fetch_groups(groups)) == [0, 1, 2, 3]


def test_siblings_in_the_same_step_become_one_fetch() -> None:
    groups = [
        root(),
        FetchGroup(id=1, graph="accounts", merge_path=(), is_entity=False),
        group(2, fields=("inStock",)),
        group(3, deps=(1,), fields=("inStock", "shippingEstimate")),
    ]
    groups[1].selection.add_field("me", None, (), "", True)
    merged = merge_fetch_groups(groups)
    assert ids(merged) == [0, 1, 2]
    into = next(g for g in merged if g.id == 2)
    assert into.selection.print() == "{...on Product{inStock shippingEstimate}}"
    assert into.depends_on == {0, 1}
