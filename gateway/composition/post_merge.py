"""Checks that need the merged supergraph: interface implementations, @requires, @inaccessible."""

from __future__ import annotations

from gateway.composition.errors import ErrorCode
from gateway.composition.fieldset import FieldSetError, parse_field_set
from gateway.composition.inaccessible import validate_inaccessible
from gateway.composition.merge.context import MergeContext, subgraph_list
from gateway.composition.metadata import fields_argument
from gateway.composition.model import TypeKind
from gateway.composition.satisfiability import validate_satisfiability
from gateway.composition.typeref import base_name

__all__ = ["validate_merged"]


def _interface_fields_implemented(ctx: MergeContext) -> None:
    for owner in ctx.merged.types.values():
        if owner.kind not in (TypeKind.OBJECT, TypeKind.INTERFACE):
            continue
        for interface_name in owner.interfaces:
            interface = ctx.merged.type(interface_name)
            if interface is None:
                continue
            for itf_field in interface.fields.values():
                if itf_field.name in owner.fields:
                    continue
                with_field = [
                    i
                    for i, s in enumerate(ctx.subgraphs)
                    if (t := s.schema.type(interface_name)) is not None
                    and t.kind is TypeKind.INTERFACE
                    and itf_field.name in t.fields
                ]
                implementing = [
                    i
                    for i, s in enumerate(ctx.subgraphs)
                    if (t := s.schema.type(owner.name)) is not None
                    and interface_name in t.interfaces
                ]
                ctx.error(
                    ErrorCode.INTERFACE_FIELD_NO_IMPLEM,
                    f'Interface field "{itf_field.coordinate}" is declared in'
                    f" {subgraph_list([ctx.names[i] for i in with_field])} but type"
                    f' "{owner.name}", which implements "{interface_name}" only in'
                    f" {subgraph_list([ctx.names[i] for i in implementing])} does not have field"
                    f' "{itf_field.name}".',
                    [
                        (i, ctx.schema(i).types[interface_name].fields[itf_field.name].node)
                        for i in with_field
                    ]
                    + [(i, ctx.schema(i).types[owner.name].node) for i in implementing],
                )


def _requires_valid_on_supergraph(ctx: MergeContext) -> None:
    for index, subgraph in enumerate(ctx.subgraphs):
        for owner in subgraph.schema.types.values():
            for f in owner.fields.values():
                for requires in f.applied("requires"):
                    text = fields_argument(requires)
                    if text is None or ctx.merged.type(owner.name) is None:
                        continue
                    try:
                        parse_field_set(ctx.merged, owner.name, text)
                    except FieldSetError as exc:
                        ctx.error(
                            ErrorCode.REQUIRES_INVALID_FIELDS,
                            f'[{subgraph.name}] On field "{f.coordinate}", for @{requires.name}'
                            f'(fields: "{text}"): {exc.message} (the @requires is valid in its'
                            " subgraph but arguments of the required fields are merged by"
                            " intersection across subgraphs)",
                            [(index, requires.node)],
                            subgraph=index,
                        )


def _shared_runtime_types(ctx: MergeContext) -> None:
    for owner in ctx.merged.types.values():
        for f in owner.fields.values():
            target = ctx.merged.type(base_name(f.type))
            if target is None or target.kind not in (TypeKind.INTERFACE, TypeKind.UNION):
                continue
            per_subgraph: dict[int, set[str]] = {}
            nodes = []
            for index, subgraph in enumerate(ctx.subgraphs):
                own = subgraph.schema.field(owner.name, f.name)
                if own is None or ctx.metadata(index).is_external(own):
                    continue
                per_subgraph[index] = {t.name for t in subgraph.schema.possible_types(target.name)}
                nodes.append((index, own.node))
            if len(per_subgraph) < 2 or not all(per_subgraph.values()):
                continue
            if set.intersection(*per_subgraph.values()):
                continue
            details = "; ".join(
                f"in {subgraph_list([ctx.names[i]])}, {', '.join(sorted(types))}"
                for i, types in per_subgraph.items()
            )
            ctx.error(
                ErrorCode.SHAREABLE_HAS_MISMATCHED_RUNTIME_TYPES,
                f'Shared field "{f.coordinate}" return type "{f.type}" has a non-intersecting set'
                f" of possible runtime types across subgraphs: {details}. Shared fields must"
                " resolve the same way in all subgraphs, so they need common runtime types.",
                nodes,
            )


def validate_merged(ctx: MergeContext) -> None:
    """Run the post-merge checks; errors go to ``ctx.errors``."""
    _interface_fields_implemented(ctx)
    _requires_valid_on_supergraph(ctx)
    if not ctx.errors:
        validate_inaccessible(ctx)
    if not ctx.errors:
        _shared_runtime_types(ctx)
        validate_satisfiability(ctx)
