"""The REST route file (``persisted_queries/rest-routes.yaml``) as a typed model.

A route maps an HTTP method and a path template under the file's ``prefix`` to one persisted
operation (a named operation of a ``.graphql`` file in ``documents``), and binds path, query,
header and JSON-body values to the operation's variables. The file is reviewed config: unknown
keys are refused, and ``ordergate rest check`` compiles it against the supergraph
(:mod:`gateway.rest.compile`). docs/rest.md describes every key.

Example::

    version: 1
    prefix: /api/v1
    documents: rest            # .graphql files, relative to this file
    routes:
      - id: getOrder
        method: GET
        path: /orders/{id}
        operation: RestGetOrder
        bind:
          id: path             # variable <- the path parameter of the same name
      - id: cancelOrder
        method: DELETE
        path: /orders/{id}
        operation: RestCancelOrder
        bind:
          orderId: {in: path, name: id}
          reason: {in: query}
"""

from __future__ import annotations

import datetime as dt
import re
from pathlib import Path
from typing import Literal

import yaml
from pydantic import BaseModel, ConfigDict, Field, ValidationError, field_validator, model_validator

__all__ = [
    "Binding",
    "BindingSource",
    "Deprecation",
    "HttpMethod",
    "Pagination",
    "RouteConfigError",
    "RouteFile",
    "RouteSpec",
    "load_route_file",
    "parse_route_file",
]

HttpMethod = Literal["GET", "POST", "PUT", "PATCH", "DELETE"]
BindingSource = Literal["path", "query", "header", "body"]

_PATH_PARAMETER = re.compile(r"\{([A-Za-z_][A-Za-z0-9_]*)\}")
_PATH = re.compile(r"^(/([A-Za-z0-9._~-]+|\{[A-Za-z_][A-Za-z0-9_]*\}))+$|^/$")
_VARIABLE_PATH = re.compile(r"^[_A-Za-z][_0-9A-Za-z]*(\.[_A-Za-z][_0-9A-Za-z]*)*$")


class RouteConfigError(ValueError):
    """A route file that cannot be read or does not match the model."""


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class Binding(_Strict):
    """Where one variable (or one field of an input variable) comes from."""

    #: ``path``, ``query`` (repeated or comma-separated for lists), ``header`` or ``body``
    source: BindingSource = Field(alias="in")
    #: the parameter's name (path and query: default the variable's last segment; header: a
    #: header name; body: a top-level property of the JSON body, or none for the whole body)
    name: str | None = None
    #: shown in OpenAPI
    description: str | None = None

    model_config = ConfigDict(extra="forbid", frozen=True, populate_by_name=True)


class Pagination(_Strict):
    """A connection root field answered as ``{items, nextCursor}`` with a ``Link: rel=next``."""

    #: the query parameter of the page size, bound to ``first_variable``
    limit_parameter: str = "limit"
    #: the query parameter of the cursor, bound to ``after_variable``
    cursor_parameter: str = "cursor"
    first_variable: str = "first"
    after_variable: str = "after"


class Deprecation(_Strict):
    """A deprecated route: ``Deprecation`` (RFC 9745), ``Sunset`` (RFC 8594), then 410."""

    #: when the route was deprecated (``Deprecation: @<epoch seconds>``)
    since: dt.datetime
    #: from then on the route answers 410 Gone
    sunset: dt.datetime | None = None
    #: the route that replaces it (``Link: <...>; rel="successor-version"``)
    successor: str | None = None

    @field_validator("since", "sunset")
    @classmethod
    def _aware(cls, value: dt.datetime | None) -> dt.datetime | None:
        if value is not None and value.tzinfo is None:
            return value.replace(tzinfo=dt.UTC)
        return value


