"""Projection of merged data onto the client's selections, and in-place merging."""

from __future__ import annotations

from typing import Any

from graphql import OperationDefinitionNode, build_schema, parse

from gateway.execution.merge import build_representation, collect, deep_merge
from gateway.execution.shape import compile_shape, project
from gateway.planning import EntityInput, InputField, InputSelection
from gateway.planning.operation import normalize_selections

SCHEMA = build_schema(
    """
    type Query { items: [Item!]! maybe: Item one: Thing }
    interface Thing { id: ID! }
    type Item implements Thing { id: ID! name: String! color: Color tags: [String] }
    type Other implements Thing { id: ID! size: Int }
    enum Color { RED GREEN }
    """
)


def shaped(query: str, data: dict[str, Any], errors: list[dict[str, Any]] | None = None) -> Any:
    operation = parse(query).definitions[0]
    assert isinstance(operation, OperationDefinitionNode)
    selections = normalize_selections(operation.selection_set, {}, {})
    shape = compile_shape(SCHEMA, "Query", selections, root=True)
    found = [] if errors is None else errors
    return project(data, shape, found), found


def test_planner_added_fields_are_dropped_and_aliases_kept() -> None:
    data, errors = shaped(
        "{ items { n: name } }",
        {"items": [{"n": "a", "__typename": "Item", "id": "1"}]},
    )
    assert data == {"items": [{"n": "a"}]}
    assert errors == []


def test_non_null_violation_bubbles_to_the_nearest_nullable_parent() -> None:
    data, errors = shaped("{ maybe { id name } }", {"maybe": {"id": "1", "name": None}})
    assert data == {"maybe": None}
    assert errors == [
        {
            "message": "Cannot return null for non-nullable field Item.name.",
            "path": ["maybe", "name"],
            "extensions": {"code": "RESPONSE_VALIDATION_FAILED"},
        }
    ]


def test_violation_inside_a_non_null_list_nulls_the_whole_response() -> None:
    data, errors = shaped("{ items { name } }", {"items": [{"name": "a"}, {"name": None}]})
    assert data is None
    assert errors[0]["path"] == ["items", 1, "name"]


def test_violation_already_reported_by_a_subgraph_adds_no_error() -> None:
    subgraph_error = {"message": "boom", "path": ["maybe", "name"]}
    data, errors = shaped("{ maybe { name } }", {"maybe": {"name": None}}, [subgraph_error])
    assert data == {"maybe": None}
    assert errors == [subgraph_error]


def test_unknown_enum_value_becomes_null_with_an_error() -> None:
    data, errors = shaped("{ maybe { color } }", {"maybe": {"color": "BLUE"}})
    assert data == {"maybe": {"color": None}}
    assert errors[0]["path"] == ["maybe", "color"]
    assert errors[0]["extensions"] == {"code": "RESPONSE_VALIDATION_FAILED"}


def test_type_conditions_follow_the_runtime_typename() -> None:
    query = "{ one { __typename id ... on Item { name } ... on Other { size } } }"
    item, _ = shaped(query, {"one": {"__typename": "Item", "id": "1", "name": "n", "size": 3}})
    assert item == {"one": {"__typename": "Item", "id": "1", "name": "n"}}
    other, _ = shaped(query, {"one": {"__typename": "Other", "id": "2", "size": 3}})
    assert other == {"one": {"__typename": "Other", "id": "2", "size": 3}}


def test_object_of_a_type_clients_cannot_see_is_null() -> None:
    data, _ = shaped("{ one { id } }", {"one": {"__typename": "Hidden", "id": "1"}})
    assert data == {"one": None}


def test_deep_merge_merges_objects_and_lists_in_place() -> None:
    target: dict[str, Any] = {"a": [{"id": 1}, {"id": 2}], "b": {"x": 1}, "__typename": "Item"}
    deep_merge(target, {"a": [{"n": "one"}, {"n": "two"}], "b": {"y": 2}}, frozenset())
    assert target == {
        "a": [{"id": 1, "n": "one"}, {"id": 2, "n": "two"}],
        "b": {"x": 1, "y": 2},
        "__typename": "Item",
    }
    deep_merge(target, {"__typename": "Thing"}, frozenset({"Thing"}))
    assert target["__typename"] == "Item"  # an interface name never hides the concrete type


def test_collect_walks_lists_and_skips_nulls() -> None:
    data = {"items": [{"p": {"id": 1}}, None, {"p": None}, {"p": {"id": 2}}]}
    assert collect(data, ("items", "@", "p")) == [{"id": 1}, {"id": 2}]


def test_representation_reads_renamed_and_nested_fields() -> None:
    entity_input = EntityInput(
        "Item",
        "Thing",
        InputSelection(
            (
                InputField("id", "id"),
                InputField(
                    "price", "_og_price_1", InputSelection((InputField("amount", "amount"),))
                ),
            )
        ),
    )
    value = {"__typename": "Item", "id": "1", "_og_price_1": {"amount": 5, "extra": 1}}
    assert build_representation(value, entity_input) == {
        "__typename": "Thing",
        "id": "1",
        "price": {"amount": 5},
    }
    assert build_representation({"__typename": "Item"}, entity_input) is None
