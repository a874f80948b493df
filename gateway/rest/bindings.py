"""Raw path, query, header and JSON-body values -> the variables of a route's operation.

Text values (path, query, header) are read by the GraphQL type they are bound to: ``Int``
(an integer), ``Float`` (a number), ``Boolean`` (``true``/``false``, ``1``/``0``), ``ID``,
``String`` and custom scalars (the text as it is), enums (one of the enum's values, exactly as
the schema spells it), and lists of those (a query parameter repeated, comma-separated, or
both). JSON-body values are taken as they are. Then each variable is checked against its
GraphQL type (what the engine's variable coercion would refuse is refused here), so that every
mistake is a 400 naming the REST parameter, never the variable:
``query parameter 'limit' must be an integer``, ``the JSON body: at 'lines[0].quantity': ...``.

Usage::

    variables = bind_variables(route, RawValues(path_params, query_pairs, headers, body))
"""

from __future__ import annotations

import math
import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from graphql import (
    GraphQLBoolean,
    GraphQLEnumType,
    GraphQLError,
    GraphQLFloat,
    GraphQLInputType,
    GraphQLInt,
    GraphQLList,
    GraphQLNonNull,
    GraphQLScalarType,
    get_nullable_type,
)
from graphql.utilities.validate_input_value import validate_input_value

from gateway.rest.compile import CompiledBinding, CompiledRoute

__all__ = ["MISSING", "BindingError", "RawValues", "bind_variables", "name_parameters"]

_VARIABLE = re.compile(r"Variable '\$([_A-Za-z][_0-9A-Za-z]*)'")
_INTEGER = re.compile(r"[+-]?[0-9]+")
_TRUE = frozenset({"true", "1"})
_FALSE = frozenset({"false", "0"})


class _Missing:
    """No value was sent (distinct from JSON ``null``)."""

    def __repr__(self) -> str:
        return "MISSING"


#: the body of a request that sent none
MISSING: Any = _Missing()


class BindingError(ValueError):
    """A missing or mistyped REST parameter (HTTP 400, code ``INVALID_PARAMETER``)."""

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


@dataclass(frozen=True, slots=True)
class RawValues:
    """What the HTTP request carried, before any type is applied."""

    #: the path parameters of the matched route (percent-decoded)
    path: Mapping[str, str]
    #: the query parameters in order, repeated names included
    query: Sequence[tuple[str, str]]
    #: the request headers, names lower-cased
    headers: Mapping[str, str]
    #: the parsed JSON body, or :data:`MISSING`
    body: Any = MISSING


def bind_variables(route: CompiledRoute, raw: RawValues) -> dict[str, Any]:
    """The route's variables from ``raw``; raises :class:`BindingError` naming the parameter."""
    variables: dict[str, Any] = {}
    #: variables whose one value came whole from a checked path, query or header value
    checked: set[str] = set()
    ordered = sorted(route.bindings, key=lambda binding: len(binding.target))
    for binding in ordered:
        value = _raw_value(binding, raw)
        if value is MISSING:
            if binding.required:
                raise BindingError(f"{binding.label} is required")
            continue
        if value is None and isinstance(binding.type, GraphQLNonNull):
            raise BindingError(f"{binding.label} must not be null")
        if binding.source != "body":
            value = _from_text(value, binding)
            _check(value, binding.type, binding, ())
            if len(binding.target) == 1:
                checked.add(binding.target[0])
        _assign(variables, binding.target, value)
    for name, value in variables.items():
        if name not in checked:  # bodies, and input objects assembled from several values
            _check(value, route.variables[name], _owner(route.bindings, (name,)), (name,), route)
    return variables


def _raw_value(binding: CompiledBinding, raw: RawValues) -> Any:
    name = binding.name
    if binding.source == "path":
        assert name is not None
        return raw.path.get(name, MISSING)
    if binding.source == "header":
        assert name is not None
        return raw.headers.get(name.lower(), MISSING)
    if binding.source == "query":
        assert name is not None
        values = [value for key, value in raw.query if key == name]
        if not values:
            return MISSING
        if _is_list(binding.type):
            return values
        if len(values) > 1:
            raise BindingError(f"{binding.label} is given more than once")
        return values[0]
    # body
    if name is None:
        return raw.body
    if raw.body is MISSING or raw.body is None:
        return MISSING
    if not isinstance(raw.body, dict):
        raise BindingError("the JSON body must be an object")
    return raw.body.get(name, MISSING)


def _is_list(type_: GraphQLInputType) -> bool:
    return isinstance(get_nullable_type(type_), GraphQLList)


