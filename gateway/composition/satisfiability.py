"""Satisfiability: every field of the API can be fetched by some sequence of subgraph fetches.

The check walks the supergraph as queries would, from the root fields. A path is in one or
more *candidate* subgraphs (those that may have returned its object). A field is reachable on
the path if a candidate resolves it (or a ``@provides`` above makes it local there), or if the
planner can move to a subgraph that resolves it through a resolvable ``@key`` whose fields it
can gather (locally or, for nested selections, through further moves). Abstract types fan out
to the runtime types the candidates can return; a subgraph that can return none of them makes
the path vacuously satisfied.

This is a conservative version of Apollo's satisfiability validation: ``@requires`` conditions
are assumed satisfiable, so it never rejects what Apollo accepts; it reports the unreachable
fields Apollo reports as ``SATISFIABILITY_ERROR``. It also reports shared fields whose
subgraphs return disjoint runtime types (``SHAREABLE_HAS_MISMATCHED_RUNTIME_TYPES``).
"""

from __future__ import annotations

from collections import deque
from dataclasses import dataclass

from gateway.composition.errors import ErrorCode
from gateway.composition.fieldset import FieldSetError, collect_fields, parse_field_set
from gateway.composition.merge.context import MergeContext
from gateway.composition.metadata import fields_argument
from gateway.composition.model import Field, TypeDef, TypeKind
from gateway.composition.moves import ANYWHERE, ROOT, Candidate, Moves
from gateway.composition.typeref import base_name

__all__ = ["validate_satisfiability"]


@dataclass(frozen=True, slots=True)
class _State:
    type_name: str
    candidates: frozenset[Candidate]
    path: tuple[str, ...]


