"""Applied directives carried into the supergraph (@inaccessible, @tag, auth, cost, @deprecated).

Applications are recorded while elements are merged and merged once every element exists,
except @inaccessible, which is merged at once because enum and input merging depend on it.
Access-control directives also propagate: from object types and fields up to the interfaces
they implement, and from @interfaceObject fields down to the implementations.
"""

from __future__ import annotations

from collections import Counter
from typing import Any

from graphql.language import ConstValueNode

from gateway.composition.merge.context import MergeContext, Sources
from gateway.composition.merge.strategies import ARGUMENT_STRATEGIES
from gateway.composition.model import Directive, Field, InputValue, TypeDef, TypeKind
from gateway.composition.specs import ACCESS_CONTROL_DIRECTIVES
from gateway.composition.typeref import NamedRef
from gateway.composition.values import (
    ast_value,
    canonical,
    parse_const_value,
    python_value,
)

__all__ = [
    "is_merged_directive",
    "merge_pending_directives",
    "record_directives",
    "record_field_directives",
    "record_type_directives",
]

#: GraphQL built-in type-system directives: (arguments with defaults)
_BUILT_INS: dict[str, dict[str, InputValue]] = {
    "deprecated": {
        "reason": InputValue(
            "reason", NamedRef("String"), parse_const_value('"No longer supported"')
        )
    },
    "specifiedBy": {"url": InputValue("url", NamedRef("String"))},
}


def is_merged_directive(ctx: MergeContext, directive: Directive) -> bool:
    """Whether an application is carried into the supergraph."""
    if directive.name in _BUILT_INS:
        return True
    composed = ctx.composed.get(directive.name)
    return composed is not None and composed.canonical == directive.kind


def _names(ctx: MergeContext, elements: list[Any]) -> list[str]:
    names: list[str] = []
    for element in elements:
        for directive in element.directives:
            if directive.name not in names and is_merged_directive(ctx, directive):
                names.append(directive.name)
    return names


def _present(sources: Sources[Any]) -> list[Any]:
    return [s for s in sources.values() if s is not None]


def record_directives(ctx: MergeContext, sources: Sources[Any], dest: Any) -> None:
    """Record the merged directives of ``sources`` for ``dest`` (@inaccessible applied now)."""
    elements = _present(sources)
    names = _names(ctx, elements)
    inaccessible = ctx.inaccessible
    if inaccessible in names:
        merge_applied(ctx, inaccessible, elements, dest)
        names.remove(inaccessible)
    ctx.pending_directives.append((names, dict(enumerate(elements)), dest))


def _record_access_control(
    ctx: MergeContext, elements: list[Any], names: list[str], dest: Any, coordinate: str
) -> None:
    for directive in ctx.composed.values():
        if directive.canonical not in ACCESS_CONTROL_DIRECTIVES:
            continue
        extra = access_sources(ctx).get(f"{coordinate}_{directive.canonical}", [])
        if directive.name in names or extra:
            merged = [*elements, *extra]
            ctx.pending_directives.append(([directive.name], dict(enumerate(merged)), dest))
        if directive.name in names:
            names.remove(directive.name)


def record_type_directives(ctx: MergeContext, sources: Sources[TypeDef], dest: TypeDef) -> None:
    """Like :func:`record_directives`, plus access control propagated to interfaces."""
    elements = _present(sources)
    names = _names(ctx, elements)
    inaccessible = ctx.inaccessible
    if inaccessible in names:
        merge_applied(ctx, inaccessible, elements, dest)
        names.remove(inaccessible)
    if dest.kind is TypeKind.INTERFACE:
        _record_access_control(ctx, elements, names, dest, dest.name)
    ctx.pending_directives.append((names, dict(enumerate(elements)), dest))


def record_field_directives(ctx: MergeContext, sources: Sources[Field], dest: Field) -> None:
    """Like :func:`record_directives`, plus access control propagated between types."""
    elements = _present(sources)
    names = _names(ctx, elements)
    inaccessible = ctx.inaccessible
    if inaccessible in names:
        merge_applied(ctx, inaccessible, elements, dest)
        names.remove(inaccessible)
    _record_access_control(ctx, elements, names, dest, dest.coordinate)
    ctx.pending_directives.append((names, dict(enumerate(elements)), dest))