def _from_text(value: str | list[str], binding: CompiledBinding) -> Any:
    """A text value (or the values of a repeated query parameter) as JSON, by the type."""
    type_ = get_nullable_type(binding.type)
    if isinstance(type_, GraphQLList):
        texts = value if isinstance(value, list) else [value]
        items = [item for text in texts for item in text.split(",")]
        item_type = get_nullable_type(type_.of_type)
        return [_scalar(item.strip(), item_type, binding, list_item=True) for item in items]
    assert isinstance(value, str)
    if value == "" and not _is_text(type_):
        # ``?status=``: an empty value of a non-text type is no value
        if binding.required:
            raise BindingError(f"{binding.label} is required")
        return None
    return _scalar(value, type_, binding, list_item=False)


def _is_text(type_: Any) -> bool:
    return isinstance(type_, GraphQLScalarType) and type_.name not in ("Int", "Float", "Boolean")


def _scalar(text: str, type_: Any, binding: CompiledBinding, *, list_item: bool) -> Any:
    label = binding.label
    each = " (each value)" if list_item else ""
    if isinstance(type_, GraphQLEnumType):
        if text not in type_.values:
            allowed = ", ".join(type_.values)
            raise BindingError(f"{label}{each} must be one of {allowed}")
        return text
    if type_ is GraphQLInt or (isinstance(type_, GraphQLScalarType) and type_.name == "Int"):
        if not _INTEGER.fullmatch(text):
            raise BindingError(f"{label}{each} must be an integer")
        return int(text)
    if type_ is GraphQLFloat or (isinstance(type_, GraphQLScalarType) and type_.name == "Float"):
        try:
            number = float(text)
        except ValueError:
            number = math.nan
        if not math.isfinite(number):
            raise BindingError(f"{label}{each} must be a number")
        return number
    if type_ is GraphQLBoolean or (
        isinstance(type_, GraphQLScalarType) and type_.name == "Boolean"
    ):
        lowered = text.lower()
        if lowered in _TRUE:
            return True
        if lowered in _FALSE:
            return False
        raise BindingError(f"{label}{each} must be true or false")
    return text  # ID, String and custom scalars: the text


def _assign(variables: dict[str, Any], target: tuple[str, ...], value: Any) -> None:
    if len(target) == 1:
        variables[target[0]] = _copy(value)
        return
    holder = variables
    for part in target[:-1]:
        inner = holder.get(part)
        if inner is None:
            inner = holder[part] = {}
        elif not isinstance(inner, dict):
            raise BindingError("the JSON body must be an object")
        holder = inner
    holder[target[-1]] = value


def _copy(value: Any) -> Any:
    """A shallow copy of a JSON object (path values may be set into it)."""
    return dict(value) if isinstance(value, dict) else value


def _owner(
    bindings: Sequence[CompiledBinding], path: tuple[str | int, ...]
) -> CompiledBinding | None:
    """The binding whose target is the longest prefix of ``path`` (the one that carried it)."""
    best: CompiledBinding | None = None
    for binding in bindings:
        target = binding.target
        matches = len(target) <= len(path) and tuple(path[: len(target)]) == target
        if matches and (best is None or len(target) > len(best.target)):
            best = binding
    return best


def _where(path: Sequence[str | int]) -> str:
    text = ""
    for part in path:
        text += f"[{part}]" if isinstance(part, int) else (f".{part}" if text else part)
    return text


def _check(
    value: Any,
    type_: GraphQLInputType,
    binding: CompiledBinding | None,
    prefix: tuple[str | int, ...],
    route: CompiledRoute | None = None,
) -> None:
    """Raise :class:`BindingError` for the first problem of ``value`` as a ``type_``."""
    problems: list[tuple[GraphQLError, list[str | int]]] = []
    validate_input_value(value, type_, lambda error, path: problems.append((error, path)), True)
    if not problems:
        return
    error, path = problems[0]
    full = (*prefix, *path)
    owner = _owner(route.bindings, full) if route is not None else binding
    if owner is None:  # a value none of the bindings carried: cannot happen, bindings set all
        owner = binding
    if owner is None:
        raise BindingError(f"variable value is invalid: {error.message}")
    inner = full[len(owner.target) :] if route is not None else tuple(path)
    message = error.message
    if isinstance(type_, GraphQLNonNull) and value is None and not inner:
        raise BindingError(f"{owner.label} must not be null")
    if inner:
        raise BindingError(f"{owner.label}: at '{_where(inner)}': {message}")
    raise BindingError(f"{owner.label}: {message}")


def name_parameters(route: CompiledRoute, message: str) -> str:
    """A variable-coercion message of the engine with each ``Variable '$x'`` replaced by the
    REST parameter bound to ``$x`` (the checks above make such a message rare)."""

    def label(found: re.Match[str]) -> str:
        owner = _owner(route.bindings, (found.group(1),))
        if owner is None:
            owner = next((b for b in route.bindings if b.target[0] == found.group(1)), None)
        return owner.label if owner is not None else "a parameter"

    return _VARIABLE.sub(label, message)
