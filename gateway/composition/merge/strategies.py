"""How a non-repeatable composed directive's arguments merge when subgraphs disagree.

``@requiresScopes``/``@policy`` take the conjunction of their DNF conditions (every subgraph's
requirement must hold), ``@cost(weight:)`` the maximum, ``@listSize`` the maximum assumed size,
the union of slicing arguments and sized fields, and the conjunction of
``requireOneSlicingArgument``.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from typing import Any

__all__ = ["ARGUMENT_STRATEGIES", "dnf_conjunction"]


def _key(value: Any) -> str:
    return json.dumps(value, sort_keys=True)


def _deduplicate_subsumed(values: list[list[Any]]) -> list[list[Any]]:
    result: list[list[Any]] = []
    for candidate in sorted(values, key=len):
        entry = set(candidate)
        if not any(all(e in entry for e in kept) for kept in result):
            result.append(candidate)
    return result


def dnf_conjunction(values: list[list[list[Any]]]) -> list[list[Any]]:
    """AND of conditions in disjunctive normal form (outer list: OR, inner list: AND)."""
    if not values:
        return []
    normalized: list[list[list[Any]]] = []
    seen: set[str] = set()
    for value in values:
        copy = [sorted(inner) for inner in value] if value else [[]]
        copy.sort(key=_key)
        key = _key(copy)
        if key not in seen:
            seen.add(key)
            normalized.append(copy)
    result = normalized[0]
    for current in normalized[1:]:
        accumulator: list[list[Any]] = []
        combined: set[str] = set()
        for left in result:
            for right in current:
                candidate = sorted([*left, *(e for e in right if e not in left)])
                key = _key(candidate)
                if key not in combined:
                    combined.add(key)
                    accumulator.append(candidate)
        result = _deduplicate_subsumed(accumulator)
    return result


def _nullable(merge: Callable[[list[Any]], Any]) -> Callable[[list[Any]], Any]:
    def merged(values: list[Any]) -> Any:
        present = [v for v in values if v is not None]
        return merge(present) if present else None

    return merged


def _union(values: list[list[Any]]) -> list[Any]:
    result: list[Any] = []
    for value in values:
        result.extend(v for v in value if v not in result)
    return result


#: (canonical directive, argument) -> merge function over the values of the applications
ARGUMENT_STRATEGIES: dict[tuple[str, str], Callable[[list[Any]], Any]] = {
    ("requiresScopes", "scopes"): dnf_conjunction,
    ("policy", "policies"): dnf_conjunction,
    ("cost", "weight"): max,
    ("listSize", "assumedSize"): _nullable(max),
    ("listSize", "slicingArguments"): _nullable(_union),
    ("listSize", "sizedFields"): _nullable(_union),
    ("listSize", "requireOneSlicingArgument"): _nullable(all),
}
