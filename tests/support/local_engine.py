"""A small real GraphQL engine over a plain schema, to exercise the HTTP edge on its own.

It parses, validates and executes with graphql-core against the SDL it is built from (resolvers
answer ``hello`` / ``echo`` / ``bump`` / ``slow``), and follows the same rules as the federation
engine at the seam: 400 for documents that cannot run, 405 for a mutation over GET.
"""

from __future__ import annotations

import asyncio
import hashlib
from collections.abc import Mapping
from typing import Any

from graphql import (
    GraphQLError,
    OperationDefinitionNode,
    OperationType,
    build_schema,
    execute,
    parse,
    validate,
)

from gateway.engine.types import GraphQLRequest, GraphQLResult, RequestContext

DEFAULT_SDL = """
type Query {
  hello(name: String = "world"): String!
  echoHeader(name: String!): String
  slow: String!
}
type Mutation { bump: Int! }
"""


class LocalEngine:
    """Executes operations against one plain schema."""

    def __init__(self, sdl: str = DEFAULT_SDL) -> None:
        self.schema = build_schema(sdl)
        self.supergraph_hash = hashlib.sha256(sdl.encode()).hexdigest()
        self.subgraph_urls: Mapping[str, str] = {}
        self.closed = False
        self.counter = 0
        self.release_slow = asyncio.Event()

    async def aclose(self) -> None:
        self.closed = True

    async def execute(self, request: GraphQLRequest, context: RequestContext) -> GraphQLResult:
        if not request.query:
            return _failure(400, "BAD_REQUEST", "No query")
        try:
            document = parse(request.query)
        except GraphQLError as error:
            return _failure(400, "GRAPHQL_PARSE_FAILED", error.message)
        errors = validate(self.schema, document)
        if errors:
            return _failure(400, "GRAPHQL_VALIDATION_FAILED", errors[0].message)
        operations = [d for d in document.definitions if isinstance(d, OperationDefinitionNode)]
        if not context.allow_mutations and any(
            op.operation is OperationType.MUTATION for op in operations
        ):
            return _failure(405, "METHOD_NOT_ALLOWED", "Mutations need POST")

        engine = self

        async def slow(*_: Any) -> str:
            await engine.release_slow.wait()
            return "done"

        def bump(*_: Any) -> int:
            engine.counter += 1
            return engine.counter

        root = {
            "hello": lambda _info, name: f"hello {name}",
            "echoHeader": lambda _info, name: context.headers.get(name),
            "slow": slow,
            "bump": bump,
        }
        result = execute(
            self.schema,
            document,
            root_value=root,
            variable_values=dict(request.variables or {}),
            operation_name=request.operation_name,
            field_resolver=lambda source, info, **args: source[info.field_name](info, **args),
        )
        if asyncio.iscoroutine(result) or isinstance(result, asyncio.Future):
            result = await result
        assert not isinstance(result, asyncio.Future)
        return GraphQLResult(
            data=result.data,  # type: ignore[union-attr]
            errors=[e.formatted for e in result.errors] if result.errors else None,  # type: ignore[union-attr]
        )


def _failure(status: int, code: str, message: str) -> GraphQLResult:
    return GraphQLResult(
        errors=[{"message": message, "extensions": {"code": code}}], status_code=status
    )
