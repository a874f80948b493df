"""Page sizes: every @listSize slicing argument has a maximum, checked on the values that run."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from graphql import (
    FragmentDefinitionNode,
    OperationDefinitionNode,
    build_schema,
    get_variable_values,
    parse,
    validate,
)
from pydantic import ValidationError

from gateway.limits.model_builder import build_cost_model
from gateway.limits.page_size import PageSizeLimits, PageSizeViolation, page_size_refusal
from gateway.limits.settings import PageSizeSettings
from gateway.supergraph import load_schema, load_supergraph

ROOT = Path(__file__).resolve().parents[3]
SDL = """
directive @listSize(assumedSize: Int, slicingArguments: [String!], sizedFields: [String!],
  requireOneSlicingArgument: Boolean = true) on FIELD_DEFINITION
input Page { first: Int }
input SearchInput { text: String, page: Page }
type Query {
  orders(first: Int = 20, after: String): OrderConnection!
    @listSize(slicingArguments: ["first"], sizedFields: ["edges"])
  search(input: SearchInput!): [Order!]!
    @listSize(slicingArguments: ["input.page.first"], requireOneSlicingArgument: false)
  byIds(ids: [ID!]!): [Order!]! @listSize(slicingArguments: ["ids"])
  customer(id: ID!): Customer
}
type Customer {
  id: ID!
  orders(first: Int = 20, last: Int): OrderConnection!
    @listSize(slicingArguments: ["first", "last"], requireOneSlicingArgument: false)
}
type OrderConnection { edges: [OrderEdge!]! }
type OrderEdge { node: Order! }
type Order { id: ID! customer: Customer }
"""
SCHEMA = build_schema(SDL)
MODEL = build_cost_model(load_schema(SDL))


def _check(
    query: str, variables: dict[str, Any] | None = None, **settings: Any
) -> list[PageSizeViolation]:
    document = parse(query)
    assert not validate(SCHEMA, document)
    operation = next(d for d in document.definitions if isinstance(d, OperationDefinitionNode))
    coerced = get_variable_values(SCHEMA, operation.variable_definitions or (), variables or {})
    assert not isinstance(coerced, list), coerced
    limits = PageSizeLimits(MODEL, PageSizeSettings(**settings))
    return limits.check(query, None, operation, {}, coerced.coerced)


def _codes(violations: list[PageSizeViolation]) -> list[tuple[str, str, int, int]]:
    return [(v.code, f"{v.coordinate}.{v.argument}", v.value, v.maximum) for v in violations]


def test_a_literal_above_the_maximum_is_refused_with_a_clear_error() -> None:
    violations = _check("{\n  orders(first: 101) { edges { node { id } } }\n}")
    assert _codes(violations) == [("PAGE_SIZE_EXCEEDED", "Query.orders.first", 101, 100)]
    result = page_size_refusal(violations)
    assert result.status_code == 400
    assert result.data is None
    assert result.errors == [
        {
            "message": 'Argument "first" of Query.orders is 101, above the maximum page size 100',
            "locations": [{"line": 2, "column": 3}],
            "extensions": {
                "code": "PAGE_SIZE_EXCEEDED",
                "field": "Query.orders",
                "argument": "first",
                "value": 101,
                "max": 100,
            },
        }
    ]


def test_the_maximum_itself_and_an_omitted_argument_pass() -> None:
    assert _check("{ orders(first: 100) { edges { node { id } } } }") == []
    assert _check("{ orders { edges { node { id } } } }") == []  # the schema's default (20)
    assert _check("{ orders(first: 0) { edges { node { id } } } }") == []


def test_a_negative_page_is_refused() -> None:
    violations = _check("{ orders(first: -1) { edges { node { id } } } }")
    assert _codes(violations) == [("PAGE_SIZE_NEGATIVE", "Query.orders.first", -1, 100)]
    assert "cannot be negative" in violations[0].message


def test_variables_count_as_sent_and_at_their_default() -> None:
    query = "query Q($n: Int) { orders(first: $n) { edges { node { id } } } }"
    assert _codes(_check(query, {"n": 150})) == [
        ("PAGE_SIZE_EXCEEDED", "Query.orders.first", 150, 100)
    ]
    assert _check(query, {"n": 50}) == []
    assert _check(query, {}) == []  # not sent, no default: the argument counts as omitted
    defaulted = "query Q($n: Int = 500) { orders(first: $n) { edges { node { id } } } }"
    assert _codes(_check(defaulted, {})) == [("PAGE_SIZE_EXCEEDED", "Query.orders.first", 500, 100)]
    assert _check(defaulted, {"n": 10}) == []


def test_nested_fields_fragments_aliases_and_every_slicing_argument() -> None:
    query = """
    query Q($last: Int) {
      customer(id: "c1") { ...Orders }
      first: orders(first: 5) { edges { node { customer { orders(first: 300) { edges {
        node { id } } } } } } }
    }
    fragment Orders on Customer { orders(last: $last) { edges { node { id } } } }
    """
    document = parse(query)
    operation = next(d for d in document.definitions if isinstance(d, OperationDefinitionNode))
    fragments = {
        d.name.value: d for d in document.definitions if isinstance(d, FragmentDefinitionNode)
    }
    limits = PageSizeLimits(MODEL, PageSizeSettings())
    violations = limits.check("nested", "Q", operation, fragments, {"last": 101})
    assert sorted(_codes(violations)) == [
        ("PAGE_SIZE_EXCEEDED", "Customer.orders.first", 300, 100),
        ("PAGE_SIZE_EXCEEDED", "Customer.orders.last", 101, 100),
    ]


def test_nested_input_paths_and_list_lengths() -> None:
    query = 'query Q($page: Page) { search(input: {text: "x", page: $page}) { id } }'
    assert _codes(_check(query, {"page": {"first": 101}})) == [
        ("PAGE_SIZE_EXCEEDED", "Query.search.input.page.first", 101, 100)
    ]
    literal = '{ search(input: {text: "x", page: {first: 7}}) { id } }'
    override = {"Query.search.input.page.first": 5}
    assert _codes(_check(literal, None, fields=override)) == [
        ("PAGE_SIZE_EXCEEDED", "Query.search.input.page.first", 7, 5)
    ]
    ids = "query Q($ids: [ID!]!) { byIds(ids: $ids) { id } }"
    assert _codes(_check(ids, {"ids": [str(i) for i in range(101)]})) == [
        ("PAGE_SIZE_EXCEEDED", "Query.byIds.ids", 101, 100)
    ]


def _check_with(query: str, **settings: Any) -> list[PageSizeViolation]:
    return _check(query, None, **settings)


def test_a_field_can_have_its_own_maximum() -> None:
    settings = {"fields": {"Query.orders.first": 50}}
    query = "{ orders(first: 51) { edges { node { id } } } }"
    assert _codes(_check_with(query, **settings)) == [
        ("PAGE_SIZE_EXCEEDED", "Query.orders.first", 51, 50)
    ]
    nested = '{ customer(id: "1") { orders(first: 51) { edges { node { id } } } } }'
    assert _check_with(nested, **settings) == []  # another field keeps the global maximum
    assert _codes(_check_with(nested, max=10)) == [
        ("PAGE_SIZE_EXCEEDED", "Customer.orders.first", 51, 10)
    ]


def test_literal_skip_drops_the_field_and_the_check_can_be_switched_off() -> None:
    skipped = "{ orders(first: 101) @skip(if: true) { edges { node { id } } } }"
    assert _check(skipped) == []
    assert _check_with("{ orders(first: 101) { edges { node { id } } } }", enabled=False) == []
    # a condition on a variable counts as included (as for the cost estimate)
    conditional = (
        "query Q($no: Boolean!) { orders(first: 101) @skip(if: $no) { edges { node { id } } } }"
    )
    assert len(_check(conditional, {"no": False})) == 1


def test_where_the_arguments_are_is_found_once_per_operation() -> None:
    query = "query Q($n: Int) { orders(first: $n) { edges { node { id } } } }"
    document = parse(query)
    operation = document.definitions[0]
    assert isinstance(operation, OperationDefinitionNode)
    limits = PageSizeLimits(MODEL, PageSizeSettings())
    assert limits.check("k", "Q", operation, {}, {"n": 1}) == []
    # same key: the cached sites are read with the new variables
    assert len(limits.check("k", "Q", operation, {}, {"n": 101})) == 1


def test_unknown_overrides_are_reported_and_bad_keys_refused() -> None:
    limits = PageSizeLimits(
        MODEL, PageSizeSettings(fields={"Query.orders.first": 5, "Query.order.first": 5})
    )
    assert limits.unknown_overrides() == ["Query.order.first"]
    with pytest.raises(ValidationError):
        PageSizeSettings(fields={"orders": 5})
    with pytest.raises(ValidationError):
        PageSizeSettings(fields={"Query.orders.first": -1})


def test_our_supergraph_caps_every_connection_at_100() -> None:
    sdl = (ROOT / "schema" / "supergraph.graphql").read_text(encoding="utf-8")
    limits = PageSizeLimits(build_cost_model(load_supergraph(sdl)), PageSizeSettings())
    document = parse(
        """query {
          orders(first: 101) { edges { node { id } } }
          customers(first: 100) { edges { node { orders(first: 250) { totalCount } } } }
          products(first: 20) { edges { node { id } } }
        }"""
    )
    operation = document.definitions[0]
    assert isinstance(operation, OperationDefinitionNode)
    assert sorted(_codes(limits.check("ours", None, operation, {}, {}))) == [
        ("PAGE_SIZE_EXCEEDED", "Customer.orders.first", 250, 100),
        ("PAGE_SIZE_EXCEEDED", "Query.orders.first", 101, 100),
    ]
    assert limits.unknown_overrides() == []
