"""The compiled projection answers exactly like the generic walk (values, key order, errors)."""

from __future__ import annotations

import random
from typing import Any

import orjson
import pytest
from graphql import FragmentDefinitionNode, OperationDefinitionNode, build_schema, parse

from gateway.execution import shaper as shaper_module
from gateway.execution.shape import FieldShape, ObjectShape, compile_shape, project
from gateway.planning.operation import normalize_selections

SCHEMA = build_schema(
    """
    type Query {
      items: [Item!]!
      maybe: Item
      one: Thing
      things: [Thing]
      grid: [[Int!]]!
      colors: [Color!]
      must: Item!
      results: [Result!]
    }
    interface Thing { id: ID! }
    type Item implements Thing {
      id: ID!
      name: String!
      color: Color
      strict: Color!
      tags: [String]
      parts: [Item]
      next: Item!
    }
    type Other implements Thing { id: ID! size: Int owner: Item }
    type Hidden implements Thing { id: ID! }
    union Result = Item | Other
    enum Color { RED GREEN }
    """
)

QUERIES = [
    # aliases, __typename, planner-added keys dropped, field order of the selection
    "{ items { __typename n: name id tags } maybe { color name id } }",
    # fragments on an interface and on its implementations, merged selections
    """{ one { __typename id ... on Item { name parts { id n2: name } } ... on Other { size
         owner { id color } } } things { ... on Thing { id } ... on Item { strict } } }""",
    # non-null positions at every depth, nested lists, enums in lists
    "{ must { next { next { id name } } strict } grid colors items { parts { next { id } } } }",
    # unions, typename only, the same key selected twice
    """{ results { __typename ... on Item { id id name } ... on Other { id size } }
         one { __typename } maybe { parts { parts { color tags } } } }""",
    # fragments and aliases of the same field with different sub-selections
    """query Q { a: maybe { ...F } b: maybe { id } ...R }
       fragment F on Item { id next { id ... on Item { color } } }
       fragment R on Query { must { ...F name } }""",
]


def _shape(query: str) -> ObjectShape:
    document = parse(query)
    operation = document.definitions[0]
    assert isinstance(operation, OperationDefinitionNode)
    fragments = {
        d.name.value: d for d in document.definitions if isinstance(d, FragmentDefinitionNode)
    }
    selections = normalize_selections(operation.selection_set, fragments, {})
    return compile_shape(SCHEMA, "Query", selections, root=True)


def _value(field: FieldShape, level: int, rng: random.Random) -> Any:
    roll = rng.random()
    if roll < 0.08:
        return None
    if roll < 0.11:  # the wrong kind of value
        return rng.choice(["text", 7, {"x": 1}, [1]])
    if level + 1 < len(field.non_null):
        return [_value(field, level + 1, rng) for _ in range(rng.randrange(4))]
    if field.child is not None:
        return _object(field.child, rng)
    if field.enum_values is not None:
        return rng.choice([*sorted(field.enum_values), "BLUE"])
    return rng.choice(["s", 1, True, 2.5])


def _object(shape: ObjectShape, rng: random.Random) -> dict[str, Any]:
    if shape.static_type is not None:
        runtime: str | None = shape.static_type
        fields = shape.by_type[shape.static_type]
    else:
        runtime = rng.choice([*sorted(shape.by_type), "Hidden", "Thing", None])
        fields = shape.by_type.get(runtime or "", shape.default)
    out: dict[str, Any] = {"__typename": runtime, "planner_added": 1}
    if runtime is None:
        del out["__typename"]
    for field in rng.sample(fields, len(fields)):  # merged data comes in any key order
        if field.name == "__typename":
            continue
        if rng.random() < 0.03:
            continue  # missing altogether
        out[field.key] = _value(field, 0, rng)
    return out


def _both(shape: ObjectShape, data: dict[str, Any]) -> tuple[Any, Any]:
    generic_errors: list[dict[str, Any]] = []
    compiled_errors: list[dict[str, Any]] = []
    generic = project(data, shape, generic_errors, generic=True)
    compiled = project(data, shape, compiled_errors)
    return (orjson.dumps(generic), generic_errors), (orjson.dumps(compiled), compiled_errors)


@pytest.mark.parametrize("query", QUERIES)
def test_compiled_projection_equals_the_generic_walk_on_varied_data(query: str) -> None:
    shape = _shape(query)
    rng = random.Random(query)
    violations = 0
    for _ in range(400):
        data = _object(shape, rng)
        generic, compiled = _both(shape, data)
        assert compiled == generic, data
        violations += bool(generic[1])
    assert shape.shaper is not None  # the compiled one really ran
    assert 0 < violations < 400  # the data exercised both clean and violating answers


def test_compiled_projection_keeps_selection_order_aliases_and_typename() -> None:
    shape = _shape("{ one { __typename ... on Item { b: name a: id } ... on Other { size } } }")
    errors: list[dict[str, Any]] = []
    data = {"one": {"a": "1", "size": 2, "name": "n", "__typename": "Item", "b": "n", "x": 0}}
    result = project(data, shape, errors)
    assert result is not None
    assert list(result["one"].items()) == [("__typename", "Item"), ("b", "n"), ("a", "1")]
    result = project({"one": {"size": 2, "id": "1", "__typename": "Other"}}, shape, errors)
    assert result is not None
    assert list(result["one"].items()) == [("__typename", "Other"), ("size", 2)]
    assert errors == []
    result = project({"one": {"a": "1", "__typename": "Item"}}, shape, errors)
    assert result == {"one": None}
    assert [e["path"] for e in errors] == [["one", "b"]]


def test_compiled_projection_bubbles_nulls_with_paths_through_lists() -> None:
    shape = _shape("{ maybe { parts { next { id } } } items { name } }")
    errors: list[dict[str, Any]] = []
    data = {
        "maybe": {"parts": [{"next": {"id": "1"}}, {"next": None}]},
        "items": [{"name": "a"}],
    }
    result = project(data, shape, errors)
    assert result == {"maybe": {"parts": [{"next": {"id": "1"}}, None]}, "items": [{"name": "a"}]}
    assert [e["path"] for e in errors] == [["maybe", "parts", 1, "next"]]


def test_shapes_above_the_size_limit_keep_the_generic_walk(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setattr(shaper_module, "MAX_FIELDS", 2)
    shape = _shape("{ items { id name tags } }")
    errors: list[dict[str, Any]] = []
    result = project({"items": [{"id": "1", "name": "n", "tags": None}]}, shape, errors)
    assert result == {"items": [{"id": "1", "name": "n", "tags": None}]}
    assert shape.compiled and shape.shaper is None
