"""Federation 1 -> Federation 2: rewrite a subgraph without @link into its Federation 2 meaning.

Federation 1 had implicit rules that Federation 2 makes explicit. The upgrade applies them in
this order (each step may make a later one necessary):

1. reject a ``extend type`` whose type no subgraph defines (``EXTENSION_WITH_NO_BASE``);
2. coerce ``@key(fields: [...])`` / unquoted ``fields`` to strings;
3. drop ``@external`` on interface fields and on object types (inactive in Federation 1);
4. drop ``@external`` on key fields of type extensions (the subgraph does resolve them);
5. drop ``@provides``/``@requires`` selections of fields that are not external;
6. turn type extensions into definitions (``@extends`` stays and still means "extension");
7. drop ``@key`` on interfaces and ``@provides``/``@requires`` on interface fields;
8. drop ``@provides`` on fields whose type is not composite;
9. remove unused ``@external`` fields (``TYPE_WITH_ONLY_UNUSED_EXTERNAL`` if a type empties);
10. add ``@shareable`` where other subgraphs also resolve a field or value type;
11. drop ``@tag`` on an ``@external`` field when its non-external definition has it.
"""

from __future__ import annotations

from dataclasses import dataclass

from graphql.language import EnumValueNode, ListValueNode, StringValueNode

from gateway.composition.errors import CompositionError, ErrorCode, locations_of
from gateway.composition.links import Links
from gateway.composition.metadata import FederationMetadata
from gateway.composition.model import Directive, Field, Schema, TypeDef, TypeKind
from gateway.composition.specs import (
    FED1_UPGRADE_VERSION,
    FEDERATION_IDENTITY,
    federation_directives,
)
from gateway.composition.subgraph import Subgraph
from gateway.composition.typeref import base_name
from gateway.composition.upgrade_prune import prune_inactive_provides_and_requires

__all__ = ["upgrade_subgraphs"]

TypeIndex = dict[str, dict[str, tuple[TypeDef, FederationMetadata]]]


def _index_types(subgraphs: list[Subgraph]) -> TypeIndex:
    index: TypeIndex = {}
    for subgraph in subgraphs:
        for owner in subgraph.schema.types.values():
            if owner.kind in (TypeKind.OBJECT, TypeKind.INTERFACE):
                index.setdefault(owner.name, {})[subgraph.name] = (owner, subgraph.metadata())
    return index


def _is_federation_extension(owner: TypeDef) -> bool:
    extends = owner.has("extends")
    return (
        (owner.has_extension or extends)
        and owner.kind in (TypeKind.OBJECT, TypeKind.INTERFACE)
        and (extends or not owner.has_definition)
    )


def _is_root_extension(schema: Schema, owner: TypeDef) -> bool:
    return (
        owner.kind is TypeKind.OBJECT
        and schema.root_kind_of(owner.name) is not None
        and (owner.has("extends") or (owner.has_extension and not owner.has_definition))
    )


def _remove(element: TypeDef | Field, directive: Directive) -> None:
    element.directives = [d for d in element.directives if d is not directive]


def _fed2_links() -> Links:
    links = Links(federation_version=FED1_UPGRADE_VERSION)
    for name in federation_directives(FED1_UPGRADE_VERSION):
        links.directive_sources[name] = (FEDERATION_IDENTITY, name)
    return links


