"""Validation of ``@key``, ``@requires`` and ``@provides`` field sets in one subgraph."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from graphql.language import StringValueNode, print_ast

from gateway.composition.errors import CompositionError, ErrorCode, locations_of
from gateway.composition.fieldset import FieldSetError, Selection, parse_field_set
from gateway.composition.metadata import FederationMetadata
from gateway.composition.model import Directive, Field, TypeDef, TypeKind
from gateway.composition.subgraph import Subgraph
from gateway.composition.typeref import base_name

__all__ = ["validate_field_sets"]


def _code(directive: str, suffix: str) -> ErrorCode:
    return ErrorCode(f"{directive.upper()}_{suffix}")


@dataclass
class _Context:
    subgraph: Subgraph
    metadata: FederationMetadata
    errors: list[CompositionError]

    def error(self, code: ErrorCode | str, message: str, nodes: list[object]) -> None:
        self.errors.append(
            CompositionError(
                ErrorCode(code),
                message,
                self.subgraph.name,
                locations_of(self.subgraph.name, nodes),
            )
        )


def _describe(directive: Directive, target: TypeDef | Field) -> str:
    kind = "field" if isinstance(target, Field) else "type"
    name = target.coordinate if isinstance(target, Field) else target.name
    printed = print_ast(directive.node) if directive.node is not None else f"@{directive.name}"
    return f'On {kind} "{name}", for {printed}'


def _fields_text(ctx: _Context, directive: Directive, target: TypeDef | Field) -> str | None:
    value = directive.args.get("fields")
    if isinstance(value, StringValueNode):
        return value.value
    ctx.error(
        _code(directive.kind or "", "INVALID_FIELDS_TYPE"),
        f'{_describe(directive, target)}: Invalid value for argument "fields": must be a string.',
        [directive.node],
    )
    return None


def _check_selections(
    ctx: _Context,
    selections: list[Selection],
    directive: Directive,
    target: TypeDef | Field,
    *,
    external_in_parents: bool,
    allow_non_external_leaves: bool,
    allow_arguments: bool,
) -> None:
    kind = directive.kind or ""
    for selection in selections:
        if selection.directives:
            ctx.error(
                _code(kind, "DIRECTIVE_IN_FIELDS_ARG"),
                f"{_describe(directive, target)}: cannot have directive applications in the"
                f" @{directive.name}(fields:) argument but found"
                f" {', '.join('@' + d for d in selection.directives)}.",
                [directive.node],
            )
        definition = selection.definition
        if definition is None:
            if selection.children is not None:
                _check_selections(
                    ctx,
                    selection.children,
                    directive,
                    target,
                    external_in_parents=external_in_parents,
                    allow_non_external_leaves=allow_non_external_leaves,
                    allow_arguments=allow_arguments,
                )
            continue
        is_external = ctx.metadata.is_external(definition)
        if not allow_arguments and definition.args:
            ctx.error(
                _code(kind, "FIELDS_HAS_ARGS"),
                f"{_describe(directive, target)}: field {definition.coordinate} cannot be"
                f" included because it has arguments (fields with argument are not allowed in"
                f" @{directive.name})",
                [directive.node, definition.node],
            )
        must_be_external = (
            selection.children is None and not allow_non_external_leaves and not external_in_parents
        )
        if must_be_external and not is_external:
            if ctx.metadata.is_fake_external(definition):
                reason = (
                    "(while it is marked @external, it is a @key field of an extension type,"
                    " which are not internally considered external for historical/backward"
                    " compatibility reasons)"
                )
                detail = f'is already "effectively" provided by this subgraph {reason}'
            else:
                detail = "is already provided by this subgraph (it is not marked @external)"
            ctx.error(
                _code(kind, "FIELDS_MISSING_EXTERNAL"),
                f'{_describe(directive, target)}: field "{definition.coordinate}" should not be'
                f" part of a @{directive.name} since it {detail}",
                [directive.node, definition.node],
            )
        if selection.children is not None:
            in_parents = external_in_parents or is_external
            owner = ctx.subgraph.schema.type(definition.parent)
            if not in_parents and owner is not None and owner.kind is TypeKind.INTERFACE:
                in_parents = any(
                    name in impl.fields and ctx.metadata.is_external(impl.fields[name])
                    for impl in ctx.subgraph.schema.implementations(owner.name)
                    for name in [definition.name]
                )
            _check_selections(
                ctx,
                selection.children,
                directive,
                target,
                external_in_parents=in_parents,
                allow_non_external_leaves=allow_non_external_leaves,
                allow_arguments=allow_arguments,
            )


def _validate_one(
    ctx: _Context,
    directive: Directive,
    target: TypeDef | Field,
    parent: TypeDef,
    *,
    allow_non_external_leaves: bool = False,
    allow_arguments: bool = False,
    on_field: Callable[[str, Field], None] | None = None,
) -> None:
    text = _fields_text(ctx, directive, target)
    if text is None:
        return
    kind = directive.kind or ""
    try:
        selections = parse_field_set(ctx.subgraph.schema, parent.name, text, on_field=on_field)
    except FieldSetError as exc:
        message = exc.message
        if message.startswith("Cannot query field"):
            message = message.rstrip(".")
            if kind == "key":
                message += (
                    " (the field should either be added to this subgraph or, if it should not be"
                    " resolved by this subgraph, you need to add it to this subgraph with"
                    " @external)."
                )
            else:
                message += (
                    " (if the field is defined in another subgraph, you need to add it to this"
                    " subgraph with @external)."
                )
        ctx.error(
            exc.code or _code(kind, "INVALID_FIELDS"),
            f"{_describe(directive, target)}: {message}",
            [directive.node],
        )
        return
    aliased = _first_alias(selections)
    if aliased is not None:
        ctx.error(
            _code(kind, "INVALID_FIELDS"),
            f'{_describe(directive, target)}: Cannot use alias "{aliased}" in "{text}": aliases'
            f" are not currently supported in @{directive.name}",
            [directive.node],
        )
        return
    _check_selections(
        ctx,
        selections,
        directive,
        target,
        external_in_parents=False,
        allow_non_external_leaves=allow_non_external_leaves,
        allow_arguments=allow_arguments,
    )


def _first_alias(selections: list[Selection]) -> str | None:
    for selection in selections:
        if selection.alias is not None:
            return selection.alias
        found = _first_alias(selection.children or [])
        if found is not None:
            return found
    return None


def _reject_abstract_key_fields(owner: str, definition: Field, ctx: _Context) -> None:
    target = ctx.subgraph.schema.type(base_name(definition.type))
    if target is not None and target.kind in (TypeKind.UNION, TypeKind.INTERFACE):
        kind = "Union" if target.kind is TypeKind.UNION else "Interface"
        raise FieldSetError(
            f'field "{definition.coordinate}" is a {kind} type which is not allowed in @key',
            ErrorCode.KEY_FIELDS_SELECT_INVALID_TYPE,
        )


def _validate_keys(ctx: _Context) -> None:
    version = ctx.subgraph.federation_version or (2, 0)
    for owner in ctx.subgraph.schema.types.values():
        for key in owner.applied("key"):
            if owner.kind is TypeKind.INTERFACE and version < (2, 3):
                ctx.error(
                    ErrorCode.KEY_UNSUPPORTED_ON_INTERFACE,
                    f'Cannot use @{key.name} on interface "{owner.name}": @{key.name} is not yet'
                    " supported on interfaces",
                    [key.node],
                )
            _validate_one(
                ctx,
                key,
                owner,
                owner,
                allow_non_external_leaves=True,
                on_field=lambda parent, f: _reject_abstract_key_fields(parent, f, ctx),
            )


def _unsupported_on_interface(
    ctx: _Context, directive: Directive, f: Field, owner: TypeDef
) -> None:
    ctx.error(
        _code(directive.kind or "", "UNSUPPORTED_ON_INTERFACE"),
        f'Cannot use @{directive.name} on field "{f.coordinate}" of parent type "{owner.name}":'
        f" @{directive.name} is not yet supported within interfaces",
        [directive.node],
    )


def _validate_requires_and_provides(ctx: _Context) -> None:
    schema = ctx.subgraph.schema
    for owner in list(schema.types.values()):
        if owner.kind not in (TypeKind.OBJECT, TypeKind.INTERFACE):
            continue
        for f in owner.fields.values():
            for requires in f.applied("requires"):
                if owner.kind is TypeKind.INTERFACE:
                    _unsupported_on_interface(ctx, requires, f, owner)
                _validate_one(ctx, requires, f, owner, allow_arguments=True)
            for provides in f.applied("provides"):
                if ctx.metadata.is_external(f):
                    ctx.error(
                        ErrorCode.EXTERNAL_COLLISION_WITH_ANOTHER_DIRECTIVE,
                        f'Cannot have both @provides and @external on field "{f.coordinate}"',
                        [f.node],
                    )
                    continue
                target = schema.type(base_name(f.type))
                if target is None or not target.is_composite:
                    ctx.error(
                        ErrorCode.PROVIDES_ON_NON_OBJECT_FIELD,
                        f'Invalid @provides directive on field "{f.coordinate}": field has type'
                        f' "{f.type}" which is not a Composite Type',
                        [f.node],
                    )
                    continue
                if owner.kind is TypeKind.INTERFACE:
                    _unsupported_on_interface(ctx, provides, f, owner)
                _validate_one(ctx, provides, f, target)


def validate_field_sets(subgraph: Subgraph) -> list[CompositionError]:
    """Errors of every ``@key``, ``@requires`` and ``@provides`` of ``subgraph``."""
    ctx = _Context(subgraph, subgraph.metadata(), [])
    _validate_keys(ctx)
    _validate_requires_and_provides(ctx)
    return ctx.errors
