"""Merging fields of object, interface and input types, with @join__field and sharing rules."""

from __future__ import annotations

from typing import Any

from gateway.composition.errors import ErrorCode
from gateway.composition.merge.applied import (
    is_merged_directive,
    record_directives,
    record_field_directives,
)
from gateway.composition.merge.context import MergeContext, Sources, join_directive, subgraph_list
from gateway.composition.merge.externals import validate_external_fields
from gateway.composition.merge.override import FieldMergeState, interface_object_fields
from gateway.composition.merge.references import (
    add_arguments_shallow,
    merge_argument,
    merge_default,
    merge_description,
    merge_type_reference,
)
from gateway.composition.model import Field, InputValue, TypeDef, TypeKind
from gateway.composition.typeref import NamedRef

__all__ = ["add_fields_shallow", "merge_field", "merge_input_fields", "validate_field_sharing"]


def add_fields_shallow(
    ctx: MergeContext, sources: Sources[TypeDef], dest: TypeDef
) -> list[tuple[Field, Sources[Field]]]:
    """Add every field found in a source; each gets the per-subgraph sources of its parent."""
    parent_sources: Sources[Field] = {}
    for index in sources:
        schema = ctx.schema(index)
        if dest.kind in (TypeKind.OBJECT, TypeKind.INTERFACE):
            for interface in dest.interfaces:
                own = schema.type(interface)
                if own is not None and ctx.metadata(index).is_interface_object(own):
                    parent_sources[index] = None
        if schema.type(dest.name) is not None:
            parent_sources[index] = None
    added: dict[str, tuple[Field, Sources[Field]]] = {}
    for index, source in sources.items():
        if source is None:
            continue
        for f in source.fields.values():
            entry = added.get(f.name)
            if entry is None:
                merged = Field(name=f.name, type=NamedRef("String"), parent=dest.name)
                dest.fields[f.name] = merged
                entry = added[f.name] = (merged, dict(parent_sources))
            entry[1][index] = f
    return list(added.values())


def _external(ctx: MergeContext, index: int, f: Field) -> bool:
    return ctx.metadata(index).is_external(f)


def _without_externals(ctx: MergeContext, sources: Sources[Field]) -> Sources[Field]:
    filtered: Sources[Field] = {}
    for index, source in sources.items():
        if source is None or not _external(ctx, index, source):
            filtered[index] = source
            continue
        filtered[index] = None
        for directive in source.directives:
            if is_merged_directive(ctx, directive):
                ctx.error(
                    ErrorCode.MERGED_DIRECTIVE_APPLICATION_ON_EXTERNAL,
                    f"[{ctx.names[index]}] Cannot apply merged directive @{directive.name} to"
                    f' external field "{source.coordinate}"',
                    [(index, directive.node)],
                    subgraph=index,
                )
    return filtered


def merge_field(
    ctx: MergeContext, sources: Sources[Field], dest: Field, state: FieldMergeState
) -> None:
    """Merge one object/interface field from its sources."""
    every_external = True
    for index, source in sources.items():
        if source is None:
            stand_ins = interface_object_fields(ctx, dest, index)
            every_external = every_external and all(_external(ctx, index, f) for f in stand_ins)
        else:
            every_external = every_external and _external(ctx, index, source)
    if every_external:
        defining = [ctx.names[i] for i, s in sources.items() if s is not None]
        ctx.error(
            ErrorCode.EXTERNAL_MISSING_ON_BASE,
            f'Field "{dest.coordinate}" is marked @external on all the subgraphs in which it is'
            f" listed ({subgraph_list(defining)}).",
            [(i, s.node) for i, s in sources.items() if s is not None],
        )
        return
    without_external = _without_externals(ctx, sources)
    merge_description(ctx, without_external, dest)
    record_field_directives(ctx, without_external, dest)
    add_arguments_shallow(ctx, without_external, dest)
    for name, argument in dest.args.items():
        argument_sources: Sources[InputValue] = {
            i: (s.args.get(name) if s is not None else None) for i, s in without_external.items()
        }
        merge_argument(ctx, argument_sources, argument)
    typed = without_external if any(s is not None for s in without_external.values()) else sources
    all_equal = merge_type_reference(ctx, typed, dest)
    if any(s is not None and _external(ctx, i, s) for i, s in sources.items()):
        validate_external_fields(ctx, sources, dest, all_equal)
    add_join_field(ctx, sources, dest, all_equal, state)


def _needs_join_field(
    ctx: MergeContext, sources: Sources[Any], parent: str, all_equal: bool, state: FieldMergeState
) -> bool:
    if not all_equal or state.used_overridden or state.labels:
        return True
    merged_parent = ctx.merged.type(parent)
    is_input = merged_parent is not None and merged_parent.kind is TypeKind.INPUT_OBJECT
    for index, source in sources.items():
        if source is not None and index not in state.unused_overridden:
            if is_input:
                continue
            if _external(ctx, index, source) or source.has("provides") or source.has("requires"):
                return True
        elif ctx.schema(index).type(parent) is not None:
            return True
    return False


def _field_set(source: Field, kind: str) -> str | None:
    applications = source.applied(kind)
    return applications[0].value("fields") if applications else None


