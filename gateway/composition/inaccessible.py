"""@inaccessible rules: what may be hidden from the API schema without breaking it.

An element hidden with @inaccessible must not be needed by a visible one: no visible field,
argument or input field may have a hidden type; the query root cannot be hidden; a visible type
needs at least one visible field/member/value; hidden fields and arguments cannot implement
visible interface ones; required arguments and input fields cannot be hidden; and a visible
default value cannot use a hidden enum value or input field.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from graphql.language import EnumValueNode, ListValueNode, Node, ObjectValueNode, ValueNode

from gateway.composition.errors import ErrorCode
from gateway.composition.merge.context import MergeContext
from gateway.composition.model import EnumValue, Field, InputValue, Schema, TypeDef, TypeKind
from gateway.composition.typeref import base_name

__all__ = ["validate_inaccessible"]


class _Checker:
    def __init__(self, ctx: MergeContext, name: str) -> None:
        self.ctx = ctx
        self.schema: Schema = ctx.merged
        self.name = name

    def hidden(self, element: Any) -> bool:
        return any(d.name == self.name for d in element.directives)

    def nodes(self, coordinate: str) -> list[tuple[int, Node | None]]:
        found: list[tuple[int, Node | None]] = []
        type_name, _, rest = coordinate.partition(".")
        field_name, _, arg = rest.partition("(")
        for index, subgraph in enumerate(self.ctx.subgraphs):
            owner = subgraph.schema.type(type_name)
            if owner is None:
                continue
            if not field_name:
                found.append((index, owner.node))
                continue
            f = owner.fields.get(field_name)
            value = owner.values.get(field_name)
            if arg and f is not None:
                argument = f.args.get(arg.rstrip(":)"))
                found.append((index, argument.node if argument else None))
            elif f is not None:
                found.append((index, f.node))
            elif value is not None:
                found.append((index, value.node))
        return found

    def error(self, code: ErrorCode, message: str, coordinate: str) -> None:
        self.ctx.error(code, message, self.nodes(coordinate))

    def field_visible(self, owner: TypeDef, element: Field | InputValue | None = None) -> bool:
        return not self.hidden(owner) and (element is None or not self.hidden(element))

    def references(self) -> Iterator[tuple[str, str, bool]]:
        """(type name, referencing coordinate, referencer visible) for fields and arguments."""
        for owner in self.schema.types.values():
            for f in owner.fields.values():
                yield base_name(f.type), f.coordinate, self.field_visible(owner, f)
                for arg in f.args.values():
                    visible = self.field_visible(owner, f) and not self.hidden(arg)
                    yield base_name(arg.type), f"{f.coordinate}({arg.name}:)", visible

    def check_types(self) -> None:
        hidden_referenced: dict[str, list[str]] = {}
        for type_name, coordinate, visible in self.references():
            if visible:
                hidden_referenced.setdefault(type_name, []).append(coordinate)
        for owner in self.schema.types.values():
            if self.hidden(owner):
                for referencer in hidden_referenced.get(owner.name, []):
                    self.error(
                        ErrorCode.REFERENCED_INACCESSIBLE,
                        f'Type "{owner.name}" is @inaccessible but is referenced by'
                        f' "{referencer}", which is in the API schema.',
                        owner.name,
                    )
                if self.schema.roots.get("query") == owner.name:
                    self.error(
                        ErrorCode.QUERY_ROOT_TYPE_INACCESSIBLE,
                        f'Type "{owner.name}" is @inaccessible but is the root query type, which'
                        " must be in the API schema.",
                        owner.name,
                    )
                continue
            self.check_children(owner)

    def check_children(self, owner: TypeDef) -> None:
        children: list[Any]
        what = {
            TypeKind.OBJECT: "fields",
            TypeKind.INTERFACE: "fields",
            TypeKind.INPUT_OBJECT: "input fields",
            TypeKind.UNION: "members",
            TypeKind.ENUM: "values",
        }.get(owner.kind)
        if what is None:
            return
        if owner.kind is TypeKind.UNION:
            children = [self.schema.types[m] for m in owner.members if m in self.schema.types]
        elif owner.kind is TypeKind.ENUM:
            children = list(owner.values.values())
        else:
            children = list(owner.fields.values())
        if children and all(self.hidden(c) for c in children):
            self.error(
                ErrorCode.ONLY_INACCESSIBLE_CHILDREN,
                f'Type "{owner.name}" is in the API schema but all of its {what} are'
                " @inaccessible.",
                owner.name,
            )
        if owner.kind in (TypeKind.OBJECT, TypeKind.INTERFACE):
            self.check_fields(owner)
        elif owner.kind is TypeKind.INPUT_OBJECT:
            for f in owner.fields.values():
                if self.hidden(f) and f.is_required:
                    self.error(
                        ErrorCode.REQUIRED_INACCESSIBLE,
                        f'Input field "{f.coordinate}" is @inaccessible but is a required input'
                        " field of its type.",
                        f.coordinate,
                    )

    def check_fields(self, owner: TypeDef) -> None:
        implementing = [
            t
            for t in self.schema.types.values()
            if owner.kind is TypeKind.INTERFACE and owner.name in t.interfaces
        ]
        for f in owner.fields.values():
            if self.hidden(f):
                for interface in owner.interfaces:
                    implemented = self.schema.field(interface, f.name)
                    itf = self.schema.types.get(interface)
                    if implemented is not None and itf and self.field_visible(itf, implemented):
                        self.error(
                            ErrorCode.IMPLEMENTED_BY_INACCESSIBLE,
                            f'Field "{f.coordinate}" is @inaccessible but implements the'
                            f' interface field "{implemented.coordinate}", which is in the API'
                            " schema.",
                            f.coordinate,
                        )
                continue
            for arg in f.args.values():
                if not self.hidden(arg):
                    continue
                coordinate = f"{f.coordinate}({arg.name}:)"
                if arg.is_required:
                    self.error(
                        ErrorCode.REQUIRED_INACCESSIBLE,
                        f'Argument "{coordinate}" is @inaccessible but is a required argument of'
                        " its field.",
                        coordinate,
                    )
                for implementation in implementing:
                    other = implementation.fields.get(f.name)
                    other_arg = other.args.get(arg.name) if other else None
                    if (
                        other is not None
                        and other_arg is not None
                        and self.field_visible(implementation, other)
                        and not self.hidden(other_arg)
                        and other_arg.is_required
                    ):
                        self.error(
                            ErrorCode.REQUIRED_INACCESSIBLE,
                            f'Argument "{coordinate}" is @inaccessible but is implemented by the'
                            f' required argument "{other.coordinate}({arg.name}:)", which is in'
                            " the API schema.",
                            coordinate,
                        )
                for interface in owner.interfaces:
                    implemented = self.schema.field(interface, f.name)
                    implemented_arg = implemented.args.get(arg.name) if implemented else None
                    itf = self.schema.types.get(interface)
                    if (
                        implemented is not None
                        and implemented_arg is not None
                        and itf is not None
                        and self.field_visible(itf, implemented)
                        and not self.hidden(implemented_arg)
                    ):
                        self.error(
                            ErrorCode.IMPLEMENTED_BY_INACCESSIBLE,
                            f'Argument "{coordinate}" is @inaccessible but implements the'
                            f' interface argument "{implemented.coordinate}({arg.name}:)", which'
                            " is in the API schema.",
                            coordinate,
                        )

    def default_references(self, value: ValueNode, type_name: str) -> Iterator[Any]:
        owner = self.schema.types.get(type_name)
        if owner is None:
            return
        if isinstance(value, ListValueNode):
            for item in value.values:
                yield from self.default_references(item, type_name)
        elif isinstance(value, EnumValueNode) and owner.kind is TypeKind.ENUM:
            enum_value = owner.values.get(value.value)
            if enum_value is not None:
                yield enum_value
        elif isinstance(value, ObjectValueNode) and owner.kind is TypeKind.INPUT_OBJECT:
            for entry in value.fields:
                input_field = owner.fields.get(entry.name.value)
                if input_field is not None:
                    yield input_field
                    yield from self.default_references(entry.value, base_name(input_field.type))

    def check_defaults(self) -> None:
        for owner in self.schema.types.values():
            for f in owner.fields.values():
                holders: list[tuple[str, Any, bool]] = []
                if owner.kind is TypeKind.INPUT_OBJECT:
                    holders.append((f.coordinate, f, self.field_visible(owner, f)))
                else:
                    holders.extend(
                        (
                            f"{f.coordinate}({a.name}:)",
                            a,
                            self.field_visible(owner, f) and not self.hidden(a),
                        )
                        for a in f.args.values()
                    )
                for coordinate, holder, visible in holders:
                    if holder.default is None or not visible:
                        continue
                    for reference in self.default_references(
                        holder.default, base_name(holder.type)
                    ):
                        if self.hidden(reference):
                            kind = (
                                "Enum value" if isinstance(reference, EnumValue) else "Input field"
                            )
                            self.error(
                                ErrorCode.DEFAULT_VALUE_USES_INACCESSIBLE,
                                f'{kind} "{reference.coordinate}" is @inaccessible but is used'
                                f' in the default value of "{coordinate}", which is in the API'
                                " schema.",
                                reference.coordinate,
                            )


def validate_inaccessible(ctx: MergeContext) -> None:
    """Check @inaccessible usage on the merged supergraph; errors go to ``ctx.errors``."""
    name = ctx.inaccessible
    if name is None:
        return
    checker = _Checker(ctx, name)
    checker.check_types()
    checker.check_defaults()
    for definition in ctx.merged.directive_definitions.values():
        for argument in definition.args.values():
            if checker.hidden(argument) and argument.is_required:
                ctx.error(
                    ErrorCode.REQUIRED_INACCESSIBLE,
                    f'Argument "@{definition.name}({argument.name}:)" is @inaccessible but is a'
                    " required argument of its directive.",
                    [
                        (i, d.args[argument.name].node)
                        for i, s in enumerate(ctx.subgraphs)
                        if (d := s.schema.directive_definitions.get(definition.name))
                        and argument.name in d.args
                    ],
                )
