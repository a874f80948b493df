"""``@requires``: the required fields are planned first, then travel in the representations."""

from __future__ import annotations

from gateway.planning._cursor import PlanCursor
from gateway.planning._groups import MInput
from gateway.planning._representations import input_of, internalize
from gateway.planning._resolution import Target
from gateway.planning._state import Walk
from gateway.planning.operation import Field, Selection

__all__ = ["RequiresJumps"]


class RequiresJumps:
    """Entity jumps for fields with ``@requires``."""

    def __init__(self, walk: Walk) -> None:
        self.walk = walk
        self.state = walk.state

    def jump(
        self,
        cursor: PlanCursor,
        target: Target,
        with_requires: list[tuple[Field, str]],
        key: tuple[MInput, set[int]],
        client_keys: dict[str, tuple[str, str]],
        runtime_types: list[str],
    ) -> None:
        """Fetch the required fields first, then the ``@requires`` fields with them.

        ``key`` is the key's representation and the fetches it comes from. Fields whose
        representations would disagree (the same field required with different arguments) go to
        separate fetches.
        """
        key_input, key_deps = key
        res = self.state.res
        batches: list[tuple[MInput, set[int], list[Selection]]] = []
        for selection, requires in with_requires:
            required = internalize(res.field_set(requires), client_keys)
            required_deps = set(key_deps)
            self.walk.plan(cursor.collecting(required_deps), required)
            representation = MInput()
            representation.merge(key_input)
            representation.merge(input_of(self.state.supergraph, cursor.type_name, required))
            for batch in batches:
                if not batch[0].conflicts(representation):
                    batch[0].merge(representation)
                    batch[1].update(required_deps)
                    batch[2].append(selection)
                    break
            else:
                batches.append((representation, required_deps, [selection]))
        for index, (representation, required_deps, selections) in enumerate(batches):
            # no dependency beyond the key's: the same fetch as the plain fields (one call)
            fresh = bool(required_deps - key_deps) or index > 0
            child = self.state.child(
                cursor.group, target.graph, cursor.path, required_deps, fresh=fresh, tag=index
            )
            for runtime_type in runtime_types:
                child.add_input(runtime_type, target.entity_type, representation)
            self.walk.plan(
                cursor.in_entity_fetch(child, target.entity_type),
                selections,
                requires_satisfied=True,
            )