def add_join_field(
    ctx: MergeContext,
    sources: Sources[Any],
    dest: Field,
    all_equal: bool,
    state: FieldMergeState,
) -> None:
    """One @join__field per subgraph resolving (or declaring) the field, when it is needed."""
    if not _needs_join_field(ctx, sources, dest.parent, all_equal, state):
        return
    merged_parent = ctx.merged.type(dest.parent)
    is_input = merged_parent is not None and merged_parent.kind is TypeKind.INPUT_OBJECT
    for index, source in sources.items():
        label = state.labels.get(index)
        if source is None or (index in state.unused_overridden and label is None):
            continue
        overrides = [] if is_input else source.applied("override")
        dest.directives.append(
            join_directive(
                "field",
                graph=ctx.graph(index),
                requires=None if is_input else _field_set(source, "requires"),
                provides=None if is_input else _field_set(source, "provides"),
                override=overrides[-1].value("from") if overrides else None,
                type=None if all_equal else str(source.type),
                external=True if not is_input and _external(ctx, index, source) else None,
                usedOverridden=True if index in state.used_overridden else None,
                overrideLabel=label,
            )
        )


def validate_field_sharing(
    ctx: MergeContext, sources: Sources[Field], dest: Field, state: FieldMergeState
) -> None:
    """A field resolved by several subgraphs must be @shareable in all of them."""
    shareable: list[str] = []
    non_shareable: list[tuple[str, int]] = []
    resolving: list[tuple[str, int, Field]] = []

    def categorize(index: int, label: str, f: Field) -> None:
        metadata = ctx.metadata(index)
        if metadata.is_fully_external(f):
            return
        resolving.append((label, index, f))
        if metadata.is_shareable(f):
            shareable.append(label)
        else:
            non_shareable.append((label, index))

    for index, source in sources.items():
        label = f'"{ctx.names[index]}"'
        if source is None:
            for f in interface_object_fields(ctx, dest, index):
                categorize(index, f'{label} (through @interfaceObject field "{f.coordinate}")', f)
            continue
        if state.is_overridden(index):
            continue
        categorize(index, label, source)
    if non_shareable and (shareable or len(non_shareable) > 1):
        everywhere = _human_list([r[0] for r in resolving])
        which = _human_list([n[0] for n in non_shareable]) if shareable else "all of them"
        extra = ""
        typo = next((n for n in non_shareable if n[1] in state.unknown_target), None)
        if typo is not None:
            extra = (
                f' (please note that "{dest.coordinate}" has an @override directive in {typo[0]}'
                " that targets an unknown subgraph so this could be due to misspelling the"
                " @override(from:) argument)"
            )
        ctx.error(
            ErrorCode.INVALID_FIELD_SHARING,
            f'Non-shareable field "{dest.coordinate}" is resolved from multiple subgraphs: it is'
            f" resolved from {everywhere} and defined as non-shareable in {which}{extra}",
            [(i, f.node) for _, i, f in resolving],
        )


def _human_list(labels: list[str]) -> str:
    prefix = "subgraph" if len(labels) == 1 else "subgraphs"
    if len(labels) == 1:
        return f"{prefix} {labels[0]}"
    return f"{prefix} " + ", ".join(labels[:-1]) + " and " + labels[-1]


def merge_input_fields(ctx: MergeContext, sources: Sources[TypeDef], dest: TypeDef) -> None:
    """Input objects keep the fields every subgraph defines (intersection)."""
    for merged, field_sources in add_fields_shallow(ctx, sources, dest):
        merge_description(ctx, field_sources, merged)
        record_directives(ctx, field_sources, merged)
        all_equal = merge_type_reference(ctx, field_sources, merged, is_input=True)
        add_join_field(ctx, field_sources, merged, all_equal, FieldMergeState())
        merge_default(ctx, field_sources, merged, "Input field")
        missing = [i for i, s in field_sources.items() if s is None]
        if ctx.is_inaccessible(merged) or not missing:
            continue
        required = [
            ctx.names[i] for i, s in field_sources.items() if s is not None and s.is_required
        ]
        if required:
            ctx.error(
                ErrorCode.REQUIRED_INPUT_FIELD_MISSING_IN_SOME_SUBGRAPH,
                f'Input object field "{merged.coordinate}" is required in some subgraphs but does'
                f" not appear in all subgraphs: it is required in {subgraph_list(required)} but"
                f" does not appear in {subgraph_list([ctx.names[i] for i in missing])}",
                [(i, s.node) for i, s in field_sources.items() if s is not None],
            )
        else:
            ctx.hint(
                "INCONSISTENT_INPUT_OBJECT_FIELD",
                f'Input object field "{merged.name}" will not be added to "{dest.name}" in the'
                " supergraph as it does not appear in all subgraphs.",
            )
        del dest.fields[merged.name]
        ctx.removed.add(id(merged))
    if not dest.fields:
        ctx.error(
            ErrorCode.EMPTY_MERGED_INPUT_TYPE,
            f'None of the fields of input object type "{dest.name}" are consistently defined in'
            " all the subgraphs defining that type. As only fields common to all subgraphs are"
            " merged, this would result in an empty type.",
            [(i, s.node) for i, s in sources.items() if s is not None],
        )
