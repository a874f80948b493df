"""Merging object and interface types (fields, keys on interfaces, @interfaceObject)."""

from __future__ import annotations

from gateway.composition.errors import ErrorCode
from gateway.composition.merge.applied import access_sources, merge_applied
from gateway.composition.merge.context import MergeContext, Sources, join_directive
from gateway.composition.merge.fields import add_fields_shallow, merge_field, validate_field_sharing
from gateway.composition.merge.override import FieldMergeState, validate_override
from gateway.composition.model import Directive, Field, InputValue, TypeDef, TypeKind
from gateway.composition.specs import ACCESS_CONTROL_DIRECTIVES

__all__ = ["add_interface_object_fields", "merge_interface", "merge_object"]


def merge_object(ctx: MergeContext, sources: Sources[TypeDef], dest: TypeDef) -> None:
    """Merge the fields of an object type; a type left without fields is dropped."""
    added = add_fields_shallow(ctx, sources, dest)
    if not added:
        del ctx.merged.types[dest.name]
        ctx.removed.add(id(dest))
        return
    for merged, field_sources in added:
        state = validate_override(ctx, field_sources, merged)
        merge_field(ctx, field_sources, merged, state)
        validate_field_sharing(ctx, field_sources, merged, state)


def _validate_interface_keys(ctx: MergeContext, sources: Sources[TypeDef], dest: TypeDef) -> None:
    implementations = [t.name for t in ctx.merged.possible_types(dest.name)]
    for index, source in sources.items():
        if source is None or source.kind is not TypeKind.INTERFACE:
            continue
        resolvable = next(
            (k for k in source.applied("key") if k.value("resolvable") is not False), None
        )
        if resolvable is None:
            continue
        own = {t.name for t in ctx.schema(index).possible_types(source.name)}
        missing = [name for name in implementations if name not in own]
        if missing:
            name = ctx.names[index]
            listed = ", ".join(f'"{m}"' for m in missing)
            ctx.error(
                ErrorCode.INTERFACE_KEY_MISSING_IMPLEMENTATION_TYPE,
                f'[{name}] Interface type "{dest.name}" has a resolvable key'
                f' (@key(fields: "{resolvable.value("fields")}")) in subgraph "{name}" but that'
                " subgraph is missing some of the supergraph implementation types of"
                f' "{dest.name}". Subgraph "{name}" should define type(s) {listed} (and have'
                f' {"them" if len(missing) > 1 else "it"} implement "{dest.name}").',
                [(index, resolvable.node)],
                subgraph=index,
            )


def _validate_interface_objects(
    ctx: MergeContext, sources: Sources[TypeDef], dest: TypeDef
) -> None:
    implementations = [t.name for t in ctx.merged.possible_types(dest.name)]
    for index, source in sources.items():
        if source is None or not ctx.metadata(index).is_interface_object(source):
            continue
        defined = [n for n in implementations if ctx.schema(index).type(n) is not None]
        if defined:
            name = ctx.names[index]
            listed = ", ".join(f'"{n}"' for n in defined)
            ctx.error(
                ErrorCode.INTERFACE_OBJECT_USAGE_ERROR,
                f'[{name}] Interface type "{dest.name}" is defined as an @interfaceObject in'
                f' subgraph "{name}" so that subgraph should not define any of the implementation'
                f' types of "{dest.name}", but it defines type(s) {listed}',
                [
                    (index, source.node),
                    *((index, ctx.schema(index).types[n].node) for n in defined),
                ],
                subgraph=index,
            )


def merge_interface(ctx: MergeContext, sources: Sources[TypeDef], dest: TypeDef) -> None:
    """Merge the fields of an interface (sources may include @interfaceObject object types)."""
    _validate_interface_keys(ctx, sources, dest)
    _validate_interface_objects(ctx, sources, dest)
    for merged, field_sources in add_fields_shallow(ctx, sources, dest):
        state = validate_override(ctx, field_sources, merged)
        merge_field(ctx, field_sources, merged, state)


def _provided_by_interface_object(ctx: MergeContext, field_name: str, interface: str) -> bool:
    for index, subgraph in enumerate(ctx.subgraphs):
        own = subgraph.schema.type(interface)
        if own is None or not ctx.metadata(index).is_interface_object(own):
            continue
        f = own.fields.get(field_name)
        if f is not None and not ctx.metadata(index).is_external(f):
            return True
    return False


def _copy_non_join_directives(ctx: MergeContext, source: Field, dest: Field) -> None:
    access_control = {
        d.name: d.canonical
        for d in ctx.composed.values()
        if d.canonical in ACCESS_CONTROL_DIRECTIVES
    }
    for name, canonical in access_control.items():
        extra = access_sources(ctx).get(f"{dest.coordinate}_{canonical}", [])
        if extra:
            merge_applied(ctx, name, extra, dest)
    for directive in source.directives:
        if directive.name.startswith("join__") or directive.name in access_control:
            continue
        dest.directives.append(Directive(directive.name, dict(directive.args), kind=directive.kind))


def add_interface_object_fields(ctx: MergeContext) -> None:
    """Give implementations the interface fields only @interfaceObject subgraphs provide."""
    for owner in list(ctx.merged.of_kind(TypeKind.OBJECT)):
        for interface_name in owner.interfaces:
            interface = ctx.merged.type(interface_name)
            if interface is None:
                continue
            for itf_field in interface.fields.values():
                if itf_field.name in owner.fields:
                    continue
                if not _provided_by_interface_object(ctx, itf_field.name, interface_name):
                    continue
                added = Field(
                    name=itf_field.name,
                    type=itf_field.type,
                    parent=owner.name,
                    description=itf_field.description,
                )
                owner.fields[added.name] = added
                _copy_non_join_directives(ctx, itf_field, added)
                for arg in itf_field.args.values():
                    added.args[arg.name] = InputValue(
                        arg.name,
                        arg.type,
                        arg.default,
                        arg.description,
                        [Directive(d.name, dict(d.args), kind=d.kind) for d in arg.directives],
                        parent=added.coordinate,
                    )
                added.directives.append(join_directive("field"))
                nothing: Sources[Field] = dict.fromkeys(range(len(ctx.subgraphs)))
                validate_field_sharing(ctx, nothing, added, FieldMergeState())
