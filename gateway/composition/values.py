"""GraphQL values: building AST values, comparing them, and printing them as Apollo does."""

from __future__ import annotations

import json
from typing import Any

from graphql.language import (
    BooleanValueNode,
    ConstListValueNode,
    ConstObjectFieldNode,
    ConstObjectValueNode,
    ConstValueNode,
    EnumValueNode,
    FloatValueNode,
    IntValueNode,
    ListValueNode,
    NameNode,
    NullValueNode,
    ObjectValueNode,
    StringValueNode,
    ValueNode,
)

__all__ = [
    "EnumLiteral",
    "ast_value",
    "canonical",
    "parse_const_value",
    "print_value",
    "python_value",
    "same_value",
]


class EnumLiteral(str):
    """A Python string that stands for an enum value (printed unquoted)."""

    __slots__ = ()


def ast_value(value: Any) -> ConstValueNode:
    """Build an AST value from Python data (``EnumLiteral`` for enum values)."""
    if value is None:
        return NullValueNode()
    if isinstance(value, EnumLiteral):
        return EnumValueNode(value=str(value))
    if isinstance(value, bool):
        return BooleanValueNode(value=value)
    if isinstance(value, int):
        return IntValueNode(value=str(value))
    if isinstance(value, float):
        return FloatValueNode(value=repr(value))
    if isinstance(value, str):
        return StringValueNode(value=value)
    if isinstance(value, list | tuple):
        return ConstListValueNode(values=tuple(ast_value(v) for v in value))
    if isinstance(value, dict):
        return ConstObjectValueNode(
            fields=tuple(
                ConstObjectFieldNode(name=NameNode(value=k), value=ast_value(v))
                for k, v in value.items()
            )
        )
    raise TypeError(f"cannot convert {value!r} to a GraphQL value")


def python_value(node: ValueNode) -> Any:
    """Python data of an AST value; enum values become :class:`EnumLiteral`."""
    if isinstance(node, NullValueNode):
        return None
    if isinstance(node, EnumValueNode):
        return EnumLiteral(node.value)
    if isinstance(node, BooleanValueNode):
        return node.value
    if isinstance(node, IntValueNode):
        return int(node.value)
    if isinstance(node, FloatValueNode):
        return float(node.value)
    if isinstance(node, StringValueNode):
        return node.value
    if isinstance(node, ListValueNode):
        return [python_value(v) for v in node.values]
    if isinstance(node, ObjectValueNode):
        return {f.name.value: python_value(f.value) for f in node.fields}
    raise TypeError(f"variables are not allowed in schema values: {node}")


def canonical(node: ValueNode | None) -> Any:
    """A hashable form for equality (object fields unordered, enums distinct from strings)."""
    if node is None:
        return ("undefined",)
    if isinstance(node, EnumValueNode):
        return ("enum", node.value)
    if isinstance(node, ListValueNode):
        return ("list", tuple(canonical(v) for v in node.values))
    if isinstance(node, ObjectValueNode):
        return ("object", tuple(sorted((f.name.value, canonical(f.value)) for f in node.fields)))
    if isinstance(node, IntValueNode | FloatValueNode):
        return ("number", float(node.value))
    if isinstance(node, NullValueNode):
        return ("null",)
    return (type(node).__name__, getattr(node, "value", None))


def same_value(left: ValueNode | None, right: ValueNode | None) -> bool:
    """Structural equality of two AST values (``None`` means absent)."""
    return bool(canonical(left) == canonical(right))


def print_value(node: ValueNode) -> str:
    """Print a value the way Apollo's composition prints it (``{a: 1, b: ["x"]}``)."""
    if isinstance(node, StringValueNode):
        return json.dumps(node.value, ensure_ascii=False)
    if isinstance(node, ListValueNode):
        return "[" + ", ".join(print_value(v) for v in node.values) + "]"
    if isinstance(node, ObjectValueNode):
        return "{" + ", ".join(f"{f.name.value}: {print_value(f.value)}" for f in node.fields) + "}"
    if isinstance(node, BooleanValueNode):
        return "true" if node.value else "false"
    if isinstance(node, NullValueNode):
        return "null"
    return str(getattr(node, "value", ""))


def parse_const_value(text: str) -> ConstValueNode:
    """Parse a constant GraphQL value (``"text"``, ``[1, 2]``...)."""
    from graphql.language import parse_const_value as parse

    return parse(text, no_location=True)
