"""The merge: validated Federation 2 subgraphs -> one supergraph schema with join metadata.

Order matters and follows Apollo's: types are created empty first; implemented interfaces and
union members are merged before fields (field types use them for subtyping); enums are merged
last because their rule depends on where they are used; applied directives are merged once
every element exists.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from gateway.composition.errors import CompositionError, ErrorCode
from gateway.composition.merge.applied import merge_pending_directives, record_directives
from gateway.composition.merge.context import (
    ComposedDirective,
    Hint,
    MergeContext,
    Sources,
    composed_directive,
    subgraph_list,
)
from gateway.composition.merge.directives import merge_executable_directives
from gateway.composition.merge.fields import merge_input_fields
from gateway.composition.merge.objects import (
    add_interface_object_fields,
    merge_interface,
    merge_object,
)
from gateway.composition.merge.references import merge_description
from gateway.composition.merge.types import (
    add_types_shallow,
    merge_enum,
    merge_implements,
    merge_type_basics,
    merge_union,
)
from gateway.composition.model import Directive, Schema, TypeDef, TypeKind
from gateway.composition.specs import (
    COMPOSED_DIRECTIVES,
    FEDERATION_VERSIONS,
    STANDALONE_MIN_FEDERATION,
    ComposedSpec,
    Version,
    join_version_for,
)
from gateway.composition.subgraph import Subgraph

__all__ = ["MergedSupergraph", "merge_subgraphs"]


@dataclass(slots=True)
class MergedSupergraph:
    """The merge result: supergraph types plus what the printer needs to add join/link."""

    schema: Schema
    graphs: list[tuple[str, str, str]]
    join_version: Version
    #: composed specs in @link order, each with (directive in spec, name in supergraph)
    specs: list[tuple[ComposedSpec, list[tuple[str, str]]]]
    composed: dict[str, ComposedDirective]
    hints: list[Hint] = field(default_factory=list)


def _federation_version(subgraph: Subgraph) -> Version | None:
    version = subgraph.federation_version
    if version is None:
        return None
    implied = [
        STANDALONE_MIN_FEDERATION[link.url.identity]
        for link in subgraph.links.links
        if link.url.identity in STANDALONE_MIN_FEDERATION
    ]
    highest = max(implied, default=version)
    return highest if highest > version else version


def _collect_composed(ctx: MergeContext) -> None:
    chosen: dict[str, tuple[str, int]] = {}
    for index, subgraph in enumerate(ctx.subgraphs):
        used = {d.name for d in subgraph.all_directives() if d.kind in COMPOSED_DIRECTIVES}
        for schema_name, (_, canonical) in subgraph.links.directive_sources.items():
            if canonical not in COMPOSED_DIRECTIVES or schema_name not in used:
                continue
            previous = chosen.get(canonical)
            if previous is None:
                chosen[canonical] = (schema_name, index)
            elif previous[0] != schema_name:
                nodes = [
                    (i, link.node if link else None)
                    for i, name in ((previous[1], previous[0]), (index, schema_name))
                    for link in [ctx.subgraphs[i].links.link_of(name)]
                ]
                ctx.error(
                    ErrorCode.LINK_IMPORT_NAME_MISMATCH,
                    f'The "@{canonical}" directive is imported with mismatched name between'
                    f' subgraphs: it is imported as "@{previous[0]}" in'
                    f' {subgraph_list([ctx.names[previous[1]]])} but "@{schema_name}" in'
                    f" {subgraph_list([subgraph.name])}",
                    nodes,
                )
    for canonical, (name, _) in chosen.items():
        ctx.composed[name] = composed_directive(canonical, name, COMPOSED_DIRECTIVES[canonical])


def _spec_links(ctx: MergeContext) -> list[tuple[ComposedSpec, list[tuple[str, str]]]]:
    grouped: dict[str, tuple[ComposedSpec, list[tuple[str, str]]]] = {}
    for directive in ctx.composed.values():
        entry = grouped.setdefault(directive.spec.identity, (directive.spec, []))
        entry[1].append((directive.canonical, directive.name))
    return list(grouped.values())


@dataclass(eq=False, slots=True)
class _SchemaElement:
    directives: list[Directive]
    description: str | None


def _merge_schema_definition(ctx: MergeContext) -> None:
    sources: Sources[_SchemaElement] = {
        i: _SchemaElement(s.schema.schema_directives, s.schema.description)
        for i, s in enumerate(ctx.subgraphs)
    }
    dest = _SchemaElement(ctx.merged.schema_directives, None)
    merge_description(ctx, sources, dest)
    ctx.merged.description = dest.description
    record_directives(ctx, sources, dest)
    for kind in ("query", "mutation", "subscription"):
        for subgraph in ctx.subgraphs:
            root = subgraph.schema.roots.get(kind)
            owner = subgraph.schema.type(root) if root else None
            if owner is not None and owner.fields:
                ctx.merged.roots[kind] = root or ""
                break


def _by_kind(ctx: MergeContext) -> dict[TypeKind, list[TypeDef]]:
    grouped: dict[TypeKind, list[TypeDef]] = {kind: [] for kind in TypeKind}
    for owner in ctx.merged.types.values():
        grouped[owner.kind].append(owner)
    return grouped


def merge_subgraphs(
    subgraphs: list[Subgraph],
) -> tuple[MergedSupergraph | None, list[CompositionError]]:
    """Merge validated subgraphs (sorted by name); the supergraph, or the errors found."""
    ordered = sorted(subgraphs, key=lambda s: s.name)
    versions = [v for v in (_federation_version(s) for s in ordered) if v is not None]
    ctx = MergeContext(ordered, max(versions, default=FEDERATION_VERSIONS[-1]))
    _collect_composed(ctx)
    if ctx.errors:
        return None, ctx.errors
    for subgraph in ordered:
        for owner in subgraph.schema.types.values():
            for f in owner.fields.values():
                if f.has("override"):
                    ctx.overridden.add(f.coordinate)
    add_types_shallow(ctx)
    kinds = _by_kind(ctx)
    for owner in kinds[TypeKind.OBJECT] + kinds[TypeKind.INTERFACE]:
        merge_implements(ctx, ctx.type_sources(owner), owner)
    for owner in kinds[TypeKind.UNION]:
        sources = ctx.type_sources(owner)
        merge_type_basics(ctx, sources, owner)
        merge_union(ctx, sources, owner)
    _merge_schema_definition(ctx)
    for owner in (
        kinds[TypeKind.SCALAR]
        + kinds[TypeKind.INPUT_OBJECT]
        + kinds[TypeKind.INTERFACE]
        + kinds[TypeKind.OBJECT]
    ):
        sources = ctx.type_sources(owner)
        merge_type_basics(ctx, sources, owner)
        if owner.kind is TypeKind.OBJECT:
            merge_object(ctx, sources, owner)
        elif owner.kind is TypeKind.INTERFACE:
            merge_interface(ctx, sources, owner)
        elif owner.kind is TypeKind.INPUT_OBJECT:
            merge_input_fields(ctx, sources, owner)
    merge_executable_directives(ctx)
    for owner in kinds[TypeKind.ENUM]:
        sources = ctx.type_sources(owner)
        merge_type_basics(ctx, sources, owner)
        merge_enum(ctx, sources, owner)
    if "query" not in ctx.merged.roots:
        ctx.error(
            ErrorCode.NO_QUERIES,
            "No queries found in any subgraph: a supergraph must have a query root type.",
        )
    merge_pending_directives(ctx)
    add_interface_object_fields(ctx)
    if not ctx.errors:
        from gateway.composition.post_merge import validate_merged

        validate_merged(ctx)
    if ctx.errors:
        return None, ctx.errors
    graphs = [(ctx.graph_names[s.name], s.name, s.url) for s in ordered]
    return (
        MergedSupergraph(
            schema=ctx.merged,
            graphs=graphs,
            join_version=join_version_for(ctx.federation_version),
            specs=_spec_links(ctx),
            composed=ctx.composed,
            hints=ctx.hints,
        ),
        [],
    )
