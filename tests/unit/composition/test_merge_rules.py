"""Item 3: the Federation 2 merge rules, one small composition each.

(``test_reference_cases.py`` checks the same rules against Apollo's exact output on larger
fixtures; these tests state each rule on its own.)
"""

from __future__ import annotations

import pytest
from composition_helpers import compose_sdls, definition, fed2

from gateway.composition import CompositionFailedError

ENTITY = 'type T @key(fields: "id") {\n  id: ID!\n%s}\n'


def _failure_codes(**subgraphs: str) -> list[str]:
    with pytest.raises(CompositionFailedError) as failure:
        compose_sdls(**subgraphs)
    return failure.value.codes


# -- value types and @shareable ---------------------------------------------------------------


def test_value_type_fields_resolved_everywhere_need_no_join_field() -> None:
    money = "type Money @shareable {\n  amount: Int!\n  currency: String!\n}\n"
    sdl = compose_sdls(
        a=fed2("shareable") + "type Query { price: Money }\n" + money,
        b=fed2("shareable") + "type Query { cost: Money }\n" + money,
    )
    assert definition(sdl, "type Money") == (
        "type Money\n  @join__type(graph: A)\n  @join__type(graph: B)\n"
        "{\n  amount: Int!\n  currency: String!\n}"
    )


def test_a_field_missing_from_one_definition_records_where_it_is() -> None:
    sdl = compose_sdls(
        a=fed2("shareable")
        + "type Query { p: P @shareable }\ntype P @shareable { x: Int y: Int }\n",
        b=fed2("shareable") + "type Query { p: P @shareable }\ntype P @shareable { x: Int }\n",
    )
    assert "  y: Int @join__field(graph: A)" in definition(sdl, "type P")
    assert "  x: Int\n" in definition(sdl, "type P")


def test_shareable_on_a_type_covers_only_its_own_definition_block() -> None:
    a = fed2("shareable") + (
        "type Query { m: M }\ntype M @shareable { x: Int }\nextend type M { y: Int }\n"
    )
    b = fed2("shareable") + "type M @shareable { x: Int y: Int }\n"
    assert _failure_codes(a=a, b=b) == ["INVALID_FIELD_SHARING"]
    a_fixed = a.replace("extend type M {", "extend type M @shareable {")
    assert "type M" in compose_sdls(a=a_fixed, b=b)


def test_non_shareable_field_in_two_subgraphs_is_rejected() -> None:
    sdl = ENTITY % "  name: String\n"
    assert _failure_codes(a=fed2("key") + "type Query { t: T }\n" + sdl, b=fed2("key") + sdl) == [
        "INVALID_FIELD_SHARING"
    ]


# -- entities and keys -------------------------------------------------------------------------


def test_keys_compound_nested_multiple_and_non_resolvable() -> None:
    a = fed2("key") + (
        "type Query { s: Stock }\n"
        'type Stock @key(fields: "sku warehouse { code }") @key(fields: "id") {\n'
        "  id: ID!\n  sku: String!\n  warehouse: Warehouse!\n}\n"
        'type Warehouse @key(fields: "code", resolvable: false) {\n  code: String!\n}\n'
    )
    b = fed2("key") + (
        'type Stock @key(fields: "id") {\n  id: ID!\n  onHand: Int\n}\n'
        'type Warehouse @key(fields: "code") {\n  code: String!\n  city: String\n}\n'
    )
    sdl = compose_sdls(a=a, b=b)
    assert definition(sdl, "type Stock").splitlines()[1:4] == [
        '  @join__type(graph: A, key: "sku warehouse { code }")',
        '  @join__type(graph: A, key: "id")',
        '  @join__type(graph: B, key: "id")',
    ]
    assert definition(sdl, "type Warehouse").splitlines()[1:3] == [
        '  @join__type(graph: A, key: "code", resolvable: false)',
        '  @join__type(graph: B, key: "code")',
    ]


def test_key_fields_are_shareable_implicitly() -> None:
    sdl = ENTITY % ""
    assert "type T" in compose_sdls(
        a=fed2("key") + "type Query { t: T }\n" + sdl, b=fed2("key") + sdl
    )


