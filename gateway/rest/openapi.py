"""The OpenAPI 3.1 description of the REST routes, generated from a :class:`RouteCatalog`.

Every compiled route is one operation (``operationId`` = the route id) under its path. Its
parameters and request body come from the route's bindings and the GraphQL types of the bound
variables; its success response from the selection set of its operation
(:mod:`gateway.rest.json_schema`), unwrapped to the root field as the runtime answers it (a
pagination route as ``{items, nextCursor}``); its error responses are RFC 9457
``application/problem+json`` documents (the ``Problem`` component). The document is a pure
function of the catalog, the API schema and the API-key header name: ``ordergate rest openapi``
and ``GET /api/openapi.json`` print the same bytes (:func:`render_openapi`).

Usage::

    document = build_openapi(catalog, api_schema, api_key_header="x-api-key")
    body = render_openapi(document)
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Mapping, Sequence
from typing import Any

from graphql import (
    FieldNode,
    FragmentDefinitionNode,
    GraphQLInputField,
    GraphQLInputObjectType,
    GraphQLInputType,
    GraphQLList,
    GraphQLNonNull,
    GraphQLObjectType,
    GraphQLSchema,
    OperationDefinitionNode,
    OperationType,
    SelectionSetNode,
    get_named_type,
    get_nullable_type,
    parse,
)
from graphql.pyutils import Undefined
from graphql.utilities import value_from_ast_untyped

from gateway.rest.compile import CompiledBinding, CompiledRoute, RouteCatalog, RouteProblem
from gateway.rest.json_schema import JsonSchema, SchemaComponents, default_of
from gateway.rest.problem_schema import (
    PROBLEM_RESPONSES,
    RESPONSE_BY_STATUS,
    error_responses,
    problem_components,
    standard_headers,
)

__all__ = ["OPENAPI_VERSION", "build_openapi", "openapi_problems", "render_openapi"]

OPENAPI_VERSION = "3.1.0"

_JSON = "application/json"
_IDEMPOTENCY_KEY: JsonSchema = {
    "type": "string",
    "minLength": 1,
    "maxLength": 255,
    "pattern": "^[!#-~]+$",
    "description": "1 to 255 printable ASCII characters without spaces or quotes (the "
    'structured-field string form `"..."` is accepted too).',
}


def build_openapi(
    catalog: RouteCatalog, schema: GraphQLSchema, *, api_key_header: str = "x-api-key"
) -> dict[str, Any]:
    """The OpenAPI 3.1 document of ``catalog``'s routes over ``schema`` (the API schema)."""
    problems = problem_components()
    components = SchemaComponents(schema, reserved=frozenset(problems))
    paths: dict[str, dict[str, Any]] = {}
    responses: dict[str, JsonSchema] = {}
    operations = [
        (route, _operation(route, components, responses, catalog.routes))
        for route in catalog.routes
    ]
    for route, operation in operations:
        paths.setdefault(route.path, {})[route.method.lower()] = operation
    source = catalog.source
    tags = sorted({tag for route in catalog.routes for tag in route.spec.tags})
    schemas = {**components.schemas(), **responses, **problems}
    return {
        "openapi": OPENAPI_VERSION,
        "info": {
            "title": source.title,
            "version": source.api_version,
            "description": (
                "REST routes over Ordergate's persisted GraphQL operations. Each response is "
                "the value of the operation's root field; errors are RFC 9457 problem "
                "documents. Authenticate with a bearer JWT or an API key; send "
                "`X-Request-ID` to correlate (it is echoed, and is a problem's `instance`)."
            ),
        },
        "tags": [{"name": tag} for tag in tags],
        "paths": {path: paths[path] for path in sorted(paths)},
        "components": {
            "schemas": {name: schemas[name] for name in sorted(schemas)},
            "responses": {name: PROBLEM_RESPONSES[name] for name in sorted(PROBLEM_RESPONSES)},
            "headers": standard_headers(),
            "securitySchemes": {
                "bearerAuth": {
                    "type": "http",
                    "scheme": "bearer",
                    "bearerFormat": "JWT",
                    "description": "A JWT of a configured issuer: `Authorization: Bearer <jwt>`.",
                },
                "apiKey": {
                    "type": "apiKey",
                    "in": "header",
                    "name": api_key_header,
                    "description": "A partner API key (`Authorization: ApiKey <key>` works too).",
                },
            },
        },
        "security": [{"bearerAuth": []}, {"apiKey": []}],
    }


