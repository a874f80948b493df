"""Raw REST values -> variables, by the GraphQL types of the compiled routes: scalars, enums,
custom scalars, lists as repeated or comma-separated query parameters, nested input from the
JSON body, dotted targets; every mistake a message naming the REST parameter."""

from __future__ import annotations

from typing import Any

import pytest
from graphql import build_schema

from gateway.rest.bindings import (
    MISSING,
    BindingError,
    RawValues,
    bind_variables,
    name_parameters,
)
from gateway.rest.compile import CompiledRoute, OperationSource, compile_routes
from gateway.rest.config import parse_route_file

SCHEMA = build_schema(
    """
    scalar DateTime
    enum Status { OPEN CLOSED }
    input LineInput { sku: String!, quantity: Int! }
    input NoteInput { ticketId: ID!, text: String!, lines: [LineInput!], urgent: Boolean }
    type Ticket { id: ID! }
    type Query {
      tickets(ids: [ID!], statuses: [Status!], limit: Int, ratio: Float, open: Boolean,
              since: DateTime, status: Status): [Ticket!]!
      ticket(id: ID!): Ticket
    }
    type Mutation { addNote(input: NoteInput!, version: Int): Ticket }
    """
)

DOCUMENTS = {
    "ListTickets": OperationSource(
        "ListTickets",
        "query ListTickets($ids: [ID!], $statuses: [Status!], $limit: Int = 10, $ratio: Float,"
        " $open: Boolean, $since: DateTime, $status: Status) { tickets(ids: $ids,"
        " statuses: $statuses, limit: $limit, ratio: $ratio, open: $open, since: $since,"
        " status: $status) { id } }",
        "t.graphql",
    ),
    "AddNote": OperationSource(
        "AddNote",
        "mutation AddNote($input: NoteInput!, $version: Int) {"
        " addNote(input: $input, version: $version) { id } }",
        "t.graphql",
    ),
    "GetTicket": OperationSource(
        "GetTicket", "query GetTicket($id: ID!) { ticket(id: $id) { id } }", "t.graphql"
    ),
}

ROUTES = """
routes:
  - id: listTickets
    method: GET
    path: /tickets
    operation: ListTickets
    bind:
      ids: {in: query, name: id}
      statuses: {in: query, name: status}
      limit: query
      ratio: query
      open: query
      since: query
      status: {in: query, name: only}
  - id: addNote
    method: POST
    path: /tickets/{ticketId}/notes
    operation: AddNote
    bind:
      input: body
      input.ticketId: path
      version: {in: header, name: If-Match-Version}
  - id: getTicket
    method: GET
    path: /tickets/{id}
    operation: GetTicket
    bind:
      id: path
"""


def _routes() -> dict[str, CompiledRoute]:
    catalog = compile_routes(parse_route_file(ROUTES), DOCUMENTS, SCHEMA)
    assert not catalog.problems, catalog.problems
    return {route.id: route for route in catalog.routes}


def _list(query: list[tuple[str, str]]) -> dict[str, Any]:
    return bind_variables(_routes()["listTickets"], RawValues({}, query, {}))


def _note(body: Any, ticket: str = "t-1", headers: dict[str, str] | None = None) -> dict[str, Any]:
    raw = RawValues({"ticketId": ticket}, [], headers or {}, body)
    return bind_variables(_routes()["addNote"], raw)


def test_scalars_are_read_by_their_type() -> None:
    variables = _list(
        [("limit", "5"), ("ratio", "0.5"), ("open", "true"), ("since", "2026-01-01T00:00:00Z")]
    )
    assert variables == {"limit": 5, "ratio": 0.5, "open": True, "since": "2026-01-01T00:00:00Z"}
    assert _list([("open", "0")]) == {"open": False}
    assert _list([]) == {}  # absent optional values: the variables' defaults apply


