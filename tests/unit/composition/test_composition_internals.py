"""Smaller pieces: Federation 1 upgrade steps, DNF merging, collation, normalization, reports."""

from __future__ import annotations

from graphql.language import StringValueNode

from gateway.composition import CompositionError, ErrorCode, SourceLocation, SubgraphSource
from gateway.composition.builder import build_subgraph
from gateway.composition.merge.strategies import dnf_conjunction
from gateway.composition.normalize import equivalent, normalize_supergraph
from gateway.composition.printer import collation_key
from gateway.composition.report import format_errors
from gateway.composition.subgraph import Subgraph
from gateway.composition.upgrade import upgrade_subgraphs


def _subgraph(name: str, sdl: str) -> Subgraph:
    subgraph, errors = build_subgraph(name, f"http://{name}", sdl)
    assert subgraph is not None, errors
    return subgraph


def test_federation1_upgrade_rewrites_the_implicit_rules() -> None:
    fed1 = _subgraph(
        "reviews",
        "type Query { top: [Review] }\n"
        'type Review { id: ID! author: User @provides(fields: ["name", "email"]) }\n'
        'extend type User @key(fields: "id") {\n'
        "  id: ID! @external\n  name: String @external\n"
        "  email: String\n  unused: Int @external\n}\n"
        'interface Node @key(fields: "id") { id: ID! }\n'
        "type Location { lat: Float }\n",
    )
    other = _subgraph(
        "users",
        'extend schema @link(url: "https://specs.apollo.dev/federation/v2.3",'
        ' import: ["@key", "@shareable"])\n'
        'type User @key(fields: "id") { id: ID! name: String email: String }\n'
        "type Location @shareable { lat: Float }\n",
    )
    assert upgrade_subgraphs([fed1, other]) == []
    schema = fed1.schema
    user = schema.types["User"]
    assert fed1.is_fed2 and fed1.federation_version == (2, 4)
    assert not user.has_extension and user.has_definition
    assert not user.fields["id"].has("external")
    assert "unused" not in user.fields
    provides = schema.types["Review"].fields["author"].applied("provides")[0]
    assert provides.args["fields"] == StringValueNode(value="name")
    assert user.fields["email"].has("shareable")
    assert schema.types["Location"].has("shareable")
    assert not schema.types["Node"].has("key")


def test_dnf_conjunction_keeps_every_requirement() -> None:
    assert dnf_conjunction([[["a"]], [["b"], ["c"]]]) == [["a", "b"], ["a", "c"]]
    assert dnf_conjunction([[["a", "b"]], [["a"]]]) == [["a", "b"]]
    assert dnf_conjunction([[["x"], ["x", "y"]], [["x"]]]) == [["x"]]
    assert dnf_conjunction([[], [["a"]]]) == [["a"]]


def test_collation_matches_javascript_locale_compare() -> None:
    names = ["Query", "link__Import", "join__Graph", "Book", "join__FieldSet", "_Any", "a1", "A"]
    names += ["a", "B_c", "Bc", "b2"]
    # the order Node's "".localeCompare gives (the order of Apollo's printed supergraphs)
    assert sorted(names, key=collation_key) == [
        "_Any",
        "a",
        "A",
        "a1",
        "B_c",
        "b2",
        "Bc",
        "Book",
        "join__FieldSet",
        "join__Graph",
        "link__Import",
        "Query",
    ]


def test_normalization_ignores_order_and_descriptions_but_not_meaning() -> None:
    left = '"""doc"""\ntype Query @a(x: 1, y: 2) @b {\n  f: Int\n  g: String\n}\nscalar S'
    right = "scalar S\ntype Query @b @a(y: 2, x: 1) {\n  g: String\n  f: Int\n}"
    assert equivalent(left, right)
    assert not equivalent(left, right.replace("g: String", "g: String!"))
    assert normalize_supergraph(right).startswith("type Query @a(x: 1, y: 2) @b {")


def test_report_shows_code_message_and_source_line() -> None:
    source = SubgraphSource("orders", "http://o", "type Query {\n  a: Unknown\n}\n", "o.graphql")
    error = CompositionError(
        ErrorCode.INVALID_GRAPHQL,
        'Unknown type "Unknown".',
        "orders",
        (SourceLocation("orders", 2, 6),),
    )
    assert format_errors([error], {"orders": source}) == (
        "composition failed: 1 error\n\n"
        "INVALID_GRAPHQL\n"
        '  Unknown type "Unknown".\n'
        "  --> o.graphql:2:6 (orders)\n"
        "     |\n"
        "   2 |   a: Unknown\n"
        "     |      ^\n"
    )
