"""Two small Federation-2 subgraphs and a faulty HTTP front, for the subgraph fault tests.

- ``ledger``: ``entry(id)``, ``leak(kind)`` (errors whose messages carry internals: a Python
  traceback, file paths, a connection string, host names; or client-facing codes) and the
  ``post`` mutation. It owns ``Entry @key(id)``.
- ``notes``: ``note(id)`` and ``Entry.note`` (an entity field, so a plan can fetch from notes
  after ledger, a mutation's plan included).

:class:`FaultyFront` is a real HTTP/1.1 server on a loopback port in front of one subgraph: it
forwards requests, or answers 502/503/504, drops the connection without an answer or never
answers, as the test scripts it, and counts what reached it (queries and mutations apart).
"""

from __future__ import annotations

import asyncio
import contextlib
from collections import deque
from collections.abc import AsyncIterator
from contextlib import AsyncExitStack, asynccontextmanager
from dataclasses import dataclass, field
from typing import Literal

import httpx
import orjson
import strawberry
from graphql import GraphQLError
from live_server import live_server
from strawberry.asgi import GraphQL

from gateway.composition import SubgraphSource, compose

#: a message a careless subgraph could send: traceback, file paths, DSN, host names
LEAKY_MESSAGE = (
    "Traceback (most recent call last):\n"
    '  File "/srv/ledger/app/repository.py", line 88, in load_entry\n'
    "    rows = await conn.fetch(query)\n"
    "asyncpg.exceptions.ConnectionDoesNotExistError: connection to "
    "postgresql://ledger:s3cret-pw@db-host.internal:5432/ledger_prod was closed "
    "(replica db-replica-2.prod.example.net, pod ledger-7f9c-xk2p)"
)
#: fragments of :data:`LEAKY_MESSAGE` that must never reach a client
SECRETS = (
    "Traceback",
    "/srv/ledger",
    "repository.py",
    "postgresql://",
    "s3cret-pw",
    "db-host",
    "5432",
    "db-replica-2",
    "example.net",
    "asyncpg",
)


@strawberry.federation.type(keys=["id"])
class Entry:
    id: strawberry.ID
    amount: int

    @classmethod
    def resolve_reference(cls, id: strawberry.ID) -> Entry:
        return Entry(id=id, amount=int(id) * 10)


@strawberry.type
class LedgerQuery:
    @strawberry.field
    def entry(self, id: strawberry.ID) -> Entry | None:
        return Entry(id=id, amount=int(id) * 10)

    @strawberry.field
    def leak(self, kind: str) -> str | None:
        if kind == "internal":
            raise GraphQLError(LEAKY_MESSAGE, extensions={"code": "INTERNAL_SERVER_ERROR"})
        if kind == "unknown-code":
            raise GraphQLError(LEAKY_MESSAGE, extensions={"code": "DB_POOL_EXHAUSTED"})
        if kind == "no-code":
            raise RuntimeError(LEAKY_MESSAGE)  # Strawberry sends str(exc), no extensions
        if kind == "not-found":
            raise GraphQLError("entry 42 does not exist", extensions={"code": "NOT_FOUND"})
        if kind == "conflict":
            raise GraphQLError(
                "entry was modified concurrently: expected version 3, it is 4",
                extensions={"code": "VERSION_CONFLICT", "expectedVersion": 3, "actualVersion": 4},
            )
        return "fine"


@strawberry.type
class LedgerMutation:
    @strawberry.mutation
    def post(self, amount: int) -> Entry:
        return Entry(id=strawberry.ID(str(amount)), amount=amount * 10)


@strawberry.federation.type(keys=["id"], name="Entry")
class NotedEntry:
    id: strawberry.ID

    @strawberry.field
    def note(self) -> str | None:
        return f"note on entry {self.id}"

    @classmethod
    def resolve_reference(cls, id: strawberry.ID) -> NotedEntry:
        return NotedEntry(id=id)


@strawberry.type
class Note:
    id: strawberry.ID
    text: str


@strawberry.type
class NotesQuery:
    @strawberry.field
    def note(self, id: strawberry.ID) -> Note | None:
        return Note(id=id, text=f"note {id}")


def _schemas() -> dict[str, strawberry.federation.Schema]:
    ledger = strawberry.federation.Schema(query=LedgerQuery, mutation=LedgerMutation, types=[Entry])
    notes = strawberry.federation.Schema(query=NotesQuery, types=[NotedEntry])
    return {"ledger": ledger, "notes": notes}


