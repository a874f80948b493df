"""The API schema derived from a supergraph: hidden machinery, @inaccessible, built-ins kept."""

from __future__ import annotations

from pathlib import Path

from graphql import GraphQLObjectType, parse

from gateway.composition.api_schema import build_api_schema
from gateway.composition.links import SchemaLinks

CASES = Path(__file__).parent / "cases"

SUPERGRAPH = """
schema
  @link(url: "https://specs.apollo.dev/link/v1.0")
  @link(url: "https://specs.apollo.dev/join/v0.3", for: EXECUTION)
  @link(url: "https://specs.apollo.dev/inaccessible/v0.2", as: "hidden", for: SECURITY)
{
  query: Query
}

directive @hidden on FIELD_DEFINITION | OBJECT | ARGUMENT_DEFINITION | ENUM_VALUE
directive @join__graph(name: String!, url: String!) on ENUM_VALUE
directive @link(
  url: String, as: String, for: link__Purpose, import: [link__Import]
) repeatable on SCHEMA

scalar link__Import
enum link__Purpose { SECURITY EXECUTION }
enum join__Graph { A @join__graph(name: "a", url: "http://a") }

type Query {
  order(id: ID!, debug: Boolean @hidden): Order
  legacyOrder(id: ID!): Order @deprecated(reason: "Use order")
  internal: Internal
}

type Order {
  id: ID!
  status: Status!
  erpId: String @hidden
}

type Internal @hidden { id: ID! }

enum Status { OPEN CLOSED @deprecated(reason: "Merged into OPEN") SECRET @hidden }
"""


def test_machinery_and_elements_marked_with_a_renamed_inaccessible_are_hidden() -> None:
    schema = build_api_schema(parse(SUPERGRAPH))
    assert schema.get_type("join__Graph") is None
    assert schema.get_type("link__Import") is None
    assert schema.get_type("Internal") is None
    assert schema.get_directive("hidden") is None
    query = schema.query_type
    assert query is not None
    assert set(query.fields) == {"order", "legacyOrder"}
    assert set(query.fields["order"].args) == {"id"}
    order = schema.get_type("Order")
    assert isinstance(order, GraphQLObjectType)
    assert set(order.fields) == {"id", "status"}
    status = schema.get_type("Status")
    assert set(status.values) == {"OPEN", "CLOSED"}  # type: ignore[union-attr]


def test_deprecations_survive_for_introspection() -> None:
    schema = build_api_schema(parse(SUPERGRAPH))
    assert schema.query_type is not None
    assert schema.query_type.fields["legacyOrder"].deprecation_reason == "Use order"
    status = schema.get_type("Status")
    assert status.values["CLOSED"].deprecation_reason == "Merged into OPEN"  # type: ignore[union-attr]


def test_an_inaccessible_imported_under_another_name_is_honoured() -> None:
    document = parse((CASES / "renamed-imports" / "supergraph.graphql").read_text())
    assert SchemaLinks.of(document).directive_name("inaccessible", "inaccessible") == (
        "federation__inaccessible"
    )
    thing = build_api_schema(document).get_type("Thing")
    assert isinstance(thing, GraphQLObjectType)
    assert "secret" not in thing.fields
    assert "name" in thing.fields