def access_sources(ctx: MergeContext) -> dict[str, list[Any]]:
    """Where access-control requirements propagate (computed once, after implements merged)."""
    if ctx.access_sources is not None:
        return ctx.access_sources
    result: dict[str, list[Any]] = {}
    interface_to_impls: dict[str, list[str]] = {}
    impl_to_interfaces: dict[str, list[str]] = {}
    for interface in ctx.merged.of_kind(TypeKind.INTERFACE):
        for implementation in ctx.merged.possible_types(interface.name):
            interface_to_impls.setdefault(interface.name, []).append(implementation.name)
            impl_to_interfaces.setdefault(implementation.name, []).append(interface.name)
    for index, subgraph in enumerate(ctx.subgraphs):
        metadata = ctx.metadata(index)
        for owner in subgraph.schema.types.values():
            if owner.kind is not TypeKind.OBJECT:
                continue
            for kind in ACCESS_CONTROL_DIRECTIVES:
                if owner.has(kind):
                    for itf in impl_to_interfaces.get(owner.name, []):
                        result.setdefault(f"{itf}_{kind}", []).append(owner)
                for f in owner.fields.values():
                    if not f.has(kind) or metadata.is_external(f):
                        continue
                    if metadata.is_interface_object(owner):
                        others: list[str] = []
                        for impl in interface_to_impls.get(owner.name, []):
                            result.setdefault(f"{impl}.{f.name}_{kind}", []).append(f)
                            others.extend(
                                i
                                for i in impl_to_interfaces.get(impl, [])
                                if i != owner.name and i not in others
                            )
                        for itf in others:
                            result.setdefault(f"{itf}.{f.name}_{kind}", []).append(f)
                    else:
                        for itf in impl_to_interfaces.get(owner.name, []):
                            result.setdefault(f"{itf}.{f.name}_{kind}", []).append(f)
    ctx.access_sources = result
    return result


def _definition_arguments(ctx: MergeContext, name: str) -> dict[str, InputValue]:
    composed = ctx.composed.get(name)
    if composed is not None:
        return composed.arguments
    return _BUILT_INS.get(name, {})


def _with_defaults(ctx: MergeContext, directive: Directive) -> Any:
    values: dict[str, Any] = {}
    for name, argument in _definition_arguments(ctx, directive.name).items():
        node = directive.args.get(name, argument.default)
        if node is not None:
            values[name] = canonical(node)
    for name, node in directive.args.items():
        values.setdefault(name, canonical(node))
    return tuple(sorted(values.items()))


def merge_applied(ctx: MergeContext, name: str, elements: list[Any], dest: Any) -> None:
    """Apply to ``dest`` the merge of every ``@name`` found on ``elements``."""
    per_source = [[d for d in e.directives if d.name == name] for e in elements]
    per_source = [ds for ds in per_source if ds]
    if not per_source:
        return
    composed = ctx.composed.get(name)
    kind = composed.canonical if composed else None
    if composed is not None and composed.repeatable:
        applied: list[Any] = []
        for directives in per_source:
            for directive in directives:
                key = _with_defaults(ctx, directive)
                if key not in applied:
                    applied.append(key)
                    dest.directives.append(Directive(name, dict(directive.args), kind=kind))
        return
    distinct: list[Directive] = []
    counts: Counter[Any] = Counter()
    for directives in per_source:
        key = _with_defaults(ctx, directives[0])
        if counts[key] == 0:
            distinct.append(directives[0])
        counts[key] += 1
    if len(distinct) == 1:
        dest.directives.append(Directive(name, dict(distinct[0].args), kind=kind))
        return
    arguments = _definition_arguments(ctx, name)
    if kind is not None and all((kind, a) in ARGUMENT_STRATEGIES for a in arguments):
        merged: dict[str, ConstValueNode] = {}
        for argument, definition in arguments.items():
            values = [
                python_value(d.args[argument])
                if argument in d.args
                else (python_value(definition.default) if definition.default else None)
                for d in distinct
            ]
            value = ARGUMENT_STRATEGIES[(kind, argument)](values)
            if value is not None:
                merged[argument] = ast_value(value)
        dest.directives.append(Directive(name, merged, kind=kind))
        ctx.hint(
            "MERGED_NON_REPEATABLE_DIRECTIVE_ARGUMENTS",
            f'Directive @{name} is applied to "{_coordinate(dest)}" in multiple subgraphs with'
            " different arguments; the arguments were merged.",
        )
        return
    best = max(distinct, key=lambda d: counts[_with_defaults(ctx, d)])
    dest.directives.append(Directive(name, dict(best.args), kind=kind))
    ctx.hint(
        "INCONSISTENT_NON_REPEATABLE_DIRECTIVE_ARGUMENTS",
        f'Non-repeatable directive @{name} is applied to "{_coordinate(dest)}" in multiple'
        " subgraphs but with incompatible arguments.",
    )


def _coordinate(element: Any) -> str:
    return str(getattr(element, "coordinate", getattr(element, "name", "schema")))


def merge_pending_directives(ctx: MergeContext) -> None:
    """Merge every recorded application whose destination is still in the supergraph."""
    for names, sources, dest in ctx.pending_directives:
        if id(dest) in ctx.removed:
            continue
        elements = [s for s in sources.values() if s is not None]
        for name in names:
            merge_applied(ctx, name, elements, dest)
    ctx.pending_directives.clear()
