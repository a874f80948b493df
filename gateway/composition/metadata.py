"""Federation facts about one subgraph, computed once: externals, shareables, used fields.

- A field is *external* when marked ``@external`` (or its type is, in Federation 2), except
  "fake" externals: key fields of a Federation 1 style type extension, which that subgraph
  does resolve.
- An external field is *partially external* when some ``@provides`` of the subgraph provides it.
- A field is *shareable* when marked ``@shareable`` (or its type/extension block is), when it
  is a key field, or when it is an external field some ``@provides`` provides.
- A field is *used* when a ``@key``, ``@requires`` or ``@provides`` selects it or it implements
  an interface field.
"""

from __future__ import annotations

from gateway.composition.fieldset import collect_fields
from gateway.composition.model import Directive, Field, Schema, TypeDef, TypeKind
from gateway.composition.typeref import base_name

__all__ = ["FederationMetadata", "fields_argument"]


def fields_argument(directive: Directive) -> str | None:
    """The ``fields`` string of ``@key``/``@requires``/``@provides`` (``None``: not a string)."""
    value = directive.value("fields")
    return value if isinstance(value, str) else None


class FederationMetadata:
    """Computed federation facts of one subgraph's ``schema`` (``fed2``: whether it is a
    Federation 2 subgraph); recompute after modifying the schema."""

    def __init__(self, schema: Schema, fed2: bool) -> None:
        self.schema = schema
        self.fed2 = fed2
        self._fake_externals = self._collect_fake_externals()
        self._provided = self._collect_provided()
        self._external_types = self._collect_external_types()
        self._shareable: set[str] | None = None
        self._used: set[str] | None = None

    # -- field sets ------------------------------------------------------------------------

    def key_fields(self, owner: TypeDef, key: Directive, implementations: bool) -> list[Field]:
        """Fields selected by ``key`` on ``owner``."""
        text = fields_argument(key)
        if text is None:
            return []
        return collect_fields(
            self.schema, owner.name, text, include_implementations=implementations
        )

    def _collect_fake_externals(self) -> set[str]:
        fake: set[str] = set()
        for owner in self.schema.types.values():
            if owner.kind not in (TypeKind.OBJECT, TypeKind.INTERFACE):
                continue
            extends = owner.has("extends")
            for key in owner.applied("key"):
                if key.origin == 0 and not extends:
                    continue
                for f in self.key_fields(owner, key, implementations=False):
                    if f.has("external"):
                        fake.add(f.coordinate)
        return fake

    def _collect_provided(self) -> set[str]:
        provided: set[str] = set()
        for f in self.all_fields():
            target = self.schema.type(base_name(f.type))
            if target is None or not target.is_composite:
                continue
            for provides in f.applied("provides"):
                text = fields_argument(provides)
                if text is None:
                    continue
                for p in collect_fields(
                    self.schema, target.name, text, include_implementations=True
                ):
                    provided.add(p.coordinate)
        return provided

    def _collect_external_types(self) -> set[str]:
        if not self.fed2:
            return set()
        return {t.name for t in self.schema.of_kind(TypeKind.OBJECT) if t.has("external")}

    def all_fields(self) -> list[Field]:
        """Fields of all object and interface types."""
        return [
            f
            for t in self.schema.types.values()
            if t.kind in (TypeKind.OBJECT, TypeKind.INTERFACE)
            for f in t.fields.values()
        ]

    # -- externals -------------------------------------------------------------------------

    def is_fake_external(self, f: Field) -> bool:
        """A key field marked @external on a Federation 1 style extension (not truly external)."""
        return f.coordinate in self._fake_externals

    def is_external(self, f: Field) -> bool:
        """Whether the subgraph does not resolve ``f`` itself."""
        marked = f.has("external") or f.parent in self._external_types
        return marked and not self.is_fake_external(f)

    def is_partially_external(self, f: Field) -> bool:
        """External but provided by some @provides of the subgraph."""
        return self.is_external(f) and f.coordinate in self._provided

    def is_fully_external(self, f: Field) -> bool:
        """External and never provided."""
        return self.is_external(f) and f.coordinate not in self._provided

    # -- sharing -------------------------------------------------------------------------

    def is_shareable(self, f: Field) -> bool:
        """Whether the field may also be resolved by other subgraphs."""
        if self._shareable is None:
            self._shareable = self._compute_shareables()
        return f.coordinate in self._shareable

    def _compute_shareables(self) -> set[str]:
        shareable: set[str] = set()
        fed2 = self.fed2
        for owner in self.schema.types.values():
            if owner.kind not in (TypeKind.OBJECT, TypeKind.INTERFACE):
                continue
            for key in owner.applied("key"):
                for f in self.key_fields(owner, key, implementations=True):
                    shareable.add(f.coordinate)
            if owner.kind is not TypeKind.OBJECT:
                continue
            type_origins = {d.origin for d in owner.applied("shareable")} if fed2 else set()
            for f in owner.fields.values():
                if fed2 and (f.has("shareable") or f.origin in type_origins):
                    shareable.add(f.coordinate)
                target = self.schema.type(base_name(f.type))
                if target is None or not target.is_composite:
                    continue
                for provides in f.applied("provides"):
                    text = fields_argument(provides)
                    if text is None:
                        continue
                    for p in collect_fields(
                        self.schema, target.name, text, include_implementations=True
                    ):
                        if self.is_external(p):
                            shareable.add(p.coordinate)
        return shareable

    # -- usage -----------------------------------------------------------------------------

    def is_used(self, f: Field) -> bool:
        """Whether a federation directive selects ``f`` or it implements an interface field."""
        if self._used is None:
            self._used = self._compute_used()
        return f.coordinate in self._used

    def _compute_used(self) -> set[str]:
        used: set[str] = set()
        for owner in self.schema.types.values():
            for key in owner.applied("key"):
                used.update(f.coordinate for f in self.key_fields(owner, key, implementations=True))
            for f in owner.fields.values() if owner.kind is not TypeKind.INPUT_OBJECT else ():
                for requires in f.applied("requires"):
                    text = fields_argument(requires)
                    if text is not None:
                        used.update(
                            p.coordinate
                            for p in collect_fields(
                                self.schema, owner.name, text, include_implementations=True
                            )
                        )
                target = self.schema.type(base_name(f.type))
                if target is None or not target.is_composite:
                    continue
                for provides in f.applied("provides"):
                    text = fields_argument(provides)
                    if text is not None:
                        used.update(
                            p.coordinate
                            for p in collect_fields(
                                self.schema, target.name, text, include_implementations=True
                            )
                        )
        for interface in self.schema.of_kind(TypeKind.INTERFACE):
            for implementation in self.schema.possible_types(interface.name):
                for name in interface.fields:
                    if name in implementation.fields:
                        used.add(implementation.fields[name].coordinate)
        return used

    # -- types -----------------------------------------------------------------------------

    def is_interface_object(self, owner: TypeDef) -> bool:
        """An object type marked @interfaceObject."""
        return owner.kind is TypeKind.OBJECT and owner.has("interfaceObject")

    def is_entity(self, owner: TypeDef) -> bool:
        """An object/interface type with at least one @key."""
        return owner.kind in (TypeKind.OBJECT, TypeKind.INTERFACE) and owner.has("key")
