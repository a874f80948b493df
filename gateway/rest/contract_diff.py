"""REST contract changes between two route catalogs: what breaks a REST caller.

``ordergate schema diff`` compiles the route file against the old and the new API schema (and,
given two route files, the old file against the old schema) and compares the two catalogs
route by route, matched by method and path shape (what callers send; ``{id}`` and ``{orderId}``
are the same path). Levels as for the GraphQL API (:mod:`gateway.composition.schema_diff`):

- **breaking**: a route that was served and is no longer (removed before its sunset, does not
  compile against the new schema, answers 410 before its announced sunset), a parameter removed,
  newly required or retyped, an accepted enum value removed, a response field removed or
  retyped incompatibly (``Money!`` -> ``Money``), another success status, the response's shape
  (paginated or not), an ``Idempotency-Key`` newly required;
- **dangerous**: a route deprecated, renamed (its operationId), a response enum value or union
  member added;
- **safe**: a route, optional parameter or response field added, a route removed after its
  sunset, a parameter made optional, a response field made non-null.

A route that did not compile against the old schema, or was past its sunset, was not served:
nothing can break it.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from typing import Protocol

from graphql import (
    GraphQLInputType,
    GraphQLList,
    GraphQLNonNull,
    GraphQLOutputType,
    GraphQLSchema,
    get_named_type,
    get_nullable_type,
)

from gateway.composition.schema_diff import ChangeLevel
from gateway.rest.compile import RouteCatalog
from gateway.rest.config import RouteSpec
from gateway.rest.contract import RouteContract, contract_of, wire_kind

__all__ = ["RestChange", "diff_route_catalogs"]

_PARAMETER = re.compile(r"\{[^}]+\}")
_ORDER = {ChangeLevel.BREAKING: 0, ChangeLevel.DANGEROUS: 1, ChangeLevel.SAFE: 2}

AnyType = GraphQLInputType | GraphQLOutputType


@dataclass(frozen=True, slots=True)
class RestChange:
    """One change of the REST contract, named by route id, method and path."""

    level: ChangeLevel
    code: str
    route: str
    method: str
    path: str
    reason: str

    @property
    def message(self) -> str:
        """``getOrder (GET /api/v1/orders/{id}): response field 'total' ...``."""
        return f"{self.route} ({self.method} {self.path}): {self.reason}"

    def to_dict(self) -> dict[str, str]:
        """JSON-friendly form (the keys of a GraphQL change, and the route)."""
        return {
            "level": str(self.level),
            "code": self.code,
            "message": self.message,
            "route": self.route,
            "method": self.method,
            "path": self.path,
        }


def _shape(method: str, path: str) -> tuple[str, str]:
    return method, _PARAMETER.sub("{}", path)


def _gone(spec: RouteSpec, now: dt.datetime) -> bool:
    sunset = spec.deprecated.sunset if spec.deprecated is not None else None
    return sunset is not None and sunset <= now


def diff_route_catalogs(
    old: RouteCatalog,
    old_schema: GraphQLSchema,
    new: RouteCatalog,
    new_schema: GraphQLSchema,
    now: dt.datetime,
) -> list[RestChange]:
    """Every REST contract change from ``old`` to ``new`` (each compiled against its API
    schema), breaking first; ``now`` decides which sunsets have passed."""
    served = {
        _shape(r.method, r.path): contract_of(r, old_schema)
        for r in old.routes
        if not _gone(r.spec, now)
    }
    compiled = {r.id: r for r in new.routes}
    problems: dict[str, list[str]] = {}
    for problem in new.problems:
        problems.setdefault(problem.route, []).append(problem.message)
    changes: list[RestChange] = []
    seen: set[tuple[str, str]] = set()
    for spec in new.source.routes:
        full_path = new.prefix + ("" if spec.path == "/" else spec.path)
        shape = _shape(spec.method, full_path)
        seen.add(shape)
        before = served.get(shape)
        route = compiled.get(spec.id)
        if before is None:
            if route is not None and not _gone(spec, now):
                changes.append(_change("SAFE", "REST_ROUTE_ADDED", spec, full_path, "was added"))
            continue
        if route is None:
            reason = "; ".join(problems.get(spec.id, ["does not compile"]))
            changes.append(
                _change(
                    "BREAKING",
                    "REST_ROUTE_BROKEN",
                    spec,
                    full_path,
                    f"no longer compiles against the new schema: {reason}",
                )
            )
            continue
        changes.extend(_route_changes(before, contract_of(route, new_schema), now))
    for shape, before in served.items():
        if shape not in seen:
            changes.append(_removed(before))
    for route in old.routes:
        if _gone(route.spec, now) and _shape(route.method, route.path) not in seen:
            reason = "was removed after its sunset"
            changes.append(_change("SAFE", "REST_ROUTE_REMOVED", route.spec, route.path, reason))
    return sorted(changes, key=lambda c: _ORDER[c.level])


def _change(level: str, code: str, spec: RouteSpec, path: str, reason: str) -> RestChange:
    return RestChange(ChangeLevel(level.lower()), code, spec.id, spec.method, path, reason)


def _removed(before: RouteContract) -> RestChange:
    spec = before.route.spec
    sunset = spec.deprecated.sunset if spec.deprecated is not None else None
    if sunset is not None:
        # served means not gone yet: the sunset is still ahead
        reason = f"was removed before its sunset ({sunset.isoformat()})"
    else:
        reason = "was removed without a deprecation and a sunset"
    return _change("BREAKING", "REST_ROUTE_REMOVED", spec, before.route.path, reason)


def _route_changes(
    old: RouteContract, new: RouteContract, now: dt.datetime
) -> Iterator[RestChange]:
    spec, before = new.route.spec, old.route.spec
    path = new.route.path

    def change(level: str, code: str, reason: str) -> RestChange:
        return _change(level, code, spec, path, reason)

    if _gone(spec, now):
        yield change(
            "BREAKING",
            "REST_ROUTE_GONE",
            "answers 410 Gone: its sunset was moved into the past before callers were told",
        )
        return
    if before.id != spec.id:
        yield change(
            "DANGEROUS",
            "REST_ROUTE_RENAMED",
            f"was {before.id} (the OpenAPI operationId generated clients call it by)",
        )
    if spec.deprecated is not None and before.deprecated is None:
        sunset = spec.deprecated.sunset
        when = f", sunset {sunset.isoformat()}" if sunset is not None else ""
        yield change("DANGEROUS", "REST_ROUTE_DEPRECATED", f"was deprecated{when}")
    if spec.status != before.status:
        yield change(
            "BREAKING", "REST_STATUS_CHANGED", f"answers {spec.status} instead of {before.status}"
        )
    if (spec.pagination is None) != (before.pagination is None):
        shape = "a page {items, nextCursor}" if spec.pagination else "the value itself"
        yield change("BREAKING", "REST_RESPONSE_SHAPE_CHANGED", f"answers {shape} now")
    if spec.idempotency_mode == "required" and before.idempotency_mode != "required":
        yield change(
            "BREAKING", "REST_IDEMPOTENCY_KEY_REQUIRED", "requires an Idempotency-Key header now"
        )
    yield from _parameter_changes(old, new, change)
    yield from _response_changes(old, new, change)


def _parameter_changes(
    old: RouteContract, new: RouteContract, change: _Maker
) -> Iterator[RestChange]:
    for key, before in old.parameters.items():
        after = new.parameters.get(key)
        if after is None:
            if not _inside_removed(key, old.parameters, new.parameters):
                yield change("BREAKING", "REST_PARAMETER_REMOVED", f"{before.label} was removed")
            continue
        if not _input_safe(get_nullable_type(before.type), get_nullable_type(after.type)):
            yield change(
                "BREAKING",
                "REST_PARAMETER_TYPE_CHANGED",
                f"{after.label} changes from {before.type} to {after.type}",
            )
        elif after.required and not before.required:
            yield change("BREAKING", "REST_PARAMETER_REQUIRED", f"{after.label} is required now")
        elif before.required and not after.required:
            yield change("SAFE", "REST_PARAMETER_OPTIONAL", f"{after.label} is optional now")
        for value in sorted(before.values - after.values):
            yield change(
                "BREAKING",
                "REST_PARAMETER_VALUE_REMOVED",
                f"{after.label} no longer accepts {value}",
            )
    for key, after in new.parameters.items():
        if key in old.parameters:
            continue
        if _inside_added(key, old.parameters, new.parameters):
            continue  # its container is new: reported once, at the container
        if after.required:
            yield change(
                "BREAKING", "REST_PARAMETER_ADDED", f"{after.label} was added and is required"
            )
        else:
            yield change("SAFE", "REST_PARAMETER_ADDED", f"{after.label} was added (optional)")


def _response_changes(
    old: RouteContract, new: RouteContract, change: _Maker
) -> Iterator[RestChange]:
    for path, before in old.response.items():
        name = f"response field '{path}'" if path else "the response"
        after = new.response.get(path)
        if after is None:
            if not _inside_removed(("", path), _keyed(old.response), _keyed(new.response)):
                yield change("BREAKING", "REST_RESPONSE_FIELD_REMOVED", f"{name} was removed")
            continue
        if not _output_safe(before.type, after.type):
            yield change(
                "BREAKING",
                "REST_RESPONSE_FIELD_TYPE_CHANGED",
                f"{name} changes from {before.type} to {after.type}",
            )
        for value in sorted(after.values - before.values):
            yield change("DANGEROUS", "REST_RESPONSE_VALUE_ADDED", f"{name} may be {value} now")
    for path in sorted(new.response.keys() - old.response.keys()):
        if path and not _inside_added(("", path), _keyed(old.response), _keyed(new.response)):
            yield change("SAFE", "REST_RESPONSE_FIELD_ADDED", f"response field '{path}' was added")


class _Maker(Protocol):
    """The signature of the ``change`` closures of :func:`_route_changes`."""

    def __call__(self, level: str, code: str, reason: str) -> RestChange: ...


def _keyed(response: Mapping[str, object]) -> dict[tuple[str, str], object]:
    return {("", path): field for path, field in response.items()}


def _ancestors(name: str) -> Iterator[str]:
    """``a.b[].c`` -> ``a.b``, ``a`` (the keys that contain it)."""
    current = name
    while True:
        cut = max(current.rfind("."), current.rfind("("))
        if cut <= 0:
            return
        current = current[:cut].removesuffix("[]")
        yield current


def _inside_removed(
    key: tuple[str, str],
    old: Mapping[tuple[str, str], object],
    new: Mapping[tuple[str, str], object],
) -> bool:
    """Whether a container of ``key`` was removed too (reported once, at the container)."""
    source, name = key
    return any((source, a) in old and (source, a) not in new for a in _ancestors(name))


def _inside_added(
    key: tuple[str, str],
    old: Mapping[tuple[str, str], object],
    new: Mapping[tuple[str, str], object],
) -> bool:
    """Whether a container of ``key`` is new too (its own requiredness is what callers see)."""
    source, name = key
    return any((source, a) in new and (source, a) not in old for a in _ancestors(name))


def _same_leaf(old: AnyType, new: AnyType) -> bool:
    return wire_kind(get_named_type(old)) == wire_kind(get_named_type(new))


def _input_safe(old: AnyType, new: AnyType) -> bool:
    """Whether a value valid for ``old`` is valid for ``new`` (lists and non-null wrappers as
    in graphql-core's breaking-change rules; named types compared as JSON kinds)."""
    if isinstance(old, GraphQLList):
        return isinstance(new, GraphQLList) and _input_safe(old.of_type, new.of_type)
    if isinstance(old, GraphQLNonNull):
        if isinstance(new, GraphQLNonNull):
            return _input_safe(old.of_type, new.of_type)
        return _input_safe(old.of_type, new)
    return not isinstance(new, GraphQLList | GraphQLNonNull) and _same_leaf(old, new)


def _output_safe(old: AnyType, new: AnyType) -> bool:
    """Whether every value of ``new`` is a value a caller of ``old`` can read."""
    if isinstance(old, GraphQLList):
        if isinstance(new, GraphQLNonNull):
            return _output_safe(old, new.of_type)
        return isinstance(new, GraphQLList) and _output_safe(old.of_type, new.of_type)
    if isinstance(old, GraphQLNonNull):
        return isinstance(new, GraphQLNonNull) and _output_safe(old.of_type, new.of_type)
    if isinstance(new, GraphQLNonNull):
        return _output_safe(old, new.of_type)
    return not isinstance(new, GraphQLList) and _same_leaf(old, new)
