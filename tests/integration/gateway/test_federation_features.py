"""The gateway over four real Strawberry subgraphs: every planner feature, end to end."""

from __future__ import annotations

from typing import Any

import pytest
from shop_deployment import Shop

from gateway.engine.core import Engine
from gateway.engine.types import GraphQLRequest, GraphQLResult, RequestContext
from gateway.pipeline import SupergraphPipeline

pytestmark = pytest.mark.asyncio(loop_scope="module")


async def run(engine: Engine, query: str, variables: dict[str, Any] | None = None) -> GraphQLResult:
    return await SupergraphPipeline(engine).execute(
        GraphQLRequest(query=query, variables=variables), RequestContext("t")
    )


async def ok(
    shop: Shop, query: str, variables: dict[str, Any] | None = None, **options: Any
) -> Any:
    engine = shop.engine(**options)
    try:
        result = await run(engine, query, variables)
    finally:
        await engine.aclose()
    assert result.errors is None, result.errors
    return result.data


async def test_entity_jump_by_key(shop: Shop) -> None:
    data = await ok(shop, "{ topProducts(first: 2) { upc name inStock } }")
    assert data == {
        "topProducts": [
            {"upc": "p1", "name": "Table", "inStock": True},
            {"upc": "p2", "name": "Chair", "inStock": False},
        ]
    }


async def test_requires_with_arguments_and_variables_defaults(shop: Shop) -> None:
    query = """query Q($zone: String = "US") {
      topProducts(first: 2) { eu: shippingEstimate us: shippingEstimate(zone: $zone) }
    }"""
    data = await ok(shop, query)
    assert data == {"topProducts": [{"eu": 100, "us": 200}, {"eu": 25, "us": 50}]}
    data = await ok(shop, query, {"zone": "EU"})
    assert data == {"topProducts": [{"eu": 100, "us": 100}, {"eu": 25, "us": 25}]}


async def test_inaccessible_field_is_hidden_but_usable_by_requires(shop: Shop) -> None:
    data = await ok(shop, '{ product(upc: "p2") { label } }')
    assert data == {"product": {"label": "label:c"}}
    engine = shop.engine()
    result = await run(engine, '{ product(upc: "p2") { secret } }')
    await engine.aclose()
    assert result.status_code == 400
    assert result.errors is not None
    assert result.errors[0]["extensions"]["code"] == "GRAPHQL_VALIDATION_FAILED"


async def test_provides_avoids_a_jump_and_others_jump(shop: Shop) -> None:
    before = shop.state.requests["accounts"]
    data = await ok(shop, "{ reviews { body author { name } } }")
    assert shop.state.requests["accounts"] == before  # name came with the reviews
    assert [r["author"]["name"] for r in data["reviews"]] == ["Ada", "Bob", "Ada"]
    data = await ok(shop, "{ reviews { author { name email } } }")
    assert data["reviews"][1] == {"author": {"name": "Bob", "email": "bob@example.com"}}
    assert shop.state.requests["accounts"] == before + 1


async def test_shareable_field_stays_in_current_subgraph(shop: Shop) -> None:
    before = dict(shop.state.requests)
    data = await ok(shop, "{ lowStock { upc name inStock } }")
    assert data == {"lowStock": [{"upc": "p2", "name": "Chair", "inStock": False}]}
    assert shop.state.requests["inventory"] == before.get("inventory", 0) + 1
    assert shop.state.requests["products"] == before.get("products", 0)


async def test_compound_nested_key(shop: Shop) -> None:
    data = await ok(
        shop,
        '{ product(upc: "p1") { stock { quantity reorderPoint warehouse { code city } } } }',
    )
    assert data == {
        "product": {
            "stock": [
                {"quantity": 4, "reorderPoint": 2, "warehouse": {"code": "W1", "city": "Lyon"}},
                {"quantity": 0, "reorderPoint": 1, "warehouse": {"code": "W2", "city": "Oslo"}},
            ]
        }
    }


async def test_progressive_override_follows_labels(shop: Shop) -> None:
    assert await ok(shop, "{ me { tier } }", override_labels=frozenset({"beta"})) == {
        "me": {"tier": "gold"}
    }
    assert await ok(shop, "{ me { tier } }") == {"me": {"tier": "legacy"}}


async def test_union_across_subgraphs_with_type_conditions(shop: Shop) -> None:
    data = await ok(
        shop,
        """{ search(term: "a") {
              __typename
              ... on Product { upc name }
              ... on Review { body product { name } }
        } }""",
    )
    assert data == {
        "search": [
            {"__typename": "Review", "body": "Great", "product": {"name": "Table"}},
            {"__typename": "Product", "upc": "p1", "name": "Table"},
            {"__typename": "Product", "upc": "p2", "name": "Chair"},
            {"__typename": "Product", "upc": "p3", "name": "Lamp"},
        ]
    }


async def test_interface_object_fields_and_real_typename(shop: Shop) -> None:
    data = await ok(
        shop,
        "{ accounts { __typename id reviewCount ... on Admin { level } ... on User { name } } }",
    )
    assert data == {
        "accounts": [
            {"__typename": "User", "id": "u1", "reviewCount": 2, "name": "Ada"},
            {"__typename": "User", "id": "u2", "reviewCount": 1, "name": "Bob"},
            {"__typename": "Admin", "id": "a1", "reviewCount": 0, "level": 9},
        ]
    }


async def test_skip_include_aliases_fragments(shop: Shop) -> None:
    query = """
      query Q($withStock: Boolean!, $noName: Boolean = false) {
        first: product(upc: "p1") { ...Basics inStock @include(if: $withStock) }
        second: product(upc: "p2") { ... on Product { n: name @skip(if: $noName) } }
      }
      fragment Basics on Product { upc name @skip(if: $noName) }
    """
    assert await ok(shop, query, {"withStock": True}) == {
        "first": {"upc": "p1", "name": "Table", "inStock": True},
        "second": {"n": "Chair"},
    }
    assert await ok(shop, query, {"withStock": False, "noName": True}) == {
        "first": {"upc": "p1"},
        "second": {},
    }


async def test_mutations_run_serially_in_field_order(shop: Shop) -> None:
    shop.state.log.clear()
    data = await ok(
        shop,
        """mutation {
          a: record(entry: "one")
          b: setPrice(upc: "p3", price: 25) { upc price shippingEstimate }
          c: record(entry: "two")
        }""",
    )
    assert shop.state.log == ["accounts:one", "products:p3=25", "accounts:two"]
    assert data["b"] == {"upc": "p3", "price": 25, "shippingEstimate": 2}
    assert data["c"] == ["accounts:one", "products:p3=25", "accounts:two"]


async def test_introspection_mixed_with_fields(shop: Shop) -> None:
    data = await ok(
        shop,
        """{ __typename
             __type(name: "Product") { fields { name } }
             __schema { mutationType { name } }
             product(upc: "p3") { name } }""",
    )
    names = {f["name"] for f in data["__type"]["fields"]}
    assert "secret" not in names
    assert {"upc", "name", "shippingEstimate"} <= names
    assert data["__schema"] == {"mutationType": {"name": "Mutation"}}
    assert data["__typename"] == "Query"
    assert data["product"] == {"name": "Lamp"}


async def test_entities_are_deduplicated_and_batched(shop: Shop) -> None:
    before = shop.state.requests["products"]
    data = await ok(shop, "{ reviews { product { name price } } }")
    assert [r["product"]["name"] for r in data["reviews"]] == ["Table", "Table", "Chair"]
    assert shop.state.requests["products"] == before + 1
