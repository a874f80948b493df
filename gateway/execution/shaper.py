"""A projection specialized to one :class:`ObjectShape`: generated Python, compiled once.

:func:`shape.project` walks a shape tree generically: for every field of every object it reads
the field's kind, key, nullability and list depth from the shape. For one planned operation
those never change, so :func:`compile_shaper` writes them into straight-line code instead: one
function per object position (per runtime type for abstract ones) that reads each response key
with ``dict.get``, checks non-null positions inline and returns the object as one dict
display, and one loop per list level. The result is exactly the generic projection's (same
values, same key order, same null propagation and error paths: the tests run both on the same
data); shapes too large to be worth compiling keep the generic walk.

Only names the generator makes up and ``repr`` of strings (response keys, schema names) are
written into the source; sets and messages are passed as constants.
"""

from __future__ import annotations

from typing import Any

from gateway.execution.shape_model import FieldShape, NullViolation, ObjectShape, Shaper

__all__ = ["MAX_FIELDS", "compile_shaper"]

#: shapes with more field positions than this keep the generic walk (bounded compile time)
MAX_FIELDS = 4000


class _TooLarge(Exception):  # noqa: N818 - a signal, caught below
    pass


class _Writer:
    """Accumulates the generated functions and the constants they refer to."""

    def __init__(self) -> None:
        self.lines: list[str] = []
        self.namespace: dict[str, Any] = {}
        self.count = 0
        self.fields = 0

    def name(self, prefix: str) -> str:
        self.count += 1
        return f"{prefix}{self.count}"

    def const(self, value: object) -> str:
        name = self.name("k")
        self.namespace[name] = value
        return name

    # ------------------------------------------------------------------ objects
    def object_function(self, shape: ObjectShape) -> str:
        """Emit the function of an object position; returns its name."""
        if shape.static_type is not None:
            fields = shape.by_type.get(shape.static_type)
            if fields is None:  # cannot happen for compiled shapes; keep the generic answer
                return self.const(lambda value, errors: None)
            return self._fields_function(fields, repr(shape.static_type))
        per_type = {
            runtime: self._fields_function(fields, "runtime")
            for runtime, fields in shape.by_type.items()
        }
        default = self._fields_function(shape.default, "runtime")
        table = self.name("t")
        entries = ", ".join(f"{runtime!r}: {name}" for runtime, name in per_type.items())
        self.lines += [f"{table} = {{{entries}}}", ""]
        default_for = self.const(shape.default_for)
        name = self.name("o")
        self.lines += [
            f"def {name}(value, errors):",
            "    runtime = value.get('__typename')",
            "    if runtime is None:",
            f"        return {default}(value, errors, None)",
            f"    found = {table}.get(runtime)",
            "    if found is None:",
            f"        if runtime not in {default_for}:",
            "            return None",
            f"        return {default}(value, errors, runtime)",
            "    return found(value, errors, runtime)",
            "",
        ]
        return name

    def _fields_function(self, fields: tuple[FieldShape, ...], runtime: str) -> str:
        self.fields += len(fields)
        if self.fields > MAX_FIELDS:
            raise _TooLarge
        body: list[str] = []
        values: list[str] = []
        for index, field in enumerate(fields):
            key = repr(field.key)
            var = f"v{index}"
            if field.kind == 1:
                values.append(f"{key}: {runtime}")
                continue
            values.append(f"{key}: {var}")
            if field.kind == 2:
                body.append(f"    {var} = get({key})")
                continue
            if field.kind == 3:
                body.append(f"    {var} = get({key})")
                if field.non_null[0]:
                    message = self.const(_null_message(field))
                    body += [
                        f"    if {var} is None:",
                        f"        return _at(NV({message}), {key})",
                    ]
                continue
            body.append(f"    {var} = get({key})")
            body.append(f"    if {var} is None:")
            if field.non_null[0]:
                body.append(f"        return _at(NV({self.const(_null_message(field))}), {key})")
            else:
                body.append("        pass")
            body.append("    else:")
            body.append("        before = len(errors)")
            body += self._complete(var, var, field, 0, "        ")
            body += [
                "        if len(errors) != before:",
                f"            _prefix(errors, before, {key})",
                f"        if {var}.__class__ is NV:",
                f"            return _at({var}, {key})",
            ]
        name = self.name("f")
        signature = "value, errors" if runtime != "runtime" else "value, errors, runtime"
        self.lines += [
            f"def {name}({signature}):",
            "    get = value.get",
            *body,
            "    return {" + ", ".join(values) + "}",
            "",
        ]
        return name

    # ------------------------------------------------------------------ values
    def _complete(
        self, source: str, target: str, field: FieldShape, level: int, indent: str
    ) -> list[str]:
        """Code completing ``source`` (not ``None``) into ``target`` like ``shape._complete``."""
        non_null = field.non_null[level]
        if level + 1 < len(field.non_null):
            function = self._list_function(field, level)
            return [f"{indent}{target} = {function}({source}, errors)"]
        if field.child is not None:
            child = self.object_function(field.child)
            lines = [
                f"{indent}if not isinstance({source}, dict):",
                f"{indent}    {target} = NV({self.const(_object_message(field))})",
                f"{indent}else:",
                f"{indent}    {target} = {child}({source}, errors)",
                f"{indent}    if {target} is None:",
            ]
            if non_null:
                lines.append(f"{indent}        {target} = NV({self.const(_null_message(field))})")
            else:
                lines += [
                    f"{indent}        pass",
                    f"{indent}    elif {target}.__class__ is NV:",
                    f"{indent}        errors.append({target})",
                    f"{indent}        {target} = None",
                ]
            return lines
        if field.enum_values is not None:
            allowed = self.const(field.enum_values)
            message = self.const(field)
            lines = [f"{indent}if not (isinstance({source}, str) and {source} in {allowed}):"]
            if non_null:
                lines.append(f"{indent}    {target} = NV(_enum_message({source}, {message}))")
            else:
                lines += [
                    f"{indent}    errors.append(NV(_enum_message({source}, {message})))",
                    f"{indent}    {target} = None",
                ]
            if target != source:
                lines += [f"{indent}else:", f"{indent}    {target} = {source}"]
            return lines
        return [] if target == source else [f"{indent}{target} = {source}"]

    def _list_function(self, field: FieldShape, level: int) -> str:
        non_null_items = field.non_null[level + 1]
        lines = [
            "    if not isinstance(value, list):",
            f"        return NV({self.const(_list_message(field))})",
            "    items = []",
            "    append = items.append",
            "    for index, item in enumerate(value):",
            "        if item is None:",
        ]
        if non_null_items:
            violation = f"_at(NV({self.const(_null_message(field))}), index)"
            if field.non_null[level]:
                lines.append(f"            return {violation}")
            else:
                lines += [f"            errors.append({violation})", "            return None"]
        else:
            lines += ["            append(None)", "            continue"]
        lines.append("        before = len(errors)")
        lines += self._complete("item", "item", field, level + 1, "        ")
        lines += [
            "        if len(errors) != before:",
            "            _prefix(errors, before, index)",
            "        if item.__class__ is NV:",
        ]
        if field.non_null[level]:
            lines.append("            return _at(item, index)")
        else:
            lines += ["            errors.append(_at(item, index))", "            return None"]
        lines += ["        append(item)", "    return items"]
        name = self.name("l")
        self.lines += [f"def {name}(value, errors):", *lines, ""]
        return name