def test_type_extension_keys_are_marked_as_extensions() -> None:
    a = fed2("key") + 'type Query { t: T }\ntype T @key(fields: "id") { id: ID! }\n'
    b = fed2("key") + 'extend type T @key(fields: "id") { id: ID! extra: Int }\n'
    sdl = compose_sdls(a=a, b=b)
    assert '@join__type(graph: B, key: "id", extension: true)' in sdl


# -- @external, @requires, @provides -----------------------------------------------------------


def test_requires_and_external_are_recorded_per_subgraph() -> None:
    a = fed2("key") + "type Query { t: T }\n" + ENTITY % "  weight: Int\n"
    b = fed2("key", "external", "requires") + ENTITY % (
        '  weight: Int @external\n  shipping: Int @requires(fields: "weight")\n'
    )
    body = definition(compose_sdls(a=a, b=b), "type T")
    assert "  weight: Int @join__field(graph: A) @join__field(graph: B, external: true)" in body
    assert '  shipping: Int @join__field(graph: B, requires: "weight")' in body


def test_provides_makes_the_external_field_shareable_and_is_recorded() -> None:
    a = fed2("key", "external", "provides") + (
        'type Query { t: T @provides(fields: "name") }\n' + ENTITY % "  name: String @external\n"
    )
    b = fed2("key", "shareable") + ENTITY % "  name: String @shareable\n"
    sdl = compose_sdls(a=a, b=b)
    assert '  t: T @join__field(graph: A, provides: "name")' in sdl
    assert (
        "  name: String @join__field(graph: A, external: true) @join__field(graph: B)"
        in definition(sdl, "type T")
    )


# -- @override ---------------------------------------------------------------------------------


def test_override_moves_the_field_and_progressive_override_keeps_both() -> None:
    a = (
        fed2("key", "override", version="2.7")
        + "type Query { t: T }\n"
        + ENTITY
        % ('  x: Int @override(from: "b")\n  y: Int @override(from: "b", label: "percent(10)")\n')
    )
    b = fed2("key", version="2.7") + ENTITY % "  x: Int\n  y: Int\n"
    sdl = compose_sdls(a=a, b=b)
    assert '@link(url: "https://specs.apollo.dev/join/v0.4", for: EXECUTION)' in sdl
    body = definition(sdl, "type T")
    assert '  x: Int @join__field(graph: A, override: "b")\n' in body
    assert (
        '  y: Int @join__field(graph: A, override: "b", overrideLabel: "percent(10)")'
        ' @join__field(graph: B, overrideLabel: "percent(10)")'
    ) in body


def test_overriding_a_key_field_keeps_it_as_used_overridden() -> None:
    a = (
        fed2("key", "override")
        + "type Query { t: T }\n"
        + ENTITY % '  code: String @override(from: "b")\n'
    )
    b = (
        fed2("key")
        + 'type T @key(fields: "id") @key(fields: "code") {\n  id: ID!\n  code: String\n}\n'
    )
    body = definition(compose_sdls(a=a, b=b), "type T")
    assert (
        '  code: String @join__field(graph: A, override: "b")'
        " @join__field(graph: B, usedOverridden: true)"
    ) in body


# -- @inaccessible, @tag -----------------------------------------------------------------------


def test_inaccessible_and_tags_are_carried_into_the_supergraph() -> None:
    a = fed2("key", "inaccessible", "tag") + (
        'type Query { t: T @tag(name: "public") }\n' + ENTITY % "  secret: String @inaccessible\n"
    )
    sdl = compose_sdls(a=a)
    assert '@link(url: "https://specs.apollo.dev/inaccessible/v0.2", for: SECURITY)' in sdl
    assert '@link(url: "https://specs.apollo.dev/tag/v0.3")' in sdl
    assert "  secret: String @inaccessible" in sdl
    assert '  t: T @tag(name: "public")' in sdl


# -- @interfaceObject --------------------------------------------------------------------------


def test_interface_object_fields_reach_every_implementation() -> None:
    a = fed2("key") + (
        "type Query { m: [Media] }\n"
        'interface Media @key(fields: "id") { id: ID! }\n'
        'type Book implements Media @key(fields: "id") { id: ID! }\n'
    )
    b = fed2("key", "interfaceObject") + (
        'type Media @key(fields: "id") @interfaceObject { id: ID! rating: Int }\n'
    )
    sdl = compose_sdls(a=a, b=b)
    assert '@join__type(graph: B, key: "id", isInterfaceObject: true)' in definition(
        sdl, "interface Media"
    )
    assert "  rating: Int @join__field\n" in definition(sdl, "type Book") + "\n"


