"""Plans are data: the shape of the plan for the important cases, asserted node by node."""

from __future__ import annotations

from pathlib import Path

import pytest
from graphql import FragmentDefinitionNode, OperationDefinitionNode, parse

from gateway.planning import (
    EntityInput,
    Fetch,
    Flatten,
    InputField,
    InputSelection,
    Parallel,
    PlanningError,
    QueryPlan,
    Sequence,
    format_plan,
    plan_operation,
)
from gateway.supergraph import load_supergraph

SHOP = load_supergraph(
    (Path(__file__).parents[2] / "integration" / "gateway" / "shop_supergraph.graphql").read_text()
)


def plan(
    query: str,
    conditions: dict[str, bool] | None = None,
    labels: frozenset[str] = frozenset(),
) -> QueryPlan:
    document = parse(query)
    operation = next(d for d in document.definitions if isinstance(d, OperationDefinitionNode))
    fragments = {
        d.name.value: d for d in document.definitions if isinstance(d, FragmentDefinitionNode)
    }
    return plan_operation(
        SHOP, operation, fragments, conditions=conditions or {}, active_labels=labels
    ).plan


def fields(*names: str) -> InputSelection:
    return InputSelection(tuple(InputField(n, n) for n in names))


def test_single_subgraph_query_is_one_fetch() -> None:
    result = plan("{ topProducts(first: 2) { upc name price } }")
    assert result.node == Fetch(
        id=0,
        service="products",
        operation="query{topProducts(first: 2){upc name price}}",
    )


def test_entity_jump_adds_key_and_typename_and_flattens_the_list() -> None:
    result = plan("{ topProducts { name inStock } }")
    assert isinstance(result.node, Sequence)
    first, second = result.node.nodes
    assert isinstance(first, Fetch)
    assert first.operation == "query{topProducts{name __typename upc}}"
    assert isinstance(second, Flatten)
    assert second.path == ("topProducts", "@")
    assert second.node.service == "inventory"
    assert second.node.inputs == (EntityInput("Product", "Product", fields("upc")),)
    assert second.node.operation == (
        "query($representations:[_Any!]!){_entities(representations:$representations)"
        "{...on Product{inStock}}}"
    )


def test_requires_sends_required_fields_in_representations() -> None:
    result = plan('{ topProducts { shippingEstimate(zone: "US") } }')
    assert isinstance(result.node, Sequence)
    first, second = result.node.nodes
    assert isinstance(first, Fetch) and isinstance(second, Flatten)
    assert first.operation == "query{topProducts{__typename upc price weight}}"
    assert second.node.inputs == (
        EntityInput("Product", "Product", fields("upc", "price", "weight")),
    )
    assert 'shippingEstimate(zone: "US")' in second.node.operation


def test_requires_of_an_inaccessible_field() -> None:
    result = plan('{ product(upc: "p1") { label } }')
    assert isinstance(result.node, Sequence)
    first, second = result.node.nodes
    assert isinstance(first, Fetch) and isinstance(second, Flatten)
    assert "secret" in first.operation
    assert second.node.inputs == (EntityInput("Product", "Product", fields("upc", "secret")),)


def test_provides_keeps_provided_fields_in_the_same_fetch() -> None:
    result = plan("{ reviews { author { name } } }")
    assert isinstance(result.node, Fetch)
    assert result.node.service == "reviews"
    with_email = plan("{ reviews { author { name email } } }")
    assert isinstance(with_email.node, Sequence)
    assert [n.node.service for n in with_email.node.nodes if isinstance(n, Flatten)] == ["accounts"]


def test_shareable_field_stays_in_the_current_subgraph() -> None:
    result = plan("{ lowStock { upc name inStock } }")
    assert isinstance(result.node, Fetch)
    assert result.node.service == "inventory"


def test_compound_nested_key() -> None:
    result = plan('{ product(upc: "p1") { stock { reorderPoint } } }')
    assert isinstance(result.node, Sequence)
    last = result.node.nodes[-1]
    assert isinstance(last, Flatten)
    assert last.path == ("product", "stock", "@")
    assert last.node.service == "products"
    assert last.node.inputs == (
        EntityInput(
            "StockLevel",
            "StockLevel",
            InputSelection(
                (InputField("warehouse", "warehouse", fields("code")), InputField("sku", "sku"))
            ),
        ),
    )


