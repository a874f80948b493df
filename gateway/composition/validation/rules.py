"""Per-subgraph federation rules other than field sets (externals, sharing, cost, auth)."""

from __future__ import annotations

from gateway.composition.errors import CompositionError, ErrorCode, locations_of
from gateway.composition.fieldset import FieldSetError, Selection, parse_field_set
from gateway.composition.metadata import fields_argument
from gateway.composition.model import Directive, Field, TypeDef, TypeKind
from gateway.composition.subgraph import Subgraph
from gateway.composition.typeref import NamedRef, NonNullRef, base_name, is_list

__all__ = ["validate_rules"]


def _error(
    subgraph: Subgraph, code: ErrorCode, message: str, nodes: list[object]
) -> CompositionError:
    return CompositionError(code, message, subgraph.name, locations_of(subgraph.name, nodes))


def _externals(subgraph: Subgraph) -> list[CompositionError]:
    metadata = subgraph.metadata()
    errors = []
    for owner in subgraph.schema.types.values():
        if owner.kind not in (TypeKind.OBJECT, TypeKind.INTERFACE):
            continue
        for f in owner.fields.values():
            if not metadata.is_external(f):
                continue
            if owner.kind is TypeKind.INTERFACE:
                errors.append(
                    _error(
                        subgraph,
                        ErrorCode.EXTERNAL_ON_INTERFACE,
                        f'Interface type field "{f.coordinate}" is marked @external but @external'
                        " is not allowed on interface fields (it is nonsensical).",
                        [f.node],
                    )
                )
            if not metadata.is_used(f):
                errors.append(
                    _error(
                        subgraph,
                        ErrorCode.EXTERNAL_UNUSED,
                        f'Field "{f.coordinate}" is marked @external but is not used in any'
                        " federation directive (@key, @provides, @requires) or to satisfy an"
                        " interface; the field declaration has no use and should be removed (or"
                        " the field should not be @external).",
                        [f.node],
                    )
                )
    return errors


def _canonical(selections: list[Selection]) -> tuple[object, ...]:
    return tuple(
        sorted(
            (
                (s.name or "", s.type_condition or "", _canonical(s.children or []))
                for s in selections
            ),
            key=repr,
        )
    )


def _key_shape(subgraph: Subgraph, owner: TypeDef, key: Directive) -> tuple[object, ...] | None:
    text = fields_argument(key)
    if text is None:
        return None
    try:
        return _canonical(parse_field_set(subgraph.schema, owner.name, text, validate=False))
    except FieldSetError:
        return None


def _interface_keys(subgraph: Subgraph) -> list[CompositionError]:
    errors = []
    schema = subgraph.schema
    for interface in schema.of_kind(TypeKind.INTERFACE):
        implementations = schema.implementations(interface.name)
        for key in interface.applied("key"):
            shape = _key_shape(subgraph, interface, key)
            resolvable = key.value("resolvable") is not False
            missing: list[TypeDef] = []
            not_resolvable: list[TypeDef] = []
            for implementation in implementations:
                match = next(
                    (
                        k
                        for k in implementation.applied("key")
                        if _key_shape(subgraph, implementation, k) == shape
                    ),
                    None,
                )
                if match is None:
                    missing.append(implementation)
                elif resolvable and match.value("resolvable") is False:
                    not_resolvable.append(implementation)
            fields = fields_argument(key)
            if missing:
                names = ", ".join(f'"{t.name}"' for t in missing)
                errors.append(
                    _error(
                        subgraph,
                        ErrorCode.INTERFACE_KEY_NOT_ON_IMPLEMENTATION,
                        f'Key @key(fields: "{fields}") on interface type "{interface.name}" is'
                        f" missing on implementation type(s) {names}.",
                        [t.node for t in missing],
                    )
                )
            elif not_resolvable:
                names = ", ".join(f'"{t.name}"' for t in not_resolvable)
                errors.append(
                    _error(
                        subgraph,
                        ErrorCode.INTERFACE_KEY_NOT_ON_IMPLEMENTATION,
                        f'Key @key(fields: "{fields}") on interface type "{interface.name}" should'
                        " be resolvable on all implementation types, but is declared with"
                        f' argument "@key(resolvable:)" set to false in type(s) {names}.',
                        [t.node for t in not_resolvable],
                    )
                )
    return errors


def _interface_objects(subgraph: Subgraph) -> list[CompositionError]:
    return [
        _error(
            subgraph,
            ErrorCode.INTERFACE_OBJECT_USAGE_ERROR,
            "The @interfaceObject directive can only be applied to entity types but type"
            f' "{owner.name}" has no @key in this subgraph.',
            [owner.node],
        )
        for owner in subgraph.schema.of_kind(TypeKind.OBJECT)
        if owner.has("interfaceObject") and not owner.has("key")
    ]