@dataclass
class _Upgrader:
    subgraph: Subgraph
    index: TypeIndex
    errors: list[CompositionError]

    def __post_init__(self) -> None:
        self.original = self.subgraph.metadata()
        self.subgraph.schema = self.subgraph.schema.clone()
        self.subgraph.invalidate()
        self.schema = self.subgraph.schema
        self.name = self.subgraph.name

    def error(self, code: ErrorCode, message: str, nodes: list[object]) -> None:
        self.errors.append(
            CompositionError(code, message, self.name, locations_of(self.name, nodes))
        )

    def others(self, type_name: str) -> list[tuple[str, TypeDef, FederationMetadata]]:
        entries = self.index.get(type_name, {})
        return [(n, t, m) for n, (t, m) in entries.items() if n != self.name]

    def fresh(self) -> FederationMetadata:
        self.subgraph.invalidate()
        return self.subgraph.metadata()

    def check_extensions_have_base(self) -> None:
        for owner in self.schema.types.values():
            if _is_root_extension(self.schema, owner) or not _is_federation_extension(owner):
                continue
            if any(other.has_definition for _, other, _ in self.others(owner.name)):
                continue
            self.error(
                ErrorCode.EXTENSION_WITH_NO_BASE,
                f'Type "{owner.name}" is an extension type, but there is no type definition for'
                f' "{owner.name}" in any subgraph.',
                [next((n for n in owner.nodes), None)],
            )

    def coerce_fields_arguments(self) -> None:
        for directive in self.subgraph.all_directives():
            if directive.kind not in ("key", "requires", "provides"):
                continue
            value = directive.args.get("fields")
            if isinstance(value, EnumValueNode):
                directive.args["fields"] = StringValueNode(value=value.value)
            elif isinstance(value, ListValueNode) and all(
                isinstance(v, StringValueNode) for v in value.values
            ):
                joined = " ".join(v.value for v in value.values if isinstance(v, StringValueNode))
                directive.args["fields"] = StringValueNode(value=joined)

    def remove_inactive_externals(self) -> None:
        for owner in self.schema.types.values():
            if owner.kind is TypeKind.INTERFACE:
                for f in owner.fields.values():
                    f.directives = [d for d in f.directives if d.kind != "external"]
            elif owner.kind is TypeKind.OBJECT:
                owner.directives = [d for d in owner.directives if d.kind != "external"]

    def remove_externals_on_extension_keys(self) -> None:
        metadata = self.fresh()
        for owner in self.schema.types.values():
            if not owner.is_composite or owner.kind is TypeKind.UNION:
                continue
            if not _is_federation_extension(owner) and not _is_root_extension(self.schema, owner):
                continue
            keys = owner.applied("key")
            if keys:
                for key in keys:
                    for f in metadata.key_fields(owner, key, implementations=False):
                        if f.parent == owner.name:
                            f.directives = [d for d in f.directives if d.kind != "external"]
                continue
            for _, other, other_metadata in self.others(owner.name):
                other_keys = other.applied("key")
                if not other_keys:
                    continue
                for f in other_metadata.key_fields(other, other_keys[0], implementations=False):
                    own = owner.fields.get(f.name)
                    if f.parent == other.name and own is not None:
                        own.directives = [d for d in own.directives if d.kind != "external"]

    def remove_inactive_provides_and_requires(self) -> None:
        prune_inactive_provides_and_requires(self.schema)

    def remove_type_extensions(self) -> None:
        for owner in self.schema.types.values():
            if _is_federation_extension(owner) or _is_root_extension(self.schema, owner):
                owner.has_extension = False
                owner.has_definition = True
                for d in owner.directives:
                    d.origin = 0
                for f in owner.fields.values():
                    f.origin = 0

    def remove_directives_on_interfaces(self) -> set[str]:
        interface_keys: set[str] = set()
        for owner in self.schema.of_kind(TypeKind.INTERFACE):
            if owner.has("key"):
                interface_keys.add(owner.name)
                owner.directives = [d for d in owner.directives if d.kind != "key"]
            for f in owner.fields.values():
                f.directives = [d for d in f.directives if d.kind not in ("provides", "requires")]
        return interface_keys

    def remove_provides_on_non_composite(self) -> None:
        for owner in self.schema.of_kind(TypeKind.OBJECT):
            for f in owner.fields.values():
                target = self.schema.type(base_name(f.type))
                if target is None or not target.is_composite:
                    f.directives = [d for d in f.directives if d.kind != "provides"]

    def remove_unused_externals(self) -> None:
        metadata = self.fresh()
        for owner in list(self.schema.types.values()):
            if owner.kind not in (TypeKind.OBJECT, TypeKind.INTERFACE):
                continue
            removed = False
            for f in list(owner.fields.values()):
                if metadata.is_external(f) and not metadata.is_used(f):
                    del owner.fields[f.name]
                    removed = True
            if owner.fields or not removed:
                continue
            if self._is_referenced(owner.name):
                self.error(
                    ErrorCode.TYPE_WITH_ONLY_UNUSED_EXTERNAL,
                    f"Type {owner.name} contains only external fields and all those fields are"
                    " all unused (they do not appear in any @key, @provides or @requires).",
                    [owner.node],
                )
            else:
                del self.schema.types[owner.name]

    def _is_referenced(self, type_name: str) -> bool:
        if self.schema.root_kind_of(type_name) is not None:
            return True
        for owner in self.schema.types.values():
            if type_name in owner.interfaces or type_name in owner.members:
                return True
            for f in owner.fields.values():
                if base_name(f.type) == type_name:
                    return True
                if any(base_name(a.type) == type_name for a in f.args.values()):
                    return True
        return False

    def add_shareable(self) -> None:
        subscription = self.schema.roots.get("subscription")
        for owner in self.schema.of_kind(TypeKind.OBJECT):
            if owner.name == subscription:
                continue
            if owner.has("key") or self.schema.root_kind_of(owner.name) is not None:
                for f in owner.fields.values():
                    if self.original.is_shareable(f) or f.has("shareable"):
                        continue
                    resolved_elsewhere = False
                    for _, other, other_metadata in self.others(owner.name):
                        other_field = other.fields.get(f.name)
                        if other_field is not None and (
                            not other_metadata.is_external(other_field)
                            or other_metadata.is_partially_external(other_field)
                        ):
                            resolved_elsewhere = True
                    if resolved_elsewhere:
                        f.directives.append(Directive("shareable", kind="shareable"))
            elif self.others(owner.name) and not owner.has("shareable"):
                owner.directives.append(Directive("shareable", kind="shareable"))

    def remove_tag_on_external(self) -> None:
        for owner in self.schema.types.values():
            for f in owner.fields.values():
                if not f.has("external"):
                    continue
                for tag in f.applied("tag"):
                    if self._tag_on_other_definition(owner.name, f.name, tag):
                        _remove(f, tag)

    def _tag_on_other_definition(self, type_name: str, field_name: str, tag: Directive) -> bool:
        for _, other, _ in self.others(type_name):
            other_field = other.fields.get(field_name)
            if other_field is None or other_field.has("external"):
                continue
            if any(t.values() == tag.values() for t in other_field.applied("tag")):
                return True
        return False

    def run(self) -> set[str]:
        self.check_extensions_have_base()
        self.coerce_fields_arguments()
        self.remove_inactive_externals()
        self.remove_externals_on_extension_keys()
        self.remove_inactive_provides_and_requires()
        self.remove_type_extensions()
        interface_keys = self.remove_directives_on_interfaces()
        self.remove_provides_on_non_composite()
        self.subgraph.links = _fed2_links()
        self.subgraph.upgraded_from_fed1 = True
        self.remove_unused_externals()
        self.add_shareable()
        self.remove_tag_on_external()
        self.subgraph.invalidate()
        return interface_keys


