"""Response shaping: project merged subgraph data onto the client's selections.

A :class:`ObjectShape` tree is compiled once per planned operation from the normalized
selections and the API schema (fields per runtime type, nullability, list depth, enum values);
per request :func:`project` walks the data once, applying type conditions, dropping
planner-added fields, checking enum values and propagating nulls of non-null fields.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from graphql import (
    GraphQLEnumType,
    GraphQLList,
    GraphQLNonNull,
    GraphQLObjectType,
    GraphQLOutputType,
    GraphQLSchema,
    get_named_type,
    is_abstract_type,
)

from gateway.execution.shape_model import FieldShape, NullViolation, ObjectShape
from gateway.execution.shaper import compile_shaper
from gateway.planning.operation import Field, Selection

__all__ = ["RESPONSE_VALIDATION_FAILED", "FieldShape", "ObjectShape", "compile_shape", "project"]

#: the code of errors for subgraph data the schema does not allow (a null in a non-null field,
#: an unknown enum value)
RESPONSE_VALIDATION_FAILED = "RESPONSE_VALIDATION_FAILED"


def _levels(output_type: GraphQLOutputType) -> tuple[bool, ...]:
    levels: list[bool] = []
    current: Any = output_type
    while True:
        non_null = isinstance(current, GraphQLNonNull)
        if non_null:
            current = current.of_type
        levels.append(non_null)
        if isinstance(current, GraphQLList):
            current = current.of_type
            continue
        return tuple(levels)


def _collect(
    schema: GraphQLSchema,
    runtime: str,
    parent: str,
    selections: Sequence[Selection],
    into: dict[str, list[Field]],
) -> None:
    for selection in selections:
        if isinstance(selection, Field):
            into.setdefault(selection.response_key, []).append(selection)
            continue
        condition = selection.type_condition
        if condition is None or condition in (runtime, parent):
            _collect(schema, runtime, parent, selection.selections, into)
            continue
        condition_type = schema.get_type(condition)
        runtime_type = schema.get_type(runtime)
        if (
            condition_type is not None
            and is_abstract_type(condition_type)
            and isinstance(runtime_type, GraphQLObjectType)
            and schema.is_sub_type(condition_type, runtime_type)
        ):
            _collect(schema, runtime, parent, selection.selections, into)


def _fields(
    schema: GraphQLSchema,
    type_name: str,
    parent: str,
    selections: Sequence[Selection],
    root: bool,
) -> tuple[FieldShape, ...]:
    grouped: dict[str, list[Field]] = {}
    _collect(schema, type_name, parent, selections, grouped)
    named = schema.get_type(type_name)
    shapes: list[FieldShape] = []
    for key, occurrences in grouped.items():
        first = occurrences[0]
        if first.name == "__typename":
            shapes.append(FieldShape(key, "__typename", type_name, (True,)))
            continue
        if first.name in ("__schema", "__type") and root:
            shapes.append(FieldShape(key, first.name, type_name, (False,), passthrough=True))
            continue
        field_def = getattr(named, "fields", {}).get(first.name)
        if field_def is None:
            continue
        field_type = field_def.type
        leaf = get_named_type(field_type)
        child = None
        enum_values = None
        if isinstance(leaf, GraphQLEnumType):
            enum_values = frozenset(leaf.values)
        elif not hasattr(leaf, "serialize"):
            merged: list[Selection] = []
            for occurrence in occurrences:
                merged.extend(occurrence.selections or ())
            child = compile_shape(schema, leaf.name, merged)
        shapes.append(
            FieldShape(key, first.name, type_name, _levels(field_type), child, enum_values)
        )
    return tuple(shapes)


def compile_shape(
    schema: GraphQLSchema, type_name: str, selections: Sequence[Selection], *, root: bool = False
) -> ObjectShape:
    """Compile the shape of ``selections`` on ``type_name`` (a type of the API schema)."""
    named = schema.get_type(type_name)
    if named is not None and is_abstract_type(named):
        by_type = {
            possible.name: _fields(schema, possible.name, type_name, selections, False)
            for possible in schema.get_possible_types(named)
        }
        default = _fields(schema, type_name, type_name, selections, False)
        abstract_names = frozenset(
            name for name, t in schema.type_map.items() if is_abstract_type(t)
        )
        return ObjectShape(None, by_type, default, abstract_names)
    fields = _fields(schema, type_name, type_name, selections, root)
    return ObjectShape(type_name, {type_name: fields}, fields)


def _complete(value: Any, field: FieldShape, level: int, errors: list[NullViolation]) -> Any:
    non_null = field.non_null[level]
    if value is None:
        if non_null:
            return NullViolation(
                f"Cannot return null for non-nullable field {field.parent}.{field.name}."
            )
        return None
    if level + 1 < len(field.non_null):
        if not isinstance(value, list):
            return NullViolation(f"Expected a list for field {field.parent}.{field.name}.")
        items: list[Any] = []
        for index, item in enumerate(value):
            before = len(errors)
            completed = _complete(item, field, level + 1, errors)
            if len(errors) != before:
                for pending in errors[before:]:
                    pending.path.insert(0, index)
            if isinstance(completed, NullViolation):
                completed.path.insert(0, index)
                if non_null:
                    return completed
                _record(completed, errors)
                return None
            items.append(completed)
        return items
    if field.child is not None:
        if not isinstance(value, dict):
            return NullViolation(f"Expected an object for field {field.parent}.{field.name}.")
        projected = _object(value, field.child, errors)
        if projected is None:  # an object of a type clients cannot see
            if non_null:
                return NullViolation(
                    f"Cannot return null for non-nullable field {field.parent}.{field.name}."
                )
            return None
        if isinstance(projected, NullViolation):
            if non_null:
                return projected
            _record(projected, errors)
            return None
        return projected
    if field.enum_values is not None and not (
        isinstance(value, str) and value in field.enum_values
    ):  # enum values are names: a number, list or object is never one
        violation = NullViolation(
            f"Enum value {value!r} is not a value of field {field.parent}.{field.name}'s type."
        )
        if non_null:
            return violation
        _record(violation, errors)
        return None
    return value


def _record(violation: NullViolation, errors: list[NullViolation]) -> None:
    errors.append(violation)


def _object(
    value: dict[str, Any], shape: ObjectShape, errors: list[NullViolation]
) -> dict[str, Any] | NullViolation | None:
    runtime = shape.static_type or value.get("__typename")
    if runtime is None:
        fields = shape.default
    else:
        found = shape.by_type.get(runtime)
        if found is None:
            if runtime not in shape.default_for:
                return None
            found = shape.default
        fields = found
    out: dict[str, Any] = {}
    get = value.get
    for field in fields:
        key = field.key
        kind = field.kind
        if kind == 3:  # the hot path: a scalar copied as it is
            item = get(key)
            if item is None and field.non_null[0]:
                violation = NullViolation(
                    f"Cannot return null for non-nullable field {field.parent}.{field.name}."
                )
                violation.path.insert(0, key)
                return violation
            out[key] = item
            continue
        if kind == 1:
            out[key] = runtime
            continue
        if kind == 2:
            out[key] = get(key)
            continue
        before = len(errors)
        completed = _complete(value.get(key), field, 0, errors)
        if len(errors) != before:
            for pending in errors[before:]:
                pending.path.insert(0, key)
        if isinstance(completed, NullViolation):
            completed.path.insert(0, key)
            return completed
        out[key] = completed
    return out


def project(
    data: dict[str, Any],
    shape: ObjectShape,
    errors: list[dict[str, Any]],
    *,
    generic: bool = False,
) -> dict[str, Any] | None:
    """The client's ``data`` from merged ``data``; errors for null violations are appended.

    A violation already explained by an error at the same path or below it adds nothing.
    The shape's specialized projection (:func:`compile_shaper`) runs unless ``generic`` asks
    for the generic walk (the reference the tests compare it with).
    """
    violations: list[NullViolation] = []
    if not (shape.compiled or generic):
        shape.shaper = compile_shaper(shape)
        shape.compiled = True
    shaper = None if generic else shape.shaper
    result = shaper(data, violations) if shaper is not None else _object(data, shape, violations)
    if isinstance(result, NullViolation):
        violations.append(result)
        result = None
    if violations:
        known = [e["path"] for e in errors if isinstance(e.get("path"), list)]
        for violation in violations:
            path = violation.path
            if any(existing[: len(path)] == path for existing in known):
                continue
            errors.append(
                {
                    "message": violation.message,
                    "path": path,
                    "extensions": {"code": RESPONSE_VALIDATION_FAILED},
                }
            )
    return result
