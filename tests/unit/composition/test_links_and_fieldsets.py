"""@link resolution and field-set parsing."""

from __future__ import annotations

import pytest
from graphql import parse
from graphql.language import SchemaExtensionNode

from gateway.composition.builder import build_subgraph
from gateway.composition.errors import CompositionError, ErrorCode
from gateway.composition.fieldset import (
    FieldSetError,
    collect_fields,
    parse_field_set,
    print_selections,
)
from gateway.composition.links import Links, parse_links


def _links(schema_extension: str) -> tuple[Links, list[CompositionError]]:
    (definition,) = parse(schema_extension).definitions
    assert isinstance(definition, SchemaExtensionNode)
    return parse_links("s", list(definition.directives or ()))


def test_imported_renamed_and_namespaced_names_resolve_to_spec_directives() -> None:
    links, errors = _links(
        'extend schema @link(url: "https://specs.apollo.dev/federation/v2.5",'
        ' import: ["@key", {name: "@shareable", as: "@sharedHere"}, "FieldSet"], as: "fed")'
    )
    assert errors == []
    assert links.federation_version == (2, 5)
    assert links.canonical_directive("key") == "key"
    assert links.canonical_directive("sharedHere") == "shareable"
    assert links.canonical_directive("fed__external") == "external"
    assert links.canonical_directive("shareable") is None
    assert links.canonical_directive("fed__authenticated") == "authenticated"
    assert links.canonical_directive("fed__policy") is None
    assert links.is_spec_type("FieldSet")


def test_a_subgraph_without_link_is_federation_1() -> None:
    links, errors = _links("extend schema @deprecated")
    assert errors == []
    assert links.federation_version is None
    assert links.canonical_directive("key") == "key"
    assert links.canonical_directive("shareable") is None


@pytest.mark.parametrize(
    ("link", "code"),
    [
        (
            '@link(url: "https://specs.apollo.dev/federation/v2.99")',
            "UNKNOWN_FEDERATION_LINK_VERSION",
        ),
        ('@link(url: "https://specs.apollo.dev/federation/latest")', "INVALID_LINK_IDENTIFIER"),
        (
            '@link(url: "https://specs.apollo.dev/federation/v2.0", import: ["@interfaceObject"])',
            "INVALID_LINK_DIRECTIVE_USAGE",
        ),
        (
            '@link(url: "https://specs.apollo.dev/federation/v2.3",'
            ' import: [{name: "@key", as: "k"}])',
            "INVALID_LINK_DIRECTIVE_USAGE",
        ),
    ],
)
def test_invalid_links_are_reported(link: str, code: str) -> None:
    _, errors = _links(f"extend schema {link}")
    assert [e.code for e in errors] == [ErrorCode(code)]


SCHEMA_SDL = """
extend schema @link(url: "https://specs.apollo.dev/federation/v2.3", import: ["@key"])
type Query { s: Stock }
interface Named { name: String }
type Item implements Named { name: String tags(first: Int!): [String] }
type Stock { sku: String! item: Item named: Named }
"""


@pytest.fixture
def schema():  # type: ignore[no-untyped-def]
    subgraph, errors = build_subgraph("s", "http://s", SCHEMA_SDL)
    assert subgraph is not None, errors
    return subgraph.schema


def test_field_sets_select_nested_fields_and_fragments(schema) -> None:  # type: ignore[no-untyped-def]
    selections = parse_field_set(
        schema, "Stock", "sku item { name } named { ... on Item { name } }"
    )
    assert print_selections(selections) == "sku item { name } named { ... on Item { name } }"
    collected = collect_fields(schema, "Stock", "named { name }", include_implementations=True)
    assert [f.coordinate for f in collected] == ["Stock.named", "Named.name", "Item.name"]


@pytest.mark.parametrize(
    ("field_set", "message"),
    [
        ("price", 'Cannot query field "price" on type "Stock".'),
        ("item", 'Field "item" of type "Item" must have a selection of subfields.'),
        (
            "sku { x }",
            'Field "sku" must not have a selection since type "String!" has no subfields.',
        ),
        ("item { tags }", 'Missing mandatory value for argument "first" of field "Item.tags"'),
        ("item { tags(last: 1) }", 'Unknown argument "last" found in value: "Item.tags"'),
        ("named { ... on Stock { sku } }", "can never be of type"),
        ("sku item {", "Syntax Error"),
    ],
)
def test_invalid_field_sets_say_why(schema, field_set: str, message: str) -> None:  # type: ignore[no-untyped-def]
    with pytest.raises(FieldSetError) as failure:
        parse_field_set(schema, "Stock", field_set)
    assert message in failure.value.message
