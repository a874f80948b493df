"""Golden cost cases: one per rule of the IBM cost spec, as Apollo Router's demand control has it.

The schemas are ours (``fixtures/``); the numbers follow Apollo Router's rules, including the
cases of its own test-suite in the same shapes (10100 for nested default-sized lists, 127/132
for the custom weights query, 10200 for a field with ``@requires``...). List sizes default to
100 here, as in Apollo's tests.
"""

from __future__ import annotations

from typing import Any

import pytest
from cost_support import actual, estimate, fixture_sdl

PLAIN = fixture_sdl("plain_warehouse.graphql")
PRICED = fixture_sdl("priced_supergraph.graphql")
FLEET = fixture_sdl("fleet_supergraph.graphql")
IBM = fixture_sdl("ibm_users.graphql")

CUSTOM_QUERY = """
fragment Items on SkuPage { items { id } }
{
  priced
  pricedArg(arg: 3)
  tier
  priceWith(input: { costly: 10 })
  cents
  audit { id }
  tags
  skuPage(first: 5) { ...Items }
}
"""
CUSTOM_RESPONSE: dict[str, Any] = {
    "priced": 1,
    "pricedArg": 2,
    "tier": "GOLD",
    "priceWith": 3,
    "cents": 4,
    "audit": {"id": "5"},
    "tags": ["a", "b", "c"],
    "skuPage": {"items": [{"id": "6"}, {"id": "7"}, {"id": "8"}]},
}


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        pytest.param("{ label }", 0, id="scalar-is-free"),
        pytest.param("mutation { touch }", 10, id="mutation-adds-10"),
        pytest.param("{ warehouse { code } }", 1, id="object-costs-1"),
        pytest.param("{ node { label } }", 1, id="interface-costs-1"),
        pytest.param("{ result { ... on Bin { code } } }", 1, id="union-costs-1"),
        pytest.param("{ warehouses { code } }", 100, id="list-uses-default-size"),
        pytest.param("{ counts }", 0, id="scalar-list-is-free"),
        pytest.param("{ warehouses { bins { label } } }", 10100, id="nested-lists-multiply"),
        pytest.param(
            "{ labelFor(filter: { inner: { id: 1 }, many: [{ id: 2 }, { id: 3 }] }) }",
            4,
            id="input-objects-cost-1-each",
        ),
        pytest.param("{ label @skip(if: true) }", 0, id="skip-true-is-free"),
        pytest.param("{ warehouse @include(if: false) { code } }", 0, id="include-false-is-free"),
        pytest.param(
            """
            fragment Narrow on Bin { code }
            fragment Widen on Node { label }
            {
              node { label ...Narrow }
              result { ...Narrow ... on Warehouse { bins { ...Widen } } }
            }
            """,
            102,
            id="fragments-narrow-and-widen",
        ),
    ],
)
def test_default_weights(query: str, expected: float) -> None:
    assert estimate(PLAIN, query, default_list_size=100) == expected


def test_the_default_list_size_is_configurable() -> None:
    query = "{ warehouses { bins { code } } }"
    assert estimate(PLAIN, query, default_list_size=100) == 10100
    assert estimate(PLAIN, query, default_list_size=5) == 30  # 5 * (1 + 5 * 1)


def test_input_arguments_count_in_both_estimate_and_actual() -> None:
    query = """{ binsBy(filter: { inner: { id: 1 }, many: [{ id: 2 }, { id: 3 }] }) {
        code label } }"""
    response = {"binsBy": [{"code": 1, "label": "a"}, {"code": 2, "label": "b"}, {"code": 3}]}
    assert estimate(PLAIN, query, default_list_size=100) == 104
    assert actual(PLAIN, query, response, default_list_size=100) == 7  # 3 objects + 4 (input)


def test_custom_weights_on_fields_arguments_enums_scalars_objects_and_input_fields() -> None:
    assert estimate(PRICED, CUSTOM_QUERY, default_list_size=100) == 127
    assert actual(PRICED, CUSTOM_QUERY, CUSTOM_RESPONSE, default_list_size=100) == 125


def test_an_omitted_slicing_argument_counts_at_its_default() -> None:
    query = CUSTOM_QUERY.replace("skuPage(first: 5)", "skuPage")
    assert estimate(PRICED, query) == 132
    assert actual(PRICED, query, CUSTOM_RESPONSE) == 125


def test_slicing_and_costed_inputs_given_as_variables() -> None:
    query = (
        CUSTOM_QUERY.replace("{\n  priced", "query Q($p: PriceInput, $n: Int) {\n  priced", 1)
        .replace("priceWith(input: { costly: 10 })", "priceWith(input: $p)")
        .replace("skuPage(first: 5)", "skuPage(first: $n)")
    )
    variables = {"p": {"costly": 10}, "n": 5}
    assert estimate(PRICED, query, variables) == 127
    assert actual(PRICED, query, CUSTOM_RESPONSE, variables) == 125


