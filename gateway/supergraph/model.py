"""The typed model of a supergraph: which subgraph defines which type, key and field.

A :class:`Supergraph` is built once per supergraph SDL by :func:`gateway.supergraph.load_supergraph`
(the SDL is parsed once) and never changes afterwards. It holds everything the gateway's readers
of a supergraph need: the planner reads its types and subgraphs; validation, execution and
authorization read its API schema; cost reads its schema; authorization and cost read the
directives written on its elements (:class:`~gateway.supergraph.directives.SchemaDirectives`).

A plain schema (no subgraphs, as in the IBM cost examples) loads into a :class:`PlainSchema`
with :func:`gateway.supergraph.load_schema`; both are a :class:`SchemaModel`, which is what the
authorizer and the cost model are built from.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Literal, Protocol

from graphql import GraphQLSchema

from gateway.supergraph.directives import SchemaDirectives

__all__ = [
    "FieldDef",
    "FieldInGraph",
    "KeyDef",
    "PlainSchema",
    "SchemaModel",
    "Subgraph",
    "Supergraph",
    "TypeDef",
    "TypeInGraph",
    "TypeKind",
]


class SchemaModel(Protocol):
    """A schema read once: as written, as clients see it, and the directives on it."""

    @property
    def schema(self) -> GraphQLSchema:
        """The schema as written (with the supergraph's join machinery)."""
        ...

    @property
    def api_schema(self) -> GraphQLSchema:
        """The schema clients see."""
        ...

    @property
    def directives(self) -> SchemaDirectives:
        """The authorization and cost directives of the schema."""
        ...


@dataclass(frozen=True, slots=True)
class PlainSchema:
    """A schema that is not a supergraph, read once (its API schema is itself)."""

    schema: GraphQLSchema
    directives: SchemaDirectives

    @property
    def api_schema(self) -> GraphQLSchema:
        """A plain schema is what clients see."""
        return self.schema


TypeKind = Literal["OBJECT", "INTERFACE", "UNION", "ENUM", "SCALAR", "INPUT_OBJECT"]


@dataclass(frozen=True, slots=True)
class Subgraph:
    """One subgraph: its ``join__Graph`` enum value, its name and its URL."""

    graph_id: str
    name: str
    url: str


@dataclass(frozen=True, slots=True)
class KeyDef:
    """One ``@key`` of an entity in one subgraph (``fields`` is the raw field set)."""

    fields: str
    resolvable: bool


@dataclass(slots=True)
class TypeInGraph:
    """How one subgraph defines a type (from ``@join__type``)."""

    graph: str
    keys: list[KeyDef] = field(default_factory=list)
    extension: bool = False
    is_interface_object: bool = False


@dataclass(frozen=True, slots=True)
class FieldInGraph:
    """How one subgraph defines a field (from ``@join__field``)."""

    graph: str
    external: bool = False
    requires: str | None = None
    provides: str | None = None
    type: str | None = None
    override: str | None = None
    override_label: str | None = None
    used_overridden: bool = False


@dataclass(slots=True)
class FieldDef:
    """A field of a composite type of the supergraph."""

    name: str
    parent: str
    #: the supergraph's type of the field, printed (``[Product!]!``)
    type_str: str
    #: the named type of the field
    type_name: str
    #: ``None`` when the field has no ``@join__field``: it is in every subgraph of its type
    graphs: dict[str, FieldInGraph] | None = None


@dataclass(slots=True)
class TypeDef:
    """A named type of the supergraph with its per-subgraph definitions."""

    name: str
    kind: TypeKind
    graphs: dict[str, TypeInGraph] = field(default_factory=dict)
    fields: dict[str, FieldDef] = field(default_factory=dict)
    #: interfaces implemented, per subgraph (from ``@join__implements``)
    implements: dict[str, set[str]] = field(default_factory=dict)
    #: union members per subgraph (from ``@join__unionMember``)
    union_members: dict[str, set[str]] = field(default_factory=dict)
    #: enum values per subgraph (from ``@join__enumValue``); empty when not recorded
    enum_values: dict[str, set[str]] = field(default_factory=dict)

    @property
    def is_composite(self) -> bool:
        """Whether values of this type have selections (object, interface, union)."""
        return self.kind in ("OBJECT", "INTERFACE", "UNION")

    @property
    def is_abstract(self) -> bool:
        """Whether this is an interface or a union."""
        return self.kind in ("INTERFACE", "UNION")


@dataclass(frozen=True, slots=True)
class Supergraph:
    """A loaded supergraph: subgraphs, types, the supergraph and API schemas and the
    authorization and cost directives."""

    sdl_hash: str
    subgraphs: dict[str, Subgraph]
    types: dict[str, TypeDef]
    schema: GraphQLSchema
    api_schema: GraphQLSchema
    directives: SchemaDirectives
    query_type: str = "Query"
    mutation_type: str | None = None
    subscription_type: str | None = None
    #: supergraph-wide possible concrete types of each abstract type
    possible: dict[str, frozenset[str]] = field(default_factory=dict)

    def subgraph_by_name(self, name: str) -> Subgraph | None:
        """The subgraph called ``name`` (its ``@join__graph(name:)``)."""
        for subgraph in self.subgraphs.values():
            if subgraph.name == name:
                return subgraph
        return None

    def type_in_graph(self, type_name: str, graph: str) -> TypeInGraph | None:
        """How ``graph`` defines ``type_name``, or ``None`` when it does not."""
        type_def = self.types.get(type_name)
        if type_def is None:
            return None
        return type_def.graphs.get(graph)

    def field_in_graph(self, type_name: str, field_name: str, graph: str) -> FieldInGraph | None:
        """How ``graph`` defines ``type_name.field_name``, or ``None`` when it does not."""
        type_def = self.types.get(type_name)
        if type_def is None or graph not in type_def.graphs:
            return None
        field_def = type_def.fields.get(field_name)
        if field_def is None:
            return None
        if field_def.graphs is None:
            return FieldInGraph(graph=graph)
        return field_def.graphs.get(graph)

    def possible_types(self, type_name: str, graph: str | None = None) -> frozenset[str]:
        """Concrete object types a value of ``type_name`` may have (in ``graph`` if given)."""
        type_def = self.types[type_name]
        if type_def.kind == "OBJECT":
            return frozenset((type_name,))
        every = self.possible.get(type_name, frozenset())
        if graph is None:
            return every
        if type_def.kind == "UNION":
            return frozenset(type_def.union_members.get(graph, set()))
        return frozenset(
            name
            for name in every
            if graph in self.types[name].graphs
            and type_name in self.types[name].implements.get(graph, set())
        )