def upgrade_subgraphs(subgraphs: list[Subgraph]) -> list[CompositionError]:
    """Upgrade every Federation 1 subgraph in place; returns the errors that prevent it."""
    if all(s.is_fed2 for s in subgraphs):
        return []
    index = _index_types(subgraphs)
    errors: list[CompositionError] = []
    interface_object_subgraphs: dict[str, list[str]] = {}
    interface_key_subgraphs: dict[str, list[str]] = {}
    for subgraph in subgraphs:
        if subgraph.is_fed2:
            for owner in subgraph.schema.of_kind(TypeKind.OBJECT):
                if owner.has("interfaceObject"):
                    interface_object_subgraphs.setdefault(owner.name, []).append(subgraph.name)
            continue
    for subgraph in subgraphs:
        if subgraph.is_fed2:
            continue
        upgrader = _Upgrader(subgraph, index, errors)
        for type_name in upgrader.run():
            interface_key_subgraphs.setdefault(type_name, []).append(subgraph.name)
    for type_name, users in interface_object_subgraphs.items():
        fed1_keys = interface_key_subgraphs.get(type_name)
        if fed1_keys:
            errors.append(
                CompositionError(
                    ErrorCode.INTERFACE_OBJECT_USAGE_ERROR,
                    f'The @interfaceObject directive is used on type "{type_name}" in'
                    f" {', '.join(users)}, which requires other subgraphs to resolve its type"
                    " name via an interface @key; a @key on an interface in a federation 1"
                    f" subgraph ({', '.join(fed1_keys)}) does not. Upgrade those subgraphs to"
                    " federation 2 or remove @key from the interface.",
                )
            )
    return errors
