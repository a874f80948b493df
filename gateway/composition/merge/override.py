"""@override: which subgraph resolves a field, and progressive (labelled) migrations."""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from graphql.language import Node

from gateway.composition.errors import ErrorCode
from gateway.composition.merge.context import MergeContext, Sources
from gateway.composition.model import Directive, Field, TypeKind

__all__ = ["FieldMergeState", "interface_object_fields", "validate_override"]

_LABEL = re.compile(r"^[a-zA-Z][a-zA-Z0-9_\-:./]*$")
_PERCENT = re.compile(r"^percent\((\d{1,2}(\.\d{1,8})?|100)\)$")


@dataclass(slots=True)
class FieldMergeState:
    """Per subgraph index: how @override affects that subgraph's definition of the field."""

    used_overridden: set[int] = field(default_factory=set)
    unused_overridden: set[int] = field(default_factory=set)
    unknown_target: set[int] = field(default_factory=set)
    labels: dict[int, str] = field(default_factory=dict)

    def is_overridden(self, index: int) -> bool:
        """Overridden (used or not) in subgraph ``index``."""
        return index in self.used_overridden or index in self.unused_overridden


def interface_object_fields(ctx: MergeContext, dest: Field, index: int) -> list[Field]:
    """Fields standing in for ``dest`` in subgraph ``index`` through @interfaceObject types."""
    parent = ctx.merged.type(dest.parent)
    schema = ctx.schema(index)
    if parent is None or parent.kind is not TypeKind.OBJECT or schema.type(parent.name):
        return []
    found = []
    for interface in parent.interfaces:
        merged_interface = ctx.merged.type(interface)
        if merged_interface is None or dest.name not in merged_interface.fields:
            continue
        own = schema.type(interface)
        if own is not None and own.kind is TypeKind.OBJECT and dest.name in own.fields:
            found.append(own.fields[dest.name])
    return found


def _node(directive: Directive | None) -> Node | None:
    return directive.node if directive is not None else None


def _valid_label(label: str) -> bool:
    if _LABEL.match(label):
        return True
    match = _PERCENT.match(label)
    return match is not None and 0 <= float(match[1]) <= 100


@dataclass(slots=True)
class _Candidate:
    index: int
    source: Field | None
    override: Directive | None
    abstracting: list[Field]


def validate_override(ctx: MergeContext, sources: Sources[Field], dest: Field) -> FieldMergeState:
    """Check every @override of ``dest`` and work out which definitions it takes over."""
    state = FieldMergeState()
    if dest.coordinate not in ctx.overridden:
        return state
    candidates: dict[str, _Candidate] = {}
    for index, source in sources.items():
        if source is None:
            abstracting = interface_object_fields(ctx, dest, index)
            if abstracting:
                candidates[ctx.names[index]] = _Candidate(index, None, None, abstracting)
            continue
        overrides = source.applied("override")
        candidates[ctx.names[index]] = _Candidate(
            index, source, overrides[0] if overrides else None, []
        )
    with_override = [n for n, c in candidates.items() if c.override is not None]
    for name in with_override:
        candidate = candidates[name]
        override = candidate.override
        assert override is not None and candidate.source is not None
        index = candidate.index
        owner = ctx.schema(index).type(candidate.source.parent)
        location = [(index, override.node)]
        if owner is not None and owner.kind is TypeKind.INTERFACE:
            ctx.error(
                ErrorCode.OVERRIDE_ON_INTERFACE,
                f'@override cannot be used on field "{dest.coordinate}" on subgraph "{name}":'
                " @override is not supported on interface type fields.",
                location,
            )
            continue
        if owner is not None and ctx.metadata(index).is_interface_object(owner):
            ctx.error(
                ErrorCode.OVERRIDE_COLLISION_WITH_ANOTHER_DIRECTIVE,
                "@override is not yet supported on fields of @interfaceObject types: cannot be"
                f' used on field "{dest.coordinate}" on subgraph "{name}".',
                location,
            )
            continue
        target = override.value("from")
        if target not in ctx.names:
            state.unknown_target.add(index)
            ctx.hint(
                "FROM_SUBGRAPH_DOES_NOT_EXIST",
                f'Source subgraph "{target}" for field "{dest.coordinate}" on subgraph "{name}"'
                " does not exist.",
            )
            continue
        if target == name:
            ctx.error(
                ErrorCode.OVERRIDE_FROM_SELF_ERROR,
                f'Source and destination subgraphs "{target}" are the same for overridden field'
                f' "{dest.coordinate}"',
                location,
            )
            continue
        if target in with_override:
            ctx.error(
                ErrorCode.OVERRIDE_SOURCE_HAS_OVERRIDE,
                f'Field "{dest.coordinate}" on subgraph "{name}" is also marked with directive'
                f' @override in subgraph "{target}". Only one @override directive is allowed per'
                " field.",
                [*location, (candidates[target].index, _node(candidates[target].override))],
            )
            continue
        if target not in candidates:
            ctx.hint(
                "OVERRIDE_DIRECTIVE_CAN_BE_REMOVED",
                f'Field "{dest.coordinate}" on subgraph "{name}" no longer exists in the from'
                " subgraph. The @override directive can be removed.",
            )
            continue
        origin = candidates[target]
        if origin.abstracting:
            ctx.error(
                ErrorCode.OVERRIDE_COLLISION_WITH_ANOTHER_DIRECTIVE,
                f'Invalid @override on field "{dest.coordinate}" of subgraph "{name}": source'
                f' subgraph "{target}" does not have field "{dest.coordinate}" but abstracts it'
                " in an @interfaceObject type and overriding abstracted fields is not supported.",
                location,
            )
            continue
        _apply(ctx, state, dest, name, index, override, target, origin)
    return state


