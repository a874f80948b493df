"""The cost directives are found under whatever name ``@link`` gives them."""

from __future__ import annotations

import pytest
from cost_support import estimate, fixture_sdl
from graphql import parse

from gateway.composition.links import SchemaLinks
from gateway.limits.errors import CostModelError
from gateway.limits.model_builder import build_cost_model
from gateway.supergraph import SupergraphError, load_schema
from gateway.supergraph.directives import cost_directive_names

PRICED = fixture_sdl("priced_supergraph.graphql")
QUERY = "{ priced tier skuPage(first: 5) { items { id } } }"  # 5 + 15 + (1 + 5)
EXPECTED = 26


def _renamed(link: str, cost: str, list_size: str) -> str:
    sdl = PRICED.replace(
        '@link(url: "https://specs.apollo.dev/cost/v0.1", import: ["@listSize"])', link
    )
    sdl = sdl.replace("@cost(", f"@{cost}(").replace("directive @cost(", f"directive @{cost}(")
    return sdl.replace("@listSize(", f"@{list_size}(")


def test_the_apollo_supergraph_shape() -> None:
    assert estimate(PRICED, QUERY) == EXPECTED


@pytest.mark.parametrize(
    ("link", "cost", "list_size"),
    [
        pytest.param(
            '@link(url: "https://specs.apollo.dev/cost/v0.1", import: '
            '[{ name: "@cost", as: "@price" }, { name: "@listSize", as: "@sized" }])',
            "price",
            "sized",
            id="imported-with-aliases",
        ),
        pytest.param(
            '@link(url: "https://specs.apollo.dev/cost/v0.1")',
            "cost",
            "cost__listSize",
            id="not-imported-uses-the-spec-prefix",
        ),
        pytest.param(
            '@link(url: "https://specs.apollo.dev/cost/v0.1", as: "demand")',
            "demand",
            "demand__listSize",
            id="spec-renamed-with-as",
        ),
        pytest.param(
            '@link(url: "https://specs.apollo.dev/federation/v2.9", '
            'import: ["@cost", "@listSize"])',
            "cost",
            "listSize",
            id="federation-subgraph-imports",
        ),
        pytest.param(
            '@link(url: "https://specs.apollo.dev/federation/v2.9", import: ["@key"])',
            "federation__cost",
            "federation__listSize",
            id="federation-subgraph-prefixed",
        ),
    ],
)
def test_renamed_directives(link: str, cost: str, list_size: str) -> None:
    assert estimate(_renamed(link, cost, list_size), QUERY) == EXPECTED


def test_a_directive_with_the_default_name_is_ignored_once_it_was_renamed() -> None:
    link = (
        '@link(url: "https://specs.apollo.dev/cost/v0.1", import: '
        '[{ name: "@cost", as: "@price" }, "@listSize"])'
    )
    sdl = PRICED.replace(
        '@link(url: "https://specs.apollo.dev/cost/v0.1", import: ["@listSize"])', link
    )
    sdl += "\ndirective @price(weight: Int!) on FIELD_DEFINITION | ENUM | OBJECT | SCALAR\n"
    # the schema still says @cost(...), which under this link is some other directive
    assert estimate(sdl, QUERY) == 1 + 5


def test_join_field_can_be_renamed_too() -> None:
    document = parse(
        'schema @link(url: "https://specs.apollo.dev/join/v0.3", as: "fed") { query: Query }\n'
        "type Query { a: Int }"
    )
    assert cost_directive_names(SchemaLinks.of(document)).join_field == "fed__field"


def test_a_sized_field_path_with_two_lists_is_refused() -> None:
    sdl = PRICED.replace(
        'sizedFields: ["shelves { page }"]', 'sizedFields: ["shelves { page label }"]'
    )
    with pytest.raises(CostModelError, match="at most one list per path"):
        build_cost_model(load_schema(sdl))


def test_a_broken_schema_is_refused() -> None:
    # the SDL is parsed once, by the schema loader, which refuses it before any cost model
    with pytest.raises(SupergraphError, match="is invalid"):
        load_schema("type Query {")