@pytest.mark.parametrize(
    ("query", "variables", "expected"),
    [
        pytest.param("{ tier }", None, 15, id="enum-type-weight"),
        pytest.param('{ skusByIds(ids: ["a", "b"]) { id } }', None, 2, id="list-literal-length"),
        pytest.param("{ skusByIds(ids: []) { id } }", None, 0, id="empty-list-literal"),
        pytest.param(
            "query Q($ids: [ID!]!) { skusByIds(ids: $ids) { id } }",
            {"ids": ["x", "y", "z"]},
            3,
            id="list-variable-length",
        ),
        pytest.param(
            "query Q($ids: [ID!]) { skusByIdsOr50(ids: $ids) { id } }",
            {"ids": None},
            50,
            id="null-slicing-variable-falls-back-to-assumed-size",
        ),
        pytest.param(
            "query Q($ids: [ID!]) { skusByIdsOr50(ids: $ids) { id } }",
            {},
            50,
            id="missing-slicing-variable-falls-back-to-assumed-size",
        ),
        pytest.param("{ skuPage { items { id } } }", None, 11, id="sized-field-at-default"),
        pytest.param(
            "{ search(input: { page: { first: 10 } }) { id } }",
            None,
            12,
            id="nested-slicing-path-inline",
        ),
        pytest.param(
            '{ search(input: { page: { first: 8, after: "c" }, text: "t" }) { id } }',
            None,
            10,
            id="nested-slicing-path-ignores-siblings",
        ),
        pytest.param(
            "query Q($input: SearchInput!) { search(input: $input) { id } }",
            {"input": {"page": {"first": 7}, "text": "t"}},
            9,
            id="nested-slicing-path-variable",
        ),
        pytest.param(
            "query Q($input: SearchInput) { searchOr25(input: $input) { id } }",
            {"input": {"page": {}}},
            27,
            id="nested-path-missing-leaf",
        ),
        pytest.param(
            "query Q($input: SearchInput) { searchOr25(input: $input) { id } }",
            {"input": {}},
            26,
            id="nested-path-missing-middle",
        ),
        pytest.param(
            "query Q($input: SearchInput) { searchOr25(input: $input) { id } }",
            {"input": None},
            25,
            id="nested-path-null-input",
        ),
        pytest.param(
            "{ deep(input: { one: { two: { count: 15 } } }) { id } }",
            None,
            18,
            id="deep-path-inline",
        ),
        pytest.param(
            "query Q($input: DeepInput!) { deep(input: $input) { id } }",
            {"input": {"one": {"two": {"count": 12}}}},
            15,
            id="deep-path-variable",
        ),
        pytest.param(
            "{ shelf(first: 5) { page { id } label } }", None, 6, id="sized-fields-one-level"
        ),
        pytest.param(
            "{ aisle(first: 7) { shelves { page { id } } } }",
            None,
            9,
            id="sized-fields-two-levels",
        ),
        pytest.param(
            "query Q($n: Int!) { aisle(first: $n) { shelves { page { id } } } }",
            {"n": 3},
            5,
            id="sized-fields-two-levels-variable",
        ),
        pytest.param(
            "{ aisle { shelves { page { id } } } }", None, 12, id="sized-fields-two-levels-default"
        ),
        pytest.param("{ aisle(first: 100) { total } }", None, 1, id="sized-field-not-selected"),
        pytest.param(
            "{ aisle(first: 100) { shelves { label } } }", None, 2, id="container-without-list"
        ),
        pytest.param(
            "{ aisleMixed(first: 5) { page { id } shelves { page { id } } } }",
            None,
            12,
            id="sized-fields-mixed",
        ),
        pytest.param("{ range(first: 2, last: 7) { id } }", None, 7, id="largest-slicing-wins"),
        pytest.param("{ pick(last: 4) { id } }", None, 4, id="required-one-slicing-argument"),
        pytest.param("{ range(first: -5) { id } }", None, 0, id="negative-sizes-count-as-0"),
        pytest.param(
            "query Q($n: Int) { range(first: $n) { id } }",
            {"n": 6.0},
            6,
            id="integral-float-variable-sizes",
        ),
    ],
)
def test_list_sizes(query: str, variables: dict[str, Any] | None, expected: float) -> None:
    assert estimate(PRICED, query, variables, default_list_size=100) == expected


