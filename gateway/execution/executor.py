"""Runs a :class:`QueryPlan`: one ``match`` over node kinds, fetches merged in place."""

from __future__ import annotations

import asyncio
from collections.abc import Awaitable, Mapping
from dataclasses import dataclass, field
from typing import Any

import orjson

from gateway.execution.errors import ErrorMasking
from gateway.execution.headers import FetchHeaders
from gateway.execution.merge import (
    build_representation,
    collect,
    collect_paths,
    collect_with_paths,
    deep_merge,
)
from gateway.execution.observer import fetch_status
from gateway.execution.program import Group, Program, ProgramCache, Share
from gateway.execution.resilience import Resilience
from gateway.execution.trail import ExecutionTrail, FetchTiming
from gateway.execution.transport import SubgraphFailure, SubgraphTransport, decode_response
from gateway.planning.nodes import (
    Condition,
    EntityBatch,
    Fetch,
    Flatten,
    Parallel,
    PlanNode,
    QueryPlan,
    Sequence,
)

__all__ = ["ExecutionResult", "Executor"]


@dataclass(slots=True)
class ExecutionResult:
    """The merged subgraph data (not yet shaped) and the errors met on the way."""

    data: dict[str, Any]
    errors: list[dict[str, Any]] = field(default_factory=list)
    subgraph_calls: int = 0


_Prepared = tuple[list[dict[str, Any]], list[tuple[int, dict[str, Any]]]]