def render_openapi(document: Mapping[str, Any]) -> bytes:
    """The document as the bytes served and printed: indented JSON, a final newline."""
    return (json.dumps(document, indent=2, ensure_ascii=False) + "\n").encode()


def openapi_problems(catalog: RouteCatalog) -> list[RouteProblem]:
    """What makes the routes' OpenAPI description wrong although each route compiled: two
    path templates that differ only in their parameter names (OpenAPI forbids them)."""
    shapes: dict[str, str] = {}
    problems: list[RouteProblem] = []
    for route in catalog.routes:
        shape = route.pattern.pattern
        for name in route.spec.path_parameters:
            shape = shape.replace(f"(?P<{name}>", "(")
        known = shapes.setdefault(shape, route.path)
        if known != route.path:
            problems.append(
                RouteProblem(
                    route.id,
                    f"path {route.path} is {known} with other parameter names; use the same "
                    "names (OpenAPI cannot describe both)",
                )
            )
    return problems


# -- one operation ---------------------------------------------------------------------


def _operation(
    route: CompiledRoute,
    components: SchemaComponents,
    responses: dict[str, JsonSchema],
    routes: Sequence[CompiledRoute],
) -> dict[str, Any]:
    spec = route.spec
    document = parse(route.document.query)
    fragments = {
        d.name.value: d for d in document.definitions if isinstance(d, FragmentDefinitionNode)
    }
    operation = next(d for d in document.definitions if isinstance(d, OperationDefinitionNode))
    defaults = {
        d.variable.name.value: value_from_ast_untyped(d.default_value)
        for d in operation.variable_definitions or ()
        if d.default_value is not None
    }
    root = next(s for s in operation.selection_set.selections if isinstance(s, FieldNode))
    result: dict[str, Any] = {"operationId": spec.id}
    if spec.summary:
        result["summary"] = spec.summary
    result["description"] = _description(route)
    if spec.tags:
        result["tags"] = list(spec.tags)
    if spec.deprecated is not None:
        result["deprecated"] = True
    parameters = [
        _parameter(route, binding, components, defaults)
        for binding in route.bindings
        if binding.source != "body"
    ]
    parameters.extend(_standard_parameters(route))
    if parameters:
        result["parameters"] = parameters
    body = _request_body(route, components)
    if body is not None:
        result["requestBody"] = body
    name = None
    if spec.status != 204:
        taken = {components.component_name(n) for n in components.graphql_schema.type_map}
        name = _response_name(spec.id, taken | set(responses))
        responses[name] = _result_schema(route, root, fragments, components)
        if spec.partial == "warn":
            responses[name] = _with_warnings(responses[name])
    result["responses"] = _responses(route, name)
    links = _links(route, routes)
    if links:
        result["responses"][str(spec.status)]["links"] = links
    return result


def _links(route: CompiledRoute, routes: Sequence[CompiledRoute]) -> dict[str, Any]:
    """For a route answering ``Location``: the routes under that location, each with its path
    parameters read from the response body (the fields the location template names)."""
    template = route.spec.location
    if template is None or route.spec.status == 204:
        return {}
    location = template.strip("/").split("/")
    links: dict[str, Any] = {}
    for other in routes:
        segments = other.path.strip("/").split("/")
        if other is route or not _under(location, segments):
            continue
        parameters: dict[str, str] = {}
        for mine, theirs in zip(location, segments, strict=False):
            if theirs.startswith("{"):
                parameters[theirs[1:-1]] = f"$response.body#/{mine[1:-1]}"
        if set(parameters) != set(other.spec.path_parameters):
            continue  # a parameter the created resource does not tell
        links[other.id] = {
            "operationId": other.id,
            "parameters": parameters,
            "description": f"`{other.method} {other.path}` of what this created.",
        }
    return links