class RouteSpec(_Strict):
    """One REST route: a method and path bound to one persisted operation."""

    #: a stable identifier (the OpenAPI ``operationId``), unique in the file
    id: str = Field(pattern=r"^[A-Za-z][A-Za-z0-9_]*$")
    method: HttpMethod
    #: the path under the prefix, with ``{name}`` parameters
    path: str
    #: the name of an operation in the documents
    operation: str
    #: variable (or ``variable.field`` of an input object) -> its source; a string is the
    #: source with the default name
    bind: dict[str, Binding] = Field(default_factory=dict)
    summary: str | None = None
    description: str | None = None
    tags: tuple[str, ...] = ()
    #: the status of a success: 200, 201 (with ``location``) or 204 (no body)
    status: Literal[200, 201, 202, 204] = 200
    #: for 201/202: the ``Location`` template, ``{field}`` read from the unwrapped result
    location: str | None = None
    #: a null root field answers 404 (default: on for GET routes)
    not_found_on_null: bool | None = None
    #: ``Idempotency-Key``: required, optional, or not accepted (default: required for 201
    #: routes, optional for other POST/PATCH routes, none otherwise)
    idempotency: Literal["required", "optional", "none"] | None = None
    #: ``Cache-Control`` of a successful GET (default ``private, no-cache``: revalidate by ETag)
    cache_control: str | None = None
    #: errors next to data: ``fail`` (the error status) or ``warn`` (200 with ``warnings``)
    partial: Literal["fail", "warn"] = "fail"
    pagination: Pagination | None = None
    deprecated: Deprecation | None = None

    @field_validator("bind", mode="before")
    @classmethod
    def _shorthand(cls, value: object) -> object:
        if isinstance(value, dict):
            return {
                key: {"in": spec} if isinstance(spec, str) else spec for key, spec in value.items()
            }
        return value

    @field_validator("path")
    @classmethod
    def _path(cls, value: str) -> str:
        if not _PATH.match(value):
            raise ValueError(f"{value!r} is not a path template like /orders/{{id}}")
        names = _PATH_PARAMETER.findall(value)
        if len(names) != len(set(names)):
            raise ValueError(f"{value!r} names a parameter twice")
        return value

    @model_validator(mode="after")
    def _consistent(self) -> RouteSpec:
        for variable, binding in self.bind.items():
            if not _VARIABLE_PATH.match(variable):
                raise ValueError(f"bind: {variable!r} is not a variable or variable.field")
            if binding.source == "header" and not binding.name:
                raise ValueError(f"bind.{variable}: a header binding needs a name")
        declared = set(self.path_parameters)
        bound = {
            binding.name or variable.rsplit(".", 1)[-1]
            for variable, binding in self.bind.items()
            if binding.source == "path"
        }
        if declared != bound:
            raise ValueError(
                f"path parameters {sorted(declared)} and path bindings {sorted(bound)} differ"
            )
        if self.method == "GET" and any(b.source == "body" for b in self.bind.values()):
            raise ValueError("a GET route takes no body")
        if self.status in (201, 202) and self.location is None:
            raise ValueError(f"a {self.status} route needs a location template")
        return self

    @property
    def path_parameters(self) -> tuple[str, ...]:
        """The ``{name}`` parameters of the path, in order."""
        return tuple(_PATH_PARAMETER.findall(self.path))

    @property
    def idempotency_mode(self) -> Literal["required", "optional", "none"]:
        """The effective ``Idempotency-Key`` rule."""
        if self.idempotency is not None:
            return self.idempotency
        if self.status == 201:
            return "required"
        return "optional" if self.method in ("POST", "PATCH") else "none"

    @property
    def null_is_not_found(self) -> bool:
        """Whether a null root field answers 404."""
        return self.method == "GET" if self.not_found_on_null is None else self.not_found_on_null


class RouteFile(_Strict):
    """The whole route file."""

    version: Literal[1] = 1
    #: every route's path is under this prefix (a version segment: ``/api/v1``)
    prefix: str = Field(default="/api/v1", pattern=r"^(/[A-Za-z0-9._~-]+)+$")
    #: the directory of the routes' ``.graphql`` documents, relative to the file
    documents: Path = Path("rest")
    #: the OpenAPI ``info`` title and version
    title: str = "Ordergate REST API"
    api_version: str = "1.0.0"
    routes: tuple[RouteSpec, ...] = ()

    @model_validator(mode="after")
    def _unique(self) -> RouteFile:
        ids = [route.id for route in self.routes]
        duplicates = sorted({name for name in ids if ids.count(name) > 1})
        if duplicates:
            raise ValueError(f"route ids used twice: {duplicates}")
        shapes: dict[tuple[str, str], str] = {}
        for route in self.routes:
            shape = (route.method, _PATH_PARAMETER.sub("{}", route.path))
            if shape in shapes:
                raise ValueError(f"routes {shapes[shape]} and {route.id} share {route.method} path")
            shapes[shape] = route.id
        return self


def parse_route_file(text: str, where: str = "rest-routes.yaml") -> RouteFile:
    """The route file from YAML text; raises :class:`RouteConfigError`."""
    try:
        data = yaml.safe_load(text)
    except yaml.YAMLError as error:
        raise RouteConfigError(f"{where}: not valid YAML: {error}") from error
    if data is None:
        data = {}
    if not isinstance(data, dict):
        raise RouteConfigError(f"{where}: the file must be a mapping")
    try:
        return RouteFile.model_validate(data)
    except ValidationError as error:
        raise RouteConfigError(f"{where}: {error}") from error


def load_route_file(path: Path) -> RouteFile:
    """The route file at ``path``; raises :class:`RouteConfigError`."""
    try:
        text = path.read_text(encoding="utf-8")
    except OSError as error:
        raise RouteConfigError(f"{path}: cannot be read ({error.strerror})") from error
    return parse_route_file(text, str(path))