class _Run:
    """The state of one plan execution."""

    __slots__ = (
        "errors",
        "executor",
        "headers",
        "masking",
        "program",
        "ready",
        "request_id",
        "result",
        "trail",
        "variables",
    )

    def __init__(
        self,
        executor: Executor,
        program: Program,
        variables: Mapping[str, Any],
        headers: FetchHeaders | None,
        request_id: str | None,
        trail: ExecutionTrail | None = None,
    ) -> None:
        self.executor = executor
        #: the request lookup's notes (``None``: not kept)
        self.trail = trail
        self.masking = executor.masking
        self.program = program
        self.variables = variables
        self.headers = headers
        #: named in the messages that replace masked subgraph errors, and in their log lines
        self.request_id = request_id
        self.result = ExecutionResult(data={})
        #: representations prepared ahead for a ``Flatten`` (by ``id``), consumed once
        self.ready: dict[int, _Prepared | None] = {}

    async def run(self, node: PlanNode) -> None:
        match node:
            case Fetch():
                await self.root_fetch(node)
            case Flatten():
                await self.entity_fetch(node)
            case EntityBatch():
                await self.entity_batch(node)
            case Sequence():
                for child in node.nodes:
                    await self.run(child)
            case Parallel():
                group = self.program.groups.get(id(node))
                if group is not None:
                    # the entity fetches of one step read what earlier steps merged: collect
                    # their objects in one walk before any of them merges its own answer
                    self._prepare(group)
                await asyncio.gather(*(self.run(child) for child in node.nodes))
            case Condition():
                branch = node.if_true if self.variables.get(node.variable) else node.if_false
                if branch is not None:
                    await self.run(branch)

    def _variables_of(self, fetch: Fetch) -> dict[str, Any]:
        return {name: self.variables[name] for name in fetch.variables if name in self.variables}

    async def _call(
        self, fetch: Fetch, variables: dict[str, Any], path: list[str | int] | None
    ) -> dict[str, Any] | None:
        body = orjson.dumps({"query": fetch.operation, "variables": variables})
        self.result.subgraph_calls += 1
        trail = self.trail
        timing = trail.fetch_started(fetch.service) if trail is not None else None
        try:
            query = fetch.operation_kind == "query"
            payload = await self.executor.send(
                fetch.service,
                body,
                self.headers,
                dedupe=query,
                retry=query and self.program.read_only,
                timing=timing,
            )
            if trail is not None and timing is not None:
                trail.fetch_ended(timing, "ok")
            response = decode_response(fetch.service, payload)
        except SubgraphFailure as failure:
            if trail is not None and timing is not None:
                trail.fetch_ended(timing, fetch_status(failure.code, failure.status))
            self.result.errors.append(
                self.masking.fetch_failure(
                    fetch.service, failure.code, failure.detail, path, self.request_id
                )
            )
            return None
        if fetch.renames and isinstance(response.get("data"), dict):
            _rename(response["data"], fetch.renames)
        return response

    async def root_fetch(self, fetch: Fetch) -> None:
        response = await self._call(fetch, self._variables_of(fetch), None)
        if response is None:
            return
        data = response.get("data")
        if isinstance(data, dict):
            deep_merge(self.result.data, data, self.executor.abstract_types)
        for error in response.get("errors") or ():
            self.result.errors.append(
                self.masking.subgraph_error(error, fetch.service, [], self.request_id)
            )

    def _take(self, node: Flatten | EntityBatch) -> list[_Prepared | None]:
        """The prepared representations of ``node``'s parts (prepared now unless ready)."""
        parts = (node,) if isinstance(node, Flatten) else node.parts
        ready = self.ready
        if any(id(part) not in ready for part in parts):
            self._prepare(self.program.groups[id(node)])
        return [ready.pop(id(part), None) for part in parts]

    def _prepare(self, group: Group) -> None:
        found = collect_paths(self.result.data, group.trie)
        prepared = [_representations(found.get(share.path), share) for share in group.shares]
        ready = self.ready
        for flatten_id, index in group.share_of.items():
            ready[flatten_id] = prepared[index]

    async def entity_fetch(self, flatten: Flatten) -> None:
        fetch = flatten.node
        prepared = self._take(flatten)[0]
        if prepared is None:
            return
        representations, slots = prepared
        variables = self._variables_of(fetch)
        variables["representations"] = representations
        response = await self._call(fetch, variables, None)
        if response is None:
            return
        data = response.get("data")
        entities = data.get("_entities") if isinstance(data, dict) else None
        self._merge_entities(entities, len(representations), slots)
        errors = response.get("errors")
        if errors:
            self._entity_errors(errors, fetch, flatten.path, slots, "_entities")

    async def entity_batch(self, batch: EntityBatch) -> None:
        """Several entity fetches of one step to one subgraph, in one request."""
        prepared = self._take(batch)
        if all(p is None for p in prepared):
            return
        variables: dict[str, Any] = {}
        for index, part in enumerate(batch.parts):
            variables.update(self._variables_of(part.node))
            found = prepared[index]
            variables[f"r{index}"] = found[0] if found is not None else []
        carrier = Fetch(-1, batch.service, batch.operation, renames=_batch_renames(batch))
        response = await self._call(carrier, variables, None)
        if response is None:
            return
        data = response.get("data")
        errors = response.get("errors") or []
        for index, part in enumerate(batch.parts):
            found = prepared[index]
            if found is None:
                continue
            alias = f"_{index}"
            entities = data.get(alias) if isinstance(data, dict) else None
            self._merge_entities(entities, len(found[0]), found[1])
            mine = [
                e
                for e in errors
                if isinstance(e, dict)
                and isinstance(e.get("path"), list)
                and e["path"][:1] == [alias]
            ]
            if mine:
                self._entity_errors(mine, part.node, part.path, found[1], alias)
        unplaced = [
            e
            for e in errors
            if not (isinstance(e, dict) and isinstance(e.get("path"), list) and e["path"])
        ]
        for error in unplaced:
            self.result.errors.append(
                self.masking.subgraph_error(error, batch.service, None, self.request_id)
            )

    def _merge_entities(
        self, entities: Any, expected: int, slots: list[tuple[int, dict[str, Any]]]
    ) -> None:
        if not isinstance(entities, list) or len(entities) != expected:
            return
        abstract = self.executor.abstract_types
        for index, target in slots:
            entity = entities[index]
            if not isinstance(entity, dict):
                continue
            get = target.get
            for key, value in entity.items():
                if get(key) is None:  # the usual case: a field the object does not have yet
                    target[key] = value
                else:
                    deep_merge(target, {key: value}, abstract)

    def _entity_errors(
        self,
        errors: list[Any],
        fetch: Fetch,
        path: tuple[str, ...],
        slots: list[tuple[int, dict[str, Any]]],
        field: str,
    ) -> None:
        by_identity = {id(obj): at for obj, at in collect_with_paths(self.result.data, path)}
        first_path: dict[int, list[str | int]] = {}
        for index, target in slots:
            first_path.setdefault(index, by_identity.get(id(target), []))
        for error in errors:
            error_path = error.get("path") if isinstance(error, dict) else None
            prefix: list[str | int] | None = None
            rest: list[Any] = []
            if (
                isinstance(error_path, list)
                and len(error_path) >= 2
                and error_path[0] == field
                and isinstance(error_path[1], int)
            ):
                prefix = first_path.get(error_path[1])
                rest = error_path[2:]
            shaped = self.masking.subgraph_error(
                {**error, "path": rest} if prefix is not None else {**error, "path": None},
                fetch.service,
                prefix,
                self.request_id,
            )
            self.result.errors.append(shaped)


