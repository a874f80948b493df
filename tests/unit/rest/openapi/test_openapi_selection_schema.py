"""A route's response schema is exactly its operation's selection: the selected fields only,
under their response keys, through fragments and type conditions, with the schema's
nullability, never the whole GraphQL type."""

from __future__ import annotations

from typing import Any

from graphql import FieldNode, FragmentDefinitionNode, GraphQLSchema, OperationDefinitionNode, parse

from gateway.rest.compile import RouteCatalog
from gateway.rest.json_schema import SchemaComponents
from gateway.rest.openapi import build_openapi

INT32 = {"type": "integer", "format": "int32", "minimum": -(2**31), "maximum": 2**31 - 1}
COLOUR = {"$ref": "#/components/schemas/Colour"}


def _schemas(catalog: RouteCatalog, schema: GraphQLSchema) -> dict[str, Any]:
    schemas: dict[str, Any] = build_openapi(catalog, schema)["components"]["schemas"]
    return schemas


def test_the_response_schema_is_the_selection_set(
    fixture_catalog: RouteCatalog, fixture_schema: GraphQLSchema
) -> None:
    """``getWidget``: a fragment, an alias, a variable-conditional field, a union with
    ``__typename`` and inline fragments; Widget's other fields (tags, legacyCode) are absent."""
    schemas = _schemas(fixture_catalog, fixture_schema)
    assert schemas["getWidgetResponse"] == {
        "type": "object",
        "title": "Widget",
        "properties": {
            "id": {"type": "string"},
            "name": {"type": "string"},
            "colour": {"oneOf": [COLOUR, {"type": "null"}]},
            "title": {"type": "string"},
            "madeAt": {"type": "string", "format": "date-time"},
            "price": {"type": ["string", "null"], "description": "A decimal amount, as a string."},
            "parts": {
                "type": ["array", "null"],
                "items": {
                    "type": ["object", "null"],
                    "title": "Part",
                    "properties": {"sku": {"type": "string"}, "quantity": INT32},
                    "required": ["sku", "quantity"],
                },
            },
            "owner": {
                "anyOf": [
                    {
                        "type": "object",
                        "title": "Company (Owner)",
                        "properties": {
                            "__typename": {"type": "string", "const": "Company"},
                            "id": {"type": "string"},
                            "legalName": {"type": "string"},
                        },
                        "required": ["__typename", "id", "legalName"],
                    },
                    {
                        "type": "object",
                        "title": "Person (Owner)",
                        "properties": {
                            "__typename": {"type": "string", "const": "Person"},
                            "id": {"type": "string"},
                            "name": {"type": "string"},
                        },
                        "required": ["__typename", "id", "name"],
                    },
                    {"type": "null"},
                ]
            },
        },
        # `parts` is selected only @include(if: $withParts): it may be absent
        "required": ["id", "name", "colour", "title", "madeAt", "price", "owner"],
    }


def test_an_interface_answers_one_variant_per_selected_shape(
    fixture_catalog: RouteCatalog, fixture_schema: GraphQLSchema
) -> None:
    schemas = _schemas(fixture_catalog, fixture_schema)
    assert schemas["getNodeResponse"] == {
        "anyOf": [
            {
                "type": "object",
                "title": "Person (Node)",
                "properties": {"id": {"type": "string"}, "email": {"type": ["string", "null"]}},
                "required": ["id", "email"],
            },
            {
                "type": "object",
                "title": "Widget (Node)",
                "properties": {"id": {"type": "string"}, "name": {"type": "string"}},
                "required": ["id", "name"],
            },
        ]
    }


def test_a_page_holds_the_selected_node_fields(
    fixture_catalog: RouteCatalog, fixture_schema: GraphQLSchema
) -> None:
    schemas = _schemas(fixture_catalog, fixture_schema)
    assert schemas["listWidgetsResponse"] == {
        "type": "object",
        "title": "listWidgets page",
        "properties": {
            "items": {
                "type": "array",
                "items": {
                    "type": "object",
                    "title": "Widget",
                    "properties": {
                        "id": {"type": "string"},
                        "name": {"type": "string"},
                        "colour": {"oneOf": [COLOUR, {"type": "null"}]},
                        "tags": {"type": "array", "items": {"type": "string"}},
                    },
                    "required": ["id", "name", "colour", "tags"],
                },
            },
            "nextCursor": {
                "type": ["string", "null"],
                "description": "The cursor of the next page; null on the last page.",
            },
        },
        "required": ["items", "nextCursor"],
    }


def test_nullability_of_the_root_field_follows_the_route(
    fixture_catalog: RouteCatalog, fixture_schema: GraphQLSchema
) -> None:
    schemas = _schemas(fixture_catalog, fixture_schema)
    # a nullable root field of a GET route: null is a 404, so a 200 is never null
    assert schemas["getWidgetResponse"]["type"] == "object"
    # the same for a POST route that asks for it (not_found_on_null)
    assert schemas["findWidgetResponse"]["type"] == "object"
    # non-null root fields; an alias is the response key (and `warnings`: partial: warn)
    assert schemas["tagWidgetResponse"]["type"] == "object"
    assert schemas["tagWidgetResponse"]["required"] == ["id", "tags"]
    assert schemas["tagWidgetResponse"]["properties"]["tags"] == {"type": "string"}
    assert schemas["countWidgetsResponse"] == INT32


def _root_schema(schema: GraphQLSchema, query: str) -> dict[str, Any]:
    document = parse(query)
    operation = next(d for d in document.definitions if isinstance(d, OperationDefinitionNode))
    fragments = {
        d.name.value: d for d in document.definitions if isinstance(d, FragmentDefinitionNode)
    }
    root = operation.selection_set.selections[0]
    assert isinstance(root, FieldNode)
    query_type = schema.query_type
    assert query_type is not None
    field_type = query_type.fields[root.name.value].type
    return SchemaComponents(schema).selection_schema(field_type, root.selection_set, fragments)


def test_the_same_key_selected_twice_merges_its_selections(fixture_schema: GraphQLSchema) -> None:
    schema = _root_schema(
        fixture_schema,
        """
        query ($id: ID!, $more: Boolean!) {
          widget(id: $id) {
            owner { ... on Person { id } }
            ...More
            name @skip(if: true)
            name @include(if: $more)
            label: name @include(if: true)
          }
        }
        fragment More on Widget { owner { ... on Person { email } ... on Company { id } } }
        """,
    )
    assert schema["type"] == ["object", "null"]
    assert list(schema["properties"]) == ["owner", "name", "label"]
    assert schema["required"] == ["owner", "label"], "@include(if: $more) may drop `name`"
    company, person, null = schema["properties"]["owner"]["anyOf"]  # by type name
    assert list(person["properties"]) == ["id", "email"]
    assert list(company["properties"]) == ["id"]
    assert null == {"type": "null"}