def _under(location: list[str], segments: list[str]) -> bool:
    """Whether a path (``segments``) starts with the location template: the same literal
    segments, a parameter where the location has one."""
    if len(segments) < len(location):
        return False
    return all(
        mine == theirs or (mine.startswith("{") and theirs.startswith("{"))
        for mine, theirs in zip(location, segments, strict=False)
    )


def _description(route: CompiledRoute) -> str:
    spec = route.spec
    kind = "mutation" if route.operation_type == OperationType.MUTATION else "query"
    lines = [spec.description] if spec.description else []
    lines.append(f"Runs the persisted GraphQL {kind} `{route.operation_name}`.")
    if spec.pagination is not None:
        lines.append(
            f"Paginated: `{spec.pagination.limit_parameter}` items per page; the next page is "
            f"`nextCursor`, passed as `{spec.pagination.cursor_parameter}` (also in "
            '`Link: <...>; rel="next"`).'
        )
    if spec.deprecated is not None:
        note = f"Deprecated since {spec.deprecated.since.isoformat()}"
        if spec.deprecated.sunset is not None:
            note += f"; answers 410 Gone from {spec.deprecated.sunset.isoformat()}"
        if spec.deprecated.successor is not None:
            note += f"; use {spec.deprecated.successor} instead"
        lines.append(note + ".")
    return "\n\n".join(lines)


def _parameter(
    route: CompiledRoute,
    binding: CompiledBinding,
    components: SchemaComponents,
    defaults: Mapping[str, Any],
) -> dict[str, Any]:
    assert binding.name is not None
    nullable_type = get_nullable_type(binding.type)
    schema = components.parameter_schema(binding.type)
    required = binding.source == "path" or _required(route, binding)
    if binding.source == "path" and schema.get("type") == "string":
        schema = {**schema, "minLength": 1}
    default = _default(route, binding, defaults)
    if default is not None and default is not Undefined:
        schema = {**schema, "default": default}
    parameter: dict[str, Any] = {
        "name": binding.name,
        "in": binding.source,
        "required": required,
        "schema": schema,
    }
    if isinstance(nullable_type, GraphQLList):
        parameter["style"] = "form"
        parameter["explode"] = True
    description = binding.description or _target_text(binding)
    parameter["description"] = description
    return parameter


def _target_text(binding: CompiledBinding) -> str:
    return f"The variable `${'.'.join(binding.target)}` ({binding.type})."


def _required(route: CompiledRoute, binding: CompiledBinding) -> bool:
    """Whether a value must be sent: a non-null variable without a default, or a non-null
    field without a default of an input variable."""
    if len(binding.target) == 1:
        return binding.required
    input_field = _input_field(route, binding.target)
    return isinstance(binding.type, GraphQLNonNull) and default_of(input_field) is Undefined


def _default(route: CompiledRoute, binding: CompiledBinding, defaults: Mapping[str, Any]) -> Any:
    if len(binding.target) == 1:
        return defaults.get(binding.target[0], Undefined)
    return default_of(_input_field(route, binding.target))


def _input_field(route: CompiledRoute, target: tuple[str, ...]) -> GraphQLInputField:
    """The input field at ``target`` (``variable.field...``; compile checked that it exists)."""
    current: GraphQLInputType = route.variables[target[0]]
    found: GraphQLInputField | None = None
    for segment in target[1:]:
        named = get_nullable_type(current)
        assert isinstance(named, GraphQLInputObjectType)
        found = named.fields[segment]
        current = found.type
    assert found is not None
    return found


