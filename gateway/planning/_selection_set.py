"""Mutable selection sets the planner fills while it builds subgraph operations."""

from __future__ import annotations

import hashlib

from graphql import ArgumentNode, VariableNode, print_ast
from graphql.language import Visitor, visit

__all__ = ["MField", "MSelectionSet", "internal_alias", "variables_in_arguments"]


def internal_alias(name: str, arguments_text: str) -> str:
    """A response key for a planner-added field with arguments that no client would pick."""
    digest = hashlib.sha1(arguments_text.encode()).hexdigest()[:8]
    return f"_og_{name}_{digest}"


class _VariableCollector(Visitor):
    def __init__(self) -> None:
        super().__init__()
        self.names: set[str] = set()

    def enter_variable(self, node: VariableNode, *_: object) -> None:
        self.names.add(node.name.value)


def variables_in_arguments(arguments: tuple[ArgumentNode, ...]) -> set[str]:
    """Names of the variables used in ``arguments``."""
    collector = _VariableCollector()
    for argument in arguments:
        visit(argument, collector)
    return collector.names


class MField:
    """A field of a subgraph operation under construction."""

    __slots__ = (
        "alias",
        "arguments",
        "arguments_text",
        "list_depth",
        "name",
        "print_alias",
        "selection",
    )

    def __init__(
        self,
        name: str,
        alias: str | None,
        arguments: tuple[ArgumentNode, ...],
        arguments_text: str,
        composite: bool,
        list_depth: int = 0,
    ) -> None:
        self.name = name
        self.alias = alias
        #: the alias sent to the subgraph when it differs from the response key (renamed back)
        self.print_alias: str | None = None
        self.list_depth = list_depth
        self.arguments = arguments
        self.arguments_text = arguments_text
        self.selection: MSelectionSet | None = MSelectionSet() if composite else None

    @property
    def response_key(self) -> str:
        """The key of this field in the subgraph's response."""
        return self.alias or self.name


class MSelectionSet:
    """Fields by response key, then inline fragments by type condition."""

    __slots__ = ("fields", "fragments")

    def __init__(self) -> None:
        self.fields: dict[str, MField] = {}
        self.fragments: dict[str, MSelectionSet] = {}

    def add_field(
        self,
        name: str,
        alias: str | None,
        arguments: tuple[ArgumentNode, ...],
        arguments_text: str,
        composite: bool,
        *,
        list_depth: int = 0,
        type_mismatch: bool = False,
    ) -> MField:
        """Add (or find) a field; a clashing response key gets an internal alias instead.

        ``type_mismatch`` (the subgraph types the field differently from the supergraph) sends
        the field under an internal alias, renamed back when the response arrives, so that
        sibling fragments never conflict in the subgraph's validation.
        """
        key = alias or name
        existing = self.fields.get(key)
        if existing is None:
            created = MField(name, alias, arguments, arguments_text, composite, list_depth)
            if type_mismatch:
                created.print_alias = internal_alias(name, arguments_text + "!" + key)
            self.fields[key] = created
            return created
        if existing.name == name and existing.arguments_text == arguments_text:
            if composite and existing.selection is None:
                existing.selection = MSelectionSet()
            return existing
        return self.add_field(
            name,
            internal_alias(name, arguments_text + key),
            arguments,
            arguments_text,
            composite,
            list_depth=list_depth,
            type_mismatch=type_mismatch,
        )

    def add_typename(self) -> None:
        """Select ``__typename`` here."""
        if "__typename" not in self.fields:
            self.fields["__typename"] = MField("__typename", None, (), "", False)

    def fragment(self, type_condition: str) -> MSelectionSet:
        """The inline fragment on ``type_condition`` (created on first use)."""
        found = self.fragments.get(type_condition)
        if found is None:
            found = self.fragments[type_condition] = MSelectionSet()
        return found

    def can_absorb(self, other: MSelectionSet) -> bool:
        """Whether ``other`` can be merged in without two different fields under one key."""
        for key, theirs in other.fields.items():
            mine = self.fields.get(key)
            if mine is None:
                continue
            if (mine.name, mine.arguments_text, mine.print_alias, mine.list_depth) != (
                theirs.name,
                theirs.arguments_text,
                theirs.print_alias,
                theirs.list_depth,
            ):
                return False
            if (mine.selection is None) != (theirs.selection is None):
                return False
            if (
                mine.selection is not None
                and theirs.selection is not None
                and not mine.selection.can_absorb(theirs.selection)
            ):
                return False
        for type_condition, fragment in other.fragments.items():
            found = self.fragments.get(type_condition)
            if found is not None and not found.can_absorb(fragment):
                return False
        return True

    def absorb(self, other: MSelectionSet) -> None:
        """Merge ``other`` in (check :meth:`can_absorb` first); ``other`` is not reused."""
        for key, theirs in other.fields.items():
            mine = self.fields.get(key)
            if mine is None:
                self.fields[key] = theirs
            elif mine.selection is not None and theirs.selection is not None:
                mine.selection.absorb(theirs.selection)
        for type_condition, fragment in other.fragments.items():
            found = self.fragments.get(type_condition)
            if found is None:
                self.fragments[type_condition] = fragment
            else:
                found.absorb(fragment)

    def is_empty(self) -> bool:
        """Whether nothing is selected."""
        return not self.fields and all(f.is_empty() for f in self.fragments.values())

    def variables(self, into: set[str]) -> set[str]:
        """Collect the variables used by arguments anywhere below."""
        for field in self.fields.values():
            if field.arguments:
                into |= variables_in_arguments(field.arguments)
            if field.selection is not None:
                field.selection.variables(into)
        for fragment in self.fragments.values():
            fragment.variables(into)
        return into

    def renames(
        self, path: tuple[str, ...], into: list[tuple[tuple[str, ...], str, str]]
    ) -> list[tuple[tuple[str, ...], str, str]]:
        """(path, sent key, response key) of every field sent under an internal alias."""
        for key, field in self.fields.items():
            if field.print_alias is not None:
                into.append((path, field.print_alias, key))
            if field.selection is not None:
                field.selection.renames((*path, key, *(["@"] * field.list_depth)), into)
        for fragment in self.fragments.values():
            fragment.renames(path, into)
        return into

    def print(self) -> str:
        """This selection set as compact GraphQL text, ``{...}`` included."""
        parts: list[str] = []
        for field in self.fields.values():
            alias = field.print_alias or field.alias
            text = f"{alias}:{field.name}" if alias else field.name
            if field.arguments:
                text += "(" + ",".join(print_ast(a) for a in field.arguments) + ")"
            if field.selection is not None:
                if field.selection.is_empty():
                    field.selection.add_typename()
                text += field.selection.print()
            parts.append(text)
        for type_condition, fragment in self.fragments.items():
            if not fragment.is_empty():
                parts.append(f"...on {type_condition}{fragment.print()}")
        if not parts:
            parts.append("__typename")
        return "{" + " ".join(parts) + "}"
