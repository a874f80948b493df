"""State shared by the merge steps: subgraphs, the supergraph being built, errors and hints."""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from typing import Any, TypeVar

from graphql import parse
from graphql.language import DirectiveDefinitionNode, Node

from gateway.composition.errors import CompositionError, ErrorCode, SourceLocation, locations_of
from gateway.composition.metadata import FederationMetadata
from gateway.composition.model import Directive, InputValue, Schema, TypeDef
from gateway.composition.specs import ComposedSpec, Version
from gateway.composition.subgraph import Subgraph
from gateway.composition.typeref import from_ast
from gateway.composition.values import EnumLiteral, ast_value

__all__ = [
    "ComposedDirective",
    "EnumUsage",
    "Hint",
    "MergeContext",
    "Sources",
    "join_directive",
    "subgraph_list",
]

T = TypeVar("T")
#: per subgraph index, the element in that subgraph (``None``: the subgraph has the parent only)
Sources = dict[int, T | None]


@dataclass(frozen=True, slots=True)
class Hint:
    """A non-fatal composition remark (inconsistent but mergeable definitions, ...)."""

    code: str
    message: str


@dataclass(slots=True)
class ComposedDirective:
    """A spec directive carried into the supergraph under ``name``."""

    canonical: str
    name: str
    spec: ComposedSpec
    arguments: dict[str, InputValue]
    repeatable: bool


@dataclass(slots=True)
class EnumUsage:
    """Where an enum is used: ``Input``, ``Output`` or ``Both``, with an example of each."""

    position: str
    examples: dict[str, str] = field(default_factory=dict)


def subgraph_list(names: Sequence[str]) -> str:
    """``subgraph "a"`` / ``subgraphs "a", "b" and "c"``."""
    quoted = [f'"{n}"' for n in names]
    if len(quoted) == 1:
        return f"subgraph {quoted[0]}"
    return "subgraphs " + ", ".join(quoted[:-1]) + " and " + quoted[-1]


def join_directive(name: str, **arguments: Any) -> Directive:
    """A ``@join__*`` application; ``None`` arguments are left out, order is kept."""
    return Directive(
        name=f"join__{name}",
        args={k: ast_value(v) for k, v in arguments.items() if v is not None},
    )


_SANITIZE = re.compile(r"\W")


def graph_enum_names(names: Sequence[str]) -> dict[str, str]:
    """The ``join__Graph`` value of each subgraph name (sanitized, upper-cased, made unique)."""

    def sanitize(name: str) -> str:
        value = _SANITIZE.sub("_", name)
        if value[:1].isdigit():
            value = "_" + value
        if re.search(r"_\d+$", value):
            value += "_"
        return value.upper()

    by_value: dict[str, list[str]] = {}
    for name in names:
        by_value.setdefault(sanitize(name), []).append(name)
    result: dict[str, str] = {}
    for value, owners in by_value.items():
        if len(owners) == 1:
            result[owners[0]] = value
        else:
            for i, owner in enumerate(owners, start=1):
                result[owner] = f"{value}_{i}"
    return result


def parse_directive_definition(sdl: str) -> tuple[dict[str, InputValue], bool]:
    """Arguments and repeatability of one directive definition written in SDL."""
    node = parse(sdl, no_location=True).definitions[0]
    assert isinstance(node, DirectiveDefinitionNode)
    arguments = {
        a.name.value: InputValue(a.name.value, from_ast(a.type), a.default_value)
        for a in node.arguments or ()
    }
    return arguments, node.repeatable


