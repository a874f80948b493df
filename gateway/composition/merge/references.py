"""Merging what fields and arguments are made of: types (with subtyping), defaults, descriptions."""

from __future__ import annotations

from typing import Any

from gateway.composition.errors import ErrorCode
from gateway.composition.merge.context import EnumUsage, MergeContext, Sources, subgraph_list
from gateway.composition.model import Field, InputValue, TypeKind
from gateway.composition.typeref import ListRef, NamedRef, NonNullRef, TypeRef, base_name
from gateway.composition.values import print_value, same_value

__all__ = [
    "add_arguments_shallow",
    "is_strict_subtype",
    "merge_argument",
    "merge_default",
    "merge_description",
    "merge_type_reference",
]


def merge_description(ctx: MergeContext, sources: Sources[Any], dest: Any) -> None:
    """Use the most common description (a non-empty one over empty ones)."""
    counts: dict[str, int] = {}
    for source in sources.values():
        description = getattr(source, "description", None) if source is not None else None
        if description is None:
            continue
        counts[description] = counts.get(description, 0) + 1
    if not counts:
        return
    non_empty = [d for d in counts if d != ""]
    if len(counts) == 1:
        dest.description = next(iter(counts))
    elif len(non_empty) == 1:
        dest.description = non_empty[0]
    else:
        dest.description = max(non_empty, key=lambda d: counts[d])
        ctx.hint(
            "INCONSISTENT_DESCRIPTION",
            f'Element "{getattr(dest, "coordinate", getattr(dest, "name", ""))}" has inconsistent'
            " descriptions across subgraphs.",
        )


def _same(left: TypeRef, right: TypeRef) -> bool:
    return left == right


def is_strict_subtype(ctx: MergeContext, general: TypeRef, special: TypeRef) -> bool:
    """Whether ``special`` is a strict subtype of ``general`` in the supergraph being built."""
    if isinstance(special, ListRef):
        return isinstance(general, ListRef) and _is_subtype(ctx, general.of, special.of)
    if isinstance(special, NonNullRef):
        if isinstance(general, NonNullRef):
            return _is_subtype(ctx, general.of, special.of)
        return _is_subtype(ctx, general, special.of)
    if not isinstance(general, NamedRef):
        return False
    general_type = ctx.merged.type(general.name)
    special_type = ctx.merged.type(special.name)
    if general_type is None or special_type is None:
        return False
    if special_type.kind not in (TypeKind.OBJECT, TypeKind.INTERFACE):
        return False
    if general_type.kind is TypeKind.UNION:
        return special_type.kind is TypeKind.OBJECT and special.name in general_type.members
    if general_type.kind is TypeKind.INTERFACE:
        return general.name in special_type.interfaces
    return False


def _is_subtype(ctx: MergeContext, general: TypeRef, special: TypeRef) -> bool:
    return _same(general, special) or is_strict_subtype(ctx, general, special)


def _record_enum_usage(
    ctx: MergeContext, dest: Field | InputValue, sources: Sources[Any], is_input: bool
) -> None:
    target = ctx.merged.type(base_name(dest.type))
    if target is None or target.kind is not TypeKind.ENUM:
        return
    position = "Input" if is_input else "Output"
    usage = ctx.enum_usages.get(target.name)
    if usage is None:
        usage = ctx.enum_usages[target.name] = EnumUsage(position)
    elif usage.position != position:
        usage.position = "Both"
    if position not in usage.examples and any(s is not None for s in sources.values()):
        usage.examples[position] = dest.coordinate