def _standard_parameters(route: CompiledRoute) -> list[dict[str, Any]]:
    spec = route.spec
    parameters: list[dict[str, Any]] = []
    mode = spec.idempotency_mode
    if mode != "none":
        parameters.append(
            {
                "name": "Idempotency-Key",
                "in": "header",
                "required": mode == "required",
                "description": "Makes a retry safe: the same key with the same request replays "
                "the stored response (`Idempotent-Replayed: true`); with another request it is "
                "422, while the first is still running 409.",
                "schema": _IDEMPOTENCY_KEY,
                "example": "8e03978e-40d5-43e8-bc93-6894a57f9324",
            }
        )
    if spec.method == "GET":
        parameters.append(
            {
                "name": "If-None-Match",
                "in": "header",
                "required": False,
                "description": "The `ETag` of a previous answer: 304 when it is unchanged.",
                "schema": {"type": "string"},
            }
        )
    return parameters


def _request_body(route: CompiledRoute, components: SchemaComponents) -> dict[str, Any] | None:
    bodies = [b for b in route.bindings if b.source == "body"]
    if not bodies:
        return None
    whole = next((b for b in bodies if b.name is None), None)
    if whole is not None:
        named = get_nullable_type(whole.type)
        excluded = [
            b.target[1:]
            for b in route.bindings
            if b.source != "body" and b.target[0] == whole.target[0] and len(b.target) > 1
        ]
        schema = components.input_object_schema(named, excluded)  # type: ignore[arg-type]
        required = whole.required
    else:
        properties: dict[str, JsonSchema] = {}
        names: list[str] = []
        for binding in bodies:
            assert binding.name is not None
            property_schema = components.input_schema(binding.type)
            if binding.description:
                property_schema = {**property_schema, "description": binding.description}
            properties[binding.name] = property_schema
            if _required(route, binding):
                names.append(binding.name)
        schema = {"type": "object", "properties": properties}
        if names:
            schema["required"] = names
        required = bool(names)
    return {"required": required, "content": {_JSON: {"schema": schema}}}


# -- responses -------------------------------------------------------------------------


def _response_name(route_id: str, taken: Iterable[str]) -> str:
    used = set(taken)
    name = f"{route_id}Response"
    suffix = 2
    while name in used:
        name = f"{route_id}Response{suffix}"
        suffix += 1
    return name


def _result_schema(
    route: CompiledRoute,
    root: FieldNode,
    fragments: Mapping[str, FragmentDefinitionNode],
    components: SchemaComponents,
) -> JsonSchema:
    if route.spec.pagination is not None:
        node = _node_schema(route, root.selection_set, fragments, components)
        return {
            "type": "object",
            "properties": {
                "items": {"type": "array", "items": node},
                "nextCursor": {
                    "type": ["string", "null"],
                    "description": "The cursor of the next page; null on the last page.",
                },
            },
            "required": ["items", "nextCursor"],
            "title": f"{route.id} page",
        }
    root_type = route.root_type
    if route.spec.null_is_not_found and not isinstance(root_type, GraphQLNonNull):
        root_type = GraphQLNonNull(root_type)  # null is a 404, never a 200
    return components.selection_schema(root_type, root.selection_set, fragments)


def _with_warnings(schema: JsonSchema) -> JsonSchema:
    """An object answer of a ``partial: warn`` route: it may carry the errors next to the data
    as ``warnings``."""
    if "anyOf" in schema:
        return {**schema, "anyOf": [_with_warnings(variant) for variant in schema["anyOf"]]}
    kind = schema.get("type")
    if kind != "object" and not (isinstance(kind, list) and "object" in kind):
        return schema
    warnings = {
        "type": "array",
        "items": {"$ref": "#/components/schemas/ProblemError"},
        "description": "Errors next to partial data (absent when there were none).",
    }
    return {**schema, "properties": {**schema.get("properties", {}), "warnings": warnings}}