def _apply(
    ctx: MergeContext,
    state: FieldMergeState,
    dest: Field,
    name: str,
    index: int,
    override: Directive,
    target: str,
    origin: _Candidate,
) -> None:
    from_field = origin.source
    assert from_field is not None
    from_index = origin.index
    from_metadata = ctx.metadata(from_index)
    conflicting = next(
        (d for d in from_field.directives if d.kind in ("requires", "provides")), None
    )
    own = ctx.subgraphs[index].schema.field(dest.parent, dest.name)
    conflict_name = conflicting.name if conflicting else None
    conflict_subgraph = target
    if conflicting is None and own is not None and ctx.metadata(index).is_external(own):
        conflict_name, conflict_subgraph = "external", name
    if conflict_name is not None:
        ctx.error(
            ErrorCode.OVERRIDE_COLLISION_WITH_ANOTHER_DIRECTIVE,
            f'@override cannot be used on field "{from_field.coordinate}" on subgraph "{name}"'
            f' since "{from_field.coordinate}" on "{conflict_subgraph}" is marked with directive'
            f' "@{conflict_name}"',
            [(index, override.node)],
        )
        return
    label = override.value("label")
    referenced = from_metadata.is_used(from_field)
    if from_metadata.is_external(from_field):
        ctx.hint(
            "OVERRIDE_DIRECTIVE_CAN_BE_REMOVED",
            f'Field "{dest.coordinate}" on subgraph "{name}" is not resolved anymore by the from'
            f' subgraph (it is marked "@external" in "{target}"). The @override directive can be'
            " removed.",
        )
    elif referenced:
        state.used_overridden.add(from_index)
    else:
        state.unused_overridden.add(from_index)
    if label is None:
        return
    if isinstance(label, str) and _valid_label(label):
        state.labels[index] = label
        state.labels[from_index] = label
        ctx.hint(
            "OVERRIDE_MIGRATION_IN_PROGRESS",
            f'Field "{dest.coordinate}" is currently being migrated with progressive @override.'
            f' Once the migration is complete, remove the field from subgraph "{target}".',
        )
        return
    ctx.error(
        ErrorCode.OVERRIDE_LABEL_INVALID,
        f'Invalid @override label "{label}" on field "{dest.coordinate}" on subgraph "{name}":'
        " labels must start with a letter and after that may contain alphanumerics,"
        " underscores, minuses, colons, periods, or slashes. Alternatively, labels may be of the"
        ' form "percent(x)" where x is a float between 0-100 inclusive.',
        [(index, override.node)],
    )