def test_interface_object_receives_the_interface_typename() -> None:
    result = plan("{ accounts { id reviewCount } }")
    assert isinstance(result.node, Sequence)
    flatten = result.node.nodes[1]
    assert isinstance(flatten, Flatten)
    assert flatten.node.service == "reviews"
    assert {(i.runtime_type, i.send_type) for i in flatten.node.inputs} == {
        ("Admin", "Account"),
        ("User", "Account"),
    }


def test_typename_from_an_interface_object_needs_the_real_subgraph() -> None:
    supergraph_type = SHOP.types["Account"]
    assert supergraph_type.graphs["REVIEWS"].is_interface_object
    result = plan("{ accounts { ... on User { reviewCount } } }")
    assert "reviews" in format_plan(result)


def test_progressive_override_label_moves_the_field() -> None:
    on = plan("{ me { tier } }", labels=frozenset({"beta"}))
    assert isinstance(on.node, Fetch) and on.node.service == "accounts"
    off = plan("{ me { tier } }")
    assert isinstance(off.node, Sequence)
    assert [n.node.service for n in off.node.nodes if isinstance(n, Flatten)] == ["reviews"]


def test_mutations_are_serial_in_field_order() -> None:
    result = plan(
        'mutation { a: record(entry: "1") b: setPrice(upc: "p1", price: 1) { inStock } '
        'c: record(entry: "2") }'
    )
    assert isinstance(result.node, Sequence)
    kinds = [
        (n.service, n.operation_kind) if isinstance(n, Fetch) else ("flatten", n.node.service)
        for n in result.node.nodes
        if isinstance(n, Fetch | Flatten)
    ]
    assert kinds == [
        ("accounts", "mutation"),
        ("products", "mutation"),
        ("flatten", "inventory"),
        ("accounts", "mutation"),
    ]


def test_independent_root_fields_are_fetched_in_parallel() -> None:
    result = plan("{ me { id } topProducts { upc } }")
    assert isinstance(result.node, Parallel)
    assert {n.service for n in result.node.nodes if isinstance(n, Fetch)} == {
        "accounts",
        "products",
    }


def test_skip_and_include_are_decided_per_variable_values() -> None:
    query = "query($s: Boolean!) { topProducts { upc inStock @skip(if: $s) } }"
    assert isinstance(plan(query, {"s": True}).node, Fetch)
    assert isinstance(plan(query, {"s": False}).node, Sequence)


def test_aliases_and_named_fragments_reach_the_subgraph() -> None:
    result = plan('query { first: product(upc: "p1") { ...F } } fragment F on Product { n: name }')
    assert isinstance(result.node, Fetch)
    assert result.node.operation == 'query{first:product(upc: "p1"){n:name}}'


def test_variables_are_declared_with_their_defaults() -> None:
    result = plan('query($z: String = "US") { topProducts { shippingEstimate(zone: $z) } }')
    assert isinstance(result.node, Sequence)
    flatten = result.node.nodes[1]
    assert isinstance(flatten, Flatten)
    assert '$z:String="US"' in flatten.node.operation
    assert flatten.node.variables == ("z",)


def test_union_members_in_another_subgraph_jump_per_type() -> None:
    result = plan('{ search(term: "a") { ... on Product { name } ... on Review { body } } }')
    assert isinstance(result.node, Sequence)
    flatten = result.node.nodes[1]
    assert isinstance(flatten, Flatten)
    assert flatten.path == ("search", "@")
    assert [i.runtime_type for i in flatten.node.inputs] == ["Product"]


def test_unresolvable_field_fails_with_a_stable_code() -> None:
    sdl = (
        Path(__file__).parents[2] / "integration" / "gateway" / "shop_supergraph.graphql"
    ).read_text()
    for graph in ("INVENTORY", "PRODUCTS"):
        sdl = sdl.replace(
            f'@join__type(graph: {graph}, key: "upc")',
            f'@join__type(graph: {graph}, key: "upc", resolvable: false)',
        )
    unreachable = load_supergraph(sdl)
    document = parse("{ reviews { product { name } } }")
    operation = document.definitions[0]
    assert isinstance(operation, OperationDefinitionNode)
    with pytest.raises(PlanningError, match="no subgraph can resolve") as raised:
        plan_operation(unreachable, operation, {}, conditions={})
    assert raised.value.code == "QUERY_PLANNING_FAILED"


def test_plan_display_reads_like_apollo() -> None:
    text = format_plan(plan("{ topProducts { inStock } }"))
    assert text.splitlines()[0] == "QueryPlan {"
    assert 'Flatten(path: "topProducts.@")' in text
    assert 'Fetch(service: "inventory")' in text
