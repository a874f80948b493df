"""Merging named types: kinds, @join__type, implemented interfaces, unions and enums."""

from __future__ import annotations

from gateway.composition.errors import ErrorCode
from gateway.composition.merge.applied import record_directives, record_type_directives
from gateway.composition.merge.context import MergeContext, Sources, join_directive, subgraph_list
from gateway.composition.merge.references import merge_description
from gateway.composition.model import EnumValue, TypeDef, TypeKind

__all__ = [
    "add_join_type",
    "add_types_shallow",
    "check_extension_with_no_base",
    "merge_enum",
    "merge_implements",
    "merge_union",
]

_BUILT_IN_SCALARS = {"String", "Int", "Float", "Boolean", "ID"}
#: supergraph machinery: a subgraph type with such a name is ignored (as Apollo does)
_RESERVED_PREFIXES = ("join__", "link__")


def _kind_label(ctx: MergeContext, index: int, owner: TypeDef) -> str:
    if ctx.metadata(index).is_interface_object(owner):
        return "Interface Object Type (Object Type with @interfaceObject)"
    return owner.kind.label


def add_types_shallow(ctx: MergeContext) -> None:
    """Create every supergraph type (empty) and report types whose kinds disagree."""
    mismatched: list[str] = []
    with_interface_object: list[str] = []
    for index, subgraph in enumerate(ctx.subgraphs):
        metadata = ctx.metadata(index)
        for owner in subgraph.schema.types.values():
            if owner.name in _BUILT_IN_SCALARS or owner.name.startswith(_RESERVED_PREFIXES):
                continue
            kind = owner.kind
            if metadata.is_interface_object(owner):
                kind = TypeKind.INTERFACE
                if owner.name not in with_interface_object:
                    with_interface_object.append(owner.name)
            previous = ctx.merged.types.get(owner.name)
            if previous is None:
                ctx.merged.types[owner.name] = TypeDef(kind=kind, name=owner.name)
            elif previous.kind is not kind and owner.name not in mismatched:
                mismatched.append(owner.name)
    for name in mismatched:
        sources: Sources[TypeDef] = {
            i: s.schema.type(name) for i, s in enumerate(ctx.subgraphs) if s.schema.type(name)
        }
        labels = {id(t): _kind_label(ctx, i, t) for i, t in sources.items() if t is not None}
        ctx.mismatch_error(
            ErrorCode.TYPE_KIND_MISMATCH,
            f'Type "{name}" has mismatched kind: it is defined as ',
            sources,
            lambda t, labels=labels: labels[id(t)],  # type: ignore[misc]
            ctx.merged.types[name].kind.label,
        )
    for name in with_interface_object:
        if name in mismatched:
            continue
        defining = [i for i, s in enumerate(ctx.subgraphs) if s.schema.type(name) is not None]
        if any(ctx.schema(i).types[name].kind is TypeKind.INTERFACE for i in defining):
            continue
        ctx.error(
            ErrorCode.INTERFACE_OBJECT_USAGE_ERROR,
            f'Type "{name}" is declared with @interfaceObject in all the subgraphs in which it is'
            f" defined (it is defined in {subgraph_list([ctx.names[i] for i in defining])} but"
            " should be defined as an interface in at least one subgraph)",
            [(i, ctx.schema(i).types[name].node) for i in defining],
        )


def merge_implements(ctx: MergeContext, sources: Sources[TypeDef], dest: TypeDef) -> None:
    """Union of implemented interfaces, with one @join__implements per subgraph and interface."""
    for index, source in sources.items():
        if source is None:
            continue
        for interface in source.interfaces:
            if interface not in dest.interfaces:
                dest.interfaces.append(interface)
            dest.directives.append(
                join_directive("implements", graph=ctx.graph(index), interface=interface)
            )


def check_extension_with_no_base(
    ctx: MergeContext, sources: Sources[TypeDef], dest: TypeDef
) -> None:
    """A type only ever extended (never defined) in the subgraphs is an error."""
    if dest.kind is TypeKind.OBJECT and ctx.merged.root_kind_of(dest.name) is not None:
        return
    defined = [i for i, s in sources.items() if s is not None and s.has_definition]
    if defined:
        return
    for index, source in sources.items():
        if source is None or not source.has_extension:
            continue
        ctx.error(
            ErrorCode.EXTENSION_WITH_NO_BASE,
            f'[{ctx.names[index]}] Type "{dest.name}" is an extension type, but there is no type'
            f' definition for "{dest.name}" in any subgraph.',
            [(index, source.node)],
            subgraph=index,
        )