def _shareable(subgraph: Subgraph) -> list[CompositionError]:
    errors = []
    for owner in subgraph.schema.types.values():
        elements: list[TypeDef | Field] = [owner, *owner.fields.values()]
        for element in elements:
            applications = element.applied("shareable")
            origins = [d.origin for d in applications]
            if len(origins) == len(set(origins)):
                pass
            elif owner.kind is TypeKind.OBJECT:
                what = (
                    f'the same type declaration of "{owner.name}"'
                    if isinstance(element, TypeDef)
                    else f'field "{element.coordinate}"'
                )
                errors.append(
                    _error(
                        subgraph,
                        ErrorCode.INVALID_SHAREABLE_USAGE,
                        f"Invalid duplicate application of @shareable on {what}: @shareable is"
                        " only repeatable on types so it can be used simultaneously on a type"
                        " definition and its extensions, but it should not be duplicated on the"
                        " same definition/extension declaration",
                        [d.node for d in applications],
                    )
                )
            if isinstance(element, Field) and applications and owner.kind is not TypeKind.OBJECT:
                errors.append(
                    _error(
                        subgraph,
                        ErrorCode.INVALID_SHAREABLE_USAGE,
                        f'Invalid use of @shareable on field "{element.coordinate}": only object'
                        " type fields can be marked with @shareable",
                        [applications[0].node],
                    )
                )
    return errors


def _is_int(ref: object) -> bool:
    inner = ref.of if isinstance(ref, NonNullRef) else ref
    return isinstance(inner, NamedRef) and inner.name == "Int"


def _list_size(subgraph: Subgraph, f: Field, directive: Directive) -> list[CompositionError]:
    errors = []
    sized = directive.value("sizedFields") or []
    slicing = directive.value("slicingArguments") or []
    assumed = directive.value("assumedSize")

    def fail(code: ErrorCode, message: str) -> None:
        errors.append(_error(subgraph, code, message, [directive.node, f.node]))

    if not sized and not is_list(f.type):
        fail(ErrorCode.LIST_SIZE_APPLIED_TO_NON_LIST, f'"{f.coordinate}" is not a list')
    if isinstance(assumed, int) and assumed < 0:
        fail(
            ErrorCode.LIST_SIZE_INVALID_ASSUMED_SIZE,
            f'Assumed size of "{f.coordinate}" cannot be negative',
        )
    for name in slicing:
        arg = f.args.get(name)
        if arg is None:
            fail(
                ErrorCode.LIST_SIZE_INVALID_SLICING_ARGUMENT,
                f'Slicing argument "{name}" is not an argument of "{f.coordinate}"',
            )
        elif not _is_int(arg.type):
            fail(
                ErrorCode.LIST_SIZE_INVALID_SLICING_ARGUMENT,
                f'Slicing argument "{arg.coordinate}" must be Int or Int!',
            )
    if sized:
        target = subgraph.schema.type(base_name(f.type))
        if target is None or target.kind not in (TypeKind.OBJECT, TypeKind.INTERFACE):
            fail(
                ErrorCode.LIST_SIZE_INVALID_SIZED_FIELD,
                f'Sized fields cannot be used because "{f.type}" is not a composite type',
            )
            return errors
        for name in sized:
            sized_field = target.fields.get(name)
            if sized_field is None:
                fail(
                    ErrorCode.LIST_SIZE_INVALID_SIZED_FIELD,
                    f'Sized field "{name}" is not a field on type "{target.name}"',
                )
            elif not is_list(sized_field.type):
                fail(
                    ErrorCode.LIST_SIZE_APPLIED_TO_NON_LIST,
                    f'Sized field "{sized_field.coordinate}" is not a list',
                )
    return errors


def _demand_control(subgraph: Subgraph) -> list[CompositionError]:
    errors = []
    for owner in subgraph.schema.types.values():
        for f in owner.fields.values():
            if owner.kind is TypeKind.INTERFACE:
                for cost in f.applied("cost"):
                    errors.append(
                        _error(
                            subgraph,
                            ErrorCode.COST_APPLIED_TO_INTERFACE_FIELD,
                            f'@cost cannot be applied to interface "{f.coordinate}"',
                            [cost.node, f.node],
                        )
                    )
            for directive in f.applied("listSize"):
                errors.extend(_list_size(subgraph, f, directive))
    return errors


def _auth_on_interfaces(subgraph: Subgraph) -> list[CompositionError]:
    errors = []
    for owner in subgraph.schema.types.values():
        is_interface_object = owner.kind is TypeKind.OBJECT and owner.has("interfaceObject")
        candidates: list[tuple[str, str, list[Directive]]] = []
        if owner.kind is TypeKind.INTERFACE or is_interface_object:
            kind = "interface" if owner.kind is TypeKind.INTERFACE else "interface object"
            candidates.append((kind, owner.name, owner.directives))
        if owner.kind is TypeKind.INTERFACE:
            candidates.extend(("field", f.coordinate, f.directives) for f in owner.fields.values())
        for kind, coordinate, directives in candidates:
            for directive in directives:
                if directive.kind in ("authenticated", "requiresScopes", "policy"):
                    errors.append(
                        _error(
                            subgraph,
                            ErrorCode.AUTH_REQUIREMENTS_APPLIED_ON_INTERFACE,
                            f'Invalid use of @{directive.name} on {kind} "{coordinate}":'
                            f" @{directive.name} cannot be applied on interfaces, interface"
                            " fields and interface objects",
                            [directive.node],
                        )
                    )
    return errors


def validate_rules(subgraph: Subgraph) -> list[CompositionError]:
    """Errors of the per-subgraph rules other than field-set validity."""
    return [
        *_externals(subgraph),
        *_interface_keys(subgraph),
        *_interface_objects(subgraph),
        *_shareable(subgraph),
        *_demand_control(subgraph),
        *_auth_on_interfaces(subgraph),
    ]
