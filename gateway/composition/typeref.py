"""Type references (``[Product!]!``) as small immutable values that compare by structure."""

from __future__ import annotations

from dataclasses import dataclass

from graphql.language import ListTypeNode, NamedTypeNode, NonNullTypeNode, TypeNode

__all__ = [
    "ListRef",
    "NamedRef",
    "NonNullRef",
    "TypeRef",
    "base_name",
    "from_ast",
    "parse_type_ref",
]


@dataclass(frozen=True, slots=True)
class NamedRef:
    """A reference to a named type."""

    name: str

    def __str__(self) -> str:
        return self.name


@dataclass(frozen=True, slots=True)
class ListRef:
    """A list of ``of``."""

    of: TypeRef

    def __str__(self) -> str:
        return f"[{self.of}]"


@dataclass(frozen=True, slots=True)
class NonNullRef:
    """A non-null ``of``."""

    of: NamedRef | ListRef

    def __str__(self) -> str:
        return f"{self.of}!"


TypeRef = NamedRef | ListRef | NonNullRef


def from_ast(node: TypeNode) -> TypeRef:
    """Convert a graphql-core type node."""
    if isinstance(node, NonNullTypeNode):
        inner = from_ast(node.type)
        assert not isinstance(inner, NonNullRef)
        return NonNullRef(inner)
    if isinstance(node, ListTypeNode):
        return ListRef(from_ast(node.type))
    assert isinstance(node, NamedTypeNode)
    return NamedRef(node.name.value)


def parse_type_ref(text: str) -> TypeRef:
    """Parse ``[Int!]!``-style text."""
    from graphql.language import parse_type

    return from_ast(parse_type(text))


def base_name(ref: TypeRef) -> str:
    """The named type at the bottom of ``ref``."""
    while not isinstance(ref, NamedRef):
        ref = ref.of
    return ref.name


def rename_base(ref: TypeRef, renames: dict[str, str]) -> TypeRef:
    """``ref`` with its named type renamed through ``renames`` (unchanged when absent)."""
    if isinstance(ref, NamedRef):
        return NamedRef(renames.get(ref.name, ref.name))
    if isinstance(ref, ListRef):
        return ListRef(rename_base(ref.of, renames))
    inner = rename_base(ref.of, renames)
    assert not isinstance(inner, NonNullRef)
    return NonNullRef(inner)


def is_list(ref: TypeRef) -> bool:
    """Whether ``ref`` is a list (nullable or not)."""
    return isinstance(ref.of if isinstance(ref, NonNullRef) else ref, ListRef)
