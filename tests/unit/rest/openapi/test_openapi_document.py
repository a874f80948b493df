"""The OpenAPI 3.1 document of a route catalog: valid (openapi-spec-validator), and what each
binding, status and setting of a route becomes in it."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from graphql import GraphQLSchema
from openapi_spec_validator import validate
from openapi_spec_validator.validation.exceptions import OpenAPIValidationError

from gateway.composition._api_schema import api_schema_of
from gateway.rest.compile import RouteCatalog, compile_routes, load_documents
from gateway.rest.config import parse_route_file
from gateway.rest.openapi import build_openapi, openapi_problems, render_openapi

Document = dict[str, Any]

FIXTURES = Path(__file__).parent / "fixtures"


@pytest.fixture(scope="module")
def widgets(fixture_catalog: RouteCatalog, fixture_schema: GraphQLSchema) -> Document:
    return build_openapi(fixture_catalog, fixture_schema, api_key_header="x-partner-key")


def _operation(document: Document, path: str, method: str) -> Document:
    operation: Document = document["paths"][f"/api/v1{path}"][method]
    return operation


def _parameters(operation: Document) -> dict[tuple[str, str], Document]:
    return {(p["in"], p["name"]): p for p in operation.get("parameters", [])}


def test_the_repositorys_routes_give_a_valid_openapi_31_document(
    repo_catalog: RouteCatalog, repo_schema: GraphQLSchema
) -> None:
    document = build_openapi(repo_catalog, repo_schema)
    validate(document)  # raises on any violation of the OpenAPI 3.1 schema
    assert document["openapi"] == "3.1.0"
    operation_ids = [
        operation["operationId"]
        for item in document["paths"].values()
        for operation in item.values()
    ]
    assert sorted(operation_ids) == sorted(route.id for route in repo_catalog.routes)
    assert document["info"]["title"] == repo_catalog.source.title


def test_a_route_file_with_every_binding_kind_gives_a_valid_document(widgets: Document) -> None:
    validate(widgets)
    assert widgets["info"] == {
        "title": "Widgets",
        "version": "2.1.0",
        "description": widgets["info"]["description"],
    }
    assert set(widgets["paths"]) == {
        "/api/v1/widgets/{id}",
        "/api/v1/widgets",
        "/api/v1/nodes/{id}",
        "/api/v1/widget-count",
        "/api/v1/widgets/find",
        "/api/v1/widgets/{id}/rebuild",
        "/api/v1/widgets/{id}/tags",
    }
    assert set(widgets["paths"]["/api/v1/widgets/{id}"]) == {"get", "patch", "delete"}


def test_a_broken_document_is_refused_by_the_validator(widgets: Document) -> None:
    """The validator used above does reject a wrong document (the test has teeth)."""
    broken = {**widgets, "paths": {"/x": {"get": {"responses": {"200": {"content": 1}}}}}}
    with pytest.raises(OpenAPIValidationError):
        validate(broken)


def test_path_query_and_header_parameters(widgets: Document) -> None:
    get = _parameters(_operation(widgets, "/widgets/{id}", "get"))
    assert get[("path", "id")]["required"] is True
    assert get[("path", "id")]["schema"] == {"type": "string", "minLength": 1}
    assert get[("query", "withParts")]["required"] is False
    assert get[("query", "withParts")]["schema"] == {"type": "boolean", "default": False}
    assert get[("header", "If-None-Match")]["required"] is False
    listing = _parameters(_operation(widgets, "/widgets", "get"))
    colour = listing[("query", "colour")]
    assert colour["style"] == "form" and colour["explode"] is True
    assert colour["schema"] == {
        "type": "array",
        "items": {"$ref": "#/components/schemas/Colour"},
    }
    assert colour["description"] == "Only widgets of these colours"
    limit = listing[("query", "limit")]
    assert limit["required"] is False, "$first has a default"
    assert limit["schema"]["default"] == 10 and limit["schema"]["type"] == "integer"
    count = _parameters(_operation(widgets, "/widget-count", "get"))
    assert count[("query", "tags")]["required"] is True, "[String!]! without a default"
    delete = _parameters(_operation(widgets, "/widgets/{id}", "delete"))
    version = delete[("header", "X-Widget-Version")]
    assert version["required"] is False
    assert version["schema"]["type"] == "integer"
    assert (version["schema"]["minimum"], version["schema"]["maximum"]) == (-(2**31), 2**31 - 1)
    assert ("header", "If-None-Match") not in delete, "only GET routes revalidate"


def test_request_bodies(widgets: Document) -> None:
    create = _operation(widgets, "/widgets", "post")["requestBody"]
    assert create == {
        "required": True,
        "content": {"application/json": {"schema": {"$ref": "#/components/schemas/WidgetInput"}}},
    }
    rename = _operation(widgets, "/widgets/{id}", "patch")["requestBody"]
    # the whole body is RenameInput, except `id`, which the path carries
    assert rename["content"]["application/json"]["schema"] == {
        "type": "object",
        "properties": {
            "name": {"type": "string"},
            "dryRun": {"type": ["boolean", "null"], "default": False},
        },
        "required": ["name"],
        "additionalProperties": False,
    }
    tag = _operation(widgets, "/widgets/{id}/tags", "put")["requestBody"]
    assert tag["required"] is True
    assert tag["content"]["application/json"]["schema"] == {
        "type": "object",
        "properties": {
            "tags": {"type": "array", "items": {"type": "string"}},
            "colour": {"oneOf": [{"$ref": "#/components/schemas/Colour"}, {"type": "null"}]},
        },
        "required": ["tags"],
    }
    rebuild = _operation(widgets, "/widgets/{id}/rebuild", "post")["requestBody"]
    assert rebuild["required"] is False, "no body property is required"
    assert "requestBody" not in _operation(widgets, "/widgets/{id}", "delete")


def test_idempotency_key_follows_the_routes_mode(widgets: Document) -> None:
    def key(path: str, method: str) -> Document | None:
        return _parameters(_operation(widgets, path, method)).get(("header", "Idempotency-Key"))

    created = key("/widgets", "post")
    assert created is not None and created["required"] is True, "201 routes require a key"
    assert created["schema"]["maxLength"] == 255
    renamed = key("/widgets/{id}", "patch")
    assert renamed is not None and renamed["required"] is False
    assert key("/widgets/find", "post") is None, "idempotency: none"
    assert key("/widgets/{id}", "get") is None
    assert key("/widgets/{id}", "delete") is None


def test_success_statuses_and_their_headers(widgets: Document) -> None:
    create = _operation(widgets, "/widgets", "post")["responses"]
    assert create["201"]["headers"]["Location"]["required"] is True
    assert create["201"]["content"]["application/json"]["schema"] == {
        "$ref": "#/components/schemas/createWidgetResponse"
    }
    assert "304" not in create
    rebuild = _operation(widgets, "/widgets/{id}/rebuild", "post")
    assert "Location" in rebuild["responses"]["202"]["headers"]
    assert {"Deprecation", "Sunset"} <= set(rebuild["responses"]["202"]["headers"])
    assert rebuild["deprecated"] is True
    assert "/api/v2/widgets/{id}/rebuild" in rebuild["description"]
    assert rebuild["responses"]["410"] == {"$ref": "#/components/responses/Gone"}
    delete = _operation(widgets, "/widgets/{id}", "delete")["responses"]
    assert "content" not in delete["204"]
    assert "deleteWidgetResponse" not in widgets["components"]["schemas"]
    get = _operation(widgets, "/widgets/{id}", "get")
    assert set(get["responses"]["304"]["headers"]) == {"ETag"}
    assert "deprecated" not in get
    assert "410" not in get["responses"]


def test_error_responses_are_problem_documents(widgets: Document) -> None:
    get = _operation(widgets, "/widgets/{id}", "get")["responses"]
    create = _operation(widgets, "/widgets", "post")["responses"]
    assert [code for code in get if code.startswith(("4", "5"))] == [
        "400", "401", "403", "404", "422", "429", "502", "503", "504",
    ]  # fmt: skip
    assert {"409", "413", "415"} <= set(create), "a mutation with a body"
    assert not {"409", "413", "415"} & set(get)
    delete = _operation(widgets, "/widgets/{id}", "delete")["responses"]
    assert {"413", "415"} <= set(delete), "any body sent to a DELETE is checked too"
    responses = widgets["components"]["responses"]
    for name in {ref["$ref"].rsplit("/", 1)[1] for c, ref in create.items() if c >= "400"}:
        content = responses[name]["content"]
        assert list(content) == ["application/problem+json"]
        assert content["application/problem+json"]["schema"] == {
            "$ref": "#/components/schemas/Problem"
        }
    limited = responses["TooManyRequests"]["headers"]
    assert {"Retry-After", "RateLimit", "RateLimit-Policy"} <= set(limited)
    problem = widgets["components"]["schemas"]["Problem"]
    assert set(problem["properties"]) == {
        "type", "title", "status", "detail", "instance", "code", "errors",
    }  # fmt: skip
    error = widgets["components"]["schemas"]["ProblemError"]
    assert set(error["properties"]) == {"message", "path", "code"}


def test_scalars_enums_and_input_objects(widgets: Document) -> None:
    schemas = widgets["components"]["schemas"]
    assert schemas["Colour"] == {
        "type": "string",
        "enum": ["RED", "GREEN", "BLUE"],
        "description": "A widget's colour.",
    }
    widget_input = schemas["WidgetInput"]
    assert widget_input["required"] == ["name"]
    assert widget_input["additionalProperties"] is False
    assert widget_input["properties"]["colour"]["default"] == "RED"
    assert widget_input["properties"]["madeAt"] == {
        "type": ["string", "null"],
        "format": "date-time",
    }
    assert widget_input["properties"]["parts"] == {
        "type": ["array", "null"],
        "items": {"$ref": "#/components/schemas/PartInput"},
    }
    assert schemas["PartInput"]["required"] == ["sku"], "quantity has a default"
    assert schemas["ChoiceInput"]["minProperties"] == 1
    assert schemas["ChoiceInput"]["maxProperties"] == 1
    price = schemas["getWidgetResponse"]["properties"]["price"]
    assert price == {"type": ["string", "null"], "description": "A decimal amount, as a string."}


def test_security_schemes_apply_to_every_operation(widgets: Document) -> None:
    schemes = widgets["components"]["securitySchemes"]
    assert schemes["bearerAuth"] == {
        "type": "http",
        "scheme": "bearer",
        "bearerFormat": "JWT",
        "description": schemes["bearerAuth"]["description"],
    }
    assert (schemes["apiKey"]["type"], schemes["apiKey"]["in"]) == ("apiKey", "header")
    assert schemes["apiKey"]["name"] == "x-partner-key", "the header the gateway reads"
    assert widgets["security"] == [{"bearerAuth": []}, {"apiKey": []}]


def test_the_document_is_deterministic(
    fixture_catalog: RouteCatalog, fixture_schema: GraphQLSchema
) -> None:
    first = render_openapi(build_openapi(fixture_catalog, fixture_schema))
    second = render_openapi(build_openapi(fixture_catalog, fixture_schema))
    assert first == second
    assert first.endswith(b"}\n")


def test_paths_equal_but_for_parameter_names_are_a_problem(
    fixture_catalog: RouteCatalog, fixture_schema: GraphQLSchema
) -> None:
    assert openapi_problems(fixture_catalog) == []
    route_file = parse_route_file(
        """
        documents: documents
        routes:
          - {id: getWidget, method: GET, path: "/widgets/{id}", operation: TestGetWidget,
             bind: {id: path, withParts: query}}
          - {id: deleteWidget, method: DELETE, path: "/widgets/{widgetId}",
             operation: TestDeleteWidget,
             bind: {id: {in: path, name: widgetId}, reason: query, version: query}}
        """
    )
    documents, _ = load_documents(FIXTURES / "documents")
    catalog = compile_routes(route_file, documents, fixture_schema)
    assert catalog.problems == ()
    problems = openapi_problems(catalog)
    assert [p.route for p in problems] == ["deleteWidget"]
    assert "/api/v1/widgets/{id} with other parameter names" in problems[0].message


def test_created_resources_link_to_the_routes_under_their_location(widgets: Document) -> None:
    created = _operation(widgets, "/widgets", "post")["responses"]["201"]["links"]
    # every route under /api/v1/widgets/{id}, with `id` read from the answer
    assert set(created) == {
        "getWidget", "renameWidget", "deleteWidget", "rebuildWidget", "tagWidget",
    }  # fmt: skip
    assert created["getWidget"]["operationId"] == "getWidget"
    assert created["getWidget"]["parameters"] == {"id": "$response.body#/id"}
    rebuilt = _operation(widgets, "/widgets/{id}/rebuild", "post")["responses"]["202"]
    assert "rebuildWidget" not in rebuilt["links"], "not to itself"
    assert "links" not in _operation(widgets, "/widgets/{id}", "get")["responses"]["200"]


def test_a_warn_route_may_answer_warnings(widgets: Document) -> None:
    schemas = widgets["components"]["schemas"]
    tagged = schemas["tagWidgetResponse"]["properties"]
    assert tagged["warnings"]["items"] == {"$ref": "#/components/schemas/ProblemError"}
    assert "warnings" not in schemas["tagWidgetResponse"]["required"]
    assert "warnings" not in schemas["getWidgetResponse"]["properties"], "partial: fail"


def test_component_names_never_clash(tmp_path: Path) -> None:
    """A GraphQL type called like a component of the document itself is renamed, and a route's
    response schema steers clear of every GraphQL type name."""
    schema = api_schema_of(
        """
        enum Problem { LATE EARLY }
        type getThingResponse { id: ID! }
        type Thing { id: ID!, problem: Problem }
        type Query { thing(problem: Problem!): Thing, other: getThingResponse }
        """
    )
    (tmp_path / "documents").mkdir()
    (tmp_path / "documents" / "things.graphql").write_text(
        "query Thing($problem: Problem!) { thing(problem: $problem) { id problem } }"
    )
    route_file = parse_route_file(
        "documents: documents\nroutes:\n"
        "  - {id: getThing, method: GET, path: /things, operation: Thing,"
        " bind: {problem: query}}\n"
    )
    documents, _ = load_documents(tmp_path / "documents")
    catalog = compile_routes(route_file, documents, schema)
    assert catalog.problems == ()
    document = build_openapi(catalog, schema)
    validate(document)
    schemas = document["components"]["schemas"]
    assert schemas["ProblemType"]["enum"] == ["LATE", "EARLY"]
    assert schemas["Problem"]["required"] == ["type", "title", "status"], "RFC 9457's"
    assert "getThingResponse" not in schemas
    assert schemas["getThingResponse2"]["properties"]["problem"] == {
        "oneOf": [{"$ref": "#/components/schemas/ProblemType"}, {"type": "null"}]
    }
    parameter = document["paths"]["/api/v1/things"]["get"]["parameters"][0]
    assert parameter["schema"] == {"$ref": "#/components/schemas/ProblemType"}