class _Walker:
    def __init__(self, ctx: MergeContext) -> None:
        self.ctx = ctx
        self.moves = Moves(ctx)
        self.count = len(ctx.subgraphs)
        self.reported: set[str] = set()

    # -- resolving a field on a path -----------------------------------------------------------

    def resolvers(self, state: _State, f: Field) -> tuple[dict[int, frozenset[str]], bool]:
        """Subgraphs resolving ``f`` on the path (with what stays provided), and vacuity."""
        found: dict[int, frozenset[str]] = {}
        vacuous = False
        owner = self.ctx.merged.type(state.type_name)
        for candidate in state.candidates:
            for index, provided in self.moves.reachable(state.type_name, candidate).items():
                local = self.moves.local(index, state.type_name, f.name, provided)
                if local and self.moves.requirements_met(index, state.type_name, f.name, candidate):
                    found.setdefault(index, provided)
            if owner is None or owner.kind is not TypeKind.INTERFACE or candidate[0] == ROOT:
                continue
            if self.moves.is_interface_object(candidate[0], state.type_name):
                continue
            runtime = self.moves.runtime_types(candidate[0], state.type_name)
            if not runtime:
                vacuous = True
                continue
            exploded = [
                self.resolvers(_State(r, frozenset({candidate}), state.path), f) for r in runtime
            ]
            if all(r or v for r, v in exploded):
                for resolved, _ in exploded:
                    for index, provided in resolved.items():
                        found.setdefault(index, provided)
                vacuous = vacuous or not any(r for r, _ in exploded)
        if not found and owner is not None and not vacuous:
            found = self.through_interface_objects(state, owner, f)
        return found, vacuous

    def through_interface_objects(
        self, state: _State, owner: TypeDef, f: Field
    ) -> dict[int, frozenset[str]]:
        found: dict[int, frozenset[str]] = {}
        sources = {
            index: provided
            for candidate in state.candidates
            if candidate[0] != ROOT
            for index, provided in self.moves.reachable(state.type_name, candidate).items()
        }
        for interface in owner.interfaces:
            for index in range(self.count):
                if not self.moves.is_interface_object(index, interface):
                    continue
                if not self.moves.local(index, interface, f.name, frozenset()):
                    continue
                texts, _ = self.moves.keys(index, interface)
                for source, provided in sources.items():
                    for text in texts:
                        try:
                            selections = parse_field_set(
                                self.ctx.merged, state.type_name, text, validate=False
                            )
                        except FieldSetError:
                            continue
                        if self.moves.gatherable(
                            source, state.type_name, selections, provided, frozenset()
                        ):
                            found.setdefault(index, frozenset())
        return found

    # -- walking -------------------------------------------------------------------------

    def provided_by(self, index: int, f: Field | None) -> frozenset[str]:
        if f is None:
            return frozenset()
        found: set[str] = set()
        for provides in f.applied("provides"):
            text = fields_argument(provides)
            if text is not None:
                collected = collect_fields(
                    self.ctx.schema(index), base_name(f.type), text, include_implementations=True
                )
                found.update(p.coordinate for p in collected)
        return frozenset(found)

    def visible_fields(self, owner: TypeDef) -> list[Field]:
        if self.ctx.is_inaccessible(owner):
            return []
        return [f for f in owner.fields.values() if not self.ctx.is_inaccessible(f)]

    def walk(self) -> None:
        queue = deque(_State(name, ANYWHERE, ()) for name in self.ctx.merged.roots.values())
        seen: set[tuple[str, frozenset[Candidate]]] = set()
        while queue:
            state = queue.popleft()
            if (state.type_name, state.candidates) in seen:
                continue
            seen.add((state.type_name, state.candidates))
            owner = self.ctx.merged.type(state.type_name)
            if owner is None:
                continue
            for f in self.visible_fields(owner):
                queue.extend(self.step(state, f))
            if owner.kind in (TypeKind.INTERFACE, TypeKind.UNION):
                queue.extend(self.explode(state))

    def explode(self, state: _State) -> list[_State]:
        """``... on R`` for every runtime type some candidate subgraph can return."""
        by_runtime: dict[str, set[Candidate]] = {}
        for candidate in state.candidates:
            if candidate[0] == ROOT:
                continue
            for index, provided in self.moves.reachable(state.type_name, candidate).items():
                if index != candidate[0] and not self.moves.is_interface_object(
                    candidate[0], state.type_name
                ):
                    continue
                for runtime in self.moves.runtime_types(index, state.type_name):
                    if runtime != state.type_name:
                        by_runtime.setdefault(runtime, set()).add((index, provided))
        return [
            _State(runtime, frozenset(candidates), (*state.path, f"... on {runtime}"))
            for runtime, candidates in by_runtime.items()
        ]

    def step(self, state: _State, f: Field) -> list[_State]:
        resolved, vacuous = self.resolvers(state, f)
        if not resolved:
            if not vacuous:
                self.unsatisfiable(state, f)
            return []
        target = self.ctx.merged.type(base_name(f.type))
        if target is None or not target.is_composite:
            return []
        path = (*state.path, f.name)
        if self.ctx.merged.root_kind_of(target.name) is not None:
            return [_State(target.name, ANYWHERE, path)]
        candidates = frozenset(
            (
                index,
                provided
                | self.provided_by(index, self.ctx.schema(index).field(state.type_name, f.name)),
            )
            for index, provided in resolved.items()
        )
        return [_State(target.name, candidates, path)]

    # -- reporting -------------------------------------------------------------------------

    def unsatisfiable(self, state: _State, f: Field) -> None:
        if f.coordinate in self.reported:
            return
        self.reported.add(f.coordinate)
        definitions = {
            i: own
            for i in range(self.count)
            if (own := self.ctx.schema(i).field(state.type_name, f.name)) is not None
            and not self.ctx.metadata(i).is_external(own)
        }
        origin = min(index for index, _ in state.candidates)
        origin_name = self.ctx.names[origin] if origin != ROOT else "the root"
        reasons = [f'cannot find field "{f.coordinate}"']
        for index in definitions:
            _, why = self.moves.keys(index, state.type_name)
            if not why:
                why = (
                    f'the key field(s) of its @key cannot be resolved from subgraph "{origin_name}"'
                )
            reasons.append(
                f'cannot move to subgraph "{self.ctx.names[index]}", which has field'
                f' "{f.coordinate}", because {why}'
            )
        self.ctx.error(
            ErrorCode.SATISFIABILITY_ERROR,
            f"The following supergraph API query:\n{_witness((*state.path, f.name))}\ncannot be"
            f' satisfied by the subgraphs because:\n- from subgraph "{origin_name}":\n'
            + "\n".join(f"  - {reason}." for reason in reasons),
            [(i, own.node) for i, own in definitions.items()],
        )


def _witness(path: tuple[str, ...]) -> str:
    lines = ["{"]
    for depth, element in enumerate(path, start=1):
        lines.append("  " * depth + element + (" {" if depth < len(path) else ""))
    lines.extend("  " * depth + "}" for depth in range(len(path) - 1, 0, -1))
    lines.append("}")
    return "\n".join(lines)


def validate_satisfiability(ctx: MergeContext) -> None:
    """Report the fields no sequence of subgraph fetches can reach."""
    _Walker(ctx).walk()