def _node_schema(
    route: CompiledRoute,
    selection_set: SelectionSetNode | None,
    fragments: Mapping[str, FragmentDefinitionNode],
    components: SchemaComponents,
) -> JsonSchema:
    connection = get_named_type(route.root_type)
    assert isinstance(connection, GraphQLObjectType)
    edge = get_named_type(connection.fields["edges"].type)
    assert isinstance(edge, GraphQLObjectType)
    node_type = edge.fields["node"].type
    node_sets = [
        node.selection_set
        for edges in _unaliased(selection_set, "edges")
        for node in _unaliased(edges.selection_set, "node")
        if node.selection_set is not None
    ]
    if not node_sets:
        return components.selection_schema(node_type, None, fragments)
    # the node's selections, merged as one selection set
    merged = SelectionSetNode(selections=tuple(s for n in node_sets for s in n.selections))
    return components.selection_schema(node_type, merged, fragments)


def _unaliased(selection_set: SelectionSetNode | None, name: str) -> list[FieldNode]:
    if selection_set is None:
        return []
    return [
        s
        for s in selection_set.selections
        if isinstance(s, FieldNode) and s.alias is None and s.name.value == name
    ]


def _responses(route: CompiledRoute, result_name: str | None) -> dict[str, Any]:
    spec = route.spec
    headers: dict[str, Any] = {"X-Request-ID": {"$ref": "#/components/headers/X-Request-ID"}}
    if spec.method == "GET":
        headers["ETag"] = {
            "description": "The validator of this answer (send it as `If-None-Match`).",
            "schema": {"type": "string"},
        }
        headers["Cache-Control"] = {
            "description": "How long the answer may be reused "
            f"(`{spec.cache_control or 'private, no-cache'}`).",
            "schema": {"type": "string"},
        }
    links = []
    if spec.pagination is not None:
        links.append('the next page, `<...>; rel="next"` (absent on the last page)')
    if spec.deprecated is not None and spec.deprecated.successor is not None:
        links.append('the route replacing this one, `<...>; rel="successor-version"`')
    if links:
        headers["Link"] = {
            "description": "Links: " + "; ".join(links) + ".",
            "schema": {"type": "string"},
        }
    if spec.deprecated is not None:
        headers["Deprecation"] = {
            "description": "When the route was deprecated (RFC 9745).",
            "schema": {"type": "string"},
        }
        if spec.deprecated.sunset is not None:
            headers["Sunset"] = {
                "description": "When the route stops answering (RFC 8594).",
                "schema": {"type": "string"},
            }
    if spec.idempotency_mode != "none":
        headers["Idempotent-Replayed"] = {
            "description": "`true` when this is the stored answer of an earlier request.",
            "schema": {"type": "string", "enum": ["true"]},
        }
    responses: dict[str, Any] = {}
    status = str(spec.status)
    if spec.status == 204:
        responses[status] = {"description": "Done; no content.", "headers": headers}
    else:
        if spec.status in (201, 202):
            headers["Location"] = {
                "description": "The URL of the created resource"
                if spec.status == 201
                else "The URL to follow the accepted work at",
                "required": True,
                "schema": {"type": "string", "format": "uri-reference"},
            }
        description = {200: "OK", 201: "Created", 202: "Accepted"}[spec.status]
        responses[status] = {
            "description": description,
            "headers": headers,
            "content": {_JSON: {"schema": {"$ref": f"#/components/schemas/{result_name}"}}},
        }
    if spec.method == "GET":
        responses["304"] = {
            "description": "Not modified: the `If-None-Match` validator still matches.",
            "headers": {"ETag": headers["ETag"]},
        }
    for code in error_responses(
        body=spec.method != "GET",
        mutation=route.operation_type == OperationType.MUTATION,
        idempotent=spec.idempotency_mode != "none",
        sunset=spec.deprecated is not None and spec.deprecated.sunset is not None,
    ):
        responses[code] = {"$ref": f"#/components/responses/{RESPONSE_BY_STATUS[code]}"}
    return responses