@pytest.mark.parametrize(
    "query",
    [
        pytest.param("{ pick(first: 2, last: 3) { id } }", id="two-given"),
        pytest.param("{ pick { id } }", id="none-given"),
    ],
)
def test_require_one_slicing_argument_refuses_other_counts(query: str) -> None:
    from gateway.limits.errors import COST_QUERY_PARSE_FAILURE, CostAnalysisError

    with pytest.raises(CostAnalysisError, match="Exactly one slicing argument") as caught:
        estimate(PRICED, query)
    assert caught.value.code == COST_QUERY_PARSE_FAILURE
    assert caught.value.status == 400


def test_requires_adds_the_required_selection() -> None:
    query = "{ trucks { name toll } }"
    response = {"trucks": [{"name": "a", "toll": 1.5}, {"name": "b", "toll": None}]}
    # trucks: 100 * (1 + toll's requirement: driver 1 + depots 100 * 1)
    assert estimate(FLEET, query, default_list_size=100) == 10200
    assert estimate(FLEET, query, default_list_size=5) == 35
    assert actual(FLEET, query, response, default_list_size=100) == 2


def test_requires_can_be_left_out() -> None:
    query = "{ trucks { name toll } }"
    assert estimate(FLEET, query, default_list_size=100, estimate_requires=False) == 100


def test_federated_fragments_estimate_and_actual() -> None:
    query = """
    fragment DriverInfo on Driver { license name }
    fragment TruckDriver on Truck { driver { ...DriverInfo } }
    { trucks { ...TruckDriver } drivers { ...DriverInfo } }
    """
    response = {
        "trucks": [
            {"driver": {"license": "1", "name": "a"}},
            {"driver": {"license": "2", "name": "b"}},
        ],
        "drivers": [{"license": "1", "name": "a"}, {"license": "2", "name": "b"}],
    }
    assert estimate(FLEET, query, default_list_size=100) == 300
    assert actual(FLEET, query, response, default_list_size=100) == 6


def test_typename_is_free_in_estimate_and_actual() -> None:
    query = "{ trucks { __typename name } }"
    response = {"trucks": [{"__typename": "Truck", "name": "a"}]}
    assert estimate(FLEET, query, default_list_size=100) == 100
    assert actual(FLEET, query, response) == 1


def test_actual_cost_counts_aliased_fields_by_response_key() -> None:
    query = "{ first: trucks { name } second: trucks { name } }"
    response = {"first": [{"name": "a"}, {"name": "b"}], "second": [{"name": "c"}]}
    assert estimate(FLEET, query, default_list_size=10) == 20
    assert actual(FLEET, query, response) == 3


def test_actual_cost_applies_fragments_by_typename() -> None:
    query = "{ result { ... on Warehouse { bins { code } } ... on Bin { code } } }"
    assert actual(PLAIN, query, {"result": {"__typename": "Bin", "code": 1}}) == 1
    warehouse = {"result": {"__typename": "Warehouse", "bins": [{"code": 1}, {"code": 2}]}}
    assert actual(PLAIN, query, warehouse) == 3


def test_ibm_string_weights_and_connections_sized_through_edges() -> None:
    assert estimate(IBM, "{ users(max: 5) { age } }") == 15  # 5 * (1 + 2)
    query = "{ users(max: 2) { friends(first: 4) { edges { node { name } } totalCount } } }"
    # users: 2 * (1 + friends: 1 + edges: 4 * (1 + node 1))
    assert estimate(IBM, query) == 2 * (1 + 1 + 4 * 2)
    query_at_default = "{ users(max: 1) { friends { edges { node { age } } } } }"
    assert estimate(IBM, query_at_default) == 1 * (1 + 1 + 3 * (1 + 1 + 2))


def test_a_large_slicing_variable_scales_the_cost() -> None:
    query = "query Q($first: Int) { users(max: $first) { name } }"
    assert estimate(IBM, query, {"first": 999_999_999}) == 999_999_999


def test_actual_cost_counts_arguments_per_returned_parent_and_weighted_scalars_per_item() -> None:
    sdl = """
    directive @cost(weight: Int!) on FIELD_DEFINITION | ARGUMENT_DEFINITION | SCALAR
    scalar Tag @cost(weight: 3)
    type Thing { score(bonus: Int @cost(weight: 2)): Int tags: [Tag] }
    type Query { things: [Thing] }
    """
    query = "{ things { score(bonus: 1) tags } }"
    response = {"things": [{"score": 1, "tags": ["a", "b"]}, {"score": None, "tags": ["c", None]}]}
    assert estimate(sdl, query) == 10 * (1 + 2 + 10 * 3)
    assert actual(sdl, query, response) == 2 * 1 + 2 * 2 + 4 * 3