def add_join_type(ctx: MergeContext, sources: Sources[TypeDef], dest: TypeDef) -> None:
    """One @join__type per subgraph defining the type (one per key for entities)."""
    for index, source in sources.items():
        if source is None:
            continue
        metadata = ctx.metadata(index)
        interface_object = True if metadata.is_interface_object(source) else None
        keys = source.applied("key")
        graph = ctx.graph(index)
        if not keys:
            dest.directives.append(
                join_directive("type", graph=graph, isInterfaceObject=interface_object)
            )
            continue
        extends = source.has("extends")
        for key in keys:
            extension = True if key.origin > 0 or extends else None
            dest.directives.append(
                join_directive(
                    "type",
                    graph=graph,
                    key=key.value("fields"),
                    extension=extension,
                    resolvable=key.value("resolvable"),
                    isInterfaceObject=interface_object,
                )
            )


def merge_union(ctx: MergeContext, sources: Sources[TypeDef], dest: TypeDef) -> None:
    """Union of members, one @join__unionMember per subgraph and member."""
    for source in sources.values():
        if source is None:
            continue
        dest.members.extend(m for m in source.members if m not in dest.members)
    for member in dest.members:
        for index, source in sources.items():
            if source is not None and member in source.members:
                dest.directives.append(
                    join_directive("unionMember", graph=ctx.graph(index), member=member)
                )
        if any(s is not None and member not in s.members for s in sources.values()):
            ctx.hint(
                "INCONSISTENT_UNION_MEMBER",
                f'Union type "{dest.name}" includes member type "{member}" in some but not all'
                " defining subgraphs.",
            )


def merge_enum(ctx: MergeContext, sources: Sources[TypeDef], dest: TypeDef) -> None:
    """Output-only enums take the union of values, input-only the intersection, both: equality."""
    usage = ctx.enum_usages.get(dest.name)
    position = usage.position if usage else "Output"
    if usage is None:
        ctx.hint(
            "UNUSED_ENUM_TYPE",
            f'Enum type "{dest.name}" is defined but unused. It will be included in the supergraph'
            ' with all the values appearing in any subgraph ("as if" it was only used as an output'
            " type).",
        )
    for source in sources.values():
        if source is None:
            continue
        for name in source.values:
            if name not in dest.values:
                dest.values[name] = EnumValue(name=name, parent=dest.name)
    for value in list(dest.values.values()):
        value_sources: Sources[EnumValue] = {
            i: (s.values.get(value.name) if s is not None else None) for i, s in sources.items()
        }
        merge_description(ctx, value_sources, value)
        record_directives(ctx, value_sources, value)
        for index, own in value_sources.items():
            if own is not None:
                value.directives.append(join_directive("enumValue", graph=ctx.graph(index)))
        missing = [i for i, s in sources.items() if s is not None and value.name not in s.values]
        if not missing:
            continue
        if position == "Output" or ctx.is_inaccessible(value):
            if position == "Output":
                ctx.hint(
                    "INCONSISTENT_ENUM_VALUE_FOR_OUTPUT_ENUM",
                    f'Value "{value.name}" of enum type "{dest.name}" has been added to the'
                    " supergraph but is only defined in a subset of the subgraphs defining"
                    f' "{dest.name}".',
                )
            continue
        defining = [ctx.names[i] for i, s in value_sources.items() if s is not None]
        missing_names = [ctx.names[i] for i in missing]
        if position == "Both":
            assert usage is not None
            ctx.error(
                ErrorCode.ENUM_VALUE_MISMATCH,
                f'Enum type "{dest.name}" is used as both input type (for example, as type of'
                f' "{usage.examples.get("Input")}") and output type (for example, as type of'
                f' "{usage.examples.get("Output")}"), but value "{value.name}" is not defined in'
                f' all the subgraphs defining "{dest.name}": "{value.name}" is defined in'
                f" {subgraph_list(defining)} but not in {subgraph_list(missing_names)}",
                [(i, s.node) for i, s in sources.items() if s is not None],
            )
            continue
        ctx.hint(
            "INCONSISTENT_ENUM_VALUE_FOR_INPUT_ENUM",
            f'Value "{value.name}" of enum type "{dest.name}" will not be part of the supergraph as'
            f' it is not defined in all the subgraphs defining "{dest.name}".',
        )
        del dest.values[value.name]
        ctx.removed.add(id(value))
    if not dest.values:
        ctx.error(
            ErrorCode.EMPTY_MERGED_ENUM_TYPE,
            f'None of the values of enum type "{dest.name}" are defined consistently in all the'
            " subgraphs defining that type. As only values common to all subgraphs are merged,"
            " this would result in an empty type.",
            [(i, s.node) for i, s in sources.items() if s is not None],
        )


def merge_type_basics(ctx: MergeContext, sources: Sources[TypeDef], dest: TypeDef) -> None:
    """What every type gets: extension check, description, @join__type, recorded directives."""
    check_extension_with_no_base(ctx, sources, dest)
    merge_description(ctx, sources, dest)
    add_join_type(ctx, sources, dest)
    record_type_directives(ctx, sources, dest)