def _null_message(field: FieldShape) -> str:
    return f"Cannot return null for non-nullable field {field.parent}.{field.name}."


def _object_message(field: FieldShape) -> str:
    return f"Expected an object for field {field.parent}.{field.name}."


def _list_message(field: FieldShape) -> str:
    return f"Expected a list for field {field.parent}.{field.name}."


def _enum_message(value: object, field: FieldShape) -> str:
    return f"Enum value {value!r} is not a value of field {field.parent}.{field.name}'s type."


def _at(violation: NullViolation, step: str | int) -> NullViolation:
    violation.path.insert(0, step)
    return violation


def _prefix(errors: list[NullViolation], before: int, step: str | int) -> None:
    for pending in errors[before:]:
        pending.path.insert(0, step)


def compile_shaper(shape: ObjectShape) -> Shaper | None:
    """The specialized projection of ``shape``; ``None`` when it is too large to compile."""

    writer = _Writer()
    try:
        root = writer.object_function(shape)
    except _TooLarge:
        return None
    namespace = writer.namespace
    namespace.update(NV=NullViolation, _at=_at, _prefix=_prefix, _enum_message=_enum_message)
    source = "\n".join(writer.lines)
    exec(compile(source, "<ordergate shaper>", "exec"), namespace)  # the source: see the module doc
    shaper: Shaper = namespace[root]
    return shaper