def merge_type_reference(
    ctx: MergeContext, sources: Sources[Any], dest: Field | InputValue, is_input: bool = False
) -> bool:
    """Set ``dest.type`` from its sources; ``True`` when all sources agree exactly.

    Output positions take the most general type (``Int`` over ``Int!``), input positions the
    most specific one; incompatible types are an error.
    """
    dest_type: TypeRef | None = None
    has_subtypes = False
    incompatible = False
    for source in sources.values():
        if source is None:
            continue
        source_type: TypeRef = source.type
        if dest_type is None or _same(dest_type, source_type):
            dest_type = source_type
        elif is_strict_subtype(ctx, dest_type, source_type):
            has_subtypes = True
            if is_input:
                dest_type = source_type
        elif is_strict_subtype(ctx, source_type, dest_type):
            has_subtypes = True
            if not is_input:
                dest_type = source_type
        else:
            incompatible = True
    assert dest_type is not None, f"no source has a type for {dest.coordinate}"
    dest.type = dest_type
    _record_enum_usage(ctx, dest, sources, is_input)
    is_argument = isinstance(dest, InputValue)
    if incompatible:
        ctx.mismatch_error(
            ErrorCode.FIELD_ARGUMENT_TYPE_MISMATCH
            if is_argument
            else ErrorCode.FIELD_TYPE_MISMATCH,
            f'Type of {"argument" if is_argument else "field"} "{dest.coordinate}" is incompatible'
            " across subgraphs: it has ",
            sources,
            lambda element: f'type "{element.type}"',
            f'type "{dest.type}"',
        )
        return False
    if has_subtypes:
        ctx.hint(
            "INCONSISTENT_BUT_COMPATIBLE_ARGUMENT_TYPE"
            if is_argument
            else "INCONSISTENT_BUT_COMPATIBLE_FIELD_TYPE",
            f'Type of {"argument" if is_argument else "field"} "{dest.coordinate}" is inconsistent'
            f' but compatible across subgraphs: the supergraph uses "{dest.type}".',
        )
        return False
    return True


def add_arguments_shallow(ctx: MergeContext, sources: Sources[Any], dest: Any) -> None:
    """Add the arguments present in every source; a required one missing somewhere is an error."""
    names: list[str] = []
    for source in sources.values():
        if source is not None:
            names.extend(n for n in source.args if n not in names)
    for name in names:
        present = {i: s.args.get(name) for i, s in sources.items() if s is not None}
        if all(arg is not None for arg in present.values()):
            template = next(a for a in present.values() if a is not None)
            dest.args[name] = InputValue(name, template.type, parent=dest.coordinate)
            continue
        required = [ctx.names[i] for i, a in present.items() if a is not None and a.is_required]
        if required:
            missing = [ctx.names[i] for i, a in present.items() if a is None]
            ctx.error(
                ErrorCode.REQUIRED_ARGUMENT_MISSING_IN_SOME_SUBGRAPH,
                f'Argument "{dest.coordinate}({name}:)" is required in some subgraphs but does'
                f" not appear in all subgraphs: it is required in {subgraph_list(required)} but"
                f" does not appear in {subgraph_list(missing)}",
                [(i, a.node) for i, a in present.items() if a is not None],
            )
        else:
            ctx.hint(
                "INCONSISTENT_ARGUMENT_PRESENCE",
                f'Optional argument "{dest.coordinate}({name}:)" will not be included in the'
                " supergraph as it does not appear in all subgraphs.",
            )


def merge_default(ctx: MergeContext, sources: Sources[Any], dest: Any, kind: str) -> None:
    """Keep a default only when every source has the same one; different defaults are an error."""
    seen = False
    inconsistent = False
    incompatible = False
    chosen = None
    for source in sources.values():
        if source is None:
            continue
        default = source.default
        if chosen is None:
            chosen = default
            if seen and default is not None:
                inconsistent = True
        elif not same_value(chosen, default):
            inconsistent = True
            if default is not None:
                incompatible = True
        seen = True
    if not inconsistent or incompatible:
        dest.default = chosen
    if incompatible:
        ctx.mismatch_error(
            ErrorCode.FIELD_ARGUMENT_DEFAULT_MISMATCH
            if kind == "Argument"
            else ErrorCode.INPUT_FIELD_DEFAULT_MISMATCH,
            f'{kind} "{dest.coordinate}" has incompatible default values across subgraphs: it has ',
            sources,
            lambda e: (
                f"default value {print_value(e.default)}"
                if e.default is not None
                else "no default value"
            ),
            f"default value {print_value(dest.default)}" if dest.default is not None else None,
        )
    elif inconsistent:
        ctx.hint(
            "INCONSISTENT_DEFAULT_VALUE_PRESENCE",
            f'{kind} "{dest.coordinate}" has a default value in only some subgraphs.',
        )


def merge_argument(ctx: MergeContext, sources: Sources[InputValue], dest: InputValue) -> None:
    """Merge one argument: description, directives, type (input position) and default."""
    from gateway.composition.merge.applied import record_directives

    merge_description(ctx, sources, dest)
    record_directives(ctx, sources, dest)
    merge_type_reference(ctx, sources, dest, is_input=True)
    merge_default(ctx, sources, dest, "Argument")