# -- enums and input objects -------------------------------------------------------------------


def _enum_subgraph(field: str, values: str) -> str:
    return fed2("shareable") + f"type Query {{ {field} }}\nenum E {{ {values} }}\n"


def test_output_only_enum_takes_the_union_of_values() -> None:
    sdl = compose_sdls(a=_enum_subgraph("a: E", "X Y"), b=_enum_subgraph("b: E", "X Z"))
    assert [line.split()[0] for line in definition(sdl, "enum E").splitlines()[4:-1]] == [
        "X",
        "Y",
        "Z",
    ]


def test_input_only_enum_takes_the_intersection_of_values() -> None:
    sdl = compose_sdls(
        a=_enum_subgraph("a(e: E): Int", "X Y"), b=_enum_subgraph("b(e: E): Int", "X Z")
    )
    assert definition(sdl, "enum E").splitlines()[4:-1] == [
        "  X @join__enumValue(graph: A) @join__enumValue(graph: B)"
    ]


def test_enum_used_both_ways_must_be_identical() -> None:
    assert _failure_codes(a=_enum_subgraph("a(e: E): E", "X Y"), b=_enum_subgraph("b: E", "X")) == [
        "ENUM_VALUE_MISMATCH"
    ]
    assert "enum E" in compose_sdls(
        a=_enum_subgraph("a(e: E): E", "X Y"), b=_enum_subgraph("b: E", "X Y")
    )


def test_input_objects_keep_only_common_fields() -> None:
    a = fed2() + "type Query { a(f: F): Int }\ninput F { x: Int y: Int }\n"
    b = fed2() + "type Query { b(f: F): Int }\ninput F { x: Int z: Int }\n"
    assert definition(compose_sdls(a=a, b=b), "input F").endswith("{\n  x: Int\n}")


# -- field types -------------------------------------------------------------------------------


def test_output_types_merge_to_the_most_general_and_record_each_subgraph() -> None:
    a = fed2("shareable") + "type Query { n: Int @shareable l: [Int] @shareable }\n"
    b = fed2("shareable") + "type Query { n: Int! @shareable l: [Int!]! @shareable }\n"
    body = definition(compose_sdls(a=a, b=b), "type Query")
    assert (
        '  n: Int @join__field(graph: A, type: "Int") @join__field(graph: B, type: "Int!")' in body
    )
    assert (
        '  l: [Int] @join__field(graph: A, type: "[Int]") @join__field(graph: B, type: "[Int!]!")'
        in body
    )


def test_argument_types_merge_to_the_most_specific() -> None:
    a = fed2("shareable") + "type Query { f(x: Int): Int @shareable }\n"
    b = fed2("shareable") + "type Query { f(x: Int!): Int @shareable }\n"
    assert "  f(x: Int!): Int\n" in definition(compose_sdls(a=a, b=b), "type Query") + "\n"


def test_subtypes_merge_to_the_supertype() -> None:
    common = "interface Node { id: ID! }\ntype Item implements Node @shareable { id: ID! }\n"
    a = fed2("shareable") + "type Query { n: Node @shareable }\n" + common
    b = fed2("shareable") + "type Query { n: Item @shareable }\n" + common
    assert (
        '  n: Node @join__field(graph: A, type: "Node") @join__field(graph: B, type: "Item")'
        in (compose_sdls(a=a, b=b))
    )


def test_incompatible_types_are_rejected() -> None:
    a = fed2("shareable") + "type Query { n: Int @shareable }\n"
    b = fed2("shareable") + "type Query { n: [Int] @shareable }\n"
    assert _failure_codes(a=a, b=b) == ["FIELD_TYPE_MISMATCH"]


# -- descriptions, deprecations ----------------------------------------------------------------


def test_descriptions_and_deprecations_are_kept() -> None:
    a = fed2("shareable") + (
        '"Root" type Query { "Old one" old: Int @deprecated(reason: "use new") @shareable }\n'
    )
    b = (
        fed2("shareable")
        + '"Root" type Query { "Old one" old: Int @deprecated(reason: "use new") @shareable }\n'
    )
    sdl = compose_sdls(a=a, b=b)
    assert '"""Root"""\ntype Query' in sdl
    assert '  """Old one"""\n  old: Int @deprecated(reason: "use new")' in sdl