#: an HTTP status to answer, ``drop`` (close without an answer) or ``hang`` (never answer)
Fault = Literal["502", "503", "504", "drop", "hang"]


@dataclass
class FaultyFront:
    """An HTTP/1.1 server in front of ``upstream`` that fails requests as scripted."""

    upstream: str
    #: faults for the next requests, first first
    script: deque[Fault] = field(default_factory=deque)
    #: the fault of every request once the script is spent (``None``: forward)
    always: Fault | None = None
    #: requests that reached the front, by operation kind
    queries: int = 0
    mutations: int = 0
    port: int = 0
    #: open client connections (closed when the front stops)
    writers: set[asyncio.StreamWriter] = field(default_factory=set)

    @property
    def received(self) -> int:
        """Every request that reached the subgraph's front."""
        return self.queries + self.mutations

    @property
    def url(self) -> str:
        """The GraphQL URL the gateway calls."""
        return f"http://127.0.0.1:{self.port}/graphql"

    def fail_next(self, count: int, fault: Fault) -> None:
        """Fail the next ``count`` requests with ``fault``."""
        self.script.extend([fault] * count)

    async def handle(
        self, reader: asyncio.StreamReader, writer: asyncio.StreamWriter, client: httpx.AsyncClient
    ) -> None:
        self.writers.add(writer)
        try:
            while True:
                try:
                    head = await reader.readuntil(b"\r\n\r\n")
                except (asyncio.IncompleteReadError, ConnectionError):
                    return
                length = 0
                for line in head.decode("latin-1").split("\r\n")[1:]:
                    name, _, value = line.partition(":")
                    if name.strip().lower() == "content-length":
                        length = int(value.strip())
                body = await reader.readexactly(length)
                query = orjson.loads(body).get("query", "")
                if query.lstrip().startswith("mutation"):
                    self.mutations += 1
                else:
                    self.queries += 1
                fault = self.script.popleft() if self.script else self.always
                if fault == "drop":
                    return  # close without an answer
                if fault == "hang":
                    await reader.read()  # until the caller gives up and closes
                    return
                if fault is not None:
                    text = b"upstream unavailable"
                    writer.write(
                        b"HTTP/1.1 %s Unavailable\r\nContent-Type: text/plain\r\n"
                        b"Content-Length: %d\r\n\r\n%s" % (fault.encode(), len(text), text)
                    )
                else:
                    answer = await client.post(
                        self.upstream,
                        content=body,
                        headers={"content-type": "application/json"},
                    )
                    writer.write(
                        b"HTTP/1.1 %d OK\r\nContent-Type: application/json\r\n"
                        b"Content-Length: %d\r\n\r\n%s"
                        % (answer.status_code, len(answer.content), answer.content)
                    )
                await writer.drain()
        finally:
            self.writers.discard(writer)
            writer.close()
            with contextlib.suppress(ConnectionError):
                await writer.wait_closed()


@dataclass
class FaultyDeployment:
    """Both subgraphs, each behind its faulty front, and the supergraph over the fronts."""

    fronts: dict[str, FaultyFront]
    supergraph: str


@asynccontextmanager
async def faulty_deployment() -> AsyncIterator[FaultyDeployment]:
    """Serve ``ledger`` and ``notes`` (uvicorn) behind their fronts on ephemeral ports."""
    schemas = _schemas()
    async with AsyncExitStack() as stack:
        client = await stack.enter_async_context(httpx.AsyncClient(timeout=30))
        fronts: dict[str, FaultyFront] = {}
        for name, schema in schemas.items():
            base = await stack.enter_async_context(live_server(GraphQL(schema), lifespan="off"))
            front = FaultyFront(f"{base}/graphql")

            async def handle(
                reader: asyncio.StreamReader,
                writer: asyncio.StreamWriter,
                front: FaultyFront = front,
            ) -> None:
                await front.handle(reader, writer, client)

            server = await asyncio.start_server(handle, "127.0.0.1", 0)
            stack.push_async_callback(_stop, server, front)
            front.port = server.sockets[0].getsockname()[1]
            fronts[name] = front
        sources = [
            SubgraphSource(name, fronts[name].url, schema.as_str())
            for name, schema in schemas.items()
        ]
        yield FaultyDeployment(fronts, compose(sources).supergraph_sdl)


async def _stop(server: asyncio.Server, front: FaultyFront) -> None:
    server.close()
    for writer in list(front.writers):
        writer.close()
    await server.wait_closed()