def _representations(targets: list[dict[str, Any]] | None, share: Share) -> _Prepared | None:
    """The distinct representations of ``targets`` and, per object, its representation's index.

    Objects with equal plain key values (or equal canonical representations) share one.
    """
    if not targets:
        return None
    readers = share.readers
    tables: list[dict[Any, int]] = [{} for _ in range(share.tables)]
    canonical: dict[bytes, int] = {}
    representations: list[dict[str, Any]] = []
    slots: list[tuple[int, dict[str, Any]]] = []
    append_slot = slots.append
    for target in targets:
        reader = readers.get(target.get("__typename"))  # type: ignore[arg-type]
        if reader is None:
            continue
        keys = reader.keys
        if keys is not None:
            try:
                values = keys(target)
                table = tables[reader.table]
                index = table.get(values)
            except (KeyError, TypeError):  # a key missing, or a list/object as its value
                pass
            else:
                if index is None:
                    index = table[values] = len(representations)
                    built: dict[str, Any] = {"__typename": reader.entity_input.send_type}
                    out_keys = reader.out_keys
                    if len(out_keys) == 1:
                        built[out_keys[0]] = values
                    else:
                        built.update(zip(out_keys, values, strict=True))
                    representations.append(built)
                append_slot((index, target))
                continue
        representation = build_representation(target, reader.entity_input)
        if representation is None:
            continue
        identity = orjson.dumps(representation, option=orjson.OPT_SORT_KEYS)
        index = canonical.get(identity)
        if index is None:
            index = canonical[identity] = len(representations)
            representations.append(representation)
        append_slot((index, target))
    if not representations:
        return None
    return representations, slots


def _rename(data: dict[str, Any], renames: tuple[tuple[tuple[str, ...], str, str], ...]) -> None:
    for path, sent, wanted in renames:
        for obj in collect(data, path):
            if sent in obj:
                obj[wanted] = obj.pop(sent)


def _batch_renames(batch: EntityBatch) -> tuple[tuple[tuple[str, ...], str, str], ...]:
    return tuple(
        ((f"_{index}", *path[1:]), sent, wanted)
        for index, part in enumerate(batch.parts)
        for path, sent, wanted in part.node.renames
    )


class Executor:
    """Executes plans against subgraphs through a :class:`SubgraphTransport`.

    ``masking`` decides what clients see of subgraph errors (masked, allow-listed codes only,
    by default); ``resilience`` retries queries and breaks circuits (none: every call is sent
    once).
    """

    def __init__(
        self,
        transport: SubgraphTransport,
        *,
        abstract_types: frozenset[str],
        masking: ErrorMasking | None = None,
        resilience: Resilience | None = None,
        dedupe_inflight: bool = True,
    ) -> None:
        self.transport = transport
        self.abstract_types = abstract_types
        self.masking = masking if masking is not None else ErrorMasking()
        self.resilience = resilience
        self.dedupe_inflight = dedupe_inflight
        self._programs = ProgramCache()
        self._inflight: dict[
            tuple[str, bytes, tuple[tuple[str, str], ...]], asyncio.Future[bytes]
        ] = {}

    async def send(
        self,
        service: str,
        body: bytes,
        headers: FetchHeaders | None,
        *,
        dedupe: bool,
        retry: bool = False,
        timing: FetchTiming | None = None,
    ) -> bytes:
        """Send ``body`` to ``service``, sharing an identical query already in flight.

        Queries are identical when their bodies and the ``vary`` headers are equal. ``retry``:
        the call may be sent again after a transient failure (queries of read-only plans);
        ``timing`` counts its attempts (the request lookup).
        """
        values = headers.values if headers is not None else None
        if not (dedupe and self.dedupe_inflight):
            return await self._send(service, body, values, retry, timing)
        key = (service, body, headers.identity if headers is not None else ())
        pending = self._inflight.get(key)
        if pending is not None:
            return await asyncio.shield(pending)
        future: asyncio.Future[bytes] = asyncio.get_running_loop().create_future()
        self._inflight[key] = future
        try:
            response = await self._send(service, body, values, retry, timing)
        except BaseException as exc:
            if not future.done():
                future.set_exception(exc)
                future.exception()  # mark retrieved when nobody else waits
            raise
        else:
            future.set_result(response)
            return response
        finally:
            self._inflight.pop(key, None)

    def _send(
        self,
        service: str,
        body: bytes,
        values: Mapping[str, str] | None,
        retry: bool,
        timing: FetchTiming | None = None,
    ) -> Awaitable[bytes]:
        resilience = self.resilience
        if resilience is None:
            return self.transport.send(service, body, values)
        return resilience.send(service, body, values, retry=retry, timing=timing)

    async def execute(
        self,
        plan: QueryPlan,
        variables: Mapping[str, Any],
        headers: FetchHeaders | Mapping[str, str] | None = None,
        request_id: str | None = None,
        trail: ExecutionTrail | None = None,
    ) -> ExecutionResult:
        """Run ``plan`` and return the merged data and errors.

        ``headers`` go with every fetch; a plain mapping counts entirely for deduplication.
        ``request_id`` is named in masked subgraph errors; ``trail`` notes each fetch.
        """
        if headers is not None and not isinstance(headers, FetchHeaders):
            headers = FetchHeaders.varying(headers)
        run = _Run(self, self._programs.get(plan), variables, headers, request_id, trail)
        if plan.node is not None:
            await run.run(plan.node)
        return run.result
