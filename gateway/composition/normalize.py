"""Normalize a supergraph SDL so that two supergraphs can be compared for equivalence.

Layout and order carry no meaning in a supergraph: definitions, fields, enum values, union
members, implemented interfaces and applied directives are sorted; directive arguments are
sorted by name and printed canonically; descriptions are dropped. Two supergraphs are
equivalent when their normalized forms are equal.
"""

from __future__ import annotations

from typing import Any

from graphql import parse
from graphql.language import (
    ConstDirectiveNode,
    DefinitionNode,
    DirectiveDefinitionNode,
    DocumentNode,
    EnumTypeDefinitionNode,
    FieldDefinitionNode,
    InputObjectTypeDefinitionNode,
    InputValueDefinitionNode,
    InterfaceTypeDefinitionNode,
    ObjectTypeDefinitionNode,
    ScalarTypeDefinitionNode,
    SchemaDefinitionNode,
    UnionTypeDefinitionNode,
    print_ast,
)

from gateway.composition.values import print_value

__all__ = ["equivalent", "normalize_supergraph"]


def _directive(node: ConstDirectiveNode) -> str:
    arguments = sorted((a.name.value, print_value(a.value)) for a in node.arguments or ())
    inner = ", ".join(f"{name}: {value}" for name, value in arguments)
    return f"@{node.name.value}({inner})" if inner else f"@{node.name.value}"


def _directives(nodes: Any) -> str:
    return "".join(" " + d for d in sorted(_directive(n) for n in nodes or ()))


def _input_value(node: InputValueDefinitionNode) -> str:
    default = f" = {print_value(node.default_value)}" if node.default_value else ""
    return f"{node.name.value}: {print_ast(node.type)}{default}{_directives(node.directives)}"


def _arguments(nodes: Any) -> str:
    if not nodes:
        return ""
    return "(" + ", ".join(sorted(_input_value(a) for a in nodes)) + ")"


def _field(node: FieldDefinitionNode) -> str:
    return (
        f"  {node.name.value}{_arguments(node.arguments)}: {print_ast(node.type)}"
        f"{_directives(node.directives)}"
    )


def _definition(node: DefinitionNode) -> tuple[str, str]:
    if isinstance(node, SchemaDefinitionNode):
        roots = sorted(f"  {o.operation.value}: {o.type.name.value}" for o in node.operation_types)
        return "", "schema" + _directives(node.directives) + " {\n" + "\n".join(roots) + "\n}"
    if isinstance(node, DirectiveDefinitionNode):
        repeatable = " repeatable" if node.repeatable else ""
        locations = " | ".join(sorted(loc.value for loc in node.locations))
        text = (
            f"directive @{node.name.value}{_arguments(node.arguments)}{repeatable} on {locations}"
        )
        return "@" + node.name.value, text
    assert hasattr(node, "name")
    name = node.name.value
    directives = _directives(getattr(node, "directives", None))
    if isinstance(node, ScalarTypeDefinitionNode):
        return name, f"scalar {name}{directives}"
    if isinstance(node, UnionTypeDefinitionNode):
        members = " | ".join(sorted(t.name.value for t in node.types or ()))
        return name, f"union {name}{directives} = {members}"
    if isinstance(node, EnumTypeDefinitionNode):
        values = sorted(f"  {v.name.value}{_directives(v.directives)}" for v in node.values or ())
        return name, f"enum {name}{directives} {{\n" + "\n".join(values) + "\n}"
    if isinstance(node, InputObjectTypeDefinitionNode):
        fields = sorted("  " + _input_value(f) for f in node.fields or ())
        return name, f"input {name}{directives} {{\n" + "\n".join(fields) + "\n}"
    assert isinstance(node, ObjectTypeDefinitionNode | InterfaceTypeDefinitionNode)
    keyword = "type" if isinstance(node, ObjectTypeDefinitionNode) else "interface"
    interfaces = sorted(i.name.value for i in node.interfaces or ())
    implements = " implements " + " & ".join(interfaces) if interfaces else ""
    fields = sorted(_field(f) for f in node.fields or ())
    return name, f"{keyword} {name}{implements}{directives} {{\n" + "\n".join(fields) + "\n}"


def normalize_supergraph(sdl: str | DocumentNode) -> str:
    """The canonical text of a supergraph (see module docstring)."""
    document = parse(sdl, no_location=True) if isinstance(sdl, str) else sdl
    definitions = sorted(_definition(d) for d in document.definitions)
    return "\n\n".join(text for _, text in definitions) + "\n"


def equivalent(left: str, right: str) -> bool:
    """Whether two supergraph SDLs are equivalent after normalization."""
    return normalize_supergraph(left) == normalize_supergraph(right)
