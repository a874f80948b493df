"""A small mutable schema model shared by subgraphs and the supergraph being built.

graphql-core parses and prints; this model holds what composition needs and graphql-core's
schema objects do not keep: which extension block an element came from, applied directives in
source order, and the AST node of every element (for error locations).

``origin`` is 0 for elements of a type's definition and ``k`` for elements of its k-th
``extend`` block; Federation 1 treats extensions specially and @shareable on a type only covers
the fields of the same block.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, field, replace
from enum import StrEnum
from typing import Any

from graphql.language import ConstValueNode, Node
from graphql.utilities import value_from_ast_untyped

from gateway.composition.typeref import TypeRef

__all__ = [
    "Directive",
    "DirectiveDefinition",
    "EnumValue",
    "Field",
    "InputValue",
    "Schema",
    "TypeDef",
    "TypeKind",
]


class TypeKind(StrEnum):
    """The kind of a named type."""

    OBJECT = "ObjectType"
    INTERFACE = "InterfaceType"
    UNION = "UnionType"
    ENUM = "EnumType"
    INPUT_OBJECT = "InputObjectType"
    SCALAR = "ScalarType"

    @property
    def label(self) -> str:
        """Human form (``Object Type``)."""
        return self.value.replace("Type", " Type")


@dataclass(eq=False, slots=True)
class Directive:
    """An applied directive. ``kind`` is its canonical federation/spec name, if it has one."""

    name: str
    args: dict[str, ConstValueNode] = field(default_factory=dict)
    node: Node | None = None
    origin: int = 0
    kind: str | None = None

    def value(self, argument: str) -> Any:
        """The Python value of ``argument`` (``None`` when absent)."""
        node = self.args.get(argument)
        return None if node is None else value_from_ast_untyped(node)

    def values(self) -> dict[str, Any]:
        """All arguments as Python values."""
        return {name: value_from_ast_untyped(node) for name, node in self.args.items()}


@dataclass(eq=False, slots=True)
class InputValue:
    """A field argument or a directive-definition argument."""

    name: str
    type: TypeRef
    default: ConstValueNode | None = None
    description: str | None = None
    directives: list[Directive] = field(default_factory=list)
    node: Node | None = None
    parent: str = ""

    @property
    def coordinate(self) -> str:
        """``Type.field(arg:)`` style coordinate."""
        return f"{self.parent}({self.name}:)"

    @property
    def is_required(self) -> bool:
        """Non-null without a default value."""
        from gateway.composition.typeref import NonNullRef

        return isinstance(self.type, NonNullRef) and self.default is None


@dataclass(eq=False, slots=True)
class Field:
    """A field of an object/interface type, or an input field (which may have a default)."""

    name: str
    type: TypeRef
    parent: str
    args: dict[str, InputValue] = field(default_factory=dict)
    directives: list[Directive] = field(default_factory=list)
    description: str | None = None
    default: ConstValueNode | None = None
    origin: int = 0
    node: Node | None = None

    @property
    def coordinate(self) -> str:
        """``Type.field``."""
        return f"{self.parent}.{self.name}"

    @property
    def is_required(self) -> bool:
        """For input fields: non-null without a default value."""
        from gateway.composition.typeref import NonNullRef

        return isinstance(self.type, NonNullRef) and self.default is None

    def has(self, kind: str) -> bool:
        """Whether a directive of canonical ``kind`` is applied."""
        return any(d.kind == kind for d in self.directives)

    def applied(self, kind: str) -> list[Directive]:
        """The applications of canonical ``kind``."""
        return [d for d in self.directives if d.kind == kind]


@dataclass(eq=False, slots=True)
class EnumValue:
    """A value of an enum type."""

    name: str
    parent: str
    description: str | None = None
    directives: list[Directive] = field(default_factory=list)
    origin: int = 0
    node: Node | None = None

    @property
    def coordinate(self) -> str:
        """``Enum.VALUE``."""
        return f"{self.parent}.{self.name}"


@dataclass(eq=False, slots=True)
class TypeDef:
    """A named type with its definition and all its extensions folded together."""

    kind: TypeKind
    name: str
    description: str | None = None
    directives: list[Directive] = field(default_factory=list)
    fields: dict[str, Field] = field(default_factory=dict)
    interfaces: list[str] = field(default_factory=list)
    members: list[str] = field(default_factory=list)
    values: dict[str, EnumValue] = field(default_factory=dict)
    has_definition: bool = False
    has_extension: bool = False
    nodes: list[Node] = field(default_factory=list)

    @property
    def node(self) -> Node | None:
        """The first AST node (definition, else first extension)."""
        return self.nodes[0] if self.nodes else None

    @property
    def is_composite(self) -> bool:
        """Object, interface or union."""
        return self.kind in (TypeKind.OBJECT, TypeKind.INTERFACE, TypeKind.UNION)

    @property
    def has_fields(self) -> bool:
        """Object, interface or input object."""
        return self.kind in (TypeKind.OBJECT, TypeKind.INTERFACE, TypeKind.INPUT_OBJECT)

    def has(self, kind: str) -> bool:
        """Whether a directive of canonical ``kind`` is applied."""
        return any(d.kind == kind for d in self.directives)

    def applied(self, kind: str) -> list[Directive]:
        """The applications of canonical ``kind``."""
        return [d for d in self.directives if d.kind == kind]


@dataclass(eq=False, slots=True)
class DirectiveDefinition:
    """A directive definition."""

    name: str
    locations: list[str] = field(default_factory=list)
    args: dict[str, InputValue] = field(default_factory=dict)
    repeatable: bool = False
    description: str | None = None
    node: Node | None = None

    @property
    def coordinate(self) -> str:
        """``@name``."""
        return f"@{self.name}"


@dataclass(eq=False, slots=True)
class Schema:
    """Named types, directive definitions, root operation types and schema directives."""

    types: dict[str, TypeDef] = field(default_factory=dict)
    directive_definitions: dict[str, DirectiveDefinition] = field(default_factory=dict)
    roots: dict[str, str] = field(default_factory=dict)
    schema_directives: list[Directive] = field(default_factory=list)
    description: str | None = None

    def clone(self) -> Schema:
        """A copy whose model objects can be modified freely (AST nodes are shared)."""

        def directives(items: list[Directive]) -> list[Directive]:
            return [replace(d, args=dict(d.args)) for d in items]

        def input_value(value: InputValue) -> InputValue:
            return replace(value, directives=directives(value.directives))

        def field_copy(f: Field) -> Field:
            return replace(
                f,
                directives=directives(f.directives),
                args={k: input_value(v) for k, v in f.args.items()},
            )

        types = {
            name: replace(
                t,
                directives=directives(t.directives),
                fields={k: field_copy(f) for k, f in t.fields.items()},
                interfaces=list(t.interfaces),
                members=list(t.members),
                values={
                    k: replace(v, directives=directives(v.directives)) for k, v in t.values.items()
                },
                nodes=list(t.nodes),
            )
            for name, t in self.types.items()
        }
        return Schema(
            types=types,
            directive_definitions=dict(self.directive_definitions),
            roots=dict(self.roots),
            schema_directives=directives(self.schema_directives),
            description=self.description,
        )

    def type(self, name: str) -> TypeDef | None:
        """The type called ``name``, if any."""
        return self.types.get(name)

    def of_kind(self, kind: TypeKind) -> Iterator[TypeDef]:
        """Types of ``kind``, in definition order."""
        return (t for t in self.types.values() if t.kind is kind)

    def field(self, type_name: str, field_name: str) -> Field | None:
        """``type_name.field_name`` if both exist."""
        owner = self.types.get(type_name)
        return None if owner is None else owner.fields.get(field_name)

    def root_kind_of(self, type_name: str) -> str | None:
        """``query``/``mutation``/``subscription`` if ``type_name`` is a root type."""
        for kind, name in self.roots.items():
            if name == type_name:
                return kind
        return None

    def implementations(self, interface: str) -> list[TypeDef]:
        """Object types implementing ``interface`` (directly)."""
        return [
            t
            for t in self.types.values()
            if t.kind is TypeKind.OBJECT and interface in t.interfaces
        ]

    def possible_types(self, name: str) -> list[TypeDef]:
        """Object types a value of composite type ``name`` can have at runtime."""
        owner = self.types.get(name)
        if owner is None:
            return []
        if owner.kind is TypeKind.OBJECT:
            return [owner]
        if owner.kind is TypeKind.UNION:
            return [self.types[m] for m in owner.members if m in self.types]
        if owner.kind is TypeKind.INTERFACE:
            return self.implementations(name)
        return []