def test_lists_are_repeated_or_comma_separated_parameters() -> None:
    assert _list([("id", "a"), ("id", "b")]) == {"ids": ["a", "b"]}
    assert _list([("id", "a,b")]) == {"ids": ["a", "b"]}
    assert _list([("id", "a,b"), ("id", "c")]) == {"ids": ["a", "b", "c"]}
    assert _list([("status", "OPEN,CLOSED")]) == {"statuses": ["OPEN", "CLOSED"]}


def test_enums_take_the_schemas_values() -> None:
    assert _list([("only", "CLOSED")]) == {"status": "CLOSED"}
    with pytest.raises(BindingError) as refused:
        _list([("only", "closed")])
    assert refused.value.message == "query parameter 'only' must be one of OPEN, CLOSED"
    with pytest.raises(BindingError) as in_list:
        _list([("status", "OPEN,LOST")])
    assert in_list.value.message == (
        "query parameter 'status' (each value) must be one of OPEN, CLOSED"
    )


@pytest.mark.parametrize(
    ("query", "message"),
    [
        ([("limit", "ten")], "query parameter 'limit' must be an integer"),
        ([("limit", "1.5")], "query parameter 'limit' must be an integer"),
        ([("ratio", "half")], "query parameter 'ratio' must be a number"),
        ([("ratio", "nan")], "query parameter 'ratio' must be a number"),
        ([("open", "yes")], "query parameter 'open' must be true or false"),
        ([("limit", "1"), ("limit", "2")], "query parameter 'limit' is given more than once"),
    ],
)
def test_mistyped_query_parameters_are_named(query: list[tuple[str, str]], message: str) -> None:
    with pytest.raises(BindingError) as refused:
        _list(query)
    assert refused.value.message == message


def test_an_int_out_of_range_is_named() -> None:
    with pytest.raises(BindingError) as refused:
        _list([("limit", "99999999999")])
    assert refused.value.message.startswith("query parameter 'limit': Int cannot represent")


def test_the_body_fills_the_input_and_the_path_its_dotted_field() -> None:
    body = {"text": "hello", "lines": [{"sku": "A", "quantity": 2}]}
    variables = _note(body, headers={"if-match-version": "3"})
    assert variables == {
        "input": {"text": "hello", "lines": [{"sku": "A", "quantity": 2}], "ticketId": "t-1"},
        "version": 3,
    }
    assert "ticketId" not in body  # the caller's object is not changed


def test_body_mistakes_name_the_body_and_the_field() -> None:
    with pytest.raises(BindingError) as nested:
        _note({"text": "x", "lines": [{"sku": "A", "quantity": "two"}]})
    assert nested.value.message.startswith("the JSON body: at 'lines[0].quantity': ")
    with pytest.raises(BindingError) as missing_field:
        _note({"lines": []})
    assert missing_field.value.message.startswith("the JSON body: ")
    assert "'text'" in missing_field.value.message
    with pytest.raises(BindingError) as unknown_field:
        _note({"text": "x", "colour": "red"})
    assert "colour" in unknown_field.value.message
    assert "Did you mean" not in unknown_field.value.message
    with pytest.raises(BindingError) as absent:
        _note(MISSING)
    assert absent.value.message == "the JSON body is required"
    with pytest.raises(BindingError) as null:
        _note(None)
    assert null.value.message == "the JSON body must not be null"


def test_header_values_are_typed_and_named() -> None:
    with pytest.raises(BindingError) as refused:
        _note({"text": "x"}, headers={"if-match-version": "v3"})
    assert refused.value.message == "header 'If-Match-Version' must be an integer"


def test_path_parameters_are_ids_as_text() -> None:
    route = _routes()["getTicket"]
    assert bind_variables(route, RawValues({"id": "42"}, [], {})) == {"id": "42"}


def test_engine_coercion_messages_name_the_rest_parameter() -> None:
    route = _routes()["listTickets"]
    message = "Variable '$limit' got invalid value 'x'; Int cannot represent non-integer value"
    assert name_parameters(route, message) == (
        "query parameter 'limit' got invalid value 'x'; Int cannot represent non-integer value"
    )
    note = _routes()["addNote"]
    assert name_parameters(note, "Variable '$input' got invalid value") == (
        "the JSON body got invalid value"
    )