def test_the_most_common_description_wins() -> None:
    sdls = {
        name: fed2("shareable") + f'type Query {{ "{text}" f: Int @shareable }}\n'
        for name, text in (("a", "one"), ("b", "two"), ("c", "two"))
    }
    assert '"""two"""' in compose_sdls(**sdls)


# -- authorization and cost --------------------------------------------------------------------


def test_auth_requirements_merge_as_conjunctions_and_propagate_to_interfaces() -> None:
    imports = ("key", "requiresScopes", "authenticated", "shareable")
    a = fed2(*imports, version="2.5") + (
        "type Query { r: [R] }\ninterface R { id: ID! }\n"
        'type T implements R @key(fields: "id") @authenticated {\n'
        '  id: ID!\n  s: String @shareable @requiresScopes(scopes: [["a"]])\n}\n'
    )
    b = fed2(*imports, version="2.5") + (
        'type T @key(fields: "id") {\n  id: ID!\n'
        '  s: String @shareable @requiresScopes(scopes: [["b"], ["c"]])\n}\n'
    )
    sdl = compose_sdls(a=a, b=b)
    assert '  s: String @requiresScopes(scopes: [["a", "b"], ["a", "c"]])' in sdl
    assert "  @authenticated" in definition(sdl, "interface R")


def test_cost_directives_are_carried_with_their_spec() -> None:
    a = fed2("cost", "listSize", version="2.9") + (
        "type Query {\n"
        '  items(first: Int): [Int] @listSize(slicingArguments: ["first"]) @cost(weight: 4)\n'
        "}\n"
    )
    sdl = compose_sdls(a=a)
    assert '@link(url: "https://specs.apollo.dev/cost/v0.1", import: ["@listSize"])' in sdl
    assert '@listSize(slicingArguments: ["first"]) @cost(weight: 4)' in sdl
    assert '@link(url: "https://specs.apollo.dev/join/v0.5", for: EXECUTION)' in sdl


# -- Federation 1 subgraphs --------------------------------------------------------------------


def test_federation1_subgraphs_are_upgraded() -> None:
    fed1 = (
        "type Query { me: User }\n"
        'extend type User @key(fields: "id") {\n'
        "  id: ID! @external\n  reviews: [String]\n  legacy: String @external\n}\n"
        "type Address { city: String }\n"
    )
    fed2_users = fed2("key", "shareable") + (
        'type Query { user: User }\ntype User @key(fields: "id") { id: ID! name: String }\n'
        "type Address @shareable { city: String }\n"
    )
    sdl = compose_sdls(reviews=fed1, users=fed2_users)
    user = definition(sdl, "type User")
    assert '@join__type(graph: REVIEWS, key: "id")' in user
    assert "legacy" not in user
    assert "  reviews: [String] @join__field(graph: REVIEWS)" in user
    assert "type Address\n  @join__type(graph: REVIEWS)\n  @join__type(graph: USERS)" in sdl


def test_subgraph_links_may_rename_and_namespace_imports() -> None:
    renamed = (
        'extend schema @link(url: "https://specs.apollo.dev/federation/v2.3",'
        ' import: [{name: "@key", as: "@id"}])\n'
        'type Query { t: T }\ntype T @id(fields: "id") { id: ID! a: Int }\n'
    )
    namespaced = (
        'extend schema @link(url: "https://specs.apollo.dev/federation/v2.3", as: "fed")\n'
        'type T @fed__key(fields: "id") { id: ID! b: Int }\n'
    )
    body = definition(compose_sdls(a=renamed, b=namespaced), "type T")
    assert '@join__type(graph: A, key: "id")' in body
    assert '@join__type(graph: B, key: "id")' in body


def test_executable_directives_keep_the_intersection() -> None:
    a = fed2() + "directive @trace(level: Int) repeatable on FIELD | QUERY\ntype Query { a: Int }\n"
    b = fed2() + "directive @trace(level: Int) on FIELD\ntype Query { b: Int }\n"
    c = fed2() + "directive @only on FIELD\ntype Query { c: Int }\n"
    sdl = compose_sdls(a=a, b=b, c=c)
    assert "directive @only" not in sdl
    assert "directive @trace" not in sdl
    sdl = compose_sdls(a=a, b=b)
    assert "directive @trace(level: Int) on FIELD\n" in sdl