@dataclass
class MergeContext:
    """Everything the merge steps read and write."""

    subgraphs: list[Subgraph]
    federation_version: Version
    merged: Schema = field(default_factory=Schema)
    errors: list[CompositionError] = field(default_factory=list)
    hints: list[Hint] = field(default_factory=list)
    composed: dict[str, ComposedDirective] = field(default_factory=dict)
    enum_usages: dict[str, EnumUsage] = field(default_factory=dict)
    #: (directive names, sources, destination) to merge once every element exists
    pending_directives: list[tuple[list[str], Sources[Any], Any]] = field(default_factory=list)
    #: coordinates of fields with @override in some subgraph
    overridden: set[str] = field(default_factory=set)
    #: supergraph elements removed during merge (their pending directives are skipped)
    removed: set[int] = field(default_factory=set)
    #: "<coordinate>_<directive>" -> subgraph elements whose access control propagates there
    access_sources: dict[str, list[Any]] | None = None

    def __post_init__(self) -> None:
        self.names = [s.name for s in self.subgraphs]
        self.graph_names = graph_enum_names(self.names)

    # -- lookups ---------------------------------------------------------------------------

    def metadata(self, index: int) -> FederationMetadata:
        """Federation metadata of subgraph ``index``."""
        return self.subgraphs[index].metadata()

    def schema(self, index: int) -> Schema:
        """Schema of subgraph ``index``."""
        return self.subgraphs[index].schema

    def graph(self, index: int) -> EnumLiteral:
        """The ``join__Graph`` value of subgraph ``index``."""
        return EnumLiteral(self.graph_names[self.names[index]])

    def type_sources(self, dest: TypeDef) -> Sources[TypeDef]:
        """``dest`` in each subgraph (same kind; an @interfaceObject counts as an interface)."""
        sources: Sources[TypeDef] = {}
        for index, subgraph in enumerate(self.subgraphs):
            own = subgraph.schema.type(dest.name)
            if own is None:
                sources[index] = None
                continue
            kind = "InterfaceType" if self.metadata(index).is_interface_object(own) else own.kind
            sources[index] = own if kind == dest.kind else None
        return sources

    @property
    def inaccessible(self) -> str | None:
        """The supergraph name of @inaccessible, when some subgraph uses it."""
        for directive in self.composed.values():
            if directive.canonical == "inaccessible":
                return directive.name
        return None

    def is_inaccessible(self, element: Any) -> bool:
        """Whether a supergraph element carries @inaccessible."""
        name = self.inaccessible
        return name is not None and any(d.name == name for d in element.directives)

    # -- reporting -------------------------------------------------------------------------

    def locations(self, pairs: Iterable[tuple[int, Node | None]]) -> tuple[SourceLocation, ...]:
        """Source locations of (subgraph index, AST node) pairs."""
        found: list[SourceLocation] = []
        for index, node in pairs:
            found.extend(locations_of(self.names[index], [node]))
        return tuple(found)

    def error(
        self,
        code: ErrorCode,
        message: str,
        nodes: Iterable[tuple[int, Node | None]] = (),
        subgraph: int | None = None,
    ) -> None:
        """Record an error (``subgraph``: the single subgraph it belongs to, if any)."""
        owner = self.names[subgraph] if subgraph is not None else None
        self.errors.append(CompositionError(code, message, owner, self.locations(nodes)))

    def hint(self, code: str, message: str) -> None:
        """Record a hint."""
        self.hints.append(Hint(code, message))

    def mismatch(
        self,
        sources: Sources[T],
        describe: Callable[[T], str | None],
        supergraph_value: str | None,
        supergraph_printer: Callable[[str, str | None], str] = lambda v, s: f"{v} in {s}",
        other_printer: Callable[[str, str], str] = lambda v, s: f"{v} in {s}",
        include_missing: bool = False,
    ) -> tuple[list[str], list[tuple[int, Node | None]]]:
        """Group subgraphs by ``describe(element)``; the supergraph's group first."""
        groups: dict[str, list[str]] = {}
        nodes: list[tuple[int, Node | None]] = []
        for index in range(len(self.names)) if include_missing else list(sources):
            element = sources.get(index)
            if element is None:
                if include_missing:
                    groups.setdefault("", []).append(self.names[index])
                continue
            groups.setdefault(describe(element) or "", []).append(self.names[index])
            nodes.append((index, getattr(element, "node", None)))
        first = supergraph_value or ""
        parts = [
            supergraph_printer(first, subgraph_list(groups[first]) if first in groups else None)
        ]
        parts += [other_printer(v, subgraph_list(n)) for v, n in groups.items() if v != first]
        return parts, nodes

    def mismatch_error(
        self,
        code: ErrorCode,
        message: str,
        sources: Sources[T],
        describe: Callable[[T], str | None],
        supergraph_value: str | None,
    ) -> None:
        """Report that subgraphs disagree (``it has X in subgraph "a" but Y in subgraph "b"``)."""
        parts, nodes = self.mismatch(sources, describe, supergraph_value)
        text = parts[0] if len(parts) == 1 else " and ".join(parts[:-1]) + " but " + parts[-1]
        self.error(code, message + text, nodes)


def composed_directive(canonical: str, name: str, spec: ComposedSpec) -> ComposedDirective:
    """Describe a composed spec directive from its definition template."""
    arguments, repeatable = parse_directive_definition(
        spec.directives[canonical]
        .replace("{name}", name)
        .format(Scope="requiresScopes__Scope", Policy="policy__Policy")
    )
    return ComposedDirective(canonical, name, spec, arguments, repeatable)
