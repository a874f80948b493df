"""Route file + documents + API schema -> compiled routes, or the problems that forbid them.

The one place that knows what a route means against a supergraph: the runtime
(:mod:`gateway.rest.endpoint`), OpenAPI (:mod:`gateway.rest.openapi`) and ``ordergate rest
check`` all read a :class:`RouteCatalog`. A route is valid when its operation exists in the
documents and validates against the API schema, selects exactly one root field, and every
variable has a binding whose source can carry the variable's GraphQL type (path and header
values are scalars or enums, query values scalars, enums or lists of them, a whole JSON body an
input object).
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field
from pathlib import Path

from graphql import (
    DocumentNode,
    FieldNode,
    FragmentDefinitionNode,
    GraphQLEnumType,
    GraphQLError,
    GraphQLInputObjectType,
    GraphQLInputType,
    GraphQLList,
    GraphQLNonNull,
    GraphQLObjectType,
    GraphQLOutputType,
    GraphQLScalarType,
    GraphQLSchema,
    InlineFragmentNode,
    OperationDefinitionNode,
    OperationType,
    SelectionSetNode,
    get_named_type,
    get_nullable_type,
    is_required_input_field,
    parse,
    print_ast,
    type_from_ast,
    validate,
)
from graphql.language import FragmentSpreadNode

from gateway.persisted.documents import ResolvedDocument, sha256_hex
from gateway.rest.config import BindingSource, RouteFile, RouteSpec

__all__ = [
    "CompiledBinding",
    "CompiledRoute",
    "OperationSource",
    "RouteCatalog",
    "RouteProblem",
    "compile_routes",
    "load_documents",
]

_LOCATION_FIELD = re.compile(r"\{([A-Za-z_][A-Za-z0-9_]*)\}")


@dataclass(frozen=True, slots=True)
class RouteProblem:
    """Why a route (or a document) cannot be served."""

    #: the route id, or ``documents`` for a problem of the ``.graphql`` files
    route: str
    message: str

    def __str__(self) -> str:
        return f"{self.route}: {self.message}"


@dataclass(frozen=True, slots=True)
class OperationSource:
    """One named operation of the documents, printed with the fragments it uses."""

    name: str
    text: str
    file: str


@dataclass(frozen=True, slots=True)
class CompiledBinding:
    """One binding resolved against the schema."""

    #: the variable, then input-object fields: ``("input", "orderId")``
    target: tuple[str, ...]
    source: BindingSource
    #: the parameter name (``None``: the whole JSON body)
    name: str | None
    #: the GraphQL type at ``target``
    type: GraphQLInputType
    #: non-null without a default: a missing value is a 400
    required: bool
    description: str | None = None

    @property
    def label(self) -> str:
        """How errors name the parameter: ``query parameter 'limit'``, ``the JSON body``."""
        if self.name is None:
            return "the JSON body"
        kind = {"path": "path parameter", "query": "query parameter", "header": "header"}
        return f"{kind.get(self.source, 'body property')} '{self.name}'"


@dataclass(frozen=True, slots=True)
class CompiledRoute:
    """A route ready to serve: its document, root field and bindings."""

    spec: RouteSpec
    #: prefix + path template, e.g. ``/api/v1/orders/{id}``
    path: str
    document: ResolvedDocument
    operation_name: str
    operation_type: OperationType
    #: the response key of the one root field (its alias when aliased)
    root_key: str
    root_type: GraphQLOutputType
    bindings: tuple[CompiledBinding, ...]
    #: variable name -> its declared type
    variables: Mapping[str, GraphQLInputType]
    pattern: re.Pattern[str] = field(repr=False)

    @property
    def id(self) -> str:
        """The route id."""
        return self.spec.id

    @property
    def method(self) -> str:
        """The HTTP method."""
        return self.spec.method


@dataclass(frozen=True, slots=True)
class RouteCatalog:
    """Every route that compiled, and the problems of those that did not."""

    prefix: str
    routes: tuple[CompiledRoute, ...]
    problems: tuple[RouteProblem, ...]
    source: RouteFile


def load_documents(directory: Path) -> tuple[dict[str, OperationSource], list[RouteProblem]]:
    """The named operations of every ``*.graphql`` file under ``directory`` (sorted), each
    printed with the fragments it spreads; fragments are shared by the files of the directory."""
    problems: list[RouteProblem] = []
    operations: dict[str, tuple[OperationDefinitionNode, str]] = {}
    fragments: dict[str, FragmentDefinitionNode] = {}
    if not directory.is_dir():
        return {}, [RouteProblem("documents", f"{directory} is not a directory")]
    for path in sorted(directory.rglob("*.graphql")):
        where = str(path.relative_to(directory))
        try:
            document = parse(path.read_text(encoding="utf-8"))
        except GraphQLError as error:
            problems.append(RouteProblem("documents", f"{where}: {error.message}"))
            continue
        for definition in document.definitions:
            if isinstance(definition, OperationDefinitionNode):
                if definition.name is None:
                    problems.append(RouteProblem("documents", f"{where}: an operation has no name"))
                elif definition.name.value in operations:
                    name = definition.name.value
                    problems.append(RouteProblem("documents", f"{where}: {name} is defined twice"))
                else:
                    operations[definition.name.value] = (definition, where)
            elif isinstance(definition, FragmentDefinitionNode):
                if definition.name.value in fragments:
                    name = definition.name.value
                    problems.append(
                        RouteProblem("documents", f"{where}: fragment {name} is defined twice")
                    )
                fragments[definition.name.value] = definition
    sources: dict[str, OperationSource] = {}
    for name, (operation, where) in operations.items():
        used = _fragments_used(operation, fragments)
        missing = sorted(used - fragments.keys())
        if missing:
            problems.append(RouteProblem("documents", f"{where}: {name} spreads unknown {missing}"))
            continue
        definitions = [operation, *(fragments[used_name] for used_name in sorted(used))]
        text = "\n\n".join(print_ast(definition) for definition in definitions)
        sources[name] = OperationSource(name, text, where)
    return sources, problems


def _fragments_used(
    operation: OperationDefinitionNode, fragments: Mapping[str, FragmentDefinitionNode]
) -> set[str]:
    used: set[str] = set()
    pending: list[SelectionSetNode] = [operation.selection_set]
    while pending:
        selection_set = pending.pop()
        for selection in selection_set.selections:
            if isinstance(selection, FragmentSpreadNode):
                name = selection.name.value
                if name not in used:
                    used.add(name)
                    if name in fragments:
                        pending.append(fragments[name].selection_set)
            elif selection.selection_set is not None:  # type: ignore[attr-defined]
                pending.append(selection.selection_set)  # type: ignore[attr-defined]
    return used


def compile_routes(
    route_file: RouteFile,
    documents: Mapping[str, OperationSource],
    schema: GraphQLSchema,
    document_problems: Iterable[RouteProblem] = (),
) -> RouteCatalog:
    """Compile every route of ``route_file`` against ``schema`` (the API schema)."""
    problems = list(document_problems)
    routes: list[CompiledRoute] = []
    for spec in route_file.routes:
        compiled = _compile(route_file.prefix, spec, documents, schema, problems)
        if compiled is not None:
            routes.append(compiled)
    return RouteCatalog(route_file.prefix, tuple(routes), tuple(problems), route_file)


def _compile(
    prefix: str,
    spec: RouteSpec,
    documents: Mapping[str, OperationSource],
    schema: GraphQLSchema,
    problems: list[RouteProblem],
) -> CompiledRoute | None:
    def problem(message: str) -> None:
        problems.append(RouteProblem(spec.id, message))

    source = documents.get(spec.operation)
    if source is None:
        problem(f"unknown operation {spec.operation!r}")
        return None
    document = parse(source.text)
    errors = validate(schema, document)
    if errors:
        for error in errors:
            problem(f"{spec.operation} ({source.file}): {error.message}")
        return None
    operation = _operation(document)
    if operation.operation == OperationType.SUBSCRIPTION:
        problem("a subscription cannot be a REST route")
        return None
    if operation.operation == OperationType.MUTATION and spec.method == "GET":
        problem("a GET route must run a query, not a mutation")
        return None
    root = _single_root_field(operation.selection_set)
    if root is None:
        problem(f"{spec.operation} must select exactly one root field (it is unwrapped)")
        return None
    root_object = schema.get_root_type(operation.operation)
    assert root_object is not None  # validated
    root_field = root_object.fields[root.name.value]
    variables: dict[str, GraphQLInputType] = {}
    defaults: set[str] = set()
    for definition in operation.variable_definitions or ():
        declared = type_from_ast(schema, definition.type)
        assert declared is not None  # validated
        variables[definition.variable.name.value] = declared  # type: ignore[assignment]
        if definition.default_value is not None:
            defaults.add(definition.variable.name.value)
    bindings = _bindings(spec, variables, defaults, problem)
    if bindings is None:
        return None
    bound_roots = {binding.target[0] for binding in bindings}
    for name in sorted(variables.keys() - bound_roots):
        problem(f"variable ${name} has no binding")
    if spec.pagination is not None:
        _check_pagination(spec, root_field.type, root.selection_set, variables, problem)
    if spec.location is not None:
        fragments = {
            d.name.value: d for d in document.definitions if isinstance(d, FragmentDefinitionNode)
        }
        selected = _top_level_fields(root.selection_set, fragments)
        for name in _LOCATION_FIELD.findall(spec.location):
            if name not in selected:
                problem(f"location names {{{name}}}, which {spec.operation} does not select")
    if spec.status == 204 and spec.method == "GET":
        problem("a GET route answers with a body, not 204")
    if any(p.route == spec.id for p in problems):
        return None
    full_path = prefix + ("" if spec.path == "/" else spec.path)
    return CompiledRoute(
        spec=spec,
        path=full_path,
        document=ResolvedDocument(
            source.text, sha256_hex(source.text), "trusted", f"rest:{spec.id}", None
        ),
        operation_name=spec.operation,
        operation_type=operation.operation,
        root_key=(root.alias or root.name).value,
        root_type=root_field.type,
        bindings=bindings,
        variables=variables,
        pattern=_path_pattern(full_path),
    )


def _operation(document: DocumentNode) -> OperationDefinitionNode:
    for definition in document.definitions:
        if isinstance(definition, OperationDefinitionNode):
            return definition
    raise AssertionError("load_documents prints one operation first")


def _single_root_field(selection_set: SelectionSetNode) -> FieldNode | None:
    fields = [s for s in selection_set.selections if isinstance(s, FieldNode)]
    others = [s for s in selection_set.selections if not isinstance(s, FieldNode)]
    if len(fields) != 1 or others or fields[0].name.value.startswith("__"):
        return None
    return fields[0]


def _top_level_fields(
    selection_set: SelectionSetNode | None, fragments: Mapping[str, FragmentDefinitionNode]
) -> set[str]:
    """The response keys selected directly in ``selection_set`` (through fragments)."""
    if selection_set is None:
        return set()
    names: set[str] = set()
    for selection in selection_set.selections:
        if isinstance(selection, FieldNode):
            names.add((selection.alias or selection.name).value)
        elif isinstance(selection, InlineFragmentNode):
            names |= _top_level_fields(selection.selection_set, fragments)
        elif isinstance(selection, FragmentSpreadNode) and selection.name.value in fragments:
            names |= _top_level_fields(fragments[selection.name.value].selection_set, fragments)
    return names


def _field_type_at(
    variable_type: GraphQLInputType, path: tuple[str, ...]
) -> tuple[GraphQLInputType, bool] | str:
    """The type at ``path`` inside an input type, and whether that field is required; a
    message when the path does not exist."""
    current = variable_type
    required = isinstance(current, GraphQLNonNull)
    for segment in path:
        named = get_nullable_type(current)
        if not isinstance(named, GraphQLInputObjectType):
            return f"{segment!r}: {named} is not an input object"
        input_field = named.fields.get(segment)
        if input_field is None:
            return f"{named.name} has no field {segment!r}"
        current = input_field.type
        required = is_required_input_field(input_field)
    return current, required


def _is_leaf(type_: GraphQLInputType) -> bool:
    return isinstance(get_nullable_type(type_), GraphQLScalarType | GraphQLEnumType)


def _source_carries(source: BindingSource, name: str | None, type_: GraphQLInputType) -> bool:
    nullable = get_nullable_type(type_)
    if source in ("path", "header"):
        return _is_leaf(type_)
    if source == "query":
        if isinstance(nullable, GraphQLList):
            return _is_leaf(nullable.of_type)
        return _is_leaf(type_)
    if name is None:  # the whole body
        return isinstance(nullable, GraphQLInputObjectType)
    return True


def _bindings(
    spec: RouteSpec,
    variables: Mapping[str, GraphQLInputType],
    defaults: set[str],
    report: Callable[[str], None],
) -> tuple[CompiledBinding, ...] | None:
    compiled: list[CompiledBinding] = []
    ok = True
    whole_bodies = [v for v, b in spec.bind.items() if b.source == "body" and b.name is None]
    named_bodies = [v for v, b in spec.bind.items() if b.source == "body" and b.name is not None]
    if len(whole_bodies) > 1 or (whole_bodies and named_bodies):
        report("the whole JSON body can be bound once, and then no body property besides it")
        ok = False
    for target_text, binding in spec.bind.items():
        target = tuple(target_text.split("."))
        declared = variables.get(target[0])
        if declared is None:
            report(f"bind: {target_text} names no variable of {spec.operation}")
            ok = False
            continue
        found = _field_type_at(declared, target[1:])
        if isinstance(found, str):
            report(f"bind: {target_text}: {found}")
            ok = False
            continue
        type_, required = found
        if len(target) == 1:
            required = isinstance(declared, GraphQLNonNull) and target[0] not in defaults
        name = binding.name
        if name is None and binding.source != "body":
            name = target[-1]
        if not _source_carries(binding.source, name, type_):
            where = "a JSON body" if name is None else f"a {binding.source} value"
            report(f"bind: {target_text}: {where} cannot carry {type_}")
            ok = False
            continue
        compiled.append(
            CompiledBinding(target, binding.source, name, type_, required, binding.description)
        )
    return tuple(compiled) if ok else None


def _check_pagination(
    spec: RouteSpec,
    root_type: GraphQLOutputType,
    selection_set: SelectionSetNode | None,
    variables: Mapping[str, GraphQLInputType],
    report: Callable[[str], None],
) -> None:
    pagination = spec.pagination
    assert pagination is not None
    for variable, parameter in (
        (pagination.first_variable, pagination.limit_parameter),
        (pagination.after_variable, pagination.cursor_parameter),
    ):
        binding = spec.bind.get(variable)
        if binding is None or binding.source != "query" or (binding.name or variable) != parameter:
            report(f"pagination: ${variable} must be bound to the query parameter {parameter!r}")
    connection = get_named_type(root_type)
    if not isinstance(connection, GraphQLObjectType) or not {"edges", "pageInfo"} <= set(
        connection.fields
    ):
        report(f"pagination: {connection} is not a connection (edges, pageInfo)")
        return
    selected = _selections(selection_set)
    edges = selected.get("edges")
    page_info = selected.get("pageInfo")
    if (
        edges is None
        or "node" not in _selections(edges.selection_set)
        or page_info is None
        or not {"hasNextPage", "endCursor"} <= _selections(page_info.selection_set).keys()
    ):
        report("pagination: select edges { node { ... } } and pageInfo { hasNextPage endCursor }")


def _selections(selection_set: SelectionSetNode | None) -> dict[str, FieldNode]:
    if selection_set is None:
        return {}
    return {
        s.name.value: s
        for s in selection_set.selections
        if isinstance(s, FieldNode) and s.alias is None
    }


def _path_pattern(path: str) -> re.Pattern[str]:
    parts = re.split(r"(\{[A-Za-z_][A-Za-z0-9_]*\})", path)
    regex = "".join(
        f"(?P<{part[1:-1]}>[^/]+)" if part.startswith("{") else re.escape(part) for part in parts
    )
    return re.compile(f"^{regex}\\Z")  # \Z: a trailing newline is no match
